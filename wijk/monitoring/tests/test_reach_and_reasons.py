"""Reach per calendar period, wijk and part; inflow and outflow by reason and handover
destination; and how the municipality's figures are put together from protected tables.
Hand-made trajectories and contacts, a fixed `today`."""

from __future__ import annotations

import datetime

import pytest

from wijk.areas.models import Buurt
from wijk.core.disclosure import HIDDEN, SMALL, exact
from wijk.monitoring.figures import compliance_display, reach_display, reasons_display
from wijk.monitoring.selectors import (
    UNKNOWN_WIJK,
    PartCounts,
    Period,
    PeriodUnit,
    contacts_per_wijk,
    deadline_compliance,
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


def test_reach_for_the_municipality_hides_small_numbers_and_keeps_contacts_apart(
    two_wijken,
) -> None:
    first, second = two_wijken
    periods = recent_periods(PeriodUnit.QUARTER, 1, TODAY)
    start = periods[0].start
    residents = {
        (start, first.wijk.code): PartCounts(
            total=12, sociale_basis=7, sociaal_wijkteam=5, aanvullende_ondersteuning=1, youth=6
        ),
        (start, second.wijk.code): PartCounts(
            total=20, sociale_basis=9, sociaal_wijkteam=8, aanvullende_ondersteuning=3, youth=2
        ),
    }
    # contacts: April 30 and May 2 in the first wijk; in the second wijk, May has 2
    contacts = {
        (D(2025, 4, 1), first.wijk.code): 30,
        (D(2025, 5, 1), first.wijk.code): 2,
        (D(2025, 5, 1), second.wijk.code): 9,
    }
    wijken = wijk_options()

    protected = reach_display(
        periods,
        residents=residents,
        contacts=contacts,
        wijken=wijken,
        wijk=first.wijk.code,
        exact_counts=False,
    )
    exact_view = reach_display(
        periods,
        residents=residents,
        contacts=contacts,
        wijken=wijken,
        wijk=first.wijk.code,
        exact_counts=True,
    )

    labels = [str(row.label) for row in exact_view.parts]
    assert labels[0] == "Unieke inwoners, alle onderdelen" and labels[-1] == "Waarvan jeugd"
    assert [row.figures[0] for row in exact_view.parts] == [
        exact(12),
        exact(7),
        exact(5),
        exact(1),
        exact(6),
    ]
    assert exact_view.contacts.figures == [exact(32)]  # contacts, never added to residents
    assert [row.figures[0] for row in protected.parts][3] == SMALL
    assert all(row.figures[0].value not in {1, 2, 3, 4} for row in protected.parts)
    # contacts count conversations, not people: the municipality sees them exactly too, May's
    # 2 included (docs/adr/0028-small-numbers-count-people.md)
    assert protected.contacts.figures == [exact(32)]
    assert protected.per_wijk[-1][0] is None  # all wijken last


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


def test_a_year_adds_up_its_quarters_and_hides_what_a_quarter_hides(two_wijken) -> None:
    first, _second = two_wijken
    reason = Code.objects.filter(code_list__slug="inflow_reasons").order_by("pk").first()
    code = first.wijk.code
    key = str(reason.pk)
    inflow = {
        (D(2025, 1, 1), code, key): 8,
        (D(2025, 4, 1), code, key): 7,
        (D(2025, 7, 1), "", key): 2,
    }
    counts = reason_counts(unit=PeriodUnit.QUARTER, start=D(2025, 1, 1), end=D(2026, 1, 1))
    counts = type(counts)(
        inflow_reasons=counts.inflow_reasons,
        outflow_reasons=counts.outflow_reasons,
        destinations=counts.destinations,
        inflow=inflow,
        outflow={},
        handover={},
    )
    year = [Period(D(2025, 1, 1), PeriodUnit.YEAR)]
    wijken = wijk_options()

    def display(exact_counts: bool, wijk: str | None):
        return reasons_display(
            year,
            counts=counts,
            unit=PeriodUnit.QUARTER,
            wijken=wijken,
            wijk=wijk,
            exact_counts=exact_counts,
        )

    assert display(True, code).inflow.rows[0].figures == [exact(15)]
    assert display(True, None).inflow.total.figures == [exact(17)]
    # 8 and 7 are shown in their quarters, so their year is too
    assert display(False, code).inflow.rows[0].figures == [exact(15)]
    # the 2 of the third quarter is hidden there, so the year of all wijken is hidden too
    assert display(False, None).inflow.total.figures == [HIDDEN]
    assert display(False, UNKNOWN_WIJK).inflow.total.figures == [HIDDEN]


# ---------------------------------------------------------------------------------------------
# Deadlines for the municipality


def test_a_wijk_filter_shows_the_same_figures_as_the_whole_city(two_wijken) -> None:
    """The municipality's wijk filter picks rows from the city's tables: a count hidden in
    the whole city's view is hidden in the wijk's view, and the other way round."""
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
    rows = deadline_compliance(months=3, per_team=False, today=TODAY)
    wijken = wijk_options()

    def view(wijk: str | None):
        return compliance_display(
            rows,
            months=3,
            today=TODAY,
            exact_counts=False,
            wijken=wijken,
            wijk=wijk,
            detail_limit=300,
        )

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
