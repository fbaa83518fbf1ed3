"""Services of the trajectories app: ordering, the one transition service, documents,
absence, outcomes and deadline notifications (R-TRJ-1..7, R-ABS-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import Client, ClientEvent
from opstap.core.roles import RoleCode
from opstap.notifications.models import Notification
from opstap.providers import services as provider_services
from opstap.providers.models import Product, Provider
from opstap.trajectories import selectors, services
from opstap.trajectories.models import (
    Absence,
    Deadline,
    DeadlineNotification,
    Trajectory,
    TrajectoryEvent,
)
from opstap.trajectories.services import TrajectoryError
from opstap.trajectories.services import _common as services_common
from opstap.trajectories.workflow import IllegalTransition, RefusalReason

from .conftest import ORDER_DAY

pytestmark = pytest.mark.django_db

AMS = dt.timezone(dt.timedelta(hours=2))


# --- Ordering (R-TRJ-1) ----------------------------------------------------------------------


def test_order_fixes_the_price_valid_on_the_order_date(
    order: Callable[..., Trajectory], product3: Product
) -> None:
    """R-TRJ-1, R-NET-6: the order keeps the price valid on its date, even after a new price."""
    provider_services.product_price_set(
        actor=None, product=product3, amount=Decimal("2600.00"), valid_from=dt.date(2026, 6, 1)
    )
    trajectory = order(product3)
    assert trajectory.price == Decimal("2500.00")
    assert trajectory.state == "ordered"
    assert trajectory.provider_id == product3.provider_id
    later = order(product3, on=dt.date(2026, 6, 2), rotonde_exit="regular")
    assert later.price == Decimal("2600.00")


def test_order_creates_intake_deadline_with_atw_roll(
    order: Callable[..., Trajectory], product3: Product
) -> None:
    """R-TRJ-3: intake within 14 days; day 14 after 2026-04-21 is 5 May, so 6 May."""
    trajectory = order(product3)
    intake = Deadline.objects.get(trajectory=trajectory, kind="intake")
    assert intake.due_on == dt.date(2026, 5, 6)
    assert intake.responsible_role == "provider_staff"


def test_order_refused_when_contract_ended(
    order: Callable[..., Trajectory],
    product3: Product,
    contract_manager: User,
) -> None:
    """R-TRJ-1: an order is refused with the reason when the product cannot be ordered."""
    contract = product3.provider.contracts.get()
    provider_services.contract_end(
        actor=contract_manager, contract=contract, reason="Einde", ended_on=dt.date(2026, 1, 1)
    )
    with pytest.raises(TrajectoryError) as info:
        order(product3)
    assert "raamovereenkomst" in info.value.message
    assert not Trajectory.objects.exists()


def test_order_refused_when_certificate_lapsed(
    order: Callable[..., Trajectory],
    contracted_a: Provider,
    make_product: Callable[..., Product],
) -> None:
    """R-TRJ-1: lapsed evidence (a required certificate) blocks the order."""
    product = make_product(contracted_a, 3, required_certificate="jobcoach")
    with pytest.raises(TrajectoryError, match="certificering"):
        order(product)


def test_quote_products_start_with_a_quote(
    order: Callable[..., Trajectory],
    contracted_a: Provider,
    make_product: Callable[..., Product],
    provider_user_a: User,
) -> None:
    """R-TRJ-1: codes 2, 4 and 5 need a quote; planning the intake directly is refused."""
    for code in (2, 4, 5):
        trajectory = order(make_product(contracted_a, code, name=f"P{code}"))
        with pytest.raises(IllegalTransition) as info:
            services.trajectory_transition(
                actor=provider_user_a,
                trajectory=trajectory,
                action="plan_intake",
                payload={"intake_date": "2026-04-30"},
                on=ORDER_DAY,
            )
        assert "offerte" in str(info.value)
        # R-TRJ-3: the intake period runs from the order, also while the quote is pending.
        assert Deadline.objects.filter(trajectory=trajectory, kind="intake").exists()
        figures = {"amount": "1500.00"}
        if code == 5:  # jobcoaching: rate x hours make up the amount (R-BILL-7)
            figures.update(hourly_rate="75.00", hours="20")
        services.trajectory_document_submit(
            actor=provider_user_a,
            trajectory=trajectory,
            kind="quote",
            title="Offerte",
            text="Offerte met re-integratieplan",
            payload=figures,
            on=ORDER_DAY,
        )
        trajectory.refresh_from_db()
        assert trajectory.state == "quote_submitted"
        assert trajectory.quotes.get().amount == Decimal("1500.00")


def test_order_requires_reason_when_rotonde_exit_skipped(
    order: Callable[..., Trajectory], product3: Product
) -> None:
    """R-LAD-4 on the order: aiming at sheltered work skips regular and supported work."""
    with pytest.raises(TrajectoryError) as info:
        order(product3, rotonde_exit="sheltered")
    assert info.value.field == "rotonde_skip_reason"
    trajectory = order(product3, rotonde_exit="sheltered", rotonde_skip_reason="Indicatie NBW")
    assert trajectory.rotonde_skip_reason == "Indicatie NBW"


def test_provider_cannot_order(provider_user_a: User, client_k: Client, product3: Product) -> None:
    """R-TRJ-1: the case manager orders."""
    with pytest.raises(TrajectoryError):
        services.trajectory_order(
            actor=provider_user_a, client=client_k, product=product3, rotonde_exit="regular"
        )


# --- Transitions (R-TRJ-2, R-TRJ-3) ------------------------------------------------------------


def test_transition_writes_event_timeline_and_audit(
    order: Callable[..., Trajectory], product3: Product, provider_user_a: User
) -> None:
    """R-TRJ-2: every transition is an event with actor, time and reason, on the client's
    timeline and in the audit trail."""
    trajectory = order(product3)
    services.trajectory_transition(
        actor=provider_user_a,
        trajectory=trajectory,
        action="plan_intake",
        payload={"intake_date": "2026-04-28"},
        on=dt.date(2026, 4, 22),
    )
    event = TrajectoryEvent.objects.filter(trajectory=trajectory).last()
    assert event is not None
    assert (event.actor, event.action, event.from_state, event.to_state) == (
        provider_user_a,
        "plan_intake",
        "ordered",
        "intake_planned",
    )
    assert event.payload["intake_date"] == "2026-04-28"
    assert ClientEvent.objects.filter(
        client=trajectory.client, source="trajectories", data__action="plan_intake"
    ).exists()
    assert AuditRecord.objects.filter(
        object_type="trajectory", object_id=str(trajectory.pk), actor_id=provider_user_a.pk
    ).exists()
    provider = Provider.objects.get(pk=trajectory.provider_id)
    assert provider.last_activity_on is not None


def test_provider_cannot_approve_own_plan(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-TRJ-2: illegal transitions are refused with a clear error; history unchanged."""
    trajectory = walk(order(product3), "plan_submitted")
    events = TrajectoryEvent.objects.count()
    with pytest.raises(IllegalTransition) as info:
        services.trajectory_transition(
            actor=provider_user_a, trajectory=trajectory, action="approve_plan"
        )
    assert info.value.reason is RefusalReason.WRONG_ROLE
    assert "eigen plan niet goedkeuren" in str(info.value)
    trajectory.refresh_from_db()
    assert trajectory.state == "plan_submitted"
    assert TrajectoryEvent.objects.count() == events


