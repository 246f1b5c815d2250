"""The indicators added for issue 14's second slice (docs/adr/0051): the investigation's six
weeks, referrals by provision, the waiting list by waiting time and the change in ZRM
scores, from records whose true counts the test knows; their protection for the
municipality; and the dashboard showing each of them to management and the municipality."""

from __future__ import annotations

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.accounts.tests.factories import UserFactory
from wijk.areas.models import Buurt
from wijk.core.disclosure import Figure, protect_list
from wijk.investigations.models import Investigation
from wijk.monitoring.indicators import (
    AREA_CITY,
    AREA_WIJK,
    DEFINITIONS,
    UNKNOWN_AREA,
    IndicatorRow,
    Protection,
    category_names,
    definition_for,
    indicator_codes,
    indicator_rows,
    municipality_rows,
)
from wijk.monitoring.selectors import Period, PeriodUnit, period_of
from wijk.monitoring.tests.factories import HelpRequestFactory, TrajectoryFactory
from wijk.reference.models import Code
from wijk.requests.workflow import Outcome, RequestStatus
from wijk.residents.tests.factories import AddressFactory, ResidentFactory
from wijk.trajectories.models import ZrmAssessment, ZrmScore
from wijk.trajectories.workflow import ZrmMoment

pytestmark = pytest.mark.django_db

D = datetime.date
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = D(2025, 5, 14)
MARCH = Period(D(2025, 3, 1), PeriodUnit.MONTH)
APRIL = Period(D(2025, 4, 1), PeriodUnit.MONTH)
MAY = Period(D(2025, 5, 1), PeriodUnit.MONTH)
Q1 = Period(D(2025, 1, 1), PeriodUnit.QUARTER)
NEW_CODES = ("termijn_onderzoek", "doorverwijzingen", "wachttijd", "zrm_verandering")


def _rows(rows: list[IndicatorRow], **match: object) -> list[IndicatorRow]:
    return [row for row in rows if all(getattr(row, k) == v for k, v in match.items())]


def _one(rows: list[IndicatorRow], **match: object) -> IndicatorRow:
    found = _rows(rows, **match)
    assert len(found) == 1, (match, found)
    return found[0]


def _values(rows: list[IndicatorRow], **match: object) -> dict[str, int | None]:
    """The figures of one area and period by category ("" the total)."""
    return {row.category: row.value for row in _rows(rows, **match)}


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), AMSTERDAM)


@pytest.fixture
def two_wijken() -> tuple[Buurt, Buurt]:
    buurten = list(Buurt.objects.select_related("wijk__district").order_by("code"))
    first = buurten[0]
    second = next(b for b in buurten if b.wijk.code != first.wijk.code)
    return first, second


def _closed(outcome: str, on: datetime.date, **fields: object) -> dict[str, object]:
    return {"status": RequestStatus.CLOSED, "outcome": outcome, "outcome_at": _at(on), **fields}


def test_every_indicator_is_protected_as_the_property_test_checks() -> None:
    """test_indicators' linear-algebra property test checks the protections of the indicators
    that add up (COUNT and PEOPLE_SPLIT by month, quarters as sums; EXACT hides nothing); the
    others are protected per period, as one table or list. A new indicator falls under it."""
    for definition, computation in DEFINITIONS:
        if definition.additive:
            assert computation.protection in {
                Protection.COUNT,
                Protection.PEOPLE_SPLIT,
                Protection.EXACT,
            }, definition.code
        else:
            assert computation.protection in {
                Protection.PEOPLE,
                Protection.PEOPLE_SPLIT,
            }, definition.code
    counted = {d.code: c.protection for d, c in DEFINITIONS}
    assert counted["wachttijd"] is counted["termijn_onderzoek"] is Protection.PEOPLE_SPLIT
    assert counted["doorverwijzingen"] is counted["zrm_verandering"] is Protection.COUNT


def test_every_new_indicator_is_defined_in_its_first_version() -> None:
    for code in NEW_CODES:
        definition = definition_for(code, APRIL.start)
        assert definition.version == 1
        assert len(str(definition.description)) > 100
        assert definition.breakdowns


# ---------------------------------------------------------------------------------------------
# The investigation's six weeks


