"""Issue 14 item 1: a resident never hits a dead end. Password login and the DigiD mock land
on "Mijn Opstap" (R-POR); the 403/404 pages are styled and always offer a way out (the role's
home and logging out), never a link back to themselves."""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient
from django.test import override_settings

from opstap.clients.services import client_link_user
from opstap.clients.tests.factories import make_client
from opstap.conftest import TEST_PASSWORD
from opstap.core.roles import RoleCode


@pytest.fixture
def resident(org, make_user, case_manager):  # type: ignore[no-untyped-def]
    user = make_user(RoleCode.RESIDENT, username="inwoner")
    client = make_client(
        org, first_name="Ingrid", last_name="Willems", case_manager=case_manager, bsn="111222333"
    )
    client_link_user(client=client, user=user)
    return user


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_password_login_from_the_start_page_lands_in_the_portal(
    resident, client: HttpClient
) -> None:
    """R-POR: the login that came from "/" (next=/) ends on Mijn Opstap, not on a 403."""
    response = client.post(
        "/account/inloggen/",
        {"username": "inwoner", "password": TEST_PASSWORD, "next": "/"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/mijn/"
    assert "Welkom, Ingrid Willems" in response.content.decode()


def test_logo_link_of_a_resident_leads_to_the_portal(resident, client: HttpClient) -> None:
    client.force_login(resident)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/mijn/"


def test_staff_start_page_is_unchanged(case_manager, client: HttpClient) -> None:
    client.force_login(case_manager)
    assert client.get("/").status_code == 200


def test_forbidden_page_is_styled_and_offers_a_way_out(resident, client: HttpClient) -> None:
    client.force_login(resident)
    response = client.get("/klanten/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "utrecht-heading-1" in html and "vendor/utrecht.css" in html  # the site layout
    assert "Geen toegang" in html
    assert "/mijn/" in _hrefs(html)  # home for the role
    assert "/klanten/" not in _hrefs(html)  # never back to itself
    assert 'action="/account/uitloggen/"' in html
    assert "klantmanager" in html


def test_not_found_page_is_styled_and_offers_a_way_out(case_manager, client: HttpClient) -> None:
    client.force_login(case_manager)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html and "utrecht-heading-1" in html
    assert "/" in _hrefs(html)
    assert 'action="/account/uitloggen/"' in html


def test_not_found_for_anonymous_offers_the_login(db, client: HttpClient) -> None:
    html = client.get("/bestaat-niet/").content.decode()
    assert "/account/inloggen/" in _hrefs(html)
    assert "Uitloggen" not in html


@override_settings(OPSTAP_DEMO=True, OPSTAP_MOCK_OIDC=True)
def test_mock_digid_offers_the_demo_residents_and_lands_in_the_portal(
    resident, org, client: HttpClient
) -> None:
    """R-SEC-3 / R-POR: in the demo the DigiD mock lists the demo residents (no BSN to
    know); choosing one logs in through the same claim mapping and lands on Mijn Opstap."""
    html = client.get("/account/mock-oidc/digid/").content.decode()
    assert "Inloggen als Ingrid Willems" in html
    assert 'name="bsn" value="111222333"' in html
    response = client.post(
        "/account/mock-oidc/digid/",
        {"bsn": "111222333", "loa": "midden", "organisation": org.slug},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/mijn/"
    assert "Welkom, Ingrid Willems" in response.content.decode()


@override_settings(OPSTAP_DEMO=False, OPSTAP_MOCK_OIDC=True)
def test_mock_digid_outside_the_demo_lists_nobody(resident, client: HttpClient) -> None:
    assert "Inloggen als" not in client.get("/account/mock-oidc/digid/").content.decode()
