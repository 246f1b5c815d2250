"""Writes on investigations: starting one from a request, recording what the conversation
found (while it is open), finishing it (after which it does not change: ADR 0033), adding
the resident's own view to the finished report, and producing the report letter. Each
service is one transaction with its access-log entry inside it."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import structlog
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.core.audit import access_log_record
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessEvent
from wijk.core.submissions import submission_claim
from wijk.investigations.models import (
    SHORT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    ConversationPlace,
    Investigation,
    OwnView,
)
from wijk.letters.models import Letter, LetterKind
from wijk.letters.services import letter_produce
from wijk.reference.models import Code
from wijk.requests.models import HelpRequest
from wijk.requests.selectors import help_request_get_for_user
from wijk.requests.workflow import RequestStatus

log = structlog.get_logger(__name__)

LIFE_DOMAINS = "life_domains"
REPORT_TEMPLATE = "investigations/letters/investigation_report.html"

FUTURE_DATE = _("Deze datum ligt in de toekomst.")
ALREADY_FINISHED = _(
    "Dit onderzoek is al afgerond. Een afgerond onderzoek verandert niet meer. "
    "De inwoner kan wel een eigen reactie toevoegen."
)


@dataclass(frozen=True)
class InvestigationContent:
    """What the professional records of the investigation; empty while not known yet."""

    conversation_on: datetime.date | None = None
    conversation_place: str = ""
    network_present: bool = False
    network_who: str = ""
    underlying_question: str = ""
    life_domains: Sequence[Code] = ()
    own_strength: str = ""
    preceding_provisions: str = ""
    expertise_asked: bool = False
    expertise_which: str = ""


def _in_list(code: Code, slug: str, on: datetime.date) -> bool:
    return Code.objects.filter(pk=code.pk, code_list__slug=slug).valid_on(on).exists()


def investigation_content_problems(content: InvestigationContent) -> dict[str, str]:
    """What is wrong with the content, a message per field (empty: nothing). The form shows
    these with its own errors, so everything is said at once; the services refuse on them."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if content.conversation_on is not None and content.conversation_on > today:
        errors["conversation_on"] = str(FUTURE_DATE)
    if content.conversation_place and content.conversation_place not in ConversationPlace.values:
        errors["conversation_place"] = str(_("Kies waar het gesprek was."))
    if content.network_who.strip() and not content.network_present:
        errors["network_who"] = str(
            _("Vink aan dat het netwerk bij het gesprek was, of maak dit veld leeg.")
        )
    if content.expertise_which.strip() and not content.expertise_asked:
        errors["expertise_which"] = str(
            _("Vink aan dat er externe deskundigheid is gevraagd, of maak dit veld leeg.")
        )
    if any(not _in_list(domain, LIFE_DOMAINS, today) for domain in content.life_domains):
        errors["life_domains"] = str(_("Kies de leefgebieden uit de lijst."))
    for field, limit in (
        ("underlying_question", TEXT_MAX_LENGTH),
        ("own_strength", TEXT_MAX_LENGTH),
        ("preceding_provisions", TEXT_MAX_LENGTH),
        ("network_who", SHORT_MAX_LENGTH),
        ("expertise_which", SHORT_MAX_LENGTH),
    ):
        if len(getattr(content, field)) > limit:
            errors[field] = str(
                _("Deze tekst is te lang: gebruik niet meer dan %(limit)d tekens.")
            ) % {"limit": limit}
    return errors


