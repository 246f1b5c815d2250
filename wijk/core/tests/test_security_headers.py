"""Security headers, CSP and cookie settings on real responses."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_strict_csp_and_security_headers_on_every_page(client) -> None:
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_of_signed_in_staff_are_not_stored(make_user, client_for) -> None:
    response = client_for(make_user()).get(reverse("core:home"))
    assert response["Cache-Control"] == "no-store"


def test_session_and_csrf_cookies_are_http_only_and_same_site(client, password, make_user) -> None:
    user = make_user()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": password}
    )
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


def test_production_cookies_are_secure_with_host_prefix(monkeypatch) -> None:
    import importlib

    import wijk.settings as settings_module

    monkeypatch.setenv("WIJK_HTTPS", "true")
    try:
        reloaded = importlib.reload(settings_module)
        assert reloaded.SESSION_COOKIE_SECURE
        assert reloaded.CSRF_COOKIE_SECURE
        assert reloaded.SESSION_COOKIE_NAME == "__Host-sessionid"
        assert reloaded.SECURE_HSTS_SECONDS >= 31536000
    finally:
        monkeypatch.delenv("WIJK_HTTPS")
        importlib.reload(settings_module)


def test_production_refuses_the_development_secret(monkeypatch) -> None:
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import wijk.settings as settings_module

    monkeypatch.setenv("WIJK_PRODUCTION", "true")
    try:
        with pytest.raises(ImproperlyConfigured, match="WIJK_SECRET_KEY"):
            importlib.reload(settings_module)
    finally:
        monkeypatch.delenv("WIJK_PRODUCTION")
        importlib.reload(settings_module)


@pytest.mark.parametrize("audit_key", [None, "too short, 31 characters long.."])
def test_production_refuses_a_weak_audit_key(monkeypatch, audit_key) -> None:
    """The access log's chain key must be set in production, 32 characters or more."""
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import wijk.settings as settings_module

    monkeypatch.setenv("WIJK_PRODUCTION", "true")
    monkeypatch.setenv("WIJK_SECRET_KEY", "s" * 50)
    if audit_key is not None:
        monkeypatch.setenv("WIJK_AUDIT_KEY", audit_key)
    try:
        with pytest.raises(ImproperlyConfigured, match="WIJK_AUDIT_KEY"):
            importlib.reload(settings_module)
        monkeypatch.setenv("WIJK_AUDIT_KEY", "k" * 32)
        importlib.reload(settings_module)
    finally:
        for name in ("WIJK_PRODUCTION", "WIJK_SECRET_KEY", "WIJK_AUDIT_KEY"):
            monkeypatch.delenv(name, raising=False)
        importlib.reload(settings_module)
