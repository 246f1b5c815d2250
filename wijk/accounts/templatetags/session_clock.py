"""The warning before the idle timeout: `{% load session_clock %}{% idle_warning %}` in the base
page gives signed-in staff a hidden "Blijf ingelogd" dialog with the seconds their session
has left, which core/static/core/session.js shows in time (docs/adr/0025)."""

from __future__ import annotations

import time
from typing import Any

from django import template
from django.conf import settings

from wijk.accounts.middleware import SESSION_SEEN

register = template.Library()

# The warning comes this many seconds before the end, or halfway for a very short timeout.
WARNING_SECONDS = 120


@register.inclusion_tag("accounts/_idle_warning.html", takes_context=True)
def idle_warning(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    is_verified = getattr(getattr(request, "user", None), "is_verified", None)
    if request is None or not callable(is_verified) or not is_verified():
        return {"show": False}
    timeout = int(settings.WIJK_SESSION_IDLE_TIMEOUT)
    now = int(time.time())
    seen = int(request.session.get(SESSION_SEEN, now))
    lead = min(WARNING_SECONDS, timeout // 2)
    return {
        "show": True,
        "timeout": timeout,
        "remaining": max(0, timeout - (now - seen)),
        "lead": lead,
        "lead_minutes": lead // 60,
        "csrf_token": context.get("csrf_token"),
    }
