"""The letter's PDF, served through the gate: only to who may see the letter's resident, the
read logged, never cached (ADR 0036). Every other role, and a letter of a resident outside
the user's access, gets the same 404 as a missing letter."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from wijk.accounts.decorators import PersonLevelRequest, not_found, person_level_only
from wijk.core.errors import NotFoundError
from wijk.letters.selectors import letter_get_for_user


@require_GET
@person_level_only
def letter_file(request: PersonLevelRequest, pk: int) -> HttpResponse:
    try:
        file = letter_get_for_user(user=request.user, pk=pk)
    except NotFoundError:
        return not_found(request)
    response = HttpResponse(file.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{file.filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(len(file.pdf))
    return response
