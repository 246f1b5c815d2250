"""`wijk deadline MOMENT` as operators run it: output, offsets, malformed input, exit status.

These tests have no database mark, so pytest-django fails them if the command touches the
database; the real process runs against a database URL nothing listens on.
"""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

EXAMPLE_OUTPUT = "first_contact: 2025-04-25\nsupport: 2025-05-14\ninvestigation: 2025-05-28\n"
LATE_UTC_OUTPUT = "first_contact: 2025-04-28\nsupport: 2025-05-15\ninvestigation: 2025-05-29\n"


def deadline(*args: str) -> str:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


def wijk_process(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "WIJK_LIBERATION_DAY_EVERY_YEAR"}
    }
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    wijk = Path(sys.executable).with_name("wijk")
    return subprocess.run([str(wijk), *args], capture_output=True, text=True, env=env, check=False)


def test_example_moment_prints_the_three_deadlines() -> None:
    # Wed 16/4/2025 (before Easter): Thu 17 d1, Fri 18 Goede Vrijdag, Mon 21 tweede Paasdag,
    # Tue 22 d2, Wed 23 d3, Thu 24 d4, Fri 25/4 d5. Support: 16/4 + 28 days = Wed 14/5.
    # Investigation: 16/4 + 42 days = Wed 28/5.
    assert deadline("2025-04-16T10:30") == EXAMPLE_OUTPUT


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Same instant as the example, written with its summer-time offset.
        ("2025-04-16T10:30+02:00", EXAMPLE_OUTPUT),
        # 23:30 UTC is 01:30 on Thu 17/4 in Amsterdam: Tue 22 d1, Wed 23 d2, Thu 24 d3, Fri 25 d4,
        # Mon 28/4 d5; support 17/4 + 28 = 15/5; investigation 17/4 + 42 = 29/5.
        ("2025-04-16T23:30Z", LATE_UTC_OUTPUT),
        ("2025-04-16T23:30+00:00", LATE_UTC_OUTPUT),
        # Without an offset 23:30 is Amsterdam time, still Wednesday.
        ("2025-04-16T23:30", EXAMPLE_OUTPUT),
    ],
)
def test_an_offset_is_honoured_and_no_offset_means_amsterdam(moment: str, expected: str) -> None:
    assert deadline(moment) == expected


def test_liberation_day_lustrum_only_flag(settings) -> None:
    settings.WIJK_LIBERATION_DAY_EVERY_YEAR = True
    # Tue 28/4/2026: Wed 29 d1, Thu 30 d2, Fri 1/5 d3, Mon 4 d4, Tue 5/5 (2026 is no lustrum year)
    # is d5 with the flag; without it Tue 5/5 is a holiday and d5 is Wed 6/5.
    # The support and investigation deadlines are calendar days: the flag changes neither.
    assert deadline("2026-04-28T10:00") == (
        "first_contact: 2026-05-06\nsupport: 2026-05-26\ninvestigation: 2026-06-09\n"
    )
    assert deadline("2026-04-28T10:00", "--liberation-day-lustrum-only") == (
        "first_contact: 2026-05-05\nsupport: 2026-05-26\ninvestigation: 2026-06-09\n"
    )


@pytest.mark.parametrize("moment", ["2025-13-01", "gisteren", "", "2025-04-16T25:00", "16-04-2025"])
def test_a_malformed_moment_exits_2_naming_the_format(moment: str) -> None:
    with pytest.raises(CommandError, match="Expected YYYY-MM-DDTHH:MM") as exc:
        deadline(moment)
    assert exc.value.returncode == 2


def test_process_prints_the_example_without_a_database_url() -> None:
    result = wijk_process("deadline", "2025-04-16T10:30")
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXAMPLE_OUTPUT


def test_process_honours_an_offset_without_touching_the_database() -> None:
    # Port 9 on loopback: any attempt to connect fails, so a zero exit proves no database access.
    result = wijk_process(
        "deadline", "2025-04-16T23:30Z", database_url="postgres://wijk@127.0.0.1:9/unreachable"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == LATE_UTC_OUTPUT


def test_process_exits_2_with_one_line_on_stderr_for_a_malformed_moment() -> None:
    result = wijk_process("deadline", "gisteren")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "'gisteren'" in lines[0]
    assert "YYYY-MM-DDTHH:MM" in lines[0]
