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
from wijk.core.forms import (
    CHECKBOX,
    SELECT,
    TEXT,
    CheckboxList,
    DateInput,
    RadioButtons,
    textarea_attrs,
)
from wijk.core.params import IdField
from wijk.core.text import FreeTextField
from wijk.core.workflow import ASSIGNMENT_REASON_MAX_LENGTH
from wijk.organisations.models import Team
from wijk.reference.models import Code, CodeQuerySet
from wijk.trajectories.workflow import (
    TRANSITIONS,
    HandoverDestination,
    Part,
    TrajectoryStatus,
    ZrmMoment,
)

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


def _codes(slug: str, on: datetime.date) -> CodeQuerySet:
    return Code.objects.filter(code_list__slug=slug).valid_on(on).order_by("sort_order", "code")


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

    def clean_inflow_date(self) -> datetime.date:
        # Also a rule of trajectory_start: said here, with the other errors, in one round.
        value: datetime.date = self.cleaned_data["inflow_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("De datum instroom ligt in de toekomst."))
        return value

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

    def clean(self) -> dict[str, Any]:
        """Closing needs a date and a reason, and a handover all its parts
        (trajectory_transition's rules, said here with the other errors, in one round)."""
        data = super().clean() or {}
        if not self.closing:
            return data
        outflow_date = data.get("outflow_date")
        if "outflow_date" not in self.errors:
            if outflow_date is None:
                self.add_error("outflow_date", _("Vul de datum uitstroom in."))
            elif outflow_date > timezone.localdate():
                self.add_error("outflow_date", _("De datum uitstroom ligt in de toekomst."))
        if "outflow_reason" not in self.errors and data.get("outflow_reason") is None:
            self.add_error("outflow_reason", _("Kies de reden uitstroom."))
        # A warm handover, once any of its fields is filled in, needs all three.
        destination = data.get("handover_destination") or ""
        receiver = (data.get("handover_receiver") or "").strip()
        handed_over_on = data.get("handover_date")
        if destination or receiver or handed_over_on or "handover_date" in self.errors:
            if not destination and "handover_destination" not in self.errors:
                self.add_error("handover_destination", _("Kies aan wie u overdraagt."))
            if not receiver and "handover_receiver" not in self.errors:
                self.add_error(
                    "handover_receiver",
                    _("Vul de naam van de organisatie of gemeente in die het overneemt."),
                )
            if handed_over_on is None and "handover_date" not in self.errors:
                self.add_error("handover_date", _("Vul de datum van de overdracht in."))
        return data


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

    def clean_assessed_on(self) -> datetime.date:
        # Also a rule of the ZRM service: said here, with the other errors, in one round.
        value: datetime.date = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("De datum ligt in de toekomst."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = [f"score_{domain.code}" for domain in self.domains]
        if not any(data.get(name) is not None for name in names) and not any(
            name in self.errors for name in names
        ):
            raise forms.ValidationError(_("Geef ten minste één leefgebied een score."))
        return data

    def scores(self) -> dict[Code, int]:
        """The scores given, by domain; the domains left at "niet gescoord" are left out."""
        return {
            domain: score
            for domain in self.domains
            if (score := self.cleaned_data.get(f"score_{domain.code}")) is not None
        }


class CoordinatorForm(forms.Form):
    """The team lead names another coordinator for a trajectory, and why."""

    coordinator = UserChoiceField(
        label=_("Nieuwe regisseur"),
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Kies de nieuwe regisseur."),
            "invalid_choice": _("Kies een medewerker van het team uit de lijst."),
        },
        widget=forms.Select(attrs=SELECT),
    )
    reason = FreeTextField(
        label=_("Reden"),
        max_length=ASSIGNMENT_REASON_MAX_LENGTH,
        help_text=_("Waarom de regisseur verandert, zonder medische gegevens."),
        error_messages={
            "required": _("Schrijf op waarom de regisseur verandert."),
            "max_length": _("Schrijf de reden in hooguit %(limit_value)d tekens."),
        },
        widget=forms.Textarea(attrs=textarea_attrs(3)),
    )
    # The coordinator the form was shown with: a change another team lead made since is
    # refused, never overwritten (ADR 0026).
    expected = IdField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, coordinators: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["coordinator"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[user.pk for user in coordinators]).order_by(
            "first_name", "last_name", "username"
        )
