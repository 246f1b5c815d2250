"""The lifecycle of a request: states and the transitions allowed between them.

received ──first contact──▶ contacted ──outcome──▶ closed
    └────────────────────────outcome───────────────────▲
A request is never deleted: it ends in `closed` with one of the outcomes below."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Ontvangen")
    CONTACTED = "contacted", _("Eerste contact gehad")
    CLOSED = "closed", _("Afgerond")


TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.RECEIVED: frozenset({RequestStatus.CONTACTED, RequestStatus.CLOSED}),
    RequestStatus.CONTACTED: frozenset({RequestStatus.CLOSED}),
    RequestStatus.CLOSED: frozenset(),
}


class Outcome(models.TextChoices):
    SUPPORT_STARTED = "support_started", _("Ondersteuning gestart (traject)")
    INFORMATION_GIVEN = "information_given", _("Korte informatie of advies gegeven")
    REFERRED_OUT = "referred_out", _("Verwezen naar een voorziening buiten de opdracht")
    WITHDRAWN = "withdrawn", _("Ingetrokken door de inwoner")
    NOT_REACHABLE = "not_reachable", _("Niet bereikbaar na contactpogingen")


class RequesterRelation(models.TextChoices):
    SELF = "self", _("De inwoner zelf")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Wettelijk vertegenwoordiger")
    MENTOR = "mentor", _("Mentor")
    CURATOR = "curator", _("Curator")
    RELATIVE = "relative", _("Familielid of naaste")
    REFERRER = "referrer", _("Verwijzer")
    OTHER = "other", _("Iemand anders")


# Attempts needed before a request may close as "not reachable".
MIN_ATTEMPTS_FOR_NOT_REACHABLE = 3
