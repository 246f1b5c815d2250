"""The data-quality report (ADR 0047): each check finds a record made to fail it and not a good
one; a team lead sees the counts and records of their own active teams only, each listing
logged; management and the municipality see counts only (the municipality's protected);
other roles get the not-found page; the summary for the feed needs no user."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt, Wijk
from wijk.core.audit import model_ref
from wijk.core.models import AccessEvent, AccessLogEntry
from wijk.core.quality import quality_checks
from wijk.monitoring.quality import AREA_CITY, AREA_WIJK, quality_summary
from wijk.monitoring.selectors import UNKNOWN_WIJK
from wijk.monitoring.tests.factories import (
    HelpRequestFactory,
    ShortContactFactory,
    TrajectoryFactory,
)
from wijk.organisations.models import Team
from wijk.organisations.tests.factories import TeamFactory
from wijk.reference.models import Code, CodeList
from wijk.requests.models import HelpRequest
from wijk.residents.models import Resident
from wijk.residents.tests.factories import AddressFactory, ResidentFactory
from wijk.trajectories.models import Trajectory
from wijk.trajectories.workflow import Part

pytestmark = pytest.mark.django_db

QUALITY = reverse("monitoring:quality")
# residents.selectors.DUPLICATE_REPORT_REASON (monitoring may not import that module).
DUPLICATE_REPORT_REASON = "data quality: possible duplicates"
EXPECTED_CODES = {
    "request_without_buurt",
    "request_dates_out_of_order",
    "request_date_in_future",
    "request_code_not_valid",
    "trajectory_resident_without_address",
    "trajectory_without_start_zrm",
    "trajectory_without_end_zrm",
    "trajectory_date_in_future",
    "trajectory_code_not_valid",
    "trajectory_registered_late",
    "resident_possible_duplicate",
    "contact_without_wijk",
    "contact_not_valid",
    "contact_registered_late",
}


def _today() -> datetime.date:
    return timezone.localdate()


def _days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _retired(slug: str) -> Code:
    """A code of list `slug` that stopped being valid long ago."""
    return Code.objects.create(
        code_list=CodeList.objects.get(slug=slug),
        code=f"old_{slug}"[:32],
        label_nl="Oude keuze",
        label_en="Old choice",
        valid_from=datetime.date(2022, 7, 1),
        valid_until=datetime.date(2023, 1, 1),
    )


def _buurt_of(team: Team) -> Buurt:
    return Buurt.objects.filter(wijk__in=team.wijken.all()).order_by("code").first()


def _resident_of(team: Team, **kwargs: Any) -> Resident:
    return ResidentFactory(address=AddressFactory(buurt=_buurt_of(team)), **kwargs)


def _good_records(team: Team) -> None:
    """One record of each kind that passes every check."""
    resident = _resident_of(team, family_name="Goedhart-Uniek")
    HelpRequestFactory(team=team, buurt=_buurt_of(team), resident=resident)
    TrajectoryFactory(team=team, resident=resident, inflow_date=_today())
    ShortContactFactory(team=team, wijk=_buurt_of(team).wijk)


# For each check: a maker of records of `team` that fail it, and how many records fail.
MAKERS: dict[str, Callable[[Team], int]] = {}


def maker(code: str) -> Callable[[Callable[[Team], int]], Callable[[Team], int]]:
    def register(make: Callable[[Team], int]) -> Callable[[Team], int]:
        MAKERS[code] = make
        return make

    return register


@maker("request_without_buurt")
def _request_without_buurt(team: Team) -> int:
    HelpRequestFactory(team=team, buurt=None, resident=_resident_of(team))
    return 1


@maker("request_dates_out_of_order")
def _request_dates_out_of_order(team: Team) -> int:
    HelpRequestFactory(
        team=team,
        buurt=_buurt_of(team),
        resident=_resident_of(team),
        received_at=_days_ago(2),
        first_contact_at=_days_ago(5),
    )
    return 1


@maker("request_date_in_future")
def _request_date_in_future(team: Team) -> int:
    HelpRequestFactory(
        team=team,
        buurt=_buurt_of(team),
        resident=_resident_of(team),
        received_at=timezone.now() + datetime.timedelta(days=3),
    )
    return 1


@maker("request_code_not_valid")
def _request_code_not_valid(team: Team) -> int:
    HelpRequestFactory(
        team=team, buurt=_buurt_of(team), resident=_resident_of(team), channel=_retired("channels")
    )
    return 1


@maker("trajectory_resident_without_address")
def _trajectory_resident_without_address(team: Team) -> int:
    TrajectoryFactory(team=team, resident=ResidentFactory(address=None))
    return 1


@maker("trajectory_without_start_zrm")
def _trajectory_without_start_zrm(team: Team) -> int:
    inflow = _today() - datetime.timedelta(days=40)
    TrajectoryFactory(
        team=team,
        resident=_resident_of(team),
        part=Part.SOCIAAL_WIJKTEAM,
        inflow_date=inflow,
        created_at=_days_ago(40),
    )
    # Sociale Basis makes no ZRM: not counted.
    TrajectoryFactory(
        team=team,
        resident=_resident_of(team),
        part=Part.SOCIALE_BASIS,
        inflow_date=inflow,
        created_at=_days_ago(40),
    )
    return 1


@maker("trajectory_without_end_zrm")
def _trajectory_without_end_zrm(team: Team) -> int:
    TrajectoryFactory(team=team, resident=_resident_of(team), closed_on=_today())
    return 1


@maker("trajectory_date_in_future")
def _trajectory_date_in_future(team: Team) -> int:
    TrajectoryFactory(
        team=team, resident=_resident_of(team), inflow_date=_today() + datetime.timedelta(days=2)
    )
    return 1


@maker("trajectory_code_not_valid")
def _trajectory_code_not_valid(team: Team) -> int:
    TrajectoryFactory(
        team=team, resident=_resident_of(team), inflow_reason=_retired("inflow_reasons")
    )
    return 1


@maker("trajectory_registered_late")
def _trajectory_registered_late(team: Team) -> int:
    TrajectoryFactory(
        team=team,
        resident=_resident_of(team),
        part=Part.SOCIALE_BASIS,
        inflow_date=_today() - datetime.timedelta(days=40),
    )
    return 1


@maker("resident_possible_duplicate")
def _resident_possible_duplicate(team: Team) -> int:
    born = datetime.date(1980, 3, 12)
    _resident_of(team, family_name="Tweelingh", date_of_birth=born)
    _resident_of(team, family_name="TWEELINGH", date_of_birth=born)
    _resident_of(team, family_name="Tweelingh", date_of_birth=born + datetime.timedelta(days=1))
    return 2  # both of the pair; not the one born a day later


@maker("contact_without_wijk")
def _contact_without_wijk(team: Team) -> int:
    ShortContactFactory(team=team, wijk=None)
    return 1


@maker("contact_not_valid")
def _contact_not_valid(team: Team) -> int:
    wijk = _buurt_of(team).wijk
    ShortContactFactory(team=team, wijk=wijk, contact_date=_today() + datetime.timedelta(days=1))
    ShortContactFactory(team=team, wijk=wijk, life_domain=_retired("life_domains"))
    return 2


@maker("contact_registered_late")
def _contact_registered_late(team: Team) -> int:
    ShortContactFactory(
        team=team, wijk=_buurt_of(team).wijk, contact_date=_today() - datetime.timedelta(days=40)
    )
    return 1


def _city_counts(*, exact: bool = True) -> dict[str, int | None]:
    return {
        row.check: row.value
        for row in quality_summary(_today(), exact=exact)
        if row.area_level == AREA_CITY
    }


def test_every_check_is_registered_and_has_a_maker() -> None:
    assert {check.code for check in quality_checks()} == EXPECTED_CODES == set(MAKERS)


def test_good_records_fail_no_check(team) -> None:
    _good_records(team)
    assert set(_city_counts().values()) == {0}


@pytest.mark.parametrize("code", sorted(EXPECTED_CODES))
def test_each_check_finds_the_record_made_to_fail_it(code: str, team) -> None:
    _good_records(team)
    failing = MAKERS[code](team)
    counts = _city_counts()
    assert counts[code] == failing
    assert {other: count for other, count in counts.items() if count} == {code: failing}


def test_the_summary_needs_no_user_and_protects_small_counts(team) -> None:
    MAKERS["contact_without_wijk"](team)
    _good_records(team)
    rows = quality_summary(_today())
    wijk_codes = set(Wijk.objects.values_list("code", flat=True))
    by_area = {(row.check, row.area_level, row.area_code): row for row in rows}
    # One city row and one per wijk (and "onbekend") for every check.
    assert len(rows) == len(EXPECTED_CODES) * (1 + len(wijk_codes) + 1)
    city = by_area[("contact_without_wijk", AREA_CITY, "")]
    unknown = by_area[("contact_without_wijk", AREA_WIJK, UNKNOWN_WIJK)]
    # One contact: never shown to the municipality ("< 5" in a cell, a total "verborgen").
    assert (unknown.value, unknown.status) == (None, "small")
    assert (city.value, city.status) == (None, "hidden")
    assert by_area[("request_dates_out_of_order", AREA_CITY, "")].value == 0
    exact = {
        (row.check, row.area_level, row.area_code): row.value
        for row in quality_summary(_today(), exact=True)
    }
    assert exact[("contact_without_wijk", AREA_CITY, "")] == 1
    assert exact[("contact_without_wijk", AREA_WIJK, UNKNOWN_WIJK)] == 1
    for code in wijk_codes:
        assert exact[("contact_without_wijk", AREA_WIJK, code)] == 0


def test_the_summary_counts_per_wijk(team) -> None:
    MAKERS["contact_registered_late"](team)
    counts = {
        (row.check, row.area_code): row.value
        for row in quality_summary(_today(), exact=True)
        if row.area_level == AREA_WIJK
    }
    assert counts[("contact_registered_late", _buurt_of(team).wijk.code)] == 1


@pytest.fixture
def two_teams(team) -> dict[str, Any]:
    """The team lead's team and another team in another wijk, each with a request without a
    buurt, a closed trajectory without an end ZRM, and a pair of possible duplicates."""
    second_wijk = Wijk.objects.exclude(code=team.wijken.get().code).order_by("code").first()
    other = TeamFactory(wijken=[second_wijk])
    made: dict[str, Any] = {"team": team, "other": other}
    for key, owner, name in (("own", team, "Eigenaar"), ("theirs", other, "Anderman")):
        resident = _resident_of(owner, family_name=f"{name}-Traject")
        made[key] = {
            "request": HelpRequestFactory(team=owner, buurt=None, resident=_resident_of(owner)),
            "trajectory": TrajectoryFactory(team=owner, resident=resident, closed_on=_today()),
            "twins": [
                _resident_of(owner, family_name=name, date_of_birth=datetime.date(1970, 1, 2)),
                _resident_of(owner, family_name=name, date_of_birth=datetime.date(1970, 1, 2)),
            ],
        }
    return made


def _team_lead_client(two_teams, make_user, client_for):
    return client_for(make_user(Role.TEAM_LEAD, teams=[two_teams["team"]]))


def test_team_lead_counts_only_their_own_teams(two_teams, make_user, client_for) -> None:
    response = _team_lead_client(two_teams, make_user, client_for).get(QUALITY)
    assert response.status_code == 200
    rows = {row["check"].code: row["count"] for row in response.context["rows"]}
    assert rows["request_without_buurt"] == 1
    assert rows["trajectory_without_end_zrm"] == 1
    assert rows["resident_possible_duplicate"] == 2
    # Counts only until a check is chosen: nothing listed, nothing logged.
    assert response.context["listing"] is None
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize(
    ("code", "shown", "link"),
    [
        (
            "request_without_buurt",
            lambda made: made["request"].reference,
            lambda made: reverse("requests:detail", args=[made["request"].pk]),
        ),
        (
            "trajectory_without_end_zrm",
            lambda made: made["trajectory"].resident.family_name,
            lambda made: reverse("trajectories:detail", args=[made["trajectory"].pk]),
        ),
        (
            "resident_possible_duplicate",
            lambda made: made["twins"][0].family_name,
            lambda made: reverse("residents:detail", args=[made["twins"][0].pk]),
        ),
    ],
)
def test_team_lead_lists_their_own_teams_records_with_links(
    code, shown, link, two_teams, make_user, client_for
) -> None:
    client = _team_lead_client(two_teams, make_user, client_for)
    html = client.get(QUALITY, {"controle": code}).content.decode()
    assert shown(two_teams["own"]) in html
    assert f'href="{link(two_teams["own"])}"' in html
    assert shown(two_teams["theirs"]) not in html
    assert link(two_teams["theirs"]) not in html


def test_listing_writes_a_list_entry_to_the_access_log(two_teams, make_user, client_for) -> None:
    client = _team_lead_client(two_teams, make_user, client_for)
    client.get(QUALITY, {"controle": "request_without_buurt"})
    request = two_teams["own"]["request"]
    entry = AccessLogEntry.objects.get()
    assert entry.event == AccessEvent.SEARCH
    assert model_ref(HelpRequest, request.pk) in entry.objects_touched
    assert model_ref(Resident, request.resident_id) in entry.objects_touched
    assert model_ref(HelpRequest, two_teams["theirs"]["request"].pk) not in entry.objects_touched


def test_listing_duplicates_names_the_residents_they_match(
    two_teams, make_user, client_for
) -> None:
    """As the duplicate check at registration (ADR 0017): the matched residents' own access
    log shows who saw that they may be registered twice, also one the reader cannot open."""
    own = two_teams["own"]["twins"]
    outside = ResidentFactory(
        family_name=own[0].family_name, date_of_birth=own[0].date_of_birth, address=None
    )
    client = _team_lead_client(two_teams, make_user, client_for)
    html = client.get(QUALITY, {"controle": "resident_possible_duplicate"}).content.decode()
    assert reverse("residents:detail", args=[outside.pk]) not in html
    listed = AccessLogEntry.objects.get(reason="")
    assert {model_ref(Resident, twin.pk) for twin in own} <= set(listed.objects_touched)
    matched = AccessLogEntry.objects.get(reason=DUPLICATE_REPORT_REASON)
    assert matched.objects_touched == [model_ref(Resident, outside.pk)]


def test_a_trajectory_of_a_resident_the_team_lead_cannot_open_is_counted_not_listed(
    team, make_user, client_for
) -> None:
    trajectory = TrajectoryFactory(team=team, resident=ResidentFactory(address=None))
    client = client_for(make_user(Role.TEAM_LEAD, teams=[team]))
    response = client.get(QUALITY, {"controle": "trajectory_resident_without_address"})
    assert response.context["chosen_count"] == 1
    assert response.context["listing"].rows == []
    html = response.content.decode()
    assert reverse("trajectories:detail", args=[trajectory.pk]) not in html
    assert "inwoners die u niet kunt openen" in html


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY])
def test_management_and_municipality_see_counts_only(
    role, two_teams, make_user, client_for
) -> None:
    client = client_for(make_user(role))
    for query in ({}, {"controle": "request_without_buurt"}, {"wijk": UNKNOWN_WIJK}):
        response = client.get(QUALITY, query)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Hulpvraag zonder buurt" in html
        for made in (two_teams["own"], two_teams["theirs"]):
            assert made["request"].reference not in html
            assert made["trajectory"].resident.family_name not in html
            assert made["twins"][0].family_name not in html
        for prefix in ("requests:worklist", "trajectories:list"):
            assert f'href="{reverse(prefix)}' not in html
        assert "/inwoners/" not in html
    assert not AccessLogEntry.objects.exists()


def test_municipality_sees_no_small_counts_and_management_exact(
    two_teams, make_user, client_for
) -> None:
    counts = {}
    for role in (Role.MANAGEMENT, Role.MUNICIPALITY):
        response = client_for(make_user(role)).get(QUALITY)
        counts[role] = {row["check"].code: str(row["city"]) for row in response.context["rows"]}
    assert counts[Role.MANAGEMENT]["request_without_buurt"] == "2"
    assert counts[Role.MUNICIPALITY]["request_without_buurt"] in {"< 5", "verborgen"}


def test_a_wijk_shows_its_own_column(two_teams, make_user, client_for) -> None:
    response = client_for(make_user(Role.MANAGEMENT)).get(QUALITY, {"wijk": UNKNOWN_WIJK})
    rows = {row["check"].code: row["in_wijk"] for row in response.context["rows"]}
    assert str(rows["request_without_buurt"]) == "2"


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.ADMINISTRATOR])
def test_other_roles_get_not_found(role, team, make_user, client_for) -> None:
    response = client_for(make_user(role, teams=[team])).get(QUALITY)
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["onbekend", "contact_without_wijk", "²", "9" * 5000, "\x00", ""])
def test_an_unknown_or_unlisted_check_lists_nothing(value, team, make_user, client_for) -> None:
    response = client_for(make_user(Role.TEAM_LEAD, teams=[team])).get(QUALITY, {"controle": value})
    assert response.status_code == 200
    assert response.context["listing"] is None
    assert not AccessLogEntry.objects.exists()


def test_the_team_leads_list_reads_a_fixed_number_of_queries(team, make_user, client_for) -> None:
    client = client_for(make_user(Role.TEAM_LEAD, teams=[team]))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(QUALITY, {"controle": "trajectory_without_end_zrm"})
        assert response.status_code == 200
        return len(captured)

    MAKERS["trajectory_without_end_zrm"](team)
    once = queries()
    for _more in range(3):
        MAKERS["trajectory_without_end_zrm"](team)
    assert queries() == once


def test_the_monitoring_navigation_links_the_report(team, make_user, client_for) -> None:
    html = client_for(make_user(Role.MANAGEMENT)).get(reverse("monitoring:reach")).content
    assert f'href="{QUALITY}"'.encode() in html


def test_request_without_buurt_of_another_team_is_not_counted_for_the_team_lead(
    two_teams, make_user, client_for
) -> None:
    """The other team's bad records count in the city's figures, not in the team lead's."""
    assert _city_counts()["request_without_buurt"] == 2
    client = _team_lead_client(two_teams, make_user, client_for)
    rows = {row["check"].code: row["count"] for row in client.get(QUALITY).context["rows"]}
    assert rows["request_without_buurt"] == 1
    assert Trajectory.objects.filter(team=two_teams["other"]).count() == 1
