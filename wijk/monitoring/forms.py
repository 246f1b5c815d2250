"""The filters of the monitoring pages: period, team and wijk. They carry no personal data, so
they are sent as GET parameters and a filtered page can be bookmarked or shared."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from wijk.core.forms import SELECT
from wijk.monitoring.dashboard import Area
from wijk.monitoring.indicators import AREA_DISTRICT, AREA_WIJK, definitions, indicator_codes
from wijk.monitoring.selectors import (
    DEFAULT_MONTHS,
    PERIOD_CHOICES,
    UNKNOWN_WIJK,
    PeriodUnit,
    TeamOption,
    WijkOption,
)


def _period_label(months: int) -> str:
    return str(
        ngettext_lazy("De laatste %(count)d maand", "De laatste %(count)d maanden", months)
        % {"count": months}
    )


def _team_label(team: TeamOption) -> str:
    if team.active:
        return team.name
    return str(_("%(name)s (niet actief)") % {"name": team.name})


def _wijk_choices(wijken: list[WijkOption]) -> list[tuple[str, Any]]:
    return [
        ("", _("Alle wijken")),
        *((wijk.code, f"{wijk.name} ({wijk.code})") for wijk in wijken),
        (UNKNOWN_WIJK, _("Onbekend (geen buurt bekend)")),
    ]


class FilterForm(forms.Form):
    """Period always; team and wijk only where the page and the role offer them."""

    months = forms.TypedChoiceField(
        label=_("Periode"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("De maand van nu telt mee, ook als die nog niet voorbij is."),
        widget=forms.Select(attrs=SELECT),
    )
    team = forms.TypedChoiceField(
        label=_("Team"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs=SELECT),
    )
    wijk = forms.ChoiceField(label=_("Wijk"), required=False, widget=forms.Select(attrs=SELECT))

    def __init__(
        self,
        data: Any = None,
        *,
        period: bool = True,
        teams: list[TeamOption] | None = None,
        wijken: list[WijkOption] | None = None,
    ) -> None:
        super().__init__(data)
        if period:
            self._choices("months", [(n, _period_label(n)) for n in PERIOD_CHOICES])
            self.fields["months"].initial = DEFAULT_MONTHS
        else:
            del self.fields["months"]
        if teams is None:
            del self.fields["team"]
        else:
            self._choices(
                "team", [("", _("Alle teams")), *((team.pk, _team_label(team)) for team in teams)]
            )
        if wijken is None:
            del self.fields["wijk"]
        else:
            self._choices("wijk", _wijk_choices(wijken))

    def _choices(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def value(self, name: str) -> Any:
        """The cleaned value of a field; its default when the form is unbound, or the value
        is empty or not valid (the error shows at the field); None for a field the page
        leaves out."""
        if name not in self.fields:
            return None
        if self.is_bound:
            self.is_valid()  # invalid fields are left out of cleaned_data
            if self.cleaned_data.get(name) is not None:
                return self.cleaned_data[name]
        return self.fields[name].initial


UNIT_LABELS = {
    PeriodUnit.MONTH: _("Per maand"),
    PeriodUnit.QUARTER: _("Per kwartaal"),
    PeriodUnit.YEAR: _("Per jaar"),
}
PERIOD_COUNTS = (1, 2, 3, 4, 6, 8, 12)


class DefaultsForm(forms.Form):
    """A filter form whose fields fall back to their defaults. A bound form shows the default
    of a field the query left out or empty, so that what the page shows and what its form
    says are the same (a link that chooses only the indicator still shows 12 periods chosen,
    not the first option of the list)."""

    _defaults_shown = False

    def _show_defaults(self) -> None:
        if self._defaults_shown or not self.is_bound:
            return
        self._defaults_shown = True
        data = self.data.copy() if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        if not isinstance(self.data, QueryDict):
            for key, given in self.data.items():
                data[key] = given
        for name, field in self.fields.items():
            if data.get(name) in (None, "") and field.initial not in (None, ""):
                data[name] = str(field.initial)
        self.data = data

    def __getitem__(self, name: str) -> Any:
        self._show_defaults()
        return super().__getitem__(name)

    def value(self, name: str) -> Any:
        """The cleaned value of a field; its default when the form is unbound, or the value is
        empty or not valid (the error shows at the field)."""
        if self.is_bound:
            self._show_defaults()
            self.is_valid()
            if self.cleaned_data.get(name) not in (None, ""):
                return self.cleaned_data[name]
        return self.fields[name].initial


class PeriodFilterForm(DefaultsForm):
    """Calendar periods (months, quarters or years, the newest first) and a wijk."""

    unit = forms.ChoiceField(label=_("Indeling"), required=False, widget=forms.Select(attrs=SELECT))
    periods = forms.TypedChoiceField(
        label=_("Aantal perioden"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[(n, str(n)) for n in PERIOD_COUNTS],
        help_text=_("De periode van nu telt mee, ook als die nog niet voorbij is."),
        widget=forms.Select(attrs=SELECT),
    )
    wijk = forms.ChoiceField(label=_("Wijk"), required=False, widget=forms.Select(attrs=SELECT))

    def __init__(
        self,
        data: Any = None,
        *,
        units: tuple[str, ...] = PeriodUnit.ALL,
        wijken: list[WijkOption],
        default_periods: int = 4,
        default_unit: str = PeriodUnit.QUARTER,
    ) -> None:
        super().__init__(data)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = [(value, UNIT_LABELS[value]) for value in units]
        unit.initial = default_unit if default_unit in units else units[0]
        self.fields["periods"].initial = default_periods
        wijk = self.fields["wijk"]
        assert isinstance(wijk, forms.ChoiceField)
        wijk.choices = _wijk_choices(wijken)
        wijk.initial = ""


LEVEL_LABELS = {AREA_WIJK: _("Wijken"), AREA_DISTRICT: _("Stadsdelen")}
DOWNLOAD_FORMATS = ("csv", "xlsx")


class DashboardForm(DefaultsForm):
    """The dashboard's choices: one indicator, the periods, the area of the trend and the
    breakdown, and the level at which the areas are compared."""

    indicator = forms.ChoiceField(
        label=_("Cijfer"), required=False, widget=forms.Select(attrs=SELECT)
    )
    unit = forms.ChoiceField(label=_("Indeling"), required=False, widget=forms.Select(attrs=SELECT))
    periods = forms.TypedChoiceField(
        label=_("Aantal perioden"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[(n, str(n)) for n in PERIOD_COUNTS],
        help_text=_("De periode van nu telt mee, ook als die nog niet voorbij is."),
        widget=forms.Select(attrs=SELECT),
    )
    gebied = forms.ChoiceField(
        label=_("Gebied"),
        required=False,
        help_text=_("Voor de ontwikkeling en de verdeling."),
        widget=forms.Select(attrs=SELECT),
    )
    vergelijk = forms.ChoiceField(
        label=_("Vergelijk"),
        required=False,
        choices=list(LEVEL_LABELS.items()),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, data: Any = None, *, areas: list[Area]) -> None:
        super().__init__(data)
        indicator = self.fields["indicator"]
        assert isinstance(indicator, forms.ChoiceField)
        titles = {d.code: d.title for d in definitions()}
        indicator.choices = [(code, titles[code]) for code in indicator_codes()]
        indicator.initial = indicator_codes()[0]
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = list(UNIT_LABELS.items())
        unit.initial = PeriodUnit.MONTH
        self.fields["periods"].initial = 12
        gebied = self.fields["gebied"]
        assert isinstance(gebied, forms.ChoiceField)
        gebied.choices = [(area.key, area.name) for area in areas]
        gebied.initial = ""
        self.fields["vergelijk"].initial = AREA_WIJK