def _investigate(help_request, *, completed_on: datetime.date | None = None) -> Investigation:  # type: ignore[no-untyped-def]
    by = UserFactory(role=Role.PROFESSIONAL)
    done: dict[str, object] = {}
    if completed_on is not None:
        done = {
            "conversation_on": completed_on,
            "conversation_place": "home",
            "underlying_question": "Weer zelf boodschappen doen.",
            "completed_on": completed_on,
            "completed_by": by,
        }
    return Investigation.objects.create(
        help_request=help_request,
        resident=help_request.resident,
        started_by=by,
        updated_by=by,
        **done,
    )


def test_investigation_deadline_counts_the_requests_with_an_investigation(two_wijken) -> None:  # type: ignore[no-untyped-def]
    big, small = two_wijken
    received = D(2025, 3, 3)  # a Monday: six weeks later is Monday 14 April
    due = received + datetime.timedelta(days=42)

    def request(buurt: Buurt, **fields: object):  # type: ignore[no-untyped-def]
        return HelpRequestFactory(
            buurt=buurt, resident=ResidentFactory(), received_at=_at(received, 10), **fields
        )

    # The big wijk: 3 on time, 2 late (one finished late, one open and unfinished past the
    # six weeks), 1 not judged (closed within the six weeks, unfinished), and 2 requests with
    # short advice only: no investigation, not counted.
    for _ in range(3):
        _investigate(request(big), completed_on=due)
    _investigate(request(big), completed_on=due + datetime.timedelta(days=1))
    _investigate(request(big))
    _investigate(request(big, **_closed(Outcome.WITHDRAWN, due)))
    request(big)
    request(big, **_closed(Outcome.INFORMATION_GIVEN, received))
    # The small wijk: one on time.
    _investigate(request(small), completed_on=received + datetime.timedelta(days=10))

    exact = list(
        indicator_rows(periods=[MARCH, Q1], codes=["termijn_onderzoek"], exact=True, today=TODAY)
    )
    wijk = dict(period_start=MARCH.start, period_unit=PeriodUnit.MONTH, area_level=AREA_WIJK)
    assert _values(exact, **wijk, area_code=big.wijk.code) == {
        "": 6,
        "met": 3,
        "not_met": 2,
        "not_judged": 1,
    }
    assert _values(exact, **wijk, area_code=small.wijk.code) == {
        "": 1,
        "met": 1,
        "not_met": 0,
        "not_judged": 0,
    }
    city = dict(period_start=Q1.start, period_unit=PeriodUnit.QUARTER, area_level=AREA_CITY)
    assert _values(exact, **city) == {"": 7, "met": 4, "not_met": 2, "not_judged": 1}

    # The municipality: the small wijk's one investigation is a person; its split is hidden
    # whole, and the big wijk's split is shown exactly (it is the team's work, ADR 0028), and
    # so is the city's once the list of wijken is protected.
    protected = list(indicator_rows(periods=[MARCH], codes=["termijn_onderzoek"], today=TODAY))
    small_rows = _rows(protected, area_level=AREA_WIJK, area_code=small.wijk.code)
    assert {row.status for row in small_rows} <= {"small", "hidden"}
    assert all(row.value is None for row in small_rows)
    assert _values(protected, area_level=AREA_WIJK, area_code=big.wijk.code) in (
        {"": 6, "met": 3, "not_met": 2, "not_judged": 1},
        {"": None, "met": None, "not_met": None, "not_judged": None},
    )
    assert all((row.value is None) == (row.status != "shown") for row in protected)


# ---------------------------------------------------------------------------------------------
# Referrals by provision


