"""Forms for finding and registering residents, and for breaking the glass."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijk.areas.models import Buurt
from wijk.core.params import INTEGER_MAX, IdField
from wijk.core.text import FreeTextField
from wijk.residents.bsn import bsn_is_valid
from wijk.residents.models import Relation
from wijk.residents.services import BREAK_GLASS_REASON_MESSAGE, break_glass_reason_has_words

TEXT = {"class": "utrecht-textbox"}
ADDRESS_FIELDS = (
    "street",
    "house_number",
    "house_letter",
    "house_number_addition",
    "postcode",
    "city",
    "buurt",
)


def _normalise_postcode(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


class DateInput(forms.DateInput):
    input_type = "date"


class SearchForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_(
            "Het begin van de achternaam, een voornaam of allebei, bijvoorbeeld: jong, "
            "of: jan de jong. Voornamen vanaf 3 letters."
        ),
    )
    date_of_birth = forms.DateField(
        label=_("Geboortedatum"), required=False, widget=DateInput(attrs=TEXT)
    )
    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=9,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric", "autocomplete": "off"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"), required=False, max_length=7, widget=forms.TextInput(attrs=TEXT)
    )

    def clean_postcode(self) -> str:
        return _normalise_postcode(self.cleaned_data["postcode"])

    def clean_bsn(self) -> str:
        value = str(self.cleaned_data["bsn"]).strip()
        if value and not re.fullmatch(r"\d{9}", value):
            raise forms.ValidationError(_("Een BSN heeft 9 cijfers."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f) for f in ("name", "date_of_birth", "bsn", "postcode")):
            raise forms.ValidationError(_("Vul ten minste één zoekveld in."))
        return data


class RegisterForm(forms.Form):
    given_names = FreeTextField(
        label=_("Voornamen"), max_length=200, widget=forms.TextInput(attrs=TEXT)
    )
    name_prefix = FreeTextField(
        label=_("Tussenvoegsel"), required=False, max_length=20, widget=forms.TextInput(attrs=TEXT)
    )
    family_name = FreeTextField(
        label=_("Achternaam"), max_length=200, widget=forms.TextInput(attrs=TEXT)
    )
    date_of_birth = forms.DateField(label=_("Geboortedatum"), widget=DateInput(attrs=TEXT))
    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=9,
        help_text=_("Alleen als de inwoner het geeft en het nodig is."),
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = FreeTextField(
        label=_("Telefoonnummer"), required=False, max_length=20, widget=forms.TextInput(attrs=TEXT)
    )
    email = forms.EmailField(
        label=_("E-mailadres"), required=False, widget=forms.EmailInput(attrs=TEXT)
    )
    relation = forms.ChoiceField(
        label=_("Relatie tot de hoofdbewoner"),
        choices=[c for c in Relation.choices if c[0] != Relation.REFERENCE_PERSON],
        required=False,
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    no_fixed_address = forms.BooleanField(
        label=_("Deze inwoner heeft geen vast adres"),
        required=False,
        widget=forms.CheckboxInput(
            attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}
        ),
    )
    street = FreeTextField(
        label=_("Straat"),
        error_messages={"required": _("Vul de straat in.")},
        max_length=200,
        widget=forms.TextInput(attrs=TEXT),
    )
    house_number = forms.IntegerField(
        label=_("Huisnummer"),
        min_value=1,
        max_value=INTEGER_MAX,
        error_messages={"required": _("Vul het huisnummer in.")},
        widget=forms.NumberInput(attrs=TEXT),
    )
    house_letter = FreeTextField(
        label=_("Huisletter"), required=False, max_length=1, widget=forms.TextInput(attrs=TEXT)
    )
    house_number_addition = FreeTextField(
        label=_("Toevoeging"), required=False, max_length=4, widget=forms.TextInput(attrs=TEXT)
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        error_messages={"required": _("Vul de postcode in.")},
        widget=forms.TextInput(attrs=TEXT),
    )
    city = FreeTextField(
        label=_("Woonplaats"),
        required=False,
        initial="Haarlem",
        max_length=100,
        widget=forms.TextInput(attrs=TEXT),
    )
    buurt = forms.ModelChoiceField(
        label=_("Buurt"),
        queryset=Buurt.objects.none(),
        error_messages={"required": _("Kies de buurt.")},
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    confirmed_not_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, joins_household: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.joins_household = joins_household
        newest = Buurt.objects.order_by("-source_year").values_list("source_year", flat=True)[:1]
        buurt_field = self.fields["buurt"]
        assert isinstance(buurt_field, forms.ModelChoiceField)
        buurt_field.queryset = Buurt.objects.filter(source_year__in=newest).order_by("name")
        if joins_household:
            for name in (*ADDRESS_FIELDS, "no_fixed_address"):
                del self.fields[name]
            self.fields["relation"].required = True
        else:
            del self.fields["relation"]

    def clean_bsn(self) -> str:
        value = str(self.cleaned_data["bsn"]).strip()
        if value and not bsn_is_valid(value):
            raise forms.ValidationError(_("Dit BSN klopt niet. Controleer de 9 cijfers."))
        return value

    def clean_postcode(self) -> str:
        value = _normalise_postcode(self.cleaned_data["postcode"])
        if value and not re.fullmatch(r"\d{4}[A-Z]{2}", value):
            raise forms.ValidationError(_("Vul een postcode in als 1234 AB."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.joins_household and data.get("no_fixed_address"):
            for name in ADDRESS_FIELDS:  # no address asked: drop what its fields said
                self.errors.pop(name, None)
                data.pop(name, None)
        return data


class BreakGlassForm(forms.Form):
    reason = FreeTextField(
        label=_("Waarom heeft u dit dossier nodig?"),
        help_text=_("Uw teamleider ziet deze reden. Schrijf geen medische gegevens op."),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"class": "utrecht-textarea", "rows": 3}),
        error_messages={
            "min_length": _("Schrijf in een paar woorden waarom u dit dossier nodig heeft.")
        },
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"]
        if not break_glass_reason_has_words(reason):
            raise forms.ValidationError(BREAK_GLASS_REASON_MESSAGE, code="words")
        return reason


class WorkReviewForm(forms.Form):
    """The team lead's decision on work started under a break-the-glass grant (ADR 0020)."""

    APPROVE = "approve"
    REJECT = "reject"

    work = IdField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[
            (APPROVE, _("Akkoord: vaste toegang voor de verantwoordelijke medewerker")),
            (REJECT, _("Beoordeeld: geen vaste toegang")),
        ]
    )
