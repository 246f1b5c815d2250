"""The demo path as `make demo` runs it: seed a small city, create the demo accounts, log in
through the real forms with the printed password and a TOTP code, and open the main pages.
Marked `demo`: `make test` also runs it on the embedded SQLite database."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.residents.models import Resident

pytestmark = [pytest.mark.demo, pytest.mark.django_db]

AS_OF = "2026-06-01"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def log_in(username: str, password: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response["Location"] == reverse("accounts:verify")
    code = run("demo_totp", username).strip()
    assert re.fullmatch(r"\d{6}", code)
    response = client.post(reverse("accounts:verify"), {"token": code})
    assert response["Location"] == reverse("core:home")
    return client


def test_demo_city_accounts_and_main_pages() -> None:
    # The city of `make demo` (on a fixed date, so that the same rows are open every day).
    run("seed", "--scale", "0.05", "--years", "2", "--seed", "1", "--as-of", AS_OF, "--no-progress")
    printed = run("demo_accounts")
    again = run("demo_accounts")  # running the demo twice works and shows the same accounts
    assert printed == again
    accounts = dict(re.findall(r"^\s+\S+\s+(demo-\S+)\s+(\S+)\s+TOTP key", printed, re.M))
    assert set(accounts) == {f"demo-{role.value.replace('_', '-')}" for role in Role}

    professional = log_in("demo-professional", accounts["demo-professional"])
    assert professional.get(reverse("core:home")).status_code == 200
    caseload = re.search(r"demo-professional has (\d+) open requests", printed)
    assert caseload is not None and int(caseload.group(1)) > 0
    worklist = professional.get(reverse("requests:worklist"))  # their own, not the team's
    assert worklist.context["worklist"].count == int(caseload.group(1))
    resident = Resident.objects.filter(address__buurt__wijk__code="WK039201").first()
    assert resident is not None, "the demo city has residents in the demo team's wijk"
    found = professional.post(reverse("residents:search"), {"postcode": resident.address.postcode})
    assert resident.full_name in found.content.decode()
    page = professional.get(reverse("residents:detail", args=[resident.pk]))
    assert page.status_code == 200
    assert professional.get(reverse("residents:access_log", args=[resident.pk])).status_code == 200

    administrator = log_in("demo-administrator", accounts["demo-administrator"])
    for name in ("accounts:user_list", "areas:wijk_list", "reference:list_index"):
        assert administrator.get(reverse(name)).status_code == 200, name

    municipality = log_in("demo-municipality", accounts["demo-municipality"])
    assert municipality.get(reverse("residents:detail", args=[resident.pk])).status_code == 404