def test_referrals_by_provision_from_known_requests(two_wijken) -> None:  # type: ignore[no-untyped-def]
    big, small = two_wijken
    shelter = Code.objects.get(code_list__slug="out_of_scope_provisions", code="shelter")
    housing = Code.objects.get(code_list__slug="out_of_scope_provisions", code="sheltered_housing")

    def referred(buurt: Buurt, provision: Code, on: datetime.date, hour: int = 12) -> None:
        HelpRequestFactory(
            buurt=buurt,
            received_at=_at(on - datetime.timedelta(days=3)),
            status=RequestStatus.CLOSED,
            outcome=Outcome.REFERRED_OUT,
            outcome_at=_at(on, hour),
            outcome_provision=provision,
        )

    for day in (1, 5, 9, 30):
        referred(big, shelter, D(2025, 4, day))
    referred(big, housing, D(2025, 4, 2))
    referred(big, housing, D(2025, 4, 1), hour=0)  # 00:30 local on 1 April: April
    HelpRequestFactory(  # 22:30 UTC on 31 March is 00:30 on 1 April in Haarlem: April
        buurt=big,
        received_at=_at(D(2025, 3, 20)),
        status=RequestStatus.CLOSED,
        outcome=Outcome.REFERRED_OUT,
        outcome_at=datetime.datetime(2025, 3, 31, 22, 30, tzinfo=datetime.UTC),
        outcome_provision=shelter,
    )
    referred(small, shelter, D(2025, 4, 15))
    referred(big, shelter, D(2025, 3, 28))  # March
    # Closed otherwise: no referral.
    HelpRequestFactory(buurt=big, **_closed(Outcome.INFORMATION_GIVEN, D(2025, 4, 10)))
    HelpRequestFactory(buurt=big, **_closed(Outcome.SUPPORT_STARTED, D(2025, 4, 10)))

    exact = list(
        indicator_rows(periods=[APRIL, MARCH], codes=["doorverwijzingen"], exact=True, today=TODAY)
    )
    april = dict(period_start=APRIL.start, area_level=AREA_WIJK)
    big_april = _values(exact, **april, area_code=big.wijk.code)
    assert (big_april[""], big_april["shelter"], big_april["sheltered_housing"]) == (7, 5, 2)
    assert set(big_april) - {"", "shelter", "sheltered_housing"}  # the other provisions: 0
    assert sum(v or 0 for k, v in big_april.items() if k) == 7
    assert _values(exact, **april, area_code=small.wijk.code)["shelter"] == 1
    assert _one(exact, period_start=APRIL.start, area_level=AREA_CITY, category="").value == 8
    assert _one(exact, period_start=MARCH.start, area_level=AREA_CITY, category="").value == 1
    names = category_names("voorziening")
    assert names["shelter"] == "Maatschappelijke Opvang"

    # The municipality: the small wijk's single referral is not shown, nor worked out.
    protected = list(indicator_rows(periods=[APRIL], codes=["doorverwijzingen"], today=TODAY))
    small_rows = _rows(protected, area_level=AREA_WIJK, area_code=small.wijk.code)
    assert _one(small_rows, category="").status == "hidden"
    assert _one(small_rows, category="shelter").status == "small"
    assert _one(protected, area_level=AREA_WIJK, area_code=big.wijk.code, category="").status in {
        "shown",
        "hidden",
    }
    big_total = _one(protected, area_level=AREA_WIJK, area_code=big.wijk.code, category="")
    city_total = _one(protected, area_level=AREA_CITY, category="")
    assert not (big_total.status == city_total.status == "shown"), "8 - 7 would tell the 1"
    assert all((row.value is None) == (row.status != "shown") for row in protected)


# ---------------------------------------------------------------------------------------------
# The waiting list by waiting time


def test_waiting_times_band_the_waiting_list_at_the_end_of_the_period(two_wijken) -> None:  # type: ignore[no-untyped-def]
    big, small = two_wijken
    # Waiting on 30 April (the last day of April), days since the day of receipt:
    waiting = {
        D(2025, 4, 30): "tot_2_weken",  # 0
        D(2025, 4, 17): "tot_2_weken",  # 13
        D(2025, 4, 16): "2_tot_4_weken",  # 14
        D(2025, 4, 3): "2_tot_4_weken",  # 27
        D(2025, 4, 2): "4_tot_8_weken",  # 28: the support deadline has passed
        D(2025, 3, 6): "4_tot_8_weken",  # 55
        D(2025, 3, 5): "8_weken_of_langer",  # 56
        D(2024, 11, 1): "8_weken_of_langer",
    }
    for day in waiting:
        HelpRequestFactory(buurt=big, received_at=_at(day, 23))  # late evening: still that day
    # Closed in April: not waiting at its end; closed in May: still waiting then.
    HelpRequestFactory(
        buurt=big, received_at=_at(D(2025, 4, 1)), **_closed(Outcome.WITHDRAWN, D(2025, 4, 29))
    )
    HelpRequestFactory(
        buurt=big, received_at=_at(D(2025, 4, 20)), **_closed(Outcome.WITHDRAWN, D(2025, 5, 2))
    )
    HelpRequestFactory(buurt=small, received_at=_at(D(2025, 4, 29)))
    HelpRequestFactory(buurt=None, received_at=_at(D(2025, 1, 10)))

    codes = ["wachtlijst", "wachttijd"]
    exact = list(indicator_rows(periods=[APRIL, MAY], codes=codes, exact=True, today=TODAY))
    april = dict(indicator="wachttijd", period_start=APRIL.start, area_level=AREA_WIJK)
    assert _values(exact, **april, area_code=big.wijk.code) == {
        "": 9,
        "tot_2_weken": 3,  # with the one received on 20 April, closed in May
        "2_tot_4_weken": 2,
        "4_tot_8_weken": 2,
        "8_weken_of_langer": 2,
    }
    assert _values(exact, **april, area_code=UNKNOWN_AREA)["8_weken_of_langer"] == 1
    # The running month counts today (14 May): the one received on 30 April has waited 14 days.
    may = _values(
        exact,
        indicator="wachttijd",
        period_start=MAY.start,
        area_level=AREA_WIJK,
        area_code=big.wijk.code,
    )
    assert may == {
        "": 8,
        "tot_2_weken": 0,
        "2_tot_4_weken": 2,
        "4_tot_8_weken": 3,
        "8_weken_of_langer": 3,
    }

    # The bands add up to the waiting list, and the municipality sees the same figures of the
    # waiting list in both indicators: the same protected list of wijken (a wijk hidden in one
    # and shown in the other would give a small count away by subtraction).
    for protected in (exact, list(indicator_rows(periods=[APRIL, MAY], codes=codes, today=TODAY))):
        totals = {
            (row.indicator, row.period_start, row.area_level, row.area_code): (
                row.value,
                row.status,
            )
            for row in protected
            if row.category == ""
        }
        for (indicator, *place), figure in totals.items():
            if indicator == "wachttijd":
                assert totals[("wachtlijst", *place)] == figure, place
    protected = list(indicator_rows(periods=[APRIL], codes=["wachttijd"], today=TODAY))
    small_rows = _rows(protected, area_level=AREA_WIJK, area_code=small.wijk.code)
    assert all(row.value is None for row in small_rows)


