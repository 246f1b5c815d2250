"""The one worklist, "Mijn werk" and "Werk van mijn team" (wijk.core.worklist, ADR 0037):
every app's work with a date, through the page people use. Who sees which row (mine and the
team's, never another team's), the groups and their order, the filter by kind (also with
hostile values), the note when an app had more than the page shows, the access log, and a
query count that does not grow with the rows."""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import re
from collections.abc import Callable, Iterator

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core import worklist
from wijk.core.calendar import add_working_days, working_days_between
from wijk.core.models import AccessLogEntry
from wijk.core.worklist import KIND_LABELS, WorkItem, WorkPart, register
from wijk.organisations.tests.factories import TeamFactory
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory

pytestmark = pytest.mark.django_db

MINE = reverse("core:work")
TEAM = reverse("core:team_work")


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")


@pytest.fixture
def colleague(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Kees", last_name="Visser")


@pytest.fixture
def resident(team):
    return HouseholdMembershipFactory(
        resident__given_names="Anna", resident__family_name="Jansen"
    ).resident


@pytest.fixture
def other_team():
    wijk = Buurt.objects.exclude(wijk__code="WK039201").order_by("code").first().wijk
    return TeamFactory(wijken=[wijk])


@pytest.fixture
def registry() -> Iterator[list]:
    """The registry as the apps left it, restored after the test: a test may add a provider
    of another kind of work (as the apps of issue 13 add theirs)."""
    saved = list(worklist._REGISTRATIONS)
    yield worklist._REGISTRATIONS
    worklist._REGISTRATIONS[:] = saved


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _list(body: str) -> str:
    """The list itself (without the menu, the filter or the notes below it)."""
    rest = body.split('<div id="lijst"')[1]
    return re.split(r'<p class="utrecht-paragraph">Van sommige|</main>', rest)[0]


def _section(body: str, heading: str) -> str:
    """The group under the h2 that starts with `heading`, up to the next group."""
    match = re.search(rf"<h2[^>]*>{re.escape(heading)}.*?(?=<h2|</main>)", body, re.S)
    assert match, f"no group {heading!r}"
    return match.group(0)


def _link(help_request) -> str:
    return f'href="{reverse("requests:detail", args=[help_request.pk])}"'


def _titles(body: str) -> list[str]:
    """The rows' titles in the order the page shows them."""
    return re.findall(
        r'<td class="utrecht-table__cell"><a class="utrecht-link" href="[^"]+">'
        r"([^<]+)</a>",
        _list(body),
    )


def test_my_work_lists_my_first_contacts_grouped_by_due_date(
    professional, client_for, team, resident, today
) -> None:
    mine = {"team": team, "assigned_to": professional, "resident": resident}
    overdue_by = today - datetime.timedelta(days=10)
    overdue = HelpRequestFactory(**mine, first_contact_due=overdue_by)
    due_today = HelpRequestFactory(**mine, first_contact_due=today)
    soon = HelpRequestFactory(**mine, first_contact_due=add_working_days(today, 5))
    later = HelpRequestFactory(**mine, first_contact_due=add_working_days(today, 6))
    contacted = HelpRequestFactory(
        **mine, first_contact_due=today, first_contact_at=timezone.now(), status="contacted"
    )

    body = _page(client_for(professional), MINE)

    late = working_days_between(overdue_by, today)
    overdue_group = _section(body, "Te laat (1)")
    assert _link(overdue) in overdue_group
    assert f"{late} werkdagen te laat" in overdue_group
    assert _link(due_today) in _section(body, "Vandaag (1)")
    assert _link(soon) in _section(body, "Binnen vijf werkdagen (1)")
    assert _link(later) in _section(body, "Later (1)")
    assert _link(contacted) not in body  # its first contact is done: no longer due
    assert "Eerste contact" in overdue_group  # the kind
    assert f"Hulpvraag {overdue.reference}: Hulp bij post en formulieren" in overdue_group
    assert "Anna Jansen" in overdue_group
    assert "Wie heeft het" not in body  # mine: I have it
    assert body.index("Te laat (1)") < body.index("Vandaag (1)") < body.index("Later (1)")


def test_mine_is_my_own_work_the_team_view_all_of_my_teams_never_another_team(
    professional, colleague, make_user, client_for, team, other_team, resident
) -> None:
    mine = HelpRequestFactory(team=team, assigned_to=professional, resident=resident)
    colleagues = HelpRequestFactory(team=team, assigned_to=colleague, resident=resident)
    unassigned = HelpRequestFactory(team=team, resident=resident)
    elsewhere = HelpRequestFactory(team=other_team)
    client = client_for(professional)

    own = _page(client, MINE)
    assert _link(mine) in own
    for other in (colleagues, unassigned, elsewhere):
        assert _link(other) not in own

    team_view = _page(client, TEAM)
    for shown in (mine, colleagues, unassigned):
        assert _link(shown) in team_view
    assert _link(elsewhere) not in team_view
    assert "Wie heeft het" in team_view
    assert "Kees Visser" in team_view
    assert "Fatima Bakker" in team_view
    assert "Nog niemand" in team_view  # the team's queue

    # The other team's lead sees their own team's request, and none of ours.
    other_lead = make_user(Role.TEAM_LEAD, teams=[other_team])
    theirs = _page(client_for(other_lead), TEAM)
    assert _link(elsewhere) in theirs
    for ours in (mine, colleagues, unassigned):
        assert _link(ours) not in theirs


def test_a_request_of_a_resident_the_user_may_not_see_is_not_on_the_list(
    professional, client_for, team, other_team
) -> None:
    """The one resident rule (ADR 0020) holds here too: a request of the team about a
    resident outside the team's wijken is on nobody's team list of this team."""
    buurt = other_team.wijken.get().buurten.order_by("code").first()
    outside = HouseholdMembershipFactory(resident__address=AddressFactory(buurt=buurt)).resident
    hidden = HelpRequestFactory(team=team, resident=outside)
    assert _link(hidden) not in _page(client_for(professional), TEAM)


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
@pytest.mark.parametrize("url", [MINE, TEAM])
def test_roles_without_person_level_access_get_not_found(
    role, url, make_user, client_for, team, resident
) -> None:
    help_request = HelpRequestFactory(team=team, resident=resident)
    response = client_for(make_user(role)).get(url)
    assert response.status_code == 404
    # Not the family name alone: the signed-in user's own name in the header may be the same.
    body = response.content.decode()
    assert help_request.reference not in body
    assert f"{resident.given_names} {resident.family_name}" not in body


def test_each_list_shown_is_in_the_access_log(professional, client_for, team, resident) -> None:
    shown = HelpRequestFactory(team=team, assigned_to=professional, resident=resident)
    before = AccessLogEntry.objects.count()
    _page(client_for(professional), MINE + "?soort=first_contact")  # the requests' part only
    entries = [
        entry
        for entry in AccessLogEntry.objects.order_by("id")[before:]
        if any(ref.startswith("requests.") for ref in entry.objects_touched)
    ]
    assert [(entry.event, entry.user_id) for entry in entries] == [("search", professional.pk)]
    assert entries[0].objects_touched == [
        f"requests.helprequest:{shown.pk}",
        f"residents.resident:{resident.pk}",
    ]


def _item(kind: str, due: datetime.date | None, title: str) -> WorkItem:
    return WorkItem(kind=kind, due=due, title=title, resident_name="", url="/", ref=f"test:{title}")


def test_rows_are_ordered_by_date_then_kind_then_title(
    professional, client_for, team, resident, today, registry
) -> None:
    """Rows of every app in one order: due date first (work without a date last, in a group
    of its own), then the kind in the filter's order, then the title."""
    HelpRequestFactory(
        team=team, assigned_to=professional, resident=resident, first_contact_due=today
    )

    def decisions(*, user, scope, today, limit) -> WorkPart:
        return WorkPart(
            items=[
                _item("decision", None, "Zonder datum"),
                _item("decision", today, "B besluit vandaag"),
                _item("decision", today, "A besluit vandaag"),
                _item("decision", today - datetime.timedelta(days=1), "Besluit gisteren"),
            ]
        )

    register(decisions, kinds=["decision"])
    titles = _titles(_page(client_for(professional), MINE))
    assert titles[0] == "Besluit gisteren"
    assert titles[1].startswith("Hulpvraag ")  # first contact comes before decision
    assert titles[2:] == ["A besluit vandaag", "B besluit vandaag", "Zonder datum"]


# Christmas 2025: Thursday 25 and Friday 26 December and Thursday 1 January are holidays.
# From Wednesday 24 December, working day 1 is Monday 29, day 5 Monday 5 January.
CHRISTMAS_EVE = datetime.date(2025, 12, 24)


@pytest.mark.parametrize(
    ("today", "due", "group", "late"),
    [
        (CHRISTMAS_EVE, datetime.date(2026, 1, 5), "soon", 0),
        (CHRISTMAS_EVE, datetime.date(2026, 1, 6), "later", 0),
        (CHRISTMAS_EVE, datetime.date(2025, 12, 25), "soon", 0),
        (datetime.date(2025, 12, 29), CHRISTMAS_EVE, "overdue", 1),
        (datetime.date(2025, 12, 29), datetime.date(2025, 12, 23), "overdue", 2),
        # Late since a day off: late, by no working day yet.
        (datetime.date(2025, 12, 26), datetime.date(2025, 12, 25), "overdue", 0),
        (datetime.date(2026, 1, 2), datetime.date(2025, 12, 24), "overdue", 4),
    ],
)
def test_groups_and_lateness_count_working_days_around_holidays(
    today, due, group, late, professional, registry
) -> None:
    def one(*, user, scope, today, limit) -> WorkPart:
        return WorkPart(items=[_item("decision", due, "Besluit")])

    registry[:] = []
    register(one, kinds=["decision"])
    professional.is_verified = lambda: True
    listed = worklist.worklist(user=professional, scope="mine", today=today)
    [row] = [row for work_group in listed.groups for row in work_group.rows]
    assert (row.group, row.overdue_working_days) == (group, late)


def test_a_row_writes_every_value_escaped(professional, client_for, registry, today) -> None:
    def hostile(*, user, scope, today, limit) -> WorkPart:
        item = WorkItem(
            kind="decision",
            due=today,
            title="<b>Besluit</b>",
            resident_name="Jan <i>de</i> Vries",
            url='/"><script>',
            holder_name="<u>Kees</u>",
        )
        return WorkPart(items=[item])

    register(hostile, kinds=["decision"])
    body = _page(client_for(professional), TEAM + "?soort=decision")
    assert "&lt;b&gt;Besluit&lt;/b&gt;" in body
    assert "Jan &lt;i&gt;de&lt;/i&gt; Vries" in body
    assert 'href="/&quot;&gt;&lt;script&gt;"' in body
    assert "&lt;u&gt;Kees&lt;/u&gt;" in body
    assert "<script>" not in _list(body)


def test_the_filter_by_kind_asks_only_the_apps_of_that_kind(
    professional, client_for, team, resident, registry
) -> None:
    request = HelpRequestFactory(team=team, assigned_to=professional, resident=resident)
    asked: list[str] = []

    def decisions(*, user, scope, today, limit) -> WorkPart:
        asked.append(scope)
        return WorkPart(items=[_item("decision", today, "Besluit terug")])

    register(decisions, kinds=["decision"])
    client = client_for(professional)

    body = _page(client, MINE)
    assert _link(request) in body and "Besluit terug" in body
    assert 'name="soort" value="first_contact"' in body
    assert 'name="soort" value="decision"' in body

    before = AccessLogEntry.objects.count()
    only_decisions = _page(client, MINE + "?soort=decision")
    assert "Besluit terug" in only_decisions
    assert _link(request) not in only_decisions
    assert 'value="decision" id="soort-decision" checked' in only_decisions
    # The requests were not read, so not logged as shown either.
    logged = AccessLogEntry.objects.order_by("id")[before:].values_list("objects_touched")
    assert not any(f"requests.helprequest:{request.pk}" in refs for (refs,) in logged)

    asked.clear()
    only_first_contacts = _page(client, MINE + "?soort=first_contact")
    assert _link(request) in only_first_contacts
    assert "Besluit terug" not in only_first_contacts
    assert asked == []  # the other app was not asked at all
    # The team view keeps the filter.
    assert f'href="{TEAM}?soort=first_contact"' in only_first_contacts


@pytest.mark.parametrize(
    "query",
    ["soort=x", "soort=%00", "soort=" + "9" * 5000, "soort=first_contact&soort=%C2%B2", "soort="],
)
def test_a_kind_that_does_not_exist_is_left_out_and_said(
    query, professional, client_for, team, resident
) -> None:
    request = HelpRequestFactory(team=team, assigned_to=professional, resident=resident)
    body = _page(client_for(professional), f"{MINE}?{query}")
    assert "U koos een soort werk die niet bestaat." in body
    assert _link(request) in body  # the list as without the unknown kind


def test_an_app_with_more_work_than_the_page_shows_says_so_and_links_its_list(
    professional, client_for, team, resident, monkeypatch
) -> None:
    monkeypatch.setattr(worklist, "WORKLIST_LIMIT", 2)
    requests = [
        HelpRequestFactory(team=team, assigned_to=professional, resident=resident) for _ in range(3)
    ]
    body = _page(client_for(professional), MINE)
    assert sum(_link(request) in _list(body) for request in requests) == 2
    assert "alleen de 2 met de vroegste datum" in body
    assert f'href="{reverse("requests:worklist")}">Mijn werklijst van hulpvragen</a>' in body
    team_body = _page(client_for(professional), TEAM)
    link = f'href="{reverse("requests:team_worklist")}">Werklijst van hulpvragen van mijn teams'
    assert link in team_body


def test_more_work_without_a_list_of_its_own_is_said_without_a_link(
    professional, client_for, registry, today
) -> None:
    def capped(*, user, scope, today, limit) -> WorkPart:
        return WorkPart(items=[_item("decision", today, "Besluit")], more=True)

    register(capped, kinds=["decision"])
    body = _page(client_for(professional), MINE + "?soort=decision")
    assert "Meer werk dat hier niet staat" in body
    assert 'href=""' not in body


def test_an_empty_list_says_so(professional, client_for) -> None:
    body = _page(client_for(professional), MINE)
    assert "Er is nu geen werk met een datum." in body
    assert "<table" not in body


def test_every_provider_gives_known_kinds_and_nothing_without_person_level_access(
    make_user, team, today, professional, resident
) -> None:
    """The contract of the registry, for every app's provider: kinds of KIND_LABELS, at most
    `limit` items, and an empty part for a role without person-level access."""
    HelpRequestFactory(team=team, assigned_to=professional, resident=resident)
    professional.is_verified = lambda: True
    municipality = make_user(Role.MUNICIPALITY)
    municipality.is_verified = lambda: True
    assert worklist.providers()
    for provider in worklist.providers():
        for scope in worklist.SCOPES:
            part = provider(user=professional, scope=scope, today=today, limit=1)
            assert len(part.items) <= 1
            assert {item.kind for item in part.items} <= set(KIND_LABELS), provider
            assert not provider(user=municipality, scope=scope, today=today, limit=1).items


def _row_makers() -> dict[str, Callable[..., None]]:
    """Each app's `tests/worklist_rows.py`: its KINDS and make_rows(user=, team=, today=,
    count=) that makes `count` rows of each of those kinds on the user's own and team lists."""
    makers: dict[str, Callable[..., None]] = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.worklist_rows"
        if config.name.startswith("wijk.") and importlib.util.find_spec(name) is not None:
            module = importlib.import_module(name)
            makers.update(dict.fromkeys(module.KINDS, module.make_rows))
    return makers


ROW_MAKERS = _row_makers()


def test_every_kind_of_work_has_rows_in_the_pinned_query_count() -> None:
    """Every provider says which kinds it gives, and its app makes rows of them for the test
    below, so that a provider that reads per row (N+1) cannot slip in unpinned."""
    unnamed = [r.provider.__qualname__ for r in worklist._REGISTRATIONS if not r.kinds]
    assert not unnamed, f"Register {unnamed} with kinds=(...) (wijk.core.worklist.register)"
    missing = sorted(set(worklist.registered_kinds()) - set(ROW_MAKERS))
    assert not missing, f"Add tests/worklist_rows.py (KINDS, make_rows) for the kinds {missing}"


# Session, user with organisation, TOTP device (3); per provider its list query and its
# access-log entry (one statement, below): the requests' first contacts (2); the meldcode's open
# cases (2); the unfinished investigations (2); the decisions back from the municipality
# (2) and the pgb evaluations due (2); the plan evaluations due (2). The team's lists are
# long: four providers read the team's candidates without the access rule first (one query
# more each: the first contacts, the investigations, the pgb and the plan evaluations,
# core.rows.capped_rows). Each of the six access-log entries is one statement more (two in
# all: lock the chain's head, then move it and insert, docs/adr/0006). Pinned, so that a
# query per row (N+1) cannot creep in; an app that registers a provider adds its queries here.
WORKLIST_QUERIES = {"mine": 5 + 2 + 2 + 4 + 2 + 6, "team": 5 + 2 + 2 + 4 + 2 + 4 + 6}


@pytest.mark.parametrize("scope", ["mine", "team"])
def test_the_query_count_is_pinned_and_does_not_grow_with_the_rows(
    scope, professional, client_for, team, today, django_assert_num_queries
) -> None:
    client = client_for(professional)
    url = MINE if scope == "mine" else TEAM
    professional.is_verified = lambda: True  # for the services a maker may call directly
    makers = set(ROW_MAKERS.values())

    def make(count: int) -> None:
        """`count` rows of each kind of work."""
        for make_rows in makers:
            make_rows(user=professional, team=team, today=today, count=count)

    make(3)
    client.get(url)  # warm the menu and the reference caches
    with django_assert_num_queries(WORKLIST_QUERIES[scope]):
        body = _page(client, url)
    assert len(_titles(body)) == 3 * len(ROW_MAKERS)
    make(27)
    # Again: making the rows may take longer than the 30 s after which a request writes the
    # session's last-seen time (one more query, that has nothing to do with the rows).
    client.get(url)
    with django_assert_num_queries(WORKLIST_QUERIES[scope]):
        body = _page(client, url)
    assert len(_titles(body)) == 30 * len(ROW_MAKERS)
