"""Forms of the investigation: what the conversation found, and the resident's own view on
the finished report. The rules are in wijk.investigations.services; the forms check the same
ones on what was typed, so that every mistake is reported at once."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.core.forms import (
    CHECKBOX,
    TEXT,
    CheckboxList,
    DateInput,
    RadioButtons,
    SubmissionKeyField,
    textarea_attrs,
)
from wijk.core.text import FreeTextField
from wijk.investigations.models import SHORT_MAX_LENGTH, TEXT_MAX_LENGTH, ConversationPlace
from wijk.investigations.services import (
    LIFE_DOMAINS,
    InvestigationContent,
    investigation_content_problems,
)
from wijk.reference.models import Code

TEXTAREA = textarea_attrs(6)


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField[Code]):
    def label_from_instance(self, obj: Code) -> str:
        return obj.label


def _textarea(label: Any, help_text: Any) -> FreeTextField:
    return FreeTextField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        help_text=help_text,
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class InvestigationForm(forms.Form):
    """Everything may stay empty while the investigation is open; finishing it asks for what
    the report needs (services.investigation_finish_problems)."""

    conversation_on = forms.DateField(
        label=_("Datum van het gesprek"),
        required=False,
        help_text=_("Het keukentafelgesprek met de inwoner."),
        widget=DateInput(attrs=TEXT),
    )
    conversation_place = forms.ChoiceField(
        label=_("Waar was het gesprek?"),
        required=False,
        choices=ConversationPlace.choices,
        widget=RadioButtons,
    )
    network_present = forms.BooleanField(
        label=_("Iemand uit het netwerk van de inwoner was bij het gesprek"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    network_who = FreeTextField(
        label=_("Wie uit het netwerk was erbij?"),
        required=False,
        max_length=SHORT_MAX_LENGTH,
        help_text=_("Bijvoorbeeld: dochter, buurvrouw, mantelzorger."),
        widget=forms.TextInput(attrs=TEXT),
    )
    underlying_question = _textarea(
        _("De vraag achter de vraag"),
        _("Wat wil de inwoner echt bereiken? Gebruik de woorden van de inwoner waar dat kan."),
    )
    life_domains = CodeMultipleChoiceField(
        label=_("Leefgebieden"),
        required=False,
        queryset=Code.objects.none(),
        help_text=_("Kies de leefgebieden waar de vraag over gaat."),
        widget=CheckboxList,
    )
    own_strength = _textarea(
        _("Eigen kracht en netwerk"),
        _("Wat kan de inwoner zelf? En wat kunnen familie, buren of vrienden doen?"),
    )
    preceding_provisions = _textarea(
        _("Voorliggende voorzieningen en andere wetten"),
        _(
            "Wat bieden algemene voorzieningen in de wijk, de zorgverzekering, de Wet "
            "langdurige zorg, de Jeugdwet of andere wetten?"
        ),
    )
    expertise_asked = forms.BooleanField(
        label=_("Er is externe deskundigheid gevraagd"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    expertise_which = FreeTextField(
        label=_("Welke deskundigheid?"),
        required=False,
        max_length=SHORT_MAX_LENGTH,
        help_text=_("Bijvoorbeeld: advies van een ergotherapeut of een arts."),
        widget=forms.TextInput(attrs=TEXT),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["life_domains"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            Code.objects.filter(code_list__slug=LIFE_DOMAINS)
            .valid_on(timezone.localdate())
            .order_by("sort_order", "code")
        )

    def content(self) -> InvestigationContent:
        data = self.cleaned_data
        return InvestigationContent(
            conversation_on=data.get("conversation_on"),
            conversation_place=data.get("conversation_place") or "",
            network_present=bool(data.get("network_present")),
            network_who=data.get("network_who") or "",
            underlying_question=data.get("underlying_question") or "",
            life_domains=list(data.get("life_domains") or []),
            own_strength=data.get("own_strength") or "",
            preceding_provisions=data.get("preceding_provisions") or "",
            expertise_asked=bool(data.get("expertise_asked")),
            expertise_which=data.get("expertise_which") or "",
        )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        # The services' rules on what could be read, each at its field, with the rest.
        for field, message in investigation_content_problems(self.content()).items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


class OwnViewForm(forms.Form):
    submission_key = SubmissionKeyField()
    text = FreeTextField(
        label=_("Wat vindt de inwoner van het verslag?"),
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        help_text=_(
            "Schrijf de reactie van de inwoner op, zo veel mogelijk in de eigen woorden. "
            "De reactie komt naast het verslag; het verslag zelf verandert niet."
        ),
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    given_on = forms.DateField(
        label=_("Datum van de reactie"),
        help_text=_("De dag waarop de inwoner de reactie gaf."),
        widget=DateInput(attrs=TEXT),
    )

    def clean_given_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return value
