"""wijk audit verify: check the access log's hash chain; exit 1 naming the first bad entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wijk.core.audit import access_log_verify


class Command(BaseCommand):
    help = "Work with the access log. 'verify' checks the hash chain from the first entry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = access_log_verify()
        if not report.ok:
            raise CommandError(
                f"Access log chain broken at entry {report.first_bad_id}: {report.problem} "
                f"({report.checked} entries before it are intact)."
            )
        self.stdout.write(f"Access log intact: {report.checked} entries checked.")
