"""The API's clients: the municipality's systems that read aggregates from /api/v1/
(docs/adr/0045-the-api-for-the-municipality.md).

A client holds no password and no token: only the SHA-256 of its token (a random secret of 32
bytes, shown once to the administrator who made it). A lookup by that hash finds the client;
whoever reads this table cannot use what is in it. A revoked client stays, with who revoked it
and when, so that the log lines naming its id keep their meaning."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiScope(models.TextChoices):
    """What a client may read. Every scope is aggregates only: the API has no endpoint with
    data about a person, so no scope can give any."""

    INDICATORS = "indicatoren", _("Indicatoren en hun cijfers")
    PUBLISHED = "gepubliceerd", _("Gepubliceerde cijfers per periode")
    DELIVERIES = "leveringen", _("Leveringen van het dagelijkse bestand")


class ApiClient(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    organisation = models.CharField(_("organisatie"), max_length=200)
    scopes = models.JSONField(_("mag lezen"), default=list)
    # hex SHA-256 of the token; the token itself is never stored
    token_hash = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingetrokken door"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-koppeling")
        verbose_name_plural = _("API-koppelingen")
        ordering = ["-active", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active=True, revoked_at__isnull=True)
                | models.Q(active=False, revoked_at__isnull=False),
                name="api_client_revoked_when_inactive",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_labels(self) -> list[str]:
        return [str(ApiScope(scope).label) for scope in self.scopes if scope in ApiScope.values]

    def may_read(self, scope: ApiScope) -> bool:
        return self.active and str(scope) in self.scopes
