"""Writes on group activities: creating and editing an activity, recording a session with its
attendance (counted, without registering people) and correcting it later, and adding or
removing a named participant where the activity registers them.

Activities belong to their teams, the active teams covering their wijk (ADR 0018): only
their members change them and record or correct sessions; a change of an activity is one
UPDATE entry in the access log, and a move to another wijk waits for a team lead of the
destination (APPROVE or REJECT entry), since it hands the named participants to that team.
Recording sessions writes no access-log entry (counted, nobody named), only a structlog event
with ids and counts. Named participants are person-level: adding and removing one writes its
access-log entry (with the resident's id) inside the transaction, and so does moving a
session that has named participants to another date (it changes when they took part)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import structlog
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.activities.models import (
    Activity,
    ActivityMove,
    ActivityMoveStatus,
    ActivitySession,
    Participation,
)
from wijk.activities.selectors import (
    POLICY_THEMES,
    TARGET_GROUPS,
    participations_exist,
    session_for_participants,
)
from wijk.areas.models import Wijk
from wijk.areas.selectors import wijk_newest_year
from wijk.core.access import refs_with_resident
from wijk.core.audit import access_log_record
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessEvent
from wijk.organisations.models import Organisation, Team
from wijk.reference.models import Code
from wijk.residents.models import WorkKind
from wijk.residents.selectors import resident_get_for_user
from wijk.residents.services import work_under_grant_record

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class ActivityInput:
    name: str
    organiser: Organisation
    theme: Code
    target_group: Code
    wijk: Wijk
    location: str
    registers_participants: bool = False
    active: bool = True


def _check_activity(data: ActivityInput, *, current: Activity | None) -> None:
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = str(_("Vul de naam van de activiteit in."))
    if not data.location.strip():
        errors["location"] = str(_("Vul de locatie in."))
    if not data.organiser.active and not (
        current is not None and current.organiser_id == data.organiser.pk
    ):
        errors["organiser"] = str(_("Deze organisatie is niet meer actief. Kies een andere."))
    themes = Code.objects.filter(code_list__slug=POLICY_THEMES, parent__isnull=False)
    if not (
        themes.valid_on(today).filter(pk=data.theme.pk).exists()
        or (current is not None and current.theme_id == data.theme.pk)
    ):
        errors["theme"] = str(_("Kies een thema uit de lijst."))
    groups = Code.objects.filter(code_list__slug=TARGET_GROUPS)
    if not (
        groups.valid_on(today).filter(pk=data.target_group.pk).exists()
        or (current is not None and current.target_group_id == data.target_group.pk)
    ):
        errors["target_group"] = str(_("Kies een doelgroep uit de lijst."))
    if data.wijk.source_year != wijk_newest_year() and not (
        current is not None and current.wijk_id == data.wijk.pk
    ):
        errors["wijk"] = str(_("Kies een wijk uit de lijst."))
    if (
        current is not None
        and current.registers_participants
        and not data.registers_participants
        and participations_exist(activity=current)
    ):
        errors["registers_participants"] = str(
            _(
                "Er zijn al deelnemers met naam vastgelegd. Haal die eerst weg bij de "
                "bijeenkomsten; daarna kunt u dit uitzetten."
            )
        )
    if errors:
        raise ValidationFailed(fields=errors)


def activity_create(*, actor: User, data: ActivityInput) -> Activity:
    """Create an activity of the Sociale Basis. Professionals and team leads only, in a wijk
    of one of their active teams: the activity belongs to the teams covering its wijk (ADR
    0018)."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    _check_activity(data, current=None)
    if not Team.objects.active_for(actor).filter(wijken__code=data.wijk.code).exists():
        raise ValidationFailed(fields={"wijk": str(_("Kies een wijk van uw team."))})
    with transaction.atomic(durable=True):
        activity = Activity.objects.create(
            name=data.name.strip(),
            organiser=data.organiser,
            theme=data.theme,
            target_group=data.target_group,
            wijk=data.wijk,
            location=data.location.strip(),
            registers_participants=data.registers_participants,
            active=data.active,
        )
    log.info("activity_created", activity_id=activity.pk, by=actor.pk)
    return activity


@dataclass(frozen=True)
class ActivityUpdated:
    activity: Activity
    move: ActivityMove | None  # asked for by this change, waiting for a team lead


