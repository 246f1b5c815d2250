"""Staff accounts. A role is a code-level concept (the access gate is written against it);
everything a role may do is in wijk.accounts.roles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    TEAM_LEAD = "team_lead", _("Teamleider")
    MANAGEMENT = "management", _("Management")
    MUNICIPALITY = "municipality", _("Gemeente")
    ADMINISTRATOR = "administrator", _("Beheerder")


class User(AbstractUser):
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    # Raised to end every session of the account at once (logout everywhere, disabling).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["username"]

    def _get_session_auth_hash(self, secret: Any = None) -> str:
        key_salt = "wijk.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()
