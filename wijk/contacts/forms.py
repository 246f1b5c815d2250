"""Forms for count-only contacts: the compact registration form, the settings and the presses
of tally mode, and the filter of the overview. None of them asks anything about a person."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.areas.models import Wijk
from wijk.areas.selectors import wijk_newest_year
from wijk.contacts.selectors import (
    CHANNELS,
    LIFE_DOMAINS,
    codes_valid_on,
    overview_years,
)
from wijk.contacts.services import MAX_COUNT
from wijk.core.forms import SELECT, TEXT, DateInput
from wijk.organisations.models import Team
from wijk.reference.models import Code


def _not_in_future(value: datetime.date) -> datetime.date:
    if value > timezone.localdate():
        raise forms.ValidationError(_("De datum ligt in de toekomst."))
    return value


class _TeamChannelDateForm(forms.Form):
    """Date, channel and team: the fields registration and tally mode share. With one team the
    team is fixed (a hidden field); with several the user picks one."""

    contact_date = forms.DateField(
        label=_("Datum"),
        widget=DateInput(attrs=TEXT),
        error_messages={"required": _("Vul de datum in.")},
    )
    channel = forms.ModelChoiceField(
        label=_("Kanaal"),
        queryset=Code.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": _("Kies een kanaal.")},
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": _("Kies een team.")},
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self._field("channel").queryset = codes_valid_on(slug=CHANNELS, day=today)
        self._field("team").queryset = teams
        if len(teams) == 1:
            self.fields["team"].widget = forms.HiddenInput()

    def _field(self, name: str) -> forms.ModelChoiceField[Any]:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        return field

    def clean_contact_date(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["contact_date"])


class ShortContactForm(_TeamChannelDateForm):
    life_domain = forms.ModelChoiceField(
        label=_("Onderwerp (leefgebied)"),
        queryset=Code.objects.none(),
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": _("Kies het onderwerp van het contact.")},
    )
    wijk = forms.ModelChoiceField(
        label=_("Wijk"),
        queryset=Wijk.objects.none(),
        required=False,
        empty_label=_("Geen wijk (alleen het team)"),
        widget=forms.Select(attrs=SELECT),
    )
    count = forms.IntegerField(
        label=_("Aantal contacten"),
        min_value=1,
        max_value=MAX_COUNT,
        help_text=_("Meer contacten met hetzelfde onderwerp? Vul het aantal in, tot en met 50."),
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
        error_messages={
            "required": _("Vul het aantal contacten in."),
            "min_value": _("Vul ten minste 1 in."),
            "max_value": _("Vul een aantal in van 1 tot en met %(limit_value)s."),
        },
    )

    field_order = ["contact_date", "channel", "life_domain", "team", "wijk", "count"]

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, teams=teams, **kwargs)
        self._field("life_domain").queryset = codes_valid_on(
            slug=LIFE_DOMAINS, day=timezone.localdate()
        )
        newest = wijk_newest_year() or 0
        self._field("wijk").queryset = (
            Wijk.objects.filter(teams__in=teams, source_year=newest).distinct().order_by("name")
        )


class TallySettingsForm(_TeamChannelDateForm):
    """Which day, channel and team the tally buttons count for (a GET form: no personal
    data)."""


class TallyPressForm(_TeamChannelDateForm):
    """One press of a tally button: the settings and the life domain, all hidden fields."""

    life_domain = forms.ModelChoiceField(queryset=Code.objects.none())

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, teams=teams, **kwargs)
        self._field("life_domain").queryset = codes_valid_on(
            slug=LIFE_DOMAINS, day=timezone.localdate()
        )


class OverviewFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Jaar"), coerce=int, choices=(), widget=forms.Select(attrs=SELECT)
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("Alle teams"),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, teams: QuerySet[Team] | None, **kwargs: Any) -> None:
        """`teams` None: no choice of team (the municipality sees wijken, never teams)."""
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [(year, str(year)) for year in overview_years()]
        if teams is None:
            del self.fields["team"]
            return
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ModelChoiceField)
        team_field.queryset = teams
