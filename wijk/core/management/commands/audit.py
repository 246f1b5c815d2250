"""wijk audit verify | anchor: check the access log's keyed hash chain (and its anchors), or
write an anchor of the newest entry outside the database. Both exit 1 naming the first bad
entry or anchor."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wijk.core.audit import ChainReport, access_log_anchor, access_log_verify


def _refuse(report: ChainReport) -> CommandError:
    where = f" at entry {report.first_bad_id}" if report.first_bad_id is not None else ""
    return CommandError(
        f"Access log chain broken{where}: {report.problem} "
        f"({report.checked} entries before it are intact)."
    )


class Command(BaseCommand):
    help = (
        "Work with the access log. 'verify' checks the keyed hash chain from the first entry "
        "and against the anchors in WIJK_AUDIT_ANCHOR_DIR; 'anchor' verifies, then writes the "
        "newest entry's id and hash there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "anchor"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = access_log_verify()
        if not report.ok:
            raise _refuse(report)
        if options["action"] == "verify":
            self.stdout.write(
                f"Access log intact: {report.checked} entries checked, "
                f"{report.anchors} anchors matched."
            )
            return
        anchor = access_log_anchor(verified=report)
        if anchor is None:
            self.stdout.write("The access log is empty: nothing to anchor.")
            return
        self.stdout.write(
            f"Anchored entry {anchor.entry_id} in {settings.WIJK_AUDIT_ANCHOR_DIR}/{anchor.name}."
        )
