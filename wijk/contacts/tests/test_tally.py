"""Tally mode: one press on a life domain's button counts one contact, with or without htmx;
the counters show the team's count for the day and channel; the author can take back their
own last tally within five minutes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.contacts.models import ShortContact
from wijk.core.models import AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.reference.models import Code

pytestmark = pytest.mark.django_db

URL = reverse("contacts:tally")
HTMX = {"HTTP_HX_REQUEST": "true"}


def code(slug: str, value: str) -> Code:
    return Code.objects.get(code_list__slug=slug, code=value)


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team])


def press(client, team, domain: str, *, channel: str = "walk_in", htmx: bool = False, follow=False):
    data = {
        "contact_date": timezone.localdate().isoformat(),
        "channel": str(code("channels", channel).pk),
        "team": str(team.pk),
        "life_domain": str(code("life_domains", domain).pk),
    }
    return client.post(URL, data, follow=follow, **(HTMX if htmx else {}))


def undo(client, team, *, htmx: bool = False):
    data = {
        "action": "undo",
        "contact_date": timezone.localdate().isoformat(),
        "channel": str(code("channels", "walk_in").pk),
        "team": str(team.pk),
    }
    return client.post(URL, data, **(HTMX if htmx else {}))


def test_the_board_has_one_button_per_valid_life_domain(professional, client_for) -> None:
    response = client_for(professional).get(URL)
    board = response.context["board"]
    assert [row.life_domain.code for row in board.rows] == list(
        Code.objects.filter(code_list__slug="life_domains").values_list("code", flat=True)
    )
    assert len(board.rows) == 13
    assert board.channel == code("channels", "walk_in")
    assert response.content.decode().count(">vandaag geteld: 0<") == 13


def test_each_press_counts_exactly_one_contact_and_never_a_resident(
    professional, client_for, team
) -> None:
    client = client_for(professional)
    for _press in range(3):
        response = press(client, team, "finances")
        assert response.status_code == 302
    contacts = ShortContact.objects.all()
    assert contacts.count() == 3
    assert {(c.life_domain.code, c.channel.code, c.tallied) for c in contacts} == {
        ("finances", "walk_in", True)
    }
    assert not AccessLogEntry.objects.exists()


def test_without_javascript_the_press_returns_to_the_same_board(
    professional, client_for, team
) -> None:
    client = client_for(professional)
    response = press(client, team, "housing", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[0][0].startswith(URL + "?")
    assert "Geteld: Huisvesting." in page
    row = next(r for r in response.context["board"].rows if r.life_domain.code == "housing")
    assert row.count == 1


def test_with_htmx_the_board_comes_back_with_the_new_counts(professional, client_for, team) -> None:
    client = client_for(professional)
    press(client, team, "finances", htmx=True)
    response = press(client, team, "finances", htmx=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="turfbord"')
    assert "<h1" not in page
    assert "vandaag geteld: 2" in page
    assert "Totaal vandaag geteld: 2" in page
    assert 'hx-swap-oob="innerHTML"' in page and "Geteld: Financiën." in page
    assert 'id="turf-finances"' in page  # htmx puts the focus back on the same button


def test_counters_are_per_team_day_and_channel(professional, client_for, team, make_user):
    colleague = make_user(Role.PROFESSIONAL, teams=[team])
    press(client_for(colleague), team, "finances")
    press(client_for(colleague), team, "finances", channel="phone")
    ShortContact.objects.create(
        contact_date=timezone.localdate() - datetime.timedelta(days=1),
        channel=code("channels", "walk_in"),
        life_domain=code("life_domains", "finances"),
        team=team,
        registered_by=colleague,
    )
    board = client_for(professional).get(URL).context["board"]
    counts = {row.life_domain.code: row.count for row in board.rows}
    assert counts["finances"] == 1
    assert board.total == 1


def test_undo_removes_only_the_users_own_last_tally(
    professional, client_for, team, make_user
) -> None:
    client = client_for(professional)
    press(client, team, "finances")
    press(client, team, "housing")
    colleague = client_for(make_user(Role.PROFESSIONAL, teams=[team]))
    press(colleague, team, "justice")

    response = undo(client, team, htmx=True)
    assert "Eén telling bij Huisvesting is weggehaald." in response.content.decode()
    remaining = sorted(ShortContact.objects.values_list("life_domain__code", flat=True))
    assert remaining == ["finances", "justice"]


def test_undo_is_refused_after_five_minutes(professional, client_for, team) -> None:
    client = client_for(professional)
    press(client, team, "finances")
    ShortContact.objects.update(registered_at=timezone.now() - datetime.timedelta(minutes=6))
    response = undo(client, team, htmx=True)
    assert "Er is niets om ongedaan te maken" in response.content.decode()
    assert ShortContact.objects.count() == 1


def test_undo_does_not_take_back_contacts_registered_with_the_form(
    professional, client_for, team
) -> None:
    client = client_for(professional)
    client.post(
        reverse("contacts:register"),
        {
            "contact_date": timezone.localdate().isoformat(),
            "channel": str(code("channels", "phone").pk),
            "life_domain": str(code("life_domains", "finances").pk),
            "team": str(team.pk),
            "count": "2",
        },
    )
    response = undo(client, team)
    assert response.status_code == 302
    assert ShortContact.objects.count() == 2


def test_the_undo_button_names_what_it_takes_back(professional, client_for, team) -> None:
    client = client_for(professional)
    assert "Laatste telling ongedaan maken" not in client.get(URL).content.decode()
    press(client, team, "justice")
    assert "Laatste telling ongedaan maken (Justitie," in client.get(URL).content.decode()


def test_a_press_for_another_team_counts_nothing(professional, client_for) -> None:
    response = press(client_for(professional), TeamFactory(), "finances", follow=True)
    assert "Dit is niet geteld." in response.content.decode()
    assert not ShortContact.objects.exists()


def test_settings_come_from_the_query_and_are_remembered(professional, client_for, team) -> None:
    client = client_for(professional)
    phone = code("channels", "phone")
    response = client.get(URL, {"channel": phone.pk, "team": team.pk, "contact_date": "2026-01-05"})
    assert response.context["board"].channel == phone
    assert response.context["board"].contact_date == datetime.date(2026, 1, 5)
    assert "geteld: 0" in response.content.decode()
    assert client.get(URL).context["board"].channel == phone  # remembered, date back to today


def test_a_date_in_the_future_shows_an_error_and_no_buttons(professional, client_for, team):
    response = client_for(professional).get(
        URL,
        {"channel": code("channels", "phone").pk, "team": team.pk, "contact_date": "2999-01-01"},
    )
    assert response.context["board"] is None
    assert "De datum ligt in de toekomst." in response.content.decode()


def test_the_board_takes_a_fixed_number_of_queries(
    professional, client_for, team, django_assert_num_queries
) -> None:
    client = client_for(professional)
    press(client, team, "finances")
    client.get(URL)  # the session settles
    with CaptureQueriesContext(connection) as one_contact:
        client.get(URL)
    expected = len(one_contact)  # now: the next request starts a new query log
    for domain in ("housing", "justice", "finances", "time_use") * 5:
        press(client, team, domain)
    with django_assert_num_queries(expected):
        client.get(URL)


def test_tally_is_two_clicks_from_the_worklist(make_user, team, client_for) -> None:
    """One link on the worklist opens tally mode; one press on a topic counts a contact."""
    from django.urls import reverse

    client = client_for(make_user("professional", teams=[team]))
    worklist = client.get(reverse("requests:worklist")).content.decode()
    assert f'href="{reverse("contacts:tally")}"' in worklist
