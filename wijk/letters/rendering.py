"""From a letter's HTML template to a tagged, accessible PDF (PDF/UA-1) with WeasyPrint.

The letter is a Django template that extends `letters/letter.html`: the language (nl), the
title, the sender, the date, the recipient and the rights are there; the app's template fills
in the body with real headings, paragraphs, lists and tables. WeasyPrint then writes the
structure tags (H1, P, L, Table…), the document language, the title shown by the reader, and
embeds the font (Open Sans, from Debian's `fonts-open-sans`, installed by `make`).

Nothing is fetched while rendering: no URL, no file; the stylesheet is read from this app.
ADR 0036."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

STYLESHEET = Path(__file__).resolve().parent / "letter.css"
# PDF/UA-1: tagged, with the language, the title shown and the fonts embedded.
PDF_VARIANT = "pdf/ua-1"


class _NoFetching(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
    """Refuses every URL (http, https, file, data…): a letter is made from its template and
    our stylesheet alone, so a value in a letter can never make the server fetch anything."""

    def fetch(self, url: str, headers: object = None) -> NoReturn:
        raise ValueError("letters fetch no URLs")


@cache
def _stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def letter_html(*, template: str, context: Mapping[str, Any]) -> str:
    """The letter as HTML, always in Dutch (whatever the language of the page that asks)."""
    with translation.override("nl"):
        return render_to_string(template, dict(context))


def letter_pdf(*, template: str, context: Mapping[str, Any]) -> bytes:
    """The letter as a tagged PDF (PDF/UA-1)."""
    fetcher = _NoFetching()
    document = HTML(
        string=letter_html(template=template, context=context),
        base_url=str(STYLESHEET.parent),
        url_fetcher=fetcher,
    )
    pdf = document.write_pdf(
        stylesheets=[CSS(string=_stylesheet(), url_fetcher=fetcher)],
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
    )
    assert isinstance(pdf, bytes)
    return pdf
