"""The form for writing and editing a case note. The rules are in wijk.notes.services; the
form checks the same ones on what was typed, so that every mistake is reported at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.core.forms import CHECKBOX, TEXT, DateInput, RadioButtons, textarea_attrs
from wijk.core.params import IdField
from wijk.core.text import FreeTextField
from wijk.notes.models import REASON_MAX_LENGTH, TEXT_MAX_LENGTH, NoteKind
from wijk.notes.services import FUTURE_DATE, REASON_REQUIRED, NoteContent

TEXTAREA = textarea_attrs(12)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort contact"), choices=NoteKind.choices, widget=RadioButtons
    )
    occurred_on = forms.DateField(
        label=_("Datum"),
        help_text=_("De dag waarop het gebeurde. Dat kan vandaag zijn of eerder."),
        widget=DateInput(attrs=TEXT),
    )
    text = FreeTextField(
        label=_("Wat is er gebeurd?"),
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        help_text=_(
            "Schrijf feiten en afspraken op. Er passen hooguit 20.000 tekens in. "
            "Een gewone notitie kan de inwoner later zelf lezen in het eigen dossier."
        ),
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    confidential = forms.BooleanField(
        label=_("Vertrouwelijk"),
        required=False,
        help_text=_(
            "Alleen wie de notitie schreef, de regisseur van het traject en de teamleider "
            "kunnen de tekst lezen. Anderen zien alleen dat er een vertrouwelijke notitie is."
        ),
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    work_note = forms.BooleanField(
        label=_("Werkaantekening: de inwoner mag deze notitie niet zien"),
        required=False,
        help_text=_(
            "Later kan de inwoner de eigen notities lezen. Vink dit aan als deze notitie "
            "alleen voor medewerkers is, bijvoorbeeld omdat er iets over een ander in staat. "
            "Schrijf dan hieronder waarom."
        ),
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    work_note_reason = FreeTextField(
        label=_("Waarom mag de inwoner deze notitie niet zien?"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs=TEXT),
    )

    def clean_occurred_on(self) -> Any:
        occurred_on = self.cleaned_data["occurred_on"]
        if occurred_on > timezone.localdate():
            raise forms.ValidationError(FUTURE_DATE)
        return occurred_on

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        reason = cleaned.get("work_note_reason") or ""
        if cleaned.get("work_note") and not reason.strip():
            self.add_error("work_note_reason", str(REASON_REQUIRED))
        return cleaned

    def content(self) -> NoteContent:
        data = self.cleaned_data
        return NoteContent(
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            text=data["text"],
            confidential=data["confidential"],
            work_note=data["work_note"],
            work_note_reason=data["work_note_reason"] or "",
        )


class NoteEditForm(NoteForm):
    # The version the editor opened: a newer one saved meanwhile refuses the edit.
    based_on = IdField(widget=forms.HiddenInput)
