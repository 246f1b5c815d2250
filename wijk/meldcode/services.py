"""Writes on meldcode cases (ADR 0039): opening one on a resident's file, recording a step,
adding and ending a reader, closing. Each write is one transaction that writes its access-log
entry inside it; the status moves only through the shared workflow (`MELDCODE_WORKFLOW`).

Only the coordinator and the team leads of the case's team write; a reader added with a
reason reads. Nobody adds themselves as reader."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import structlog
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import TEAM_MEMBER_ROLES, gate_for
from wijk.core.audit import access_log_record
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessEvent
from wijk.core.submissions import submission_claim
from wijk.core.workflow import Workflow
from wijk.meldcode.models import (
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    MeldcodeCase,
    MeldcodeReader,
    MeldcodeReaderEnd,
    MeldcodeStatusChange,
    MeldcodeStep,
    reader_grants_open,
)
from wijk.meldcode.workflow import (
    TRANSITIONS,
    WEIGHING_QUESTIONS,
    Answer,
    MeldcodeStatus,
    Step,
    report_required,
)
from wijk.organisations.models import Team
from wijk.residents.models import Resident
from wijk.residents.selectors import resident_get_for_user

log = structlog.get_logger(__name__)

MELDCODE_WORKFLOW: Workflow[MeldcodeCase] = Workflow(
    states=MeldcodeStatus,
    transitions=TRANSITIONS,
    initial=MeldcodeStatus.OPEN,
    history=MeldcodeStatusChange,
    visible=lambda user: MeldcodeCase.objects.visible_to(user),
    noun=_("het meldcodetraject"),
)

REASON_MIN_LENGTH = 10
FUTURE_DATE = _("De datum ligt in de toekomst. Vul de dag in waarop het gebeurde.")
CLOSED = _("Dit meldcodetraject is afgesloten. Er kan niets meer bij.")
SELF_REFUSED = _("U kunt uzelf niet als lezer toevoegen. Vraag de regisseur of de teamleider.")
WEIGHING_FIRST = _("Leg eerst stap 4 vast: het wegen met het afwegingskader.")
DECIDE_SOMETHING = _(
    "Kies wat u besluit: melden bij Veilig Thuis, hulp bieden of organiseren, of allebei."
)
MUST_REPORT = _(
    "Volgens uw antwoorden in stap 4 moet u melden bij Veilig Thuis. Dat is de "
    'beroepsnorm. Kies ook "melden bij Veilig Thuis", of leg stap 4 opnieuw vast als uw '
    "weging veranderd is."
)
REPORT_DATE = _("Vul de datum van de melding bij Veilig Thuis in.")


@dataclass(frozen=True)
class StepContent:
    """What a step record says: the fields of its step; the others stay empty."""

    number: int
    occurred_on: dt.date
    text: str
    minor_children: str = ""
    children_care: str = ""
    consulted: str = ""
    veilig_thuis_consulted: bool = False
    injury_expert_consulted: bool = False
    answers: dict[str, str] = field(default_factory=dict)
    report: bool = False
    reported_on: dt.date | None = None
    help: bool = False


def _text_error(text: str, *, empty: str | Promise) -> str | None:
    if not text.strip():
        return str(empty)
    if len(text) > TEXT_MAX_LENGTH:
        return str(
            _(
                "De tekst is %(length)s tekens lang. Er passen er hooguit %(max)s in. "
                "Maak de tekst %(over)s tekens korter."
            )
            % {
                "length": number_format(len(text), force_grouping=True),
                "max": number_format(TEXT_MAX_LENGTH, force_grouping=True),
                "over": number_format(len(text) - TEXT_MAX_LENGTH, force_grouping=True),
            }
        )
    return None


def _validated(content: StepContent) -> StepContent:
    """The content with only its step's fields kept, or ValidationFailed naming every field
    that is wrong at once. A text is never cut: one that is too long is refused."""
    if content.number not in Step.values:
        raise NotFoundError
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if content.occurred_on > today:
        errors["occurred_on"] = str(FUTURE_DATE)
    text_error = _text_error(content.text, empty=_("Schrijf op wat er gedaan en gezien is."))
    if text_error:
        errors["text"] = text_error
    for name in ("children_care", "consulted"):
        if len(getattr(content, name)) > TEXT_MAX_LENGTH:
            errors[name] = str(_("Deze tekst is te lang."))
    number = content.number
    kept = StepContent(number=number, occurred_on=content.occurred_on, text=content.text)
    if number == Step.SIGNALS:
        if content.minor_children not in Answer.values:
            errors["minor_children"] = str(
                _("Beantwoord de kindcheck: wonen er minderjarige kinderen in het huishouden?")
            )
        kept = StepContent(
            number=number,
            occurred_on=content.occurred_on,
            text=content.text,
            minor_children=content.minor_children,
            children_care=content.children_care,
        )
    elif number == Step.CONSULTATION:
        if not content.consulted.strip():
            errors["consulted"] = str(_("Schrijf op met wie u heeft overlegd."))
        kept = StepContent(
            number=number,
            occurred_on=content.occurred_on,
            text=content.text,
            consulted=content.consulted,
            veilig_thuis_consulted=content.veilig_thuis_consulted,
            injury_expert_consulted=content.injury_expert_consulted,
        )
    elif number == Step.WEIGHING:
        answers = {name: content.answers.get(name, "") for name, _question in WEIGHING_QUESTIONS}
        for name, value in answers.items():
            if value not in Answer.values:
                errors[name] = str(_("Kies ja, nee of nog niet bekend."))
        if answers["suspicion"] == Answer.UNKNOWN:
            errors["suspicion"] = str(
                _("Beantwoord de eerste vraag met ja of nee: heeft u een vermoeden?")
            )
        kept = StepContent(
            number=number, occurred_on=content.occurred_on, text=content.text, answers=answers
        )
    elif number == Step.DECISION:
        if not (content.report or content.help):
            errors["report"] = str(DECIDE_SOMETHING)
        if content.report and content.reported_on is None:
            errors["reported_on"] = str(REPORT_DATE)
        elif content.report and content.reported_on is not None and content.reported_on > today:
            errors["reported_on"] = str(FUTURE_DATE)
        kept = StepContent(
            number=number,
            occurred_on=content.occurred_on,
            text=content.text,
            report=content.report,
            reported_on=content.reported_on if content.report else None,
            help=content.help,
        )
    if errors:
        raise ValidationFailed(fields=errors)
    return kept


def _lock_led(*, case: MeldcodeCase, actor: User) -> MeldcodeCase:
    """The case locked for a write by its coordinator or a team lead of its team: a case the
    actor may not see is NotFoundError; one the actor reads but does not lead (an added
    reader) is PermissionDeniedError."""
    locked = MELDCODE_WORKFLOW.lock(subject=case, actor=actor)
    if not MeldcodeCase.objects.filter(pk=locked.pk).led_by(actor).exists():
        raise PermissionDeniedError
    return locked


def _step_create(*, case: MeldcodeCase, content: StepContent, by: User) -> MeldcodeStep:
    return MeldcodeStep.objects.create(
        case=case,
        number=content.number,
        occurred_on=content.occurred_on,
        by=by,
        text=content.text,
        minor_children=content.minor_children,
        children_care=content.children_care,
        consulted=content.consulted,
        veilig_thuis_consulted=content.veilig_thuis_consulted,
        injury_expert_consulted=content.injury_expert_consulted,
        report=content.report,
        reported_on=content.reported_on,
        help=content.help,
        **content.answers,
    )


def meldcode_case_open(
    *, actor: User, resident: Resident, team: Team, submission_key: uuid.UUID | None = None
) -> MeldcodeCase:
    """Open a meldcode case on the file of a resident the actor may see, in one of the
    actor's active teams, with the actor as coordinator: the case, its first status row and
    one access-log entry. The same form sent again (`submission_key`) raises
    SubmittedBefore with the case opened the first time (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    if not Team.objects.active_for(actor).filter(pk=team.pk).exists():
        raise ValidationFailed(fields={"team": str(_("Kies een van uw eigen teams."))})
    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=MeldcodeCase)
        view = resident_get_for_user(user=actor, pk=resident.pk)
        case = MeldcodeCase.objects.create(
            resident=view.resident,
            team=team,
            coordinator=actor,
            # the resident as read through the gate, with address, buurt and wijk
            wijk_at_opening_id=view.resident.address.buurt.wijk_id
            if view.resident.address is not None
            else None,
        )
        first = MELDCODE_WORKFLOW.start(subject=case, by=actor)
        access_log_record(
            actor=actor, event=AccessEvent.CREATE, resident_id=resident.pk, objects=[case, first]
        )
        submission.made(case)
    # No resident id: the application log must not tell who is in a meldcode (ADR 0039).
    log.info("meldcode_case_opened", case_id=case.pk)
    return case


