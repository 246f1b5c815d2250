"""The access checks of the views: `manage_required` on every management screen,
`person_level_only` on every page of person-level data, and the one not-found page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wijk.accounts.models import User
from wijk.accounts.roles import gate_for


class ManageRequest(HttpRequest):
    """A request of a verified administrator: `user` is a real account, never anonymous."""

    user: User


def manage_required[**P](
    view: Callable[Concatenate[ManageRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Let only the administrator role (`Gate.manage`) in; everyone else gets 403, whatever
    the method, so a refused POST changes nothing."""

    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not isinstance(request.user, User) or not gate_for(request.user).manage:
            raise PermissionDenied
        return view(cast(ManageRequest, request), *args, **kwargs)

    return wrapped


class PersonLevelRequest(HttpRequest):
    """A request of a user with person-level access: `user` is a real account, never anonymous."""

    user: User


def not_found(request: HttpRequest) -> HttpResponse:
    """The one 404 page, the same for a record that is missing and one the user may not see."""
    return render(request, "core/not_found.html", status=404)


def person_level_only[R: PersonLevelRequest, **P](
    view: Callable[Concatenate[R, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Let only roles with person-level access (`Gate.person_level`) in; everyone else gets
    the not-found page, whatever the method, so a refused POST changes nothing. The view may
    take a narrower request type than `PersonLevelRequest`, one that also declares `htmx`."""

    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not isinstance(request.user, User) or not gate_for(request.user).person_level:
            return not_found(request)
        return view(cast(R, request), *args, **kwargs)

    return wrapped
