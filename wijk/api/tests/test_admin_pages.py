"""The administrators' pages for API clients: make one (its token shown once, with what to do
with it), the list (never a token), revoke one; each change an entry in the access log.
Everyone but an administrator gets the not-found page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.api.models import ApiClient, ApiScope
from wijk.api.tests.factories import token_client
from wijk.core.models import AccessEvent, AccessLogEntry

pytestmark = pytest.mark.django_db

CREATE = reverse("api_clients:create")
LIST = reverse("api_clients:list")
TOKEN = re.compile(r"wijk_[A-Za-z0-9_\-]{43}")


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "submission_key": "4a1f7c62-7a0e-4a8f-9a3c-1d2b3c4d5e6f",
        "name": "Dashboard sociaal domein",
        "organisation": "Gemeente Haarlem",
        "scopes": [ApiScope.INDICATORS, ApiScope.PUBLISHED],
    }
    data.update(overrides)
    return data


def test_create_shows_the_token_once_and_it_works(admin_client, administrator) -> None:
    response = admin_client.post(CREATE, _form())
    assert response.status_code == 200
    page = response.content.decode()
    tokens = TOKEN.findall(page)
    assert len(set(tokens)) == 1
    assert "maar één keer" in page
    assert "Authorization: Bearer" in page
    made = ApiClient.objects.get()
    assert made.created_by == administrator and made.active
    assert sorted(made.scopes) == sorted([ApiScope.INDICATORS, ApiScope.PUBLISHED])
    assert token_client(tokens[0]).get("/api/v1/indicatoren").status_code == 200
    assert token_client(tokens[0]).get("/api/v1/leveringen").status_code == 403
    entry = AccessLogEntry.objects.get(event=AccessEvent.CREATE)
    assert entry.user_id == administrator.pk
    assert entry.objects_touched == [f"api.apiclient:{made.pk}"]
    # The list never shows it, nor does the form sent again: it says the token was shown once.
    listed = admin_client.get(LIST).content.decode()
    assert "Dashboard sociaal domein" in listed and not TOKEN.search(listed)
    again = admin_client.post(CREATE, _form(), follow=True)
    assert not TOKEN.search(again.content.decode())
    assert "alleen de eerste keer" in again.content.decode()
    assert ApiClient.objects.count() == 1


def test_create_refuses_an_empty_form_in_dutch(admin_client) -> None:
    response = admin_client.post(CREATE, _form(name="", scopes=[]))
    assert response.status_code == 200
    assert not ApiClient.objects.exists()
    assert "Naam van de koppeling" in response.content.decode()
    assert not TOKEN.search(response.content.decode())


def test_revoke_stops_the_token_and_is_logged(admin_client, administrator) -> None:
    page = admin_client.post(CREATE, _form()).content.decode()
    token = TOKEN.search(page).group(0)
    made = ApiClient.objects.get()
    revoke = reverse("api_clients:revoke", kwargs={"pk": made.pk})
    assert "intrekken" in admin_client.get(revoke).content.decode()
    response = admin_client.post(revoke)
    assert response.status_code == 302
    made.refresh_from_db()
    assert not made.active and made.revoked_by == administrator and made.revoked_at
    assert token_client(token).get("/api/v1/indicatoren").status_code == 401
    entry = AccessLogEntry.objects.get(event=AccessEvent.UPDATE)
    assert entry.reason == "api client revoked"
    assert entry.objects_touched == [f"api.apiclient:{made.pk}"]
    # Revoking twice changes nothing and logs nothing more.
    admin_client.post(revoke)
    assert AccessLogEntry.objects.filter(event=AccessEvent.UPDATE).count() == 1
    assert "ingetrokken op" in admin_client.get(LIST).content.decode()


def test_revoke_of_an_unknown_client_is_not_found(admin_client) -> None:
    url = reverse("api_clients:revoke", kwargs={"pk": 987654321})
    assert admin_client.get(url).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.PROFESSIONAL, Role.TEAM_LEAD, Role.MANAGEMENT, Role.MUNICIPALITY]
)
def test_other_roles_get_404_and_change_nothing(role, make_user, client_for, admin_client) -> None:
    admin_client.post(CREATE, _form())
    made = ApiClient.objects.get()
    http = client_for(make_user(role))
    revoke = reverse("api_clients:revoke", kwargs={"pk": made.pk})
    for response in (
        http.get(LIST),
        http.get(CREATE),
        http.post(CREATE, _form(submission_key="5b1f7c62-7a0e-4a8f-9a3c-1d2b3c4d5e6f")),
        http.get(revoke),
        http.post(revoke),
    ):
        assert response.status_code == 404
    made.refresh_from_db()
    assert made.active and ApiClient.objects.count() == 1


def test_the_administrators_menu_leads_to_the_api_clients(admin_client) -> None:
    assert LIST in admin_client.get(reverse("core:home")).content.decode()


def test_the_list_reads_in_a_fixed_number_of_queries(admin_client, make_api_client) -> None:
    make_api_client()
    with CaptureQueriesContext(connection) as one:
        admin_client.get(LIST)
    for _ in range(3):
        make_api_client()
    with CaptureQueriesContext(connection) as four:
        admin_client.get(LIST)
    assert len(four.captured_queries) == len(one.captured_queries)
