"""The authorization matrix: every URL pattern of the project, for every role, allowed or
denied. A pattern without a row here fails the suite, so no page can slip through unchecked.

ALLOW: the page answers 200 (or a redirect that belongs to the page's own flow).
DENY: 403 or 404 for a signed-in role (404 where existence must not leak), and a redirect to
the login page for an anonymous visitor. PUBLIC: open to everyone."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from wijk.accounts.models import Role
from wijk.core.models import BackgroundJob
from wijk.core.tests.matrix_kit import (
    ALLOW,
    API_CLIENT,
    DENY,
    MANAGE,
    NO_ARGS,
    PERSON_LEVEL,
    PUBLIC,
    RESIDENT,
    ROLES,
    STAFF,
    TEAM_LEAD,
    Kwargs,
    public,
    row,
)
from wijk.reference.models import Code
from wijk.residents.tests.factories import HouseholdMembershipFactory

USER: Kwargs = lambda objects: {"pk": objects["other_user"].pk}  # noqa: E731
TEAM: Kwargs = lambda objects: {"pk": objects["team"].pk}  # noqa: E731
ORGANISATION: Kwargs = lambda objects: {"pk": objects["team"].organisation_id}  # noqa: E731
WIJK: Kwargs = lambda objects: {"pk": objects["team"].wijken.get().pk}  # noqa: E731
DISTRICT: Kwargs = lambda objects: {"pk": objects["team"].wijken.get().district_id}  # noqa: E731
CODE_LIST: Kwargs = lambda objects: {"slug": "channels"}  # noqa: E731
JOB: Kwargs = lambda objects: {"pk": objects["job"].pk}  # noqa: E731
CODE: Kwargs = lambda objects: {  # noqa: E731
    "slug": "channels",
    "pk": Code.objects.get(code_list__slug="channels", code="phone").pk,
}

MATRIX: dict[str, tuple[dict[str, str], Kwargs]] = {
    "core:home": (row(STAFF), NO_ARGS),
    "core:healthz": (public(), NO_ARGS),
    "core:readyz": (public(), NO_ARGS),
    "core:security_txt": (public(), NO_ARGS),
    "core:accessibility": (public(), NO_ARGS),
    "core:work": (row(PERSON_LEVEL), NO_ARGS),
    "core:team_work": (row(PERSON_LEVEL), NO_ARGS),
    # A background job's page is for the person who asked only: the job here is a colleague's,
    # so every role is refused (test_background and browser/test_background_journeys show
    # the asker's own page; ASKER_ONLY below).
    "core:background_job": (row({}), JOB),
    "core:background_job_file": (row({}), JOB),
    "set_language": (public(), NO_ARGS),
    "accounts:login": (public(), NO_ARGS),
    "accounts:verify": (public(), NO_ARGS),
    "accounts:setup": (public(), NO_ARGS),
    "accounts:logout": (public(), NO_ARGS),
    "residents:search": (row(PERSON_LEVEL), NO_ARGS),
    "residents:register": (row(PERSON_LEVEL), NO_ARGS),
    "residents:detail": (row(PERSON_LEVEL), RESIDENT),
    "residents:break_glass": (row(PERSON_LEVEL), RESIDENT),
    "residents:access_log": (row(PERSON_LEVEL), RESIDENT),
    "residents:break_glass_review": (row(TEAM_LEAD), NO_ARGS),
    "accounts:user_list": (row(MANAGE), NO_ARGS),
    "accounts:user_create": (row(MANAGE), NO_ARGS),
    "accounts:user_edit": (row(MANAGE), USER),
    "accounts:user_disable": (row(MANAGE), USER),
    "accounts:user_enable": (row(MANAGE), USER),
    "accounts:user_totp_reset": (row(MANAGE), USER),
    "areas:wijk_list": (row(MANAGE), NO_ARGS),
    "areas:wijk_detail": (row(MANAGE), WIJK),
    "areas:wijk_edit": (row(MANAGE), WIJK),
    "areas:district_list": (row(MANAGE), NO_ARGS),
    "areas:district_create": (row(MANAGE), NO_ARGS),
    "areas:district_edit": (row(MANAGE), DISTRICT),
    "reference:list_index": (row(MANAGE), NO_ARGS),
    "reference:list_detail": (row(MANAGE), CODE_LIST),
    "reference:code_create": (row(MANAGE), CODE_LIST),
    "reference:code_edit": (row(MANAGE), CODE),
    "organisations:team_list": (row(MANAGE), NO_ARGS),
    "organisations:team_create": (row(MANAGE), NO_ARGS),
    "organisations:team_edit": (row(MANAGE), TEAM),
    "organisations:organisation_list": (row(MANAGE), NO_ARGS),
    "organisations:organisation_create": (row(MANAGE), NO_ARGS),
    "organisations:organisation_edit": (row(MANAGE), ORGANISATION),
}


# Pages only the person who asked for them opens: no role as such may, so test_axe_every_page
# leaves them to their own browser test.
ASKER_ONLY = {"core:background_job", "core:background_job_file"}


def _app_matrices() -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.matrix"
        if config.name.startswith("wijk.") and importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


APP_MATRICES = _app_matrices()
for _module in APP_MATRICES:
    _twice = set(_module.ROWS) & set(MATRIX)
    assert not _twice, f"{_module.__name__} repeats rows: {_twice}"
    MATRIX.update(_module.ROWS)


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>"


def all_url_names() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


def test_every_url_pattern_has_a_row_in_the_matrix() -> None:
    missing = [name for name in all_url_names() if name not in MATRIX]
    assert not missing, f"Add these URL patterns to the authorization matrix: {missing}"


def test_the_matrix_names_no_url_that_does_not_exist() -> None:
    stale = sorted(set(MATRIX) - set(all_url_names()))
    assert not stale, f"Remove these rows, their URL patterns are gone: {stale}"


def test_municipality_reaches_no_person_level_page() -> None:
    for name, (expected, _kwargs) in MATRIX.items():
        if name.startswith("residents:"):
            assert expected["municipality"] == DENY, name


@pytest.fixture
def objects(make_user, team) -> dict[str, Any]:
    membership = HouseholdMembershipFactory()
    objects: dict[str, Any] = {
        "team": team,
        "resident": membership.resident,
        "other_user": make_user(Role.PROFESSIONAL, teams=[team]),
        "make_user": make_user,
    }
    objects["job"] = BackgroundJob.objects.create(
        user=objects["other_user"], kind="matrix", label="Een taak van een collega"
    )
    for module in APP_MATRICES:
        extra = getattr(module, "extra_objects", None)
        if extra is not None:
            extra(objects)
    return objects


CASES = [(name, role) for name in sorted(MATRIX) for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), CASES)
def test_authorization_matrix(name, role, objects, make_user, client_for, client) -> None:
    expected, kwargs = MATRIX[name]
    url = reverse(name, kwargs=kwargs(objects))
    if role == API_CLIENT:
        http = objects["api_client_http"]
    else:
        user = None if role == "anonymous" else make_user(role, teams=[objects["team"]])
        http = client if user is None else client_for(user)
    response = http.get(url)
    verdict = expected[role]
    if verdict == PUBLIC:
        assert response.status_code in {200, 302, 405}, response.status_code
    elif verdict == ALLOW:
        assert response.status_code == 200, f"{name} as {role}: {response.status_code}"
    elif url.startswith("/api/"):
        # The API knows no session: signed in or not, without a token it is 401.
        assert response.status_code == 401, f"{name} as {role}: {response.status_code}"
        assert response["Content-Type"] == "application/problem+json"
    elif role in {"anonymous", API_CLIENT}:  # a token signs in to no page
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code in {403, 404}, f"{name} as {role}: {response.status_code}"
