"""The start page is each role's start: the counts that matter to the role, each a link to
where the work is, with a query count that is pinned per role (wijk.core.home, ADR 0028)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.residents.tests.factories import HouseholdMembershipFactory

pytestmark = pytest.mark.django_db


def card(body: str, label: str) -> tuple[str, str]:
    """(count, link) of the card with `label` on the start page."""
    match = re.search(
        r'<a class="wijk-card__link" href="([^"]+)">\s*'
        r'<span class="wijk-card__count">((?:(?!</span>).)*)</span>'
        rf'\s*<span class="wijk-card__label">{re.escape(label)}</span>',
        body,
        re.S,
    )
    assert match, f"no card {label!r}"
    return match.group(2), match.group(1)


def test_a_professional_starts_with_their_own_work(make_user, client_for, team) -> None:
    professional = make_user(Role.PROFESSIONAL, teams=[team])
    today = timezone.localdate()
    resident = HouseholdMembershipFactory().resident
    mine = {"team": team, "assigned_to": professional, "resident": resident}
    HelpRequestFactory(**mine, first_contact_due=today - datetime.timedelta(days=2))
    HelpRequestFactory(**mine, first_contact_due=today)
    HelpRequestFactory(**mine, first_contact_due=today + datetime.timedelta(days=7))
    HelpRequestFactory(team=team, resident=resident)  # the team's, nobody's yet

    body = client_for(professional).get(reverse("core:home")).content.decode()

    worklist = reverse("requests:worklist")
    first_contacts = reverse("core:work") + "?soort=first_contact"  # the one worklist
    assert card(body, "Eerste contact te laat") == ("1", first_contacts)
    assert card(body, "Eerste contact vandaag") == ("1", first_contacts)
    assert card(body, "Mijn open hulpvragen") == ("3", worklist)
    assert card(body, "Op de wachtlijst van het team") == ("4", reverse("requests:waiting_list"))
    assert card(body, "Trajecten die ik coördineer")[0] == "0"
    assert "Nog niet toegewezen" not in body  # a team lead's count
    assert 'class="wijk-card wijk-card--urgent"' in body  # overdue work stands out


def test_a_team_lead_sees_what_the_team_has_not_picked_up(make_user, client_for, team) -> None:
    team_lead = make_user(Role.TEAM_LEAD, teams=[team])
    colleague = make_user(Role.PROFESSIONAL, teams=[team])
    today = timezone.localdate()
    resident = HouseholdMembershipFactory().resident
    late = today - datetime.timedelta(days=1)
    HelpRequestFactory(team=team, resident=resident, first_contact_due=late)
    HelpRequestFactory(team=team, resident=resident, assigned_to=colleague, first_contact_due=late)
    HelpRequestFactory(team=team, resident=resident, assigned_to=colleague)

    body = client_for(team_lead).get(reverse("core:home")).content.decode()

    team_open = reverse("requests:team_open")
    assert card(body, "Eerste contact te laat in het team") == ("2", team_open)
    assert card(body, "Nog niet toegewezen") == ("1", team_open)
    assert card(body, "Op de wachtlijst van het team")[0] == "3"
    assert card(body, "Wachten op uw goedkeuring")[1] == reverse("accounts:access_change_list")
    assert card(body, "Evaluatie nodig in het team")[0] == "0"
    assert card(body, "Eerste contact te laat")[0] == "0"  # their own work


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY])
def test_aggregate_roles_see_city_totals_only(role, make_user, client_for, team) -> None:
    resident = HouseholdMembershipFactory().resident
    late = timezone.localdate() - datetime.timedelta(days=1)
    for _ in range(6):
        HelpRequestFactory(team=team, resident=resident, first_contact_due=late)
    HelpRequestFactory(team=team, resident=resident)

    body = client_for(make_user(role)).get(reverse("core:home")).content.decode()

    assert card(body, "Open hulpvragen in de stad")[0] == "7"
    assert card(body, "Eerste contact te laat") == ("6", reverse("monitoring:compliance"))
    # No team, no person, no person-level page behind a card.
    assert team.name not in body
    assert resident.family_name not in body
    assert reverse("requests:worklist") not in body


def test_a_small_city_total_is_not_shown(make_user, client_for, team) -> None:
    resident = HouseholdMembershipFactory().resident
    HelpRequestFactory(team=team, resident=resident)
    body = client_for(make_user(Role.MUNICIPALITY)).get(reverse("core:home")).content.decode()
    assert "&lt; 5" in card(body, "Open hulpvragen in de stad")[0]
    assert card(body, "Eerste contact te laat")[0] == "0"  # zero counts nobody


def test_an_administrator_sees_pending_access_changes(administrator, admin_client) -> None:
    body = admin_client.get(reverse("core:home")).content.decode()
    changes = reverse("accounts:access_change_list")
    assert card(body, "Wachten op uw goedkeuring") == ("0", changes)
    assert card(body, "Wijzigingen in toegang open") == ("0", changes)
    assert "Open hulpvragen" not in body


# Session, user and TOTP device (3), then the cards: two queries for the requests' counts (own
# ones, the teams' workload) and
# one for the trajectories'; the pending access changes, their approvers and wijken (3); the
# monitoring totals' teams, counts and histogram (3).
QUERIES = {
    Role.PROFESSIONAL: 6,
    Role.TEAM_LEAD: 9,
    Role.MANAGEMENT: 6,
    Role.MUNICIPALITY: 6,
    Role.ADMINISTRATOR: 6,
}


@pytest.mark.parametrize("role", list(QUERIES))
def test_the_start_page_query_count_is_pinned_per_role(
    role, make_user, client_for, team, django_assert_num_queries
) -> None:
    user = make_user(role, teams=[team] if role in (Role.PROFESSIONAL, Role.TEAM_LEAD) else None)
    resident = HouseholdMembershipFactory().resident
    for _ in range(3):
        HelpRequestFactory(team=team, resident=resident, assigned_to=None)
    client = client_for(user)
    client.get(reverse("core:home"))  # warm the menu and the reference caches
    with django_assert_num_queries(QUERIES[role]):
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
