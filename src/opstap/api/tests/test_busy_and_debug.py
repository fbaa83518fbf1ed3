"""A lost database race is a Dutch 409, never a 500; debug pages only by explicit choice
(R-SEC-6, R-INT-1; issue 19 item 7)."""

from __future__ import annotations

import importlib
from typing import Any
from unittest import mock

from django.db import OperationalError
from django.test import Client as HttpClient

from opstap.core.roles import RoleCode


def test_database_locked_on_an_api_write_is_a_409_problem(org: Any, make_user: Any) -> None:
    """R-SEC-6: SQLite's 'database is locked' (two simultaneous writes) gave a 500; now
    409 problem+json with a Dutch detail."""
    http = HttpClient(raise_request_exception=False)
    http.force_login(make_user(RoleCode.CASE_MANAGER))
    with mock.patch(
        "opstap.clients.api.views.ClientViewSet.list",
        side_effect=OperationalError("database is locked"),
    ):
        response = http.get("/api/v1/clients")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert "tegelijk" in response.json()["detail"]


def test_database_locked_on_a_page_is_the_dutch_409_page(org: Any, make_user: Any) -> None:
    """R-SEC-6: the same race on a page shows the styled Dutch 409 page."""
    http = HttpClient(raise_request_exception=False)
    http.force_login(make_user(RoleCode.CASE_MANAGER, RoleCode.POLICY_OFFICER))
    with mock.patch(
        "opstap.clients.views.selectors.caseload_sizes",
        side_effect=OperationalError("database is locked"),
    ):
        response = http.get("/klanten/caseloadgrootte/")
    assert response.status_code == 409
    assert "Tegelijk gewijzigd" in response.content.decode()


def test_other_operational_errors_are_not_hidden(org: Any, make_user: Any) -> None:
    """Only a lost race becomes a 409; a real fault stays a 500 (and is logged)."""
    http = HttpClient(raise_request_exception=False)
    http.force_login(make_user(RoleCode.CASE_MANAGER))
    with mock.patch(
        "opstap.clients.api.views.ClientViewSet.list",
        side_effect=OperationalError("no such table: x"),
    ):
        assert http.get("/api/v1/clients").status_code == 500


def test_sqlite_takes_the_write_lock_at_the_start_of_a_transaction() -> None:
    """R-SEC-6: IMMEDIATE transactions and a busy timeout on SQLite, so writers queue."""
    from django.conf import settings

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5


def test_debug_is_off_unless_a_developer_asks(monkeypatch: Any) -> None:
    """Issue 19 item 7: the demo served Django's English debug pages. DEBUG is now off in
    every configuration (demo too) unless OPSTAP_DEBUG=true is set explicitly."""
    import opstap.conf.settings as base

    try:
        monkeypatch.setenv("OPSTAP_DEMO", "true")
        monkeypatch.delenv("OPSTAP_DEBUG", raising=False)
        monkeypatch.setenv("DEBUG", "true")  # the old switch no longer turns it on
        assert importlib.reload(base).DEBUG is False
        monkeypatch.setenv("OPSTAP_DEBUG", "true")
        assert importlib.reload(base).DEBUG is True
    finally:
        monkeypatch.delenv("OPSTAP_DEBUG", raising=False)
        monkeypatch.delenv("OPSTAP_DEMO", raising=False)
        monkeypatch.delenv("DEBUG", raising=False)
        importlib.reload(base)


def test_error_pages_are_dutch(org: Any, make_user: Any) -> None:
    """The 400 and 404 pages are the styled Dutch ones."""
    http = HttpClient(raise_request_exception=False)
    http.force_login(make_user(RoleCode.CASE_MANAGER))
    page = http.get(f"/klanten/{2**64}/")
    assert page.status_code == 404 and "Pagina niet gevonden" in page.content.decode()
    page = http.get("/klanten/", {"gemeente": str(2**64)})
    assert page.status_code == 400 and "Ongeldig verzoek" in page.content.decode()
