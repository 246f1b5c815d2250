"""The rows of the request lists, and what a row says about who asked and where the request
stands against its deadlines: the same words on the worklists, the waiting list, the team
lead's overview and the request page (the `who` and `deadline` filters)."""

from __future__ import annotations

import datetime

from django import template
from django.template import Context
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_noop, ngettext

from wijk.core.templatetags.dates import date_text
from wijk.core.templatetags.table_rows import label, pk_url, row_html
from wijk.requests.selectors import DeadlineGroup, RequestRow

register = template.Library()


def _day(value: datetime.date | datetime.datetime) -> str:
    return date_text(value, "j F Y")


@register.filter
def who(row: RequestRow) -> str:
    """The resident's name (and whether the household is concerned), or who asked while the
    resident is not known yet."""
    if row.resident_id is not None:
        if row.household_id:
            return row_html("{} {}", row.resident_name, gettext("(en huishouden)"))
        return row.resident_name
    if row.requester_name:
        return row_html("{} {}", row.requester_name, gettext("(inwoner nog niet bekend)"))
    return gettext("Inwoner nog niet bekend")


@register.filter
def deadline(row: RequestRow) -> SafeString:
    """Where the request stands: done, contacted (and the support deadline), or the
    first-contact deadline; with the contact attempts that did not reach the resident."""
    if row.status == "closed" and row.outcome_at is not None:
        text = row_html("{}", gettext("Afgerond op %(date)s.") % {"date": _day(row.outcome_at)})
    elif row.group == DeadlineGroup.CONTACTED and row.first_contact_at is not None:
        contacted = gettext("Eerste contact gehad op %(date)s.") % {
            "date": _day(row.first_contact_at)
        }
        support = {"date": _day(row.support_due)}
        if row.support_overdue:
            text = row_html(
                "{}\n<strong>{}</strong>",
                contacted,
                gettext("Ondersteuning had uiterlijk %(date)s beschikbaar moeten zijn.") % support,
            )
        else:
            text = row_html(
                "{}\n{}",
                contacted,
                gettext("Ondersteuning uiterlijk %(date)s beschikbaar.") % support,
            )
    elif row.group == DeadlineGroup.OVERDUE:
        text = row_html(
            "<strong>{}</strong>",
            gettext("Te laat: eerste contact uiterlijk %(date)s.")
            % {"date": _day(row.first_contact_due)},
        )
    elif row.group == DeadlineGroup.TODAY:
        text = row_html("<strong>{}</strong>", gettext("Eerste contact uiterlijk vandaag."))
    else:
        days = row.first_contact_working_days
        text = row_html(
            "{}",
            ngettext(
                "Eerste contact uiterlijk %(date)s, nog %(days)s werkdag.",
                "Eerste contact uiterlijk %(date)s, nog %(days)s werkdagen.",
                days,
            )
            % {"date": _day(row.first_contact_due), "days": days},
        )
    if row.unreached_attempts:
        attempts = ngettext(
            "%(counter)s keer niet bereikt.",
            "%(counter)s keer niet bereikt.",
            row.unreached_attempts,
        ) % {"counter": row.unreached_attempts}
        text = row_html("{}\n{}", text, attempts)
    return text


# -- whole rows -------------------------------------------------------------------------------
# The worklists, the waiting list and the team lead's overview show up to hundreds of rows:
# each row is one tag writing escaped HTML (see wijk.core.templatetags.table_rows), one
# row_html per row, its fixed words translated once per render.

_WORKLIST_ROW = """<tr class="utrecht-table__row" id="hulpvraag-{pk}">
  <td class="utrecht-table__cell"><a class="utrecht-link" href="{url}">{reference}</a></td>
  <td class="utrecht-table__cell">{received}</td>
  <td class="utrecht-table__cell">{who}<br>{question}</td>
  <td class="utrecht-table__cell">{deadline}</td>{assignee}
  <td class="utrecht-table__cell">{actions}
  </td>
</tr>"""
_ASSIGNEE_CELL = '\n  <td class="utrecht-table__cell">{}</td>'
_CONTACT_FORM = """<form method="post" action="{url}" class="utrecht-button-group" \
hx-post="{url}" hx-target="closest tr" hx-swap="outerHTML">
      <input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
      <input type="hidden" name="next" value="{next}">
      <input type="hidden" name="weergave" value="{view}">
      <button type="submit" name="reached" value="ja" id="bereikt-{pk}" \
class="utrecht-button utrecht-button--primary-action" aria-label="{reached_label}">\
{reached}</button>
      <button type="submit" name="reached" value="nee" id="niet-bereikt-{pk}" \
class="utrecht-button utrecht-button--secondary-action" aria-label="{unreached_label}">\
{unreached}</button>
    </form>"""
