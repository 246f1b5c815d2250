"""The deliveries page (/sturing/leveringen, management): the daily feed's runs, newest first,
with the failed ones and what went wrong (never a person), and a button that makes today's
delivery now in the background (wijk.core.background), with its progress on the job's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijk.accounts.decorators import not_found
from wijk.accounts.models import User
from wijk.accounts.roles import gate_for
from wijk.core.background import job_start
from wijk.feed.models import DeliveryKind, DeliveryStatus
from wijk.feed.selectors import recent_deliveries
from wijk.feed.tasks import feed_deliver

DELIVERIES_SHOWN = 30


def _management(user: object) -> bool:
    """Management steers the contract: the deliveries are theirs to watch and to start."""
    gate = gate_for(user)
    return gate.aggregates and gate.all_teams and gate.team_counts


@require_http_methods(["GET", "POST"])
def deliveries(request: HttpRequest) -> HttpResponse:
    if not isinstance(request.user, User) or not _management(request.user):
        return not_found(request)
    if request.method == "POST":
        day = timezone.localdate()
        job = job_start(
            user=request.user,
            kind="feed",
            label=_("Levering aan de gemeente van %(day)s") % {"day": day.isoformat()},
            task=feed_deliver,
            arguments={"day": day.isoformat()},
        )
        return redirect("core:background_job", pk=job.pk)
    rows = recent_deliveries(limit=DELIVERIES_SHOWN)
    context = {
        "deliveries": rows,
        "statuses": dict(DeliveryStatus.choices),
        "kinds": dict(DeliveryKind.choices),
        "failed": [row for row in rows if row.status == "failed"],
        "today": timezone.localdate(),
    }
    return render(request, "feed/deliveries.html", context)