# ---------------------------------------------------------------------------------------------
# The change in ZRM scores


def _zrm(trajectory, moment: str, on: datetime.date, **scores: int) -> None:  # type: ignore[no-untyped-def]
    assessment = ZrmAssessment.objects.create(
        trajectory=trajectory, moment=moment, assessed_on=on, by=trajectory.coordinator
    )
    for domain, score in scores.items():
        ZrmScore.objects.create(
            assessment=assessment,
            domain=Code.objects.get(code_list__slug="life_domains", code=domain),
            score=score,
        )


def test_zrm_change_per_life_domain_from_known_assessments(two_wijken) -> None:  # type: ignore[no-untyped-def]
    big, small = two_wijken

    def ended(buurt: Buurt, on: datetime.date):  # type: ignore[no-untyped-def]
        resident = ResidentFactory(address=AddressFactory(buurt=buurt))
        return TrajectoryFactory(resident=resident, inflow_date=D(2024, 6, 1), closed_on=on)

    start, end = D(2024, 6, 3), D(2025, 4, 10)
    # Finances better, housing the same.
    first = ended(big, D(2025, 4, 12))
    _zrm(first, ZrmMoment.START, start, finances=2, housing=3)
    _zrm(first, ZrmMoment.EVALUATION, D(2024, 12, 1), finances=5, housing=1)  # not counted
    _zrm(first, ZrmMoment.END, end, finances=4, housing=3)
    # Finances worse: the first start score (3) against the last end score (1).
    second = ended(big, D(2025, 4, 20))
    _zrm(second, ZrmMoment.START, start, finances=3)
    _zrm(second, ZrmMoment.START, D(2024, 7, 1), finances=1)
    _zrm(second, ZrmMoment.END, D(2025, 4, 1), finances=5)
    _zrm(second, ZrmMoment.END, end, finances=1)
    # No domain with both scores; no end assessment; ended in March: none of them counts.
    third = ended(big, D(2025, 4, 20))
    _zrm(third, ZrmMoment.START, start, housing=2)
    _zrm(third, ZrmMoment.END, end, finances=2)
    _zrm(ended(big, D(2025, 4, 20)), ZrmMoment.START, start, finances=1)
    march = ended(big, D(2025, 3, 20))
    _zrm(march, ZrmMoment.START, start, finances=1)
    _zrm(march, ZrmMoment.END, D(2025, 3, 19), finances=2)
    # One in the small wijk: housing better.
    fourth = ended(small, D(2025, 4, 2))
    _zrm(fourth, ZrmMoment.START, start, housing=1)
    _zrm(fourth, ZrmMoment.END, end, housing=2)

    exact = list(
        indicator_rows(periods=[APRIL, MARCH], codes=["zrm_verandering"], exact=True, today=TODAY)
    )
    april = dict(period_start=APRIL.start, area_level=AREA_WIJK, area_code=big.wijk.code)
    found = {k: v for k, v in _values(exact, **april).items() if v}
    assert found == {"": 2, "finances:beter": 1, "finances:slechter": 1, "housing:gelijk": 1}
    city = {
        k: v for k, v in _values(exact, period_start=APRIL.start, area_level=AREA_CITY).items() if v
    }
    assert city == {
        "": 3,
        "finances:beter": 1,
        "finances:slechter": 1,
        "housing:gelijk": 1,
        "housing:beter": 1,
    }
    # Every life domain has its three changes as categories.
    categories = {row.category for row in exact if row.category}
    assert len(categories) == 3 * Code.objects.filter(code_list__slug="life_domains").count()
    assert _one(exact, period_start=MARCH.start, area_level=AREA_CITY, category="").value == 1
    assert category_names("leefgebied")["finances:beter"] == "Financiën: beter"

    # The municipality: the change is about the person, every count below 5 is protected.
    protected = list(indicator_rows(periods=[APRIL], codes=["zrm_verandering"], today=TODAY))
    assert not [row for row in protected if row.value is not None and 0 < row.value < 5]
    assert _one(protected, area_level=AREA_CITY, category="finances:beter").status != "shown"