def meldcode_step_record(
    *,
    actor: User,
    case: MeldcodeCase,
    content: StepContent,
    submission_key: uuid.UUID | None = None,
) -> MeldcodeStep:
    """Record a step of an open (not closed) case. Step 5 needs a step 4 and moves the status:
    a report makes the case "reported" (and keeps it so), help alone makes it "help"; when
    the newest step 4 makes a report the norm, step 5 without a report is refused. The same
    form sent again (`submission_key`) raises SubmittedBefore (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    content = _validated(content)
    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=MeldcodeStep)
        locked = _lock_led(case=case, actor=actor)
        if locked.status == MeldcodeStatus.CLOSED:
            raise ValidationFailed(CLOSED)
        if content.number != Step.DECISION:
            step = _step_create(case=locked, content=content, by=actor)
            access_log_record(
                actor=actor,
                event=AccessEvent.CREATE,
                resident_id=locked.resident_id,
                objects=[locked, step],
            )
        else:
            step = _decide(actor=actor, case=locked, content=content)
        submission.made(step)
    log.info("meldcode_step_recorded", case_id=locked.pk, step=content.number)
    return step


def _decide(*, actor: User, case: MeldcodeCase, content: StepContent) -> MeldcodeStep:
    weighing = (
        MeldcodeStep.objects.filter(case=case, number=Step.WEIGHING).order_by("-at", "-pk").first()
    )
    if weighing is None:
        raise ValidationFailed(WEIGHING_FIRST)
    answers = {name: getattr(weighing, name) for name, _question in WEIGHING_QUESTIONS}
    if report_required(answers) and not content.report:
        raise ValidationFailed(fields={"report": str(MUST_REPORT)})
    reported = content.report or case.status == MeldcodeStatus.REPORTED
    target = MeldcodeStatus.REPORTED if reported else MeldcodeStatus.HELP
    if target == case.status:
        step = _step_create(case=case, content=content, by=actor)
        access_log_record(
            actor=actor,
            event=AccessEvent.CREATE,
            resident_id=case.resident_id,
            objects=[case, step],
        )
        return step
    written: list[MeldcodeStep] = []

    def record(locked: MeldcodeCase) -> list[MeldcodeStep]:
        written.append(_step_create(case=locked, content=content, by=actor))
        return written

    MELDCODE_WORKFLOW.transition(subject=case, to=target, actor=actor, apply=record)
    return written[0]


def meldcode_case_close(
    *,
    actor: User,
    case: MeldcodeCase,
    reason: str,
    submission_key: uuid.UUID | None = None,
) -> MeldcodeCase:
    """Close the case, with a reason (at most 200 characters): final. The same form sent
    again (`submission_key`) raises SubmittedBefore (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    if not " ".join(reason.split()):
        raise ValidationFailed(fields={"reason": str(_("Schrijf waarom u het traject afsluit."))})
    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=MeldcodeCase)
        _lock_led(case=case, actor=actor)
        closed = MELDCODE_WORKFLOW.transition(
            subject=case, to=MeldcodeStatus.CLOSED, actor=actor, reason=reason
        )
        submission.made(closed)
    log.info("meldcode_case_closed", case_id=case.pk)
    return closed


