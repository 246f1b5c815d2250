"""The resident's page is their case file: the resident, their household, and one timeline of
requests, contact attempts, trajectories, ZRM assessments, warm handovers and notes, newest
first, each linking to its page, filterable by kind and paged; each part read through its own
app's selector, with a query count that does not grow with the number of records."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.casefiles.selectors import PAGE_SIZE
from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.decisions.models import DecisionCase
from wijk.decisions.workflow import DecisionKind
from wijk.investigations.services import investigation_start
from wijk.letters.models import LetterKind
from wijk.letters.services import letter_produce
from wijk.notes.services import NoteContent, case_note_write
from wijk.organisations.tests.factories import TeamFactory
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.workflow import PlanStatus
from wijk.requests.models import ContactAttempt, HelpRequest
from wijk.requests.services import request_record_attempt
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.requests.tests.test_register import form_data
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory
from wijk.residents.tests.grants import break_the_glass, expire_grants
from wijk.trajectories.services import (
    HandoverInput,
    trajectory_start,
    trajectory_transition,
    zrm_record,
)
from wijk.trajectories.tests.conftest import code, verified

pytestmark = pytest.mark.django_db

# Session, user and authenticator (3); the resident, household and read (3); requests and
# contact attempts, and their read (3); trajectories, ZRM assessments, their scores and
# handovers, and their read (5); notes and their read (2); letters and their read (2). Pinned,
# so that a query per record (N+1) cannot creep in. Support plans and their read: 2.
# Investigations and their read: 2. Decision cases and their read: 2. Each of the eight
# access-log entries ("their read") is two statements: lock the chain's head, then move it
# and insert the entry (docs/adr/0006): 8 more.
CASE_FILE_QUERIES = 20 + 2 + 2 + 8


@pytest.fixture
def professional(make_user, team):
    return verified(
        make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")
    )


@pytest.fixture
def resident(team):
    """A resident living in the team's wijk."""
    return HouseholdMembershipFactory().resident


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _start(*, actor, resident, team, days_ago: int, **extra):
    return trajectory_start(
        actor=actor,
        resident=resident,
        part="sociaal_wijkteam",
        inflow_date=_days_ago(days_ago),
        inflow_reason=code("inflow_reasons", "own_request"),
        primary_life_domain=code("life_domains", "finances"),
        life_domains=[],
        coordinator=actor,
        team=team,
        youth_support=False,
        **extra,
    )


