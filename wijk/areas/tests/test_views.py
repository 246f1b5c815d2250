"""The area screens through their HTML forms: wijken per CBS year, a wijk's buurten, moving a
wijk to another stadsdeel, and creating and renaming stadsdelen. Haarlem's CBS 2016 indeling
and its stadsdelen are loaded by the migrations."""

from __future__ import annotations

import pytest
from django.urls import reverse
from structlog.testing import CapturingLogger

from wijk.accounts.models import Role, User
from wijk.areas.models import Buurt, District, Municipality, Wijk
from wijk.areas.services import wijk_set_district
from wijk.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

OTHER_ROLES = [Role.PROFESSIONAL, Role.TEAM_LEAD, Role.MANAGEMENT, Role.MUNICIPALITY]


@pytest.fixture
def audit(monkeypatch) -> CapturingLogger:
    logger = CapturingLogger()
    monkeypatch.setattr("wijk.areas.services.log", logger)
    return logger


@pytest.fixture
def oude_stad() -> Wijk:
    return Wijk.objects.get(code="WK039201", source_year=2016)


def events(audit: CapturingLogger) -> list[str]:
    return [call.args[0] for call in audit.calls]


def test_wijk_list_groups_wijken_by_cbs_year(
    admin_client, oude_stad, django_assert_num_queries
) -> None:
    newer = Wijk.objects.create(
        municipality=oude_stad.municipality,
        district=oude_stad.district,
        code=oude_stad.code,
        name="Oude Stad",
        source_year=2024,
    )
    Buurt.objects.create(wijk=newer, code="BU03920101", name="Stationsbuurt", source_year=2024)
    with django_assert_num_queries(4):
        response = admin_client.get(reverse("areas:wijk_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("CBS-indeling 2024") < html.index("CBS-indeling 2016")
    assert "Stadsdeel van wijk Oude Stad wijzigen" in html
    row = html.split('scope="row">Oude Stad</th>')[2].split("</tr>")[0]  # the 2016 row
    assert "Centrum" in row
    assert f">{oude_stad.buurten.count()}</td>" in row


def test_wijk_detail_lists_its_buurten(admin_client, oude_stad) -> None:
    response = admin_client.get(reverse("areas:wijk_detail", args=[oude_stad.pk]))
    html = response.content.decode()
    assert "Buurten in wijk Oude Stad" in html
    assert "Stationsbuurt" in html
    assert "BU03920101" in html


def test_wijk_edit_moves_the_wijk_to_another_stadsdeel(admin_client, oude_stad, audit) -> None:
    noord = District.objects.get(name="Noord")
    response = admin_client.post(
        reverse("areas:wijk_edit", args=[oude_stad.pk]), {"district": noord.pk}, follow=True
    )
    assert "Het stadsdeel van wijk Oude Stad is opgeslagen." in response.content.decode()
    oude_stad.refresh_from_db()
    assert oude_stad.district == noord
    assert events(audit) == ["wijk_district_set"]


def test_wijk_edit_can_leave_the_wijk_without_stadsdeel(admin_client, oude_stad) -> None:
    admin_client.post(reverse("areas:wijk_edit", args=[oude_stad.pk]), {"district": ""})
    oude_stad.refresh_from_db()
    assert oude_stad.district is None


def test_wijk_edit_refuses_a_stadsdeel_of_another_gemeente(admin_client, oude_stad, audit):
    elsewhere = Municipality.objects.create(code="GM0363", name="Amsterdam")
    centrum = District.objects.create(municipality=elsewhere, name="Centrum")
    response = admin_client.post(
        reverse("areas:wijk_edit", args=[oude_stad.pk]), {"district": centrum.pk}
    )
    assert "Kies bij &quot;Stadsdeel&quot; een mogelijkheid uit de lijst." in (
        response.content.decode()
    )
    oude_stad.refresh_from_db()
    assert oude_stad.district.municipality.code == "GM0392"
    with pytest.raises(ValidationFailed) as refused:
        wijk_set_district(actor=User(pk=1), wijk=oude_stad, district=centrum)
    assert "Kies een stadsdeel van de gemeente" in refused.value.fields["district"]
    assert events(audit) == []


def test_district_list_counts_wijken_of_the_newest_year(
    admin_client, django_assert_num_queries
) -> None:
    with django_assert_num_queries(5):
        response = admin_client.get(reverse("areas:district_list"))
    html = response.content.decode()
    centrum = District.objects.get(name="Centrum")
    assert "met het aantal wijken volgens de CBS-indeling van 2016" in html
    row = html.split('scope="row">Centrum</th>')[1].split("</tr>")[0]
    assert f">{centrum.wijken.count()}</td>" in row
    assert "Stadsdeel Centrum hernoemen" in html


def test_district_create_adds_a_stadsdeel(admin_client, audit) -> None:
    haarlem = Municipality.objects.get(code="GM0392")
    response = admin_client.post(
        reverse("areas:district_create"),
        {"name": " Spaarndam ", "municipality": haarlem.pk},
        follow=True,
    )
    assert "Stadsdeel Spaarndam is aangemaakt." in response.content.decode()
    assert District.objects.filter(municipality=haarlem, name="Spaarndam").exists()
    assert events(audit) == ["district_created"]


@pytest.mark.parametrize(
    ("name", "message"),
    [("centrum", "Er is al een stadsdeel met de naam centrum."), ("", "Vul &quot;Naam&quot; in.")],
)
def test_district_create_refused_with_dutch_message(admin_client, audit, name, message) -> None:
    haarlem = Municipality.objects.get(code="GM0392")
    before = District.objects.count()
    response = admin_client.post(
        reverse("areas:district_create"), {"name": name, "municipality": haarlem.pk}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert District.objects.count() == before
    assert events(audit) == []


def test_district_edit_renames(admin_client, audit) -> None:
    noord = District.objects.get(name="Noord")
    response = admin_client.post(
        reverse("areas:district_edit", args=[noord.pk]), {"name": "Haarlem-Noord"}, follow=True
    )
    assert "Stadsdeel Noord heet nu Haarlem-Noord." in response.content.decode()
    noord.refresh_from_db()
    assert noord.name == "Haarlem-Noord"
    assert events(audit) == ["district_renamed"]


def test_district_edit_refuses_the_name_of_another_stadsdeel(admin_client) -> None:
    noord = District.objects.get(name="Noord")
    response = admin_client.post(
        reverse("areas:district_edit", args=[noord.pk]), {"name": "Centrum"}
    )
    assert "Er is al een stadsdeel met de naam Centrum." in response.content.decode()
    noord.refresh_from_db()
    assert noord.name == "Noord"


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_403_on_every_area_page(role, make_user, client_for, oude_stad) -> None:
    http = client_for(make_user(role))
    district = oude_stad.district
    urls = [
        reverse("areas:wijk_list"),
        reverse("areas:wijk_detail", args=[oude_stad.pk]),
        reverse("areas:wijk_edit", args=[oude_stad.pk]),
        reverse("areas:district_list"),
        reverse("areas:district_create"),
        reverse("areas:district_edit", args=[district.pk]),
    ]
    for url in urls:
        assert http.get(url).status_code == 403, url
        assert http.post(url, {"name": "Ergens", "district": ""}).status_code == 403, url
    oude_stad.refresh_from_db()
    assert oude_stad.district == district
    assert not District.objects.filter(name="Ergens").exists()
