"""Forms for registering a request, recording a contact attempt, closing a request and
assigning requests (one, or several from the team worklist). They check the shape of the
input; the rules (who asked, which resident, which outcome when, who may hold it) are in
wijk.requests.services."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.core.forms import CHECKBOX, SELECT, TEXT, textarea_attrs
from wijk.core.forms import RadioButtons as CoreRadioButtons
from wijk.core.params import IdField, parse_int
from wijk.core.text import FreeTextField
from wijk.organisations.models import Organisation
from wijk.reference.models import Code
from wijk.requests.services import AssignRow, request_register_problems
from wijk.requests.workflow import Outcome, RequesterRelation

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

# The outcomes a professional records here. "Support started" is recorded by starting a
# trajectory (wijk.trajectories), which closes the request in the same transaction.
CLOSE_OUTCOMES = [
    (value, label) for value, label in Outcome.choices if value != Outcome.SUPPORT_STARTED
]


class RadioButtons(CoreRadioButtons):
    """The core radio buttons, each button with its label in a form field of its own."""

    template_name = "requests/widgets/radio.html"
    option_template_name = "requests/widgets/radio_option.html"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class LocalDateTimeField(forms.DateTimeField):
    """A moment typed as the local wall-clock time, as Django's DateTimeField reads it, except
    in the two hours a year that Django refuses (ADR 0015): in the hour that occurs twice when
    summer time ends it is the first one (summer time); in the hour skipped when summer time
    starts it is read with the winter offset (02:30 becomes 03:30 summer time). The day, all a
    deadline depends on, is the same either way."""

    def to_python(self, value: Any) -> datetime.datetime | None:
        if not isinstance(value, str) or not value.strip():
            moment: datetime.datetime | None = super().to_python(value)
            return moment
        text = value.strip()
        try:
            parsed = parse_datetime(text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if parsed is None:  # the widget's own format; raises "invalid" when it does not fit
            parsed = cast(datetime.datetime, forms.fields.BaseTemporalField.to_python(self, text))
        if timezone.is_aware(parsed):
            return parsed
        # zoneinfo's fold=0 (see the docstring), then in UTC: a moment in the doubled hour
        # keeps its fold in local time, and such datetimes never compare equal across zones.
        return timezone.make_aware(parsed).astimezone(datetime.UTC)


def _codes(slug: str) -> Any:
    return (
        Code.objects.filter(code_list__slug=slug)
        .valid_on(timezone.localdate())
        .order_by("sort_order", "code")
    )


class RegisterForm(forms.Form):
    """The short form a professional fills in for any request, from any channel."""

    channel = forms.ModelChoiceField(
        label=_("Hoe kwam de vraag binnen?"),
        queryset=Code.objects.none(),
        empty_label=None,
        widget=RadioButtons(),
        error_messages={"required": _("Kies hoe de vraag binnenkwam.")},
    )
    question = FreeTextField(
        label=_("Waar gaat de vraag over?"),
        help_text=_("Kort, in de woorden van de inwoner. Geen medische details."),
        max_length=2000,
        widget=forms.Textarea(attrs=textarea_attrs(3)),
        error_messages={"required": _("Beschrijf kort waar de hulp voor is.")},
    )
    requested_by = forms.ChoiceField(
        label=_("Wie stelt de vraag?"),
        choices=RequesterRelation.choices,
        initial=RequesterRelation.SELF,
        widget=forms.Select(attrs=SELECT),
    )
    requester_name = FreeTextField(
        label=_("Naam van wie de vraag stelt"),
        help_text=_("Nodig als iemand anders belt, of als de inwoner nog niet bekend is."),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    requester_phone = FreeTextField(
        label=_("Telefoonnummer van wie de vraag stelt"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "tel", "autocomplete": "off"}),
    )
    requester_email = forms.EmailField(
        label=_("E-mailadres van wie de vraag stelt"),
        required=False,
        widget=forms.EmailInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    referrer_type = forms.ModelChoiceField(
        label=_("Soort verwijzer"),
        help_text=_("Alleen bij een signaal of verwijzing van een partner."),
        queryset=Code.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    referrer_organisation = forms.ModelChoiceField(
        label=_("Verwijzende organisatie"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    whole_household = forms.BooleanField(
        label=_("De vraag gaat over het hele huishouden van de inwoner"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    assign_to_me = forms.BooleanField(
        label=_("Ik pak deze hulpvraag zelf op"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    received_at = LocalDateTimeField(
        label=_("Ontvangen op"),
        help_text=_("Pas dit aan als een brief of e-mail eerder binnenkwam."),
        input_formats=[DATETIME_FORMAT],
        widget=DateTimeLocalInput(attrs=TEXT),
        error_messages={"required": _("Vul in wanneer de vraag binnenkwam.")},
    )

    def __init__(self, *args: Any, resident_chosen: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resident_chosen = resident_chosen
        for name, slug in (("channel", "channels"), ("referrer_type", "referrer_types")):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = _codes(slug)
        organisation = self.fields["referrer_organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = Organisation.objects.filter(active=True).order_by("name")
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean(self) -> dict[str, Any]:
        """The service's rules (request_register_problems) beside the fields' own errors, so
        that everything is said in one round. A rule about a field that has an error of its
        own, or that leans on a field with one, waits until that is fixed."""
        data = super().clean() or {}
        problems = request_register_problems(
            received_at=data.get("received_at"),
            resident_known=self.resident_chosen,
            whole_household=bool(data.get("whole_household")),
            requested_by=data.get("requested_by"),
            requester_name=data.get("requester_name") or "",
            requester_phone=data.get("requester_phone") or "",
            requester_email=data.get("requester_email") or "",
        )
        leans_on = {"requester_phone": "requester_email", "requester_name": "requested_by"}
        for field, message in problems.items():
            if field in self.errors or leans_on.get(field) in self.errors:
                continue
            self.add_error(field, message)
        return data


class ResidentChoiceForm(forms.Form):
    """The resident the request is about, chosen from the search results: a pk, checked by
    the service through the residents' selector. Empty: not known yet."""

    resident = IdField(required=False)


