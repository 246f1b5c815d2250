"""Signing a version of a plan through its page: the four ways (drawn, typed name and
confirmation, a scanned paper signature, in person), the file checks (a real PNG, PDF or
JPEG by content, the size cap), only the newest version and only once, the plan becoming
active, and the drawing or scan served only through the gate, its read in the access log."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.core.models import AccessLogEntry
from wijk.organisations.tests.factories import TeamFactory
from wijk.plans.models import Signature
from wijk.plans.tests.factories import SupportPlanFactory
from wijk.plans.tests.signatures import (
    PDF,
    add_version,
    image_bytes,
    png_data_url,
    sign_directly,
)
from wijk.plans.workflow import PlanStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_user, team):
    return make_user(Role.PROFESSIONAL, teams=[team], first_name="Fatima", last_name="Bakker")


@pytest.fixture
def plan(professional, team):
    """A draft plan with version 1, of a household living in the team's wijk."""
    return SupportPlanFactory(team=team, coordinator=professional, created_by=professional)


def sign_url(plan, number=None):
    return reverse("plans:version_sign", args=[plan.pk, number or plan.current.number])


def form_data(plan, **overrides):
    today = timezone.localdate()
    data = {
        "method": "typed",
        "signer": str(plan.resident_id),
        "signer_name": "Anna de Vries",
        "confirmed": "on",
        "signed_on": today.isoformat(),
        "next_evaluation_on": (today + datetime.timedelta(days=90)).isoformat(),
    }
    data.update(overrides)
    return data


def test_typed_name_and_confirmation_sign_the_version_and_make_the_plan_active(
    plan, professional, client_for
) -> None:
    client = client_for(professional)
    page = client.get(sign_url(plan))
    assert page.status_code == 200
    assert "Versie 1 van het plan ondertekenen" in page.content.decode()

    response = client.post(sign_url(plan), form_data(plan))

    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    signature = Signature.objects.get()
    assert signature.version == plan.current
    assert (signature.method, signature.signer_name, signature.signer_id) == (
        "typed",
        "Anna de Vries",
        plan.resident_id,
    )
    assert signature.witness == professional
    assert signature.signed_on == timezone.localdate()
    assert signature.file_path == ""
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    assert plan.next_evaluation_on == timezone.localdate() + datetime.timedelta(days=90)
    assert [(c.seq, c.status) for c in plan.status_changes.order_by("seq")] == [
        (1, "draft"),
        (2, "active"),
    ]
    entry = AccessLogEntry.objects.get(event="update")
    assert f"plans.signature:{signature.pk}" in entry.objects_touched
    assert f"plans.supportplan:{plan.pk}" in entry.objects_touched
    assert entry.resident_id == plan.resident_id


# -- One way at a time ---------------------------------------------------------------------

WAY_FIELDS = {
    "drawn": ['name="drawing"', "<canvas", "plans/signing.js"],
    "typed": ['name="signer_name"', 'name="confirmed"'],
    "scan": ['name="scan"'],
    "in_person": ['name="confirmed"'],
}


def test_the_page_asks_the_way_first_and_then_shows_only_that_ways_fields(
    plan, professional, client_for
) -> None:
    client = client_for(professional)

    first = client.get(sign_url(plan)).content.decode()

    assert "Hoe geeft de inwoner akkoord?" in first
    assert first.count('type="radio" name="wijze"') == 4
    assert '<form method="get"' in first and '<form method="post" enctype' not in first
    assert "Dit staat in versie 1 van het plan" in first  # what the resident agrees to
    for way, fields in WAY_FIELDS.items():
        page = client.get(sign_url(plan), {"wijze": way, "stap": "wijze"}).content.decode()
        assert 'name="wijze"' not in page
        assert f'?wijze={way}"' in page  # the form keeps its way
        assert 'name="signer"' in page and 'name="signed_on"' in page
        others = {field for other in WAY_FIELDS.values() for field in other} - set(fields)
        if way != "typed":
            others.discard('name="signer_name"')  # a representative's name, with every way
        assert all(field in page for field in fields), way
        assert not [field for field in others if field in page], way


