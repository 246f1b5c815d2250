"""Writes of the public request form (/aanmelden): a resident's request for help, stored through
wijk.requests.services.request_receive behind a rate limit per client address, in one
transaction, so that a failure leaves nothing half stored. A repeated submission of the same
form (its submission key) returns the request stored the first time.

Nothing personal is logged or mailed: log events carry ids only, and no e-mail is sent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import structlog
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from wijk.areas.selectors import buurt_for_postcode
from wijk.core.errors import DomainError, ValidationFailed
from wijk.portal.models import SubmissionThrottle
from wijk.reference.models import Code
from wijk.requests.deadlines import request_deadlines
from wijk.requests.services import reference_new, request_receive
from wijk.requests.workflow import RequesterRelation

log = structlog.get_logger(__name__)

# At most SUBMISSION_LIMIT different submissions per client address within SUBMISSION_WINDOW.
SUBMISSION_LIMIT = 5
SUBMISSION_WINDOW = timedelta(minutes=10)
# The `channels` code of requests that come in through this form.
PUBLIC_FORM_CHANNEL = "digital_form"
_THROTTLE_HASH_SALT = "wijk.portal.throttle"


@dataclass(frozen=True)
class Receipt:
    """What the resident is told after sending the form: nothing personal."""

    reference: str
    first_contact_due: date


class TooManySubmissions(DomainError):
    code = "too_many_submissions"
    status = 429
    message = _("Er zijn kort na elkaar veel aanvragen verstuurd vanaf dit adres.")


class PortalUnavailable(DomainError):
    """The form cannot store requests now (the database, or wijk's set-up): try later."""

    code = "portal_unavailable"
    status = 503
    message = _("Het lukt nu even niet om uw aanvraag op te slaan.")


def address_hash(client_address: str) -> str:
    """A keyed hash (HMAC-SHA256 with SECRET_KEY) of a client address: equal addresses give
    equal hashes, and the address cannot be read back from the table."""
    return salted_hmac(_THROTTLE_HASH_SALT, client_address, algorithm="sha256").hexdigest()


def submission_throttle_prune(*, now: datetime) -> None:
    """Forget submissions older than the window. Best effort: a failure here never refuses a
    resident (if the database is down, the store that follows says so)."""
    try:
        with transaction.atomic():
            SubmissionThrottle.objects.filter(at__lte=now - SUBMISSION_WINDOW).delete()
    except DatabaseError:
        log.warning("submission_throttle_prune_failed")


def submission_throttle_record(
    *, client_address: str, submission_key: uuid.UUID, now: datetime
) -> None:
    """Count this submission against its client address, or raise TooManySubmissions when
    the address sent SUBMISSION_LIMIT other submissions within SUBMISSION_WINDOW. A resend of
    a submission already counted is let through and not counted again.

    Two submissions from one address at the same moment may both pass at the limit: the
    limit is a brake on abuse, not an exact quota."""
    hashed = address_hash(client_address)
    recent = (
        SubmissionThrottle.objects.filter(address_hash=hashed, at__gt=now - SUBMISSION_WINDOW)
        .exclude(submission_key=submission_key)
        .count()
    )
    if recent >= SUBMISSION_LIMIT:
        raise TooManySubmissions
    SubmissionThrottle.objects.bulk_create(
        [SubmissionThrottle(address_hash=hashed, submission_key=submission_key, at=now)],
        ignore_conflicts=True,
    )


def _public_form_channel(on: date) -> Code:
    channel = (
        Code.objects.filter(code_list__slug="channels", code=PUBLIC_FORM_CHANNEL)
        .valid_on(on)
        .first()
    )
    if channel is None:
        log.error("public_request_channel_missing", code=PUBLIC_FORM_CHANNEL)
        raise PortalUnavailable
    return channel


def public_request_submit(
    *,
    question: str,
    requested_by: RequesterRelation | str,
    name: str,
    phone: str,
    email: str,
    postcode: str,
    house_number: int | None,
    submission_key: uuid.UUID,
    client_address: str,
) -> Receipt:
    """Store a request from the public form and return its reference and first-contact date.

    The postcode (and house number) only route the request: to the team of the buurt they
    lie in, or to the intake team when it is unknown. One transaction holds the throttle
    count, the request, its status history and its access-log entry: when anything fails,
    nothing is stored. Raises TooManySubmissions over the rate limit, PortalUnavailable when
    wijk is not set up to receive requests, and lets database errors through (the view
    answers them with 503)."""
    now = timezone.now()
    submission_throttle_prune(now=now)
    try:
        with transaction.atomic(durable=True):
            submission_throttle_record(
                client_address=client_address, submission_key=submission_key, now=now
            )
            channel = _public_form_channel(timezone.localdate(now))
            buurt = (
                buurt_for_postcode(postcode=postcode, house_number=house_number)
                if postcode
                else None
            )
            try:
                help_request = request_receive(
                    actor=None,
                    channel=channel,
                    question=question,
                    received_at=now,
                    requested_by=requested_by,
                    requester_name=name,
                    requester_phone=phone,
                    requester_email=email,
                    postcode=postcode,
                    buurt=buurt,
                    submission_key=submission_key,
                )
            except ValidationFailed as error:
                if error.fields:
                    raise
                log.error("public_request_not_routable")  # no intake team is set up
                raise PortalUnavailable from error
    except TooManySubmissions:
        log.warning("public_request_throttled")
        raise
    log.info("public_request_submitted", request_id=help_request.pk)
    return Receipt(
        reference=help_request.reference, first_contact_due=help_request.first_contact_due
    )


def public_request_decoy() -> Receipt:
    """The answer to a submission that filled in the honeypot field: it looks like a real
    receipt, and nothing is stored."""
    log.info("public_request_honeypot")
    return Receipt(
        reference=reference_new(),
        first_contact_due=request_deadlines(timezone.now()).first_contact,
    )
