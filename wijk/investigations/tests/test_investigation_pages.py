"""The investigation through its pages: started from the request's page, filled in, finished
(after which nothing changes, also not in the database), the resident's own view, and the
same 404 for other teams and for ids that do not exist."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from wijk.core.models import AccessEvent, AccessLogEntry, AccessOutcome
from wijk.investigations.models import Investigation, OwnView
from wijk.investigations.tests.conftest import code, edit, finish, receive, start
from wijk.requests.deadlines import request_deadlines

pytestmark = pytest.mark.django_db


def test_the_request_page_shows_the_six_weeks_and_leads_to_the_start(
    professional, help_request, client_for
) -> None:
    client = client_for(professional)
    page = client.get(reverse("requests:detail", args=[help_request.pk])).content.decode()

    assert (
        help_request.investigation_due == request_deadlines(help_request.received_at).investigation
    )
    assert "Onderzoek afgerond uiterlijk" in page
    assert reverse("investigations:for_request", args=[help_request.pk]) in page
    start_page = client.get(reverse("investigations:for_request", args=[help_request.pk]))
    assert start_page.status_code == 200
    assert "Onderzoek starten" in start_page.content.decode()


def test_starting_makes_the_investigation_of_the_request_and_logs_it(
    professional, help_request, resident, client_for
) -> None:
    client = client_for(professional)
    investigation = start(client, help_request)

    assert investigation.resident == resident
    assert investigation.started_by == professional
    assert investigation.completed_on is None
    entry = AccessLogEntry.objects.filter(event=AccessEvent.CREATE, user_id=professional.pk).last()
    assert entry.objects_touched[0] == f"investigations.investigation:{investigation.pk}"
    assert entry.resident_id == resident.pk
    # Once started, the request's link leads to it; starting again makes nothing new.
    again = client.get(reverse("investigations:for_request", args=[help_request.pk]))
    assert again["Location"] == reverse("investigations:detail", args=[investigation.pk])
    client.post(reverse("investigations:for_request", args=[help_request.pk]))
    assert Investigation.objects.filter(help_request=help_request).count() == 1


def test_a_request_without_a_resident_cannot_start_one(professional, team, client_for) -> None:
    unlinked = receive(resident=None, team=team, assigned_to=professional)
    client = client_for(professional)

    response = client.post(reverse("investigations:for_request", args=[unlinked.pk]))

    assert response.status_code == 400
    assert "Koppel eerst een inwoner" in response.content.decode()
    assert not Investigation.objects.exists()


def test_a_household_request_gives_the_household(professional, resident, team, client_for):
    household = resident.household_membership.household
    whole = receive(resident=resident, team=team, assigned_to=professional, household=household)

    investigation = start(client_for(professional), whole)

    assert investigation.household == household


def test_edit_saves_what_the_conversation_found(professional, help_request, client_for) -> None:
    client = client_for(professional)
    investigation = start(client, help_request)

    response = edit(client, investigation)

    assert response.status_code == 302
    investigation.refresh_from_db()
    assert investigation.conversation_place == "home"
    assert investigation.network_who == "Dochter Sara"
    assert set(investigation.life_domains.values_list("code", flat=True)) == {
        "finances",
        "housing",
    }
    page = client.get(reverse("investigations:detail", args=[investigation.pk])).content.decode()
    assert "Mevrouw wil weer zelf kunnen koken" in page
    assert "Financiën" in page


def test_edit_reports_every_mistake_at_once(professional, help_request, client_for) -> None:
    client = client_for(professional)
    investigation = start(client, help_request)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    response = edit(
        client,
        investigation,
        conversation_on=tomorrow,
        network_present=None,
        expertise_asked=None,
        underlying_question="Verborgen\u202etekst",
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {
        "conversation_on",
        "network_who",
        "expertise_which",
        "underlying_question",
    }
    investigation.refresh_from_db()
    assert investigation.underlying_question == ""


def test_finish_is_refused_while_the_report_is_incomplete(
    professional, help_request, client_for
) -> None:
    client = client_for(professional)
    investigation = start(client, help_request)
    page = client.get(reverse("investigations:finish", args=[investigation.pk])).content.decode()
    assert "Beschrijf de vraag achter de vraag." in page

    response = finish(client, investigation)

    assert response.status_code == 400
    investigation.refresh_from_db()
    assert investigation.completed_on is None


def test_finished_investigation_does_not_change_any_more(
    professional, help_request, client_for
) -> None:
    client = client_for(professional)
    investigation = start(client, help_request)
    edit(client, investigation)

    response = finish(client, investigation)

    assert response.status_code == 302
    investigation.refresh_from_db()
    assert investigation.completed_on == timezone.localdate()
    assert investigation.completed_by == professional
    # The edit page sends back to the report, and a posted edit changes nothing.
    assert client.get(reverse("investigations:edit", args=[investigation.pk])).status_code == 302
    edit(client, investigation, underlying_question="Iets anders")
    investigation.refresh_from_db()
    assert investigation.underlying_question.startswith("Mevrouw wil weer")
    assert finish(client, investigation).status_code == 302  # already finished: nothing new
    assert Investigation.objects.get(pk=investigation.pk).completed_on == timezone.localdate()


def test_the_database_refuses_to_change_a_finished_investigation(
    professional, help_request, client_for
) -> None:
    client = client_for(professional)
    investigation = start(client, help_request)
    edit(client, investigation)
    # Still open: the database lets it change.
    Investigation.objects.filter(pk=investigation.pk).update(own_strength="Zelf koken.")
    finish(client, investigation)
    rows = Investigation.objects.filter(pk=investigation.pk)

    for change in (
        lambda: rows.update(underlying_question="Overschreven"),
        lambda: rows.update(completed_on=None, completed_by=None),
        lambda: investigation.life_domains.add(code("life_domains", "physical_health")),
        lambda: investigation.life_domains.clear(),
        lambda: rows.delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()

    investigation.refresh_from_db()
    assert investigation.underlying_question.startswith("Mevrouw wil weer")
    assert investigation.life_domains.count() == 2


def test_the_resident_adds_their_own_view_to_the_finished_report(
    professional, help_request, client_for
) -> None:
    client = client_for(professional)
    investigation = start(client, help_request)
    url = reverse("investigations:own_view", args=[investigation.pk])
    # Not before it is finished.
    assert client.get(url).status_code == 302
    edit(client, investigation)
    finish(client, investigation)

    response = client.post(
        url,
        {
            "text": "Ik wil liever hulp op maandag dan op zaterdag.",
            "given_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 302
    own_view = OwnView.objects.get(investigation=investigation)
    assert own_view.recorded_by == professional
    page = client.get(reverse("investigations:detail", args=[investigation.pk])).content.decode()
    assert "Ik wil liever hulp op maandag" in page
    with pytest.raises(DatabaseError), transaction.atomic():
        OwnView.objects.filter(pk=own_view.pk).update(text="Anders")


def test_another_team_gets_404_on_every_page(
    professional, outsider, help_request, client_for
) -> None:
    investigation = start(client_for(professional), help_request)
    client = client_for(outsider)
    urls = [
        reverse("investigations:for_request", args=[help_request.pk]),
        *(
            reverse(f"investigations:{name}", args=[investigation.pk])
            for name in ("detail", "edit", "finish", "own_view", "report")
        ),
    ]

    for url in urls:
        assert client.get(url).status_code == 404, url
    assert edit(client, investigation).status_code == 404
    assert finish(client, investigation).status_code == 404
    investigation.refresh_from_db()
    assert investigation.underlying_question == ""
    assert investigation.completed_on is None


def test_a_colleague_and_the_team_lead_of_the_team_see_it(
    professional, colleague, team_lead, help_request, client_for
) -> None:
    investigation = start(client_for(professional), help_request)
    url = reverse("investigations:detail", args=[investigation.pk])

    assert client_for(colleague).get(url).status_code == 200
    assert client_for(team_lead).get(url).status_code == 200


def test_a_missing_id_is_the_same_404_and_the_refusal_is_logged(
    professional, help_request, client_for
) -> None:
    client = client_for(professional)
    investigation = start(client, help_request)
    missing = investigation.pk + 1000

    for name in ("detail", "edit", "finish", "own_view", "report"):
        assert client.get(reverse(f"investigations:{name}", args=[missing])).status_code == 404
    refused = AccessLogEntry.objects.filter(
        user_id=professional.pk, outcome=AccessOutcome.REFUSED
    ).values_list("objects_touched", flat=True)
    assert [f"investigations.investigation:{missing}"] in list(refused)
    for hostile in ("99999999999999999999999", "٣", "-1", "1e3"):
        assert client.get(f"/onderzoeken/{hostile}").status_code == 404