@pytest.mark.parametrize("value", ["", "²", "getekend", "9" * 300, "\x00"])
def test_a_way_that_is_none_asks_for_the_way_again(plan, professional, client_for, value) -> None:
    client = client_for(professional)

    quietly = client.get(sign_url(plan), {"wijze": value})
    sent = client.get(sign_url(plan), {"wijze": value, "stap": "wijze"})
    posted = client.post(
        f"{sign_url(plan)}?{urlencode({'wijze': value})}", form_data(plan, method=value)
    )

    assert quietly.status_code == sent.status_code == posted.status_code == 200
    assert "Kies hoe de inwoner akkoord geeft." not in quietly.content.decode()
    for response in (sent, posted):
        page = response.content.decode()
        assert "Kies hoe de inwoner akkoord geeft." in page
        assert 'type="radio" name="wijze"' in page
    assert not Signature.objects.exists()


def test_a_refusal_keeps_the_way_and_everything_typed(plan, professional, client_for) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client = client_for(professional)

    typed = client.post(
        sign_url(plan) + "?wijze=typed", form_data(plan, confirmed="", method="typed")
    ).content.decode()
    drawn = client.post(
        sign_url(plan),
        form_data(
            plan,
            method="drawn",
            signer_name="Jan de Vries",
            signed_on=tomorrow.isoformat(),
            drawing=png_data_url(),
        ),
    ).content.decode()

    assert "Vink aan dat de inwoner akkoord gaat met deze versie van het plan." in typed
    assert 'value="Anna de Vries"' in typed
    assert '?wijze=typed"' in typed and 'name="scan"' not in typed
    assert "De datum ligt in de toekomst." in drawn
    assert 'value="Jan de Vries"' in drawn
    assert f'value="{png_data_url()}"' in drawn  # drawn on the canvas again by its script
    assert '?wijze=drawn"' in drawn
    assert not Signature.objects.exists()


