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
    # The municipality's Wmo decision officers: only the cases placed in their queue (ADR 0040).
    MUNICIPALITY_DECISIONS = "municipality_decisions", _("Gemeente, Wmo-besluiten")
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
    # A role with access to person-level data (or to approving access) works only once a
    # second person has approved it (docs/adr/0019); False until then.
    role_approved = models.BooleanField(_("rol goedgekeurd"), default=False, editable=False)
    # Wrong authenticator codes, per account: a correct password does not reset them.
    totp_failures = models.PositiveIntegerField(default=0, editable=False)
    totp_failed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Everyone who created the account, chose its e-mail address, issued it a link (reset,
    # enable) or asked for a change about it: they may have held its link, so none of them
    # may ever decide on a change about it (docs/adr/0019). Only ever added to.
    access_excluded = models.ManyToManyField(
        "self", symmetrical=False, blank=True, editable=False, related_name="+"
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["username"]

    def _get_session_auth_hash(self, secret: Any = None) -> str:
        key_salt = "wijk.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()


class ActivationToken(models.Model):
    """A one-time link that lets the account holder choose a password and link an
    authenticator. Only a hash of the token is kept; the token itself is only in the e-mail."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("aangemaakt op"))
    expires_at = models.DateTimeField(_("geldig tot"))
    used_at = models.DateTimeField(_("gebruikt op"), null=True, blank=True)
    # The address the link was e-mailed to: the approver sees this one, not the address the
    # account has now (docs/adr/0019).
    sent_to = models.EmailField(_("verstuurd naar"), blank=True)

    class Meta:
        verbose_name = _("activeringslink")
        verbose_name_plural = _("activeringslinks")

    def __str__(self) -> str:
        return f"activation link {self.pk} of user {self.user_id}"


class AccessChangeKind(models.TextChoices):
    ROLE = "role", _("rol")
    TEAM_MEMBER = "team_member", _("lid van een team")
    TEAM_WIJKEN = "team_wijken", _("wijken van een team")
    TEAM_ACTIVE = "team_active", _("team weer actief")
    TEAM_INTAKE = "team_intake", _("intaketeam")


class AccessChangeStatus(models.TextChoices):
    PENDING = "pending", _("wacht op goedkeuring")
    APPROVED = "approved", _("goedgekeurd")
    REJECTED = "rejected", _("afgewezen")
    WITHDRAWN = "withdrawn", _("vervallen")


class AccessChange(models.Model):
    """A change that gives access to person-level data (or the right to approve such changes),
    waiting for a second person: it takes effect only when approved (docs/adr/0019)."""

    kind = models.CharField(_("soort"), max_length=16, choices=AccessChangeKind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AccessChangeStatus.choices,
        default=AccessChangeStatus.PENDING,
    )
    # The account the change is about (role, team membership); empty for a team's wijken.
    subject = models.ForeignKey(
        User,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_changes",
    )
    team = models.ForeignKey(
        "organisations.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_changes",
    )
    # role: {"role", "previous_role"}; team_wijken: {"wijk_ids"}; team_intake: {"is_intake"};
    # team_member and team_active: {}.
    payload = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        User, verbose_name=_("aangevraagd door"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("aangevraagd op"))
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("besloten door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    reason = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("toegangswijziging")
        verbose_name_plural = _("toegangswijzigingen")
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"access change {self.pk} ({self.kind}, {self.status})"


class FormDraft(models.Model):
    """What a user had typed into a staff form when their session ended, kept for them alone
    until they are back on that page (docs/adr/0025). Only the fields they posted themselves;
    never a password, a CSRF token or a file. Deleted when read back, when the form is saved,
    and when it expires."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="form_drafts")
    # The page the form is on (a path without query string), and the path the form posts to.
    page = models.CharField(max_length=2000)
    action = models.CharField(max_length=2000)
    # {field name: [values]}, as posted.
    fields = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("concept van een formulier")
        verbose_name_plural = _("concepten van formulieren")
        constraints = [
            models.UniqueConstraint(fields=["user", "page"], name="one_form_draft_per_page")
        ]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"form draft {self.pk} of user {self.user_id}"
