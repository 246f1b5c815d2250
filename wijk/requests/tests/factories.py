import factory
from django.utils import timezone

from wijk.reference.models import Code
from wijk.requests.deadlines import request_deadlines
from wijk.requests.models import HelpRequest, RequestStatusChange
from wijk.requests.workflow import RequestStatus


class HelpRequestFactory(factory.django.DjangoModelFactory):
    """A request as request_receive stores it (with its first history row). Deadlines follow
    from received_at unless given."""

    class Meta:
        model = HelpRequest
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"T{n:07d}")
    received_at = factory.LazyFunction(timezone.now)
    channel = factory.LazyFunction(
        lambda: Code.objects.get(code_list__slug="channels", code="phone")
    )
    question = "Hulp bij post en formulieren"
    first_contact_due = factory.LazyAttribute(
        lambda o: request_deadlines(o.received_at).first_contact
    )
    support_due = factory.LazyAttribute(lambda o: request_deadlines(o.received_at).support)
    investigation_due = factory.LazyAttribute(
        lambda o: request_deadlines(o.received_at).investigation
    )

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            RequestStatusChange.objects.create(
                help_request=self, seq=1, status=RequestStatus.RECEIVED
            )
