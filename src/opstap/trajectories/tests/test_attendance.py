"""Issue 14 item 3: the attendance register (R-ABS-1, R-BILL-9). Provider staff record per
appointment whether the candidate came, on a page and through the API, scoped to their own
provider's trajectories and audited; an absence with its reason becomes an absence report;
travel claims are checked against this register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from opstap.audit.models import AuditRecord
from opstap.invoices import services as invoice_services
from opstap.trajectories import services
from opstap.trajectories.models import Absence, Appointment

AMS = dt.timezone(dt.timedelta(hours=2))
NOW = dt.datetime(2026, 5, 20, 15, 0, tzinfo=AMS)  # a Wednesday
MORNING = dt.datetime(2026, 5, 20, 9, 30, tzinfo=AMS)


@pytest.fixture
def running(order, walk, product3):
    return walk(order(product3), "running")


@pytest.fixture
def appointment(running, provider_user_a) -> Appointment:
    return services.appointment_create(
        actor=provider_user_a, trajectory=running, starts_at=MORNING, description="Training"
    )


def test_provider_records_attendance_on_the_page(
    appointment, provider_user_a, django_assert_max_num_queries
) -> None:
    """R-ABS-1: the week's appointments with a choice per appointment; recording is audited
    and an event on the trajectory; the travel claim then finds the day (R-BILL-9)."""
    web = HttpClient()
    web.force_login(provider_user_a)
    with time_machine.travel(NOW, tick=False):
        with django_assert_max_num_queries(25):
            page = web.get(reverse("trajectories:attendance")).content.decode()
        assert "Kees Klant" in page and "Training" in page
        before = AuditRecord.objects.count()
        response = web.post(
            reverse("trajectories:attendance_record", args=[appointment.pk]),
            {f"a{appointment.pk}-status": "attended", "week": "2026-05-18"},
        )
        assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.attendance == "attended"
    assert AuditRecord.objects.count() > before
    assert appointment.trajectory.events.filter(action="attendance").exists()
    claim = invoice_services.travel_claim_submit(
        actor=appointment.trajectory.case_manager,
        trajectory=appointment.trajectory,
        trips=[invoice_services.TripInput(dt.date(2026, 5, 20), Decimal("12"), Decimal("6.40"))],
    )
    assert (claim.attendance_source, claim.organisation_pays) == ("register", Decimal("6.40"))


def test_absent_needs_a_reason_and_becomes_an_absence_report(appointment, provider_user_a) -> None:
    web = HttpClient()
    web.force_login(provider_user_a)
    url = reverse("trajectories:attendance_record", args=[appointment.pk])
    with time_machine.travel(NOW, tick=False):
        refused = web.post(url, {f"a{appointment.pk}-status": "absent"})
        assert refused.status_code == 400
        assert "Geef de reden van het verzuim op." in refused.content.decode()
        ok = web.post(
            url, {f"a{appointment.pk}-status": "absent", f"a{appointment.pk}-reason": "Ziek"}
        )
        assert ok.status_code == 302
    absence = Absence.objects.get()
    assert (absence.appointment_id, absence.reason) == (appointment.pk, "Ziek")


def test_attendance_of_a_future_appointment_is_refused(appointment, provider_user_a) -> None:
    with (
        time_machine.travel(MORNING - dt.timedelta(days=1), tick=False),
        pytest.raises(services.TrajectoryError, match="nog niet begonnen"),
    ):
        services.attendance_record(
            actor=provider_user_a, appointment=appointment, status="attended"
        )


def test_other_provider_cannot_see_or_record(appointment, provider_user_b) -> None:
    """R-SEC-1: another provider's staff get a 404, and the appointment is not listed."""
    web = HttpClient()
    web.force_login(provider_user_b)
    with time_machine.travel(NOW, tick=False):
        assert "Kees Klant" not in web.get(reverse("trajectories:attendance")).content.decode()
        response = web.post(
            reverse("trajectories:attendance_record", args=[appointment.pk]),
            {f"a{appointment.pk}-status": "attended"},
        )
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.attendance == "planned"


def test_provider_adds_an_appointment_with_a_dutch_date(running, provider_user_a) -> None:
    web = HttpClient()
    web.force_login(provider_user_a)
    with time_machine.travel(NOW, tick=False):
        bad = web.post(
            reverse("trajectories:appointment_add"),
            {
                "appointment-trajectory": running.pk,
                "appointment-day": "2026-13-40",
                "appointment-time": "09:30",
            },
        )
        assert bad.status_code == 400 and "dd-mm-jjjj" in bad.content.decode()
        ok = web.post(
            reverse("trajectories:appointment_add"),
            {
                "appointment-trajectory": running.pk,
                "appointment-day": "22-05-2026",
                "appointment-time": "09:30",
                "appointment-description": "Stagebezoek",
            },
        )
        assert ok.status_code == 302
    appointment = Appointment.objects.get(trajectory=running)
    assert appointment.starts_at == dt.datetime(2026, 5, 22, 9, 30, tzinfo=AMS)


def test_attendance_api(appointment, provider_user_a, provider_user_b, api_as) -> None:
    """R-ABS-1 through the API: list, record (problem+json naming the field), scoped."""
    trajectory = appointment.trajectory
    base = f"/api/v1/trajectories/{trajectory.pk}/appointments"
    with time_machine.travel(NOW, tick=False):
        api = api_as(provider_user_a)
        listed = api.get(base)
        assert listed.status_code == 200
        assert listed.json()[0]["attendance"] == "planned"
        assert "startsAt" in listed.json()[0]
        missing = api.post(
            f"{base}/{appointment.pk}/attendance", {"status": "absent"}, format="json"
        )
        assert missing.status_code == 400
        assert missing["Content-Type"].startswith("application/problem+json")
        assert [p["name"] for p in missing.json()["invalidParams"]] == ["reason"]
        bad = api.post(f"{base}/{appointment.pk}/attendance", {"status": "x"}, format="json")
        assert bad.status_code == 400
        done = api.post(
            f"{base}/{appointment.pk}/attendance", {"status": "attended"}, format="json"
        )
        assert done.status_code == 200 and done.json()["attendance"] == "attended"
        created = api.post(
            base, {"startsAt": "2026-05-27T09:00:00+02:00", "description": "Gesprek"}, format="json"
        )
        assert created.status_code == 201
        other = api_as(provider_user_b)
        assert other.get(base).status_code == 404
        assert (
            other.post(
                f"{base}/{appointment.pk}/attendance", {"status": "attended"}, format="json"
            ).status_code
            == 404
        )
