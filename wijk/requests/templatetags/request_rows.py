"""What a row of a request list says about who asked and where the request stands against
its deadlines: the same words on the worklists, the waiting list, the team lead's overview
and the request page. Filters rather than included templates: a list renders them once per
row, and an include costs several times more than these few lines of Python."""

from __future__ import annotations

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from wijk.requests.selectors import DeadlineGroup, RequestRow

register = template.Library()


def _day(value: datetime.date | datetime.datetime) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "j F Y")


@register.filter
def who(row: RequestRow) -> str:
    """The resident's name (and whether the household is concerned), or who asked while the
    resident is not known yet."""
    help_request = row.help_request
    if help_request.resident_id is not None and help_request.resident is not None:
        if help_request.household_id:
            return format_html("{} {}", help_request.resident.full_name, gettext("(en huishouden)"))
        return help_request.resident.full_name
    if help_request.requester_name:
        return format_html(
            "{} {}", help_request.requester_name, gettext("(inwoner nog niet bekend)")
        )
    return gettext("Inwoner nog niet bekend")


@register.filter
def deadline(row: RequestRow) -> SafeString:
    """Where the request stands: done, contacted (and the support deadline), or the
    first-contact deadline; with the contact attempts that did not reach the resident."""
    help_request = row.help_request
    if help_request.status == "closed" and help_request.outcome_at is not None:
        text = format_html(
            "{}", gettext("Afgerond op %(date)s.") % {"date": _day(help_request.outcome_at)}
        )
    elif row.group == DeadlineGroup.CONTACTED and help_request.first_contact_at is not None:
        contacted = gettext("Eerste contact gehad op %(date)s.") % {
            "date": _day(help_request.first_contact_at)
        }
        support = {"date": _day(help_request.support_due)}
        if row.support_overdue:
            text = format_html(
                "{}\n<strong>{}</strong>",
                contacted,
                gettext("Ondersteuning had uiterlijk %(date)s beschikbaar moeten zijn.") % support,
            )
        else:
            text = format_html(
                "{}\n{}",
                contacted,
                gettext("Ondersteuning uiterlijk %(date)s beschikbaar.") % support,
            )
    elif row.group == DeadlineGroup.OVERDUE:
        text = format_html(
            "<strong>{}</strong>",
            gettext("Te laat: eerste contact uiterlijk %(date)s.")
            % {"date": _day(help_request.first_contact_due)},
        )
    elif row.group == DeadlineGroup.TODAY:
        text = format_html("<strong>{}</strong>", gettext("Eerste contact uiterlijk vandaag."))
    else:
        days = row.first_contact_working_days
        text = format_html(
            "{}",
            ngettext(
                "Eerste contact uiterlijk %(date)s, nog %(days)s werkdag.",
                "Eerste contact uiterlijk %(date)s, nog %(days)s werkdagen.",
                days,
            )
            % {"date": _day(help_request.first_contact_due), "days": days},
        )
    if row.unreached_attempts:
        attempts = ngettext(
            "%(counter)s keer niet bereikt.",
            "%(counter)s keer niet bereikt.",
            row.unreached_attempts,
        ) % {"counter": row.unreached_attempts}
        text = format_html("{}\n{}", text, attempts)
    return text
