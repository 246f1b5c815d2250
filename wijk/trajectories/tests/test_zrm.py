"""ZRM 2017 assessments through the HTML form, and the change per life domain shown on the
trajectory page and on the resident's page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.core.errors import ValidationFailed
from wijk.core.models import AccessLogEntry
from wijk.trajectories.models import ZrmAssessment
from wijk.trajectories.selectors import trajectory_get_for_user
from wijk.trajectories.services import trajectory_transition, zrm_record
from wijk.trajectories.tests.conftest import code

pytestmark = pytest.mark.django_db


@pytest.fixture
def trajectory(start):
    return start(inflow_date=timezone.localdate() - datetime.timedelta(days=90))


def zrm_data(moment="start", days_ago=80, **scores):
    assessed_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    data = {"moment": moment, "assessed_on": assessed_on.isoformat()}
    data.update({f"score_{domain}": str(score) for domain, score in scores.items()})
    return data


def test_record_start_and_evaluation_and_see_the_change(
    professional, client_for, trajectory, resident
) -> None:
    client = client_for(professional)
    url = reverse("trajectories:zrm", args=[trajectory.pk])
    page = client.get(url).content.decode()
    assert "Financiën" in page and "Justitie" in page
    assert '<option value="start" selected>' in page
    assert (
        f'value="{timezone.localdate().isoformat()}"' in page
    )  # a native date field takes ISO 8601 only

    first = client.post(url, zrm_data("start", 80, finances=2, housing=3, justice=5))
    assert first.status_code == 302
    created = AccessLogEntry.objects.filter(event="create").order_by("-id").first()
    assessment = ZrmAssessment.objects.get()
    assert f"trajectories.zrmassessment:{assessment.pk}" in created.objects_touched
    assert created.resident_id == resident.pk
    assert '<option value="evaluation" selected>' in client.get(url).content.decode()

    client.post(url, zrm_data("evaluation", 10, finances=4, housing=3, social_network=2))

    detail = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "2 → 4 (+2)" in detail  # Financiën
    assert "3 → 3 (0)" in detail  # Huisvesting
    assert "één keer gescoord" in detail  # Justitie and Sociaal netwerk: once each
    resident_page = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    timeline = resident_page.split('id="tijdlijn"')[1]  # each assessment, newest first
    assert timeline.index("ZRM ingevuld: Evaluatie") < timeline.index("ZRM ingevuld: Begin")
    assert "Financiën 4, Huisvesting 3, Sociaal netwerk 2" in timeline
    assert "Financiën 2, Huisvesting 3, Justitie 5" in timeline
    assert reverse("trajectories:detail", args=[trajectory.pk]) in timeline


def test_a_decline_shows_as_negative(professional, trajectory) -> None:
    finances = code("life_domains", "finances")
    for moment, days_ago, score in (("start", 50, 4), ("evaluation", 5, 1)):
        zrm_record(
            actor=professional,
            trajectory=trajectory,
            moment=moment,
            assessed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
            scores={finances: score},
        )
    view = trajectory_get_for_user(user=professional, pk=trajectory.pk)
    assert [change.summary for change in view.zrm_changes] == ["Financiën 4 → 1 (-3)"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (zrm_data("start", 5), "Geef ten minste één leefgebied een score."),
        (zrm_data("start", -1, finances=3), "De datum ligt in de toekomst."),
        (zrm_data("start", 120, finances=3), "De datum ligt voor de start van het traject."),
        (zrm_data("start", 5, finances=6), "een mogelijkheid uit de lijst."),
        ({**zrm_data("start", 5, finances=3), "moment": ""}, "Kies het moment."),
    ],
)
def test_invalid_assessment_gets_a_dutch_message(
    professional, client_for, trajectory, data, message
) -> None:
    response = client_for(professional).post(
        reverse("trajectories:zrm", args=[trajectory.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ZrmAssessment.objects.exists()


def test_scores_outside_1_to_5_and_other_lists_are_refused_by_the_service(
    professional, trajectory
) -> None:
    for scores in (
        {code("life_domains", "finances"): 0},
        {code("life_domains", "finances"): 6},
        {code("channels", "phone"): 3},
    ):
        with pytest.raises(ValidationFailed):
            zrm_record(
                actor=professional,
                trajectory=trajectory,
                moment="start",
                assessed_on=timezone.localdate(),
                scores=scores,
            )
    assert not ZrmAssessment.objects.exists()


def test_one_start_and_one_end_and_only_the_end_after_closing(
    professional, client_for, trajectory
) -> None:
    client = client_for(professional)
    url = reverse("trajectories:zrm", args=[trajectory.pk])
    client.post(url, zrm_data("start", 80, finances=2))
    second_start = client.post(url, zrm_data("start", 70, finances=3))
    assert "Er is al een ZRM bij het begin." in second_start.content.decode()
    trajectory_transition(
        actor=professional,
        trajectory=trajectory,
        to="closed",
        outflow_date=timezone.localdate(),
        outflow_reason=code("outflow_reasons", "19"),
    )
    evaluation = client.post(url, zrm_data("evaluation", 1, finances=3))
    assert "Vul alleen nog de ZRM bij het einde in." in evaluation.content.decode()
    assert client.post(url, zrm_data("end", 0, finances=4)).status_code == 302
    again = client.post(url, zrm_data("end", 0, finances=4))
    assert "Er is al een ZRM bij het einde." in again.content.decode()
    assert list(ZrmAssessment.objects.values_list("moment", flat=True)) == ["start", "end"]