def test_final_report_before_start_refused(
    order: Callable[..., Trajectory], product3: Product, provider_user_a: User
) -> None:
    """R-TRJ-2, R-TRJ-6: a final report before the trajectory ended is refused."""
    trajectory = order(product3)
    with pytest.raises(IllegalTransition, match="Eindrapportage ontvangen"):
        services.trajectory_document_submit(
            actor=provider_user_a,
            trajectory=trajectory,
            kind="final_report",
            title="Eindrapportage",
            text="Te vroeg",
        )
    assert not trajectory.documents.exists()


def test_other_provider_cannot_act(
    order: Callable[..., Trajectory], product3: Product, provider_user_b: User
) -> None:
    """R-SEC-1: provider B does not even see provider A's trajectory."""
    trajectory = order(product3)
    with pytest.raises(TrajectoryError, match="geen toegang"):
        services.trajectory_transition(
            actor=provider_user_b,
            trajectory=trajectory,
            action="plan_intake",
            payload={"intake_date": "2026-04-28"},
        )


def test_reason_required(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    case_manager: User,
) -> None:
    """R-TRJ-2: returning a plan needs a reason."""
    trajectory = walk(order(product3), "plan_submitted")
    with pytest.raises(TrajectoryError) as info:
        services.trajectory_transition(
            actor=case_manager, trajectory=trajectory, action="return_plan"
        )
    assert info.value.code == "reason_required"
    services.trajectory_transition(
        actor=case_manager, trajectory=trajectory, action="return_plan", reason="Doelen vager"
    )
    assert trajectory.state == "plan_returned"


