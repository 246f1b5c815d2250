"""The feed's system reads (person-level rows with no user and no gate, docs/adr/0050) are
called from the record-level part of the feed only, where the legal basis and the key are
checked and the delivery is written into the access log."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CALL = re.compile(r"\b(\w+_for_feed)\(")
# Where each system read is defined, and the one module that may call them.
ALLOWED = {
    "requests/selectors.py",
    "trajectories/selectors.py",
    "decisions/selectors.py",
    "feed/selectors.py",
    "feed/records.py",
}


def test_the_rule_catches_a_call_and_passes_a_plain_selector() -> None:
    assert CALL.search("    rows = help_requests_for_feed(key=key, since=None, first_day=day)")
    assert not CALL.search("    rows = help_request_get_for_user(user=user, pk=pk)")


def test_system_reads_are_called_by_the_feed_only() -> None:
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "tests" in path.parts or relative in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if CALL.search(line):
                offenders.append(f"wijk/{relative}:{number}: {line.strip()}")
    assert not offenders, "Only wijk.feed.records reads rows for the feed:\n" + "\n".join(offenders)
