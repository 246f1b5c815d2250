"""Gemeente → stadsdeel → wijk → buurt. Wijken and buurten carry their CBS code and the CBS
year of the indeling they come from, so a new year loads beside the old one. The grouping of
wijken into stadsdelen is not published by CBS and is edited by an administrator."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    code = models.CharField(
        _("CBS-code"), max_length=6, unique=True, validators=[RegexValidator(r"^GM\d{4}$")]
    )
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A stadsdeel."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="districts"
    )
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("stadsdeel")
        verbose_name_plural = _("stadsdelen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="district_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Wijk(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="wijken")
    district = models.ForeignKey(
        District,
        verbose_name=_("stadsdeel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wijken",
    )
    code = models.CharField(
        _("CBS-wijkcode"), max_length=8, validators=[RegexValidator(r"^WK\d{6}$")]
    )
    name = models.CharField(_("naam"), max_length=100)
    source_year = models.PositiveSmallIntegerField(_("CBS-jaar"))

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["code", "source_year"]
        constraints = [
            models.UniqueConstraint(fields=["code", "source_year"], name="wijk_unique_code_year")
        ]

    def __str__(self) -> str:
        return self.name


class Buurt(models.Model):
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, related_name="buurten")
    code = models.CharField(
        _("CBS-buurtcode"), max_length=10, validators=[RegexValidator(r"^BU\d{8}$")]
    )
    name = models.CharField(_("naam"), max_length=100)
    source_year = models.PositiveSmallIntegerField(_("CBS-jaar"))

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ["code", "source_year"]
        constraints = [
            models.UniqueConstraint(fields=["code", "source_year"], name="buurt_unique_code_year")
        ]

    def __str__(self) -> str:
        return self.name