# ---------------------------------------------------------------------------------------------
# The dashboard shows each new indicator


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY])
def test_the_dashboard_shows_each_new_indicator(make_user, client_for, two_wijken, role) -> None:  # type: ignore[no-untyped-def]
    big, _small = two_wijken
    today = timezone.localdate()
    for days in (1, 3, 20, 20, 40, 70):
        HelpRequestFactory(buurt=big, received_at=_at(today - datetime.timedelta(days=days)))
    client = client_for(make_user(role))
    for code in (*NEW_CODES, "instroom_jeugd", "uitstroom_jeugd"):
        response = client.get(reverse("monitoring:dashboard"), {"indicator": code})
        assert response.status_code == 200, code
        html = response.content.decode()
        definition = definition_for(code, period_of(PeriodUnit.MONTH, today).start)
        assert str(definition.title) in html, code
        assert ('id="tabel-verdeling"' in html) == bool(definition.breakdowns), code
    html = client.get(reverse("monitoring:dashboard"), {"indicator": "wachttijd"}).content.decode()
    breakdown = html.split('id="tabel-verdeling"', 1)[1].split("</table>", 1)[0]
    assert "2 tot 4 weken" in breakdown and "8 weken of langer" in breakdown
    if role == Role.MANAGEMENT:
        assert ">6<" in html.split('id="tabel-ontwikkeling"', 1)[1].split("</table>", 1)[0]


# ---------------------------------------------------------------------------------------------
# Youth inflow and outflow


def test_youth_inflow_and_outflow_count_unique_young_residents(two_wijken) -> None:  # type: ignore[no-untyped-def]
    big, _small = two_wijken
    young = [ResidentFactory(address=AddressFactory(buurt=big)) for _ in range(6)]
    for resident in young:  # two trajectories each: one resident counts once
        TrajectoryFactory(resident=resident, inflow_date=D(2025, 4, 2), youth_support=True)
        TrajectoryFactory(
            resident=resident,
            inflow_date=D(2025, 4, 9),
            youth_support=True,
            closed_on=D(2025, 4, 28),
        )
    TrajectoryFactory(  # not youth support
        resident=ResidentFactory(address=AddressFactory(buurt=big)), inflow_date=D(2025, 4, 2)
    )
    rows = list(
        indicator_rows(
            periods=[APRIL],
            codes=["instroom", "instroom_jeugd", "uitstroom_jeugd"],
            today=TODAY,
            exact=True,
        )
    )
    wijk = dict(area_level=AREA_WIJK, area_code=big.wijk.code, category="")
    assert _one(rows, indicator="instroom", **wijk).value == 7
    assert _one(rows, indicator="instroom_jeugd", **wijk).value == 6
    assert _one(rows, indicator="uitstroom_jeugd", **wijk).value == 6


YOUTH_OF = {"bereik_jeugd": "bereik", "instroom_jeugd": "instroom", "uitstroom_jeugd": "uitstroom"}


