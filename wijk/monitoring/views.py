"""The monitoring pages: deadline compliance, waiting-list counts, inflow and outflow, their
reasons, and reach. Thin: read the filters, read the figures, render. Reach, inflow and
outflow, their reasons and the municipality's deadlines are the indicators' rows as the
dashboard reads them (`dashboard.role_rows`, docs/adr/0052); the per-team counts of team
leads and management and the waiting list per team are the selectors' (wijk.monitoring.figures
turns them into figures). Counts only; the selectors decide which teams a role may see, and roles
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
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.core.background import job_open_for_user, job_start
from wijk.core.params import query_choices
from wijk.core.quality import (
    QUALITY_LIST_LIMIT,
    has_rows,
    quality_checks,
    quality_rows,
    team_counts,
)
from wijk.core.replica import reporting_reads
from wijk.monitoring.dashboard import Dashboard, areas, dashboard, role_rows
from wijk.monitoring.downloads import XLSX_TYPE, download_csv, download_xlsx
from wijk.monitoring.figures import (
    DEADLINE_CODES,
    EVALUATION_CODES,
    FLOW_CODES,
    REACH_CODES,
    REASON_CODES,
    IndicatorFigures,
    compliance_display,
    compliance_from_indicators,
    count_display,
    evaluations_display,
    evaluations_from_indicators,
    flows_display,
    reach_display,
    reasons_display,
)
from wijk.monitoring.forms import DashboardForm, FilterForm, PeriodFilterForm
from wijk.monitoring.indicators import AREA_CITY, AREA_WIJK, CONTRACT_START, indicator_codes
from wijk.monitoring.quality import quality_figures, wijk_name
from wijk.monitoring.selectors import (
    DETAIL_LIMIT,
    MonitoringScope,
    Period,
    PeriodUnit,
    WijkOption,
    deadline_compliance,
    monitoring_scope_for,
    period_end,
    period_start,
    recent_periods,
    teams_in_scope,
    waiting_counts,
    waiting_total,
    wijk_options,
)
from wijk.monitoring.sources import count_rows, due_rows
from wijk.monitoring.tasks import figures_file


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
    team_ids = [team] if team is not None else [option.pk for option in teams]
    if scope.exact:
        # Team leads (their own teams) and management: exact, per team (ADR 0052).
        overview = compliance_display(
            deadline_compliance(
                months=months,
                team_ids=team_ids,
                wijk_code=wijk,
                per_team=scope.per_team,
                today=today,
            ),
            months=months,
            today=today,
            detail_limit=DETAIL_LIMIT,
        )
        evaluations = _evaluations_exact(
            scope,
            months=months,
            today=today,
            team_ids=team_ids,
            team_names={option.pk: option.name for option in teams},
            wijken=wijken,
            wijk=wijk,
        )
    else:
        # The municipality: the indicators per month, as on the dashboard and in the
        # delivery, published where published (ADR 0052).
        with reporting_reads():
            periods = recent_periods(PeriodUnit.MONTH, months, today)
            rows = IndicatorFigures(
                role_rows(
                    periods=periods,
                    codes=(*DEADLINE_CODES, *EVALUATION_CODES.values()),
                    exact=False,
                    levels=(AREA_CITY, AREA_WIJK),
                    today=today,
                )
            )
        overview = compliance_from_indicators(
            periods, rows, wijken=wijken, wijk=wijk, detail_limit=DETAIL_LIMIT
        )
        evaluations = {
            f"{kind}s": evaluations_from_indicators(
                code, periods, rows, wijken=wijken, wijk=wijk, detail_limit=DETAIL_LIMIT
            )
            for kind, code in EVALUATION_CODES.items()
        }
    context = {
        "form": form,
        "scope": scope,
        "months": months,
        "overview": overview,
        "rows": overview.rows,
        "detail_limit": DETAIL_LIMIT,
        "no_teams": not scope.all_teams and not teams,
        **evaluations,
        "meldcode": _meldcode(
            months=months,
            today=today,
            team_ids=[option.pk for option in teams],
            wijken=wijken,
            wijk=wijk,
        ),
    }
    return _render(request, "monitoring/compliance.html", context)


def _evaluations_exact(
    scope: MonitoringScope,
    *,
    months: int,
    today: datetime.date,
    team_ids: list[int],
    team_names: dict[int, str],
    wijken: list[WijkOption],
    wijk: str | None,
) -> dict[str, object]:
    """The evaluations on time that the plans and decisions apps give the deadlines page
    (wijk.monitoring.sources, ADR 0042), exact, per team. None where no installed app gives
    them."""
    start, end = period_start(today, months), period_end(today)
    context: dict[str, object] = {}
    for kind in ("plan_evaluation", "pgb_evaluation"):
        rows = due_rows(kind, start=start, end=end, team_ids=team_ids, today=today)
        context[f"{kind}s"] = (
            None
            if rows is None
            else evaluations_display(
                rows,
                months=months,
                today=today,
                wijken=wijken,
                wijk=wijk,
                teams=team_names if scope.per_team else {},
                detail_limit=DETAIL_LIMIT,
            )
        )
    return context


def _meldcode(
    *,
    months: int,
    today: datetime.date,
    team_ids: list[int],
    wijken: list[WijkOption],
    wijk: str | None,
) -> object:
    """The number of meldcode cases opened (ADR 0042), protected for every role; no indicator
    (ADR 0052). Never per team, also when the page shows one team: all the teams of the
    user's scope, or the chosen team's count and the whole's would tell the other teams'
    count by subtraction, however small. None where the meldcode app is not installed."""
    start, end = period_start(today, months), period_end(today)
    opened = count_rows("meldcode_opened", start=start, end=end, team_ids=team_ids)
    if opened is None:
        return None
    return count_display(opened, months=months, today=today, wijken=wijken, wijk=wijk)


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


def _indicator_page(
    request: MonitoringRequest,
    scope: MonitoringScope,
    *,
    codes: tuple[str, ...],
    units: tuple[str, ...] = PeriodUnit.ALL,
    default_unit: str = PeriodUnit.QUARTER,
) -> tuple[PeriodFilterForm, list[Period], IndicatorFigures, list[WijkOption]]:
    """The filters and the rows of a page that shows indicators: the dashboard's rows for the
    same periods and role (docs/adr/0052), read on the read replica when there is one."""
    with reporting_reads():
        wijken = wijk_options()
        form = PeriodFilterForm(
            _query(request),
            units=units,
            wijken=wijken,
            default_periods=12 if default_unit == PeriodUnit.MONTH else 4,
            default_unit=default_unit,
        )
        today = timezone.localdate()
        periods = recent_periods(form.value("unit"), form.value("periods"), today)
        rows = role_rows(
            periods=periods,
            codes=codes,
            # As on the dashboard: management exact, the others the municipality's figures.
            exact=scope.exact and scope.all_teams,
            levels=(AREA_CITY, AREA_WIJK),
            today=today,
        )
    return form, periods, IndicatorFigures(rows), wijken


@require_GET
@monitoring_page("flows")
def flows(request: MonitoringRequest, scope: MonitoringScope) -> HttpResponse:
    known = set(indicator_codes())
    youth = all(code in known for code in FLOW_CODES.values())
    codes = ("instroom", "uitstroom", *(FLOW_CODES.values() if youth else ()))
    form, periods, rows, wijken = _indicator_page(
        request, scope, codes=codes, default_unit=PeriodUnit.MONTH
    )
    figures = flows_display(periods, rows, youth=youth, wijken=wijken, wijk=form.value("wijk"))
    tables = [
        {
            "title": _("Instroom"),
            "caption": _("Instroom per periode, in unieke inwoners"),
            "caption_id": "instroom",
            "rows": figures.inflow,
        },
        {
            "title": _("Uitstroom"),
            "caption": _("Uitstroom per periode, in unieke inwoners"),
            "caption_id": "uitstroom",
            "rows": figures.outflow,
        },
    ]
    context = {"form": form, "scope": scope, "figures": figures, "tables": tables}
    return _render(request, "monitoring/flows.html", context)


@require_GET
@monitoring_page("flows")
def reach(request: MonitoringRequest, scope: MonitoringScope) -> HttpResponse:
    form, periods, rows, wijken = _indicator_page(request, scope, codes=REACH_CODES)
    figures = reach_display(periods, rows, wijken=wijken, wijk=form.value("wijk"))
    context = {"form": form, "scope": scope, "figures": figures}
    return _render(request, "monitoring/reach.html", context)


@require_GET
@monitoring_page("flows")
def flow_reasons(request: MonitoringRequest, scope: MonitoringScope) -> HttpResponse:
    # The municipality chooses quarters and years (docs/adr/0011); its quarters add up its
    # protected months, as on the dashboard (docs/adr/0044).
    units = PeriodUnit.ALL if scope.exact else (PeriodUnit.QUARTER, PeriodUnit.YEAR)
    form, periods, rows, wijken = _indicator_page(request, scope, codes=REASON_CODES, units=units)
    figures = reasons_display(periods, rows, wijken=wijken, wijk=form.value("wijk"))
    context = {"form": form, "scope": scope, "figures": figures}
    return _render(request, "monitoring/flow_reasons.html", context)


def _dashboard_for(
    request: MonitoringRequest, scope: MonitoringScope
) -> tuple[DashboardForm, Dashboard]:
    with reporting_reads():  # on the read replica, when there is one (docs/adr/0048)
        return _dashboard_read(request, scope)


def _dashboard_read(
    request: MonitoringRequest, scope: MonitoringScope
) -> tuple[DashboardForm, Dashboard]:
    known = areas()
    form = DashboardForm(_query(request), areas=known)
    figures = dashboard(
        code=form.value("indicator"),
        unit=form.value("unit"),
        count=form.value("periods"),
        area_key=form.value("gebied"),
        comparison_level=form.value("vergelijk"),
        # The consortium's exact figures for management; team leads and the municipality see
        # the municipality's (docs/adr/0044).
        exact=scope.exact and scope.all_teams,
        today=timezone.localdate(),
    )
    return form, figures


@require_GET
@monitoring_page("compliance")
def dashboard_page(request: MonitoringRequest, scope: MonitoringScope) -> HttpResponse:
    form, figures = _dashboard_for(request, scope)
    query = request.GET.urlencode()
    context = {"form": form, "scope": scope, "figures": figures, "query": query}
    return _render(request, "monitoring/dashboard.html", context)


@require_GET
@monitoring_page("compliance")
def dashboard_download(request: MonitoringRequest, scope: MonitoringScope) -> HttpResponse:
    """The rows the dashboard shows, as CSV or XLSX (`?formaat=`; CSV unless xlsx)."""
    _form, figures = _dashboard_for(request, scope)
    kind = "xlsx" if request.GET.get("formaat") == "xlsx" else "csv"
    name = f"wijk-{figures.definition.code}-{timezone.localdate():%Y-%m-%d}.{kind}"
    if kind == "xlsx":
        response = HttpResponse(download_xlsx(figures.rows), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(download_csv(figures.rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@monitoring_page("compliance")
def quality(request: MonitoringRequest, scope: MonitoringScope) -> HttpResponse:
    """The data-quality report (ADR 0047). A team lead sees the counts of their own active
    teams' records per check and, for the check they choose (`?controle=`), the records they
    may open, each linked to its page; management and the municipality see counts per check
    for the city and a wijk, the municipality's protected against small numbers."""
    today = timezone.localdate()
    if gate_for(request.user).oversee_teams:
        checks = quality_checks()
        counts = team_counts(user=request.user, today=today)
        listed = [check.code for check in checks if has_rows(check.code)]
        chosen = next(iter(query_choices(request, "controle", listed)), None)
        listing = quality_rows(user=request.user, code=chosen, today=today) if chosen else None
        context: dict[str, object] = {
            "team_view": True,
            "rows": [
                {"check": check, "count": counts.get(check.code, 0), "listed": check.code in listed}
                for check in checks
            ],
            "chosen": next((check for check in checks if check.code == chosen), None),
            "chosen_count": counts.get(chosen, 0) if chosen else 0,
            "listing": listing,
            "limit": QUALITY_LIST_LIMIT,
            "no_teams": not teams_in_scope(user=request.user, scope=scope),
        }
        return render(request, "monitoring/quality.html", context)
    wijken = wijk_options()
    form = FilterForm(_query(request), period=False, wijken=wijken)
    wijk = form.value("wijk") or None
    figures = quality_figures(today, exact=scope.exact)
    context = {
        "team_view": False,
        "form": form,
        "scope": scope,
        "wijk": wijk,
        "wijk_name": wijk_name(wijken, wijk),
        "rows": [
            {
                "check": row.check,
                "city": row.city,
                "in_wijk": row.per_wijk.get(wijk) if wijk else None,
            }
            for row in figures
        ],
        "today": today,
    }
    return _render(request, "monitoring/quality.html", context)


@require_http_methods(["GET", "POST"])
@monitoring_page("compliance")
def dashboard_everything(request: MonitoringRequest, scope: MonitoringScope) -> HttpResponse:
    """Every figure the dashboard shows its reader, for every indicator and period since the
    contract began, in one CSV file made in the background (wijk.monitoring.tasks): the page
    says what it holds; its button starts the job and leads to the job's page."""
    if request.method == "POST":
        job = job_open_for_user(user=request.user, kind="figures_file") or job_start(
            user=request.user,
            kind="figures_file",
            label=str(_("Alle cijfers van het dashboard")),
            task=figures_file,
        )
        return redirect("core:background_job", pk=job.pk)
    context = {"scope": scope, "exact": scope.exact and scope.all_teams, "start": CONTRACT_START}
    return render(request, "monitoring/dashboard_everything.html", context)
