"""The resident's page: their case file, built by one selector before rendering."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wijk.accounts.decorators import PersonLevelRequest, not_found, person_level_only
from wijk.casefiles.selectors import case_file_for_user
from wijk.core.errors import BreakGlassRequired, NotFoundError
from wijk.residents.views import break_glass_page


@require_GET
@person_level_only
def detail(request: PersonLevelRequest, pk: int) -> HttpResponse:
    try:
        case_file = case_file_for_user(user=request.user, pk=pk)
    except BreakGlassRequired:
        return break_glass_page(request, pk)
    except NotFoundError:
        return not_found(request)
    context = {
        "case_file": case_file,
        "view": case_file.view,
        "resident": case_file.view.resident,
    }
    return render(request, "casefiles/detail.html", context)
