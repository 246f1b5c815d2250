"""Test helpers for signatures: small real files (a PNG, a JPEG, a PDF) and a signature
written directly, as `plan_version_sign` leaves it, for tests of other parts (the
Aanvullende Ondersteuning rule, the plan page) that need a signed plan."""

from __future__ import annotations

import base64
import datetime
import io

from django.utils import timezone
from PIL import Image

from wijk.accounts.models import User
from wijk.plans.models import PlanStatusChange, PlanVersion, Signature, SupportPlan
from wijk.plans.workflow import PlanStatus, SignatureMethod


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (300, 100)) -> bytes:
    """A real image: a white box with a black line, as a drawn signature looks."""
    image = Image.new("RGB", size, "white")
    for x in range(10, size[0] - 10):
        image.putpixel((x, size[1] // 2), (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return buffer.getvalue()


def png_data_url(data: bytes | None = None) -> str:
    return "data:image/png;base64," + base64.b64encode(data or image_bytes()).decode("ascii")


PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def sign_directly(
    plan: SupportPlan,
    *,
    witness: User,
    version: PlanVersion | None = None,
    method: SignatureMethod = SignatureMethod.IN_PERSON,
) -> Signature:
    """Sign `version` (the plan's newest by default) in person, and make a draft plan active
    with an evaluation in three months, as signing does; without the service."""
    version = version or plan.current
    assert version is not None
    signature = Signature.objects.create(
        version=version,
        method=method,
        signed_on=timezone.localdate(),
        signer=plan.resident,
        signer_name="Getypte Naam" if method == SignatureMethod.TYPED else "",
        witness=witness,
    )
    if plan.status == PlanStatus.DRAFT:
        plan.status = PlanStatus.ACTIVE
        plan.next_evaluation_on = timezone.localdate() + datetime.timedelta(days=91)
        plan.save(update_fields=["status", "next_evaluation_on"])
        seq = plan.status_changes.count() + 1
        PlanStatusChange.objects.create(plan=plan, seq=seq, status=PlanStatus.ACTIVE, by=witness)
    return signature


def add_version(plan: SupportPlan, **fields: object) -> PlanVersion:
    """A next version of `plan` (for example with the fields of an Aanvullende Ondersteuning
    decision), made the plan's newest; without the service."""
    previous = plan.current
    version = PlanVersion.objects.create(
        plan=plan,
        number=(previous.number + 1) if previous else 1,
        based_on=previous,
        created_by=plan.created_by,
        **fields,  # type: ignore[arg-type]
    )
    plan.current = version
    plan.save(update_fields=["current"])
    return version


AO_DECISION = {
    "ao_scope": "Twee uur begeleiding per week bij de administratie.",
    "ao_start_on": datetime.date(2026, 12, 14),
    "ao_review_on": datetime.date(2027, 6, 14),
}
