"""The reference-list screens through their HTML forms: the lists, a list's codes with their
validity, adding a code and changing one. Codes are retired with an end date, never deleted,
and the code itself never changes. The seeded lists come from the migrations."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from structlog.testing import CapturingLogger

from wijk.accounts.models import Role
from wijk.reference.models import Code, CodeList

pytestmark = pytest.mark.django_db

OTHER_ROLES = [Role.PROFESSIONAL, Role.TEAM_LEAD, Role.MANAGEMENT, Role.MUNICIPALITY]


@pytest.fixture
def audit(monkeypatch) -> CapturingLogger:
    logger = CapturingLogger()
    monkeypatch.setattr("wijk.reference.services.log", logger)
    return logger


@pytest.fixture
def channels() -> CodeList:
    return CodeList.objects.get(slug="channels")


@pytest.fixture
def phone(channels) -> Code:
    return channels.codes.get(code="phone")


def events(audit: CapturingLogger) -> list[str]:
    return [call.args[0] for call in audit.calls]


def code_data(**overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "chat",
        "label_nl": "Chat op de website",
        "label_en": "Chat on the website",
        "parent": "",
        "valid_from": "2026-01-01",
        "valid_until": "",
        "sort_order": "70",
    }
    data.update(overrides)
    return data


def test_list_index_shows_lists_with_current_codes(
    admin_client, phone, django_assert_num_queries
) -> None:
    phone.valid_until = datetime.date(2023, 12, 31)
    phone.save()
    with django_assert_num_queries(4):
        response = admin_client.get(reverse("reference:list_index"))
    html = response.content.decode()
    assert response.status_code == 200
    row = html.split(">Kanalen</a></th>")[1].split("</tr>")[0]
    assert ">6</td>" in row  # codes in the list
    assert ">5</td>" in row  # of which valid today
    assert html.count('scope="row"') == CodeList.objects.count()


def test_list_detail_shows_codes_with_their_validity(
    admin_client, channels, phone, django_assert_num_queries
) -> None:
    phone.valid_until = datetime.date(2023, 12, 31)
    phone.save()
    with django_assert_num_queries(5):
        response = admin_client.get(reverse("reference:list_detail", args=[channels.slug]))
    html = response.content.decode()
    row = html.split('scope="row" lang="nl">Telefoon</th>')[1].split("</tr>")[0]
    assert "31 december 2023" in row
    assert "niet meer geldig" in row
    assert "Telefoon bewerken" in row
    assert "Code toevoegen aan Kanalen" in html


def test_code_create_adds_a_code(admin_client, channels, audit) -> None:
    response = admin_client.post(
        reverse("reference:code_create", args=[channels.slug]), code_data(), follow=True
    )
    assert "De code chat is toegevoegd aan Kanalen." in response.content.decode()
    code = channels.codes.get(code="chat")
    assert code.label_nl == "Chat op de website"
    assert code.valid_from == datetime.date(2026, 1, 1)
    assert code.valid_until is None
    assert events(audit) == ["code_created"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"valid_until": "2025-12-31"},
            "De einddatum ligt vóór de begindatum.",
        ),
        ({"code": "phone"}, "Deze keuzelijst heeft al een code phone."),
        ({"code": "Chat Live"}, "Een code bestaat uit kleine letters, cijfers en liggende"),
        ({"label_nl": ""}, "Vul &quot;Omschrijving&quot; in."),
        ({"valid_from": "31-02-2026"}, "Vul bij &quot;Geldig vanaf&quot; een bestaande datum"),
    ],
)
def test_code_create_refused_with_dutch_message(
    admin_client, channels, audit, overrides, message
) -> None:
    before = channels.codes.count()
    response = admin_client.post(
        reverse("reference:code_create", args=[channels.slug]), code_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert channels.codes.count() == before
    assert events(audit) == []


def test_code_edit_retires_a_code_and_keeps_its_code(admin_client, channels, phone, audit):
    url = reverse("reference:code_edit", args=[channels.slug, phone.pk])
    data = code_data(
        code="telefoon",
        label_nl="Telefonisch",
        label_en="By phone",
        valid_from="2022-07-01",
        valid_until="2026-06-30",
        sort_order="5",
    )
    response = admin_client.post(url, data, follow=True)
    assert "De code phone is opgeslagen." in response.content.decode()
    phone.refresh_from_db()
    assert phone.code == "phone"
    assert phone.label_nl == "Telefonisch"
    assert phone.valid_until == datetime.date(2026, 6, 30)
    assert phone.sort_order == 5
    assert events(audit) == ["code_updated"]


def test_code_edit_refuses_an_end_before_the_start(admin_client, channels, phone, audit):
    url = reverse("reference:code_edit", args=[channels.slug, phone.pk])
    data = code_data(label_nl="Anders", valid_from="2022-07-01", valid_until="2022-06-30")
    response = admin_client.post(url, data)
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()
    phone.refresh_from_db()
    assert phone.label_nl == "Telefoon"
    assert phone.valid_until is None
    assert events(audit) == []


def test_code_edit_refuses_a_code_under_its_own_child(admin_client, channels, phone) -> None:
    child = Code.objects.create(
        code_list=channels, code="phone_evening", label_nl="Avond", label_en="Evening", parent=phone
    )
    url = reverse("reference:code_edit", args=[channels.slug, phone.pk])
    data = code_data(label_nl="Telefoon", valid_from="2022-07-01", parent=child.pk)
    response = admin_client.post(url, data)
    assert "Een code kan niet onder zichzelf vallen." in response.content.decode()
    phone.refresh_from_db()
    assert phone.parent is None


def test_code_edit_is_not_found_through_another_list(admin_client, phone) -> None:
    url = reverse("reference:code_edit", args=["life_domains", phone.pk])
    assert admin_client.get(url).status_code == 404


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_403_on_every_reference_page(
    role, make_user, client_for, channels, phone
) -> None:
    http = client_for(make_user(role))
    urls = [
        reverse("reference:list_index"),
        reverse("reference:list_detail", args=[channels.slug]),
        reverse("reference:code_create", args=[channels.slug]),
        reverse("reference:code_edit", args=[channels.slug, phone.pk]),
    ]
    for url in urls:
        assert http.get(url).status_code == 403, url
        assert http.post(url, code_data(label_nl="Gewijzigd")).status_code == 403, url
    phone.refresh_from_db()
    assert phone.label_nl == "Telefoon"
    assert not channels.codes.filter(code="chat").exists()
