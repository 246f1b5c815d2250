"""Reach per calendar period, wijk and part; inflow and outflow by reason and handover
destination (the counts of the indicators); and how the municipality's deadline figures are put
together from protected tables. Hand-made trajectories and contacts, a fixed `today`. How the
reach and reasons pages show the indicators' figures: test_pages_agree.py."""

from __future__ import annotations

import datetime

import pytest

from wijk.areas.models import Buurt
from wijk.core.disclosure import HIDDEN, SMALL, exact
from wijk.monitoring.figures import DEADLINE_CODES, IndicatorFigures, compliance_from_indicators
from wijk.monitoring.indicators import AREA_CITY, AREA_WIJK, municipality_rows
from wijk.monitoring.selectors import (
    PartCounts,
    Period,
    PeriodUnit,
    contacts_per_wijk,
    period_of,
    reach_per_wijk,
    reason_counts,
    recent_periods,
    wijk_options,
)
from wijk.monitoring.tests.factories import (
    HandoverFactory,
    HelpRequestFactory,
    ShortContactFactory,
    TrajectoryFactory,
    first_code,
)
from wijk.reference.models import Code
from wijk.residents.tests.factories import AddressFactory, ResidentFactory
from wijk.trajectories.workflow import HandoverDestination, Part

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 5, 14)
D = datetime.date


def in_wijk(buurt: Buurt):
    return ResidentFactory(address=AddressFactory(buurt=buurt))


@pytest.fixture
def two_wijken():
    buurten = list(Buurt.objects.order_by("code"))
    first = buurten[0]
    second = next(b for b in buurten if b.wijk.code != first.wijk.code)
    return first, second


# ---------------------------------------------------------------------------------------------
# Periods


def test_calendar_periods() -> None:
    assert period_of(PeriodUnit.QUARTER, TODAY) == Period(D(2025, 4, 1), PeriodUnit.QUARTER)
    assert period_of(PeriodUnit.QUARTER, TODAY).end == D(2025, 7, 1)
    assert period_of(PeriodUnit.YEAR, TODAY).months[-1] == D(2025, 12, 1)
    assert [p.start for p in recent_periods(PeriodUnit.MONTH, 3, D(2025, 1, 31))] == [
        D(2025, 1, 1),
        D(2024, 12, 1),
        D(2024, 11, 1),
    ]
    assert [p.label for p in recent_periods(PeriodUnit.QUARTER, 2, TODAY)] == [
        "kwartaal 2 van 2025",
        "kwartaal 1 van 2025",
    ]
    assert recent_periods(PeriodUnit.YEAR, 1, TODAY)[0].label == "2025"
    assert recent_periods(PeriodUnit.MONTH, 1, TODAY)[0].label == "mei 2025"
    with pytest.raises(ValueError, match="no such period"):
        period_of("week", TODAY)


# ---------------------------------------------------------------------------------------------
# Reach


def test_reach_counts_unique_residents_with_a_trajectory_running_in_the_period(
    two_wijken,
) -> None:
    first, second = two_wijken
    both_parts, young, left_early, later = (in_wijk(first) for _n in range(4))
    elsewhere = in_wijk(second)
    homeless = ResidentFactory(address=None)
    # one resident, two parts, running through the whole of the first quarter
    TrajectoryFactory(resident=both_parts, inflow_date=D(2024, 12, 1), part=Part.SOCIALE_BASIS)
    TrajectoryFactory(
        resident=both_parts,
        inflow_date=D(2025, 2, 1),
        part=Part.AANVULLENDE_ONDERSTEUNING,
        closed_on=D(2025, 2, 20),
    )
    TrajectoryFactory(resident=young, inflow_date=D(2025, 3, 31), youth_support=True)
    # ended on the last day of December: not reached in 2025
    TrajectoryFactory(resident=left_early, inflow_date=D(2024, 6, 1), closed_on=D(2024, 12, 31))
    # started on 1 April: the second quarter, not the first
    TrajectoryFactory(resident=later, inflow_date=D(2025, 4, 1))
    TrajectoryFactory(resident=elsewhere, inflow_date=D(2025, 1, 15), closed_on=D(2025, 1, 15))
    TrajectoryFactory(resident=homeless, inflow_date=D(2025, 3, 1))

    periods = recent_periods(PeriodUnit.QUARTER, 2, TODAY)
    reach = reach_per_wijk(periods)

    q2, q1 = (period.start for period in periods)
    assert reach[(q1, first.wijk.code)] == PartCounts(
        total=2, sociale_basis=1, sociaal_wijkteam=1, aanvullende_ondersteuning=1, youth=1
    )
    assert reach[(q2, first.wijk.code)] == PartCounts(
        total=3, sociale_basis=1, sociaal_wijkteam=2, youth=1
    )
    assert reach[(q1, second.wijk.code)] == PartCounts(total=1, sociaal_wijkteam=1)
    assert reach[(q2, second.wijk.code)] == PartCounts()
    assert reach[(q1, "")] == PartCounts(total=1, sociaal_wijkteam=1)
    assert reach_per_wijk([]) == {}


def test_contacts_are_counted_per_month_and_wijk(two_wijken) -> None:
    first, _second = two_wijken
    for day in (D(2025, 3, 1), D(2025, 3, 31), D(2025, 4, 1)):
        ShortContactFactory(contact_date=day, wijk=first.wijk)
    ShortContactFactory(contact_date=D(2025, 3, 2))
    ShortContactFactory(contact_date=D(2025, 6, 1), wijk=first.wijk)  # after the end
    assert contacts_per_wijk(D(2025, 1, 1), D(2025, 6, 1)) == {
        (D(2025, 3, 1), first.wijk.code): 2,
        (D(2025, 4, 1), first.wijk.code): 1,
        (D(2025, 3, 1), ""): 1,
    }


