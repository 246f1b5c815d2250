"""The pgb (seed 002 §5.2) through the pages: a request with a pgb plan goes to the desk,
the decision with its amount comes back on the file, and a granted pgb is evaluated at least
once every two years (ADR 0040)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.core.worklist import WorkPart
from wijk.decisions.deadlines import (
    pgb_evaluation_limit,
    pgb_evaluation_suggested,
    pgb_first_evaluation,
)
from wijk.decisions.forms import euro_parse
from wijk.decisions.models import DecisionCase, PgbEvaluation
from wijk.decisions.selectors import pgb_evaluations_due_for_user
from wijk.decisions.tests.conftest import decide, placed, request_pgb
from wijk.decisions.workflow import DecisionKind, DecisionStatus
from wijk.letters.models import LetterKind
from wijk.trajectories.tests.conftest import verified

pytestmark = pytest.mark.django_db


def _granted(desk, case, *, starts_on, amount="4.800,00", ends_on=None):
    data = {
        "outcome": "granted",
        "decided_on": timezone.localdate().isoformat(),
        "reference": "PGB-2026-7",
        "starts_on": starts_on.isoformat(),
        "amount": amount,
    }
    if ends_on is not None:
        data["ends_on"] = ends_on.isoformat()
    return decide(desk, case, **data)


def test_a_pgb_goes_to_the_desk_and_comes_back_on_the_file(plan, professional, officer, client_for):
    team_client, desk = client_for(professional), client_for(officer)
    case = placed(request_pgb(team_client, plan))
    assert case.kind == DecisionKind.PGB
    assert case.amount_requested == Decimal("4800.00")
    assert case.draft_letter.kind == LetterKind.PGB_DECISION
    page = desk.get(reverse("decisions:desk_case", args=[case.pk])).content.decode()
    assert "Begeleiding door de buurvrouw" in page
    start = timezone.localdate()
    response = _granted(desk, case, starts_on=start, amount="€ 4.750,50")
    assert response.status_code == 302, response.content.decode()
    case.refresh_from_db()
    assert case.amount == Decimal("4750.50")
    assert case.next_evaluation_on == pgb_evaluation_suggested(start)
    assert case.next_evaluation_on <= pgb_evaluation_limit(start)
    plan_page = team_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "PGB-2026-7" in plan_page and "4.750,50" in plan_page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "kan niet lager zijn dan 0"),
        ("1e9", "bijvoorbeeld 1.234,56"),
        ("1234.56", "bijvoorbeeld 1.234,56"),
        ("12,345", "bijvoorbeeld 1.234,56"),
        ("99999999999", "te hoog"),
        ("٣٣", "bijvoorbeeld 1.234,56"),
        ("NaN", "bijvoorbeeld 1.234,56"),
    ],
)
def test_hostile_amounts_get_a_clear_message(
    typed, message, plan, professional, officer, client_for
):
    case = placed(request_pgb(client_for(professional), plan))
    response = _granted(client_for(officer), case, starts_on=timezone.localdate(), amount=typed)
    assert response.status_code == 400
    assert message in response.content.decode()
    case.refresh_from_db()
    assert case.status == DecisionStatus.PLACED and case.amount is None
    response = request_pgb(client_for(professional), plan, amount_requested=typed)
    assert response.status_code == 400 and message in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.234,56", Decimal("1234.56")),
        ("1234,5", Decimal("1234.50")),
        ("€ 12.345", Decimal("12345.00")),
        ("0", Decimal("0.00")),
        ("9.999.999,99", Decimal("9999999.99")),
        ("1.23", None),
        ("1,234.56", None),
        ("+5", None),
        ("", None),
    ],
)
def test_dutch_amounts_are_read(typed, amount):
    assert euro_parse(typed) == amount


def test_an_amount_belongs_to_a_pgb_only(plan, professional, officer, client_for):
    from wijk.decisions.tests.conftest import place

    case = placed(place(client_for(professional), plan))
    response = _granted(client_for(officer), case, starts_on=timezone.localdate())
    # The form of a case that is not a pgb has no amount field: what is posted is ignored.
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.amount is None and case.next_evaluation_on is None


def test_a_refused_pgb_has_no_amount_and_no_evaluation(plan, professional, officer, client_for):
    case = placed(request_pgb(client_for(professional), plan))
    desk = client_for(officer)
    today = timezone.localdate().isoformat()
    response = decide(
        desk, case, outcome="refused", decided_on=today, reference="PGB-9", amount="100"
    )
    assert response.status_code == 400 and "Bij een afwijzing hoort geen bedrag" in (
        response.content.decode()
    )
    response = decide(desk, case, outcome="refused", decided_on=today, reference="PGB-9")
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.outcome, case.amount, case.next_evaluation_on) == ("refused", None, None)
    assert (
        client_for(professional)
        .get(reverse("decisions:pgb_evaluation", args=[case.pk]))
        .status_code
        == 404
    )


def test_the_pgb_is_evaluated_at_least_every_two_years(plan, professional, officer, client_for):
    team_client = client_for(professional)
    case = placed(request_pgb(team_client, plan))
    start = timezone.localdate() - datetime.timedelta(days=30)
    assert _granted(client_for(officer), case, starts_on=start).status_code == 302
    url = reverse("decisions:pgb_evaluation", args=[case.pk])
    held = timezone.localdate()
    too_late = pgb_evaluation_limit(held) + datetime.timedelta(days=1)
    response = team_client.post(
        url,
        {
            "held_on": held.isoformat(),
            "outcome": "Gaat goed.",
            "next_evaluation_on": too_late.isoformat(),
        },
    )
    assert response.status_code == 400
    assert "minstens één keer in de twee jaar" in response.content.decode()
    assert not PgbEvaluation.objects.exists()
    response = team_client.post(
        url,
        {
            "held_on": held.isoformat(),
            "outcome": "Gaat goed.",
            "next_evaluation_on": pgb_evaluation_limit(held).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()
    case.refresh_from_db()
    assert case.next_evaluation_on == pgb_evaluation_limit(held)
    assert PgbEvaluation.objects.get().by == professional


def test_a_pgb_evaluation_due_is_on_the_worklist(plan, professional, officer, client_for):
    case = placed(request_pgb(client_for(professional), plan))
    today = timezone.localdate()
    start = today - datetime.timedelta(days=2 * 365 - 10)  # due within PGB_WORKLIST_DAYS
    assert _granted(client_for(officer), case, starts_on=start).status_code == 302
    part = pgb_evaluations_due_for_user(
        user=verified(professional), scope="mine", today=today, limit=10
    )
    assert isinstance(part, WorkPart)
    assert [item.ref for item in part.items] == [f"decisions.decisioncase:{case.pk}"]
    early = pgb_evaluations_due_for_user(
        user=professional, scope="mine", today=start + datetime.timedelta(days=30), limit=10
    )
    assert not early.items
    body = client_for(professional).get(reverse("core:work")).content.decode()
    assert "Evaluatie van het pgb" in body


@pytest.mark.parametrize(
    ("since", "limit", "suggested"),
    [
        # 29 February: two years later is 28 February; in 2026 that is a Saturday.
        (datetime.date(2024, 2, 29), datetime.date(2026, 2, 28), datetime.date(2026, 2, 27)),
        # Christmas: 25 and 26 December are holidays, so the day before them.
        (datetime.date(2025, 12, 26), datetime.date(2027, 12, 26), datetime.date(2027, 12, 24)),
        # King's Day 2028 (27 April, a Thursday): the working day before.
        (datetime.date(2026, 4, 27), datetime.date(2028, 4, 27), datetime.date(2028, 4, 26)),
        # An ordinary Tuesday stays.
        (datetime.date(2026, 3, 3), datetime.date(2028, 3, 3), datetime.date(2028, 3, 3)),
    ],
)
def test_the_two_year_limit_is_never_passed(since, limit, suggested):
    assert pgb_evaluation_limit(since) == limit
    assert pgb_evaluation_suggested(since) == suggested
    assert pgb_evaluation_suggested(since) <= limit


def test_a_pgb_ending_sooner_is_evaluated_at_its_end():
    start = datetime.date(2026, 3, 3)
    end = datetime.date(2027, 1, 1)
    assert pgb_first_evaluation(starts_on=start, ends_on=end) == end
    assert pgb_first_evaluation(starts_on=start, ends_on=None) == datetime.date(2028, 3, 3)


def test_the_database_refuses_a_granted_pgb_without_an_amount(plan, professional, client_for):
    from django.db import IntegrityError, transaction

    case = placed(request_pgb(client_for(professional), plan))
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionCase.objects.filter(pk=case.pk).update(
            status="decided",
            outcome="granted",
            decided_on=timezone.localdate(),
            decided_by=professional,
            reference="X",
            starts_on=timezone.localdate(),
        )