def test_typed_needs_the_name_and_the_confirmation(plan, professional, client_for) -> None:
    response = client_for(professional).post(
        sign_url(plan), form_data(plan, signer_name="  ", confirmed="")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Typ de naam van wie akkoord geeft." in content
    assert "Vink aan dat de inwoner akkoord gaat met deze versie van het plan." in content
    assert not Signature.objects.exists()


def test_a_draft_plan_needs_the_first_evaluation_date(plan, professional, client_for) -> None:
    response = client_for(professional).post(sign_url(plan), form_data(plan, next_evaluation_on=""))
    assert response.status_code == 200
    assert not Signature.objects.exists()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_in_person_is_the_witness_confirmation(plan, professional, client_for) -> None:
    client = client_for(professional)
    refused = client.post(
        sign_url(plan), form_data(plan, method="in_person", signer_name="", confirmed="")
    )
    assert "Vink aan dat de inwoner akkoord gaat" in refused.content.decode()

    client.post(sign_url(plan), form_data(plan, method="in_person", signer_name=""))

    signature = Signature.objects.get()
    assert signature.method == "in_person"
    assert signature.witness == professional


def test_a_drawing_is_stored_privately_with_its_checksum_and_served_through_the_gate(
    plan, professional, client_for, private_root: Path
) -> None:
    drawing = image_bytes("PNG")
    client = client_for(professional)
    client.post(
        sign_url(plan),
        form_data(
            plan, method="drawn", signer_name="", confirmed="", drawing=png_data_url(drawing)
        ),
    )

    signature = Signature.objects.get()
    assert signature.method == "drawn"
    assert signature.content_type == "image/png"
    assert signature.sha256 == hashlib.sha256(drawing).hexdigest()
    stored = private_root / signature.file_path
    assert stored.read_bytes() == drawing
    assert signature.file_path.startswith("signatures/")
    # A name nobody can guess: random (24 bytes), not the plan's or the signature's id. (Not
    # "the id's digits do not occur in it": a random name often holds a "1".)
    stem = Path(signature.file_path).stem
    assert len(stem) >= 32 and stem not in {str(plan.pk), str(signature.pk)}

    served = client.get(reverse("plans:signature_file", args=[plan.pk, 1]))

    assert served.status_code == 200
    assert served.content == drawing
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Cache-Control"] == "no-store"
    assert served["Content-Disposition"].startswith("attachment;")
    read = AccessLogEntry.objects.filter(event="read", outcome="success").latest("pk")
    assert f"plans.signature:{signature.pk}" in read.objects_touched
    assert read.resident_id == plan.resident_id


@pytest.mark.parametrize(
    "drawing",
    [
        "",
        "data:image/png;base64,not base64!",
        "data:image/jpeg;base64," + png_data_url().split(",", 1)[1],
        png_data_url(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),  # the signature, but no image
        png_data_url(image_bytes("JPEG")),  # a JPEG called a PNG
    ],
    ids=["empty", "not-base64", "not-png-url", "broken-png", "jpeg-inside"],
)
def test_a_drawing_that_is_not_a_real_png_is_refused(
    plan, professional, client_for, drawing, private_root: Path
) -> None:
    response = client_for(professional).post(
        sign_url(plan),
        form_data(plan, method="drawn", signer_name="", confirmed="", drawing=drawing),
    )
    assert response.status_code == 200
    assert not Signature.objects.exists()
    assert not list(private_root.rglob("*.png"))


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (PDF, "application/pdf"),
        (image_bytes("PNG"), "image/png"),
        (image_bytes("JPEG"), "image/jpeg"),
    ],
    ids=["pdf", "png", "jpeg"],
)
def test_a_scan_is_accepted_by_its_content_and_served_with_its_type(
    plan, professional, client_for, data, content_type
) -> None:
    client = client_for(professional)
    # The name and the browser's type say nothing: the content decides.
    upload = SimpleUploadedFile("handtekening.txt", data, content_type="text/plain")
    response = client.post(
        sign_url(plan),
        {**form_data(plan, method="scan", signer_name="", confirmed=""), "scan": upload},
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.method, signature.content_type) == ("scan", content_type)

    served = client.get(reverse("plans:signature_file", args=[plan.pk, 1]))
    assert served.content == data
    assert served["Content-Type"] == content_type


@pytest.mark.parametrize(
    "data",
    [b"<html><script>alert(1)</script></html>", b"GIF89a" + b"\x00" * 50, b"PK\x03\x04zip"],
    ids=["html", "gif", "zip"],
)
def test_a_scan_of_another_type_is_refused_with_a_clear_message(
    plan, professional, client_for, data
) -> None:
    upload = SimpleUploadedFile("scan.pdf", data, content_type="application/pdf")
    response = client_for(professional).post(
        sign_url(plan),
        {**form_data(plan, method="scan", signer_name="", confirmed=""), "scan": upload},
    )
    assert response.status_code == 200
    assert "Kies een bestand van het type PDF, PNG of JPEG." in response.content.decode()
    assert not Signature.objects.exists()


def test_a_scan_larger_than_the_cap_is_refused(
    plan, professional, client_for, settings, private_root: Path
) -> None:
    settings.WIJK_SIGNATURE_SCAN_MAX_BYTES = 1024 * 1024
    data = PDF + b"0" * (1024 * 1024)
    upload = SimpleUploadedFile("scan.pdf", data, content_type="application/pdf")
    response = client_for(professional).post(
        sign_url(plan),
        {**form_data(plan, method="scan", signer_name="", confirmed=""), "scan": upload},
    )
    assert response.status_code == 200
    assert "Het bestand is te groot. Het mag hooguit 1 MB zijn." in response.content.decode()
    assert not Signature.objects.exists()
    assert not list(private_root.rglob("*.pdf"))


