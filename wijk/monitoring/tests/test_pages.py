"""The monitoring pages through the browser's eyes (the Django test client): who may open
them, what they show, that their filters work, that they never show person-level data nor,
to the municipality, a count from 1 to 4, and that their number of queries does not grow with
the data."""

from __future__ import annotations

import dataclasses
import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core import disclosure
from wijk.core.models import AccessLogEntry
from wijk.decisions.models import DecisionCase
from wijk.decisions.workflow import DecisionKind, DecisionOutcome, DecisionStatus
from wijk.monitoring import figures, selectors, sources
from wijk.monitoring.selectors import UNKNOWN_WIJK
from wijk.monitoring.tests.factories import (
    HandoverFactory,
    HelpRequestFactory,
    ShortContactFactory,
    TrajectoryFactory,
    first_code,
)
from wijk.organisations.models import Team
from wijk.organisations.tests.factories import TeamFactory
from wijk.plans.models import Evaluation
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.workflow import PlanStatus
from wijk.requests.workflow import Outcome, RequestStatus
from wijk.residents.tests.factories import AddressFactory, ResidentFactory
from wijk.trajectories.workflow import Part

pytestmark = pytest.mark.django_db

COMPLIANCE = reverse("monitoring:compliance")
WAITING = reverse("monitoring:waiting")
FLOWS = reverse("monitoring:flows")
REASONS = reverse("monitoring:flow_reasons")
REACH = reverse("monitoring:reach")
PAGES_BY_ROLE = {
    Role.TEAM_LEAD: [COMPLIANCE, WAITING],
    Role.MANAGEMENT: [COMPLIANCE, WAITING, FLOWS, REASONS, REACH],
    Role.MUNICIPALITY: [COMPLIANCE, FLOWS, REASONS, REACH],
}


