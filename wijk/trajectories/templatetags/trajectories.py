"""`{% resident_trajectories resident as items %}`: the resident's trajectories for the
section on the resident's page, read through the selector as the signed-in user, so that the
read is gated and logged like every other."""

from __future__ import annotations

from django import template
from django.template import Context

from wijk.accounts.models import User
from wijk.residents.models import Resident
from wijk.trajectories.selectors import ResidentTrajectory, resident_trajectories_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def resident_trajectories(context: Context, resident: Resident) -> list[ResidentTrajectory]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return []
    return resident_trajectories_for_user(user=user, resident=resident)
