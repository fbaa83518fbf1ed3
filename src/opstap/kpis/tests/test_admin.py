"""The KPI back office goes through the services: a refused change is shown on the form and
nothing is stored; an accepted one is stored and audited (issue 13: the admin used to show
the error AND "met succes toegevoegd", link to `…/None/change/` and store nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient

from opstap.audit.models import AuditRecord
from opstap.kpis.models import KpiSettings, KpiTarget
from opstap.organisations.models import Organisation

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


def test_refused_target_is_shown_on_the_form_and_not_reported_as_saved(
    admin_http: HttpClient, org: Organisation
) -> None:
    """R-KPI: a share target of 150% is refused by the service; the admin shows the Dutch
    reason beside the field, no success message, and stores nothing."""
    response = admin_http.post(
        "/beheer/kpis/kpitarget/add/",
        {"organisation": org.pk, "kpi": "active-guidance-work", "year": 2026, "target": "150"},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Een percentage ligt tussen 0 en 100." in html
    assert "met succes" not in html
    assert "/None/change/" not in html
    assert KpiTarget.objects.count() == 0


def test_accepted_target_is_saved_through_the_service(
    admin_http: HttpClient, org: Organisation
) -> None:
    """R-KPI: an accepted target is stored once and audited like the form of the app."""
    response = admin_http.post(
        "/beheer/kpis/kpitarget/add/",
        {"organisation": org.pk, "kpi": "placements", "year": 2026, "target": "320"},
        follow=True,
    )
    html = response.content.decode()
    assert "met succes" in html
    assert "/None/change/" not in html
    row = KpiTarget.objects.get()
    assert (row.kpi, row.year, int(row.target)) == ("placements", 2026, 320)
    assert AuditRecord.objects.filter(object_type="kpi_target", action="create").count() == 1


def test_window_is_saved_through_the_service(admin_http: HttpClient, org: Organisation) -> None:
    """R-KPI-1: the activity window set in the back office is stored and audited by the
    service (the same path as the app's own form)."""
    response = admin_http.post(
        "/beheer/kpis/kpisettings/add/",
        {"organisation": org.pk, "activity_window_months": 6},
        follow=True,
    )
    assert "met succes" in response.content.decode()
    assert KpiSettings.objects.get().activity_window_months == 6
    assert AuditRecord.objects.filter(object_type="kpi_settings").count() == 1