def activity_update(*, actor: User, activity: Activity, data: ActivityInput) -> ActivityUpdated:
    """Change an activity: only a member of one of its own teams (ADR 0018), and one UPDATE
    entry in the access log. Another wijk is not applied: it becomes a move that a team lead
    of the destination's team approves (activity_move_approve), one at a time. Turning off
    named participants is refused while any are recorded."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        current = (
            Activity.objects.in_wijken_of(actor)
            .select_for_update(of=("self",))
            .select_related("wijk")
            .filter(pk=activity.pk)
            .first()
        )
        if current is None:
            raise NotFoundError
        _check_activity(data, current=current)
        move = None
        if data.wijk.code != current.wijk.code:
            if ActivityMove.objects.filter(
                activity=current, status=ActivityMoveStatus.PENDING
            ).exists():
                raise ValidationFailed(
                    fields={
                        "wijk": str(
                            _(
                                "Er wacht al een verhuizing naar een andere wijk op goedkeuring. "
                                "Een nieuwe kan pas als die beoordeeld is."
                            )
                        )
                    }
                )
            move = ActivityMove.objects.create(
                activity=current, from_wijk=current.wijk, to_wijk=data.wijk, requested_by=actor
            )
        else:
            current.wijk = data.wijk  # the same wijk, perhaps of a newer CBS year
        current.name = data.name.strip()
        current.organiser = data.organiser
        current.theme = data.theme
        current.target_group = data.target_group
        current.location = data.location.strip()
        current.registers_participants = data.registers_participants
        current.active = data.active
        current.save()
        access_log_record(
            actor=actor,
            event=AccessEvent.UPDATE,
            objects=[current] if move is None else [current, move],
        )
    log.info(
        "activity_updated",
        activity_id=current.pk,
        move_id=move.pk if move is not None else None,
        by=actor.pk,
    )
    return ActivityUpdated(activity=current, move=move)


def _activity_move_decide(*, actor: User, move_pk: int, approve: bool) -> ActivityMove:
    if not gate_for(actor).oversee_teams:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        move = (
            ActivityMove.objects.reviewable_by(actor)
            .select_for_update(of=("self",))
            .filter(pk=move_pk)
            .first()
        )
        if move is None:
            raise NotFoundError
        activity = Activity.objects.select_for_update().get(pk=move.activity_id)
        if approve:
            activity.wijk_id = move.to_wijk_id
            activity.save(update_fields=["wijk"])
        move.status = ActivityMoveStatus.APPROVED if approve else ActivityMoveStatus.REJECTED
        move.decided_by = actor
        move.decided_at = timezone.now()
        move.save(update_fields=["status", "decided_by", "decided_at"])
        access_log_record(
            actor=actor,
            event=AccessEvent.APPROVE if approve else AccessEvent.REJECT,
            objects=[activity, move],
        )
    log.info(
        "activity_move_approved" if approve else "activity_move_rejected",
        activity_id=move.activity_id,
        move_id=move.pk,
        by=actor.pk,
    )
    return move


def activity_move_approve(*, actor: User, move_pk: int) -> ActivityMove:
    """Approve a pending move: the activity moves to the destination wijk, and so its
    sessions and named participants to the destination's teams. Only a team lead of an
    active team covering the destination, not the one who asked for it (ADR 0018)."""
    return _activity_move_decide(actor=actor, move_pk=move_pk, approve=True)


def activity_move_reject(*, actor: User, move_pk: int) -> ActivityMove:
    """Reject a pending move: the activity stays where it is. Same reviewers as approving."""
    return _activity_move_decide(actor=actor, move_pk=move_pk, approve=False)


def _session_exists_message() -> str:
    return str(_("Er is al een bijeenkomst van deze activiteit op deze datum."))


def _check_attendance(
    *, held_on: datetime.date, attendance_total: int, attendance_youth: int
) -> None:
    """The checks of a session, the same when it is recorded and when it is corrected: not in
    the future, no negative numbers, no more young people than participants."""
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = str(
            _("De datum ligt in de toekomst. Registreer een bijeenkomst als die geweest is.")
        )
    if attendance_total < 0:
        errors["attendance_total"] = str(_("Het aantal deelnemers kan niet negatief zijn."))
    if attendance_youth < 0:
        errors["attendance_youth"] = str(_("Het aantal jongeren kan niet negatief zijn."))
    elif attendance_youth > attendance_total:
        errors["attendance_youth"] = str(
            _("Er kunnen niet meer jongeren zijn dan deelnemers in totaal.")
        )
    if errors:
        raise ValidationFailed(fields=errors)


def activity_session_create(
    *,
    actor: User,
    activity: Activity,
    held_on: datetime.date,
    attendance_total: int,
    attendance_youth: int = 0,
) -> ActivitySession:
    """Record a session with its attendance: the number of participants and how many of them
    were young people, counted without registering anyone. One session per activity a day."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    _check_attendance(
        held_on=held_on, attendance_total=attendance_total, attendance_youth=attendance_youth
    )
    try:
        with transaction.atomic(durable=True):
            if not Activity.objects.in_wijken_of(actor).filter(pk=activity.pk).exists():
                raise NotFoundError  # not an activity of the actor's teams (ADR 0018)
            if ActivitySession.objects.filter(activity=activity, held_on=held_on).exists():
                raise ValidationFailed(fields={"held_on": _session_exists_message()})
            session = ActivitySession.objects.create(
                activity=activity,
                held_on=held_on,
                attendance_total=attendance_total,
                attendance_youth=attendance_youth,
                registered_by=actor,
            )
    except IntegrityError as error:  # the same session, saved at the same moment elsewhere
        raise ValidationFailed(fields={"held_on": _session_exists_message()}) from error
    log.info(
        "activity_session_recorded",
        activity_id=activity.pk,
        session_id=session.pk,
        attendance_total=attendance_total,
        attendance_youth=attendance_youth,
        by=actor.pk,
    )
    return session


