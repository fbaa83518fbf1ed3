"""The admin of decree-equated days shows a refusal on the field and reports nothing as saved
(R-TRJ-3; the same shape as the KPI-admin bug of issue 13)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient

from opstap.trajectories.models import EquatedDay

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_http(make_user: Any) -> HttpClient:
    from opstap.core.roles import RoleCode

    user = make_user(RoleCode.APP_ADMIN, username="beheerder-admin")
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    http = HttpClient()
    http.force_login(user)
    return http


def test_a_refused_day_is_shown_on_the_form_and_not_saved(admin_http: HttpClient) -> None:
    """R-TRJ-3: a Saturday need not be equated; the admin says why and stores nothing."""
    before = EquatedDay.objects.count()
    response = admin_http.post(
        "/beheer/trajectories/equatedday/add/",
        {"day": "2027-05-08", "description": "Zaterdag", "decree": "Besluit gelijkstelling X"},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Een zaterdag of zondag is al geen werkdag" in html
    assert "met succes" not in html
    assert EquatedDay.objects.count() == before


def test_an_accepted_day_is_saved_through_the_service(admin_http: HttpClient) -> None:
    """R-TRJ-3: a valid weekday is stored (through the service, which audits it)."""
    response = admin_http.post(
        "/beheer/trajectories/equatedday/add/",
        {"day": "2029-05-11", "description": "Vrijdag na Hemelvaart", "decree": "Besluit Y"},
        follow=True,
    )
    assert "met succes" in response.content.decode()
    assert EquatedDay.objects.filter(description="Vrijdag na Hemelvaart").count() == 1