def _now_minus(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def city():
    """Two teams, residents with names no page may show, and requests of every kind: open,
    contacted, closed with each outcome, with and without a buurt, this month and earlier."""
    north = TeamFactory(name="Wijkteam Noord-Oost")
    south = TeamFactory(name="Wijkteam Zuid-West")
    buurten = list(Buurt.objects.order_by("code")[:40])
    secrets: list[str] = []
    residents = []
    for number in range(6):
        resident = ResidentFactory(
            given_names=f"Zebulon{number}",
            family_name=f"Quirijnsdochter{number}",
            address=AddressFactory(buurt=buurten[number * 7 % len(buurten)], postcode="9999ZZ"),
        )
        residents.append(resident)
        secrets += [resident.given_names, resident.family_name, resident.full_name]
    outcomes = [None, *Outcome]
    for number in range(24):
        resident = residents[number % len(residents)]
        received_at = _now_minus(3 + number * 9)
        outcome = outcomes[number // 2 % len(outcomes)]
        fields = {}
        if outcome is not None:
            fields = {
                "status": RequestStatus.CLOSED,
                "outcome": outcome,
                "outcome_at": received_at + datetime.timedelta(days=number % 40),
            }
            if outcome == Outcome.REFERRED_OUT:
                fields["outcome_provision"] = first_code("out_of_scope_provisions")
        if number % 3:
            fields["first_contact_at"] = received_at + datetime.timedelta(days=number % 9)
        request = HelpRequestFactory(
            reference=f"GEHEIM{number:04d}",
            team=north if number % 2 else south,
            resident=resident if number % 4 else None,
            buurt=resident.address.buurt if number % 5 else None,
            question=f"Vertrouwelijke hulpvraag nummer {number} over schulden en zorgen",
            requester_name=f"Aanvrager Xanthippe{number}",
            requester_phone="0612345678",
            requester_email=f"xanthippe{number}@example.org",
            received_at=received_at,
            **fields,
        )
        secrets += [request.reference, request.question, request.requester_name]
        secrets += [request.requester_email]
    for number, resident in enumerate(residents):
        trajectory = TrajectoryFactory(
            resident=resident,
            team=north,
            part=list(Part)[number % 3],
            inflow_date=timezone.localdate() - datetime.timedelta(days=number * 20),
            youth_support=number % 2 == 0,
            closed_on=timezone.localdate() if number % 2 else None,
        )
        if number % 2:
            HandoverFactory(trajectory=trajectory, receiver=f"Ontvanger Xanthippe{number}")
            secrets.append(f"Ontvanger Xanthippe{number}")
        ShortContactFactory(team=north, wijk=resident.address.buurt.wijk)
    return {
        "north": north,
        "south": south,
        "wijk": residents[1].address.buurt.wijk.code,  # request 1: north's, with this buurt
        "secrets": [*secrets, "9999ZZ", "0612345678"],
    }


def test_no_page_shows_a_name_reference_question_or_contact_detail(
    city, make_user, client_for
) -> None:
    for role, pages in PAGES_BY_ROLE.items():
        client = client_for(make_user(role, teams=[city["north"]]))
        for page in pages:
            for query in ({}, {"months": 36}, {"team": city["north"].pk, "wijk": city["wijk"]}):
                response = client.get(page, query)
                assert response.status_code == 200, (role, page, query)
                html = response.content.decode()
                # the municipality may see only "< 5" or "verborgen" in this small city
                counts = r"<td[^>]*>([1-9]\d*|&lt; 5|verborgen)</td>"
                assert re.search(counts, html), (role, page, "no counts")
                shown = [secret for secret in city["secrets"] if secret in html]
                assert not shown, f"{role} sees {shown} on {page}?{query}"


def test_reading_counts_writes_nothing_to_the_access_log(city, make_user, client_for) -> None:
    client = client_for(make_user(Role.MANAGEMENT))
    for page in PAGES_BY_ROLE[Role.MANAGEMENT]:
        assert client.get(page).status_code == 200
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize(
    ("role", "page"),
    [
        (Role.PROFESSIONAL, COMPLIANCE),
        (Role.PROFESSIONAL, WAITING),
        (Role.PROFESSIONAL, FLOWS),
        (Role.PROFESSIONAL, REASONS),
        (Role.PROFESSIONAL, REACH),
        (Role.ADMINISTRATOR, COMPLIANCE),
        (Role.ADMINISTRATOR, WAITING),
        (Role.ADMINISTRATOR, FLOWS),
        (Role.ADMINISTRATOR, REACH),
        (Role.TEAM_LEAD, FLOWS),
        (Role.TEAM_LEAD, REASONS),
        (Role.TEAM_LEAD, REACH),
        (Role.MUNICIPALITY, WAITING),
    ],
)
def test_roles_without_the_page_get_not_found(role, page, make_user, client_for, team) -> None:
    response = client_for(make_user(role, teams=[team])).get(page)
    assert response.status_code == 404


def test_a_team_lead_awaiting_approval_gets_not_found(make_user, client_for, team) -> None:
    """The monitoring pages read the one role table (wijk.accounts.roles.gate_for), so a
    role that waits for a second person's approval opens none of them."""
    client = client_for(make_user(Role.TEAM_LEAD, teams=[team], role_approved=False))
    for page in (COMPLIANCE, WAITING):
        assert client.get(page).status_code == 404


def test_team_lead_sees_only_their_own_teams(city, make_user, client_for) -> None:
    client = client_for(make_user(Role.TEAM_LEAD, teams=[city["north"]]))
    for page in (COMPLIANCE, WAITING):
        html = client.get(page).content.decode()
        assert "Wijkteam Noord-Oost" in html
        assert "Wijkteam Zuid-West" not in html
    # a team outside their own is refused as a filter value, and shows nothing of it
    response = client.get(COMPLIANCE, {"team": city["south"].pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in html
    assert "Wijkteam Zuid-West" not in html


def test_team_lead_without_a_team_is_told_so(make_user, client_for) -> None:
    client = client_for(make_user(Role.TEAM_LEAD))
    for page in (COMPLIANCE, WAITING):
        assert "nog geen lid van een team" in client.get(page).content.decode()


def test_municipality_sees_wijken_but_no_teams(city, make_user, client_for) -> None:
    html = client_for(make_user(Role.MUNICIPALITY)).get(COMPLIANCE).content.decode()
    assert "Termijnen per maand van ontvangst en wijk" in html
    assert "Wijkteam" not in html
    assert 'name="team"' not in html
    wijk = Buurt.objects.order_by("code").first().wijk
    assert f"{wijk.name} ({wijk.code})" in html


def test_management_sees_every_team_and_can_filter(city, make_user, client_for) -> None:
    client = client_for(make_user(Role.MANAGEMENT))
    html = client.get(COMPLIANCE).content.decode()
    assert "Wijkteam Noord-Oost" in html and "Wijkteam Zuid-West" in html
    # Three calendar months always hold south's newest request (3 days old), whatever today is.
    filtered = client.get(COMPLIANCE, {"team": city["south"].pk, "months": 3})
    rows = re.findall(r"<tr class=\"utrecht-table__row\">\s*<td", filtered.content.decode())
    all_rows = re.findall(r"<tr class=\"utrecht-table__row\">\s*<td", html)
    assert 0 < len(rows) < len(all_rows)
    assert "Wijkteam Noord-Oost</td>" not in filtered.content.decode()
    unknown = client.get(COMPLIANCE, {"wijk": UNKNOWN_WIJK}).content.decode()
    assert re.search(r"<td class=\"utrecht-table__cell\">onbekend</td>", unknown)
    assert "Wijkteam Noord-Oost" in client.get(WAITING).content.decode()


def test_compliance_page_explains_how_shares_are_counted(make_user, client_for) -> None:
    html = client_for(make_user(Role.MANAGEMENT)).get(COMPLIANCE).content.decode()
    assert "Zo rekenen we" in html
    assert "tellen dus niet mee in het percentage" in html


SMALL_COUNT = [
    re.compile(r"<td[^>]*>\s*[1-4]\s*</td>"),  # a cell of 1 to 4
    re.compile(r":\s*[1-4]\.(\s|<|$)"),  # "...: 3." in a summary sentence
    re.compile(r"\(\s*[1-4] van de|van de [1-4] hulpvragen"),  # "(3 van de 4 hulpvragen"
]
MUNICIPALITY_QUERIES = [
    {},
    {"months": 1},
    {"months": 36},
    {"unit": "jaar", "periods": 3},
    {"unit": "kwartaal", "periods": 12},
    {"unit": "maand", "periods": 12},
]


# The reach page's row of short contacts: contacts count conversations, not people, and are
# shown exactly (docs/adr/0028-small-numbers-count-people.md).
CONTACTS_ROW = re.compile(r"Korte contacten \(aantal contacten\)</th>.*?</tr>", re.DOTALL)


def test_the_municipality_never_sees_a_count_of_people_from_one_to_four(
    city, make_user, client_for
) -> None:
    """The city fixture is small: nearly every count per wijk is below 5. Management sees
    them; the municipality sees "< 5" or "verborgen" for every count of people, on every page,
    by every filter."""
    management = client_for(make_user(Role.MANAGEMENT))
    municipality = client_for(make_user(Role.MUNICIPALITY))
    small_seen_by_management = set()
    wijk_queries = [{"wijk": city["wijk"]}, {"wijk": UNKNOWN_WIJK}]
    for page in PAGES_BY_ROLE[Role.MUNICIPALITY]:
        for query in [*MUNICIPALITY_QUERIES, *wijk_queries]:
            html = CONTACTS_ROW.sub("", municipality.get(page, query).content.decode())
            for pattern in SMALL_COUNT:
                found = pattern.search(html)
                assert not found, f"{page}?{query} shows {found and found.group(0)!r}"
            if any(
                pattern.search(management.get(page, query).content.decode())
                for pattern in SMALL_COUNT[:1]
            ):
                small_seen_by_management.add(page)
        assert "&lt; 5" in municipality.get(page).content.decode(), page
    assert small_seen_by_management == set(PAGES_BY_ROLE[Role.MUNICIPALITY])


def test_only_the_municipality_reads_how_small_numbers_are_hidden(make_user, client_for) -> None:
    for role, pages in ((Role.MUNICIPALITY, True), (Role.MANAGEMENT, False)):
        client = client_for(make_user(role))
        for page in PAGES_BY_ROLE[Role.MUNICIPALITY]:
            html = client.get(page).content.decode()
            assert ("Kleine aantallen laten we niet zien" in html) is pages, (role, page)


def test_the_municipality_counts_reasons_per_quarter_or_year_only(make_user, client_for) -> None:
    """Months beside quarters would let a quarter minus two shown months give the third away."""
    client = client_for(make_user(Role.MUNICIPALITY))
    response = client.get(REASONS, {"unit": "maand"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in html
    assert '<option value="maand"' not in html
    assert "kwartaal" in html.lower()
    management = client_for(make_user(Role.MANAGEMENT)).get(REASONS, {"unit": "maand"})
    assert 'aria-invalid="true"' not in management.content.decode()


def test_reach_shows_contacts_beside_residents_never_added(city, make_user, client_for) -> None:
    html = client_for(make_user(Role.MANAGEMENT)).get(REACH, {"unit": "jaar"}).content.decode()
    contacts = re.search(r"Korte contacten \(aantal contacten\)</th>\s*(<td[^>]*>\d+</td>)", html)
    residents = re.search(r"Unieke inwoners, alle onderdelen</th>\s*<td[^>]*>(\d+)</td>", html)
    assert contacts and residents
    assert ">6</td>" in contacts.group(1)  # one contact per resident, six residents
    assert residents.group(1) == "6"


def test_htmx_filter_gets_only_the_results(city, make_user, client_for) -> None:
    client = client_for(make_user(Role.MANAGEMENT))
    for page in PAGES_BY_ROLE[Role.MANAGEMENT]:
        response = client.get(page, {"months": 3}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html and "<table" in html
        full = client.get(page, {"months": 3}).content.decode()
        assert '<h1 class="utrecht-heading-1">' in full and 'hx-push-url="true"' in full


def _make_requests(*, teams: int, months: int) -> None:
    team_list = [TeamFactory() for _team in range(teams)]
    buurten = list(Buurt.objects.order_by("code")[:3])
    for month in range(months):
        for number, team in enumerate(team_list):
            buurt = buurten[number % len(buurten)]
            day = _now_minus(month * 31 % 360)
            HelpRequestFactory(team=team, buurt=buurt, received_at=day)
            resident = ResidentFactory(address=AddressFactory(buurt=buurt))
            TrajectoryFactory(team=team, resident=resident, inflow_date=day.date())
            HandoverFactory(
                trajectory=TrajectoryFactory(
                    team=team,
                    resident=resident,
                    inflow_date=day.date(),
                    closed_on=timezone.localdate(),
                )
            )
            ShortContactFactory(team=team, wijk=buurt.wijk, contact_date=day.date())
            _make_evaluations(team=team, due=day.date())


def _make_evaluations(*, team: Team, due: datetime.date) -> None:
    """A plan evaluation held (due the day before), a plan and a pgb due on `due`."""
    plan = SupportPlanFactory(team=team, status=PlanStatus.ACTIVE, next_evaluation_on=due)
    Evaluation.objects.create(
        plan=plan,
        version=plan.current,
        held_on=due,
        due_on=due - datetime.timedelta(days=1),
        next_evaluation_on=due + datetime.timedelta(days=1),
        no_zrm_reason="Geen traject gekoppeld.",
        by=plan.coordinator,
    )
    DecisionCase.objects.create(
        plan=plan,
        version=plan.current,
        resident=plan.resident,
        kind=DecisionKind.PGB,
        draft_text="Concept.",
        pgb_plan="Pgb-plan.",
        status=DecisionStatus.SEEN,
        placed_by=plan.coordinator,
        outcome=DecisionOutcome.GRANTED,
        decided_on=due - datetime.timedelta(days=700),
        starts_on=due - datetime.timedelta(days=700),
        amount=Decimal("1000.00"),
        reference=f"R-{plan.pk}",
        decided_by=plan.coordinator,
        next_evaluation_on=due,
    )


@pytest.mark.parametrize(
    ("role", "page", "queries"),
    [
        # the deadlines page: 7, and 5 for evaluations and the meldcode count (ADR 0042)
        (Role.MANAGEMENT, COMPLIANCE, 12),
        (Role.MANAGEMENT, WAITING, 7),
        # flows, reasons and reach read the indicators (ADR 0052): each indicator counts on
        # its own, and the municipality's figures also read the published sets
        (Role.MANAGEMENT, FLOWS, 7),
        (Role.MANAGEMENT, REASONS, 12),
        (Role.MANAGEMENT, REACH, 7),
        # the municipality's deadlines and evaluations are the indicators' (ADR 0052)
        (Role.MUNICIPALITY, COMPLIANCE, 19),
        (Role.MUNICIPALITY, FLOWS, 11),
        (Role.MUNICIPALITY, REASONS, 16),
        (Role.MUNICIPALITY, REACH, 10),
        (Role.TEAM_LEAD, COMPLIANCE, 12),
        (Role.TEAM_LEAD, WAITING, 7),
    ],
)
@pytest.mark.parametrize(("teams", "months"), [(1, 1), (5, 12)])
def test_query_count_does_not_grow_with_teams_or_months(
    role, page, queries, teams, months, make_user, client_for, django_assert_num_queries
) -> None:
    _make_requests(teams=teams, months=months)
    user = make_user(role)
    if role == Role.TEAM_LEAD:
        user.teams.set(Team.objects.all())
    client = client_for(user)
    with django_assert_num_queries(queries):
        response = client.get(page, {"months": 12, "unit": "maand", "periods": 12})
    assert response.status_code == 200


def test_selectors_return_only_counts_and_area_or_team_labels() -> None:
    """Every field of every row the selectors return is a count, a share, a period or an
    organisational or area label: none can carry a name, a question or a reference."""
    allowed = {
        # counts and shares
        "received", "met", "not_met", "not_judged", "first_contact", "support",
        "investigation", "investigations", "open",
        "without_first_contact", "first_contact_overdue", "over_four_weeks",
        "median_waiting_days", "total", "sociale_basis", "sociaal_wijkteam",
        "aanvullende_ondersteuning", "youth", "inflow", "outflow", "months", "by_month",
        "by_team", "by_wijk", "handover", "inflow_months", "outflow_months", "parts",
        "contacts", "per_wijk", "rows", "figures", "cells", "row_totals", "column_totals",
        # how a figure is shown: its value only when shown, "< 5" or "verborgen"
        "value", "status", "percent", "hidden",
        # periods, teams, areas, reasons and destinations (code list entries)
        "month", "team_id", "team_name", "wijk_code", "wijk_name", "code", "name", "pk", "active",
        "start", "unit", "periods", "wijk", "label", "inflow_reasons", "outflow_reasons",
        "destinations",
        # evaluations on time and counts given by other apps (wijk.monitoring.sources)
        "due", "on_time", "late", "not_held", "count",
        # the change in ZRM scores: counts per life domain (a code) and of trajectories
        "per_domain", "trajectories",
    }  # fmt: skip
    rows = [
        selectors.ComplianceRow, selectors.DeadlineCounts, selectors.ComplianceSum,
        selectors.ComplianceOverview, selectors.WaitingRow, selectors.WaitingTotal,
        selectors.PartCounts, selectors.TeamOption,
        selectors.WijkOption, selectors.Period, selectors.CodeOption, selectors.ReasonCounts,
        selectors.ZrmChanges,
        disclosure.Figure, disclosure.Share, disclosure.ProtectedTable,
        disclosure.ProtectedList, figures.DeadlineFigures, figures.ComplianceFigures,
        figures.ComplianceDetail, figures.ComplianceDisplay, figures.PartFigures,
        figures.FlowsDisplay, figures.FigureRow, figures.ReachDisplay, figures.ReasonTable,
        figures.ReasonsDisplay, figures.EvaluationFigures, figures.EvaluationDisplay,
        figures.EvaluationDetail, figures.CountDisplay, sources.DueRow, sources.CountRow,
    ]  # fmt: skip
    for row in rows:
        names = {field.name for field in dataclasses.fields(row)}
        assert names <= allowed, f"{row.__name__} has {names - allowed}"
