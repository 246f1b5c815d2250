"""The monitoring pages: deadline compliance, waiting-list counts, inflow and outflow, their
reasons, and reach. Thin: read the filters, call the selectors, turn the counts into figures
(wijk.monitoring.figures: exact for the consortium, without small numbers for the
municipality), render. Counts only; the selectors decide which teams a role may see, and roles
without a page get the same 404 as for a page that does not exist. The deadlines page also
shows what other apps count for it (wijk.monitoring.sources): plan and pgb evaluations on
time, and the number of meldcode cases opened.

Each page works as a plain GET form without JavaScript; with htmx the filter swaps only the
results in (the `results` partial) and pushes the filtered URL."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import cast

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from wijk.accounts.models import User
from wijk.monitoring.figures import (
    compliance_display,
    count_display,
    evaluations_display,
    flows_display,
    reach_display,
    reasons_display,
)
from wijk.monitoring.forms import FilterForm, PeriodFilterForm
from wijk.monitoring.selectors import (
    DETAIL_LIMIT,
    MonitoringScope,
    PeriodUnit,
    WijkOption,
    contacts_per_wijk,
    deadline_compliance,
    inflow_outflow,
    monitoring_scope_for,
    period_end,
    period_start,
    reach_per_wijk,
    reason_counts,
    recent_periods,
    teams_in_scope,
    waiting_counts,
    waiting_total,
    wijk_options,
)
from wijk.monitoring.sources import count_rows, due_rows


class MonitoringRequest(HttpRequest):
    """A request of a verified user whose role may open the page."""

    user: User


type MonitoringView = Callable[[MonitoringRequest, MonitoringScope], HttpResponse]


def monitoring_page(page: str) -> Callable[[MonitoringView], Callable[[HttpRequest], HttpResponse]]:
    """Let in the roles whose scope includes `page` ("compliance", "waiting", "flows");
    the others get 404, as for person-level pages."""

    def decorator(view: MonitoringView) -> Callable[[HttpRequest], HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest) -> HttpResponse:
            scope = monitoring_scope_for(request.user)
            if not getattr(scope, page):
                return render(request, "core/not_found.html", status=404)
            return view(cast(MonitoringRequest, request), scope)

        return wrapped

    return decorator


def _render(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    if getattr(request, "htmx", False):
        return render(request, f"{template}#results", context)
    return render(request, template, context)


def _query(request: HttpRequest) -> QueryDict | None:
    """The filters as sent, or None for the page's defaults (a page opened without them)."""
    return request.GET if request.GET else None


@require_GET
@monitoring_page("compliance")
def compliance(request: MonitoringRequest, scope: MonitoringScope) -> HttpResponse:
    teams = teams_in_scope(user=request.user, scope=scope)
    wijken = wijk_options()
    form = FilterForm(_query(request), teams=teams if scope.per_team else None, wijken=wijken)
    months = form.value("months")
    team = form.value("team")
    wijk = form.value("wijk") or None
    today = timezone.localdate()
    rows = deadline_compliance(
        months=months,
        team_ids=[team] if team is not None else [option.pk for option in teams],
        # Protected figures come from the whole city's tables; the wijk is picked afterwards.
        wijk_code=wijk if scope.exact else None,
        per_team=scope.per_team,
        today=today,
    )
    overview = compliance_display(
        rows,
        months=months,
        today=today,
        exact_counts=scope.exact,
        wijken=wijken,
        wijk=wijk,
        detail_limit=DETAIL_LIMIT,
    )
    context = {
        "form": form,
        "scope": scope,
        "months": months,
        "overview": overview,
        "rows": overview.rows,
        "detail_limit": DETAIL_LIMIT,
        "no_teams": not scope.all_teams and not teams,
        **_given_by_apps(
            scope,
            months=months,
            today=today,
            team_ids=[team] if team is not None else [option.pk for option in teams],
            team_names={option.pk: option.name for option in teams},
            wijken=wijken,
            wijk=wijk,
        ),
    }
    return _render(request, "monitoring/compliance.html", context)


