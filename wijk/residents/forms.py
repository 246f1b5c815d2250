"""Forms for finding and registering residents, and for breaking the glass."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.areas.models import Buurt
from wijk.areas.selectors import buurten_for_address
from wijk.core.forms import CHECKBOX, SELECT, TEXT, DateInput, RadioButtons, textarea_attrs
from wijk.core.params import IdField
from wijk.core.text import FreeTextField
from wijk.residents.bsn import bsn_is_valid
from wijk.residents.models import Relation
from wijk.residents.services import BREAK_GLASS_REASON_MESSAGE, break_glass_reason_has_words

ADDRESS_FIELDS = ("street", "house_number", "postcode", "city", "buurt")
# A house number as the BAG writes it: huisnummer (1 to 5 digits), then maybe a huisletter
# (one letter) and a huisnummertoevoeging (up to 4 letters or digits): 12, 12a, 12-2, 12 bis,
# 12a-3. A single letter right after the number is the huisletter; anything after a space,
# a hyphen or a slash is the toevoeging.
_HOUSE_NUMBER = re.compile(
    r"(?P<number>[0-9]{1,5})\s*"
    r"(?:(?P<letter>[A-Za-z])(?![A-Za-z0-9]))?\s*"
    r"(?:[-/]?\s*(?P<addition>[A-Za-z0-9]{1,4}))?"
)


@dataclass(frozen=True)
class HouseNumber:
    number: int
    letter: str
    addition: str


def house_number_parse(text: str) -> HouseNumber:
    """The parts of a house number as typed ("12 a-3": 12, "A", "3"), or a ValidationError
    saying what is wrong with it."""
    value = text.strip()
    digits = re.match(r"[0-9]+", value)
    if digits is None:
        raise forms.ValidationError(
            _("Begin het huisnummer met het nummer, bijvoorbeeld 12 of 12a."), code="invalid"
        )
    if len(digits.group()) > 5:
        raise forms.ValidationError(
            _("Een huisnummer heeft niet meer dan 5 cijfers."), code="invalid"
        )
    if int(digits.group()) == 0:
        raise forms.ValidationError(_("Een huisnummer begint bij 1."), code="invalid")
    found = _HOUSE_NUMBER.fullmatch(value)
    if found is None:
        raise forms.ValidationError(
            _(
                "Vul het huisnummer in als 12, 12a, 12-2 of 12 bis: het nummer, dan eventueel "
                "één letter en een toevoeging van niet meer dan 4 letters of cijfers."
            ),
            code="invalid",
        )
    return HouseNumber(
        number=int(found["number"]),
        letter=(found["letter"] or "").upper(),
        addition=(found["addition"] or "").upper(),
    )


def _normalise_postcode(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


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
        fields = ("name", "date_of_birth", "bsn", "postcode")
        # A field that was filled in wrongly has its own message: "fill in a field" would
        # contradict it.
        if not any(data.get(f) for f in fields) and not any(f in self.errors for f in fields):
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
        widget=forms.Select(attrs=SELECT),
    )
    no_fixed_address = forms.BooleanField(
        label=_("Deze inwoner heeft geen vast adres"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    street = FreeTextField(
        label=_("Straat"),
        error_messages={"required": _("Vul de straat in.")},
        max_length=200,
        widget=forms.TextInput(attrs=TEXT),
    )
    house_number = forms.CharField(
        label=_("Huisnummer"),
        help_text=_(
            "Met de letter of toevoeging als die er is, bijvoorbeeld 12, 12a, 12-2 of 12 bis."
        ),
        max_length=20,
        error_messages={"required": _("Vul het huisnummer in.")},
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        help_text=_("Met de postcode en het huisnummer zoekt wijk de buurt erbij."),
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
    # Derived from postcode and house number; asked only when they do not decide it
    # (ADR 0032): the buurten the postcode crosses, or, for a postcode not known yet, all.
    buurt = forms.ModelChoiceField(
        label=_("Buurt"),
        queryset=Buurt.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Kies een buurt uit de lijst.")},
        widget=forms.Select(attrs=SELECT),
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
            if not self.is_bound:  # derived from the address: asked after a submit, if at all
                del self.fields["buurt"]

    def clean_date_of_birth(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["date_of_birth"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("De geboortedatum ligt in de toekomst."))
        return value

    def clean_house_number(self) -> HouseNumber:
        return house_number_parse(str(self.cleaned_data["house_number"]))

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
        if self.joins_household:
            return data
        if data.get("no_fixed_address"):
            for name in ADDRESS_FIELDS:  # no address asked: drop what its fields said
                self.errors.pop(name, None)
                data.pop(name, None)
            del self.fields["buurt"]
            return data
        self._buurt_derive(data)
        return data

    def _buurt_derive(self, data: dict[str, Any]) -> None:
        """The buurt from postcode and house number (buurten_for_address). The buurt question
        stays on the page only when they do not decide it: then with the buurten the postcode
        crosses, or for a postcode not known yet with all buurten."""
        chosen: Buurt | None = data.get("buurt")
        number: HouseNumber | None = data.get("house_number")
        postcode: str = data.get("postcode") or ""
        if not postcode or number is None:  # nothing to go by yet: asked again after a fix
            if chosen is None:
                del self.fields["buurt"]
            return
        candidates = buurten_for_address(postcode=postcode, house_number=number.number)
        if len(candidates) == 1:
            data["buurt"] = candidates[0]
            del self.fields["buurt"]
            return
        if not candidates:
            if chosen is None:
                self.add_error(
                    "buurt",
                    _(
                        "Bij deze postcode kennen wij de buurt nog niet. Controleer de postcode "
                        "en het huisnummer. Kloppen ze? Kies dan de buurt uit de lijst."
                    ),
                )
            return
        field = self.fields["buurt"]
        assert isinstance(field, forms.ModelChoiceField)
        field.widget = RadioButtons()
        field.empty_label = None
        field.queryset = Buurt.objects.filter(pk__in=[b.pk for b in candidates]).order_by("name")
        if chosen is None or chosen.pk not in {b.pk for b in candidates}:
            self.add_error(
                "buurt",
                _("Deze postcode ligt in meer dan één buurt. Kies in welke buurt het adres ligt."),
            )
            data.pop("buurt", None)


class BreakGlassForm(forms.Form):
    reason = FreeTextField(
        label=_("Waarom heeft u dit dossier nodig?"),
        help_text=_("Uw teamleider ziet deze reden. Schrijf geen medische gegevens op."),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs=textarea_attrs(3)),
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
