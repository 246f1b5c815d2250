"""`wijk seed` through the command line: what it writes, that it is repeatable, the teams
and their staff, --if-empty, and that an interrupted seed leaves nothing behind. The work it
writes is tested in test_seed_work.py."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max

from wijk.accounts.models import User
from wijk.activities.models import ActivitySession
from wijk.areas.models import Buurt, District, Wijk
from wijk.contacts.models import ShortContact
from wijk.organisations.models import Organisation, OrganisationKind, Team
from wijk.requests.models import HelpRequest, RequestStatusChange
from wijk.residents.bsn import bsn_is_valid
from wijk.residents.models import (
    Address,
    Household,
    HouseholdMembership,
    Relation,
    Resident,
)
from wijk.residents.tests.factories import ResidentFactory
from wijk.synthetic import services
from wijk.synthetic.generate import city_generate, resident_target
from wijk.trajectories.models import Trajectory, ZrmScore

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 6, 1)


def seed(*arguments: str) -> str:
    out = io.StringIO()
    call_command("seed", "--no-progress", "--as-of", AS_OF.isoformat(), *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded() -> str:
    return seed("--scale", "0.01", "--years", "2", "--seed", "3")


def test_seed_writes_the_scaled_city(seeded: str) -> None:
    residents = Resident.objects.count()
    assert residents == pytest.approx(resident_target(0.01), rel=0.10)
    assert "residents" in seeded and "rows per second" in seeded
    # every resident in exactly one household, living at its address
    assert HouseholdMembership.objects.count() == residents
    assert not Resident.objects.filter(household_membership__isnull=True).exists()
    assert not Resident.objects.exclude(
        address_id=F("household_membership__household__address_id")
    ).exists()
    # every household has its own address, in a buurt of Haarlem's newest CBS year
    newest = Buurt.objects.aggregate(year=Max("source_year"))["year"]
    assert not Household.objects.filter(address__isnull=True).exists()
    assert Household.objects.values("address").distinct().count() == Household.objects.count()
    assert Address.objects.count() == Household.objects.count()
    assert not Address.objects.exclude(
        buurt__source_year=newest, buurt__wijk__municipality__code="GM0392"
    ).exists()
    assert not Household.objects.annotate(members=Count("memberships")).filter(members=0).exists()
    relations = set(HouseholdMembership.objects.values_list("relation", flat=True))
    assert relations <= set(Relation.values)
    assert {Relation.REFERENCE_PERSON, Relation.PARTNER, Relation.CHILD} <= relations


def test_seed_writes_the_generated_rows_in_order(seeded: str) -> None:
    """The same seed gives the same city: the rows in id order are the generator's rows."""
    city = city_generate(seed=3, scale=0.01, years=2, as_of=AS_OF, areas=services.city_areas())
    stored = list(
        Resident.objects.order_by("id").values_list(
            "given_names", "name_prefix", "family_name", "date_of_birth", "bsn", "created_at"
        )
    )
    generated = [
        (row.given_names, row.name_prefix, row.family_name, row.date_of_birth, row.bsn,
         row.created_at)
        for row in city.residents
    ]  # fmt: skip
    assert stored == generated
    # and the same households: residents grouped as generated, at the generated addresses
    first_household = Household.objects.order_by("id").values_list("id", flat=True)[0]
    memberships = HouseholdMembership.objects.order_by("resident_id").values_list(
        "household_id", "relation"
    )
    assert [(household - first_household, relation) for household, relation in memberships] == [
        (row.household, row.relation) for row in city.residents
    ]
    streets = list(Address.objects.order_by("id").values_list("street", "house_number", "postcode"))
    assert streets == [(row.street, row.house_number, row.postcode) for row in city.households]


def test_seeded_bsns_pass_the_elfproef_and_are_unique(seeded: str) -> None:
    bsns = list(Resident.objects.exclude(bsn=None).values_list("bsn", flat=True))
    assert bsns and all(bsn_is_valid(bsn) for bsn in bsns)
    assert len(set(bsns)) == len(bsns)


def test_ids_continue_after_the_seed(seeded: str) -> None:
    top = Resident.objects.aggregate(top=Max("id"))["top"]
    assert ResidentFactory().pk > top


def test_if_empty_skips_when_residents_exist() -> None:
    ResidentFactory()
    output = seed("--scale", "0.01", "--if-empty")
    assert "nothing seeded" in output
    assert Resident.objects.count() == 1
    assert not Team.objects.exists()


def test_seed_beside_existing_residents_keeps_bsns_unique() -> None:
    existing = ResidentFactory(bsn="111222333")
    seed("--scale", "0.002", "--seed", "5")
    seed("--scale", "0.002", "--seed", "5")  # the same BSNs would be drawn again
    bsns = list(Resident.objects.exclude(bsn=None).values_list("bsn", flat=True))
    assert len(set(bsns)) == len(bsns)
    assert Resident.objects.count() > 2 * resident_target(0.002)
    assert Resident.objects.filter(pk=existing.pk).exists()


