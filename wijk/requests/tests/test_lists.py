"""The worklists, the waiting list and the team lead's overview: who sees which request, in
which group and order, with a query count that does not grow with the list, and one access-log
entry per list shown."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.core.calendar import add_working_days
from wijk.core.models import AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.requests import selectors
from wijk.requests.services import request_record_attempt
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.requests.workflow import Outcome, RequestStatus
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = pytest.mark.django_db


def section(body: str, heading: str) -> str:
    """The part of the page under the h2 that starts with `heading`, up to the next h2."""
    match = re.search(rf"<h2[^>]*>{re.escape(heading)}.*?(?=<h2|</main>)", body, re.S)
    assert match, f"no section {heading!r}"
    return match.group(0)


def row_id(help_request) -> str:
    return f'id="hulpvraag-{help_request.pk}"'


@pytest.fixture
def today():
    return timezone.localdate()


def test_worklist_groups_by_first_contact_deadline(
    professional, client_for, team, resident, today
) -> None:
    mine = {"team": team, "assigned_to": professional, "resident": resident}
    overdue = HelpRequestFactory(**mine, first_contact_due=today - datetime.timedelta(days=3))
    due_today = HelpRequestFactory(**mine, first_contact_due=today)
    soon = HelpRequestFactory(**mine, first_contact_due=add_working_days(today, 2))
    later = HelpRequestFactory(**mine, first_contact_due=add_working_days(today, 3))
    contacted = HelpRequestFactory(
        **mine,
        first_contact_due=today - datetime.timedelta(days=1),
        first_contact_at=timezone.now(),
        status=RequestStatus.CONTACTED,
    )
    closed = HelpRequestFactory(
        **mine,
        first_contact_due=today,
        status=RequestStatus.CLOSED,
        outcome=Outcome.WITHDRAWN,
        outcome_at=timezone.now(),
    )
    body = client_for(professional).get(reverse("requests:worklist")).content.decode()
    assert row_id(overdue) in section(body, "Eerste contact te laat (1)")
    assert row_id(due_today) in section(body, "Eerste contact vandaag (1)")
    assert row_id(soon) in section(body, "Eerste contact binnen twee werkdagen (1)")
    assert row_id(later) in section(body, "Eerste contact later (1)")
    assert row_id(contacted) in section(body, "Eerste contact gehad, uitkomst nog vastleggen (1)")
    assert row_id(closed) not in body
    assert resident.full_name in body


def test_my_worklist_has_my_requests_the_team_worklist_all_of_my_teams(
    professional, colleague, client_for, team, other_team
) -> None:
    mine = HelpRequestFactory(team=team, assigned_to=professional)
    colleagues = HelpRequestFactory(team=team, assigned_to=colleague)
    unassigned = HelpRequestFactory(team=team)
    elsewhere = HelpRequestFactory(team=other_team)
    mine_elsewhere = HelpRequestFactory(team=other_team, assigned_to=professional)
    client = client_for(professional)
    own = client.get(reverse("requests:worklist")).content.decode()
    assert row_id(mine) in own
    assert row_id(mine_elsewhere) in own  # assigned to me, though of another team
    for other in (colleagues, unassigned, elsewhere):
        assert row_id(other) not in own
    team_list = client.get(reverse("requests:team_worklist")).content.decode()
    for shown in (mine, colleagues, unassigned):
        assert row_id(shown) in team_list
    assert row_id(elsewhere) not in team_list
    assert "Kees Visser" in team_list
    assert "Nog niemand" in team_list


def test_each_list_logs_one_search_with_the_requests_and_residents_shown(
    professional, team_lead, client_for, team, resident
) -> None:
    shown = HelpRequestFactory(team=team, assigned_to=professional, resident=resident)
    expected = [f"requests.helprequest:{shown.pk}", f"residents.resident:{resident.pk}"]
    for user, name in (
        (professional, "requests:worklist"),
        (professional, "requests:team_worklist"),
        (professional, "requests:waiting_list"),
        (team_lead, "requests:team_open"),
    ):
        before = AccessLogEntry.objects.count()
        assert client_for(user).get(reverse(name)).status_code == 200
        entries = list(AccessLogEntry.objects.order_by("id")[before:])
        assert len(entries) == 1, name
        assert entries[0].event == "search"
        assert entries[0].user_id == user.pk
        assert entries[0].objects_touched == expected, name


# Session, user with organisation, TOTP device (3), then the page: its list query and, for
# the waiting list and the overview, the teams and an aggregate; the access-log entry (two
# statements: lock the chain's head; move it and insert the entry, docs/adr/0006).
LIST_PAGES = [
    ("requests:worklist", Role.PROFESSIONAL, 6),
    ("requests:team_worklist", Role.PROFESSIONAL, 6),
    ("requests:waiting_list", Role.TEAM_LEAD, 8),
    ("requests:team_open", Role.TEAM_LEAD, 7),
]


@pytest.mark.parametrize(("name", "role", "queries"), LIST_PAGES)
def test_query_count_does_not_grow_with_the_list(
    name, role, queries, make_user, client_for, team, django_assert_num_queries, today
) -> None:
    user = make_user(role, teams=[team])
    client = client_for(user)
    url = reverse(name)
    user.is_verified = lambda: True  # past the TOTP step, for the service called directly

    def make(count: int) -> None:
        for number in range(count):
            request = HelpRequestFactory(
                team=team,
                assigned_to=user,
                resident=HouseholdMembershipFactory().resident,
                first_contact_due=today + datetime.timedelta(days=number % 9 - 4),
            )
            if number % 3 == 0:
                request_record_attempt(actor=user, help_request=request, reached=False)

    make(1)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    make(24)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.content.decode().count('<a class="utrecht-link" href="/hulpvragen/') >= 25


def test_worklist_is_capped_and_says_so(professional, client_for, team, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "LIST_LIMIT", 3)
    requests = [HelpRequestFactory(team=team, assigned_to=professional) for _ in range(4)]
    body = client_for(professional).get(reverse("requests:worklist")).content.decode()
    assert sum(row_id(r) in body for r in requests) == 3
    assert "Er zijn er meer." in body


def test_waiting_list_ranks_longest_waiting_first_and_counts_per_team(
    professional, client_for, team, make_user, today
) -> None:
    second_team = TeamFactory(wijken=list(team.wijken.all()))
    second_team.members.add(professional)
    # Noon today, local time: "40 days ago" is 40 calendar days whatever the hour and DST.
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    newest = HelpRequestFactory(team=team, received_at=now - datetime.timedelta(days=2))
    oldest = HelpRequestFactory(team=team, received_at=now - datetime.timedelta(days=40))
    middle = HelpRequestFactory(
        team=second_team,
        received_at=now - datetime.timedelta(days=30),
        first_contact_at=now,
        status=RequestStatus.CONTACTED,
    )
    HelpRequestFactory(
        team=team,
        received_at=now - datetime.timedelta(days=50),
        status=RequestStatus.CLOSED,
        outcome=Outcome.SUPPORT_STARTED,
        outcome_at=now,
    )
    client = client_for(professional)
    body = client.get(reverse("requests:waiting_list")).content.decode()
    positions = [body.index(r.reference) for r in (oldest, middle, newest)]
    assert positions == sorted(positions)
    rows = re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", body, re.S)
    oldest_row = next(r for r in rows if oldest.reference in r)
    assert ">40<" in oldest_row
    assert "(verlopen)" in oldest_row
    newest_row = next(r for r in rows if newest.reference in r)
    assert "(verlopen)" not in newest_row
    counts = {
        name: (waiting, over)
        for name, waiting, over in re.findall(
            r"<td class=\"utrecht-table__cell\">(?:<a[^>]*>)?([^<]+)(?:</a>)?</td>\s*"
            r"<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>",
            body,
        )
    }
    assert counts[team.name] == ("2", "1")
    assert counts[second_team.name] == ("1", "1")

    only_second = client.get(reverse("requests:waiting_list") + f"?team={second_team.pk}")
    narrowed = only_second.content.decode()
    assert middle.reference in narrowed
    assert oldest.reference not in narrowed
    assert f"Wachtlijst van {second_team.name}" in narrowed


def test_waiting_list_of_a_team_that_is_not_yours_is_not_found(
    professional, client_for, other_team
) -> None:
    response = client_for(professional).get(
        reverse("requests:waiting_list") + f"?team={other_team.pk}"
    )
    assert response.status_code == 404


def test_waiting_list_pages_continue_the_ranking(
    professional, client_for, team, monkeypatch
) -> None:
    monkeypatch.setattr(selectors, "WAITING_PAGE", 2)
    now = timezone.now()
    requests = [
        HelpRequestFactory(team=team, received_at=now - datetime.timedelta(days=40 - day))
        for day in range(5)
    ]
    client = client_for(professional)
    url = reverse("requests:waiting_list")

    def references(body: str) -> list[str]:
        return [r.reference for r in requests if r.reference in body]

    first = client.get(url).content.decode()
    assert "U ziet nummer 1 tot en met 2 van 5 wachtenden." in first
    assert references(first) == [r.reference for r in requests[:2]]
    assert 'href="?pagina=2"' in first
    assert "pagina=0" not in first  # no link before the first page

    third = client.get(url + "?pagina=3").content.decode()
    assert "U ziet nummer 5 tot en met 5 van 5 wachtenden." in third
    assert references(third) == [requests[4].reference]
    assert 'href="?pagina=2"' in third and "pagina=4" not in third

    past_the_end = client.get(url + "?pagina=99").content.decode()
    assert references(past_the_end) == [requests[4].reference]
    narrowed = client.get(url + f"?team={team.pk}").content.decode()
    assert f'href="?team={team.pk}&amp;pagina=2"' in narrowed


def test_team_lead_sees_every_open_request_of_the_team_oldest_first(
    team_lead, professional, client_for, team, other_team, today
) -> None:
    now = timezone.now()
    old = HelpRequestFactory(
        team=team,
        assigned_to=professional,
        received_at=now - datetime.timedelta(days=35),
        first_contact_due=today - datetime.timedelta(days=20),
        support_due=today - datetime.timedelta(days=7),
    )
    new = HelpRequestFactory(team=team, received_at=now)
    elsewhere = HelpRequestFactory(team=other_team)
    body = client_for(team_lead).get(reverse("requests:team_open")).content.decode()
    assert body.index(old.reference) < body.index(new.reference)
    assert elsewhere.reference not in body
    summary = re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", body)
    assert dict(summary) == {
        "Zonder uitkomst": "2",
        "Eerste contact te laat": "1",
        "Nog niet toegewezen": "1",
        "Ondersteuning na 4 weken nog niet gestart": "1",
    }


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.MANAGEMENT, Role.MUNICIPALITY])
def test_team_lead_overview_is_for_team_leads_only(role, make_user, client_for, team) -> None:
    HelpRequestFactory(team=team)
    response = client_for(make_user(role, teams=[team])).get(reverse("requests:team_open"))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    ["requests:worklist", "requests:team_worklist", "requests:waiting_list", "requests:register"],
)
@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
def test_roles_without_person_level_access_get_not_found(
    name, role, make_user, client_for, team
) -> None:
    HelpRequestFactory(team=team)
    response = client_for(make_user(role, teams=[team])).get(reverse(name))
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()
