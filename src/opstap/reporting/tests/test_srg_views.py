"""R-INT-2 pages: only holders of `srg.deliver` see them; building from the form, progress
by htmx polling, downloads audited, mark sent and correct from the page (Dutch)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.organisations.models import Municipality
from opstap.reporting.models import DeliveryStatus, SrgDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(admin_user: User) -> WebClient:
    client = WebClient()
    client.force_login(admin_user)
    return client


@pytest.fixture(autouse=True)
def _sync(settings: object) -> None:
    settings.OPSTAP_SRG_SYNC = True  # type: ignore[attr-defined]


@time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC), tick=False)
def test_build_from_the_page_then_send_and_correct(
    web: WebClient,
    admin_user: User,
    municipality: Callable[[str], Municipality],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    page = web.get("/rapportages/srg/")
    assert page.status_code == 200
    assert "Nieuwe levering samenstellen" in page.content.decode()
    duiven = municipality("Duiven")
    bad = web.post("/rapportages/srg/", {"municipality": duiven.pk, "month": "2026/10"})
    assert "Vul de maand in als mm-jjjj" in bad.content.decode()
    running = web.post("/rapportages/srg/", {"municipality": duiven.pk, "month": "11-2026"})
    assert "pas worden geleverd als hij voorbij is" in running.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = web.post("/rapportages/srg/", {"municipality": duiven.pk, "month": "10-2026"})
    delivery = SrgDelivery.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/rapportages/srg/{delivery.pk}/"
    )
    assert delivery.status == DeliveryStatus.READY
    partial = web.get(f"/rapportages/srg/{delivery.pk}/", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert 'id="srg-progress"' in body and "hx-get" not in body  # finished: polling stops
    assert delivery.checksum in body
    detail = web.get(f"/rapportages/srg/{delivery.pk}/").content.decode()
    assert "Markeer als verzonden" in detail and "Klaar om te verzenden" in detail.replace(
        "klaar", "Klaar"
    )
    download = web.get(f"/rapportages/srg/{delivery.pk}/bestand")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"010226202610")  # type: ignore[attr-defined]
    assert AuditRecord.objects.filter(object_type="srg_delivery", action="export").count() == 1
    web.post(f"/rapportages/srg/{delivery.pk}/verzonden", {})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert "kan niet meer wijzigen" in web.get(f"/rapportages/srg/{delivery.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        correction = web.post(f"/rapportages/srg/{delivery.pk}/correctie")
    new = SrgDelivery.objects.exclude(pk=delivery.pk).get()
    assert (
        correction["Location"] == f"/rapportages/srg/{new.pk}/" and new.corrects_id == delivery.pk
    )


def test_queued_delivery_polls(
    web: WebClient, admin_user: User, municipality: Callable[[str], Municipality]
) -> None:
    from opstap.reporting import services

    delivery = services.srg_delivery_request(
        actor=admin_user,
        municipality=municipality("Duiven"),
        month=dt.date(2026, 10, 1),
        today=dt.date(2026, 11, 20),
    )
    body = web.get(f"/rapportages/srg/{delivery.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in body and "wachtrij" in body
    assert web.get(f"/rapportages/srg/{delivery.pk}/bestand").status_code == 404


def test_pages_need_the_permission(
    make_user: Callable[..., User], admin_user: User, municipality: Callable[[str], Municipality]
) -> None:
    from opstap.core.roles import RoleCode
    from opstap.reporting import services

    delivery = services.srg_delivery_request(
        actor=admin_user,
        municipality=municipality("Duiven"),
        month=dt.date(2026, 10, 1),
        today=dt.date(2026, 11, 20),
    )
    for role in (RoleCode.CASE_MANAGER, RoleCode.POLICY_OFFICER, RoleCode.AUDITOR):
        other = WebClient()
        other.force_login(make_user(role, username=f"u-{role.value}"))
        assert other.get("/rapportages/srg/").status_code == 403
        assert other.get(f"/rapportages/srg/{delivery.pk}/").status_code == 403
