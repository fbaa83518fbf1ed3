"""A page address opened with the wrong method answers the Dutch 405 page, not an empty body
(the KPI report button's address, /sturing/rapportage/, opened from a bookmark)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from opstap.accounts.models import User
from opstap.core.roles import RoleCode

from .dutch_checks import findings, visible_text

pytestmark = pytest.mark.django_db


def test_a_post_only_page_opened_with_get_says_what_to_do(
    make_user: Callable[..., User],
) -> None:
    user = make_user(RoleCode.CASE_MANAGER)
    http = Client()
    http.force_login(user)
    response = http.get("/meldingen/alles-gelezen/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "Deze pagina opent u met een knop" in page
    assert "Er is niets gewijzigd" in page
    assert findings(visible_text(page)) == []


def test_the_api_keeps_its_problem_json(api_as: Any, make_user: Callable[..., User]) -> None:
    api = api_as(make_user(RoleCode.CASE_MANAGER))
    response = api.delete("/api/v1/trajectories")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
