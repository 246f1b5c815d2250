"""`wijk audit verify` as operators run it: a real process, exit status and message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _wijk(*args: str) -> subprocess.CompletedProcess[str]:
    from django.conf import settings
    from django.db import connection

    env = dict(os.environ)
    env["WIJK_AUDIT_ANCHOR_DIR"] = settings.WIJK_AUDIT_ANCHOR_DIR
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
        )
    else:
        pytest.skip("the CLI process needs a shared database file")
    wijk = Path(sys.executable).with_name("wijk")
    return subprocess.run([str(wijk), *args], capture_output=True, text=True, env=env, check=False)


def test_verify_exits_non_zero_on_a_tampered_log(make_user) -> None:
    from django.db import connection

    from wijk.core.audit import access_log_record
    from wijk.core.models import AccessEvent, AccessLogEntry

    user = make_user()
    for resident_id in (1, 2):
        access_log_record(actor=user, event=AccessEvent.READ, resident_id=resident_id)
    ok = _wijk("audit", "verify")
    assert ok.returncode == 0, ok.stderr
    assert "2 entries checked" in ok.stdout
    first = AccessLogEntry.objects.order_by("id").first()
    assert first is not None
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_accesslogentry DISABLE TRIGGER USER")
        cursor.execute("UPDATE core_accesslogentry SET reason = 'x' WHERE id = %s", [first.pk])
        cursor.execute("ALTER TABLE core_accesslogentry ENABLE TRIGGER USER")
    broken = _wijk("audit", "verify")
    assert broken.returncode == 1
    assert f"entry {first.pk}" in broken.stderr


def test_verify_names_the_anchor_of_a_cut_off_tail(make_user, audit_anchor_dir) -> None:
    """An attacker who removes the newest entries and sets the head back (both guards
    switched off) leaves a whole chain; the anchor written outside the database does not."""
    from django.db import connection

    from wijk.core.audit import access_log_record
    from wijk.core.models import AccessEvent, AccessLogEntry

    user = make_user()
    for resident_id in (1, 2, 3):
        access_log_record(actor=user, event=AccessEvent.READ, resident_id=resident_id)
    anchored = _wijk("audit", "anchor")
    assert anchored.returncode == 0, anchored.stderr
    (anchor,) = audit_anchor_dir.glob("anchor-*.json")
    first, *rest = AccessLogEntry.objects.order_by("id")
    assert f"Anchored entry {rest[-1].pk}" in anchored.stdout
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_accesslogentry DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE core_accessloghead DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM core_accesslogentry WHERE id > %s", [first.pk])
        cursor.execute("UPDATE core_accessloghead SET entry_hash = %s", [first.entry_hash])
        cursor.execute("ALTER TABLE core_accesslogentry ENABLE TRIGGER USER")
        cursor.execute("ALTER TABLE core_accessloghead ENABLE TRIGGER USER")
    broken = _wijk("audit", "verify")
    assert broken.returncode == 1
    assert f"anchor {anchor.name} names entry {rest[-1].pk}" in broken.stderr
