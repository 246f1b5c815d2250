"""The forms of the meldcode pages: opening a case, one form per step, adding a reader and
closing. The rules are in wijk.meldcode.services; the forms check what was typed, so that
every mistake is reported at once, and give the service its content."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.core.forms import (
    CHECKBOX,
    SELECT,
    TEXT,
    DateInput,
    RadioButtons,
    SubmissionKeyField,
    textarea_attrs,
)
from wijk.core.text import FreeTextField
from wijk.core.workflow import REASON_MAX_LENGTH as CLOSE_REASON_MAX_LENGTH
from wijk.meldcode.models import REASON_MAX_LENGTH, TEXT_MAX_LENGTH
from wijk.meldcode.services import FUTURE_DATE, REPORT_DATE, StepContent
from wijk.meldcode.workflow import WEIGHING_QUESTIONS, Answer, Step
from wijk.organisations.models import Team

TEXTAREA = textarea_attrs(8)


def _text(label: Any, help_text: Any = "", *, required: bool = True) -> FreeTextField:
    return FreeTextField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        help_text=help_text,
        widget=forms.Textarea(attrs=TEXTAREA),
    )


def _answer(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=Answer.choices, widget=RadioButtons)


class OpenForm(forms.Form):
    submission_key = SubmissionKeyField()
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        empty_label=None,
        help_text=_("De teamleider van dit team leest het traject mee."),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Team.objects.active_for(user).order_by("name")


class StepForm(forms.Form):
    """The fields every step has: the date and the main text."""

    number: Step
    submission_key = SubmissionKeyField()
    occurred_on = forms.DateField(
        label=_("Datum"),
        help_text=_("De dag waarop u deze stap zette. Dat kan vandaag zijn of eerder."),
        widget=DateInput(attrs=TEXT),
    )

    def clean_occurred_on(self) -> Any:
        occurred_on = self.cleaned_data["occurred_on"]
        if occurred_on > timezone.localdate():
            raise forms.ValidationError(FUTURE_DATE)
        return occurred_on

    def content(self) -> StepContent:
        data = self.cleaned_data
        return StepContent(number=self.number, occurred_on=data["occurred_on"], text=data["text"])


class SignalsForm(StepForm):
    number = Step.SIGNALS
    text = _text(
        _("Welke signalen ziet of hoort u?"),
        _(
            "Schrijf feiten op: wat u zag, hoorde of rook, wanneer, en wie het zei. "
            "Schrijf een vermoeden of een mening apart op en noem het zo."
        ),
    )
    minor_children = _answer(_("Kindcheck: wonen er minderjarige kinderen in het huishouden?"))
    children_care = _text(
        _("Wie zorgt voor de kinderen?"),
        _("Bijvoorbeeld: hoeveel kinderen, hoe oud, en of de inwoner de zorg deelt met een ander."),
        required=False,
    )

    def content(self) -> StepContent:
        data = self.cleaned_data
        return StepContent(
            number=self.number,
            occurred_on=data["occurred_on"],
            text=data["text"],
            minor_children=data["minor_children"],
            children_care=data["children_care"] or "",
        )


class ConsultationForm(StepForm):
    number = Step.CONSULTATION
    consulted = _text(
        _("Met wie heeft u overlegd?"),
        _("Bijvoorbeeld een collega, de aandachtsfunctionaris, Veilig Thuis."),
    )
    veilig_thuis_consulted = forms.BooleanField(
        label=_("Ik heb Veilig Thuis om advies gevraagd"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    injury_expert_consulted = forms.BooleanField(
        label=_("Ik heb een deskundige op het gebied van letselduiding geraadpleegd"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    text = _text(_("Wat was het advies?"))

    def content(self) -> StepContent:
        data = self.cleaned_data
        return StepContent(
            number=self.number,
            occurred_on=data["occurred_on"],
            text=data["text"],
            consulted=data["consulted"],
            veilig_thuis_consulted=data["veilig_thuis_consulted"],
            injury_expert_consulted=data["injury_expert_consulted"],
        )


class ConversationForm(StepForm):
    number = Step.CONVERSATION
    text = _text(
        _("Wat heeft u besproken en hoe reageerde de inwoner?"),
        _(
            "Voer het gesprek niet als dat de veiligheid van de inwoner, van u of van een "
            "ander in gevaar brengt. Schrijf dan hier op waarom u het gesprek niet voerde."
        ),
    )


class WeighingForm(StepForm):
    number = Step.WEIGHING
    text = _text(
        _("Toelichting op uw weging"),
        _("Schrijf op hoe u de aard, de ernst en het risico weegt, en waarom."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text = self.fields.pop("text")
        for name, question in WEIGHING_QUESTIONS:
            self.fields[name] = _answer(question)
        self.fields["text"] = text

    def content(self) -> StepContent:
        data = self.cleaned_data
        return StepContent(
            number=self.number,
            occurred_on=data["occurred_on"],
            text=data["text"],
            answers={name: data[name] for name, _question in WEIGHING_QUESTIONS},
        )


class DecisionForm(StepForm):
    number = Step.DECISION
    report = forms.BooleanField(
        label=_("Ik meld bij Veilig Thuis"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    reported_on = forms.DateField(
        label=_("Datum van de melding (als u meldt)"),
        required=False,
        widget=DateInput(attrs=TEXT),
    )
    help = forms.BooleanField(
        label=_("Ik bied of organiseer hulp"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    text = _text(
        _("Toelichting op uw besluit"),
        _("Schrijf op welke hulp er komt en welke afspraken u maakte, of wat u meldde."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("report") and not cleaned.get("reported_on"):
            self.add_error("reported_on", str(REPORT_DATE))
        return cleaned

    def content(self) -> StepContent:
        data = self.cleaned_data
        return StepContent(
            number=self.number,
            occurred_on=data["occurred_on"],
            text=data["text"],
            report=data["report"],
            reported_on=data["reported_on"],
            help=data["help"],
        )


STEP_FORMS: dict[int, type[StepForm]] = {
    Step.SIGNALS: SignalsForm,
    Step.CONSULTATION: ConsultationForm,
    Step.CONVERSATION: ConversationForm,
    Step.WEIGHING: WeighingForm,
    Step.DECISION: DecisionForm,
}


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class ReaderForm(forms.Form):
    submission_key = SubmissionKeyField()
    user = PersonChoiceField(
        label=_("Wie mag het traject lezen?"),
        queryset=User.objects.none(),
        widget=forms.Select(attrs=SELECT),
    )
    reason = FreeTextField(
        label=_("Waarom moet deze persoon het traject lezen?"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Bijvoorbeeld: aandachtsfunctionaris, voor het overleg in stap 2."),
        widget=forms.TextInput(attrs=TEXT),
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class CloseForm(forms.Form):
    submission_key = SubmissionKeyField()
    reason = FreeTextField(
        label=_("Waarom sluit u het traject af?"),
        max_length=CLOSE_REASON_MAX_LENGTH,
        help_text=_("Bijvoorbeeld: geen vermoeden meer na het wegen, of de hulp is afgerond."),
        widget=forms.TextInput(attrs=TEXT),
    )