def test_lead_times_follow_the_transitions(
    order: Callable[..., Trajectory], product3: Product, walk: Callable[..., Trajectory]
) -> None:
    """R-TRJ-3, R-TRJ-4: intake met, plan 7 days after intake, start 7 days after approval,
    progress reports every 3 months, extension request 1 month before the planned end."""
    trajectory = walk(order(product3), "running")
    rows = {
        (d.kind, d.due_on, d.met_on)
        for d in Deadline.objects.filter(trajectory=trajectory).exclude(kind="progress_report")
    }
    assert ("intake", dt.date(2026, 5, 6), dt.date(2026, 4, 28)) in rows
    assert ("plan", dt.date(2026, 5, 6), dt.date(2026, 5, 1)) in rows  # 5 May: Atw
    assert ("start", dt.date(2026, 5, 11), dt.date(2026, 5, 6)) in rows
    assert trajectory.start_date == dt.date(2026, 5, 6)
    assert trajectory.planned_end_date == dt.date(2026, 11, 4)  # + 182 days
    extension = Deadline.objects.get(trajectory=trajectory, kind="extension_request")
    assert extension.due_on == dt.date(2026, 10, 2)  # 4 Oct is a Sunday: back to Friday
    reports = list(
        Deadline.objects.filter(trajectory=trajectory, kind="progress_report").values_list(
            "due_on", flat=True
        )
    )
    assert reports == [dt.date(2026, 8, 6), dt.date(2026, 11, 4)]


def test_extension_approved_moves_end_and_deadlines(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    case_manager: User,
) -> None:
    """R-TRJ-2, R-TRJ-3: an approved extension sets a new planned end; due dates follow."""
    trajectory = walk(order(product3), "running")
    services.trajectory_document_submit(
        actor=provider_user_a,
        trajectory=trajectory,
        kind="extension_request",
        title="Verlenging",
        text="Meer tijd nodig voor stage",
        on=dt.date(2026, 9, 1),
    )
    trajectory.refresh_from_db()
    assert trajectory.state == "extension_requested"
    services.trajectory_transition(
        actor=case_manager,
        trajectory=trajectory,
        action="approve_extension",
        payload={"new_planned_end_date": "2027-02-04"},
        on=dt.date(2026, 9, 2),
    )
    assert trajectory.state == "running"
    assert trajectory.planned_end_date == dt.date(2027, 2, 4)
    open_ext = Deadline.objects.get(
        trajectory=trajectory,
        kind="extension_request",
        met_on__isnull=True,
        cancelled_on__isnull=True,
    )
    assert open_ext.due_on == dt.date(2027, 1, 4)


def test_return_needs_case_manager_agreement(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    case_manager: User,
    time_machine: Any,
) -> None:
    """R-TRJ-5: the provider asks with a return report; only the case manager agrees. Today
    is explicit: a day while the trajectory runs."""
    time_machine.move_to(dt.datetime(2026, 9, 1, 10, 0, tzinfo=AMS), tick=False)
    trajectory = walk(order(product3), "running")
    services.trajectory_document_submit(
        actor=provider_user_a,
        trajectory=trajectory,
        kind="return_request",
        title="Terugmelding",
        text="Kandidaat past niet in dit traject",
    )
    trajectory.refresh_from_db()
    with pytest.raises(IllegalTransition):
        services.trajectory_transition(
            actor=provider_user_a, trajectory=trajectory, action="approve_return"
        )
    services.trajectory_transition(
        actor=case_manager, trajectory=trajectory, action="approve_return"
    )
    assert trajectory.state == "returned"
    assert trajectory.actual_end_date is not None
    assert Deadline.objects.filter(trajectory=trajectory, kind="final_report").exists()


