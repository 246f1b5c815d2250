"""`person_level_only`: roles without person-level access get the not-found page on every
page of person-level data, for a POST as for a GET, so a refused form changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.accounts.models import Role

pytestmark = pytest.mark.django_db

# The pages that write person-level data, one or two per app; none takes an argument.
WRITE_PAGES = [
    "residents:register",
    "requests:register",
    "trajectories:start",
    "contacts:register",
    "contacts:tally",
    "activities:create",
]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", WRITE_PAGES)
@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
def test_roles_without_person_level_access_get_not_found(
    role, name, method, make_user, client_for, team
) -> None:
    client = client_for(make_user(role, teams=[team]))
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()


def test_professional_is_let_through(make_user, client_for, team) -> None:
    client = client_for(make_user(Role.PROFESSIONAL, teams=[team]))
    assert client.get(reverse("residents:search")).status_code == 200
