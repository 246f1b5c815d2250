"""wijk.organisations.selectors.team_for_buurt: which team a request from a buurt goes to."""

from __future__ import annotations

import pytest

from wijk.areas.models import Buurt
from wijk.core.errors import ValidationFailed
from wijk.organisations.selectors import team_for_buurt
from wijk.organisations.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_buurten_in_two_wijken() -> tuple[Buurt, Buurt]:
    first = Buurt.objects.select_related("wijk").order_by("code").first()
    assert first is not None
    second = Buurt.objects.exclude(wijk__code=first.wijk.code).order_by("code").first()
    assert second is not None
    return first, second


def test_the_team_covering_the_wijk_else_the_intake_team(two_buurten_in_two_wijken) -> None:
    covered, uncovered = two_buurten_in_two_wijken
    intake = TeamFactory(name="Intaketeam", is_intake=True, wijken=[])
    TeamFactory(name="Opgeheven team", active=False, wijken=[covered.wijk])
    team = TeamFactory(name="Wijkteam Noord", wijken=[covered.wijk])
    assert team_for_buurt(buurt=covered) == team
    assert team_for_buurt(buurt=uncovered) == intake
    assert team_for_buurt(buurt=None) == intake


def test_no_active_intake_team_is_a_message_for_the_administrator(
    two_buurten_in_two_wijken,
) -> None:
    TeamFactory(name="Intaketeam", is_intake=True, active=False, wijken=[])
    with pytest.raises(ValidationFailed):
        team_for_buurt(buurt=two_buurten_in_two_wijken[1])
