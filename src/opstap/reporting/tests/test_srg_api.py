"""R-INT-2 in the API (read only): holders of `srg.deliver` list and read their
organisation's SRG deliveries and download the file or its validation report (audited, the
file holds BSNs); others get 403, another organisation's delivery is a 404, and the list
costs the same number of queries for one delivery or several."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.core.roles import RoleCode
from opstap.organisations.models import Municipality
from opstap.organisations.services import municipality_create, organisation_create
from opstap.reporting import services
from opstap.reporting.models import SrgDelivery

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


def _delivery(admin: User, municipality: Municipality, month: dt.date) -> SrgDelivery:
    delivery = services.srg_delivery_request(
        actor=admin, municipality=municipality, month=month, today=TODAY
    )
    services.srg_delivery_build(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def test_list_detail_and_download(
    admin_user: User,
    municipality: Callable[[str], Municipality],
    api_as: Callable[[User], APIClient],
    django_assert_num_queries: Any,
) -> None:
    """R-INT-2: the list, one delivery with its counts and checksum, and both downloads,
    each audited as an export without personal data in the audit line."""
    october = _delivery(admin_user, municipality("Duiven"), dt.date(2026, 10, 1))
    services.srg_delivery_mark_sent(actor=admin_user, delivery=october, report_seen=True)
    api = api_as(admin_user)
    api.get("/api/v1/srg-deliveries")  # warm the per-user permission cache
    with CaptureQueriesContext(connection) as one:
        body = api.get("/api/v1/srg-deliveries").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["id"], row["municipalityName"], row["municipalityCode"]) == (
        october.pk,
        "Duiven",
        "GM0226",
    )
    assert (row["month"], row["status"], row["checksum"]) == (
        "2026-10-01",
        "sent",
        october.checksum,
    )
    assert set(row["counts"]) >= {"started", "running", "ended", "records"}
    _delivery(admin_user, municipality("Westervoort"), dt.date(2026, 10, 1))
    _delivery(admin_user, municipality("Zevenaar"), dt.date(2026, 9, 1))
    with django_assert_num_queries(len(one.captured_queries)):
        body = api.get("/api/v1/srg-deliveries").json()
    assert [r["month"] for r in body["results"]] == ["2026-10-01", "2026-10-01", "2026-09-01"]

    detail = api.get(f"/api/v1/srg-deliveries/{october.pk}").json()
    assert detail["size"] == october.size and detail["corrects"] is None
    file = api.get(f"/api/v1/srg-deliveries/{october.pk}/download")
    assert file.status_code == 200
    content = b"".join(file.streaming_content)  # type: ignore[attr-defined]
    assert content.startswith(b"010226202610")
    report = api.get(f"/api/v1/srg-deliveries/{october.pk}/download", {"part": "report"})
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    bad = api.get(f"/api/v1/srg-deliveries/{october.pk}/download", {"part": "bsn"})
    assert bad.status_code == 400 and bad.json()["invalidParams"][0]["name"] == "part"
    purposes = sorted(
        AuditRecord.objects.filter(object_type="srg_delivery", action="export").values_list(
            "purpose", flat=True
        )
    )
    assert purposes == ["SRG-bestand gedownload", "SRG-validatierapport gedownload"]


def test_others_are_refused_and_other_organisations_unseen(
    admin_user: User,
    municipality: Callable[[str], Municipality],
    api_as: Callable[[User], APIClient],
    make_user: Callable[..., User],
) -> None:
    """R-SEC-1: without `srg.deliver` a 403; another organisation's delivery is a 404."""
    mine = _delivery(admin_user, municipality("Duiven"), dt.date(2026, 10, 1))
    clerk = make_user(RoleCode.FINANCE_CLERK)
    refused = api_as(clerk).get("/api/v1/srg-deliveries")
    assert refused.status_code == 403
    other_org = organisation_create(name="Andere dienst", slug="andere")
    other_muni = municipality_create(
        organisation=other_org,
        name="Elders",
        cbs_code="GM0202",
        inhabitants=1_000,
        reference_date=dt.date(2021, 1, 1),
    )
    other_admin = make_user(RoleCode.APP_ADMIN, organisation=other_org, username="beheer2")
    theirs = _delivery(other_admin, other_muni, dt.date(2026, 10, 1))
    api = api_as(admin_user)
    assert [r["id"] for r in api.get("/api/v1/srg-deliveries").json()["results"]] == [mine.pk]
    assert api.get(f"/api/v1/srg-deliveries/{theirs.pk}").status_code == 404
    assert api.get(f"/api/v1/srg-deliveries/{theirs.pk}/download").status_code == 404