def test_a_signed_version_cannot_be_signed_again(plan, professional, client_for) -> None:
    client = client_for(professional)
    client.post(sign_url(plan), form_data(plan))

    page = client.get(sign_url(plan))
    again = client.post(sign_url(plan), form_data(plan, method="in_person"))

    assert "Ondertekend op" in page.content.decode()
    assert '<form method="post" enctype' not in page.content.decode()
    assert again.status_code == 200
    assert "Deze versie is al ondertekend." in again.content.decode()
    assert Signature.objects.count() == 1


def test_only_the_newest_version_can_be_signed(plan, professional, client_for) -> None:
    first = plan.current
    add_version(plan, own_strength="Nu ook de buurvrouw.")
    client = client_for(professional)

    page = client.get(sign_url(plan, first.number))
    response = client.post(sign_url(plan, first.number), form_data(plan))

    assert "Alleen de nieuwste versie van het plan kan worden ondertekend. Dat is versie 2." in (
        page.content.decode()
    )
    assert "Alleen de nieuwste versie" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_changed_plan_keeps_running_and_its_new_version_is_signed_without_a_new_date(
    plan, professional, client_for
) -> None:
    sign_directly(plan, witness=professional)
    add_version(plan, own_strength="Nu ook de buurvrouw.")
    plan.refresh_from_db()
    evaluation = plan.next_evaluation_on
    client = client_for(professional)

    page = client.get(sign_url(plan), {"wijze": "typed"})
    assert 'name="signed_on"' in page.content.decode()
    assert 'name="next_evaluation_on"' not in page.content.decode()
    client.post(sign_url(plan), form_data(plan, next_evaluation_on=""))

    assert Signature.objects.filter(version=plan.current).exists()
    plan.refresh_from_db()
    assert (plan.status, plan.next_evaluation_on) == (PlanStatus.ACTIVE, evaluation)
    created = AccessLogEntry.objects.get(event="create")
    assert f"plans.signature:{plan.current.signature.pk}" in created.objects_touched


def test_the_signer_is_a_member_of_the_household(plan, professional, client_for) -> None:
    other = SupportPlanFactory(team=plan.team, coordinator=professional)
    response = client_for(professional).post(
        sign_url(plan), form_data(plan, signer=str(other.resident_id))
    )
    assert response.status_code == 200
    assert not Signature.objects.exists()


def test_a_date_in_the_future_is_refused(plan, professional, client_for) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(professional).post(
        sign_url(plan), form_data(plan, signed_on=tomorrow.isoformat())
    )
    assert "De datum ligt in de toekomst." in response.content.decode()
    assert not Signature.objects.exists()


def test_the_signature_file_is_not_found_for_another_team_the_administrator_and_hostile_ids(
    plan, professional, client_for, make_user, admin_client
) -> None:
    client_for(professional).post(
        sign_url(plan),
        form_data(plan, method="drawn", signer_name="", confirmed="", drawing=png_data_url()),
    )
    url = reverse("plans:signature_file", args=[plan.pk, 1])
    stranger = make_user(Role.PROFESSIONAL, teams=[TeamFactory(wijken=[])])

    assert client_for(stranger).get(url).status_code == 404
    assert admin_client.get(url).status_code == 404
    assert client_for(stranger).get(sign_url(plan)).status_code == 404
    refused = AccessLogEntry.objects.filter(outcome="refused", user_id=stranger.pk)
    assert refused.exists()
    own = client_for(professional)
    for args in ([plan.pk, 2], [plan.pk + 1000, 1], [plan.pk, 9_999_999_999]):
        assert own.get(reverse("plans:signature_file", args=args)).status_code == 404
        assert own.get(reverse("plans:version_sign", args=args)).status_code == 404
    assert own.get(f"/plannen/{plan.pk}/versies/{'9' * 30}/handtekening").status_code == 404


def test_a_signature_without_a_file_has_nothing_to_serve(plan, professional, client_for) -> None:
    sign_directly(plan, witness=professional)
    url = reverse("plans:signature_file", args=[plan.pk, 1])
    assert client_for(professional).get(url).status_code == 404
