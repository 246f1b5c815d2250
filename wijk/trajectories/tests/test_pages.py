"""The trajectory pages: the team's open trajectories (query count pinned), the residents
turning 18, the trajectory page, and what other teams and roles get."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.core.models import AccessLogEntry
from wijk.core.tests.page_echo import without_request_echo
from wijk.organisations.tests.factories import TeamFactory
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.residents.models import Assignment
from wijk.residents.tests.factories import HouseholdMembershipFactory
from wijk.trajectories.adulthood import months_later
from wijk.trajectories.services import trajectory_transition
from wijk.trajectories.tests.conftest import code, verified

pytestmark = pytest.mark.django_db


def born_turning_18_on(day: datetime.date) -> datetime.date:
    return months_later(day, -12 * 18)


def test_list_shows_open_trajectories_of_my_teams_with_a_constant_query_count(
    professional, client_for, start, django_assert_num_queries
) -> None:
    client = client_for(professional)
    url = reverse("trajectories:list")
    start()
    client.get(url)  # warm up the session and the user
    with CaptureQueriesContext(connection) as one:
        first = client.get(url)
    assert first.status_code == 200
    for _ in range(19):
        start(resident=HouseholdMembershipFactory().resident)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    body = response.content.decode()
    assert "20 open trajecten" in body
    assert "Fatima Bakker" in body  # the coordinator
    entry = AccessLogEntry.objects.filter(event="search").order_by("-id").first()
    assert len(entry.objects_touched) == 40  # each trajectory and its resident


def test_list_leaves_out_closed_and_other_teams_trajectories(
    professional, client_for, start, make_user
) -> None:
    closed = start()
    trajectory_transition(
        actor=professional,
        trajectory=closed,
        to="closed",
        outflow_date=timezone.localdate(),
        outflow_reason=code("outflow_reasons", "19"),
    )
    open_one = start(resident=HouseholdMembershipFactory().resident)
    other_team = TeamFactory()
    colleague = verified(make_user(Role.PROFESSIONAL, teams=[other_team]))
    start(actor=colleague, team=other_team, coordinator=colleague)
    body = client_for(professional).get(reverse("trajectories:list")).content.decode()
    assert "1 open traject" in body
    assert reverse("trajectories:detail", args=[open_one.pk]) in body
    assert reverse("trajectories:detail", args=[closed.pk]) not in body


def test_another_teams_trajectory_is_the_same_404_as_a_missing_one(
    start, client_for, make_user
) -> None:
    trajectory = start()
    outsider = client_for(make_user(Role.PROFESSIONAL, teams=[TeamFactory()]))
    for name in ("trajectories:detail", "trajectories:zrm", "trajectories:transition"):
        forbidden = outsider.get(reverse(name, args=[trajectory.pk]))
        missing = outsider.get(reverse(name, args=[trajectory.pk + 1000]))
        assert forbidden.status_code == missing.status_code == 404
        assert without_request_echo(forbidden.content) == without_request_echo(missing.content)
    refused = AccessLogEntry.objects.filter(outcome="refused", event="read")
    assert refused.count() == 6


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
def test_roles_without_person_level_access_get_404_everywhere(
    role, start, client_for, make_user, team
) -> None:
    trajectory = start()
    client = client_for(make_user(role, teams=[team]))
    for url in (
        reverse("trajectories:list"),
        reverse("trajectories:turning_18"),
        reverse("trajectories:detail", args=[trajectory.pk]),
        reverse("trajectories:zrm", args=[trajectory.pk]),
        reverse("trajectories:transition", args=[trajectory.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_coordinator_sees_the_trajectory_outside_their_teams(
    start, client_for, make_user, team
) -> None:
    coordinator = make_user(Role.PROFESSIONAL, teams=[team])
    trajectory = start(coordinator=coordinator)
    coordinator.teams.clear()
    client = client_for(coordinator)
    assert client.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 200


def test_trajectory_page_logs_the_read(professional, client_for, start, resident) -> None:
    trajectory = start()
    response = client_for(professional).get(reverse("trajectories:detail", args=[trajectory.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Traject van {resident.full_name}" in body
    assert "Eigen hulpvraag van de inwoner" in body
    entry = AccessLogEntry.objects.filter(event="read").order_by("-id").first()
    assert entry.resident_id == resident.pk
    assert f"trajectories.trajectory:{trajectory.pk}" in entry.objects_touched


def test_turning_18_lists_youth_trajectories_by_birthday_and_flags_them(
    professional, client_for, start
) -> None:
    def youth(day, **kwargs):
        resident = HouseholdMembershipFactory(resident__date_of_birth=born_turning_18_on(day))
        return start(resident=resident.resident, **kwargs)

    later = youth(months_later(timezone.localdate(), 5), youth_support=True)
    sooner = youth(timezone.localdate() + datetime.timedelta(days=10), youth_support=True)
    today = youth(timezone.localdate(), youth_support=True)
    not_youth = youth(timezone.localdate() + datetime.timedelta(days=20), youth_support=False)
    too_late = youth(months_later(timezone.localdate(), 7), youth_support=True)
    already = youth(timezone.localdate() - datetime.timedelta(days=1), youth_support=True)
    closed = youth(timezone.localdate() + datetime.timedelta(days=30), youth_support=True)
    trajectory_transition(
        actor=professional,
        trajectory=closed,
        to="closed",
        outflow_date=timezone.localdate(),
        outflow_reason=code("outflow_reasons", "19"),
    )
    client = client_for(professional)
    body = client.get(reverse("trajectories:turning_18")).content.decode()
    links = re.findall(r'href="/trajecten/(\d+)"', body)
    assert links == [str(t.pk) for t in (today, sooner, later)]
    for absent in (not_youth, too_late, already, closed):
        assert str(absent.pk) not in links
    assert "3 jongeren worden binnenkort 18" in body
    detail = client.get(reverse("trajectories:detail", args=[sooner.pk])).content.decode()
    assert "Wordt 18 op" in detail
    resident_page = client.get(
        reverse("residents:detail", args=[sooner.resident_id])
    ).content.decode()
    assert "Wordt 18 op" in resident_page.split('id="tijdlijn"')[1]
    assert (
        "Wordt 18 op"
        not in client.get(reverse("trajectories:detail", args=[not_youth.pk])).content.decode()
    )


def test_turning_18_query_count_is_constant(
    professional, client_for, start, django_assert_max_num_queries
) -> None:
    def youth():
        born = born_turning_18_on(timezone.localdate() + datetime.timedelta(days=40))
        resident = HouseholdMembershipFactory(resident__date_of_birth=born).resident
        start(resident=resident, youth_support=True)

    client = client_for(professional)
    url = reverse("trajectories:turning_18")
    youth()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(19):
        youth()
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(url).content.decode()
    assert "20 jongeren" in body


def test_resident_page_shows_only_trajectories_the_user_may_see(
    professional, client_for, start, resident, make_user
) -> None:
    mine = start()
    other_team = TeamFactory()
    colleague = verified(make_user(Role.PROFESSIONAL, teams=[other_team]))
    # The colleague may see the resident through an assignment, not through a team wijk.
    Assignment.objects.create(resident=resident, user=colleague)
    theirs = start(actor=colleague, team=other_team, coordinator=colleague)
    page = client_for(professional).get(reverse("residents:detail", args=[resident.pk]))
    body = page.content.decode()
    timeline = body.split('id="tijdlijn"')[1]
    assert reverse("trajectories:detail", args=[mine.pk]) in timeline
    assert reverse("trajectories:detail", args=[theirs.pk]) not in body
    assert f"{reverse('trajectories:start')}?inwoner={resident.pk}" in body


def test_resident_page_without_trajectories(professional, client_for, resident) -> None:
    page = client_for(professional).get(
        reverse("residents:detail", args=[resident.pk]) + "?soort=trajectory"
    )
    assert "Niets van deze soort dat u kunt zien." in page.content.decode()


def test_the_trajectory_page_links_to_its_request(
    professional, client_for, start, resident, team
) -> None:
    help_request = HelpRequestFactory(team=team, resident=resident, assigned_to=professional)
    trajectory = start(help_request=help_request)
    page = client_for(professional).get(reverse("trajectories:detail", args=[trajectory.pk]))
    link = f'<a class="utrecht-link" href="{reverse("requests:detail", args=[help_request.pk])}">'
    assert f"{link}{help_request.reference}</a>" in page.content.decode()
