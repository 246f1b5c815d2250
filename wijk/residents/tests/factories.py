import datetime

import factory

from wijk.areas.models import Buurt
from wijk.residents.models import Address, Household, HouseholdMembership, Relation, Resident


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    street = factory.Faker("street_name", locale="nl_NL")
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = factory.Sequence(lambda n: f"20{n % 100:02d}AB")
    buurt = factory.LazyFunction(lambda: Buurt.objects.order_by("code").first())


class _PlainName(factory.Faker):
    """A Faker name without an apostrophe: Dutch names such as "'s Gravensande" are written
    escaped ("&#x27;s") in a page, so a test looking for the name as typed would fail at
    random."""

    def evaluate(self, instance, step, extra):  # type: ignore[no-untyped-def]
        return super().evaluate(instance, step, extra).replace("'", "")


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    given_names = _PlainName("first_name", locale="nl_NL")
    family_name = _PlainName("last_name", locale="nl_NL")
    date_of_birth = factory.Faker(
        "date_between", start_date=datetime.date(1940, 1, 1), end_date=datetime.date(2010, 1, 1)
    )
    address = factory.SubFactory(AddressFactory)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    address = factory.SubFactory(AddressFactory)


class HouseholdMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMembership

    household = factory.SubFactory(HouseholdFactory)
    resident = factory.SubFactory(
        ResidentFactory, address=factory.SelfAttribute("..household.address")
    )
    relation = Relation.REFERENCE_PERSON