# ---------------------------------------------------------------------------------------------
# Reasons


def test_inflow_and_outflow_by_reason_and_handover_per_quarter_and_wijk(two_wijken) -> None:
    first, second = two_wijken
    own, partner = (
        Code.objects.get(code_list__slug="inflow_reasons", code=code)
        for code in ("own_request", "partner_referral")
    )
    planned = Code.objects.get(code_list__slug="outflow_reasons", code="19")
    TrajectoryFactory(resident=in_wijk(first), inflow_date=D(2025, 1, 5), inflow_reason=own)
    TrajectoryFactory(resident=in_wijk(first), inflow_date=D(2025, 3, 31), inflow_reason=own)
    TrajectoryFactory(resident=in_wijk(second), inflow_date=D(2025, 4, 1), inflow_reason=partner)
    ended = TrajectoryFactory(
        resident=in_wijk(first), inflow_date=D(2024, 10, 1), closed_on=D(2025, 2, 1)
    )
    ended.outflow_reason = planned
    ended.save()
    HandoverFactory(
        trajectory=TrajectoryFactory(
            resident=in_wijk(second), inflow_date=D(2025, 1, 1), closed_on=D(2025, 5, 1)
        ),
        destination=HandoverDestination.JEUGDWET,
    )

    counts = reason_counts(unit=PeriodUnit.QUARTER, start=D(2025, 1, 1), end=D(2026, 1, 1))

    q1, q2 = D(2025, 1, 1), D(2025, 4, 1)
    default = str(first_code("inflow_reasons").pk)  # the handed-over trajectory's
    assert counts.inflow == {
        (q1, first.wijk.code, str(own.pk)): 2,
        (q2, second.wijk.code, str(partner.pk)): 1,
        (q1, second.wijk.code, default): 1,
    }
    assert counts.outflow[(q1, first.wijk.code, str(planned.pk))] == 1
    assert counts.handover == {(q2, second.wijk.code, HandoverDestination.JEUGDWET): 1}
    assert counts.inflow_reasons[0].name == "Eigen hulpvraag van de inwoner"
    assert len(counts.outflow_reasons) == 11
    assert [option.code for option in counts.destinations] == list(HandoverDestination.values)
    with pytest.raises(ValueError, match="per month or quarter"):
        reason_counts(unit=PeriodUnit.YEAR, start=q1, end=q2)


def test_a_retired_reason_shows_only_while_used() -> None:
    retired = Code.objects.filter(code_list__slug="inflow_reasons").order_by("pk").last()
    retired.valid_until = D(2024, 12, 31)
    retired.save()
    counts = reason_counts(unit=PeriodUnit.QUARTER, start=D(2025, 1, 1), end=D(2025, 7, 1))
    assert str(retired.pk) not in {option.code for option in counts.inflow_reasons}
    TrajectoryFactory(inflow_date=D(2025, 2, 1), inflow_reason=retired)
    counts = reason_counts(unit=PeriodUnit.QUARTER, start=D(2025, 1, 1), end=D(2025, 7, 1))
    assert str(retired.pk) in {option.code for option in counts.inflow_reasons}


# ---------------------------------------------------------------------------------------------
# Deadlines for the municipality


def test_a_wijk_filter_shows_the_same_figures_as_the_whole_city(two_wijken) -> None:
    """The municipality's wijk filter picks rows from the city's tables (the indicators'):
    a count hidden in the whole city's view is hidden in the wijk's view, and the other way
    round."""
    first, second = two_wijken
    for days, buurt in ((3, first), (5, first), (40, first), (6, second), (41, second)):
        HelpRequestFactory(
            buurt=buurt,
            received_at=datetime.datetime.combine(
                TODAY - datetime.timedelta(days=days), datetime.time(10), datetime.UTC
            ),
        )
    for _n in range(9):
        HelpRequestFactory(
            buurt=second,
            received_at=datetime.datetime.combine(TODAY, datetime.time(9), datetime.UTC),
        )
    months = recent_periods(PeriodUnit.MONTH, 3, TODAY)
    rows = IndicatorFigures(
        municipality_rows(
            periods=months, codes=DEADLINE_CODES, levels=(AREA_CITY, AREA_WIJK), today=TODAY
        )
    )
    wijken = wijk_options()

    def view(wijk: str | None):
        return compliance_from_indicators(months, rows, wijken=wijken, wijk=wijk, detail_limit=300)

    city = {(row.month, row.wijk_code): row.figures for row in view(None).rows}
    for code in (first.wijk.code, second.wijk.code):
        own = {(row.month, row.wijk_code): row.figures for row in view(code).rows}
        assert own == {key: figures for key, figures in city.items() if key[1] == code}
    # 2 received: "< 5", its split hidden whole, zeros too (disclosure.protect_people_split)
    assert view(first.wijk.code).by_month[0][1].received == SMALL
    assert view(first.wijk.code).by_month[0][1].first_contact.not_met == HIDDEN
    # and the 10 of the other wijk with it, or 12 - 10 would give the 2 away
    assert view(second.wijk.code).by_month[0][1].received == HIDDEN
    assert view(None).by_month[0][1].received == exact(12)
    assert view(None).by_team == []
