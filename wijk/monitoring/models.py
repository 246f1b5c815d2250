"""Published sets: a period's figures as they were delivered to the municipality, frozen.

A set is never changed: the database refuses UPDATE and DELETE (as for the access log). A
correction is a new set for the same period with a higher number and a recorded reason; the
earlier set stays readable (docs/adr/0044)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedSet(models.Model):
    period_unit = models.CharField(_("periode-eenheid"), max_length=16)
    period_start = models.DateField(_("begin van de periode"))
    period_end = models.DateField(_("dag na de periode"))
    number = models.PositiveIntegerField(_("versie van de set"))
    reason = models.TextField(_("reden van de correctie"), blank=True, default="")
    computed_at = models.DateTimeField(_("berekend op"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gepubliceerd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    threshold = models.PositiveSmallIntegerField(_("drempel kleine aantallen"))
    # {indicator code: definition version} of the figures in the set
    versions = models.JSONField(_("versies van de definities"))
    # The rows as indicator_rows gives them (IndicatorRow fields; dates as ISO 8601 text).
    rows = models.JSONField(_("cijfers"))
    row_count = models.PositiveIntegerField(_("aantal regels"))
    checksum = models.CharField(_("SHA-256 van de cijfers"), max_length=64)

    class Meta:
        verbose_name = _("gepubliceerde set")
        verbose_name_plural = _("gepubliceerde sets")
        ordering = ["-period_start", "period_unit", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_unit", "period_start", "number"], name="published_set_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number=1) | ~models.Q(reason=""),
                name="published_set_correction_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="published_set_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_unit} {self.period_start:%Y-%m-%d} #{self.number}"
