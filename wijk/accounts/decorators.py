"""The access check of the management screens: one decorator, used on every view of them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

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
