"""Managed reference lists. Each list (channels, referrer types, reasons for inflow, life
domains, reasons for outflow, out-of-scope provisions) holds codes with a Dutch and an English
label and validity dates; codes are retired by their end date, never deleted."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CodeList(models.Model):
    slug = models.SlugField(_("sleutel"), max_length=50, unique=True)
    name_nl = models.CharField(_("naam"), max_length=100)
    name_en = models.CharField(_("naam (Engels)"), max_length=100)
    description = models.TextField(_("toelichting"), blank=True)
    source = models.CharField(_("bron"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("keuzelijst")
        verbose_name_plural = _("keuzelijsten")
        ordering = ["name_nl"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl


class CodeQuerySet(models.QuerySet["Code"]):
    def valid_on(self, day: datetime.date) -> CodeQuerySet:
        return self.filter(valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class Code(models.Model):
    code_list = models.ForeignKey(CodeList, on_delete=models.PROTECT, related_name="codes")
    code = models.CharField(_("code"), max_length=32)
    label_nl = models.CharField(_("omschrijving"), max_length=200)
    label_en = models.CharField(_("omschrijving (Engels)"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("valt onder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(_("geldig vanaf"), default=datetime.date(2022, 7, 1))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("volgorde"), default=0)

    objects = CodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ["code_list", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code_list", "code"], name="code_unique_in_list"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="code_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "nl").startswith("en") else self.label_nl
