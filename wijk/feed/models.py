"""A record of every delivery run: when, what, how it went. No personal data: the error is a
short message of our own, never a value from a row."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryKind(models.TextChoices):
    FULL = "full", _("volledig")
    INCREMENTAL = "incremental", _("wijzigingen sinds een datum")


class DeliveryStatus(models.TextChoices):
    RUNNING = "running", _("bezig")
    SUCCEEDED = "succeeded", _("gelukt")
    FAILED = "failed", _("mislukt")


class Delivery(models.Model):
    """One delivery day written into one directory. A rerun of a day that did not succeed
    continues the same record (`attempts` goes up); a rerun of a day that did makes a new one."""

    day = models.DateField(_("leveringsdag"))
    since = models.DateField(_("sinds"), null=True, blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=DeliveryKind.choices)
    formats = models.JSONField(_("vormen"), default=list)
    records = models.BooleanField(_("met gegevens per inwoner"), default=False)
    directory = models.CharField(_("map"), max_length=500)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.RUNNING
    )
    started_at = models.DateTimeField(_("begonnen"))
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("pogingen"), default=1)
    error = models.CharField(_("fout"), max_length=500, blank=True)
    manifest_sha256 = models.CharField(
        _("controlegetal van het manifest"), max_length=64, blank=True
    )
    row_counts = models.JSONField(_("aantal rijen per tabel"), default=dict)

    class Meta:
        verbose_name = _("levering")
        verbose_name_plural = _("leveringen")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["directory", "day"], name="feed_delivery_dir_day")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values), name="feed_delivery_status"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=DeliveryKind.values), name="feed_delivery_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} ({self.status})"
