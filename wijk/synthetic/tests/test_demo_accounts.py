"""`wijk demo_accounts`: demo-professional gets an own caseload (open requests of its team,
the coordination of a few open trajectories), shared out by demo-team-lead through the
services and so in the access log; running it again changes nothing; without seeded work it
assigns nothing. The demo path itself (log in, open the pages) is wijk/core/tests/
test_demo_path.py."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from wijk.accounts.models import Role, User
from wijk.accounts.tests.factories import UserFactory
from wijk.areas.models import Wijk
from wijk.core.models import AccessLogEntry
from wijk.organisations.models import Team
from wijk.organisations.tests.factories import TeamFactory
from wijk.requests.models import HelpRequest
from wijk.requests.tests.factories import HelpRequestFactory
from wijk.residents.models import Assignment
from wijk.synthetic.services import DEMO_OPEN_REQUESTS, DEMO_OPEN_TRAJECTORIES, team_slug
from wijk.trajectories.models import Trajectory
from wijk.trajectories.workflow import TrajectoryStatus

pytestmark = pytest.mark.django_db

AS_OF = "2026-06-01"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot(team: Team) -> tuple[dict[int, int | None], dict[int, int]]:
    """Who holds each open request and open trajectory of the team."""
    return (
        dict(HelpRequest.objects.open().filter(team=team).values_list("pk", "assigned_to")),
        dict(
            Trajectory.objects.filter(team=team)
            .exclude(status=TrajectoryStatus.CLOSED)
            .values_list("pk", "coordinator")
        ),
    )


def test_in_the_demo_city_the_caseload_is_shared_out_once() -> None:
    """The city of `make demo` (scale 0.05, two years), on a fixed date."""
    run("seed", "--scale", "0.05", "--years", "2", "--seed", "1", "--as-of", AS_OF, "--no-progress")
    team = Team.objects.get(wijken__code="WK039201", is_intake=False)
    requests_before, trajectories_before = snapshot(team)
    seeded = set(
        User.objects.filter(
            teams=team, role=Role.PROFESSIONAL, username__startswith=f"prof-{team_slug(team)}-"
        ).values_list("pk", flat=True)
    )
    available = [pk for pk, holder in requests_before.items() if holder in {None, *seeded}]
    assert available, "the demo city has open requests in the demo team"

    printed = run("demo_accounts")

    professional = User.objects.get(username="demo-professional")
    lead = User.objects.get(username="demo-team-lead")
    requests_after, trajectories_after = snapshot(team)
    own = {pk for pk, holder in requests_after.items() if holder == professional.pk}
    assert len(own) == min(DEMO_OPEN_REQUESTS, len(available))
    assert own <= set(available)
    coordinated = {pk for pk, holder in trajectories_after.items() if holder == professional.pk}
    assert len(coordinated) == DEMO_OPEN_TRAJECTORIES
    assert {trajectories_before[pk] for pk in coordinated} <= seeded
    for before, after, taken in (
        (requests_before, requests_after, own),
        (trajectories_before, trajectories_after, coordinated),
    ):  # nothing else changed hands
        assert {pk: h for pk, h in after.items() if pk not in taken} == {
            pk: h for pk, h in before.items() if pk not in taken
        }
    # every change is in the access log, under the team lead who shared out the work
    entries = list(AccessLogEntry.objects.all())
    assert {(e.event, e.user_id) for e in entries} == {("update", lead.pk)}
    touched = [ref for e in entries for ref in e.objects_touched]
    # each change with its row in the record's assignment history (ADR 0026)
    history = ("requests.requestassignment:", "trajectories.trajectorycoordinatorchange:")
    assert [sum(ref.startswith(kind) for ref in touched) for kind in history] == [
        len(own),
        len(coordinated),
    ]
    touched = [ref for ref in touched if not ref.startswith(history)]
    assert sorted(ref for ref in touched if not ref.startswith("residents.assignment:")) == sorted(
        [f"requests.helprequest:{pk}" for pk in own]
        + [f"trajectories.trajectory:{pk}" for pk in coordinated]
    )
    # a new coordinator gets a standing basis for the trajectory's resident (ADR 0020)
    assignments = {int(ref.split(":")[1]) for ref in touched if ref.startswith("residents.")}
    assert len(assignments) <= DEMO_OPEN_TRAJECTORIES
    assert set(Assignment.objects.filter(pk__in=assignments).values_list("user_id", flat=True)) <= {
        professional.pk
    }
    assert (
        f"demo-professional has {len(own)} open requests and coordinates "
        f"{DEMO_OPEN_TRAJECTORIES} open trajectories of {team.name}."
    ) in printed

    assert run("demo_accounts") == printed
    assert snapshot(team) == (requests_after, trajectories_after)
    assert AccessLogEntry.objects.count() == len(entries)


def test_unassigned_requests_first_then_those_of_one_seeded_professional() -> None:
    team = TeamFactory(name="Sociaal Wijkteam Centrum", wijken=[Wijk.objects.get(code="WK039201")])

    def staff(username: str) -> User:
        user = UserFactory(username=username, role=Role.PROFESSIONAL)
        user.teams.add(team)
        return user

    busiest, other, colleague = staff("prof-centrum-1"), staff("prof-centrum-2"), staff("kees")
    queue = [HelpRequestFactory(team=team) for _n in range(3)]
    of_busiest = [HelpRequestFactory(team=team, assigned_to=busiest) for _n in range(9)]
    of_other = [HelpRequestFactory(team=team, assigned_to=other) for _n in range(4)]
    of_colleague = [HelpRequestFactory(team=team, assigned_to=colleague) for _n in range(5)]

    run("demo_accounts")

    professional = User.objects.get(username="demo-professional")
    own = set(HelpRequest.objects.filter(assigned_to=professional).values_list("pk", flat=True))
    assert len(own) == DEMO_OPEN_REQUESTS
    assert {r.pk for r in queue} <= own
    assert own - {r.pk for r in queue} <= {r.pk for r in of_busiest}
    for untouched in (*of_other, *of_colleague):
        holder = untouched.assigned_to_id
        untouched.refresh_from_db()
        assert untouched.assigned_to_id == holder
    assert AccessLogEntry.objects.filter(event="update").count() == DEMO_OPEN_REQUESTS


def test_without_seeded_work_nothing_is_assigned() -> None:
    printed = run("demo_accounts")
    assert "demo-professional has 0 open requests and coordinates 0 open trajectories" in printed
    assert not AccessLogEntry.objects.exists()
