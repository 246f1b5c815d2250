"""Registering count-only contacts through the compact form: defaults, a number at once,
validation, and that nothing about a person is stored or logged."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Wijk
from wijk.contacts.models import ShortContact
from wijk.contacts.services import short_contact_register
from wijk.core.errors import PermissionDeniedError, ValidationFailed
from wijk.core.models import AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.reference.models import Code

pytestmark = pytest.mark.django_db

URL = reverse("contacts:register")


def code(slug: str, value: str) -> Code:
    return Code.objects.get(code_list__slug=slug, code=value)


def verified(user):
    """Mark the user as past the TOTP step, as OTPMiddleware does for a request's user, so
    that services can be called directly."""
    user.is_verified = lambda: True
    return user


@pytest.fixture
def professional(make_user, team):
    return verified(make_user(Role.PROFESSIONAL, teams=[team]))


def form_data(team, **overrides):
    data = {
        "contact_date": timezone.localdate().isoformat(),
        "channel": str(code("channels", "phone").pk),
        "life_domain": str(code("life_domains", "finances").pk),
        "team": str(team.pk),
        "wijk": "",
        "count": "1",
    }
    data.update(overrides)
    return data


def test_the_form_starts_at_today_walk_in_and_the_users_only_team(
    professional, client_for, team
) -> None:
    response = client_for(professional).get(URL)
    form = response.context["form"]
    assert response.status_code == 200
    assert form["contact_date"].value() == timezone.localdate()
    assert form["channel"].value() == code("channels", "walk_in").pk
    assert form["team"].value() == team.pk
    assert form.fields["team"].widget.is_hidden
    page = response.content.decode()
    assert f"U registreert voor team {team.name}." in page
    assert f'type="date" name="contact_date" value="{timezone.localdate().isoformat()}"' in page


def test_a_user_in_two_teams_picks_the_team(make_user, client_for, team) -> None:
    other = TeamFactory()
    user = make_user(Role.PROFESSIONAL, teams=[team, other])
    form = client_for(user).get(URL).context["form"]
    assert not form.fields["team"].widget.is_hidden
    assert set(form.fields["team"].queryset) == {team, other}


def test_registering_a_number_at_once_creates_that_many_rows_without_personal_data(
    professional, client_for, team
) -> None:
    wijk = team.wijken.get()
    response = client_for(professional).post(URL, form_data(team, count="3", wijk=str(wijk.pk)))
    assert response.status_code == 302
    assert response["Location"] == URL
    contacts = list(ShortContact.objects.all())
    assert len(contacts) == 3
    assert {(c.team_id, c.wijk_id, c.registered_by_id, c.tallied) for c in contacts} == {
        (team.pk, wijk.pk, professional.pk, False)
    }
    assert not AccessLogEntry.objects.exists()  # no person, nothing to log


def test_a_short_contact_has_no_link_to_a_resident_or_household() -> None:
    related = {
        field.related_model._meta.app_label
        for field in ShortContact._meta.get_fields()
        if field.is_relation and field.related_model is not None
    }
    assert related == {"reference", "organisations", "areas", "accounts"}


def test_the_next_registration_starts_from_the_last_channel_and_team(
    make_user, client_for, team
) -> None:
    other = TeamFactory()
    user = make_user(Role.PROFESSIONAL, teams=[team, other])
    client = client_for(user)
    client.post(URL, form_data(other, channel=str(code("channels", "outreach").pk)))
    form = client.get(URL).context["form"]
    assert form["channel"].value() == code("channels", "outreach").pk
    assert form["team"].value() == other.pk
    assert form["contact_date"].value() == timezone.localdate()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_date", "2999-01-01", "De datum ligt in de toekomst."),
        ("count", "51", "Vul een aantal in van 1 tot en met 50."),
        ("count", "0", "Vul ten minste 1 in."),
        ("life_domain", "", "Kies het onderwerp van het contact."),
    ],
)
def test_invalid_input_gets_a_dutch_message_and_registers_nothing(
    professional, client_for, team, field, value, message
) -> None:
    response = client_for(professional).post(URL, form_data(team, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ShortContact.objects.exists()


def test_a_team_the_user_is_not_in_is_refused(professional, client_for, team) -> None:
    other = TeamFactory()
    response = client_for(professional).post(URL, form_data(other))
    assert response.status_code == 200
    assert not ShortContact.objects.exists()
    with pytest.raises(ValidationFailed) as refused:
        short_contact_register(
            actor=professional,
            contact_date=timezone.localdate(),
            channel=code("channels", "phone"),
            life_domain=code("life_domains", "finances"),
            team=other,
        )
    assert "team" in refused.value.fields


def test_a_wijk_outside_the_team_is_refused(professional, team) -> None:
    other_wijk = Wijk.objects.exclude(pk__in=team.wijken.values("pk")).first()
    with pytest.raises(ValidationFailed) as refused:
        short_contact_register(
            actor=professional,
            contact_date=timezone.localdate(),
            channel=code("channels", "phone"),
            life_domain=code("life_domains", "finances"),
            team=team,
            wijk=other_wijk,
        )
    assert refused.value.fields == {"wijk": "Kies een wijk van het team."}


def test_a_retired_channel_is_refused_for_a_later_date(professional, team) -> None:
    channel = code("channels", "writing")
    channel.valid_until = datetime.date(2023, 12, 31)
    channel.save()
    with pytest.raises(ValidationFailed) as refused:
        short_contact_register(
            actor=professional,
            contact_date=timezone.localdate(),
            channel=channel,
            life_domain=code("life_domains", "finances"),
            team=team,
        )
    assert "channel" in refused.value.fields
    registered = short_contact_register(
        actor=professional,
        contact_date=datetime.date(2023, 6, 1),
        channel=channel,
        life_domain=code("life_domains", "finances"),
        team=team,
    )
    assert registered == 1


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.MUNICIPALITY, Role.ADMINISTRATOR])
def test_roles_without_team_work_cannot_register(make_user, client_for, team, role) -> None:
    user = verified(make_user(role, teams=[team]))
    response = client_for(user).post(URL, form_data(team))
    assert response.status_code == 404
    assert not ShortContact.objects.exists()
    with pytest.raises(PermissionDeniedError):
        short_contact_register(
            actor=user,
            contact_date=timezone.localdate(),
            channel=code("channels", "phone"),
            life_domain=code("life_domains", "finances"),
            team=team,
        )


def test_a_professional_without_a_team_is_told_to_ask_for_one(make_user, client_for) -> None:
    response = client_for(make_user(Role.PROFESSIONAL)).get(URL)
    assert response.status_code == 200
    assert "U bent nog geen lid van een team" in response.content.decode()