def investigation_finish_problems(investigation: Investigation) -> dict[str, str]:
    """What is missing before the investigation can be finished, a message per field."""
    errors: dict[str, str] = {}
    if investigation.conversation_on is None:
        errors["conversation_on"] = str(_("Vul de datum van het gesprek in."))
    if not investigation.conversation_place:
        errors["conversation_place"] = str(_("Kies waar het gesprek was."))
    if not investigation.underlying_question.strip():
        errors["underlying_question"] = str(_("Beschrijf de vraag achter de vraag."))
    if not investigation.life_domains.exists():
        errors["life_domains"] = str(_("Kies ten minste één leefgebied."))
    if not investigation.own_strength.strip():
        errors["own_strength"] = str(_("Beschrijf wat de inwoner en het netwerk zelf kunnen."))
    if not investigation.preceding_provisions.strip():
        errors["preceding_provisions"] = str(
            _("Beschrijf wat voorliggende voorzieningen en andere wetten bieden.")
        )
    if investigation.network_present and not investigation.network_who.strip():
        errors["network_who"] = str(_("Schrijf op wie uit het netwerk bij het gesprek was."))
    if investigation.expertise_asked and not investigation.expertise_which.strip():
        errors["expertise_which"] = str(_("Schrijf op welke deskundigheid is gevraagd."))
    return errors


def _locked(*, actor: User, investigation: Investigation) -> Investigation:
    """The investigation, locked, if the actor may still see it; NotFoundError otherwise."""
    locked = (
        Investigation.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=investigation.pk)
        .first()
    )
    if locked is None:
        raise NotFoundError
    return locked


def investigation_start(
    *, actor: User, help_request: HelpRequest, submission_key: uuid.UUID | None = None
) -> Investigation:
    """Start the investigation of a request the actor may see (read, and logged, through
    the requests' selector). Refused when the request has no resident yet, is closed, or
    already has an investigation. The investigation belongs to the request's resident and,
    when the request is about the whole household, to that household. The same button
    pressed twice (`submission_key`) raises SubmittedBefore, not "already started", also
    when both arrive at once (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    try:
        with transaction.atomic(durable=True):
            submission = submission_claim(actor=actor, key=submission_key, model=Investigation)
            request = help_request_get_for_user(user=actor, pk=help_request.pk).help_request
            if request.resident_id is None:
                raise ValidationFailed(
                    _(
                        "Koppel eerst een inwoner aan de hulpvraag. "
                        "Dan kunt u het onderzoek starten."
                    )
                )
            if request.status == RequestStatus.CLOSED:
                raise ValidationFailed(
                    _("Deze hulpvraag is al afgerond. Er kan geen onderzoek meer bij starten.")
                )
            now = timezone.now()
            investigation = Investigation.objects.create(
                help_request=request,
                resident_id=request.resident_id,
                household_id=request.household_id,
                started_at=now,
                started_by=actor,
                updated_at=now,
                updated_by=actor,
            )
            access_log_record(
                actor=actor,
                event=AccessEvent.CREATE,
                resident_id=request.resident_id,
                objects=[investigation, request],
            )
            submission.made(investigation)
    except IntegrityError as error:  # started by someone else at the same moment
        raise ValidationFailed(_("Bij deze hulpvraag is al een onderzoek gestart.")) from error
    log.info("investigation_started", investigation_id=investigation.pk, request_id=request.pk)
    return investigation


def investigation_edit(
    *, actor: User, investigation: Investigation, content: InvestigationContent
) -> Investigation:
    """Record what the investigation found so far. Refused once it is finished, and with
    NotFoundError when the actor may not see it (any more)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    errors = investigation_content_problems(content)
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic(durable=True):
        locked = _locked(actor=actor, investigation=investigation)
        if locked.completed:
            raise ValidationFailed(ALREADY_FINISHED)
        locked.conversation_on = content.conversation_on
        locked.conversation_place = content.conversation_place
        locked.network_present = content.network_present
        locked.network_who = content.network_who.strip()
        locked.underlying_question = content.underlying_question.strip()
        locked.own_strength = content.own_strength.strip()
        locked.preceding_provisions = content.preceding_provisions.strip()
        locked.expertise_asked = content.expertise_asked
        locked.expertise_which = content.expertise_which.strip()
        locked.updated_at = timezone.now()
        locked.updated_by = actor
        locked.save()
        locked.life_domains.set(content.life_domains)
        access_log_record(
            actor=actor,
            event=AccessEvent.UPDATE,
            resident_id=locked.resident_id,
            objects=[locked],
        )
    log.info("investigation_edited", investigation_id=locked.pk)
    return locked


