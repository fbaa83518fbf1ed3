"""Security headers on pages and on the API: CSP without inline scripts, frames denied,
referrer policy, nosniff; HSTS and secure cookies in production; CSRF on every form (the
access-matrix test checks every page's POST forms for a token)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from opstap.accounts.models import User
from opstap.conftest import TEST_PASSWORD


def _assert_common(response) -> None:
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


@pytest.mark.parametrize("path", ["/account/inloggen/", "/api/v1/municipalities"])
def test_headers_on_page_and_api(db: None, client: Client, path: str) -> None:
    _assert_common(client.get(path))


def test_headers_for_signed_in_user(case_manager: User, client: Client) -> None:
    client.force_login(case_manager)
    _assert_common(client.get("/"))
    _assert_common(client.get("/api/v1/municipalities"))


@override_settings(
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_hsts_and_secure_cookies_in_production_settings(case_manager: User) -> None:
    client = Client()
    response = client.get("/account/inloggen/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.cookies["csrftoken"]["secure"]
    # The session cookie is set when the session is written: at login (and at most once a
    # minute after, when the last activity is refreshed).
    response = client.post(
        "/account/inloggen/",
        {"username": case_manager.username, "password": TEST_PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"]
    response = client.get("/api/v1/municipalities", secure=True)
    assert "Strict-Transport-Security" in response


def test_login_form_requires_csrf(case_manager: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/inloggen/", {"username": "klantmanager", "password": "x"})
    assert response.status_code == 403
    page = client.get("/account/inloggen/")
    assert b"csrfmiddlewaretoken" in page.content
