"""`make demo` as its user sees it: the commands it runs print plain sentences, and the
structured log lines (JSON) go to the file in WIJK_LOG_FILE (the Makefile sets
var/log/wijk.jsonl), not between those sentences (docs/adr/0030).

Run as the Makefile runs them: the `wijk` command in a fresh process on its own SQLite file,
since the log stream is chosen when the settings load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.demo

WIJK = Path(sys.executable).with_name("wijk")


def test_the_demo_commands_print_sentences_and_log_to_the_file(tmp_path: Path) -> None:
    log_file = tmp_path / "log" / "wijk.jsonl"
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"WIJK_SQLITE_PATH": str(tmp_path / "demo.sqlite3"), "WIJK_LOG_FILE": str(log_file)}
    printed = []
    for command in (
        ["migrate", "--no-input", "--verbosity", "0"],
        ["seed", "--scale", "0.01", "--years", "1", "--seed", "1", "--no-progress"],
        ["demo_accounts"],
    ):
        done = subprocess.run(
            [str(WIJK), *command], env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr
        printed += [*done.stdout.splitlines(), *done.stderr.splitlines()]

    assert not [line for line in printed if line.lstrip().startswith("{")]
    assert any(line.startswith("Seeded the synthetic city") for line in printed)
    assert any(line.startswith("Demo accounts") for line in printed)
    events = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert {"city_seeded", "seed_staff_ensured"} <= {event["event"] for event in events}
    assert all(event["timestamp"] and event["level"] for event in events)
