"""The public request form (/aanmelden) and its confirmation page. No login, no JavaScript
needed, nothing stored in the browser's cache.

The form is POSTed and answered with a redirect to the confirmation page (POST-redirect-GET).
The confirmation shows only the reference and the first-contact date, which travel in a
signed, short-lived cookie rather than in the URL or a database session: so the confirmation
needs no database, and a visitor who sends the form leaves no session row behind."""

from __future__ import annotations

import re
import uuid
from datetime import date

import structlog
from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wijk.core.errors import ValidationFailed
from wijk.core.network import client_ip
from wijk.portal.forms import HONEYPOT_FIELD, PublicRequestForm
from wijk.portal.services import (
    SUBMISSION_WINDOW,
    PortalUnavailable,
    Receipt,
    TooManySubmissions,
    public_request_decoy,
    public_request_submit,
)

log = structlog.get_logger(__name__)

RECEIPT_COOKIE = "wijk_aanmelding"
RECEIPT_COOKIE_SALT = "wijk.portal.receipt"
RECEIPT_MAX_AGE = 60 * 60  # seconds: long enough to write the number down


def _contact() -> dict[str, object]:
    phone: str = settings.WIJK_PUBLIC_PHONE
    digits = re.sub(r"\D", "", phone)
    uri = f"tel:+31{digits[1:]}" if digits.startswith("0") else f"tel:+{digits}"
    return {"contact_phone": phone, "contact_phone_uri": uri}


def _to_receipt(receipt: Receipt) -> HttpResponse:
    response = redirect("portal:request_received")
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        f"{receipt.reference}|{receipt.first_contact_due.isoformat()}",
        salt=RECEIPT_COOKIE_SALT,
        max_age=RECEIPT_MAX_AGE,
        path=reverse("portal:request_form"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


def _form_page(
    request: HttpRequest, form: PublicRequestForm, refusal: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "honeypot_field": HONEYPOT_FIELD,
        "refusal": refusal,
        "window_minutes": int(SUBMISSION_WINDOW.total_seconds() // 60),
        **_contact(),
    }
    return render(request, "portal/request_form.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get(HONEYPOT_FIELD, "").strip():
        return _to_receipt(public_request_decoy())
    form = PublicRequestForm(
        request.POST if request.method == "POST" else None,
        initial={"submission_key": uuid.uuid4()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            receipt = public_request_submit(
                question=data["question"],
                requested_by=form.requested_by,
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                postcode=data["postcode"],
                house_number=data["house_number"],
                submission_key=data["submission_key"],
                client_address=client_ip(request),
            )
        except TooManySubmissions:
            return _form_page(request, form, refusal="too_many", status=429)
        except PortalUnavailable:
            return _form_page(request, form, refusal="unavailable", status=503)
        except DatabaseError as error:
            # The database is down or refused the write; the transaction left nothing behind.
            log.error("public_request_store_failed", error=type(error).__name__)
            return _form_page(request, form, refusal="unavailable", status=503)
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            return _to_receipt(receipt)
    return _form_page(request, form)


@never_cache
@require_GET
def request_received(request: HttpRequest) -> HttpResponse:
    value = request.get_signed_cookie(
        RECEIPT_COOKIE, default=None, salt=RECEIPT_COOKIE_SALT, max_age=RECEIPT_MAX_AGE
    )
    reference, _separator, due = (value or "").partition("|")
    try:
        first_contact_due: date | None = date.fromisoformat(due) if reference else None
    except ValueError:
        first_contact_due = None
    context = {
        "reference": reference if first_contact_due else "",
        "first_contact_due": first_contact_due,
        **_contact(),
    }
    return render(request, "portal/request_received.html", context)
