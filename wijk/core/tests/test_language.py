"""Dutch by default, English after the language switch, and catalogs that are complete and
compiled. Driven through the real pages; the catalogs are read as files."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.urls import reverse
from django.utils import translation

from wijk.accounts.models import Role

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.LOCALE_PATHS[0])
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(path: Path) -> list[tuple[list[str], dict[str, str]]]:
    """The entries of a .po file: their comment lines and their fields (msgid, msgid_plural,
    msgstr, msgstr[0], ...), continuation lines joined. Obsolete (#~) entries are comments."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        comments: list[str] = []
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith("#"):
                comments.append(line)
            elif line.startswith('"'):
                fields[key] += _unquote(line)
            else:
                key, _, rest = line.partition(" ")
                fields[key] = _unquote(rest.strip())
        entries.append((comments, fields))
    return entries


def _is_fuzzy(comments: list[str]) -> bool:
    return any(c.startswith("#,") and "fuzzy" in c for c in comments)


def _html_lang(content: bytes) -> str:
    match = re.search(rb'<html lang="([^"]+)"', content)
    assert match, "no <html lang> on the page"
    return match.group(1).decode()


def test_login_page_is_dutch_even_for_an_english_browser(client) -> None:
    response = client.get(reverse("accounts:login"), headers={"accept-language": "en"})
    assert response.status_code == 200
    assert _html_lang(response.content) == "nl"
    assert '<h1 class="utrecht-heading-1">Inloggen</h1>' in response.content.decode()
    assert response["Content-Language"] == "nl"


def test_language_switch_makes_the_login_page_english(client) -> None:
    login = reverse("accounts:login")
    assert login == "/account/inloggen"
    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response.status_code == 302
    assert response["Location"] == login
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = client.get(login)
    html = page.content.decode()
    assert _html_lang(page.content) == "en"
    assert '<h1 class="utrecht-heading-1">Sign in</h1>' in html
    assert "Next step" in html
    assert "Inloggen" not in html
    assert page["Content-Language"] == "en"

    # and back
    client.post(reverse("set_language"), {"language": "nl", "next": login})
    assert _html_lang(client.get(login).content) == "nl"


def test_unknown_language_in_the_cookie_falls_back_to_dutch(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(reverse("accounts:login"))
    assert _html_lang(response.content) == "nl"
    assert "Inloggen" in response.content.decode()


def test_professional_sees_the_resident_search_in_english(make_user, client_for, team) -> None:
    client = client_for(make_user(Role.PROFESSIONAL, teams=[team]))
    search = reverse("residents:search")
    dutch = client.get(search).content.decode()
    assert "Inwoner zoeken" in dutch

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(search)
    assert response.status_code == 200
    html = response.content.decode()
    assert _html_lang(response.content) == "en"
    assert '<h1 class="utrecht-heading-1">Find a resident</h1>' in html
    assert "Every search is recorded." in html
    assert "Sign out" in html
    assert "Inwoner zoeken" not in html


def test_django_strings_missing_from_djangos_dutch_catalog_are_dutch() -> None:
    with translation.override("nl"):
        assert str(BLANK_CHOICE_LABEL) == "- Maak een keuze -"
        assert MinimumLengthValidator(12).get_error_message() == (
            "Dit wachtwoord is te kort. Gebruik minstens 12 tekens."
        )
    with translation.override("en"):
        assert str(BLANK_CHOICE_LABEL) == "- Select an option -"


def test_blank_choice_of_a_select_is_dutch_on_a_real_page(make_user, client_for, team) -> None:
    """Django 6.1's new "- Select an option -" (the organiser select of a new activity) is
    Dutch through our catalog."""
    client = client_for(make_user(Role.PROFESSIONAL, teams=[team]))
    html = client.get(reverse("activities:create")).content.decode()
    assert "- Maak een keuze -" in html
    assert "Select an option" not in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "- Select an option -" in client.get(reverse("activities:create")).content.decode()


def test_english_catalog_has_no_untranslated_or_fuzzy_entry() -> None:
    entries = parse_po(EN_PO)
    assert len(entries) > 100
    untranslated, fuzzy = [], []
    for comments, fields in entries:
        if not fields or fields.get("msgid") == "":
            continue
        if _is_fuzzy(comments):
            fuzzy.append(fields["msgid"])
        translations = [v for k, v in fields.items() if k.startswith("msgstr")]
        if not translations or not all(translations):
            untranslated.append(fields["msgid"])
    assert not untranslated, f"untranslated in {EN_PO}: {untranslated}"
    assert not fuzzy, f"fuzzy in {EN_PO}: {fuzzy}"


def test_english_placeholders_match_the_dutch_ones() -> None:
    placeholder = re.compile(r"%(?:\([a-z_]+\))?[sd]")
    for _comments, fields in parse_po(EN_PO):
        if not fields or fields.get("msgid") == "":
            continue
        singular = sorted(placeholder.findall(fields["msgid"]))
        plural = sorted(placeholder.findall(fields.get("msgid_plural", fields["msgid"])))
        for key, value in fields.items():
            if key in {"msgstr", "msgstr[0]"}:
                assert sorted(placeholder.findall(value)) == singular, fields["msgid"]
            elif key.startswith("msgstr["):  # the plural forms follow msgid_plural
                assert sorted(placeholder.findall(value)) == plural, fields["msgid"]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_compiled_catalog_matches_its_po_file(language: str) -> None:
    """The committed .mo is built from the current .po: every translated entry of the .po
    translates to its msgstr through the .mo (plural entries in both forms)."""
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    with (po.with_suffix(".mo")).open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    checked = 0
    for comments, fields in parse_po(po):
        msgid = fields.get("msgid")
        if not msgid or _is_fuzzy(comments):
            continue
        if "msgid_plural" in fields:
            one, many = fields["msgstr[0]"], fields["msgstr[1]"]
            if one and many:
                assert catalog.ngettext(msgid, fields["msgid_plural"], 1) == one
                assert catalog.ngettext(msgid, fields["msgid_plural"], 2) == many
                checked += 1
        elif fields["msgstr"]:
            assert catalog.gettext(msgid) == fields["msgstr"], msgid
            checked += 1
    assert checked > 0
