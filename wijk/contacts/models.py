"""Count-only contacts (short information and advice): no personal data at all. They count
contacts, never unique residents (002 §8.2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ShortContact(models.Model):
    contact_date = models.DateField(_("datum"), default=timezone.localdate)
    channel = models.ForeignKey(
        "reference.Code", verbose_name=_("kanaal"), on_delete=models.PROTECT, related_name="+"
    )
    life_domain = models.ForeignKey(
        "reference.Code", verbose_name=_("onderwerp"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "organisations.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+"
    )
    wijk = models.ForeignKey(
        "areas.Wijk",
        verbose_name=_("wijk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    # Counted with one press in tally mode: only such a row can be taken back by its author
    # shortly afterwards (see wijk.contacts.services.short_contact_tally_undo).
    tallied = models.BooleanField(_("geturfd"), default=False)

    class Meta:
        verbose_name = _("kort contact")
        verbose_name_plural = _("korte contacten")
        indexes = [
            models.Index(fields=["team", "contact_date"], name="contact_team_date"),
            models.Index(fields=["registered_by", "registered_at"], name="contact_by_at"),
        ]

    def __str__(self) -> str:
        return f"contact {self.pk}"
