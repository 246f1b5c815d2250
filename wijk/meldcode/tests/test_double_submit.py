"""The meldcode's forms sent twice (a double click on "Opslaan", a browser that sends the POST
again): one case, one step, one reader, and the second sending leads to what the first made
(wijk.core.submissions, ADR 0043)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.urls import reverse

from wijk.core.tests.sent_forms import submission_key
from wijk.meldcode.models import MeldcodeCase, MeldcodeReader, MeldcodeStep
from wijk.meldcode.tests.conftest import step_data

pytestmark = pytest.mark.django_db

ALREADY_SENT = "U had dit formulier al verstuurd. Het is één keer opgeslagen."


def test_opening_a_case_twice_opens_one(client_for, coordinator, resident, team) -> None:
    client = client_for(coordinator)
    url = reverse("meldcode:open", args=[resident.pk])
    data = {"team": team.pk, "submission_key": submission_key(client.get(url))}

    first = client.post(url, data)
    second = client.post(url, data)

    case = MeldcodeCase.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("meldcode:detail", args=[case.pk])
    assert ALREADY_SENT in client.get(second["Location"]).content.decode()


def test_a_new_showing_of_the_form_opens_a_new_case(
    client_for, coordinator, resident, team
) -> None:
    client = client_for(coordinator)
    url = reverse("meldcode:open", args=[resident.pk])
    for _time in range(2):
        response = client.post(
            url, {"team": team.pk, "submission_key": submission_key(client.get(url))}
        )
        assert response.status_code == 302
    assert MeldcodeCase.objects.count() == 2


def test_recording_a_step_twice_records_it_once(case, client_for, coordinator) -> None:
    client = client_for(coordinator)
    url = reverse("meldcode:step", args=[case.pk, 1])
    data = {**step_data(1), "submission_key": submission_key(client.get(url))}

    first = client.post(url, data)
    second = client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("meldcode:detail", args=[case.pk])
    assert MeldcodeStep.objects.filter(case=case).count() == 1


def test_the_decision_step_twice_is_one_step(case, client_for, coordinator) -> None:
    client = client_for(coordinator)
    client.post(reverse("meldcode:step", args=[case.pk, 4]), step_data(4))
    url = reverse("meldcode:step", args=[case.pk, 5])
    data = {**step_data(5), "submission_key": submission_key(client.get(url))}

    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302

    assert MeldcodeStep.objects.filter(case=case, number=5).count() == 1
    case.refresh_from_db()
    assert case.status == "help"
    assert case.status_changes.count() == 2  # opened, help: not twice


def test_adding_a_reader_twice_adds_them_once_without_an_error(
    case, client_for, coordinator, reader
) -> None:
    client = client_for(coordinator)
    url = reverse("meldcode:readers", args=[case.pk])
    data = {
        "user": reader.pk,
        "reason": "Aandachtsfunctionaris, voor het overleg in stap 2.",
        "submission_key": submission_key(client.get(url)),
    }

    first = client.post(url, data)
    second = client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert MeldcodeReader.objects.filter(case=case).count() == 1


def test_a_key_sent_by_another_user_is_their_own(case, client_for, coordinator, team_lead) -> None:
    """Another account sending the same key is not led to the first record: it records a
    step of its own (and learns nothing of the first)."""
    url = reverse("meldcode:step", args=[case.pk, 2])
    data = {**step_data(2), "submission_key": submission_key(client_for(coordinator).get(url))}

    assert client_for(coordinator).post(url, data).status_code == 302
    response = client_for(team_lead).post(url, data)

    assert response.status_code == 302
    steps = MeldcodeStep.objects.filter(case=case, number=2)
    assert sorted(step.by_id for step in steps) == sorted([coordinator.pk, team_lead.pk])


def test_a_form_refused_once_is_saved_when_sent_again_corrected(
    case, client_for, coordinator
) -> None:
    client = client_for(coordinator)
    url = reverse("meldcode:step", args=[case.pk, 5])  # step 5 needs a step 4 first
    data = {**step_data(5), "submission_key": submission_key(client.get(url))}

    refused = client.post(url, data)
    assert refused.status_code == 200
    assert data["submission_key"] in refused.content.decode()  # the same form, shown again
    client.post(reverse("meldcode:step", args=[case.pk, 4]), step_data(4))

    assert client.post(url, data).status_code == 302
    assert MeldcodeStep.objects.filter(case=case, number=5).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_form_sent_twice_at_the_same_moment_opens_one_case(
    client_for, coordinator, resident, team
) -> None:
    """Two requests of one form at once (two connections of one browser): the unique key
    makes the second wait for the first and then lead to its case."""
    clients = [client_for(coordinator), client_for(coordinator)]
    url = reverse("meldcode:open", args=[resident.pk])
    data = {"team": team.pk, "submission_key": submission_key(clients[0].get(url))}
    start = threading.Barrier(2)

    def send(number: int) -> tuple[int, str]:
        try:
            start.wait()
            response = clients[number].post(url, data)
            return response.status_code, response["Location"]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(send, range(2)))

    case = MeldcodeCase.objects.get()
    assert results == [(302, reverse("meldcode:detail", args=[case.pk]))] * 2
