"""What the API answers and which query parameters it reads. The fields follow the
dataclasses of wijk.monitoring.indicators (`Definition`, `IndicatorRow`): the API reads the
same figures as the dashboard and the feed, never its own. Dates are ISO 8601."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from wijk.core.disclosure import Status
from wijk.monitoring.indicators import AREA_LEVELS
from wijk.monitoring.selectors import Period, PeriodUnit, period_of

# Dates the API computes with: before 2000 wijk has no figures, and beyond 2099 a date is a
# mistake (and far-off dates would only cost time to refuse later).
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)
# At most this many periods in one question (three years of months).
MAX_PERIODS = 36


class DefinitionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text=gettext_lazy("De vaste sleutel van de indicator."))
    version = serializers.IntegerField(help_text=gettext_lazy("De versie van de definitie."))
    valid_from = serializers.DateField(
        help_text=gettext_lazy("Vanaf deze dag geldt deze versie (ISO 8601).")
    )
    title = serializers.CharField()
    description = serializers.CharField(
        help_text=gettext_lazy("Wat telt, vanaf welke datums, welke gegevens.")
    )
    unit = serializers.CharField(help_text=gettext_lazy("Wat er geteld wordt."))
    breakdowns = serializers.ListField(
        child=serializers.CharField(),
        help_text=gettext_lazy("De uitsplitsingen naast het gebied (leeg: alleen het totaal)."),
    )
    additive = serializers.BooleanField(
        help_text=gettext_lazy(
            "Of de maanden optellen tot kwartaal en jaar (niet bij unieke inwoners)."
        )
    )


class FigureSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField()
    version = serializers.IntegerField(
        help_text=gettext_lazy("De versie van de definitie waaronder het cijfer berekend is.")
    )
    period_unit = serializers.ChoiceField(choices=list(PeriodUnit.ALL))
    period_start = serializers.DateField(help_text=gettext_lazy("De eerste dag van de periode."))
    period_end = serializers.DateField(help_text=gettext_lazy("De eerste dag ná de periode."))
    area_level = serializers.ChoiceField(choices=list(AREA_LEVELS))
    area_code = serializers.CharField(
        allow_blank=True,
        help_text=gettext_lazy(
            "Leeg voor de stad; de naam van het stadsdeel; de CBS-code van de wijk, of 'onbekend'."
        ),
    )
    breakdown = serializers.CharField(
        allow_blank=True, help_text=gettext_lazy("Leeg voor het totaal, anders de uitsplitsing.")
    )
    category = serializers.CharField(
        allow_blank=True, help_text=gettext_lazy("Leeg voor het totaal, anders de categorie.")
    )
    value = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Het aantal; leeg als het niet getoond wordt.")
    )
    status = serializers.ChoiceField(
        choices=[str(status) for status in Status],
        help_text=gettext_lazy(
            "shown: getoond; small: een klein aantal (afgeschermd); hidden: afgeschermd zodat "
            "een klein aantal niet terug te rekenen is."
        ),
    )


def periods_between(unit: str, first: datetime.date, last: datetime.date) -> list[Period]:
    """The periods of `unit` that hold a day from `first` to `last` (both included)."""
    periods = [period_of(unit, first)]
    while periods[-1].end <= last:
        periods.append(period_of(unit, periods[-1].end))
    return periods


def _period_count(unit: str, first: datetime.date, last: datetime.date) -> int:
    """How many periods `periods_between` gives, worked out without making them."""
    size = PeriodUnit.MONTHS[unit]
    start, end = period_of(unit, first).start, period_of(unit, last).start
    months = (end.year - start.year) * 12 + end.month - start.month
    return months // size + 1


class FiguresQuery(serializers.Serializer[Any]):
    periode = serializers.ChoiceField(
        choices=list(PeriodUnit.ALL),
        default=PeriodUnit.MONTH,
        help_text=gettext_lazy("Per maand, kwartaal of jaar."),
    )
    van = serializers.DateField(
        required=False,
        help_text=gettext_lazy(
            "De eerste dag (ISO 8601, JJJJ-MM-DD); de periode die deze dag bevat telt mee. "
            "Niet na vandaag, niet voor 2000-01-01. Leeg: een jaar voor tot (of voor vandaag, "
            "als tot later is)."
        ),
    )
    tot = serializers.DateField(
        required=False,
        help_text=gettext_lazy(
            "De laatste dag (ISO 8601, JJJJ-MM-DD), tot en met; niet voor van, niet na "
            "2099-12-31. Een dag na vandaag telt als vandaag. Leeg: vandaag. Van van tot tot "
            "ten hoogste 36 perioden."
        ),
    )
    niveau = serializers.ChoiceField(
        choices=list(AREA_LEVELS),
        required=False,
        help_text=gettext_lazy("Alleen de stad, de stadsdelen of de wijken (leeg: alle drie)."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        today = timezone.localdate()
        last = attrs.get("tot", today)
        if not EARLIEST <= last <= LATEST:
            raise serializers.ValidationError(
                {"tot": _("Kies een dag van 1 januari 2000 tot en met 31 december 2099.")}
            )
        anchor = min(last, today)
        first = attrs.get("van") or max(EARLIEST, datetime.date(anchor.year - 1, anchor.month, 1))
        if not EARLIEST <= first <= LATEST:
            raise serializers.ValidationError(
                {"van": _("Kies een dag van 1 januari 2000 tot en met 31 december 2099.")}
            )
        if last < first:
            raise serializers.ValidationError({"tot": _("Tot ligt voor van.")})
        if first > today:
            raise serializers.ValidationError(
                {"van": _("Van ligt na vandaag: daarover zijn er nog geen cijfers.")}
            )
        unit = attrs["periode"]
        last = min(last, today)
        if _period_count(unit, first, last) > MAX_PERIODS:
            too_many = _("Vraag ten hoogste %(count)s perioden tegelijk.")
            raise serializers.ValidationError({"tot": too_many % {"count": MAX_PERIODS}})
        attrs["periods"] = periods_between(unit, first, last)
        return attrs


class DeliverySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    day = serializers.DateField(help_text=gettext_lazy("De dag van de levering."))
    since = serializers.DateField(
        allow_null=True,
        help_text=gettext_lazy("Bij een levering van wijzigingen: sinds deze dag; anders leeg."),
    )
    kind = serializers.ChoiceField(
        choices=["full", "incremental"],
        help_text=gettext_lazy("full: volledig; incremental: wijzigingen sinds een dag."),
    )
    formats = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("De vormen: csv, xml, sql, parquet.")
    )
    records = serializers.BooleanField(
        help_text=gettext_lazy("Of het deel met gepseudonimiseerde gegevens per inwoner erin zat.")
    )
    status = serializers.ChoiceField(
        choices=["running", "succeeded", "failed"],
        help_text=gettext_lazy("running: bezig; succeeded: gelukt; failed: mislukt."),
    )
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    attempts = serializers.IntegerField(help_text=gettext_lazy("Het aantal pogingen."))
    manifest_sha256 = serializers.CharField(
        allow_blank=True,
        help_text=gettext_lazy("Het controlegetal (SHA-256) van het manifest van de levering."),
    )
    rows = serializers.IntegerField(help_text=gettext_lazy("Het aantal rijen in alle tabellen."))


class PublishedSetSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    period_unit = serializers.ChoiceField(choices=list(PeriodUnit.ALL))
    period_start = serializers.DateField(help_text=gettext_lazy("De eerste dag van de periode."))
    period_end = serializers.DateField(help_text=gettext_lazy("De eerste dag ná de periode."))
    number = serializers.IntegerField(
        help_text=gettext_lazy("1 voor de eerste publicatie, hoger voor elke correctie.")
    )
    reason = serializers.CharField(
        allow_blank=True, help_text=gettext_lazy("Bij een correctie: waarom.")
    )
    computed_at = serializers.DateTimeField(help_text=gettext_lazy("Wanneer berekend."))
    threshold = serializers.IntegerField(
        help_text=gettext_lazy("Kleinere aantallen dan dit zijn afgeschermd.")
    )
    versions = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=gettext_lazy("Per indicator de versie van de definitie."),
    )
    row_count = serializers.IntegerField(help_text=gettext_lazy("Het aantal cijfers in de set."))
    checksum = serializers.CharField(
        help_text=gettext_lazy("SHA-256 van de cijfers: zo ziet u dat een set nooit verandert.")
    )
