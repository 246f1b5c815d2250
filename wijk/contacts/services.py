"""Writes on count-only contacts: registering a number of them at once, counting one in tally
mode, and taking back one's own last tally.

Short contacts (information and advice) hold NO personal data: a date, a channel, a topic
(life domain), a team and optionally a wijk. They count contacts, never unique residents
(002 §8.2). So these services write no access-log entry (there is no resident whose file was
touched); their structlog events carry ids and counts only."""

from __future__ import annotations

import datetime

import structlog
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.areas.models import Wijk
from wijk.contacts.models import ShortContact
from wijk.contacts.selectors import CHANNELS, LIFE_DOMAINS, UNDO_WINDOW, teams_for_registering
from wijk.core.errors import PermissionDeniedError, ValidationFailed
from wijk.organisations.models import Team
from wijk.reference.models import Code

log = structlog.get_logger(__name__)

# A tally of more contacts at once is almost certainly a typing error (500 for 50).
MAX_COUNT = 50


def _check(
    *,
    actor: User,
    contact_date: datetime.date,
    channel: Code,
    life_domain: Code,
    team: Team,
    wijk: Wijk | None,
    count: int,
) -> None:
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    if not teams_for_registering(user=actor).filter(pk=team.pk).exists():
        raise ValidationFailed(fields={"team": str(_("Kies een team waar u lid van bent."))})
    errors: dict[str, str] = {}
    if contact_date > timezone.localdate():
        errors["contact_date"] = str(_("De datum ligt in de toekomst."))
    valid = Code.objects.valid_on(contact_date)
    if not valid.filter(pk=channel.pk, code_list__slug=CHANNELS).exists():
        errors["channel"] = str(_("Kies een kanaal uit de lijst."))
    if not valid.filter(pk=life_domain.pk, code_list__slug=LIFE_DOMAINS).exists():
        errors["life_domain"] = str(_("Kies een onderwerp uit de lijst."))
    if wijk is not None and not team.wijken.filter(pk=wijk.pk).exists():
        errors["wijk"] = str(_("Kies een wijk van het team."))
    if not 1 <= count <= MAX_COUNT:
        errors["count"] = str(_("Vul een aantal in van 1 tot en met %(max)s.") % {"max": MAX_COUNT})
    if errors:
        raise ValidationFailed(fields=errors)


def short_contact_register(
    *,
    actor: User,
    contact_date: datetime.date,
    channel: Code,
    life_domain: Code,
    team: Team,
    wijk: Wijk | None = None,
    count: int = 1,
    tallied: bool = False,
) -> int:
    """Register `count` short contacts (at most MAX_COUNT) in one transaction and return how
    many were registered. The actor must be a member of the team; channel and life domain must
    be valid codes of their lists on the contact date, which is not in the future.

    No access-log entry: these rows hold no personal data and no resident is involved."""
    _check(
        actor=actor,
        contact_date=contact_date,
        channel=channel,
        life_domain=life_domain,
        team=team,
        wijk=wijk,
        count=count,
    )
    now = timezone.now()
    with transaction.atomic(durable=True):
        ShortContact.objects.bulk_create(
            ShortContact(
                contact_date=contact_date,
                channel=channel,
                life_domain=life_domain,
                team=team,
                wijk=wijk,
                registered_by=actor,
                registered_at=now,
                tallied=tallied,
            )
            for _number in range(count)
        )
    log.info(
        "short_contacts_registered",
        count=count,
        team_id=team.pk,
        channel_id=channel.pk,
        life_domain_id=life_domain.pk,
        tallied=tallied,
        by=actor.pk,
    )
    return count


def short_contact_tally(
    *, actor: User, contact_date: datetime.date, channel: Code, life_domain: Code, team: Team
) -> int:
    """Count one contact in tally mode: one press, one row."""
    return short_contact_register(
        actor=actor,
        contact_date=contact_date,
        channel=channel,
        life_domain=life_domain,
        team=team,
        count=1,
        tallied=True,
    )


def short_contact_tally_undo(*, actor: User) -> ShortContact:
    """Take back the actor's own last tally, if it was counted less than UNDO_WINDOW ago, and
    return the removed row (unsaved). Pressing again takes back the tally before it, within
    the same window.

    The row is deleted, not cancelled by a negative correction: a short contact carries no
    personal data and no rights of a resident, so there is no history to keep, and a press on
    the wrong button is an input error, not an event. Deleting keeps every count a plain
    COUNT(*) that can never go below zero, in the overviews and in the daily data feed alike.
    The structlog event records which row went, for operations."""
    if not gate_for(actor).person_level:
        raise PermissionDeniedError
    with transaction.atomic(durable=True):
        contact = (
            ShortContact.objects.select_for_update(of=("self",))
            .select_related("life_domain", "channel")
            .filter(
                registered_by=actor,
                tallied=True,
                registered_at__gte=timezone.now() - UNDO_WINDOW,
            )
            .order_by("-registered_at", "-pk")
            .first()
        )
        if contact is None:
            raise ValidationFailed(
                _(
                    "Er is niets om ongedaan te maken. U kunt alleen uw eigen laatste telling "
                    "van de afgelopen 5 minuten weghalen."
                )
            )
        contact_id = contact.pk
        contact.delete()
    log.info(
        "short_contact_tally_undone", contact_id=contact_id, team_id=contact.team_id, by=actor.pk
    )
    return contact
