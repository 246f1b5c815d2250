"""The trivial page: one query and a tiny template, through the same middleware as every
page (session, user, TOTP device, access-log context). A page's time beside this one's is
what the page itself costs.

The same page in wijk's layout (header, menu, footer, as every page has them) is measured
beside it as a reference: how much of a page's cost is the layout every page shares."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines

from wijk.organisations.models import Organisation

_TEMPLATE = engines["django"].from_string(
    '<!doctype html><html lang="nl"><title>bench</title><p>{{ count }} organisaties</p></html>'
)


_IN_LAYOUT = engines["django"].from_string(
    '{% extends "core/base.html" %}{% block title %}bench{% endblock %}'
    "{% block content %}<p>{{ count }} organisaties</p>{% endblock %}"
)


def trivial(request: HttpRequest) -> HttpResponse:
    count = Organisation.objects.count()
    return HttpResponse(_TEMPLATE.render({"count": count}, request))


def trivial_in_layout(request: HttpRequest) -> HttpResponse:
    count = Organisation.objects.count()
    return HttpResponse(_IN_LAYOUT.render({"count": count}, request))