def meldcode_reader_add(
    *,
    actor: User,
    case: MeldcodeCase,
    user: User,
    reason: str,
    submission_key: uuid.UUID | None = None,
) -> MeldcodeReader:
    """Add `user` as reader of the case, with the reason, by its coordinator or a team lead
    of its team. Refused: the actor themselves, the coordinator, someone who reads already,
    an account without a person-level role. The new reader reads only while they may see the
    resident too (ADR 0039). One access-log entry (`grant`). The same form sent again
    (`submission_key`) raises SubmittedBefore (wijk.core.submissions)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    reason = " ".join(reason.split())
    if user.pk == actor.pk:
        raise ValidationFailed(fields={"user": str(SELF_REFUSED)})
    errors: dict[str, str] = {}
    if len(reason) < REASON_MIN_LENGTH:
        errors["reason"] = str(
            _("Schrijf in ten minste 10 tekens waarom deze persoon het traject moet lezen.")
        )
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = str(_("Schrijf de reden in hooguit 500 tekens."))
    if not (user.is_active and user.role in TEAM_MEMBER_ROLES and user.role_approved):
        errors["user"] = str(_("Deze persoon kan geen lezer worden."))
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic(durable=True):
        submission = submission_claim(actor=actor, key=submission_key, model=MeldcodeReader)
        locked = _lock_led(case=case, actor=actor)
        if locked.status == MeldcodeStatus.CLOSED:
            raise ValidationFailed(CLOSED)
        if (
            user.pk == locked.coordinator_id
            or reader_grants_open().filter(case=locked, user=user).exists()
        ):
            raise ValidationFailed(fields={"user": str(_("Deze persoon leest het traject al."))})
        grant = MeldcodeReader.objects.create(case=locked, user=user, reason=reason, added_by=actor)
        access_log_record(
            actor=actor,
            event=AccessEvent.GRANT,
            resident_id=locked.resident_id,
            objects=[locked, grant],
            reason=reason,
        )
        submission.made(grant)
    log.info("meldcode_reader_added", case_id=locked.pk, reader_id=user.pk)
    return grant


def meldcode_reader_end(*, actor: User, case: MeldcodeCase, grant_pk: int) -> MeldcodeReaderEnd:
    """End an open reader row of the case, by its coordinator or a team lead of its team
    (also after the case is closed). A row of another case, or one already ended, is
    NotFoundError."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        locked = _lock_led(case=case, actor=actor)
        grant = reader_grants_open().filter(case=locked, pk=grant_pk).first()
        if grant is None:
            raise NotFoundError
        end = MeldcodeReaderEnd.objects.create(grant=grant, ended_by=actor)
        access_log_record(
            actor=actor,
            event=AccessEvent.UPDATE,
            resident_id=locked.resident_id,
            objects=[locked, grant, end],
        )
    log.info("meldcode_reader_ended", case_id=locked.pk, reader_id=grant.user_id)
    return end
