import datetime

import factory

from wijk.accounts.tests.factories import UserFactory
from wijk.activities.models import Activity, ActivitySession
from wijk.areas.models import Wijk
from wijk.organisations.tests.factories import OrganisationFactory
from wijk.reference.models import Code


def code(slug: str, value: str) -> Code:
    return Code.objects.get(code_list__slug=slug, code=value)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    name = factory.Sequence(lambda n: f"Buurtactiviteit {n}")
    organiser = factory.SubFactory(OrganisationFactory)
    theme = factory.LazyFunction(lambda: code("policy_themes", "meeting"))
    target_group = factory.LazyFunction(lambda: code("target_groups", "everyone"))
    wijk = factory.LazyFunction(lambda: Wijk.objects.order_by("code").first())
    location = "Buurthuis"


class ActivitySessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivitySession

    activity = factory.SubFactory(ActivityFactory)
    held_on = factory.Sequence(lambda n: datetime.date(2025, 1, 1) + datetime.timedelta(days=n))
    attendance_total = 10
    attendance_youth = 3
    registered_by = factory.SubFactory(UserFactory)
