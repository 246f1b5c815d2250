"""The public request form, in plain Dutch (B1): one question per field, few of them required,
and every error message a sentence that says what to do."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _

from wijk.core.forms import SELECT, TEXT, RadioButtons, textarea_attrs
from wijk.core.text import FreeTextField
from wijk.requests.workflow import RequesterRelation

# The name of the honeypot input: rendered in the template, hidden from people, left empty by
# them; software that fills in every field fills it in.
HONEYPOT_FIELD = "website"

FOR_SELF = "self"
FOR_SOMEONE_ELSE = "someone_else"

# How the person filling in the form relates to the resident, in words residents use.
RELATION_CHOICES = [
    ("", _("Maak een keuze")),
    (RequesterRelation.RELATIVE, _("Familie, partner, buur of vriend")),
    (RequesterRelation.LEGAL_REPRESENTATIVE, _("Wettelijk vertegenwoordiger")),
    (RequesterRelation.MENTOR, _("Mentor")),
    (RequesterRelation.CURATOR, _("Curator")),
    (RequesterRelation.REFERRER, _("Ik help deze persoon voor mijn werk")),
    (RequesterRelation.OTHER, _("Iets anders")),
]


@dataclass(frozen=True)
class FormSection:
    """Some fields of a form, for core/form_fields.html: lets a page put related questions in
    one fieldset. Errors of the whole form are listed in the page's error summary. `one_of`:
    at least one of the fields is needed, so none is marked "(niet verplicht)"; the fieldset's
    legend says what is needed."""

    form: forms.BaseForm
    names: Sequence[str]
    one_of: bool = False

    def non_field_errors(self) -> ErrorList:
        return ErrorList()

    def hidden_fields(self) -> list[forms.BoundField]:
        return []

    def visible_fields(self) -> list[forms.BoundField]:
        return [self.form[name] for name in self.names]


def _normalise_postcode(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


class PublicRequestForm(forms.Form):
    question = FreeTextField(
        label=_("Waar wilt u hulp bij?"),
        help_text=_(
            "Schrijf in uw eigen woorden wat er aan de hand is. Een paar zinnen is genoeg. "
            "Bijvoorbeeld: ik heb geldzorgen, ik voel me vaak alleen, of ik kan mijn "
            "huishouden niet meer aan. Is de hulp voor iemand anders? Schrijf dan ook op "
            "voor wie."
        ),
        max_length=2000,
        error_messages={
            "required": _("Schrijf op waar u hulp bij wilt."),
            "max_length": _("Uw tekst is te lang. Gebruik niet meer dan %(limit_value)d tekens."),
        },
        widget=forms.Textarea(attrs=textarea_attrs(6)),
    )
    for_whom = forms.ChoiceField(
        label=_("Voor wie is de hulp?"),
        choices=[(FOR_SELF, _("Voor mijzelf")), (FOR_SOMEONE_ELSE, _("Voor iemand anders"))],
        initial=FOR_SELF,
        error_messages={"required": _("Kies voor wie de hulp is.")},
        widget=RadioButtons(),
    )
    relation = forms.ChoiceField(
        label=_("Wat bent u van die persoon?"),
        help_text=_("Alleen invullen als u hulp vraagt voor iemand anders."),
        choices=RELATION_CHOICES,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    name = FreeTextField(
        label=_("Uw naam"),
        max_length=200,
        error_messages={"required": _("Vul uw naam in.")},
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        error_messages={"invalid": _("Vul een e-mailadres in als naam@voorbeeld.nl.")},
        widget=forms.EmailInput(attrs={**TEXT, "autocomplete": "email"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "postal-code"}),
    )
    house_number = forms.IntegerField(
        label=_("Huisnummer"),
        required=False,
        min_value=1,
        max_value=99999,
        error_messages={
            "invalid": _("Vul alleen het nummer in, zonder letter. Bijvoorbeeld: 12."),
            "min_value": _("Vul alleen het nummer in, zonder letter. Bijvoorbeeld: 12."),
            "max_value": _("Vul alleen het nummer in, zonder letter. Bijvoorbeeld: 12."),
        },
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}),
    )
    # The idempotency key: made when the form page is shown, the same on every resend of it.
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput())

    def clean_submission_key(self) -> uuid.UUID:
        """The key the page was shown with; a form without a usable one gets a new key."""
        try:
            return uuid.UUID(str(self.cleaned_data["submission_key"]))
        except ValueError:
            return uuid.uuid4()

    def clean_phone(self) -> str:
        value = str(self.cleaned_data["phone"]).strip()
        digits = re.sub(r"[\s().-]", "", value)
        if value and not re.fullmatch(r"\+?\d{10,15}", digits):
            raise forms.ValidationError(
                _("Dit telefoonnummer klopt niet. Vul alle cijfers in, bijvoorbeeld 06 12345678.")
            )
        return digits

    def clean_postcode(self) -> str:
        value = _normalise_postcode(self.cleaned_data["postcode"])
        if value and not re.fullmatch(r"[1-9]\d{3}[A-Z]{2}", value):
            raise forms.ValidationError(_("Vul de postcode in als 1234 AB."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "phone" in data and "email" in data and not (data["phone"] or data["email"]):
            self.add_error(
                "phone", _("Vul uw telefoonnummer of uw e-mailadres in. Eén van de twee is genoeg.")
            )
        if data.get("for_whom") == FOR_SOMEONE_ELSE and not data.get("relation"):
            self.add_error("relation", _("Kies wat u van die persoon bent."))
        if data.get("for_whom") == FOR_SELF:
            data["relation"] = ""
        return data

    @property
    def requested_by(self) -> str:
        if self.cleaned_data["for_whom"] == FOR_SELF:
            return RequesterRelation.SELF
        return str(self.cleaned_data["relation"])

    @property
    def sections(self) -> dict[str, FormSection]:
        """The questions in groups: about the request, how to reach the sender, where the
        resident lives."""
        return {
            "request": FormSection(self, ("question", "for_whom", "relation", "name")),
            "contact": FormSection(self, ("phone", "email"), one_of=True),
            "address": FormSection(self, ("postcode", "house_number")),
        }

    def error_summary(self) -> list[tuple[str, str]]:
        """Every error with the id of the element it is about, for the list of links at the
        top of the page: the input, or the first option of a group of radio buttons."""
        summary = []
        for bound in self:
            anchor = bound.id_for_label
            if isinstance(bound.field.widget, forms.RadioSelect):
                anchor = f"{bound.auto_id}_0"
            summary += [(anchor, str(error)) for error in bound.errors]
        return summary