class LinkResidentForm(forms.Form):
    whole_household = forms.BooleanField(
        label=_("De vraag gaat over het hele huishouden van de inwoner"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )


class AttemptForm(forms.Form):
    reached = forms.TypedChoiceField(
        choices=[("ja", _("Contact gehad")), ("nee", _("Niet bereikt"))],
        coerce=lambda value: value == "ja",
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=CLOSE_OUTCOMES,
        widget=RadioButtons(),
        error_messages={"required": _("Kies de uitkomst.")},
    )
    provision = forms.ModelChoiceField(
        label=_("Verwezen naar"),
        help_text=_("Alleen bij een verwijzing naar een voorziening buiten de opdracht."),
        queryset=Code.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    note = FreeTextField(
        label=_("Toelichting"),
        help_text=_("Kort. Schrijf geen medische gegevens op."),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=TEXT),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provision = self.fields["provision"]
        assert isinstance(provision, forms.ModelChoiceField)
        provision.queryset = _codes("out_of_scope_provisions")


class AssigneeChoiceField(forms.ModelChoiceField[Any]):
    """A person to give requests to, by name (the username when there is none)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


def _assignee_field(choices: list[User], label: str) -> AssigneeChoiceField:
    return AssigneeChoiceField(
        queryset=User.objects.filter(pk__in=[user.pk for user in choices]).order_by(
            "first_name", "last_name", "username"
        ),
        label=label,
        empty_label=None,
        widget=forms.Select(attrs=SELECT),
        error_messages={
            "required": _("Kies aan wie u de hulpvraag geeft."),
            "invalid_choice": _("Kies een medewerker uit de lijst."),
        },
    )


class AssignForm(forms.Form):
    """A team lead gives one request to a member of its team. `expected` is whom the page
    showed as its holder (empty: nobody), so that a change made meanwhile is not overwritten."""

    assigned_to = forms.Field()  # replaced in __init__ by the team's members
    expected = IdField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = _assignee_field(choices, str(_("Toewijzen aan")))


class AssignRowsField(forms.Field):
    """The rows ticked on the team worklist, each "<request id>-<holder id>" (holder 0 when
    nobody had it), as AssignRow values."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[AssignRow]:
        rows: list[AssignRow] = []
        for item in value or []:
            pk_text, _dash, expected_text = str(item).partition("-")
            pk = parse_int(pk_text)
            expected = parse_int(expected_text, minimum=0)
            if pk is None or expected is None:
                raise ValidationError(_("Kies hulpvragen uit de lijst."), code="invalid")
            rows.append(AssignRow(pk=pk, expected=expected or None))
        return rows

    def validate(self, value: Any) -> None:
        if not value:
            raise ValidationError(
                _("Kies een of meer hulpvragen om toe te wijzen."), code="required"
            )


class BulkAssignForm(forms.Form):
    """The team worklist's "Toewijzen aan": the ticked rows and one person for all of them."""

    requests = AssignRowsField(label=_("Hulpvragen"))
    assigned_to = forms.Field()  # replaced in __init__ by the members of the lead's teams

    def __init__(self, *args: Any, choices: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = _assignee_field(choices, str(_("Toewijzen aan")))
