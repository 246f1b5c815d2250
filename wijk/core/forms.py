"""How every form of wijk is bound and rendered: one place, set as `FORM_RENDERER`, so no form
class has to remember it (ADR 0032).

- Messages per field. Django's stock messages ("Dit veld is verplicht.", "Voer een geldige
  datum in.") do not say which field they are about, and read badly in the error summary at
  the top of the form. A field's stock message is replaced by a Dutch one that names the
  field's label; a message the form itself wrote is kept.
- No red before anything is typed. Browsers mark an empty `required` input `:invalid` as soon
  as the page is shown, and the NL Design System styles `:invalid` as an error. Required
  inputs carry `aria-required="true"` instead (text boxes, selects and text areas; a radio
  button or checkbox cannot carry it): the form's label says what is optional, the server
  says what is wrong, after a submit, and marks the field with `aria-invalid`.
- Never cut text. A `maxlength` attribute makes the browser drop what is typed or pasted past
  the limit without a word. It is left off; the server refuses a text that is too long with a
  message and keeps the text in the field. A text area shows how many characters are left
  (`core/character-count.js`, reading `data-character-limit`).

The error summary above the fields is `core/error_summary.html`, included by
`core/form_fields.html` (its rows come from the `error_summary` filter of `form_errors`)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The placeholder for the field's label in the messages below; other placeholders
# (%(limit_value)d, %(show_value)d) are filled in by Django when the error is raised.
_LABEL = "%(label)s"

_ENTER = _('Vul "%(label)s" in.')
_CHOOSE = _('Kies bij "%(label)s" een van de mogelijkheden.')
_CHOOSE_SOME = _('Kies bij "%(label)s" ten minste één mogelijkheid.')
_CHOOSE_FROM_LIST = _('Kies bij "%(label)s" een mogelijkheid uit de lijst.')
_TICK = _('Vink "%(label)s" aan.')
_COMMON: dict[str, Promise] = {
    "max_length": _(
        '"%(label)s" is te lang: gebruik niet meer dan %(limit_value)d tekens '
        "(nu %(show_value)d). Uw tekst staat er nog."
    ),
    "min_length": _(
        '"%(label)s" is te kort: gebruik ten minste %(limit_value)d tekens (nu %(show_value)d).'
    ),
    "max_value": _('"%(label)s" mag niet hoger zijn dan %(limit_value)s.'),
    "min_value": _('"%(label)s" mag niet lager zijn dan %(limit_value)s.'),
    "step_size": _('Vul bij "%(label)s" een getal in uit de stappen van %(limit_value)s.'),
    "max_digits": _('Vul bij "%(label)s" een getal in met niet meer dan %(max)s cijfers.'),
    "max_decimal_places": _('Vul bij "%(label)s" niet meer dan %(max)s cijfers na de komma in.'),
    "max_whole_digits": _('Vul bij "%(label)s" niet meer dan %(max)s cijfers voor de komma in.'),
}
_HIDDEN = _("Dit formulier is niet goed verstuurd. Laad de pagina opnieuw en probeer het nog eens.")


def _invalid_message(field: forms.Field) -> Promise:
    """What to write when the value cannot be read, by kind of field."""
    if isinstance(field, forms.SplitDateTimeField | forms.DateTimeField):
        return _('Vul bij "%(label)s" een datum en tijd in, bijvoorbeeld 17-11-2026 14:30.')
    if isinstance(field, forms.DateField):
        return _('Vul bij "%(label)s" een bestaande datum in, bijvoorbeeld 17-11-2026.')
    if isinstance(field, forms.TimeField):
        return _('Vul bij "%(label)s" een tijd in, bijvoorbeeld 14:30.')
    if isinstance(field, forms.IntegerField):
        return _('Vul bij "%(label)s" alleen cijfers in.')
    if isinstance(field, forms.FloatField | forms.DecimalField):
        return _('Vul bij "%(label)s" een getal in, bijvoorbeeld 2,5.')
    if isinstance(field, forms.EmailField):
        return _('Vul bij "%(label)s" een e-mailadres in als naam@voorbeeld.nl.')
    return _('Vul bij "%(label)s" een geldige waarde in.')


def _messages_for(field: forms.Field) -> dict[str, Promise]:
    """The Dutch message per error code for this kind of field, with a %(label)s slot."""
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        required = _CHOOSE_SOME
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        required = _CHOOSE
    elif isinstance(field, forms.BooleanField):
        required = _TICK
    else:
        required = _ENTER
    return {
        **_COMMON,
        "required": required,
        "invalid": _invalid_message(field),
        "invalid_choice": _CHOOSE_FROM_LIST,
        "invalid_list": _CHOOSE_FROM_LIST,
        "invalid_pk_value": _CHOOSE_FROM_LIST,
        "invalid_date": _invalid_message(forms.DateField()),
        "invalid_time": _invalid_message(forms.TimeField()),
    }


def _stock_messages(field: forms.Field) -> list[Any]:
    """Django's own default messages for this field's class."""
    return [
        message
        for cls in type(field).__mro__
        if cls.__module__.startswith("django.")
        for message in getattr(cls, "default_error_messages", {}).values()
    ]


def _is_stock(message: Any, stock: list[Any]) -> bool:
    return any(message is known or str(message) == str(known) for known in stock)


def messages_name_the_field(field: forms.Field, label: str, *, hidden: bool) -> None:
    """Replace the field's stock messages (and add those of Django's limit validators:
    max_length, min_value …) by Dutch messages naming `label`; messages the form wrote itself
    stay, and so do the messages of a validator the form gave the field."""
    stock = _stock_messages(field)
    escaped = label.replace("%", "%%")
    # Codes of Django's own validators with their own stock message (validate_email's
    # "invalid"); a validator the form gave its own message keeps it.
    stock_codes = set(_COMMON) | {
        str(getattr(validator, "code", ""))
        for validator in field.validators
        if type(validator).__module__.startswith("django.")
        and str(getattr(validator, "message", "")) == str(getattr(type(validator), "message", ""))
    }
    for code, template in _messages_for(field).items():
        current = field.error_messages.get(code)
        if current is None and code not in stock_codes:
            continue
        if current is not None and not _is_stock(current, stock):
            continue
        if hidden:
            field.error_messages[code] = str(_HIDDEN)
            continue
        text = str(template)
        # Messages with other placeholders are %-formatted by Django: keep a % in the label.
        has_params = "%(" in text.replace(_LABEL, "")
        field.error_messages[code] = text.replace(_LABEL, escaped if has_params else label)


# The counter's texts (core/character-count.js fills in the numbers).
_COUNT_LEFT = _("Nog %(count)s van de %(limit)s tekens over.")
_COUNT_OVER = _("Uw tekst is te lang: %(count)s boven het maximum van %(limit)s tekens.")

_ARIA_REQUIRED_WIDGETS = (forms.Textarea, forms.Select, Input)
_NO_ARIA_REQUIRED_WIDGETS = (
    forms.RadioSelect,
    forms.CheckboxInput,
    forms.CheckboxSelectMultiple,
    forms.HiddenInput,
    forms.MultipleHiddenInput,
)


class WijkBoundField(forms.BoundField):
    """A field as wijk binds it to every form: messages that name the field, aria-required
    instead of `required`, no `maxlength` (see the module's docstring)."""

    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        super().__init__(form, field, name)
        messages_name_the_field(field, str(self.label), hidden=field.widget.is_hidden)

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        widget = widget or self.field.widget
        built: dict[str, Any] = super().build_widget_attrs(attrs, widget)
        required = built.pop("required", False)
        if (
            required
            and isinstance(widget, _ARIA_REQUIRED_WIDGETS)
            and not isinstance(widget, _NO_ARIA_REQUIRED_WIDGETS)
        ):
            built["aria-required"] = "true"
        limit = getattr(self.field, "max_length", None)
        if "maxlength" in widget.attrs or "maxlength" in built:
            built["maxlength"] = False  # False leaves the attribute out
        if isinstance(widget, forms.Textarea) and limit:
            built["data-character-limit"] = str(limit)
            built["data-character-count-left"] = str(_COUNT_LEFT)
            built["data-character-count-over"] = str(_COUNT_OVER)
        return built


class WijkFormRenderer(DjangoTemplates):
    """Django's template renderer, binding every form's fields as WijkBoundField."""

    bound_field_class = WijkBoundField


# The NL Design System widgets every form uses: one of each (the apps import them from here).
TEXT = {"class": "utrecht-textbox"}
SELECT = {"class": "utrecht-select"}
CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-input"}
RADIO_CLASS = "utrecht-radio-button utrecht-radio-button--html-input"


def textarea_attrs(rows: int = 5) -> dict[str, str]:
    """The attributes of an NL Design System text area of `rows` lines."""
    return {"class": "utrecht-textarea", "rows": str(rows)}


class DateInput(forms.DateInput):
    """A native date field: its value is always ISO 8601, whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs if attrs is not None else dict(TEXT), format="%Y-%m-%d")


class RadioButtons(forms.RadioSelect):
    """NL Design System radio buttons: the class goes on each button, not on their group."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        option["attrs"]["class"] = RADIO_CLASS
        return option


class CheckboxList(forms.CheckboxSelectMultiple):
    """NL Design System checkboxes: the class goes on each box, not on the list."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        option["attrs"]["class"] = CHECKBOX["class"]
        return option


class SubmissionKeyField(forms.CharField):
    """The hidden key of a create form (wijk.core.submissions, ADR 0043): a new one each time a
    page shows the form, the posted one when the form comes back with its errors, so that
    the same form sent twice makes one record. A form sent without a usable key is saved as
    before, only without that protection (its value is None)."""

    widget = forms.HiddenInput

    def __init__(self) -> None:
        super().__init__(required=False, initial=uuid.uuid4)

    def clean(self, value: Any) -> uuid.UUID | None:
        try:
            return uuid.UUID(str(value))
        except ValueError:
            return None


class SubmissionForm(forms.Form):
    """Only the key: for a form that is just a button (making a letter)."""

    submission_key = SubmissionKeyField()
