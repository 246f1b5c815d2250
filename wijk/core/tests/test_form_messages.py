"""Every form says what is wrong the same way (wijk/core/forms.py, core/error_summary.html):
a summary of all errors above the form, each a link to its field, that takes focus; a message
per field that names it, never Django's stock text; nothing marked invalid before a submit;
no `maxlength` that cuts a text without a word."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django import forms
from django.core import validators
from django.urls import reverse
from django.utils import translation

from wijk.core.tests.matrix_kit import ALLOW, ROLES
from wijk.core.tests.test_authorization_matrix import (
    MATRIX,
    objects,  # noqa: F401 (the matrix's fixture)
)

pytestmark = pytest.mark.django_db

_FIELD_CLASSES = [
    forms.Field,
    forms.CharField,
    forms.IntegerField,
    forms.FloatField,
    forms.DecimalField,
    forms.DateField,
    forms.TimeField,
    forms.DateTimeField,
    forms.DurationField,
    forms.EmailField,
    forms.URLField,
    forms.BooleanField,
    forms.ChoiceField,
    forms.TypedChoiceField,
    forms.MultipleChoiceField,
    forms.ModelChoiceField,
    forms.ModelMultipleChoiceField,
    forms.UUIDField,
    forms.JSONField,
]
_VALIDATORS = [
    validators.MaxLengthValidator(1),
    validators.MinLengthValidator(1),
    validators.MaxValueValidator(1),
    validators.MinValueValidator(1),
    validators.RegexValidator(),
]


def _stock_messages() -> set[str]:
    """Django's own messages, in Dutch and English, each up to its first placeholder (what
    a page shows of it whatever the values)."""
    found: set[str] = set()
    for language in ("nl", "en"):
        with translation.override(language):
            texts = [
                str(message)
                for cls in _FIELD_CLASSES
                for message in getattr(cls, "default_error_messages", {}).values()
            ] + [str(validator.message) for validator in _VALIDATORS]
        found |= {text.split("%(")[0].strip() for text in texts}
    return {text for text in found if len(text) > 8}


STOCK = _stock_messages()


def test_the_stock_list_holds_the_messages_users_saw() -> None:
    # Django's own Dutch, or Django REST framework's (its catalog, an installed app's, comes
    # before Django's for the same English text).
    assert {"Dit veld is verplicht.", "Dit veld is vereist."} & STOCK
    assert "This field is required." in STOCK
    assert "Voer een geldige datum in." in STOCK


def _first_allowed_role(expected: dict[str, str]) -> str | None:
    return next((role for role in ROLES if role != "anonymous" and expected[role] == ALLOW), None)


def _post_forms(page: str) -> bool:
    """Does the page's main content hold a form that posts (other than the header's log-out
    button)?"""
    main = page.split('id="inhoud"', 1)[-1]
    return bool(re.search(r"<form[^>]*method=\"post\"", main))


def test_an_empty_form_gets_the_summary_and_no_stock_message_on_every_staff_page(
    objects,  # noqa: F811
    make_user,
    client_for,
) -> None:
    """Every page of the authorization matrix with a form, as the first role that may open
    it: the page itself has nothing marked invalid; an empty submit has the error summary
    (with links, taking focus) whenever a field has an error, and no stock message."""
    failures: list[str] = []
    summaries = 0
    for name in sorted(MATRIX):
        expected, kwargs = MATRIX[name]
        role = _first_allowed_role(expected)
        if role is None or name.startswith("portal:"):  # the public form has its own page
            continue
        url = reverse(name, kwargs=kwargs(objects))
        http = client_for(make_user(role, teams=[objects["team"]]))
        shown = http.get(url)
        if shown.status_code != 200 or not _post_forms(shown.content.decode()):
            continue
        page = shown.content.decode()
        if "aria-invalid" in page or "form-field--invalid" in page or " required" in page:
            failures.append(f"{name}: marked invalid (or required) before a submit")
        if re.search(r"\smaxlength=", page):
            failures.append(f"{name}: a maxlength attribute cuts text")
        body = html.unescape(http.post(url, {}).content.decode())
        stock = sorted(message for message in STOCK if message in body)
        if stock:
            failures.append(f"{name}: stock messages {stock}")
        if "utrecht-form-field-error-message" in body:
            if "wijk-error-summary" not in body:
                failures.append(f"{name}: field errors without the error summary")
                continue
            summaries += 1
            summary = body.split("wijk-error-summary", 1)[1].split("</ul>", 1)[0]
            if 'href="#id_' not in summary:
                failures.append(f"{name}: the summary does not link to the fields")
    assert not failures, "\n".join(failures)
    assert summaries >= 15, summaries  # the empty forms were refused, not skipped


def _summary(page: str) -> str:
    start = page.index("wijk-error-summary")
    return page[page.rindex("<div", 0, start) : page.index("</ul>", start)]


def test_the_summary_takes_focus_and_links_every_error_to_its_field(
    make_user, team, client_for
) -> None:
    from wijk.accounts.models import Role

    http = client_for(make_user(Role.PROFESSIONAL, teams=[team]))
    page = http.post(reverse("residents:register"), {"date_of_birth": "2999-01-01"})
    body = html.unescape(page.content.decode())
    summary = _summary(body)
    assert 'tabindex="-1"' in summary and "autofocus" in summary
    assert '<a class="utrecht-link" href="#id_given_names">Vul "Voornamen" in.</a>' in summary
    assert 'href="#id_date_of_birth">De geboortedatum ligt in de toekomst.</a>' in summary
    assert 'href="#id_street">Vul de straat in.</a>' in summary
    assert body.count("autofocus") == 1


def test_a_group_of_radio_buttons_is_linked_at_its_first_button(
    make_user, team, client_for
) -> None:
    from wijk.accounts.models import Role

    http = client_for(make_user(Role.PROFESSIONAL, teams=[team]))
    body = html.unescape(http.post(reverse("requests:register"), {}).content.decode())
    summary = _summary(body)
    assert 'href="#id_channel_0">Kies hoe de vraag binnenkwam.</a>' in summary
    assert 'id="id_channel_0"' in body


def test_messages_name_the_field_and_keep_the_forms_own() -> None:
    class Example(forms.Form):
        day = forms.DateField(label="Geboortedatum")
        count = forms.IntegerField(label="Aantal", max_value=5)
        kind = forms.ChoiceField(label="Soort", choices=[("a", "A")])
        street = forms.CharField(label="Straat", error_messages={"required": "Vul de straat in."})
        note = forms.CharField(label="Notitie", max_length=3, widget=forms.Textarea)

    with translation.override("nl"):
        form = Example({"day": "31-02-2020", "count": "9", "kind": "b", "note": "abcd"})
        assert form.errors == {
            "day": ['Vul bij "Geboortedatum" een bestaande datum in, bijvoorbeeld 17-11-2026.'],
            "count": ['"Aantal" mag niet hoger zijn dan 5.'],
            "kind": ['Kies bij "Soort" een mogelijkheid uit de lijst.'],
            "street": ["Vul de straat in."],
            "note": [
                '"Notitie" is te lang: gebruik niet meer dan 3 tekens (nu 4). '
                "Uw tekst staat er nog."
            ],
        }
        note = str(form["note"])
    assert "maxlength" not in note
    assert 'data-character-limit="3"' in note
    assert ">\nabcd</textarea>" in note  # the text stays in the field


def test_required_fields_say_so_without_being_invalid_before_a_submit() -> None:
    class Example(forms.Form):
        name = forms.CharField(label="Naam")
        kind = forms.ChoiceField(label="Soort", choices=[("a", "A")], widget=forms.RadioSelect)

    form: Any = Example()
    assert 'aria-required="true"' in str(form["name"])
    assert "required" not in str(form["kind"])  # no :invalid radio group before a submit
    assert "aria-invalid" not in str(form["name"])
