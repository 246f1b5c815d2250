"""The access gate on residents, through the pages people use: who sees which file, break the
glass, and what the access log records."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core.models import AccessLogEntry
from wijk.core.tests.page_echo import without_request_echo
from wijk.residents.models import BreakGlassGrant
from wijk.residents.tests.factories import AddressFactory, HouseholdMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inside(team):
    """A resident living in the team's wijk, with a partner in the same household."""
    membership = HouseholdMembershipFactory()
    HouseholdMembershipFactory(
        household=membership.household,
        resident__address=membership.resident.address,
        relation="partner",
    )
    return membership.resident


@pytest.fixture
def outside():
    """A resident in a buurt of another wijk than the team's."""
    buurt = Buurt.objects.exclude(wijk__code="WK039201").order_by("code").first()
    return HouseholdMembershipFactory(
        resident__family_name="Buitenwijk", resident__address=AddressFactory(buurt=buurt)
    ).resident


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


def test_professional_sees_resident_of_team_wijk_with_household(
    professional, client_for, inside
) -> None:
    response = client_for(professional).get(reverse("residents:detail", args=[inside.pk]))
    assert response.status_code == 200
    assert inside.full_name in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    entry = AccessLogEntry.objects.get(resident_id=inside.pk)
    assert entry.event == "read"
    assert entry.outcome == "success"
    assert entry.user_id == professional.pk
    assert len(entry.objects_touched) == 2  # the resident and the partner shown beside them
    assert not entry.flagged


def test_resident_outside_team_wijken_offers_break_the_glass(
    professional, client_for, outside
) -> None:
    response = client_for(professional).get(reverse("residents:detail", args=[outside.pk]))
    assert response.status_code == 403
    assert outside.family_name not in response.content.decode()
    assert "Waarom heeft u dit dossier nodig?" in response.content.decode()
    refused = AccessLogEntry.objects.get(resident_id=outside.pk)
    assert refused.outcome == "refused"


def test_missing_and_forbidden_look_the_same_to_roles_without_access(
    make_user, client_for, inside
) -> None:
    management = client_for(make_user(Role.MANAGEMENT))
    forbidden = management.get(reverse("residents:detail", args=[inside.pk]))
    missing = management.get(reverse("residents:detail", args=[inside.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert without_request_echo(forbidden.content) == without_request_echo(missing.content)


def test_break_the_glass_grants_flagged_access_with_reason(
    professional, client_for, outside, make_user, team
) -> None:
    client = client_for(professional)
    url = reverse("residents:break_glass", args=[outside.pk])
    too_short = client.post(url, {"reason": "nodig"})
    assert too_short.status_code == 400
    assert "paar woorden" in too_short.content.decode()
    assert not BreakGlassGrant.objects.exists()

    reason = "Spoedmelding huisarts, collega van wijkteam Noord afwezig"
    response = client.post(url, {"reason": reason})
    assert response.status_code == 302
    grant = BreakGlassGrant.objects.get()
    granted = AccessLogEntry.objects.get(resident_id=outside.pk, event="grant")
    assert (granted.user_id, granted.reason, granted.flagged) == (professional.pk, reason, True)
    assert granted.objects_touched == [f"residents.breakglassgrant:{grant.pk}"]
    page = client.get(reverse("residents:detail", args=[outside.pk]))
    assert page.status_code == 200
    assert reason in page.content.decode()
    entry = AccessLogEntry.objects.filter(resident_id=outside.pk, event="read").get()
    assert entry.flagged
    assert entry.reason == reason

    lead = client_for(make_user(Role.TEAM_LEAD, teams=[team]))
    review = lead.get(reverse("residents:break_glass_review"))
    assert review.status_code == 200
    assert reason in review.content.decode()


@pytest.mark.parametrize(
    "reason",
    ["..........", "x x x x x x x x", "1234567890 12", "aaaaaaaaaaaaaaa", "ok ja ??????????"],
)
def test_break_the_glass_needs_a_reason_in_words(professional, client_for, outside, reason) -> None:
    """Ten dots (or one word, or digits) say nothing to the team lead who reviews the grant."""
    url = reverse("residents:break_glass", args=[outside.pk])
    response = client_for(professional).post(url, {"reason": reason})
    assert response.status_code == 400
    assert "minstens drie woorden" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()
    assert not AccessLogEntry.objects.filter(event="grant").exists()


def test_break_the_glass_refuses_a_reason_with_a_direction_override(
    professional, client_for, outside
) -> None:
    """A right-to-left override would show the team lead a different reason than was typed."""
    url = reverse("residents:break_glass", args=[outside.pk])
    reason = "Melding van de huisarts \u202eneerad ton si\u202c over acute zorgen"
    response = client_for(professional).post(url, {"reason": reason})
    assert response.status_code == 400
    assert "onzichtbare tekens" in response.content.decode()
    assert "U+202E, U+202C" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()


def test_search_is_posted_finds_only_visible_residents_and_logs_no_terms(
    professional, client_for, inside, outside
) -> None:
    client = client_for(professional)
    for resident in (inside, outside):
        response = client.post(
            reverse("residents:search"),
            {"name": resident.family_name, "date_of_birth": resident.date_of_birth.isoformat()},
        )
        assert response.status_code == 200
    found = AccessLogEntry.objects.filter(event="search").order_by("id")
    assert [e.objects_touched for e in found] == [[f"residents.resident:{inside.pk}"], []]
    assert all(inside.family_name not in str(vars(e)) for e in found)


def test_search_needs_at_least_one_field(professional, client_for) -> None:
    response = client_for(professional).post(reverse("residents:search"), {})
    assert "Vul ten minste één zoekveld in." in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_search_by_htmx_returns_only_the_results_partial(professional, client_for, inside) -> None:
    response = client_for(professional).post(
        reverse("residents:search"),
        {"postcode": inside.address.postcode.lower()},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert 'id="zoekresultaten"' in body
    assert "<html" not in body
    assert inside.full_name in body


def test_access_log_page_lists_who_accessed_the_file(professional, client_for, inside) -> None:
    client = client_for(professional)
    client.get(reverse("residents:detail", args=[inside.pk]))
    response = client.get(reverse("residents:access_log", args=[inside.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert professional.username in body
    assert body.count("utrecht-table__row") >= 3  # header, the read, and reading the log itself


def test_access_log_page_shows_the_searches_and_lists_that_showed_the_resident(
    professional, make_user, team, client_for, inside
) -> None:
    """A search names the residents it found; their access-log pages show it, and the page
    of a resident it did not find does not."""
    colleague = make_user(Role.PROFESSIONAL, teams=[team])
    client_for(colleague).post(
        reverse("residents:search"),
        {"name": inside.family_name, "date_of_birth": inside.date_of_birth.isoformat()},
    )
    search = AccessLogEntry.objects.get(event="search", user_id=colleague.pk)
    assert search.resident_id is None  # named only among the objects shown

    page = client_for(professional).get(reverse("residents:access_log", args=[inside.pk]))
    assert colleague.username in page.content.decode()

    neighbour = HouseholdMembershipFactory().resident  # same wijk, not found by the search
    other_page = client_for(professional).get(reverse("residents:access_log", args=[neighbour.pk]))
    assert other_page.status_code == 200
    assert professional.username in other_page.content.decode()  # reading its own log
    assert colleague.username not in other_page.content.decode()