def test_the_adults_of_a_wijk_are_not_told_by_the_youth_and_their_total(two_wijken) -> None:  # type: ignore[no-untyped-def]
    """Six young residents and one adult start and end support in one wijk in April: reach,
    inflow and outflow are 7, their youth parts 6. Total less youth would be the one adult:
    in no area and no period (the month, its quarter) are both shown with a small difference."""
    big, _small = two_wijken
    for youth in [True] * 6 + [False]:
        TrajectoryFactory(
            resident=ResidentFactory(address=AddressFactory(buurt=big)),
            inflow_date=D(2025, 4, 2),
            closed_on=D(2025, 4, 28),
            youth_support=youth,
        )
    codes = [*YOUTH_OF, *YOUTH_OF.values()]
    quarter = Period(D(2025, 4, 1), PeriodUnit.QUARTER)
    exact = list(indicator_rows(periods=[APRIL], codes=codes, today=TODAY, exact=True))
    rows = list(municipality_rows(periods=[APRIL, quarter], codes=codes, today=TODAY))
    wijk = dict(
        area_level=AREA_WIJK, area_code=big.wijk.code, category="", period_start=APRIL.start
    )
    for youth, total in YOUTH_OF.items():
        # management (exact) sees the counts as they are
        assert _one(exact, indicator=total, **wijk).value == 7
        assert _one(exact, indicator=youth, **wijk).value == 6
        # the municipality: youth hidden in the wijk, and in the city it adds up to
        assert _one(rows, indicator=youth, period_unit=PeriodUnit.MONTH, **wijk).status == "hidden"
        city = dict(area_level=AREA_CITY, category="", period_start=APRIL.start)
        for unit in (PeriodUnit.MONTH, PeriodUnit.QUARTER):
            assert _one(rows, indicator=youth, period_unit=unit, **city).status != "shown"
        # and nowhere is the difference of two shown figures small
        for row in _rows(rows, indicator=youth, category=""):
            whole = _one(
                rows,
                indicator=total,
                category="",
                area_level=row.area_level,
                area_code=row.area_code,
                period_unit=row.period_unit,
                period_start=row.period_start,
            )
            if row.value is not None and whole.value is not None:
                assert not 0 < whole.value - row.value < 5, (row, whole)


@pytest.mark.parametrize(
    ("youth", "wholes"),
    [
        ([6, 5, 0, 10], [7, 5, 0, 20]),  # the 5 cannot rise (all its residents are young)
        ([6, 5, 9, 10], [7, 5, 9, 20]),
        ([6, 8, 5, 12], [7, 8, 5, 30]),
    ],
)
def test_a_hidden_youth_count_is_not_pinned_by_its_total(
    youth: list[int], wholes: list[int]
) -> None:
    """The reader knows that a wijk's youth count is no larger than its total: the secondary
    suppression must not lean on a count that could only rise above it. Every youth list the
    reader finds possible (shown counts as shown, "< 5" 1..4, a hidden count 5 up to its
    total, the city as shown) leaves the first wijk's rest (total less youth) undecided."""
    listed = protect_list(youth, wholes=wholes)
    assert listed.cells[0].status == "hidden"

    def possible(figure: Figure, whole: int) -> range:
        if figure.shown:
            assert figure.value is not None
            return range(figure.value, figure.value + 1)
        return range(1, 5) if figure.small else range(5, whole + 1)

    choices = [possible(f, w) for f, w in zip(listed.cells, wholes, strict=True)]
    rests = {
        wholes[0] - found[0]
        for found in itertools.product(*choices)
        if not listed.total.shown or sum(found) == listed.total.value
    }
    assert len(rests) > 1, rests


# ---------------------------------------------------------------------------------------------
# Counts that several indicators read are asked once


def test_counts_read_by_several_indicators_are_asked_once() -> None:
    codes = indicator_codes()
    with CaptureQueriesContext(connection) as together:
        all_rows = list(indicator_rows(periods=[APRIL], today=TODAY))
    apart, one_by_one = 0, []
    for code in codes:
        with CaptureQueriesContext(connection) as alone:
            one_by_one += list(indicator_rows(periods=[APRIL], codes=[code], today=TODAY))
        apart += len(alone)
    assert all_rows == one_by_one
    # Each call asks the wijken once; besides that, the youth figures of reach, inflow and
    # outflow, youth attendance, the waiting times, two of the three request deadlines and two
    # of the reasons and handovers read what their sibling asked: at least 9 queries fewer.
    assert len(together) <= apart - (len(codes) - 1) - 9
