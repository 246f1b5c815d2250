"""Forms of the decision desk and the pgb: placing a case, a pgb request, the decision and
a pgb's evaluation. The rules are in wijk.decisions.services; a form parses what was typed
(a Dutch amount such as "1.234,56") and says what it cannot read at once."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijk.core.forms import TEXT, DateInput, RadioButtons, SubmissionKeyField, textarea_attrs
from wijk.core.text import FreeTextField
from wijk.decisions.models import (
    AMOUNT_DECIMALS,
    AMOUNT_DIGITS,
    REFERENCE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
)
from wijk.decisions.workflow import DecisionKind, DecisionOutcome

TEXTAREA = textarea_attrs(8)

# Euro as people write it here: "1234", "1234,5", "1.234,56", "€ 1.234,56". A dot groups
# thousands (groups of three digits); the comma starts the cents.
# ASCII digits only: `\d` would also take "٣" (ARABIC-INDIC DIGIT THREE), which Decimal reads.
_EURO = re.compile(r"(?P<whole>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,(?P<cents>[0-9]{1,2}))?")
AMOUNT_MAX = Decimal(10 ** (AMOUNT_DIGITS - AMOUNT_DECIMALS)) - Decimal("0.01")


def euro_parse(text: str) -> Decimal | None:
    """The amount in `text`, written the Dutch way, or None when it cannot be read as one:
    no exponent ("1e9"), no sign, no English decimal point ("1234.56"), no letters."""
    cleaned = text.strip().removeprefix("€").strip().replace(" ", "").replace("\u00a0", "")
    match = _EURO.fullmatch(cleaned)
    if match is None:
        return None
    whole = match["whole"].replace(".", "")
    cents = (match["cents"] or "0").ljust(2, "0")
    try:
        return Decimal(f"{whole}.{cents}")
    except InvalidOperation:  # pragma: no cover - the pattern allows digits only
        return None


class EuroField(forms.CharField):
    """An amount in euro, as a Decimal with cents. Typed the Dutch way; anything else gets
    a message that shows how to write it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={**TEXT, "inputmode": "decimal"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        if text.strip().startswith("-"):
            raise forms.ValidationError(
                _('"%(label)s" kan niet lager zijn dan 0.'), params={"label": self.label}
            )
        amount = euro_parse(text)
        if amount is None:
            raise forms.ValidationError(
                _('Schrijf "%(label)s" als een bedrag in euro, bijvoorbeeld 1.234,56.'),
                params={"label": self.label},
            )
        if amount > AMOUNT_MAX:
            raise forms.ValidationError(
                _('"%(label)s" is te hoog: het kan niet meer zijn dan € 9.999.999,99.'),
                params={"label": self.label},
            )
        return amount


def _draft_text() -> FreeTextField:
    return FreeTextField(
        label=_("Concept-beschikking"),
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        help_text=_(
            "Schrijf in gewone woorden wat de gemeente besluit en waarom: welke ondersteuning, "
            "vanaf wanneer en hoe lang. Dit komt in de brief aan de inwoner."
        ),
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class PlacementForm(forms.Form):
    """A case for the decision desk, other than a pgb (that is PgbRequestForm)."""

    submission_key = SubmissionKeyField()
    kind = forms.ChoiceField(
        label=_("Waarom moet de gemeente een besluit nemen?"),
        choices=[(k.value, k.label) for k in DecisionKind if k != DecisionKind.PGB],
        widget=RadioButtons,
    )
    draft_text = _draft_text()


class PgbRequestForm(forms.Form):
    """A pgb request: the resident's pgb plan, the amount asked for and the draft decision."""

    submission_key = SubmissionKeyField()
    pgb_plan = FreeTextField(
        label=_("Pgb-plan"),
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        help_text=_(
            "Welke hulp koopt de inwoner met het pgb, bij wie, hoeveel uur, en waarom past "
            "een pgb beter dan hulp in natura?"
        ),
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    amount_requested = EuroField(
        label=_("Gevraagd bedrag per jaar"),
        required=False,
        help_text=_("In euro, bijvoorbeeld 4.800,00."),
    )
    draft_text = _draft_text()


class DecisionForm(forms.Form):
    """The municipality's decision on a case (the decision desk)."""

    submission_key = SubmissionKeyField()
    outcome = forms.ChoiceField(
        label=_("Besluit"), choices=DecisionOutcome.choices, widget=RadioButtons
    )
    decided_on = forms.DateField(label=_("Datum van het besluit"), widget=DateInput(attrs=TEXT))
    reference = forms.CharField(
        label=_("Kenmerk van de gemeente"),
        max_length=REFERENCE_MAX_LENGTH,
        widget=forms.TextInput(attrs=TEXT),
    )
    starts_on = forms.DateField(
        label=_("Ingangsdatum (bij een toekenning)"),
        required=False,
        widget=DateInput(attrs=TEXT),
    )
    ends_on = forms.DateField(label=_("Einddatum"), required=False, widget=DateInput(attrs=TEXT))
    amount = EuroField(
        label=_("Bedrag van het pgb (bij een toekenning)"),
        required=False,
        help_text=_("In euro, bijvoorbeeld 4.800,00."),
    )

    def __init__(self, *args: Any, pgb: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not pgb:
            del self.fields["amount"]


class PgbEvaluationForm(forms.Form):
    submission_key = SubmissionKeyField()
    held_on = forms.DateField(label=_("Datum van de evaluatie"), widget=DateInput(attrs=TEXT))
    outcome = FreeTextField(
        label=_("Uitkomst"),
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        help_text=_("Wat is besproken: gaat het goed met het pgb, wat moet anders?"),
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    next_evaluation_on = forms.DateField(
        label=_("Volgende evaluatie"),
        help_text=_("Uiterlijk twee jaar na deze evaluatie."),
        widget=DateInput(attrs=TEXT),
    )
