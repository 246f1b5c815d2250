"""The rows of the one worklist (wijk.core.worklist): a page of up to hundreds of rows from
every app, each written by one tag with `row_html` (ADR 0013, 0014), its fixed words
translated once per render."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop, ngettext

from wijk.core.templatetags.dates import date_text
from wijk.core.templatetags.table_rows import label, row_html
from wijk.core.worklist import WorkRow

register = template.Library()

_ROW = """<tr class="utrecht-table__row">
  <td class="utrecht-table__cell">{kind}</td>
  <td class="utrecht-table__cell"><a class="utrecht-link" href="{url}">{title}</a></td>
  <td class="utrecht-table__cell">{resident}</td>
  <td class="utrecht-table__cell">{due}</td>{holder}
</tr>"""
_HOLDER_CELL = '\n  <td class="utrecht-table__cell">{}</td>'
_DATE = '<time datetime="{}">{}</time>'

_NO_RESIDENT = gettext_noop("Inwoner nog niet bekend")
_NOBODY = gettext_noop("Nog niemand")
_NO_DATE = gettext_noop("Geen datum")
_OVERDUE = gettext_noop("Te laat")


def due_text(row: WorkRow) -> SafeString:
    """The date, and for overdue work by how many working days it is late."""
    due = row.item.due
    if due is None:
        return row_html("{}", gettext(_NO_DATE))
    day = row_html(_DATE, due.isoformat(), date_text(due, "DATE_FORMAT"))
    if row.group != "overdue":
        return day
    days = row.overdue_working_days
    late = (
        ngettext("%(days)s werkdag te laat", "%(days)s werkdagen te laat", days) % {"days": days}
        if days
        else gettext(_OVERDUE)
    )
    return row_html("{}<br><strong>{}</strong>", day, late)


@register.simple_tag(takes_context=True)
def work_row(context: Context, row: WorkRow, show_holder: bool) -> SafeString:
    item = row.item
    kinds = context.render_context.get("wijk_work_kinds")
    if kinds is None:  # each kind's label translated once per render, not once per row
        kinds = context.render_context["wijk_work_kinds"] = {}
    kind = kinds.get(item.kind)
    if kind is None:
        kind = kinds[item.kind] = item.kind_label
    return row_html(
        _ROW,
        kind=kind,
        url=item.url,
        title=item.title,
        resident=item.resident_name or label(context, _NO_RESIDENT),
        due=due_text(row),
        holder=(
            row_html(_HOLDER_CELL, item.holder_name or label(context, _NOBODY))
            if show_holder
            else ""
        ),
    )
