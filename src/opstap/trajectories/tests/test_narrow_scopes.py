"""Scopes no wider than the work (issue 19 item 5, R-SEC-1): the finance clerk reads the
invoice's evidence below a trajectory, not every progress report, document and absence; the
contract manager reads the process (the provider's own records), not dossier content."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client as HttpClient

from opstap.accounts.models import User
from opstap.core.access import scoped
from opstap.core.roles import RoleCode
from opstap.providers.models import Product
from opstap.trajectories import services
from opstap.trajectories.models import (
    Absence,
    Appointment,
    Deadline,
    Outcome,
    Trajectory,
    TrajectoryDocument,
    TrajectoryEvent,
)

SECRET_REPORT = "Kandidaat vertelt over zijn depressie"
SECRET_ABSENCE = "Opname in de GGZ-kliniek"


@pytest.fixture
def running(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> Trajectory:
    trajectory = walk(order(product3), "running")
    tz = dt.UTC
    with time_machine.travel(dt.datetime(2026, 6, 20, 10, tzinfo=tz), tick=False):
        services.trajectory_document_submit(
            actor=provider_user_a,
            trajectory=trajectory,
            kind="progress_report",
            title="Voortgang juni",
            text=SECRET_REPORT,
        )
        services.appointment_create(
            actor=provider_user_a,
            trajectory=trajectory,
            starts_at=dt.datetime(2026, 6, 10, 9, tzinfo=tz),
        )
        services.absence_report(
            actor=provider_user_a,
            trajectory=trajectory,
            occurred_at=dt.datetime(2026, 6, 12, 9, tzinfo=tz),
            reason=SECRET_ABSENCE,
        )
        services.outcome_record(
            actor=provider_user_a,
            trajectory=trajectory,
            employer="Bakkerij",
            placement_start="2026-06-15",
        )
    return trajectory


def _kinds(user: User) -> dict[str, Any]:
    return {
        "trajectory": scoped(user, Trajectory.objects.all()).count(),
        "documents": sorted(
            scoped(user, TrajectoryDocument.objects.all()).values_list("kind", flat=True)
        ),
        "absence": scoped(user, Absence.objects.all()).count(),
        "appointment": scoped(user, Appointment.objects.all()).count(),
        "outcome": scoped(user, Outcome.objects.all()).count(),
        "deadline": scoped(user, Deadline.objects.all()).exists(),
        "absence_events": scoped(user, TrajectoryEvent.objects.filter(action="absence")).count(),
        "events": scoped(user, TrajectoryEvent.objects.all()).exists(),
    }


def test_finance_reads_only_the_invoice_evidence(running: Trajectory, make_user) -> None:
    """R-SEC-1: finance sees the trajectory, its history, the attendance register and the
    outcome (placement fee), but no progress report, plan or absence (before: all)."""
    finance = make_user(RoleCode.FINANCE_CLERK, username="administratie")
    seen = _kinds(finance)
    assert seen["trajectory"] == 1 and seen["events"] and seen["deadline"]
    assert seen["documents"] == []  # neither the plan nor the progress report
    assert (seen["absence"], seen["absence_events"]) == (0, 0)
    assert (seen["appointment"], seen["outcome"]) == (1, 1)


def test_contract_manager_reads_the_process_not_the_dossier(
    running: Trajectory, contract_manager: User
) -> None:
    """R-SEC-1: contract management sees trajectories and their process (history, due
    dates), no documents, absences, appointments or outcomes (before: all)."""
    seen = _kinds(contract_manager)
    assert seen["trajectory"] == 1 and seen["events"] and seen["deadline"]
    assert seen["documents"] == []
    assert (seen["absence"], seen["appointment"], seen["outcome"], seen["absence_events"]) == (
        0,
        0,
        0,
        0,
    )


def test_case_manager_and_provider_still_see_everything(
    running: Trajectory, case_manager: User, provider_user_a: User
) -> None:
    for user in (case_manager, provider_user_a):
        seen = _kinds(user)
        assert "progress_report" in seen["documents"] and seen["absence"] == 1, user


def test_pages_and_api_follow_the_narrow_scope(
    running: Trajectory, make_user, contract_manager: User, api_as
) -> None:
    """The detail page and the API's reports/absences show finance and contract management
    neither the report text nor the absence reason."""
    finance = make_user(RoleCode.FINANCE_CLERK, username="administratie")
    for user in (finance, contract_manager):
        http = HttpClient()
        http.force_login(user)
        html = http.get(f"/trajecten/{running.pk}/").content.decode()
        assert SECRET_REPORT not in html and SECRET_ABSENCE not in html, user
        api = api_as(user)
        body = api.get(f"/api/v1/trajectories/{running.pk}").content.decode()
        assert SECRET_ABSENCE not in body
        reports = api.get(f"/api/v1/trajectories/{running.pk}/reports")
        assert SECRET_REPORT not in reports.content.decode()
        absences = api.get(f"/api/v1/trajectories/{running.pk}/absences")
        assert SECRET_ABSENCE not in absences.content.decode()
