"""The resident's page: their case file, built by one selector before rendering."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wijk.accounts.decorators import PersonLevelRequest, not_found, person_level_only
from wijk.casefiles.selectors import KINDS, case_file_for_user
from wijk.core.errors import BreakGlassRequired, NotFoundError
from wijk.core.params import query_choices, query_page
from wijk.residents.views import break_glass_page


@require_GET
@person_level_only
def detail(request: PersonLevelRequest, pk: int) -> HttpResponse:
    """The case file with one page of its timeline: `?soort=` (repeated) picks the kinds of
    entry, `?pagina=` the page."""
    try:
        case_file = case_file_for_user(
            user=request.user,
            pk=pk,
            kinds=query_choices(request, "soort", KINDS),
            page=query_page(request),
        )
    except BreakGlassRequired:
        return break_glass_page(request, pk)
    except NotFoundError:
        return not_found(request)
    context = {
        "case_file": case_file,
        "view": case_file.view,
        "resident": case_file.view.resident,
        "timeline": case_file.timeline,
    }
    return render(request, "casefiles/detail.html", context)
