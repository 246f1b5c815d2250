"""What the rows of long tables share when a template tag builds them in Python, as Django's
admin builds the rows of its change lists (`admin_list.items_for_result`): a template renders
each variable, filter and tag of a row as a node of its own, which for lists of dozens of rows
costs more than the rest of the page. A row tag writes the same HTML with `format_html`, so
every value is escaped as a template would.

`pk_url` reverses a URL of many records at the cost of one `reverse` per table render."""

from __future__ import annotations

from collections.abc import Callable

from django.template import Context
from django.urls import reverse

# A pk no table shows: the URL is reversed for it once and the real pk put in its place.
_MARKER = 987654321


def pk_url_builder(view_name: str) -> Callable[[int], str]:
    """`reverse(view_name, args=[pk])` for any pk, reversing once. For URLs whose only
    argument is an integer pk (`<int:pk>`)."""
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
