"""Forms for starting a trajectory, moving it along its lifecycle (closing it with the outflow
and a warm handover) and recording a ZRM assessment. The rules themselves are in services;
these forms only parse what was typed."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.core.text import FreeTextField
from wijk.organisations.models import Team
from wijk.reference.models import Code, CodeQuerySet
from wijk.trajectories.workflow import (
    TRANSITIONS,
    HandoverDestination,
    Part,
    TrajectoryStatus,
    ZrmMoment,
)

TEXT = {"class": "utrecht-textbox"}
SELECT = {"class": "utrecht-select"}
CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-input"}

# How the ZRM 2017 names each score.
ZRM_SCORES = [
    (1, _("1: acute problematiek")),
    (2, _("2: niet zelfredzaam")),
    (3, _("3: beperkt zelfredzaam")),
    (4, _("4: voldoende zelfredzaam")),
    (5, _("5: volledig zelfredzaam")),
]

# The step a user takes, named by the state it leads to.
STEP_LABELS = {
    TrajectoryStatus.ACTIVE: _("Hervatten"),
    TrajectoryStatus.PAUSED: _("Pauzeren"),
    TrajectoryStatus.CLOSED: _("Afsluiten"),
}


class DateInput(forms.DateInput):
    """A native date field: its value is always ISO 8601, whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _codes(slug: str, on: datetime.date) -> CodeQuerySet:
    return Code.objects.filter(code_list__slug=slug).valid_on(on).order_by("sort_order", "code")


class RadioButtons(forms.RadioSelect):
    """NL Design System radio buttons: the class goes on each button, not on their group."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        option["attrs"]["class"] = "utrecht-radio-button utrecht-radio-button--html-input"
        return option


class CheckboxList(forms.CheckboxSelectMultiple):
    """NL Design System checkboxes: the class goes on each box, not on the list."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        option["attrs"]["class"] = CHECKBOX["class"]
        return option


def zrm_domains() -> list[Code]:
    """The ZRM 2017 life domains in use today, in their list order."""
    return list(_codes("life_domains", timezone.localdate()))


class CodeChoiceField(forms.ModelChoiceField[Code]):
    def label_from_instance(self, obj: Code) -> str:
        return obj.label


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField[Code]):
    def label_from_instance(self, obj: Code) -> str:
        return obj.label


class UserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class StartForm(forms.Form):
    part = forms.ChoiceField(
        label=_("Onderdeel"),
        choices=Part.choices,
        error_messages={"required": _("Kies het onderdeel.")},
        widget=RadioButtons,
    )
    inflow_date = forms.DateField(
        label=_("Datum instroom"),
        help_text=_("De dag van de eerste betrokkenheid."),
        error_messages={"required": _("Vul de datum instroom in.")},
        widget=DateInput(attrs=TEXT),
    )
    inflow_reason = CodeChoiceField(
        label=_("Reden instroom"),
        queryset=Code.objects.none(),
        error_messages={"required": _("Kies de reden instroom.")},
        widget=forms.Select(attrs=SELECT),
    )
    primary_life_domain = CodeChoiceField(
        label=_("Belangrijkste leefgebied"),
        queryset=Code.objects.none(),
        error_messages={"required": _("Kies het belangrijkste leefgebied.")},
        widget=forms.Select(attrs=SELECT),
    )
    life_domains = CodeMultipleChoiceField(
        label=_("Andere leefgebieden"),
        required=False,
        queryset=Code.objects.none(),
        widget=CheckboxList,
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        error_messages={"required": _("Kies het team.")},
        widget=forms.Select(attrs=SELECT),
    )
    coordinator = UserChoiceField(
        label=_("Regisseur"),
        queryset=User.objects.none(),
        error_messages={"required": _("Kies de regisseur.")},
        widget=forms.Select(attrs=SELECT),
    )
    youth_support = forms.BooleanField(
        label=_("Ondersteuning voor een jongere of de ouders"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )

    def __init__(
        self, *args: Any, teams: list[Team], coordinators: list[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self._set_queryset("inflow_reason", _codes("inflow_reasons", today))
        self._set_queryset("primary_life_domain", _codes("life_domains", today))
        self._set_queryset("life_domains", _codes("life_domains", today))
        self._set_queryset("team", Team.objects.filter(pk__in=[t.pk for t in teams]))
        self._set_queryset("coordinator", User.objects.filter(pk__in=[u.pk for u in coordinators]))

    def _set_queryset(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset


class TransitionForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Wat wilt u doen?"),
        error_messages={
            "required": _("Kies wat u wilt doen."),
            "invalid_choice": _("Deze stap kan niet."),
        },
        widget=RadioButtons,
    )
    reason = FreeTextField(
        label=_("Toelichting"),
        required=False,
        max_length=200,
        help_text=_("Kort, zonder medische gegevens."),
        widget=forms.TextInput(attrs=TEXT),
    )
    outflow_date = forms.DateField(
        label=_("Datum uitstroom"),
        required=False,
        help_text=_("Alleen bij afsluiten."),
        widget=DateInput(attrs=TEXT),
    )
    outflow_reason = CodeChoiceField(
        label=_("Reden uitstroom"),
        required=False,
        queryset=Code.objects.none(),
        help_text=_("Alleen bij afsluiten."),
        widget=forms.Select(attrs=SELECT),
    )
    handover_destination = forms.ChoiceField(
        label=_("Warme overdracht aan"),
        required=False,
        choices=[("", _("Geen warme overdracht")), *HandoverDestination.choices],
        help_text=_("Alleen bij afsluiten, als een ander de ondersteuning overneemt."),
        widget=forms.Select(attrs=SELECT),
    )
    handover_receiver = FreeTextField(
        label=_("Organisatie of gemeente die het overneemt"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=TEXT),
    )
    handover_date = forms.DateField(
        label=_("Datum overdracht"), required=False, widget=DateInput(attrs=TEXT)
    )

    def __init__(self, *args: Any, status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to = self.fields["to"]
        assert isinstance(to, forms.ChoiceField)
        allowed = TRANSITIONS[status]
        to.choices = [(state, STEP_LABELS[state]) for state in TrajectoryStatus if state in allowed]
        outflow_reason = self.fields["outflow_reason"]
        assert isinstance(outflow_reason, forms.ModelChoiceField)
        # Retired reasons stay in the list: the service checks validity on the outflow date.
        outflow_reason.queryset = Code.objects.filter(code_list__slug="outflow_reasons").order_by(
            "sort_order", "code"
        )
        if TrajectoryStatus.CLOSED not in allowed:
            for name in (
                "outflow_date",
                "outflow_reason",
                "handover_destination",
                "handover_receiver",
                "handover_date",
            ):
                del self.fields[name]

    @property
    def closing(self) -> bool:
        return bool(self.is_bound and self.data.get("to") == TrajectoryStatus.CLOSED)


class ZrmForm(forms.Form):
    moment = forms.ChoiceField(
        label=_("Moment"),
        choices=ZrmMoment.choices,
        error_messages={"required": _("Kies het moment.")},
        widget=forms.Select(attrs=SELECT),
    )
    assessed_on = forms.DateField(
        label=_("Datum"),
        error_messages={"required": _("Vul de datum in.")},
        widget=DateInput(attrs=TEXT),
    )

    def __init__(self, *args: Any, domains: list[Code], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.domains = domains
        for domain in domains:
            self.fields[f"score_{domain.code}"] = forms.TypedChoiceField(
                label=domain.label,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Niet gescoord")), *ZRM_SCORES],
                widget=forms.Select(attrs=SELECT),
            )

    def scores(self) -> dict[Code, int]:
        """The scores given, by domain; the domains left at "niet gescoord" are left out."""
        return {
            domain: score
            for domain in self.domains
            if (score := self.cleaned_data.get(f"score_{domain.code}")) is not None
        }
