"""Users see Dutch whatever language their browser or API client asks for: Django's and DRF's
own messages (a form's invalid choice, a missing API field) are Dutch for an English browser
too, not English next to Dutch pages (found walking the trajectory overview with an English
browser: "Select a valid choice. 999999 is not one of the available choices.")."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from opstap.accounts.models import User

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_form_messages_are_dutch_for_an_english_browser(case_manager: User) -> None:
    client = Client()
    client.force_login(case_manager)
    # A state not in the list keeps Django's own message (the product filter now has its own).
    page = client.get("/trajecten/?state=bogus", secure=True, **ENGLISH)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Selecteer een geldige keuze" in html
    assert "Select a valid choice" not in html
    assert page.headers["Content-Language"] == "nl"


def test_api_messages_are_dutch_for_an_english_client(
    api_as: Callable[[User], Client], case_manager: User
) -> None:
    api = api_as(case_manager)
    response = api.post("/api/v1/trajectories", {}, format="json", **ENGLISH)
    body = response.content.decode()
    assert response.status_code == 400
    assert "This field is required" not in body
    assert "Dit veld is vereist." in body
