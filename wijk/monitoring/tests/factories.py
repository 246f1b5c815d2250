"""Requests, trajectories, handovers and short contacts made by hand for the monitoring tests:
every date that a count depends on is given explicitly; the deadlines follow from
`received_at` unless given."""

import datetime

import factory
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.accounts.tests.factories import UserFactory
from wijk.contacts.models import ShortContact
from wijk.organisations.tests.factories import TeamFactory
from wijk.reference.models import Code
from wijk.requests.deadlines import request_deadlines
from wijk.requests.models import HelpRequest
from wijk.residents.tests.factories import ResidentFactory
from wijk.trajectories.models import Handover, Trajectory
from wijk.trajectories.workflow import HandoverDestination, Part, TrajectoryStatus


def first_code(slug: str) -> Code:
    return Code.objects.filter(code_list__slug=slug).order_by("pk").first()


class HelpRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpRequest

    reference = factory.Sequence(lambda n: f"MON{n:06d}")
    received_at = factory.LazyFunction(timezone.now)
    channel = factory.LazyFunction(
        lambda: Code.objects.get(code_list__slug="channels", code="phone")
    )
    question = factory.Faker("sentence", nb_words=12, locale="nl_NL")
    team = factory.SubFactory(TeamFactory)
    first_contact_due = factory.LazyAttribute(
        lambda o: request_deadlines(o.received_at).first_contact
    )
    support_due = factory.LazyAttribute(lambda o: request_deadlines(o.received_at).support)
    investigation_due = factory.LazyAttribute(
        lambda o: request_deadlines(o.received_at).investigation
    )


class TrajectoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trajectory

    resident = factory.SubFactory(ResidentFactory)
    team = factory.SubFactory(TeamFactory)
    part = Part.SOCIAAL_WIJKTEAM
    inflow_date = factory.LazyFunction(timezone.localdate)
    inflow_reason = factory.LazyFunction(lambda: first_code("inflow_reasons"))
    primary_life_domain = factory.LazyFunction(lambda: first_code("life_domains"))
    coordinator = factory.SubFactory(UserFactory, role=Role.PROFESSIONAL)

    class Params:
        # closed_on=date: the trajectory ended then, with the first reason for outflow
        closed_on = None

    @factory.lazy_attribute
    def status(self) -> str:
        return TrajectoryStatus.CLOSED if self.closed_on else TrajectoryStatus.ACTIVE

    @factory.lazy_attribute
    def outflow_date(self) -> datetime.date | None:
        return self.closed_on

    @factory.lazy_attribute
    def outflow_reason(self) -> Code | None:
        return first_code("outflow_reasons") if self.closed_on else None


class HandoverFactory(factory.django.DjangoModelFactory):
    """A warm handover at the end of a closed trajectory."""

    class Meta:
        model = Handover

    trajectory = factory.SubFactory(
        TrajectoryFactory, closed_on=factory.LazyFunction(timezone.localdate)
    )
    destination = HandoverDestination.WLZ
    receiver = "Zorgkantoor Zuid-Kennemerland"
    handed_over_on = factory.LazyAttribute(lambda o: o.trajectory.outflow_date)
    by = factory.LazyAttribute(lambda o: o.trajectory.coordinator)


class ShortContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShortContact

    contact_date = factory.LazyFunction(timezone.localdate)
    channel = factory.LazyFunction(
        lambda: Code.objects.get(code_list__slug="channels", code="phone")
    )
    life_domain = factory.LazyFunction(lambda: first_code("life_domains"))
    team = factory.SubFactory(TeamFactory)
    wijk = None
    registered_by = factory.SubFactory(UserFactory, role=Role.PROFESSIONAL)
