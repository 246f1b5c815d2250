"""The administrators' form for a new API client."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wijk.api.models import ApiScope
from wijk.core.forms import TEXT, CheckboxList, SubmissionKeyField
from wijk.core.text import FreeTextField


class ApiClientForm(forms.Form):
    submission_key = SubmissionKeyField()
    name = FreeTextField(
        label=_("Naam van de koppeling"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Dashboard sociaal domein, testomgeving."),
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    organisation = FreeTextField(
        label=_("Organisatie"),
        max_length=200,
        help_text=_(
            "Wie de koppeling gebruikt, bijvoorbeeld: Gemeente Haarlem, Onderzoek en Statistiek."
        ),
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "organization"}),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Mag lezen"),
        choices=ApiScope.choices,
        initial=ApiScope.values,
        help_text=_("Alleen tellingen. Geen enkele koppeling kan gegevens over een inwoner lezen."),
        widget=CheckboxList,
    )
