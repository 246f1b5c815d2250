"""The plan's other forms sent twice (a double click, a browser that sends the POST again):
starting the plan, saving a version, changing the coordinator, signing and ending make one
plan, version, change, signature or end, and the second sending leads to what the first made
with the message that says so — not to "the household has a plan already", "changed
meanwhile", "signed already" or a 404 (wijk.core.submissions, ADR 0043). A save of another
person made meanwhile is still refused (ADR 0034)."""

from __future__ import annotations

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.core.tests.sent_forms import submission_key
from wijk.plans.models import (
    PlanCoordinatorChange,
    PlanStatusChange,
    PlanVersion,
    Signature,
    SupportPlan,
)
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.workflow import PlanStatus
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = pytest.mark.django_db

ALREADY_SENT = "U had dit formulier al verstuurd. Het is één keer opgeslagen."
CHANGED_MEANWHILE = "Iemand anders heeft dit plan intussen veranderd (versie 2)"


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")


@pytest.fixture
def colleague(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Kees", last_name="Visser")


@pytest.fixture
def plan(professional, team):
    """A draft plan with version 1, coordinated by the professional."""
    return SupportPlanFactory(team=team, coordinator=professional, created_by=professional)


def _text(response) -> str:
    return unescape(response.content.decode())


def _led_there_with_the_message(client, response, url: str) -> None:
    assert response.status_code == 302, _text(response)
    assert response["Location"] == url
    assert ALREADY_SENT in _text(client.get(url))


def edit_form(key: str, *, based_on: int = 1, **changes: Any) -> dict[str, Any]:
    return {
        "submission_key": key,
        "based_on": based_on,
        "goal_rows": 3,
        "goal_1": "Mevrouw opent zelf haar post.",
        "result_1": "Geen aanmaningen meer.",
        "own_strength": "Haar zus komt elke week langs.",
        "solution": "Budgetcoaching door het wijkteam.",
        "perspective": "Mevrouw regelt haar geld zelf.",
        **changes,
    }


# -- starting ----------------------------------------------------------------------------------


def test_starting_a_plan_twice_starts_one_and_leads_to_it(client_for, professional, team) -> None:
    resident = HouseholdMembershipFactory().resident
    client = client_for(professional)
    url = reverse("plans:start") + f"?inwoner={resident.pk}"
    data = {
        "submission_key": submission_key(client.get(url)),
        "team": team.pk,
        "kind": "staff",
        "coordinator": professional.pk,
    }

    first = client.post(url, data)
    second = client.post(url, data)

    plan = SupportPlan.objects.get()
    assert first["Location"] == reverse("plans:edit", args=[plan.pk])
    _led_there_with_the_message(client, second, reverse("plans:edit", args=[plan.pk]))


# -- saving a version --------------------------------------------------------------------------


def test_saving_a_version_twice_saves_one_and_is_not_changed_meanwhile(
    client_for, professional, plan
) -> None:
    client = client_for(professional)
    url = reverse("plans:edit", args=[plan.pk])
    data = edit_form(submission_key(client.get(url)))

    assert client.post(url, data).status_code == 302
    second = client.post(url, data)

    _led_there_with_the_message(client, second, reverse("plans:detail", args=[plan.pk]))
    assert CHANGED_MEANWHILE not in _text(client.get(reverse("plans:detail", args=[plan.pk])))
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_version_saved_twice_at_the_same_moment_is_saved_once(
    client_for, professional, plan
) -> None:
    """Two requests of one form at once (a double click): the second waits on the key, not
    on the plan, and then leads to the version the first saved."""
    clients = [client_for(professional), client_for(professional)]
    url = reverse("plans:edit", args=[plan.pk])
    data = edit_form(submission_key(clients[0].get(url)))
    start = threading.Barrier(2)

    def send(number: int) -> tuple[int, str]:
        try:
            start.wait()
            response = clients[number].post(url, data)
            return response.status_code, response.get("Location", "")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(send, range(2)))

    assert results == [(302, reverse("plans:detail", args=[plan.pk]))] * 2
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_the_same_form_sent_again_with_other_text_is_not_lost(
    client_for, professional, plan
) -> None:
    """The user went back after saving and changed the text, without reloading (the same
    key): that is no double click. It is refused as before, showing what was saved, and the
    new text stays in the form; saved then, it is a version of its own."""
    client = client_for(professional)
    url = reverse("plans:edit", args=[plan.pk])
    key = submission_key(client.get(url))
    assert client.post(url, edit_form(key, perspective="Zonder schulden.")).status_code == 302

    response = client.post(url, edit_form(key, perspective="Zelfstandig wonen."))

    assert response.status_code == 400
    page = _text(response)
    assert CHANGED_MEANWHILE in page and ALREADY_SENT not in page
    assert "Zelfstandig wonen.</textarea>" in page
    assert PlanVersion.objects.filter(plan=plan).count() == 2
    again = client.post(url, edit_form(key, based_on=2, perspective="Zelfstandig wonen."))
    assert again.status_code == 302
    plan.refresh_from_db()
    assert (plan.current.number, plan.current.perspective) == (3, "Zelfstandig wonen.")


