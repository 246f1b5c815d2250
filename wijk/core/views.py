"""Home, the one worklist of every app, health probes, security.txt and the accessibility
statement."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wijk.accounts.decorators import PersonLevelRequest, not_found, person_level_only
from wijk.accounts.roles import gate_for
from wijk.core.errors import NotFoundError
from wijk.core.home import home_sections
from wijk.core.params import query_choices
from wijk.core.worklist import KIND_LABELS, Scope, worklist


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role's start: the counts that matter to it, from the apps (wijk.core.home)."""
    gate = gate_for(request.user)
    sections = home_sections(user=request.user, gate=gate)
    return render(request, "core/home.html", {"gate": gate, "sections": sections})


def _work_page(request: PersonLevelRequest, *, scope: Scope) -> HttpResponse:
    """The worklist of every app (wijk.core.worklist): `?soort=` (repeated) narrows it to
    kinds of work; a value that is no kind is left out, and the page says so."""
    kinds = query_choices(request, "soort", KIND_LABELS)
    unknown_kind = bool(set(request.GET.getlist("soort")) - set(KIND_LABELS))
    try:
        work = worklist(user=request.user, scope=scope, today=timezone.localdate(), kinds=kinds)
    except NotFoundError:
        return not_found(request)
    context = {
        "work": work,
        "team_view": scope == "team",
        "unknown_kind": unknown_kind,
        "kinds_query": urlencode([("soort", kind) for kind in work.kinds]),
        "limit": work.limit,
    }
    return render(request, "core/worklist.html", context)


@require_GET
@person_level_only
def work(request: PersonLevelRequest) -> HttpResponse:
    """ "Mijn werk": the work that is the user's own, from every app."""
    return _work_page(request, scope="mine")


@require_GET
@person_level_only
def team_work(request: PersonLevelRequest) -> HttpResponse:
    """ "Werk van mijn team": the work of the user's active teams, whoever has it."""
    return _work_page(request, scope="team")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive; says nothing about its dependencies."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: the database answers and every migration is applied."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    if pending:
        return JsonResponse(
            {"status": "unavailable", "database": "ok", "pending_migrations": len(pending)},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    expires = timezone.now().replace(microsecond=0) + datetime.timedelta(
        days=settings.WIJK_SECURITY_POLICY_EXPIRES_DAYS
    )
    lines = [
        f"Contact: {settings.WIJK_SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form that could not be checked: say what to do, in plain Dutch, and keep nothing."""
    return render(request, "core/csrf_failure.html", status=403)
