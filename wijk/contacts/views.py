"""Thin views over the short-contact selectors and services: the compact registration form,
tally mode (one POST form per button; htmx swaps the board in place, without JavaScript the
page reloads), and the aggregated overview. No view here asks for or shows a person.

The last channel and team used are kept in the session, so the next registration starts from
them; the date always starts at today."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from wijk.accounts.decorators import PersonLevelRequest, not_found, person_level_only
from wijk.accounts.models import User
from wijk.contacts.forms import (
    OverviewFilterForm,
    ShortContactForm,
    TallyPressForm,
    TallySettingsForm,
)
from wijk.contacts.selectors import (
    CHANNELS,
    DEFAULT_CHANNEL,
    codes_valid_on,
    contacts_overview_for_user,
    exact_overview,
    may_see_overview,
    overview_teams_for_user,
    tally_board_for_user,
    teams_for_registering,
)
from wijk.contacts.services import (
    short_contact_register,
    short_contact_tally,
    short_contact_tally_undo,
)
from wijk.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wijk.organisations.models import Team
from wijk.reference.models import Code

SESSION_CHANNEL = "contacts_channel"
SESSION_TEAM = "contacts_team"
SETTINGS = ("contact_date", "channel", "team")


def _session_pk(request: HttpRequest, key: str) -> int:
    value = request.session.get(key)
    return value if isinstance(value, int) else 0


def _defaults(request: HttpRequest, teams: QuerySet[Team]) -> dict[str, Any]:
    """Today, the last channel used (else walk-in), the last team used (else the first)."""
    today = timezone.localdate()
    channels = codes_valid_on(slug=CHANNELS, day=today)
    channel = (
        channels.filter(pk=_session_pk(request, SESSION_CHANNEL)).first()
        or channels.filter(code=DEFAULT_CHANNEL).first()
        or channels.first()
    )
    team = teams.filter(pk=_session_pk(request, SESSION_TEAM)).first() or teams.first()
    return {"contact_date": today, "channel": channel, "team": team}


def _remember(request: HttpRequest, *, channel: Code, team: Team) -> None:
    request.session[SESSION_CHANNEL] = channel.pk
    request.session[SESSION_TEAM] = team.pk


def _tally_url(settings: dict[str, Any]) -> str:
    query = {
        "contact_date": settings["contact_date"].isoformat(),
        "channel": settings["channel"].pk,
        "team": settings["team"].pk,
    }
    return f"{reverse('contacts:tally')}?{urlencode(query)}"


def _no_team(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "contacts/no_team.html", {"title": title})


@require_http_methods(["GET", "POST"])
@person_level_only
def register(request: PersonLevelRequest) -> HttpResponse:
    user = request.user
    teams = teams_for_registering(user=user)
    if not teams.exists():
        return _no_team(request, _("Kort contact registreren"))
    defaults = _defaults(request, teams)
    form = ShortContactForm(
        request.POST if request.method == "POST" else None,
        teams=teams,
        initial={**defaults, "count": 1},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = short_contact_register(
                actor=user,
                contact_date=data["contact_date"],
                channel=data["channel"],
                life_domain=data["life_domain"],
                team=data["team"],
                wijk=data["wijk"],
                count=data["count"],
            )
        except ValidationFailed as error:
            error.add_to_form(form)
        except PermissionDeniedError:
            return not_found(request)
        else:
            _remember(request, channel=data["channel"], team=data["team"])
            messages.success(
                request,
                ngettext(
                    "%(count)s kort contact geregistreerd (%(domain)s).",
                    "%(count)s korte contacten geregistreerd (%(domain)s).",
                    count,
                )
                % {"count": count, "domain": data["life_domain"].label},
            )
            return redirect("contacts:register")
    context = {
        "form": form,
        "only_team": teams.first() if len(teams) == 1 else None,
        "tally_url": _tally_url(defaults),
    }
    return render(request, "contacts/register.html", context)


@require_http_methods(["GET", "POST"])
@person_level_only
def tally(request: PersonLevelRequest) -> HttpResponse:
    user = request.user
    teams = teams_for_registering(user=user)
    if not teams.exists():
        return _no_team(request, _("Turven"))
    if request.method == "POST":
        return _tally_press(request, user, teams)
    defaults = _defaults(request, teams)
    bound = any(name in request.GET for name in SETTINGS)
    form = TallySettingsForm(request.GET if bound else None, teams=teams, initial=defaults)
    settings: dict[str, Any] | None = defaults
    if bound:
        settings = form.cleaned_data if form.is_valid() else None
        if settings is not None:
            _remember(request, channel=settings["channel"], team=settings["team"])
    board = None
    if settings is not None and settings["channel"] is not None:
        board = tally_board_for_user(
            user=user,
            team=settings["team"],
            contact_date=settings["contact_date"],
            channel=settings["channel"],
        )
    context = {"form": form, "board": board, "register_url": reverse("contacts:register")}
    return render(request, "contacts/tally.html", context)


def _tally_press(request: HttpRequest, user: User, teams: QuerySet[Team]) -> HttpResponse:
    """A press on a tally button, or on "undo": count or take back, then show the board."""
    undo = request.POST.get("action") == "undo"
    form_class = TallySettingsForm if undo else TallyPressForm
    form = form_class(request.POST, teams=teams)
    settings: dict[str, Any] = form.cleaned_data if form.is_valid() else _defaults(request, teams)
    failed = False
    if undo:
        try:
            removed = short_contact_tally_undo(actor=user)
        except ValidationFailed as error:
            failed, message = True, str(error.message)
        else:
            message = _("Eén telling bij %(domain)s is weggehaald.") % {
                "domain": removed.life_domain.label
            }
    elif not form.is_valid():
        failed = True
        message = _("Dit is niet geteld. Kies de datum, het kanaal en het team opnieuw.")
    else:
        domain = settings["life_domain"]
        try:
            short_contact_tally(
                actor=user,
                contact_date=settings["contact_date"],
                channel=settings["channel"],
                life_domain=domain,
                team=settings["team"],
            )
        except ValidationFailed as error:
            failed = True
            message = " ".join(error.fields.values()) or str(error.message)
        else:
            _remember(request, channel=settings["channel"], team=settings["team"])
            message = _("Geteld: %(domain)s.") % {"domain": domain.label}
    if getattr(request, "htmx", False) and settings["channel"] is not None:
        board = tally_board_for_user(
            user=user,
            team=settings["team"],
            contact_date=settings["contact_date"],
            channel=settings["channel"],
        )
        context = {"board": board, "oob_message": message, "oob_failed": failed}
        return render(request, "contacts/tally.html#board", context)
    if failed:
        messages.error(request, message)
    else:
        messages.success(request, message)
    return redirect(_tally_url(settings))


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # RequireVerifiedStaffMiddleware lets only accounts in
    if not may_see_overview(user):
        return not_found(request)
    # The municipality sees wijken, never teams: no choice of team (ADR 0004).
    teams = overview_teams_for_user(user=user) if exact_overview(user) else None
    this_year = timezone.localdate().year
    form = OverviewFilterForm(
        request.GET if request.GET else None, teams=teams, initial={"year": this_year}
    )
    year, team = this_year, None
    if form.is_bound and form.is_valid():
        year, team = form.cleaned_data["year"], form.cleaned_data.get("team")
    try:
        data = contacts_overview_for_user(user=user, year=year, team=team)
    except NotFoundError:
        return not_found(request)
    context = {"form": form, "overview": data}
    return render(request, "contacts/overview.html", context)
