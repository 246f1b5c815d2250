"""Dates as text, the way lists show them: `{{ row.received_on|date_text:"DATE_FORMAT" }}`.

Django's `date` filter parses its format and looks up the translated month names on every call;
a list shows the same few dates on many rows. `date_text` gives the same text as `date` for a
date, remembered per date, format and language. A datetime is shown in local time as `date`
shows it, and remembered only for formats without a time of day."""

from __future__ import annotations

import datetime
from functools import lru_cache

from django import template
from django.utils import formats, timezone, translation

register = template.Library()

_TIME_CHARACTERS = frozenset("aAefgGhHiIOPsTuUZcr")


@lru_cache(maxsize=8192)
def _day_text(value: datetime.date, format_string: str, language: str | None) -> str:
    """`language` is part of the key: the text of the language active when it was made."""
    return formats.date_format(value, format_string)


def date_text(value: datetime.date | datetime.datetime | None, format_string: str) -> str:
    """The date (or a datetime's local date and time) in `format_string`, as Django's `date`
    filter writes it; "" for None."""
    if value is None:
        return ""
    if format_string.endswith("_FORMAT"):  # a named format of the language: "DATE_FORMAT"
        format_string = formats.get_format(format_string)
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        if _TIME_CHARACTERS.isdisjoint(format_string):
            value = local.date()
        else:
            return formats.date_format(local, format_string)
    return _day_text(value, format_string, translation.get_language())


register.filter("date_text", date_text)