def activity_session_update(
    *,
    actor: User,
    session: ActivitySession,
    held_on: datetime.date,
    attendance_total: int,
    attendance_youth: int,
) -> ActivitySession:
    """Correct a recorded session: its date and its attendance, with the checks of recording
    it (and still one session per activity a day). All or nothing: a refused change leaves
    the session as it was. Moving a session with named participants to another date changes
    when they took part: that is one UPDATE entry in the access log naming them."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    _check_attendance(
        held_on=held_on, attendance_total=attendance_total, attendance_youth=attendance_youth
    )
    try:
        with transaction.atomic(durable=True):
            current = (
                ActivitySession.objects.select_for_update()
                .filter(pk=session.pk, activity__in=Activity.objects.in_wijken_of(actor))
                .first()
            )
            if current is None:  # missing, or not of the actor's teams (ADR 0018)
                raise NotFoundError
            if (
                ActivitySession.objects.filter(activity_id=current.activity_id, held_on=held_on)
                .exclude(pk=current.pk)
                .exists()
            ):
                raise ValidationFailed(fields={"held_on": _session_exists_message()})
            total_before, youth_before = current.attendance_total, current.attendance_youth
            moved = current.held_on != held_on
            current.held_on = held_on
            current.attendance_total = attendance_total
            current.attendance_youth = attendance_youth
            current.save(update_fields=["held_on", "attendance_total", "attendance_youth"])
            named = (
                list(
                    Participation.objects.filter(session=current)
                    .order_by("pk")
                    .only("pk", "resident_id")
                )
                if moved
                else []
            )
            if named:
                access_log_record(
                    actor=actor,
                    event=AccessEvent.UPDATE,
                    objects=[current, *refs_with_resident(named)],
                )
    except IntegrityError as error:  # the same date, saved at the same moment elsewhere
        raise ValidationFailed(fields={"held_on": _session_exists_message()}) from error
    log.info(
        "activity_session_updated",
        activity_id=current.activity_id,
        session_id=current.pk,
        moved=moved,
        attendance_total=attendance_total,
        attendance_youth=attendance_youth,
        attendance_total_before=total_before,
        attendance_youth_before=youth_before,
        by=actor.pk,
    )
    return current


def participation_add(*, actor: User, session_pk: int, resident_pk: int) -> Participation:
    """Add a named participant to a session. Only for activities that register participants,
    in a wijk of one of the actor's teams, and only a resident the actor may see; reading the
    resident and creating the participation are both in the access log."""
    with transaction.atomic(durable=True):
        session = session_for_participants(user=actor, pk=session_pk)
        view = resident_get_for_user(user=actor, pk=resident_pk)
        resident = view.resident
        if Participation.objects.filter(session=session, resident=resident).exists():
            raise ValidationFailed(_("Deze inwoner staat al op de deelnemerslijst."))
        participation = Participation.objects.create(session=session, resident=resident)
        work_under_grant_record(  # when the resident was reached by a grant only (ADR 0020)
            view=view,
            kind=WorkKind.PARTICIPATION,
            record=participation,
            reference=f"{session.activity.name}, {session.held_on:%d-%m-%Y}",
            responsible=None,
        )
        access_log_record(
            actor=actor,
            event=AccessEvent.CREATE,
            resident_id=resident.pk,
            objects=[participation, session],
        )
    log.info(
        "participation_added",
        participation_id=participation.pk,
        session_id=session.pk,
        resident_id=resident.pk,
        by=actor.pk,
    )
    return participation


def participation_remove(*, actor: User, session_pk: int, participation_pk: int) -> None:
    """Take a named participant off a session's list (a mistake, or the resident's wish)."""
    with transaction.atomic(durable=True):
        session = session_for_participants(user=actor, pk=session_pk)
        participation = (
            Participation.objects.visible_to(actor)
            .select_for_update(of=("self",))
            .filter(pk=participation_pk, session=session)
            .first()
        )
        if participation is None:
            raise NotFoundError
        resident_id = participation.resident_id
        access_log_record(
            actor=actor,
            event=AccessEvent.DELETE,
            resident_id=resident_id,
            objects=[participation, session],
        )
        participation.delete()
    log.info(
        "participation_removed",
        participation_id=participation_pk,
        session_id=session.pk,
        resident_id=resident_id,
        by=actor.pk,
    )