def test_a_save_by_another_person_meanwhile_is_still_refused(
    client_for, professional, colleague, plan
) -> None:
    """Both open the plan at version 1; the professional saves. The colleague's save is
    refused as a change made meanwhile — with the colleague's own key, and equally with the
    professional's key copied: a key leads only its own user to what they made."""
    first, second = client_for(professional), client_for(colleague)
    url = reverse("plans:edit", args=[plan.pk])
    own_key, colleagues_key = submission_key(first.get(url)), submission_key(second.get(url))
    assert first.post(url, edit_form(own_key, perspective="Zonder schulden.")).status_code == 302

    for key in (colleagues_key, own_key):
        response = second.post(url, edit_form(key, perspective="Zelfstandig wonen."))

        assert response.status_code == 400
        page = _text(response)
        assert CHANGED_MEANWHILE in page
        assert ALREADY_SENT not in page
        assert "Zelfstandig wonen.</textarea>" in page  # the colleague's text is kept
    plan.refresh_from_db()
    assert plan.current.number == 2
    assert plan.current.perspective == "Zonder schulden."

    # Sent again knowingly, on top of version 2, the colleague's save is made.
    again = second.post(url, edit_form(colleagues_key, based_on=2, perspective="Zelfstandig."))
    assert again.status_code == 302
    plan.refresh_from_db()
    assert (plan.current.number, plan.current.perspective) == (3, "Zelfstandig.")


# -- the coordinator ---------------------------------------------------------------------------


def test_changing_the_coordinator_twice_changes_it_once(
    client_for, professional, colleague, plan
) -> None:
    """The coordinator hands the plan to a colleague; the second sending comes from someone
    who is no longer its coordinator, and still leads to the plan, not to a 404."""
    client = client_for(professional)
    url = reverse("plans:coordinator", args=[plan.pk])
    page = _text(client.get(url))
    expected = PlanCoordinatorChange.objects.get(plan=plan).pk
    assert f'name="expected" value="{expected}"' in page
    data = {
        "submission_key": submission_key(client.get(url)),
        "expected": expected,
        "kind": "staff",
        "coordinator": colleague.pk,
        "reason": "Fatima gaat met verlof.",
    }

    assert client.post(url, data).status_code == 302
    second = client.post(url, data)

    _led_there_with_the_message(client, second, reverse("plans:detail", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.coordinator == colleague
    assert PlanCoordinatorChange.objects.filter(plan=plan).count() == 2


# -- signing -----------------------------------------------------------------------------------


def test_signing_twice_signs_once_and_leads_to_the_plan(client_for, professional, plan) -> None:
    client = client_for(professional)
    url = reverse("plans:version_sign", args=[plan.pk, 1]) + "?wijze=typed"
    today = timezone.localdate()
    data = {
        "submission_key": submission_key(client.get(url)),
        "method": "typed",
        "signer": str(plan.resident_id),
        "signer_name": "Anna de Vries",
        "confirmed": "on",
        "signed_on": today.isoformat(),
        "next_evaluation_on": (today + datetime.timedelta(days=90)).isoformat(),
    }

    assert client.post(url, data).status_code == 302
    second = client.post(url, data)

    _led_there_with_the_message(client, second, reverse("plans:detail", args=[plan.pk]))
    assert Signature.objects.filter(version__plan=plan).count() == 1
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    assert plan.status_changes.count() == 2  # draft, active: not twice


# -- ending ------------------------------------------------------------------------------------


def test_ending_a_plan_twice_ends_it_once_and_leads_to_the_plan(
    client_for, professional, team
) -> None:
    plan = SupportPlanFactory(
        team=team, coordinator=professional, created_by=professional, status=PlanStatus.ACTIVE
    )
    client = client_for(professional)
    url = reverse("plans:end", args=[plan.pk])
    data = {
        "submission_key": submission_key(client.get(url)),
        "ended_on": timezone.localdate().isoformat(),
        "reason": "goals_reached",
        "explanation": "Mevrouw regelt haar post nu zelf.",
        "perspective_reached": "yes",
    }

    assert client.post(url, data).status_code == 302
    second = client.post(url, data)

    _led_there_with_the_message(client, second, reverse("plans:detail", args=[plan.pk]))
    assert PlanStatusChange.objects.filter(plan=plan, status=PlanStatus.ENDED).count() == 1


def test_an_ended_plan_is_not_found_on_its_ending_page_by_a_new_form(
    client_for, professional, team
) -> None:
    """Only the form that ended it leads on: another ending form sent afterwards is the 404
    it always was."""
    plan = SupportPlanFactory(
        team=team, coordinator=professional, created_by=professional, status=PlanStatus.ACTIVE
    )
    client = client_for(professional)
    url = reverse("plans:end", args=[plan.pk])
    shown = [submission_key(client.get(url)), submission_key(client.get(url))]
    data = {"ended_on": timezone.localdate().isoformat(), "reason": "moved"}

    assert client.post(url, {**data, "submission_key": shown[0]}).status_code == 302
    assert client.post(url, {**data, "submission_key": shown[1]}).status_code == 404
