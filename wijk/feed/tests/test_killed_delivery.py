"""A delivery killed halfway, as it happens in production: a real `wijk export` process,
stopped with SIGKILL in the middle of writing a table. Nothing is visible afterwards, and the
rerun writes the same bytes as a run that was never interrupted."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from wijk.feed.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DAY = "2026-12-07"


def _environment(**extra: str) -> dict[str, str]:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the CLI process needs a shared database")
    database = connection.settings_dict
    environment = dict(os.environ)
    environment["DATABASE_URL"] = (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )
    environment.pop("WIJK_FEED_PAUSE_AFTER_ROWS", None)
    return environment | extra


def _export(out: Path, **extra: str) -> subprocess.Popen[str]:
    wijk = Path(sys.executable).with_name("wijk")
    return subprocess.Popen(
        [str(wijk), "export", "--out", str(out), "--day", DAY, "--since", "2026-12-01"],
        env=_environment(**extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finished(process: subprocess.Popen[str]) -> None:
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr


def _hashes(directory: Path) -> dict[str, str]:
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def test_a_killed_delivery_leaves_nothing_visible_and_the_rerun_gives_the_same_bytes(
    tmp_path: Path,
) -> None:
    uninterrupted, interrupted = tmp_path / "uninterrupted", tmp_path / "interrupted"
    _finished(_export(uninterrupted))

    process = _export(interrupted, WIJK_FEED_PAUSE_AFTER_ROWS="5")
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("delivery paused after 5 rows"):
            break
    else:
        pytest.fail(f"the export ended without pausing: {process.wait()}")
    # Halfway: the temporary directory holds part of the files.
    (temporary,) = [path for path in interrupted.iterdir() if path.is_dir()]
    assert temporary.name.startswith(".") and any(temporary.rglob("*.csv"))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    process.stdout.close()  # type: ignore[union-attr]
    process.stderr.close()

    assert not [path for path in interrupted.iterdir() if not path.name.startswith(".")]
    killed = Delivery.objects.get(directory=str(interrupted.resolve()))
    assert killed.status == DeliveryStatus.RUNNING  # killed: it could not say otherwise

    _finished(_export(interrupted))
    assert sorted(path.name for path in interrupted.iterdir()) == [".levering.lock", DAY]
    assert _hashes(interrupted / DAY) == _hashes(uninterrupted / DAY)
    rerun = Delivery.objects.get(directory=str(interrupted.resolve()))
    assert rerun.pk == killed.pk
    assert rerun.status == DeliveryStatus.SUCCEEDED and rerun.attempts == 2