def test_final_report_and_handover(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    time_machine: Any,
) -> None:
    """R-TRJ-6: after the end, a final report (within 14 days) and a warm handover note.
    Today is explicit: the provider acts within its access window after the end."""
    time_machine.move_to(dt.datetime(2026, 11, 12, 10, 0, tzinfo=AMS), tick=False)
    trajectory = walk(order(product3), "running")
    services.trajectory_transition(
        actor=provider_user_a,
        trajectory=trajectory,
        action="complete",
        payload={"end_date": "2026-11-04"},
        on=dt.date(2026, 11, 4),
    )
    final_due = Deadline.objects.get(trajectory=trajectory, kind="final_report")
    assert final_due.due_on == dt.date(2026, 11, 18)
    assert not Deadline.objects.filter(
        trajectory=trajectory,
        kind="progress_report",
        met_on__isnull=True,
        cancelled_on__isnull=True,
    ).exists()
    services.trajectory_document_submit(
        actor=provider_user_a,
        trajectory=trajectory,
        kind="final_report",
        title="Eindrapportage",
        text="Doelen bereikt; advies: jobcoaching",
        on=dt.date(2026, 11, 10),
    )
    final_due.refresh_from_db()
    assert final_due.met_on == dt.date(2026, 11, 10)
    services.trajectory_document_submit(
        actor=provider_user_a,
        trajectory=trajectory,
        kind="handover_note",
        title="Warme overdracht",
        text="Gesprek met klant en klantmanager gevoerd",
        on=dt.date(2026, 11, 12),
    )
    trajectory.refresh_from_db()
    assert trajectory.state == "handed_over"
    assert trajectory.handed_over_on == dt.date(2026, 11, 12)


def test_progress_report_meets_first_open_report_deadline(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-TRJ-4: code 3 reports every 3 months; a report meets the first open one."""
    trajectory = walk(order(product3), "running")
    services.trajectory_document_submit(
        actor=provider_user_a,
        trajectory=trajectory,
        kind="progress_report",
        title="Voortgang 1",
        text="Goede voortgang",
        on=dt.date(2026, 8, 5),
    )
    first = Deadline.objects.filter(trajectory=trajectory, kind="progress_report").first()
    assert first is not None and first.met_on == dt.date(2026, 8, 5)


def test_plan_needs_goals_and_keeps_them(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-TRJ-2: the plan of approach holds structured goals and result agreements."""
    trajectory = walk(order(product3), "intake_held")
    with pytest.raises(TrajectoryError, match="doel"):
        services.trajectory_document_submit(
            actor=provider_user_a, trajectory=trajectory, kind="plan", title="Plan"
        )
    document = services.trajectory_document_submit(
        actor=provider_user_a,
        trajectory=trajectory,
        kind="plan",
        title="Plan van aanpak",
        goals=["Werkritme 24 uur", "Heftruckcertificaat"],
        result_agreements=["Stage binnen 2 maanden"],
        signed_by_candidate=True,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    assert document.goals == ["Werkritme 24 uur", "Heftruckcertificaat"]
    assert document.signed_by_candidate
    assert document.content_type == "application/pdf"
    assert document.file.name.startswith(f"trajecten/{trajectory.organisation_id}/")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.exe", b"MZ", "Alleen PDF"),
        ("plan.pdf", b"MZ not a pdf", "past niet"),
    ],
)
def test_upload_type_checked(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    name: str,
    content: bytes,
    message: str,
) -> None:
    """R-SEC-6: only PDF/DOCX/ODT/images whose content matches; the transition is undone."""
    trajectory = walk(order(product3), "intake_held")
    with pytest.raises(TrajectoryError, match=message):
        services.trajectory_document_submit(
            actor=provider_user_a,
            trajectory=trajectory,
            kind="plan",
            title="Plan",
            goals=["Doel"],
            upload=SimpleUploadedFile(name, content),
        )
    trajectory.refresh_from_db()
    assert trajectory.state == "intake_held"


