"""Days equated with a holiday by royal decree (Atw art. 3(3), R-TRJ-3) are reference data,
used by every deadline computation (finding 5 of issue 12: they were never supplied).

The data migration seeds the days of the two decrees for 2023-2028 (see docs/deadlines.md);
the application administrator adds others in the back office (validated, audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.core.roles import RoleCode
from opstap.providers.models import Product
from opstap.trajectories import selectors, services
from opstap.trajectories.models import Deadline, EquatedDay, Trajectory
from opstap.trajectories.services import TrajectoryError

pytestmark = pytest.mark.django_db

D = dt.date

#: The days of the two decrees (titles quoted in docs/deadlines.md), seeded by migration 0008.
SEEDED = {
    D(2023, 4, 28),
    D(2023, 5, 19),
    D(2024, 5, 10),
    D(2024, 12, 27),
    D(2025, 5, 30),
    D(2026, 1, 2),
    D(2026, 5, 15),
    D(2027, 5, 7),
    D(2028, 4, 28),
    D(2028, 5, 26),
}


def test_the_decree_days_2023_2028_are_seeded() -> None:
    """R-TRJ-3: the known decree days are in the reference table, each naming its decree."""
    assert selectors.equated_days() == SEEDED
    for row in EquatedDay.objects.all():
        assert row.decree.startswith("Besluit gelijkstelling van ")
        assert row.day.weekday() == 4  # every one of them is a Friday


def test_a_stored_deadline_skips_a_decree_day(
    order: Callable[..., Trajectory], product3: Product, walk: Callable[..., Trajectory]
) -> None:
    """R-TRJ-3 (Atw art. 1 and 3(3)): a trajectory ending Thu 30-04-2026 has its final report
    due on day 14, Thu 14-05 = Ascension Day; Fri 15-05-2026 is equated by decree, so the
    report is due Mon 18-05-2026 (it was Fri 15-05 when decree days were never supplied)."""
    # Ordered and started four weeks before the usual fixture, so that the trajectory has
    # run for three weeks when it ends on 30-04 (an end before the start is refused).
    trajectory = walk(order(product3, on=D(2026, 3, 27)), "running", days_earlier=28)
    services.trajectory_transition(
        actor=trajectory.case_manager,
        trajectory=trajectory,
        action="terminate_early",
        reason="Verhuisd",
        payload={"end_date": "2026-04-30"},
        on=D(2026, 5, 6),
    )
    final = Deadline.objects.get(trajectory=trajectory, kind="final_report")
    assert final.due_on == D(2026, 5, 18)


def test_a_day_the_administrator_adds_is_used_by_the_next_deadline(
    order: Callable[..., Trajectory], product3: Product, make_user: Callable[..., User]
) -> None:
    """R-TRJ-3: an order on Fri 24-04-2026 has its intake due Fri 08-05-2026; once the
    administrator equates that Friday (an example, not a real decree), the next order's
    intake moves to Mon 11-05-2026. Deadlines stored earlier keep their date."""
    admin_user = make_user(RoleCode.APP_ADMIN, username="beheerder")
    before = order(product3, on=D(2026, 4, 24))
    services.equated_day_save(
        actor=admin_user,
        day=D(2026, 5, 8),
        description="voorbeeld",
        decree="Besluit van ... (voorbeeld)",
    )
    after = order(product3, on=D(2026, 4, 24), rotonde_exit="regular")
    assert Deadline.objects.get(trajectory=before, kind="intake").due_on == D(2026, 5, 8)
    assert Deadline.objects.get(trajectory=after, kind="intake").due_on == D(2026, 5, 11)
    record = AuditRecord.objects.get(object_type="equated_day")
    assert record.actor_id == admin_user.pk
    assert record.changes["day"] == [None, "2026-05-08"]


def test_one_transition_reads_the_decree_days_once(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-TRJ-3, no N+1: starting a trajectory stores a progress report and the extension
    deadline (two computations) but reads the reference table once."""
    trajectory = walk(order(product3), "plan_approved")
    with CaptureQueriesContext(connection) as ctx:
        services.trajectory_transition(
            actor=provider_user_a,
            trajectory=trajectory,
            action="start",
            payload={"start_date": "2026-05-06"},
            on=D(2026, 5, 6),
        )
    reads = [q for q in ctx.captured_queries if "trajectories_equatedday" in q["sql"]]
    assert len(reads) == 1
    assert Deadline.objects.filter(trajectory=trajectory, kind="extension_request").exists()