_WAITING_ROW = """<tr class="utrecht-table__row">
  <td class="utrecht-table__cell utrecht-table__cell--numeric-data">{rank}</td>
  <td class="utrecht-table__cell"><a class="utrecht-link" href="{url}">{reference}</a></td>
  <td class="utrecht-table__cell">{received}</td>
  <td class="utrecht-table__cell utrecht-table__cell--numeric-data">{waiting_days}</td>
  <td class="utrecht-table__cell">{support_due}{overdue}</td>
  <td class="utrecht-table__cell">{who}</td>
  <td class="utrecht-table__cell">{team}</td>
  <td class="utrecht-table__cell">{assignee}</td>
</tr>"""
_OPEN_REQUEST_ROW = """<tr class="utrecht-table__row">
  <td class="utrecht-table__cell"><a class="utrecht-link" href="{url}">{reference}</a></td>
  <td class="utrecht-table__cell">{received}</td>
  <td class="utrecht-table__cell">{who}<br>{question}</td>
  <td class="utrecht-table__cell">{status}</td>
  <td class="utrecht-table__cell">{deadline}</td>
  <td class="utrecht-table__cell">{team}</td>
  <td class="utrecht-table__cell">{assignee}</td>
</tr>"""


_NOBODY = gettext_noop("Nog niemand")
_DONE = gettext_noop("Afgerond")
_REACHED = gettext_noop("Contact gehad")
_REACHED_LABEL = gettext_noop("Contact gehad, hulpvraag %(reference)s")
_UNREACHED = gettext_noop("Niet bereikt")
_UNREACHED_LABEL = gettext_noop("Niet bereikt, hulpvraag %(reference)s")
_EXPIRED = gettext_noop("(verlopen)")


def _assignee(context: Context, row: RequestRow) -> str:
    return row.assignee_name or label(context, _NOBODY)


def _question(row: RequestRow) -> str:
    return Truncator(row.question).chars(80)


@register.simple_tag(takes_context=True)
def worklist_row(context: Context, row: RequestRow) -> SafeString:
    """A row of a worklist: the request, where it stands, and the buttons that record a
    contact (a form of its own, which htmx posts to swap this row)."""
    if row.status == "closed":
        actions = label(context, _DONE)
    else:
        actions = row_html(
            _CONTACT_FORM,
            url=pk_url(context, "requests:attempt", row.pk),
            csrf=context.get("csrf_token", ""),
            next=context.get("next", ""),
            view=context.get("weergave", ""),
            pk=row.pk,
            reached_label=label(context, _REACHED_LABEL) % {"reference": row.reference},
            reached=label(context, _REACHED),
            unreached_label=label(context, _UNREACHED_LABEL) % {"reference": row.reference},
            unreached=label(context, _UNREACHED),
        )
    return row_html(
        _WORKLIST_ROW,
        pk=row.pk,
        url=pk_url(context, "requests:detail", row.pk),
        reference=row.reference,
        received=date_text(row.received_on, "j M Y"),
        who=who(row),
        question=_question(row),
        deadline=deadline(row),
        assignee=row_html(_ASSIGNEE_CELL, _assignee(context, row))
        if context.get("show_assignee")
        else "",
        actions=actions,
    )


@register.simple_tag(takes_context=True)
def waiting_row(context: Context, row: RequestRow, rank: int) -> SafeString:
    """A row of the waiting list: its place in the ranking, how long it waits, and who."""
    return row_html(
        _WAITING_ROW,
        rank=rank,
        url=pk_url(context, "requests:detail", row.pk),
        reference=row.reference,
        received=date_text(row.received_on, "j M Y"),
        waiting_days=row.waiting_days,
        support_due=date_text(row.support_due, "j M Y"),
        overdue=row_html(" <strong>{}</strong>", label(context, _EXPIRED))
        if row.support_overdue
        else "",
        who=who(row),
        team=row.team_name,
        assignee=_assignee(context, row),
    )


@register.simple_tag(takes_context=True)
def open_request_row(context: Context, row: RequestRow) -> SafeString:
    """A row of the team lead's overview of open requests."""
    return row_html(
        _OPEN_REQUEST_ROW,
        url=pk_url(context, "requests:detail", row.pk),
        reference=row.reference,
        received=date_text(row.received_on, "j M Y"),
        who=who(row),
        question=_question(row),
        status=row.status_label,
        deadline=deadline(row),
        team=row.team_name,
        assignee=_assignee(context, row),
    )