def _given_by_apps(
    scope: MonitoringScope,
    *,
    months: int,
    today: datetime.date,
    team_ids: list[int],
    team_names: dict[int, str],
    wijken: list[WijkOption],
    wijk: str | None,
) -> dict[str, object]:
    """The figures the plans, decisions and meldcode apps give the deadlines page
    (wijk.monitoring.sources, ADR 0042): evaluations on time of plans and of pgbs, and the
    number of meldcode cases opened. None where no installed app gives them."""
    start, end = period_start(today, months), period_end(today)
    context: dict[str, object] = {}
    for kind, name in (
        ("plan_evaluation", "plan_evaluations"),
        ("pgb_evaluation", "pgb_evaluations"),
    ):
        rows = due_rows(kind, start=start, end=end, team_ids=team_ids, today=today)
        context[name] = (
            None
            if rows is None
            else evaluations_display(
                rows,
                months=months,
                today=today,
                exact_counts=scope.exact,
                wijken=wijken,
                wijk=wijk,
                teams=team_names if scope.per_team else {},
                detail_limit=DETAIL_LIMIT,
            )
        )
    # The meldcode: never per team, also when the page shows one team (ADR 0042): all the
    # teams of the user's scope, or the chosen team's count and the whole's would tell the
    # other teams' count by subtraction, however small.
    opened = count_rows("meldcode_opened", start=start, end=end, team_ids=list(team_names))
    context["meldcode"] = (
        None
        if opened is None
        else count_display(opened, months=months, today=today, wijken=wijken, wijk=wijk)
    )
    return context


@require_GET
@monitoring_page("waiting")
def waiting(request: MonitoringRequest, scope: MonitoringScope) -> HttpResponse:
    teams = teams_in_scope(user=request.user, scope=scope)
    form = FilterForm(_query(request), period=False, teams=teams)
    team = form.value("team")
    today = timezone.localdate()
    rows = waiting_counts(
        team_ids=[team] if team is not None else [option.pk for option in teams], today=today
    )
    context = {
        "form": form,
        "rows": rows,
        "total": waiting_total(rows),
        "today": today,
        "no_teams": not scope.all_teams and not teams,
    }
    return _render(request, "monitoring/waiting.html", context)


@require_GET
@monitoring_page("flows")
def flows(request: MonitoringRequest, scope: MonitoringScope) -> HttpResponse:
    form = FilterForm(_query(request))
    months = form.value("months")
    figures = flows_display(inflow_outflow(months=months), exact_counts=scope.exact)
    tables = [
        {
            "title": _("Instroom"),
            "caption": _("Instroom per maand, in unieke inwoners"),
            "caption_id": "instroom",
            "total": figures.inflow,
            "rows": figures.inflow_months,
        },
        {
            "title": _("Uitstroom"),
            "caption": _("Uitstroom per maand, in unieke inwoners"),
            "caption_id": "uitstroom",
            "total": figures.outflow,
            "rows": figures.outflow_months,
        },
    ]
    context = {"form": form, "scope": scope, "months": months, "tables": tables}
    return _render(request, "monitoring/flows.html", context)


@require_GET
@monitoring_page("flows")
def reach(request: MonitoringRequest, scope: MonitoringScope) -> HttpResponse:
    wijken = wijk_options()
    form = PeriodFilterForm(_query(request), wijken=wijken)
    periods = recent_periods(form.value("unit"), form.value("periods"), timezone.localdate())
    figures = reach_display(
        periods,
        residents=reach_per_wijk(periods),
        contacts=contacts_per_wijk(periods[-1].start, periods[0].end),
        wijken=wijken,
        wijk=form.value("wijk"),
        exact_counts=scope.exact,
    )
    context = {"form": form, "scope": scope, "figures": figures}
    return _render(request, "monitoring/reach.html", context)


@require_GET
@monitoring_page("flows")
def flow_reasons(request: MonitoringRequest, scope: MonitoringScope) -> HttpResponse:
    wijken = wijk_options()
    # The municipality's reasons are protected per quarter and a year adds its quarters up;
    # months beside quarters would let a quarter minus two months give the third away.
    units = PeriodUnit.ALL if scope.exact else (PeriodUnit.QUARTER, PeriodUnit.YEAR)
    form = PeriodFilterForm(_query(request), units=units, wijken=wijken)
    unit = form.value("unit")
    periods = recent_periods(unit, form.value("periods"), timezone.localdate())
    counted_per = PeriodUnit.MONTH if unit == PeriodUnit.MONTH else PeriodUnit.QUARTER
    figures = reasons_display(
        periods,
        counts=reason_counts(unit=counted_per, start=periods[-1].start, end=periods[0].end),
        unit=counted_per,
        wijken=wijken,
        wijk=form.value("wijk"),
        exact_counts=scope.exact,
    )
    context = {"form": form, "scope": scope, "figures": figures}
    return _render(request, "monitoring/flow_reasons.html", context)