def investigation_finish(
    *, actor: User, investigation: Investigation, submission_key: uuid.UUID | None = None
) -> Investigation:
    """Finish the investigation today: from now on it is the report and does not change
    (the database refuses it too). Refused while something the report needs is missing.
    The same button pressed twice (`submission_key`) raises SubmittedBefore, not "already
    finished" (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=Investigation)
        locked = _locked(actor=actor, investigation=investigation)
        if locked.completed:
            raise ValidationFailed(ALREADY_FINISHED)
        missing = investigation_finish_problems(locked)
        if missing:
            raise ValidationFailed(
                _("Het onderzoek is nog niet compleet. Vul eerst aan wat hieronder staat."),
                fields=missing,
            )
        locked.completed_on = timezone.localdate()
        locked.completed_by = actor
        locked.save(update_fields=["completed_on", "completed_by"])
        access_log_record(
            actor=actor,
            event=AccessEvent.UPDATE,
            resident_id=locked.resident_id,
            objects=[locked],
        )
        submission.made(locked)
    log.info("investigation_finished", investigation_id=locked.pk)
    return locked


def investigation_own_view_add(
    *,
    actor: User,
    investigation: Investigation,
    text: str,
    given_on: datetime.date,
    submission_key: uuid.UUID | None = None,
) -> OwnView:
    """Record the resident's own view on the finished report, as they gave it on
    `given_on`. It is added beside the report; the report itself does not change. The same
    form sent again (`submission_key`) raises SubmittedBefore (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    text = text.strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = str(_("Schrijf op wat de inwoner van het verslag vindt."))
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = str(
            _("Deze tekst is te lang: gebruik niet meer dan %(limit)d tekens.")
        ) % {"limit": TEXT_MAX_LENGTH}
    if given_on > timezone.localdate():
        errors["given_on"] = str(FUTURE_DATE)
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=OwnView)
        locked = _locked(actor=actor, investigation=investigation)
        if locked.completed_on is None:
            raise ValidationFailed(
                _("Rond eerst het onderzoek af. Daarna kan de inwoner een reactie geven.")
            )
        if given_on < locked.completed_on:
            raise ValidationFailed(
                fields={"given_on": str(_("Deze datum ligt vóór de afronding van het onderzoek."))}
            )
        own_view = OwnView.objects.create(
            investigation=locked, text=text, given_on=given_on, recorded_by=actor
        )
        access_log_record(
            actor=actor,
            event=AccessEvent.CREATE,
            resident_id=locked.resident_id,
            objects=[own_view, locked],
        )
        submission.made(own_view)
    log.info("investigation_own_view_added", investigation_id=locked.pk, own_view_id=own_view.pk)
    return own_view


def investigation_report_produce(
    *, actor: User, investigation: Investigation, submission_key: uuid.UUID | None = None
) -> Letter:
    """The written report of a finished investigation as a letter to the resident
    (wijk.letters: a tagged PDF, kept as the next version of this report). Refused while the
    investigation is open: only a finished one is the report. The button pressed twice
    (`submission_key`) raises SubmittedBefore: one letter (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=Letter)
        locked = _locked(actor=actor, investigation=investigation)
        if locked.completed_on is None:
            raise ValidationFailed(_("Rond eerst het onderzoek af. Dan kunt u het verslag maken."))
        letter = letter_produce(
            actor=actor,
            resident=locked.resident,
            kind=LetterKind.INVESTIGATION_REPORT,
            template=REPORT_TEMPLATE,
            context={
                "investigation": locked,
                "help_request": locked.help_request,
                "life_domains": [
                    domain.label for domain in locked.life_domains.order_by("sort_order", "code")
                ],
            },
            source=locked,
            team=locked.help_request.team,
        )
        submission.made(letter)
    log.info("investigation_report_produced", investigation_id=locked.pk, letter_id=letter.pk)
    return letter
