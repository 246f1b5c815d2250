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
    return date_text(value, "DATE_FORMAT")


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

_WORKLIST_ROW = """<tr class="utrecht-table__row" id="hulpvraag-{pk}"{focus}>{choose}
  <td class="utrecht-table__cell"><a class="utrecht-link" href="{url}">{reference}</a></td>
  <td class="utrecht-table__cell">{received}</td>
  <td class="utrecht-table__cell">{who}<br>{question}</td>
  <td class="utrecht-table__cell">{deadline}</td>{assignee}
  <td class="utrecht-table__cell">{actions}
  </td>
</tr>"""
_ASSIGNEE_CELL = '\n  <td class="utrecht-table__cell">{}{}</td>'
# The team lead's checkbox for "Toewijzen aan" (its form is outside the table: form="...");
# the value carries whom the row showed as the holder, so a change meanwhile is not overwritten.
_CHOOSE_CELL = """
  <td class="utrecht-table__cell"><input type="checkbox" \
class="utrecht-checkbox utrecht-checkbox--html-input" name="requests" value="{pk}-{expected}" \
form="toewijzen" id="kies-{pk}" aria-label="{choose_label}"{checked}></td>"""
_PICK_UP_FORM = """
    <form method="post" action="{url}" class="utrecht-button-group" \
hx-post="{url}" hx-target="closest tr" hx-swap="outerHTML focus-scroll:true">
      <input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
      <input type="hidden" name="next" value="{next}">
      <input type="hidden" name="weergave" value="{view}">
      <button type="submit" id="oppakken-{pk}" \
class="utrecht-button utrecht-button--secondary-action" aria-label="{pick_up_label}">\
{pick_up}</button>
    </form>"""
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
  <td class="utrecht-table__cell">{assignee}<br><a class="utrecht-link" href="{assign_url}" \
aria-label="{assign_label}">{assign}</a></td>
</tr>"""


_NOBODY = gettext_noop("Nog niemand")
_DONE = gettext_noop("Afgerond")
_REACHED = gettext_noop("Contact gehad")
_REACHED_LABEL = gettext_noop("Contact gehad, hulpvraag %(reference)s")
_UNREACHED = gettext_noop("Niet bereikt")
_UNREACHED_LABEL = gettext_noop("Niet bereikt, hulpvraag %(reference)s")
_EXPIRED = gettext_noop("(verlopen)")
_PICK_UP = gettext_noop("Oppakken")
_PICK_UP_LABEL = gettext_noop("Oppakken, hulpvraag %(reference)s")
_CHOOSE_LABEL = gettext_noop("Kies hulpvraag %(reference)s")
_ASSIGN = gettext_noop("Toewijzen")
_ASSIGN_LABEL = gettext_noop("Toewijzen, hulpvraag %(reference)s")


def _assignee(context: Context, row: RequestRow) -> str:
    return row.assignee_name or label(context, _NOBODY)


def _question(row: RequestRow) -> str:
    return Truncator(row.question).chars(80)


def _choose_cell(context: Context, row: RequestRow) -> SafeString:
    if row.status == "closed":
        return row_html('\n  <td class="utrecht-table__cell"></td>')
    return row_html(
        _CHOOSE_CELL,
        pk=row.pk,
        expected=row.assignee_id or 0,
        choose_label=label(context, _CHOOSE_LABEL) % {"reference": row.reference},
        checked=row_html(" checked") if row.pk in (context.get("ticked") or ()) else "",
    )


def _pick_up_form(context: Context, row: RequestRow) -> SafeString | str:
    """ "Oppakken" on an open request nobody has yet, on the team worklist."""
    if row.assignee_id is not None or row.status == "closed":
        return ""
    return row_html(
        _PICK_UP_FORM,
        url=pk_url(context, "requests:pick_up", row.pk),
        csrf=context.get("csrf_token", ""),
        next=context.get("next", ""),
        view=context.get("weergave", ""),
        pk=row.pk,
        pick_up_label=label(context, _PICK_UP_LABEL) % {"reference": row.reference},
        pick_up=label(context, _PICK_UP),
    )


@register.simple_tag(takes_context=True)
def worklist_row(context: Context, row: RequestRow) -> SafeString:
    """A row of a worklist: the request, where it stands, and the buttons that record a
    contact (a form of its own, which htmx posts to swap this row). On the team worklist:
    "Oppakken" while nobody has it, and the team lead's checkbox for "Toewijzen aan". A row
    swapped in by htmx takes the focus (`focus_row`), as the button pressed is gone."""
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
        focus=row_html(' tabindex="-1" autofocus') if context.get("focus_row") else "",
        choose=_choose_cell(context, row) if context.get("can_assign") else "",
        url=pk_url(context, "requests:detail", row.pk),
        reference=row.reference,
        received=date_text(row.received_on, "DATE_FORMAT"),
        who=who(row),
        question=_question(row),
        deadline=deadline(row),
        assignee=row_html(_ASSIGNEE_CELL, _assignee(context, row), _pick_up_form(context, row))
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
        received=date_text(row.received_on, "DATE_FORMAT"),
        waiting_days=row.waiting_days,
        support_due=date_text(row.support_due, "DATE_FORMAT"),
        overdue=row_html(" <strong>{}</strong>", label(context, _EXPIRED))
        if row.support_overdue
        else "",
        who=who(row),
        team=row.team_name,
        assignee=_assignee(context, row),
    )


@register.simple_tag(takes_context=True)
def open_request_row(context: Context, row: RequestRow) -> SafeString:
    """A row of the team lead's overview of open requests, with the link to assign it."""
    return row_html(
        _OPEN_REQUEST_ROW,
        assign_url=pk_url(context, "requests:assign", row.pk),
        assign_label=label(context, _ASSIGN_LABEL) % {"reference": row.reference},
        assign=label(context, _ASSIGN),
        url=pk_url(context, "requests:detail", row.pk),
        reference=row.reference,
        received=date_text(row.received_on, "DATE_FORMAT"),
        who=who(row),
        question=_question(row),
        status=row.status_label,
        deadline=deadline(row),
        team=row.team_name,
        assignee=_assignee(context, row),
    )