def _page(client, resident, query: str = "") -> str:
    response = client.get(reverse("residents:detail", args=[resident.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def _timeline(body: str) -> str:
    """The timeline's ordered list."""
    return body.split('<ol class="wijk-timeline"')[1].split("</ol>")[0]


def _titles(body: str) -> list[str]:
    """The entries' titles, in the order the page shows them."""
    if '<ol class="wijk-timeline"' not in body:
        return []
    return re.findall(r'wijk-timeline__title">(?:<a [^>]*>)?([^<]+)<', _timeline(body))


def records_of_every_kind(*, professional, team, resident) -> dict[str, str]:
    """One record of every kind, each on another day: the link each entry must have, by
    kind, newest first."""
    request = HelpRequestFactory(
        team=team,
        resident=resident,
        assigned_to=professional,
        received_at=timezone.now() - datetime.timedelta(days=12),
    )
    trajectory = _start(actor=professional, resident=resident, team=team, days_ago=10)
    zrm_record(
        actor=professional,
        trajectory=trajectory,
        moment="start",
        assessed_on=_days_ago(8),
        scores={code("life_domains", "finances"): 2, code("life_domains", "housing"): 3},
    )
    trajectory_transition(
        actor=professional,
        trajectory=trajectory,
        to="closed",
        reason="Doelen bereikt",
        outflow_date=_days_ago(6),
        outflow_reason=code("outflow_reasons", "39"),
        handover=HandoverInput(
            destination="wlz", receiver="Zorgkantoor Kennemerland", handed_over_on=_days_ago(6)
        ),
    )
    note = case_note_write(
        actor=professional,
        resident=resident,
        content=NoteContent(kind="huisbezoek", occurred_on=_days_ago(4), text="Thuis gesproken"),
    )
    request_record_attempt(actor=professional, help_request=request, reached=True)
    request_url = reverse("requests:detail", args=[request.pk])
    trajectory_url = reverse("trajectories:detail", args=[trajectory.pk])
    return {
        "contact": request_url,
        "note": reverse("notes:detail", args=[note.pk]),
        "handover": trajectory_url,
        "zrm": trajectory_url,
        "trajectory": trajectory_url,
        "request": request_url,
    }


def test_every_kind_is_on_the_timeline_newest_first_with_its_link(
    professional, client_for, team, resident
) -> None:
    links = records_of_every_kind(professional=professional, team=team, resident=resident)
    request = HelpRequest.objects.get(resident=resident)
    body = _page(client_for(professional), resident)
    timeline = _timeline(body)
    entries = timeline.split('<li class="wijk-timeline__entry">')[1:]
    assert len(entries) == len(links)
    for entry, (kind, url) in zip(entries, links.items(), strict=True):
        assert f'href="{url}"' in entry, kind
        assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">\d{1,2} [a-z]+ \d{4}</time>', entry)
    assert _titles(body) == [
        f"Contact gehad over hulpvraag {request.reference}",
        "Huisbezoek: notitie van Fatima Bakker",
        "Warme overdracht: Wet langdurige zorg (Wlz)",
        "ZRM ingevuld: Begin",
        "Traject Sociaal Wijkteam gestart",
        f"Hulpvraag {request.reference} ontvangen",
    ]
    assert "Financiën 2, Huisvesting 3" in timeline
    assert "Zorgkantoor Kennemerland" in timeline
    day = _days_ago(6)
    assert f'<time datetime="{day.isoformat()}">{day.day} ' in timeline
    # The page's actions stay.
    for action in ("Hulpvraag registreren", "Traject starten", "Huisgenoot registreren"):
        assert action in body
    assert reverse("residents:access_log", args=[resident.pk]) in body


def test_a_request_registered_through_the_form_is_on_the_case_file(
    professional, client_for, resident
) -> None:
    """Issue 12: a request registered a moment ago was missing from the resident's page."""
    client = client_for(professional)
    response = client.post(
        reverse("requests:register"),
        form_data(code("channels", "phone"), resident=resident.pk, assign_to_me=""),
    )
    assert response.status_code == 302
    registered = HelpRequest.objects.get(resident=resident)
    body = _page(client, resident)
    assert f'href="{reverse("requests:detail", args=[registered.pk])}"' in _timeline(body)
    assert f"Hulpvraag {registered.reference} ontvangen" in _titles(body)


def test_the_timeline_shows_only_the_kinds_chosen(professional, client_for, team, resident) -> None:
    records_of_every_kind(professional=professional, team=team, resident=resident)
    client = client_for(professional)
    body = _page(client, resident, "?soort=zrm&soort=handover")
    assert _titles(body) == ["Warme overdracht: Wet langdurige zorg (Wlz)", "ZRM ingevuld: Begin"]
    assert 'value="zrm" id="soort-zrm" checked' in body
    assert 'value="request" id="soort-request">' in body
    # Only unknown kinds: the whole timeline, every box ticked.
    everything = _page(client, resident, "?soort=brief&soort=%00&soort=" + "9" * 500)
    assert len(_titles(everything)) == 6
    assert 'value="request" id="soort-request" checked' in everything
    assert len(_titles(_page(client, resident, "?soort=contact"))) == 1


def test_a_kind_without_records_says_so(professional, client_for, team, resident) -> None:
    HelpRequestFactory(team=team, resident=resident)
    client = client_for(professional)
    assert "Niets van deze soort dat u kunt zien." in _page(client, resident, "?soort=zrm")
    empty = _page(client, HouseholdMembershipFactory().resident)
    assert "Nog niets in dit dossier dat u kunt zien." in empty


def test_the_timeline_pages_over_requests_and_contacts_newest_first(
    professional, client_for, team, resident
) -> None:
    """Requests on distinct days and one contact attempt each, all made now (entries of the
    same moment): every entry on exactly one page, each page older than the one before."""
    count = PAGE_SIZE - 5
    references = []  # newest request first
    for days in range(count):
        request = HelpRequestFactory(
            team=team,
            resident=resident,
            assigned_to=professional,
            received_at=timezone.now() - datetime.timedelta(days=days + 1),
        )
        request_record_attempt(actor=professional, help_request=request, reached=False)
        references.append(request.reference)
    client = client_for(professional)
    first, second = _page(client, resident), _page(client, resident, "?pagina=2")
    assert len(_titles(first)) == PAGE_SIZE
    assert len(_titles(second)) == 2 * count - PAGE_SIZE
    # The attempts (the last one made first), then the requests (the last one received first).
    assert _titles(first) + _titles(second) == [
        *(f"Geen contact gekregen over hulpvraag {ref}" for ref in reversed(references)),
        *(f"Hulpvraag {ref} ontvangen" for ref in references),
    ]
    assert 'rel="next" href="?pagina=2#tijdlijn"' in first
    assert 'rel="prev" href="?pagina=1#tijdlijn"' in second
    assert 'rel="next"' not in second
    assert f"U ziet nummer {PAGE_SIZE + 1} tot en met {2 * count}" in second
    # Past the last page: the last page. Not a page number: the first.
    assert _titles(_page(client, resident, "?pagina=99")) == _titles(second)
    assert _titles(_page(client, resident, "?pagina=2147483647")) == _titles(second)
    for hostile in ("²", "0", "-1", "9" * 30, "%00"):
        assert _titles(_page(client, resident, f"?pagina={hostile}")) == _titles(first)
    # Filtered to the requests: one page.
    requests_only = _page(client, resident, "?soort=request&pagina=1")
    assert len(_titles(requests_only)) == count
    assert 'rel="next"' not in requests_only


def test_a_filtered_timeline_keeps_its_kinds_on_the_next_page(
    professional, client_for, team, resident
) -> None:
    for days in range(PAGE_SIZE + 1):
        HelpRequestFactory(
            team=team,
            resident=resident,
            received_at=timezone.now() - datetime.timedelta(days=days + 1),
        )
    body = _page(client_for(professional), resident, "?soort=request")
    assert 'rel="next" href="?soort=request&amp;pagina=2#tijdlijn"' in body


def test_records_of_another_team_are_not_on_the_timeline(
    professional, client_for, team, resident
) -> None:
    elsewhere = TeamFactory(name="Wijkteam elders")
    hidden = HelpRequestFactory(team=elsewhere, resident=resident, question="Elders gevraagd")
    ContactAttempt.objects.create(help_request=hidden, by=professional, reached=True)
    mine = HelpRequestFactory(team=team, resident=resident)
    body = _page(client_for(professional), resident)
    assert hidden.reference not in body
    assert "Elders gevraagd" not in body
    assert _titles(body) == [f"Hulpvraag {mine.reference} ontvangen"]
    assert _titles(_page(client_for(professional), resident, "?soort=contact")) == []


@pytest.fixture
def outside():
    """A resident in a buurt of a wijk the team does not cover."""
    wijk = Buurt.objects.exclude(wijk__code="WK039201").order_by("code").first().wijk
    TeamFactory(wijken=[wijk])
    home = AddressFactory(buurt=wijk.buurten.order_by("code").first())
    return HouseholdMembershipFactory(resident__address=home).resident


def test_nothing_reached_by_an_expired_break_the_glass_stays_on_the_timeline(
    professional, client_for, outside
) -> None:
    client = client_for(professional)
    break_the_glass(client, outside)
    response = client.post(
        reverse("requests:register"),
        form_data(code("channels", "phone"), resident=outside.pk),
    )
    assert response.status_code == 302
    registered = HelpRequest.objects.get(resident=outside)
    assert f"Hulpvraag {registered.reference} ontvangen" in _titles(_page(client, outside))

    expire_grants(outside)
    response = client.get(reverse("residents:detail", args=[outside.pk]))
    assert response.status_code == 403  # the break-the-glass form, nothing of the file
    assert registered.reference not in response.content.decode()
    assert reverse("requests:detail", args=[registered.pk]) not in response.content.decode()


def test_the_case_file_logs_each_part_it_shows(professional, client_for, team, resident) -> None:
    records_of_every_kind(professional=professional, team=team, resident=resident)
    request = HelpRequest.objects.get(resident=resident)
    before = AccessLogEntry.objects.count()
    _page(client_for(professional), resident)
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    touched = {ref for entry in entries for ref in entry.objects_touched}
    assert f"residents.resident:{resident.pk}" in touched
    assert f"requests.helprequest:{request.pk}" in touched
    assert {ref.split(":")[0] for ref in touched} >= {
        "requests.contactattempt",
        "trajectories.trajectory",
        "trajectories.zrmassessment",
        "trajectories.handover",
        "notes.casenote",
    }
    assert {entry.event for entry in entries} <= {AccessEvent.READ, AccessEvent.SEARCH}
    assert all(entry.user_id == professional.pk for entry in entries)
    assert all(
        entry.resident_id == resident.pk for entry in entries if entry.event == AccessEvent.READ
    )


def _sql(queries: CaptureQueriesContext) -> str:
    return "\n".join(" ".join(query["sql"].split())[:100] for query in queries.captured_queries)


def _queries(client, resident) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        _page(client, resident)
    return queries


def test_the_case_file_query_count_does_not_grow_with_its_records(
    professional, client_for, team, resident
) -> None:
    """3 records of every kind, then 30: the same number of queries (pinned)."""
    client = client_for(professional)

    def add(count: int) -> None:
        for _ in range(count):
            request = HelpRequestFactory(team=team, resident=resident, assigned_to=professional)
            request_record_attempt(actor=professional, help_request=request, reached=False)
            investigation_start(actor=professional, help_request=request)
            trajectory = _start(actor=professional, resident=resident, team=team, days_ago=20)
            zrm_record(
                actor=professional,
                trajectory=trajectory,
                moment="start",
                assessed_on=_days_ago(10),
                scores={code("life_domains", "finances"): 2},
            )
            trajectory_transition(
                actor=professional,
                trajectory=trajectory,
                to="closed",
                reason="Doelen bereikt",
                outflow_date=_days_ago(5),
                outflow_reason=code("outflow_reasons", "39"),
                handover=HandoverInput(
                    destination="wlz", receiver="Zorgkantoor", handed_over_on=_days_ago(5)
                ),
            )
            case_note_write(
                actor=professional,
                resident=resident,
                content=NoteContent(kind="gesprek", occurred_on=_days_ago(3), text="Gesproken"),
            )
            ended_plan = SupportPlanFactory(  # ended, so that the household can have many
                resident=resident,
                team=team,
                coordinator=professional,
                status=PlanStatus.ENDED,
                ended_on=_days_ago(2),
            )
            DecisionCase.objects.create(  # a case placed at the municipality's decision desk
                plan=ended_plan,
                version=ended_plan.current,
                resident=resident,
                kind=DecisionKind.REQUESTED,
                draft_text="Concept.",
                placed_by=professional,
            )
            letter_produce(
                actor=professional,
                resident=resident,
                kind=LetterKind.PLAN_SUMMARY,
                template="letters/letter.html",
                context={},
                source=trajectory,
                team=trajectory.team,
            )

    add(3)
    _page(client, resident)  # warm the session and the menu
    few = _queries(client, resident)
    add(27)
    # Adding takes a while (a PDF per letter): warm again, as the session's last-seen time is
    # written once in 30 seconds (accounts.middleware), which is no query of the case file.
    _page(client, resident)
    many = _queries(client, resident)
    assert len(many) == len(few), _sql(many)
    assert len(few) == CASE_FILE_QUERIES, _sql(few)
    assert len(_titles(_page(client, resident))) == PAGE_SIZE
