import factory

from wijk.areas.models import Wijk
from wijk.organisations.models import Organisation, OrganisationKind, Team


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Wijkorganisatie {n}")
    kind = OrganisationKind.CONSORTIUM_MEMBER


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Wijkteam {n}")
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def wijken(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [Wijk.objects.order_by("code").first()]
        self.wijken.set(extracted)
