"""Writes on group activities: creating and editing an activity, recording a session with its
attendance (counted, without registering people) and correcting it later, and adding or
removing a named participant where the activity registers them.

Activities and sessions hold no personal data: their services write no access-log entry,
only a structlog event with ids and counts. Named participants are person-level: adding and
removing one writes its access-log entry (with the resident's id) inside the transaction, and
so does moving a session that has named participants to another date (it changes when they
took part)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import structlog
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.activities.models import Activity, ActivitySession, Participation
from wijk.activities.selectors import (
    POLICY_THEMES,
    TARGET_GROUPS,
    participations_exist,
    session_for_participants,
)
from wijk.areas.models import Wijk
from wijk.areas.selectors import wijk_newest_year
from wijk.core.audit import access_log_record
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessEvent
from wijk.organisations.models import Organisation
from wijk.reference.models import Code
from wijk.residents.selectors import resident_get_for_user

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
    """Create an activity of the Sociale Basis. Professionals and team leads only."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    _check_activity(data, current=None)
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


def activity_update(*, actor: User, activity: Activity, data: ActivityInput) -> Activity:
    """Change an activity. Turning off named participants is refused while any are recorded."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        current = Activity.objects.select_for_update().filter(pk=activity.pk).first()
        if current is None:
            raise NotFoundError
        _check_activity(data, current=current)
        current.name = data.name.strip()
        current.organiser = data.organiser
        current.theme = data.theme
        current.target_group = data.target_group
        current.wijk = data.wijk
        current.location = data.location.strip()
        current.registers_participants = data.registers_participants
        current.active = data.active
        current.save()
    log.info("activity_updated", activity_id=current.pk, by=actor.pk)
    return current


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
            current = ActivitySession.objects.select_for_update().filter(pk=session.pk).first()
            if current is None:
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
                    .values_list("pk", "resident_id")
                )
                if moved
                else []
            )
            if named:
                access_log_record(
                    actor=actor,
                    event=AccessEvent.UPDATE,
                    objects=[
                        current,
                        *(
                            ref
                            for pk, resident_id in named
                            for ref in (
                                f"activities.participation:{pk}",
                                f"residents.resident:{resident_id}",
                            )
                        ),
                    ],
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
        resident = resident_get_for_user(user=actor, pk=resident_pk).resident
        if Participation.objects.filter(session=session, resident=resident).exists():
            raise ValidationFailed(_("Deze inwoner staat al op de deelnemerslijst."))
        participation = Participation.objects.create(session=session, resident=resident)
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