def test_upload_size_checked() -> None:
    """R-SEC-6: at most 10 MB."""
    big = SimpleUploadedFile("plan.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(TrajectoryError, match="10 MB"):
        services.check_upload(big)


# --- Absence (R-ABS-1) ---------------------------------------------------------------------


def test_absence_elevated_risk_late_report_flagged_and_notified(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    case_manager: User,
) -> None:
    """R-ABS-1: elevated risk — reported to the case manager; later than 24 hours is late."""
    trajectory = walk(order(product3, absence_risk="elevated"), "running")
    absent = dt.datetime(2026, 6, 1, 9, 0, tzinfo=AMS)
    on_time = services.absence_report(
        actor=provider_user_a,
        trajectory=trajectory,
        occurred_at=absent,
        reason="Ziek",
        reported_at=absent + dt.timedelta(hours=24),
    )
    late = services.absence_report(
        actor=provider_user_a,
        trajectory=trajectory,
        occurred_at=absent,
        reason="Niet verschenen",
        reported_at=absent + dt.timedelta(hours=25),
    )
    assert (on_time.late, late.late) == (False, True)
    titles = list(
        Notification.objects.filter(recipient=case_manager, dedupe_key="").values_list(
            "title", flat=True
        )
    )
    assert any("te laat gemeld" in t for t in titles)
    assert len(titles) == 2


def test_absence_no_risk_not_notified(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    case_manager: User,
) -> None:
    """R-ABS-1: no risk — absence is in the periodic report only, never flagged late."""
    trajectory = walk(order(product3), "running")
    absent = dt.datetime(2026, 6, 1, 9, 0, tzinfo=AMS)
    absence = services.absence_report(
        actor=provider_user_a,
        trajectory=trajectory,
        occurred_at=absent,
        reason="Tandarts",
        reported_at=absent + dt.timedelta(days=5),
    )
    assert not absence.late
    # Hand-offs (the plan to approve) carry a key; absence alerts do not.
    assert not Notification.objects.filter(recipient=case_manager, dedupe_key="").exists()
    assert list(selectors.trajectory_absences(trajectory)) == [absence]


def test_problematic_absence_alerts_case_manager_at_once(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    case_manager: User,
    django_capture_on_commit_callbacks,
) -> None:
    """R-ABS-1: (threatening) refusal to cooperate alerts the case manager at once, in-app
    and by e-mail, whatever the risk level."""
    case_manager.email = "km@example.org"
    case_manager.save(update_fields=["email"])
    trajectory = walk(order(product3), "running")
    with django_capture_on_commit_callbacks(execute=True):
        services.absence_report(
            actor=provider_user_a,
            trajectory=trajectory,
            occurred_at=dt.datetime(2026, 6, 1, 9, 0, tzinfo=AMS),
            reason="Weigert deel te nemen",
            problematic=True,
            reported_at=dt.datetime(2026, 6, 1, 10, 0, tzinfo=AMS),
        )
    note = Notification.objects.get(recipient=case_manager, dedupe_key="")
    assert "problematisch" in note.title
    assert any("km@example.org" in m.to for m in mail.outbox)
    assert Absence.objects.get().problematic


# --- Outcome (R-TRJ-7) ---------------------------------------------------------------------


def test_outcome_placement_durability_check(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    case_manager: User,
) -> None:
    """R-TRJ-7: a structured outcome; 6 months after the placement start the case manager
    is asked (once) whether it lasted; a known earlier end is judged not durable."""
    trajectory = walk(order(product3), "running")
    outcome = services.outcome_record(
        actor=provider_user_a,
        trajectory=trajectory,
        werkfit=True,
        employer="Bouwbedrijf Duiven",
        placement_start="2026-09-01",
        contract_type="fixed",
        hours_per_week="32",
        contract_months=12,
        lks=False,
    )
    assert outcome.durability_check_on == dt.date(2027, 3, 1)
    assert services.outcomes_check_durability(on=dt.date(2027, 2, 28)) == 0
    assert services.outcomes_check_durability(on=dt.date(2027, 3, 1)) == 1
    assert services.outcomes_check_durability(on=dt.date(2027, 3, 2)) == 0  # asked once
    assert (
        Notification.objects.filter(recipient=case_manager, title__contains="duurzaam").count() == 1
    )
    services.outcome_record(
        actor=case_manager, trajectory=trajectory, last_day_of_employment="2026-12-31"
    )
    outcome.refresh_from_db()
    outcome.durability_asked_on = None
    outcome.save()
    services.outcomes_check_durability(on=dt.date(2027, 3, 5))
    outcome.refresh_from_db()
    assert outcome.durability == "not_durable"
    # The trajectory page says it in Dutch, not with the stored code (it showed "not_durable").
    from django.test import Client as HttpClient

    http = HttpClient()
    http.force_login(case_manager)
    page = http.get(f"/trajecten/{trajectory.pk}/").content.decode()
    assert "controle op 01-03-2027: niet duurzaam" in page
    assert "not_durable" not in page


# --- Deadline notifications (R-TRJ-3) ------------------------------------------------------


def test_deadline_notifications_before_and_overdue_idempotent(
    order: Callable[..., Trajectory], product3: Product, provider_user_a: User
) -> None:
    """R-TRJ-3: the responsible party is notified before and when a deadline passes,
    never twice for the same deadline and stage."""
    order(product3)  # intake due 2026-05-06
    assert services.deadlines_send_notifications(on=dt.date(2026, 5, 1), before_days=3) == 0
    assert services.deadlines_send_notifications(on=dt.date(2026, 5, 4), before_days=3) == 1
    assert services.deadlines_send_notifications(on=dt.date(2026, 5, 5), before_days=3) == 0
    assert services.deadlines_send_notifications(on=dt.date(2026, 5, 7), before_days=3) == 1
    assert services.deadlines_send_notifications(on=dt.date(2026, 5, 8), before_days=3) == 0
    stages = sorted(DeadlineNotification.objects.values_list("stage", flat=True))
    assert stages == ["before", "overdue"]
    assert (
        Notification.objects.filter(
            recipient=provider_user_a, dedupe_key__startswith="deadline:"
        ).count()
        == 2
    )


def test_management_command(
    order: Callable[..., Trajectory], product3: Product, provider_user_a: User
) -> None:
    """R-TRJ-3: `manage.py send_deadline_notifications` runs the same job."""
    from io import StringIO

    from django.core.management import call_command

    order(product3)
    out = StringIO()
    call_command("send_deadline_notifications", "--date", "2026-05-07", stdout=out)
    assert "1" in out.getvalue()
    call_command("send_deadline_notifications", "--date", "2026-05-07", stdout=out)
    assert DeadlineNotification.objects.count() == 1


# --- Visibility (R-SEC-1) ------------------------------------------------------------------


def test_provider_sees_clients_only_while_running_plus_period(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    provider_user_b: User,
    client_k: Client,
) -> None:
    """R-SEC-1: a provider sees a client only with a trajectory of its own, while it runs
    plus the reporting/invoicing period."""
    from opstap.core.access import scoped

    trajectory = walk(order(product3), "running")
    assert list(scoped(provider_user_a, Client.objects.all())) == [client_k]
    assert list(scoped(provider_user_b, Client.objects.all())) == []
    services.trajectory_transition(
        actor=provider_user_a,
        trajectory=trajectory,
        action="complete",
        payload={"end_date": "2026-06-01"},
        on=dt.date(2026, 6, 1),
    )
    # Ended long ago (more than the period): no longer visible.
    Trajectory.objects.filter(pk=trajectory.pk).update(actual_end_date=dt.date(2020, 1, 1))
    assert list(scoped(provider_user_a, Client.objects.all())) == []
    assert not selectors.trajectories_for(provider_user_a).exists()


def test_scope_per_role(
    order: Callable[..., Trajectory],
    product3: Product,
    make_user: Callable[..., User],
    provider_user_a: User,
    provider_user_b: User,
    contract_manager: User,
) -> None:
    """R-SEC-1: provider staff see their provider's trajectories only; contract managers and
    finance read organisation-wide; other case managers without the client do not."""
    trajectory = order(product3)
    other_cm = make_user(RoleCode.CASE_MANAGER)
    finance = make_user(RoleCode.FINANCE_CLERK)
    visible: dict[str, Any] = {
        "a": selectors.trajectories_for(provider_user_a).count(),
        "b": selectors.trajectories_for(provider_user_b).count(),
        "contract": selectors.trajectories_for(contract_manager).count(),
        "finance": selectors.trajectories_for(finance).count(),
        "other_cm": selectors.trajectories_for(other_cm).count(),
    }
    assert visible == {"a": 1, "b": 0, "contract": 1, "finance": 1, "other_cm": 0}
    assert trajectory.pk


def test_crash_leaves_nothing_half_written(
    order: Callable[..., Trajectory],
    product3: Product,
    provider_user_a: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R-SEC-6: a failure halfway (here: writing the client timeline) rolls back the whole
    order or transition — no trajectory, event, due date or state change is left behind."""
    trajectory = order(product3)

    def boom(**_kwargs: Any) -> None:
        raise RuntimeError("timeline down")

    monkeypatch.setattr(services_common, "client_event_record", boom)
    with pytest.raises(RuntimeError):
        services.trajectory_transition(
            actor=provider_user_a,
            trajectory=trajectory,
            action="plan_intake",
            payload={"intake_date": "2026-04-28"},
        )
    trajectory.refresh_from_db()
    assert trajectory.state == "ordered" and trajectory.intake_date is None
    assert TrajectoryEvent.objects.filter(trajectory=trajectory).count() == 1
    with pytest.raises(RuntimeError):
        order(product3)
    assert Trajectory.objects.count() == 1
    assert Deadline.objects.count() == 1


def test_approved_quote_fixes_the_price(
    order: Callable[..., Trajectory],
    contracted_a: Provider,
    make_product: Callable[..., Product],
    provider_user_a: User,
    case_manager: User,
) -> None:
    """R-TRJ-1, R-BILL-1: a variable-price product (code 4) gets its price from the approved
    quote; until then the trajectory carries the indicative price."""
    trajectory = order(make_product(contracted_a, 4, name="Maatwerktraject"))
    services.trajectory_document_submit(
        actor=provider_user_a,
        trajectory=trajectory,
        kind="quote",
        title="Offerte",
        text="Offerte met re-integratieplan",
        payload={"amount": "3150.00"},
    )
    trajectory.refresh_from_db()
    assert trajectory.price == Decimal("2500.00")
    services.trajectory_transition(
        actor=case_manager, trajectory=trajectory, action="approve_quote"
    )
    assert trajectory.price == Decimal("3150.00")
    assert Deadline.objects.filter(trajectory=trajectory, kind="intake").exists()


@pytest.mark.parametrize(
    ("days_after_end", "visible"),
    [(0, True), (90, True), (91, False)],
)
def test_provider_window_boundary(
    order: Callable[..., Trajectory],
    product3: Product,
    provider_user_a: User,
    days_after_end: int,
    visible: bool,
) -> None:
    """R-SEC-1: visible to the provider up to 90 days after the end (final report, invoice
    and payment period), not a day longer."""
    from django.utils import timezone

    trajectory = order(product3)
    today = timezone.localdate()
    end = today - dt.timedelta(days=days_after_end)
    Trajectory.objects.filter(pk=trajectory.pk).update(
        start_date=end - dt.timedelta(days=100), planned_end_date=end, actual_end_date=end
    )
    ids = set(
        selectors.client_ids_visible_to_provider(
            provider_id=trajectory.provider_id, on=today
        ).values_list("client_id", flat=True)
    )
    assert (trajectory.client_id in ids) is visible
    assert selectors.trajectories_for(provider_user_a).exists() is visible


@pytest.mark.parametrize(
    ("until", "allowed"),
    [
        ("intake_planned", False),  # not started yet: nothing to report on
        ("running", True),  # R-TRJ-4: the running trajectory is reported on
    ],
)
def test_progress_report_only_while_running(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    until: str,
    allowed: bool,
) -> None:
    """R-TRJ-4: progress reports are accepted in the reporting states only, with a Dutch
    refusal otherwise; the page offers the report form in the same states."""
    from opstap.trajectories.workflow import REPORTING_STATES

    trajectory = walk(order(product3), until)
    assert (trajectory.state in REPORTING_STATES) is allowed
    submit = {
        "actor": provider_user_a,
        "trajectory": trajectory,
        "kind": "progress_report",
        "title": "Voortgang",
        "text": "Gaat goed",
    }
    if allowed:
        services.trajectory_document_submit(**submit)
    else:
        with pytest.raises(TrajectoryError, match="alleen bij een lopend traject"):
            services.trajectory_document_submit(**submit)


# --- The stored next due date (issue 6: overdue lists at national scale) ----------------------


def _earliest_open(trajectory: Trajectory) -> dt.date | None:
    dates = sorted(
        d.due_on
        for d in Deadline.objects.filter(
            trajectory=trajectory, met_on__isnull=True, cancelled_on__isnull=True
        )
    )
    return dates[0] if dates else None


def test_next_due_on_follows_the_open_deadlines_through_the_workflow(
    order: Callable[..., Trajectory],
    product3: Product,
    provider_user_a: User,
    case_manager: User,
) -> None:
    """R-TRJ-3: after every step the stored `next_due_on` is the earliest open deadline, so
    the overdue filter (`next_due_on < today`) agrees with the deadlines themselves."""
    trajectory = order(product3)
    stored = Trajectory.objects.get(pk=trajectory.pk)
    assert stored.next_due_on is not None
    assert stored.next_due_on == _earliest_open(trajectory)
    steps: list[tuple[str, User, dict[str, Any], dt.date]] = [
        ("plan_intake", provider_user_a, {"intake_date": "2026-04-28"}, dt.date(2026, 4, 22)),
        ("hold_intake", provider_user_a, {"held_on": "2026-04-28"}, dt.date(2026, 4, 28)),
        ("submit_plan", provider_user_a, {}, dt.date(2026, 5, 1)),
        ("approve_plan", case_manager, {}, dt.date(2026, 5, 4)),
        ("start", provider_user_a, {"start_date": "2026-05-06"}, dt.date(2026, 5, 6)),
    ]
    seen: list[dt.date | None] = []
    for action, actor, payload, on in steps:
        trajectory = services.trajectory_transition(
            actor=actor, trajectory=trajectory, action=action, payload=payload, on=on
        )
        stored = Trajectory.objects.get(pk=trajectory.pk)
        assert stored.next_due_on == _earliest_open(trajectory), action
        seen.append(stored.next_due_on)
    # A progress report meets the first report deadline: the next one becomes the due date.
    before = Trajectory.objects.get(pk=trajectory.pk).next_due_on
    services.trajectory_document_submit(
        actor=provider_user_a,
        trajectory=trajectory,
        kind="progress_report",
        title="Voortgang 1",
        text="Goede voortgang",
        on=dt.date(2026, 8, 5),
    )
    after = Trajectory.objects.get(pk=trajectory.pk).next_due_on
    assert after == _earliest_open(trajectory)
    assert before is not None and after is not None and after > before
    # Ending cancels the running deadlines; only the final report remains.
    trajectory = services.trajectory_transition(
        actor=case_manager,
        trajectory=trajectory,
        action="terminate_early",
        reason="Verhuisd",
        on=dt.date(2026, 8, 10),
    )
    stored = Trajectory.objects.get(pk=trajectory.pk)
    assert stored.next_due_on == _earliest_open(trajectory)
    assert len(set(seen)) > 1  # the due date really moved along the way


def test_overdue_filter_and_flag_use_the_stored_due_date(
    order: Callable[..., Trajectory], product3: Product, case_manager: User
) -> None:
    """R-TRJ-3: a trajectory is overdue the day after its earliest open deadline, not on it."""
    trajectory = order(product3)
    due = Trajectory.objects.get(pk=trajectory.pk).next_due_on
    assert due is not None

    def listed(on: dt.date) -> list[Trajectory]:
        filters = selectors.TrajectoryFilters(overdue=True)
        return list(selectors.trajectory_list(user=case_manager, filters=filters, on=on))

    assert listed(due) == []
    assert [t.pk for t in listed(due + dt.timedelta(days=1))] == [trajectory.pk]
    page = selectors.mark_overdue(
        list(Trajectory.objects.filter(pk=trajectory.pk)), on=due + dt.timedelta(days=1)
    )
    assert page[0].is_overdue is True  # type: ignore[attr-defined]
    page = selectors.mark_overdue(list(Trajectory.objects.filter(pk=trajectory.pk)), on=due)
    assert page[0].is_overdue is False  # type: ignore[attr-defined]


def test_absence_in_year_55_is_refused(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-SEC-6, R-ABS-1 (issue 19 item 8): an absence dated in the year 55 was stored. An
    absence cannot lie before the trajectory's order date (a fact from the record)."""
    trajectory = walk(order(product3), "running")
    for when in (
        dt.datetime(55, 3, 1, 9, 0, tzinfo=dt.UTC),
        dt.datetime.combine(trajectory.order_date - dt.timedelta(days=1), dt.time(9), AMS),
    ):
        with pytest.raises(TrajectoryError) as info:
            services.absence_report(
                actor=provider_user_a, trajectory=trajectory, occurred_at=when, reason="Ziek"
            )
        assert info.value.field == "occurred_at" and "vóór de aanmelding" in info.value.message
