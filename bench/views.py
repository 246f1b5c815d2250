"""The trivial page: one query and a tiny template, through the same middleware as every
page (session, user, TOTP device, access-log context). A page's time beside this one's is
what the page itself costs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines

from wijk.organisations.models import Organisation

_TEMPLATE = engines["django"].from_string(
    '<!doctype html><html lang="nl"><title>bench</title><p>{{ count }} organisaties</p></html>'
)


def trivial(request: HttpRequest) -> HttpResponse:
    count = Organisation.objects.count()
    return HttpResponse(_TEMPLATE.render({"count": count}, request))