@pytest.mark.parametrize(
    ("day", "field", "message"),
    [
        (D(2026, 5, 16), "day", "zaterdag"),  # a Saturday is never a working day anyway
        (D(2026, 5, 14), "day", "feestdag"),  # Ascension Day is a holiday already
        (D(2026, 5, 15), "day", "al gelijkgesteld"),  # seeded
        (D(1999, 5, 14), "day", "2014"),
        ("morgen", "day", "geen geldige datum"),
    ],
)
def test_equated_day_input_is_validated(
    make_user: Callable[..., User], day: object, field: str, message: str
) -> None:
    """R-TRJ-3: the administrator gets a Dutch message naming the field."""
    admin_user = make_user(RoleCode.APP_ADMIN)
    with pytest.raises(TrajectoryError) as info:
        services.equated_day_save(
            actor=admin_user,
            day=day,
            description="x",
            decree="Besluit",  # type: ignore[arg-type]
        )
    assert info.value.field == field
    assert message in info.value.message


def test_only_the_administrator_maintains_equated_days(make_user: Callable[..., User]) -> None:
    """R-SEC-1: a case manager cannot change the calendar that every deadline uses."""
    with pytest.raises(TrajectoryError):
        services.equated_day_save(
            actor=make_user(RoleCode.CASE_MANAGER),
            day=D(2029, 5, 11),
            description="x",
            decree="Besluit",
        )
    assert not EquatedDay.objects.filter(day=D(2029, 5, 11)).exists()


def test_change_and_delete_are_audited(make_user: Callable[..., User]) -> None:
    """R-TRJ-3, R-SEC-2: every change of the reference data leaves an audit line."""
    admin_user = make_user(RoleCode.APP_ADMIN)
    row = services.equated_day_save(
        actor=admin_user, day=D(2029, 5, 11), description="vrijdag", decree="Besluit A"
    )
    services.equated_day_save(
        actor=admin_user,
        day=D(2029, 5, 11),
        description="vrijdag na Hemelvaartsdag",
        decree="Besluit A",
        equated_day=row,
    )
    services.equated_day_delete(actor=admin_user, equated_day=row)
    actions = list(
        AuditRecord.objects.filter(object_type="equated_day", object_id=str(row.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]
    assert D(2029, 5, 11) not in selectors.equated_days()


def test_back_office_saves_through_the_service(
    client: object, make_user: Callable[..., User]
) -> None:
    """R-TRJ-3: the back office (admin) adds a day through the audited service."""
    from django.test import Client

    superuser = make_user(RoleCode.APP_ADMIN, username="root")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    browser = Client()
    browser.force_login(superuser)
    response = browser.post(
        "/beheer/trajectories/equatedday/add/",
        {"day": "2029-05-11", "description": "vrijdag na Hemelvaartsdag", "decree": "Besluit B"},
    )
    assert response.status_code == 302
    assert EquatedDay.objects.filter(day=D(2029, 5, 11)).exists()
    assert AuditRecord.objects.filter(object_type="equated_day", action="create").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_is_one_transaction_with_its_audit_line(
    make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-TRJ-3, R-SEC-2: called outside any transaction (as a command or a task would), a
    change locks the row and saves it with its audit line in one transaction: when the audit
    line cannot be written, the day is not changed either (the checks alone ran in one)."""
    from opstap.audit import services as audit_services

    admin_user = make_user(RoleCode.APP_ADMIN)
    row = services.equated_day_save(
        actor=admin_user, day=D(2029, 5, 11), description="vrijdag", decree="Besluit A"
    )

    def change() -> EquatedDay:
        return services.equated_day_save(
            actor=admin_user,
            day=D(2029, 5, 11),
            description="gewijzigd",
            decree="Besluit A",
            equated_day=row,
        )

    def refuse(**_kwargs: object) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit_services, "audit_saved", refuse)
    with pytest.raises(RuntimeError):
        change()
    row.refresh_from_db()
    assert row.description == "vrijdag"
    monkeypatch.undo()
    change()
    row.refresh_from_db()
    assert row.description == "gewijzigd"
