"""What the rows of long tables share when a template tag builds them in Python, as Django's
admin builds the rows of its change lists (`admin_list.items_for_result`): a template renders
each variable, filter and tag of a row as a node of its own, which for lists of dozens of rows
costs more than the rest of the page. A row tag writes the same HTML with `row_html`, so
every value is escaped as a template would.

- `row_html` is `format_html` with the escaping done directly: Django's
  escaping functions check every argument for lazy translations first, which costs more than
  the escaping itself when a list writes hundreds of values.
- `label` translates a fixed text of a row once per table render, not once per row.
- `pk_url` reverses a URL of many records at the cost of one `reverse` per table render."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from django.template import Context
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def _escaped(value: Any) -> str:
    """What `conditional_escape` gives: safe HTML as it is, anything else escaped."""
    to_html = getattr(value, "__html__", None)
    if to_html is not None:
        text: str = to_html()
        return text
    return html.escape(str(value))  # a lazy translation: its text in the active language


def row_html(template: str, /, *args: Any, **values: Any) -> SafeString:
    """`format_html(template, *args, **values)` for a row: each value escaped unless it is
    safe HTML. The template's own text is taken as HTML, as format_html takes it."""
    return mark_safe(  # noqa: S308  (every value is escaped above; the template is ours)
        template.format(
            *map(_escaped, args), **{name: _escaped(value) for name, value in values.items()}
        )
    )


def label(context: Context, message: str) -> str:
    """`gettext(message)`, translated once per template render (kept in the render context).
    Mark the message for translation where it is defined, with gettext_noop."""
    key = f"wijk_label {message}"
    text = context.render_context.get(key)
    if text is None:
        text = context.render_context[key] = gettext(message)
    return str(text)


# A pk no table shows: the URL is reversed for it once and the real pk put in its place.
_MARKER = 987654321


def pk_url_builder(view_name: str) -> Callable[[int], str]:
    """`reverse(view_name, args=[pk])` for any pk, reversing once. For URLs whose only
    argument is an id (`<id:pk>`)."""
    url = reverse(view_name, args=[_MARKER])
    head, marker, tail = url.partition(str(_MARKER))
    if not marker or str(_MARKER) in tail:
        raise ValueError(f"{view_name} does not take the pk once as a path segment")

    def url_for(pk: int) -> str:
        return f"{head}{int(pk)}{tail}"

    return url_for


def pk_url(context: Context, view_name: str, pk: int) -> str:
    """The URL of `view_name` for `pk`, with one reverse per view name and template render
    (the builder is kept in the render context, which lives as long as the render)."""
    key = f"wijk_pk_url {view_name}"
    builder = context.render_context.get(key)
    if builder is None:
        builder = context.render_context[key] = pk_url_builder(view_name)
    url: str = builder(pk)
    return url
