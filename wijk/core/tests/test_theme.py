"""Our theme and its font (ADR 0029): the page uses the wijk theme and the NL Design System page
layout, the font's files are served from the npm package, and only the ones the theme names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from wijk.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_the_font_files_the_theme_names_are_served_and_no_others() -> None:
    fonts_css = Path(finders.find("core/fonts.css") or "").read_text()
    named = re.findall(r'url\("\.\./(vendor/[^"]+\.woff2)"\)', fonts_css)
    assert len(named) == 4
    for path in named:
        assert finders.find(path), f"{path} is not served"
    assert not finders.find("vendor/source-sans-3/source-sans-3-greek-wght-normal.woff2")
    listed = {path for finder in finders.get_finders() for path, _ in finder.list([])}
    assert not any("cyrillic" in path or "vietnamese" in path for path in listed)


def test_every_page_has_our_theme_and_one_page_layout(make_user, client_for, team) -> None:
    body = (
        client_for(make_user(Role.PROFESSIONAL, teams=[team]))
        .get(reverse("core:home"))
        .content.decode()
    )
    assert 'class="wijk-theme utrecht-document"' in body
    assert "voorbeeld" not in body
    for part in ("page-header", "page-body", "page-footer"):
        assert f'class="utrecht-{part}__content"' in body
    theme = Path(finders.find("core/theme.css") or "").read_text()
    assert "--utrecht-document-font-family: var(--basis-text-font-family-default)" in theme
    assert "--basis-text-font-family-default: 'Source Sans 3 Variable'" in theme
