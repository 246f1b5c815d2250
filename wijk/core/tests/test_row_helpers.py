"""The helpers of tables built in Python: `date_text` writes what Django's `date` filter
writes, `pk_url_builder` what `reverse` gives, `row_html` what `format_html` gives, for any
value; `label` translates once per render."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as django_date
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from wijk.core.templatetags.dates import date_text
from wijk.core.templatetags.table_rows import label, pk_url, pk_url_builder, row_html

DATE_FORMATS = ["DATE_FORMAT", "j M Y", "j F Y", "l j F Y", "F Y", "j F"]
FORMATS = [*DATE_FORMATS, "j F Y H:i", "l j F Y H:i"]


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)),
    format_string=st.sampled_from(DATE_FORMATS),
    language=st.sampled_from(["nl", "en"]),
)
def test_date_text_of_a_date_is_what_the_date_filter_writes(day, format_string, language):
    with translation.override(language):
        assert date_text(day, format_string) == django_date(day, format_string)
        assert date_text(day, format_string) == django_date(day, format_string)  # remembered


@settings(max_examples=60, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime.datetime(2000, 1, 1),
        max_value=datetime.datetime(2040, 12, 31),
        timezones=st.just(datetime.UTC),
    ),
    format_string=st.sampled_from(FORMATS),
)
def test_date_text_of_a_moment_is_in_local_time_as_the_date_filter_writes(moment, format_string):
    with translation.override("nl"):
        expected = django_date(timezone.localtime(moment), format_string)
        assert date_text(moment, format_string) == expected


def test_date_text_of_nothing_is_empty() -> None:
    assert date_text(None, "j F Y") == ""


def test_a_date_is_written_in_the_active_language() -> None:
    day = datetime.date(2025, 3, 4)
    with translation.override("nl"):
        assert date_text(day, "j F Y") == "4 maart 2025"
    with translation.override("en"):
        assert date_text(day, "j F Y") == "4 March 2025"


@settings(deadline=None)
@given(pk=st.integers(min_value=1, max_value=2**31 - 1))
@pytest.mark.parametrize("view_name", ["requests:detail", "requests:attempt", "residents:detail"])
def test_pk_url_builder_gives_what_reverse_gives(view_name, pk) -> None:
    assert pk_url_builder(view_name)(pk) == reverse(view_name, args=[pk])


def test_pk_url_builder_refuses_a_url_without_a_pk() -> None:
    with pytest.raises(NoReverseMatch):  # the worklist's URL takes no pk
        pk_url_builder("requests:worklist")


def test_pk_url_reverses_once_per_render(monkeypatch) -> None:
    calls: list[str] = []
    real = pk_url_builder

    def counting(view_name: str):
        calls.append(view_name)
        return real(view_name)

    monkeypatch.setattr("wijk.core.templatetags.table_rows.pk_url_builder", counting)
    context = Context()
    context.template = Template("")
    with context.render_context.push_state(context.template):
        urls = [pk_url(context, "requests:detail", pk) for pk in (3, 5, 8)]
    assert urls == [reverse("requests:detail", args=[pk]) for pk in (3, 5, 8)]
    assert calls == ["requests:detail"]


# Values a row may hold: text with every character HTML treats specially, numbers, safe HTML.
ROW_VALUES = st.one_of(
    st.text(alphabet=st.sampled_from(list("<>&'\"{}% aZé€\n"))),
    st.text(),
    st.integers(),
    st.none(),
    st.text().map(lambda text: mark_safe(f"<strong>{text}</strong>")),  # noqa: S308
)


@settings(max_examples=200, deadline=None)
@given(first=ROW_VALUES, second=ROW_VALUES, name=ROW_VALUES)
def test_row_html_writes_what_format_html_writes(first, second, name) -> None:
    template = '<td class="x">{}</td><td title="{}">{name}</td>'
    written = row_html(template, first, second, name=name)
    assert written == format_html(template, first, second, name=name)
    assert isinstance(written, SafeString)


def test_row_html_escapes_text_and_keeps_safe_html() -> None:
    written = row_html("<p>{a} {b}</p>", a="<script>'&\"", b=mark_safe("<em>ok</em>"))
    assert written == "<p>&lt;script&gt;&#x27;&amp;&quot; <em>ok</em></p>"


def test_row_html_writes_a_lazy_translation_in_the_active_language() -> None:
    with translation.override("en"):
        assert row_html("{}", gettext_lazy("Wachtlijst")) == "Waiting list"
    with translation.override("nl"):
        assert row_html("{}", gettext_lazy("Wachtlijst")) == "Wachtlijst"


def test_label_translates_once_per_render(monkeypatch) -> None:
    calls: list[str] = []

    def counting(message: str) -> str:
        calls.append(message)
        return message.upper()

    monkeypatch.setattr("wijk.core.templatetags.table_rows.gettext", counting)
    for _render in range(2):
        context = Context()
        context.template = Template("")
        with context.render_context.push_state(context.template):
            assert [label(context, "Nog niemand") for _ in range(3)] == ["NOG NIEMAND"] * 3
    assert calls == ["Nog niemand", "Nog niemand"]


@pytest.mark.parametrize(("language", "expected"), [("nl", "Nog niemand"), ("en", "No one yet")])
def test_label_is_in_the_language_of_the_render(language, expected) -> None:
    with translation.override(language):
        context = Context()
        context.template = Template("")
        with context.render_context.push_state(context.template):
            assert label(context, "Nog niemand") == expected
