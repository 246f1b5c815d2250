"""The municipality's decision desk, through its pages (ADR 0040): the consortium places a
case, the desk reads exactly the three documents of it and records the decision, the plan's
team sees the outcome; the desk reaches nothing else, and every access is logged."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.accounts.roles import APPROVAL_ROLES, gate_for
from wijk.core.models import AccessLogEntry, AccessOutcome
from wijk.decisions.models import DecisionCase
from wijk.decisions.tests.conftest import DRAFT, decide, pdf_text, place, placed
from wijk.decisions.workflow import DecisionStatus
from wijk.letters.models import Letter, LetterKind
from wijk.letters.services import letter_produce
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.tests.signatures import add_version, sign_directly
from wijk.plans.workflow import PlanStatus
from wijk.trajectories.tests.conftest import verified

pytestmark = pytest.mark.django_db


def _entries(user, outcome=AccessOutcome.SUCCESS):
    return list(AccessLogEntry.objects.filter(user_id=user.pk, outcome=outcome).order_by("pk"))


def _touched(user) -> set[str]:
    return {ref for entry in _entries(user) for ref in entry.objects_touched}


def test_placed_decided_and_seen_through_the_pages(plan, professional, officer, client_for):
    team_client, desk_client = client_for(professional), client_for(officer)
    case = placed(place(team_client, plan))
    assert case.status == DecisionStatus.PLACED
    assert case.version_id == plan.current_id
    letter = case.draft_letter
    assert letter is not None and letter.kind == LetterKind.DRAFT_DECISION

    queue = desk_client.get(reverse("decisions:queue")).content.decode()
    assert reverse("decisions:desk_case", args=[case.pk]) in queue
    page = desk_client.get(reverse("decisions:desk_case", args=[case.pk])).content.decode()
    assert "twee uur begeleiding per week" in page
    assert plan.current.goals.first().goal in page  # the signed version's parts
    assert "Ondertekening" in page
    draft = desk_client.get(reverse("decisions:desk_draft", args=[case.pk]))
    assert draft.status_code == 200 and draft["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(draft.streaming_content) if draft.streaming else draft.content)
    assert "Concept van het besluit" in text and "zes weken" in text

    today = timezone.localdate()
    response = decide(
        desk_client,
        case,
        outcome="granted",
        decided_on=today.isoformat(),
        reference="WMO/2026/0042",
        starts_on=today.isoformat(),
        ends_on=(today + datetime.timedelta(days=365)).isoformat(),
    )
    assert response.status_code == 302, response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.outcome, case.decided_by) == ("decided", "granted", officer)

    plan_page = team_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "WMO/2026/0042" in plan_page and "Toegekend" in plan_page
    work = team_client.get(reverse("core:work")).content.decode()
    assert reverse("decisions:case", args=[case.pk]) in work
    timeline = team_client.get(reverse("residents:detail", args=[plan.resident_id]))
    assert reverse("decisions:case", args=[case.pk]) in timeline.content.decode()

    team_client.post(reverse("decisions:case", args=[case.pk]), {"actie": "gezien"})
    case.refresh_from_db()
    assert case.status == DecisionStatus.SEEN
    work = team_client.get(reverse("core:work")).content.decode()
    assert reverse("decisions:case", args=[case.pk]) not in work


def test_the_case_names_the_exact_signed_version_not_a_newer_draft(
    plan, professional, officer, client_for
):
    signed = plan.current
    add_version(plan, own_strength="Een nieuwe tekst die nog niet is ondertekend.")
    case = placed(place(client_for(professional), plan))
    assert case.version_id == signed.pk
    page = client_for(officer).get(reverse("decisions:desk_case", args=[case.pk]))
    assert "nog niet is ondertekend" not in page.content.decode()


def test_an_unsigned_plan_cannot_be_placed(team, professional, client_for):
    draft_plan = SupportPlanFactory(team=team, coordinator=professional)
    client = client_for(professional)
    page = client.get(reverse("decisions:place", args=[draft_plan.pk])).content.decode()
    assert "nog niet ondertekend" in page
    place(client, draft_plan)
    assert not DecisionCase.objects.exists()


def test_a_second_case_of_the_same_kind_waits_for_the_first(plan, professional, client_for):
    client = client_for(professional)
    first = placed(place(client, plan))
    response = place(client, plan)
    assert response.status_code == 400
    assert f"Zaak {first.pk} van deze soort ligt al bij de gemeente" in response.content.decode()
    assert DecisionCase.objects.count() == 1


def test_the_desk_reaches_nothing_of_the_resident_outside_the_case(
    plan, professional, officer, client_for
):
    case = placed(place(client_for(professional), plan))
    other_letter = letter_produce(
        actor=verified(professional),
        resident=plan.resident,
        kind=LetterKind.PLAN_SUMMARY,
        template="letters/letter.html",
        context={},
        source=plan.current,
        team=plan.team,
    )
    desk = client_for(officer)
    for url in (
        reverse("residents:detail", args=[plan.resident_id]),
        reverse("residents:access_log", args=[plan.resident_id]),
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:versions", args=[plan.pk]),
        reverse("letters:file", args=[case.draft_letter_id]),
        reverse("letters:file", args=[other_letter.pk]),
        reverse("decisions:case", args=[case.pk]),  # the consortium's page of the case
        reverse("decisions:desk_case", args=[case.pk + 1000]),
        reverse("decisions:desk_draft", args=[case.pk + 1000]),
        reverse("core:work"),
        reverse("residents:search"),
    ):
        assert desk.get(url).status_code == 404, url
    refused = _entries(officer, AccessOutcome.REFUSED)
    assert any(f"decisions.decisioncase:{case.pk + 1000}" in e.objects_touched for e in refused)


def test_nobody_in_the_consortium_records_the_decision(
    plan, professional, make_user, team, client_for
):
    case = placed(place(client_for(professional), plan))
    lead = make_user(Role.TEAM_LEAD, teams=[team])
    for user in (professional, lead, make_user(Role.MUNICIPALITY), make_user(Role.ADMINISTRATOR)):
        client = client_for(user)
        assert client.get(reverse("decisions:desk_case", args=[case.pk])).status_code == 404
        response = decide(
            client,
            case,
            outcome="granted",
            decided_on=timezone.localdate().isoformat(),
            reference="X-1",
            starts_on=timezone.localdate().isoformat(),
        )
        assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == DecisionStatus.PLACED and case.outcome == ""


def test_the_desk_places_nothing(plan, officer, client_for):
    desk = client_for(officer)
    assert place(desk, plan).status_code == 404
    assert not DecisionCase.objects.exists()


def test_every_desk_access_is_in_the_access_log(plan, professional, officer, client_for):
    case = placed(place(client_for(professional), plan))
    desk = client_for(officer)
    before = len(_entries(officer))
    desk.get(reverse("decisions:queue"))
    desk.get(reverse("decisions:desk_case", args=[case.pk]))
    desk.get(reverse("decisions:desk_draft", args=[case.pk]))
    entries = _entries(officer)
    assert len(entries) >= before + 3
    touched = _touched(officer)
    signature = plan.current.signature
    for ref in (
        f"decisions.decisioncase:{case.pk}",
        f"residents.resident:{plan.resident_id}",
        f"plans.planversion:{plan.current_id}",
        f"plans.signature:{signature.pk}",
        f"letters.letter:{case.draft_letter_id}",
    ):
        assert ref in touched, ref
    assert all(e.role == Role.MUNICIPALITY_DECISIONS for e in entries)


def test_the_decision_is_refused_with_a_message_when_incomplete(
    plan, professional, officer, client_for
):
    case = placed(place(client_for(professional), plan))
    desk = client_for(officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = decide(desk, case, outcome="granted", decided_on=tomorrow.isoformat(), reference="")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kenmerk van de gemeente" in body
    case.refresh_from_db()
    assert case.status == DecisionStatus.PLACED


def test_the_role_waits_for_a_second_person(make_user, client_for):
    assert Role.MUNICIPALITY_DECISIONS in APPROVAL_ROLES
    waiting = make_user(Role.MUNICIPALITY_DECISIONS, role_approved=False)
    waiting.is_verified = lambda: True
    assert not gate_for(waiting).decision_desk
    assert client_for(waiting).get(reverse("decisions:queue")).status_code == 404


def test_a_plan_of_another_team_cannot_be_placed(plan, make_user, client_for):
    from wijk.organisations.tests.factories import TeamFactory

    outsider = make_user(Role.PROFESSIONAL, teams=[TeamFactory()])
    assert place(client_for(outsider), plan).status_code == 404
    assert not DecisionCase.objects.exists()


def test_the_draft_letter_is_on_the_residents_file(plan, professional, client_for):
    case = placed(place(client_for(professional), plan, kind="objection"))
    letters = Letter.objects.filter(resident=plan.resident, kind=LetterKind.DRAFT_DECISION)
    assert list(letters) == [case.draft_letter]
    assert PlanStatus(plan.status) == PlanStatus.ACTIVE
    assert DRAFT.splitlines()[0] in case.draft_text


def test_an_ended_plans_signed_version_is_not_placed(team, professional, client_for):
    ended = SupportPlanFactory(team=team, coordinator=professional)
    sign_directly(ended, witness=professional)
    ended.status = PlanStatus.ENDED
    ended.ended_on = timezone.localdate()
    ended.save(update_fields=["status", "ended_on"])
    assert place(client_for(professional), ended).status_code == 400
    assert not DecisionCase.objects.exists()


def test_the_desks_start_shows_its_queue_and_nothing_else(plan, professional, officer, client_for):
    placed(place(client_for(professional), plan))
    body = client_for(officer).get(reverse("core:home")).content.decode()
    assert "Zaken die wachten op een besluit" in body
    assert f'href="{reverse("decisions:queue")}"' in body
    for absent in ("core:work", "residents:search", "requests:register"):
        assert f'href="{reverse(absent)}"' not in body, absent


# Session, user with organisation, TOTP device (3); the waiting list and its access-log
# entry (1 + 2); the decided list and its entry (1 + 2): an entry is two statements, lock the
# chain's head, then move it and insert (docs/adr/0006). Pinned, so that a query per case
# (N+1) cannot creep in.
QUEUE_QUERIES = 9


def test_the_queue_query_count_is_pinned(
    team, professional, officer, client_for, django_assert_num_queries
):
    from wijk.decisions.tests.worklist_rows import make_rows

    desk = client_for(officer)
    url = reverse("decisions:queue")

    def add(count: int) -> None:
        make_rows(user=professional, team=team, today=timezone.localdate(), count=count)
        for _number in range(count):
            plan = SupportPlanFactory(team=team, coordinator=professional)
            DecisionCase.objects.create(
                plan=plan,
                version=plan.current,
                resident=plan.resident,
                kind="requested",
                draft_text="Concept.",
                placed_by=professional,
            )

    add(2)
    desk.get(url)  # warm the menu
    with django_assert_num_queries(QUEUE_QUERIES):
        assert desk.get(url).status_code == 200
    add(10)
    with django_assert_num_queries(QUEUE_QUERIES):
        body = desk.get(url).content.decode()
    assert len(re.findall(r'href="/besluiten/[0-9]+"', body)) == 12 + 2 * 12


def test_the_draft_decision_is_a_tagged_pdf_in_plain_dutch(plan, professional, client_for):
    from wijk.letters.tests.conftest import read_pdf, structure_tags

    case = placed(place(client_for(professional), plan, kind="ao_refused"))
    response = client_for(professional).get(reverse("letters:file", args=[case.draft_letter_id]))
    data = b"".join(response.streaming_content) if response.streaming else response.content
    reader = read_pdf(data)
    assert str(reader.trailer["/Root"]["/Lang"]) == "nl"
    tags = structure_tags(reader)
    assert "/H1" in tags and "/H2" in tags and "/L" in tags
    text = pdf_text(data)
    for words in (
        "Dit is een concept",
        "geen Aanvullende Ondersteuning",
        "binnen zes weken bezwaar",
        "onafhankelijke cliëntondersteuner",
        "twee uur begeleiding per week",
    ):
        assert words in text, words