def test_teams_cover_every_wijk_of_the_newest_year_once(seeded: str) -> None:
    newest = Wijk.objects.aggregate(year=Max("source_year"))["year"]
    wijk_teams = Team.objects.filter(name__startswith="Sociaal Wijkteam ")
    assert wijk_teams.count() == District.objects.filter(wijken__isnull=False).distinct().count()
    covered = list(Wijk.objects.filter(teams__in=wijk_teams).values_list("id", flat=True))
    assert sorted(covered) == sorted(
        Wijk.objects.filter(source_year=newest).values_list("id", flat=True)
    )
    for team in wijk_teams:
        district = District.objects.get(name=team.name.removeprefix("Sociaal Wijkteam "))
        assert set(team.wijken.all()) == set(district.wijken.filter(source_year=newest))
        assert not team.is_intake
    intake = Team.objects.get(name="Intaketeam")
    assert intake.is_intake and not intake.wijken.exists()
    members = Organisation.objects.filter(kind=OrganisationKind.CONSORTIUM_MEMBER)
    assert members.count() >= 3
    assert {team.organisation for team in Team.objects.all()} <= set(members)


def test_organisations_and_teams_are_created_once(seeded: str) -> None:
    before = (Organisation.objects.count(), Team.objects.count())
    result = services.demo_organisations_ensure()
    assert (result.organisations_created, result.teams_created) == (0, 0)
    assert (Organisation.objects.count(), Team.objects.count()) == before


def test_interrupted_seed_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    real = services.city_households

    def breaks_halfway(**arguments: Any) -> Iterator[Any]:
        for number, household in enumerate(real(**arguments)):
            if number == 150:
                raise KeyboardInterrupt
            yield household

    monkeypatch.setattr(services, "city_households", breaks_halfway)
    with pytest.raises(KeyboardInterrupt):
        seed("--scale", "0.01")
    assert not Resident.objects.exists()
    assert not Household.objects.exists()
    assert not Address.objects.exists()


def test_interrupted_work_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Broken off while writing the work: not a resident, request or staff member stays."""
    real = services.work_generate

    def breaks_halfway(**arguments: Any) -> Iterator[Any]:
        for number, chunk in enumerate(real(**arguments)):
            if number == 5:
                raise KeyboardInterrupt
            yield chunk

    monkeypatch.setattr(services, "work_generate", breaks_halfway)
    with pytest.raises(KeyboardInterrupt):
        seed("--scale", "0.01", "--years", "1")
    assert not Resident.objects.exists()
    assert not HelpRequest.objects.exists()
    assert not Trajectory.objects.exists()
    assert not User.objects.exists()
    assert not Team.objects.exists()


def test_a_second_seed_reuses_the_staff() -> None:
    seed("--scale", "0.002", "--years", "1", "--seed", "5")
    staff = set(User.objects.values_list("username", flat=True))
    requests = HelpRequest.objects.count()
    output = seed("--scale", "0.002", "--years", "1", "--seed", "5")
    assert "staff created: 0" in output
    assert set(User.objects.values_list("username", flat=True)) == staff
    assert HelpRequest.objects.count() > requests  # a second history beside the first
    references = HelpRequest.objects.values_list("reference", flat=True)
    assert len(set(references)) == len(references)


def test_nonsense_options_are_refused() -> None:
    with pytest.raises(CommandError):
        call_command("seed", "--scale", "0")
    with pytest.raises(CommandError):
        call_command("seed", "--years", "0")


@pytest.mark.demo
def test_demo_seed_small_city() -> None:
    """The demo path, also on SQLite: a small city, everyone housed, the teams there."""
    output = seed("--scale", "0.005", "--years", "1", "--seed", "1")
    residents = Resident.objects.count()
    assert residents == pytest.approx(resident_target(0.005), rel=0.10)
    assert HouseholdMembership.objects.count() == residents
    assert Household.objects.filter(address__isnull=False).count() == Household.objects.count()
    assert Team.objects.filter(is_intake=True).exists()
    # and a year of work: requests with their history, trajectories, contacts, activities
    assert HelpRequest.objects.count() == pytest.approx(22_000 * 0.005, rel=0.3)
    assert RequestStatusChange.objects.count() > HelpRequest.objects.count()
    assert Trajectory.objects.exists() and ZrmScore.objects.exists()
    assert ShortContact.objects.exists() and ActivitySession.objects.exists()
    assert not HelpRequest.objects.filter(status="closed", outcome="").exists()
    assert "Residents already exist" in seed("--scale", "0.005", "--if-empty")
    assert "Seeded" in output
