"""Forms for group activities: the activity (with its theme grouped under the four policy
themes), a session with its attendance, the list filter, and the overview's year."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.activities.models import Activity
from wijk.activities.selectors import overview_years, sub_themes_valid_on, target_groups_valid_on
from wijk.areas.models import Wijk
from wijk.areas.selectors import wijk_newest_year
from wijk.core.forms import CHECKBOX, SELECT, TEXT, DateInput
from wijk.core.params import INTEGER_MAX
from wijk.core.text import FreeTextField
from wijk.organisations.models import Organisation
from wijk.reference.models import Code


def _model_choice(form: forms.Form, name: str) -> forms.ModelChoiceField[Any]:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class ActivityForm(forms.Form):
    name = FreeTextField(
        label=_("Naam van de activiteit"),
        max_length=200,
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": _("Vul de naam van de activiteit in.")},
    )
    organiser = forms.ModelChoiceField(
        label=_("Organisator"),
        queryset=Organisation.objects.none(),
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": _("Kies de organisatie die de activiteit organiseert.")},
    )
    theme = forms.ModelChoiceField(
        label=_("Beleidsthema"),
        help_text=_("Kies het onderwerp. Het hoofdthema staat erboven."),
        queryset=Code.objects.none(),
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": _("Kies een thema.")},
    )
    target_group = forms.ModelChoiceField(
        label=_("Doelgroep"),
        queryset=Code.objects.none(),
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": _("Kies een doelgroep.")},
    )
    wijk = forms.ModelChoiceField(
        label=_("Wijk"),
        queryset=Wijk.objects.none(),
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": _("Kies de wijk.")},
    )
    location = FreeTextField(
        label=_("Locatie"),
        help_text=_("Bijvoorbeeld het buurthuis of de school."),
        max_length=200,
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": _("Vul de locatie in.")},
    )
    registers_participants = forms.BooleanField(
        label=_("Deelnemers met naam registreren"),
        help_text=_(
            "Alleen als dat de drempel niet verhoogt. Bij een vrij toegankelijke activiteit "
            "telt u alleen het aantal deelnemers per bijeenkomst, zonder namen."
        ),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    active = forms.BooleanField(
        label=_("Actief"),
        help_text=_("Zet dit uit als de activiteit gestopt is."),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )

    def __init__(self, *args: Any, activity: Activity | None = None, **kwargs: Any) -> None:
        if activity is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": activity.name,
                    "organiser": activity.organiser_id,
                    "theme": activity.theme_id,
                    "target_group": activity.target_group_id,
                    "wijk": activity.wijk_id,
                    "location": activity.location,
                    "registers_participants": activity.registers_participants,
                    "active": activity.active,
                },
            )
        super().__init__(*args, **kwargs)
        today = timezone.localdate()

        def keep(pk: int | None) -> Q:
            """The activity's current value stays a choice, also when no longer offered."""
            return Q(pk=pk) if pk is not None else Q(pk__in=[])

        organiser = _model_choice(self, "organiser")
        organiser.queryset = Organisation.objects.filter(
            Q(active=True) | keep(activity.organiser_id if activity else None)
        ).order_by("name")

        themes = list(sub_themes_valid_on(today))
        if activity is not None and activity.theme_id not in {t.pk for t in themes}:
            themes += list(Code.objects.filter(pk=activity.theme_id).select_related("parent"))
        theme = _model_choice(self, "theme")
        theme.queryset = Code.objects.filter(pk__in=[t.pk for t in themes])
        groups: dict[str, list[tuple[int, str]]] = {}
        for code in themes:
            main = code.parent.label if code.parent is not None else ""
            groups.setdefault(main, []).append((code.pk, code.label))
        theme.choices = [("", "---------"), *groups.items()]

        target_group = _model_choice(self, "target_group")
        target_group.queryset = Code.objects.filter(
            Q(pk__in=target_groups_valid_on(today).values("pk"))
            | keep(activity.target_group_id if activity else None)
        ).order_by("sort_order")

        wijk = _model_choice(self, "wijk")
        wijk.queryset = Wijk.objects.filter(
            Q(source_year=wijk_newest_year()) | keep(activity.wijk_id if activity else None)
        ).order_by("name")


class SessionForm(forms.Form):
    held_on = forms.DateField(
        label=_("Datum van de bijeenkomst"),
        widget=DateInput(attrs=TEXT),
        error_messages={"required": _("Vul de datum in.")},
    )
    attendance_total = forms.IntegerField(
        label=_("Aantal deelnemers"),
        help_text=_("Tel iedereen die meedeed. U schrijft geen namen op."),
        min_value=0,
        max_value=INTEGER_MAX,
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
        error_messages={
            "required": _("Vul het aantal deelnemers in."),
            "min_value": _("Het aantal deelnemers kan niet negatief zijn."),
        },
    )
    attendance_youth = forms.IntegerField(
        label=_("Waarvan jongeren"),
        help_text=_("Hoeveel van de deelnemers waren jongeren (12 tot 23 jaar)?"),
        min_value=0,
        max_value=INTEGER_MAX,
        initial=0,
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
        error_messages={
            "required": _("Vul het aantal jongeren in. Geen jongeren? Vul 0 in."),
            "min_value": _("Het aantal jongeren kan niet negatief zijn."),
        },
    )

    def clean(self) -> dict[str, Any]:
        """The service's checks of a session (a date not in the future, no more young people
        than participants), said here with the fields' own errors, in one round."""
        data = super().clean() or {}
        held_on = data.get("held_on")
        if held_on is not None and held_on > timezone.localdate():
            self.add_error(
                "held_on",
                _("De datum ligt in de toekomst. Registreer een bijeenkomst als die geweest is."),
            )
        total, youth = data.get("attendance_total"), data.get("attendance_youth")
        if total is not None and youth is not None and youth > total:
            self.add_error(
                "attendance_youth", _("Er kunnen niet meer jongeren zijn dan deelnemers in totaal.")
            )
        return data


class ActivityFilterForm(forms.Form):
    wijk = forms.ModelChoiceField(
        label=_("Wijk"),
        queryset=Wijk.objects.none(),
        required=False,
        empty_label=_("Alle wijken"),
        widget=forms.Select(attrs=SELECT),
    )
    include_inactive = forms.BooleanField(
        label=_("Ook gestopte activiteiten tonen"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "wijk").queryset = Wijk.objects.filter(
            source_year=wijk_newest_year() or 0
        ).order_by("name")


class YearForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Jaar"), coerce=int, choices=(), widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(year, str(year)) for year in overview_years()]
