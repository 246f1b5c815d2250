"""The rows of the resident search results: one tag per row writing escaped HTML (see
wijk.core.templatetags.table_rows), for up to SEARCH_LIMIT rows."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import SafeString
from django.utils.translation import gettext_noop

from wijk.core.templatetags.dates import date_text
from wijk.core.templatetags.table_rows import label, pk_url, row_html
from wijk.residents.selectors import ResidentListing

register = template.Library()

_SEARCH_ROW = """<tr class="utrecht-table__row">
        <td class="utrecht-table__cell"><a class="utrecht-link" href="{url}">{name}</a></td>
        <td class="utrecht-table__cell">{born}</td>
        <td class="utrecht-table__cell">{address}</td>
      </tr>"""
_NO_ADDRESS = gettext_noop("geen vast adres")


@register.simple_tag(takes_context=True)
def resident_search_row(context: Context, resident: ResidentListing) -> SafeString:
    """A resident found: the name links to their page."""
    return row_html(
        _SEARCH_ROW,
        url=pk_url(context, "residents:detail", resident.pk),
        name=resident.full_name,
        born=date_text(resident.date_of_birth, "DATE_FORMAT"),
        address=resident.address or label(context, _NO_ADDRESS),
    )
