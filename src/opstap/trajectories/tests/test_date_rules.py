"""A provider cannot stretch its own access window (R-SEC-1) and no entered date is absurd
or out of order (R-SEC-6): every date a provider enters is checked against the
trajectory's own dates and today (issue 19, item 3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opstap.accounts.models import User
from opstap.providers.models import Product
from opstap.trajectories import date_rules, selectors, services
from opstap.trajectories.models import Trajectory
from opstap.trajectories.services import TrajectoryError

START = dt.date(2026, 5, 6)  # the `walk` fixture's start; planned end 182 days later
PLANNED_END = START + dt.timedelta(days=182)


def _end(trajectory: Trajectory, actor: User, end_date: str, on: dt.date) -> Trajectory:
    return services.trajectory_transition(
        actor=actor,
        trajectory=trajectory,
        action="terminate_early",
        reason="Kandidaat verhuisd",
        payload={"end_date": end_date},
        on=on,
    )


@pytest.mark.parametrize(
    ("end_date", "field_message"),
    [
        ("2999-12-31", "toekomst"),  # the probe: client in the provider's scope for ever
        ("2026-05-01", "vóór de startdatum"),  # before the start
        ("2013-12-31", "vóór de startdatum"),  # the probe: a 500 before
        ("0001-01-01", "vóór de startdatum"),
    ],
)
def test_provider_cannot_end_with_an_absurd_date(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    end_date: str,
    field_message: str,
) -> None:
    """R-SEC-1 / R-SEC-6: an end date in the far future, before the start or before 2014 is
    refused with a Dutch message naming the field; nothing is stored."""
    trajectory = walk(order(product3), "running")
    with pytest.raises(TrajectoryError) as exc:
        _end(trajectory, provider_user_a, end_date, on=dt.date(2026, 8, 1))
    assert exc.value.field == "end_date"
    assert field_message in exc.value.message
    trajectory.refresh_from_db()
    assert trajectory.state == "running" and trajectory.actual_end_date is None


def test_end_date_after_the_planned_end_needs_an_extension(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-SEC-1: an end recorded long after the planned end is refused (grace 31 days)."""
    trajectory = walk(order(product3), "running")
    late = PLANNED_END + dt.timedelta(days=date_rules.END_GRACE_DAYS + 1)
    with pytest.raises(TrajectoryError) as exc:
        _end(trajectory, provider_user_a, late.isoformat(), on=late)
    assert "verlenging" in exc.value.message
    ok = PLANNED_END + dt.timedelta(days=date_rules.END_GRACE_DAYS)
    assert _end(trajectory, provider_user_a, ok.isoformat(), on=ok).actual_end_date == ok


@pytest.mark.parametrize(
    ("action", "payload", "field"),
    [
        ("plan_intake", {"intake_date": "2013-01-01"}, "intake_date"),
        ("plan_intake", {"intake_date": "2999-12-31"}, "intake_date"),
        ("plan_intake", {"intake_date": "0001-01-01"}, "intake_date"),
    ],
)
def test_intake_dates_are_checked(
    order: Callable[..., Trajectory],
    product3: Product,
    provider_user_a: User,
    action: str,
    payload: dict[str, str],
    field: str,
) -> None:
    """R-SEC-6: a planned intake before the order or years ahead is refused."""
    trajectory = order(product3)
    with pytest.raises(TrajectoryError) as exc:
        services.trajectory_transition(
            actor=provider_user_a,
            trajectory=trajectory,
            action=action,
            payload=payload,
            on=dt.date(2026, 4, 22),
        )
    assert exc.value.field == field


def test_start_and_planned_end_are_checked(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-SEC-1 / R-SEC-6: the provider confirms a start not before the intake and not far
    ahead, and cannot set a planned end beyond the product's duration (that would stretch
    the window; longer goes through an extension the case manager approves)."""
    trajectory = walk(order(product3), "plan_approved")
    on = dt.date(2026, 5, 6)
    for payload, field in [
        ({"start_date": "2026-04-01"}, "start_date"),  # before the intake (28 April)
        ({"start_date": "2999-01-01"}, "start_date"),
        ({"start_date": "2026-05-06", "planned_end_date": "2999-12-31"}, "planned_end_date"),
        ({"start_date": "2026-05-06", "planned_end_date": "2026-05-01"}, "planned_end_date"),
    ]:
        with pytest.raises(TrajectoryError) as exc:
            services.trajectory_transition(
                actor=provider_user_a,
                trajectory=trajectory,
                action="start",
                payload=payload,
                on=on,
            )
        assert exc.value.field == field, payload
    started = services.trajectory_transition(
        actor=provider_user_a,
        trajectory=trajectory,
        action="start",
        payload={"start_date": "2026-05-06", "planned_end_date": "2026-09-01"},
        on=on,
    )
    assert started.planned_end_date == dt.date(2026, 9, 1)


def test_held_intake_not_before_the_order(
    order: Callable[..., Trajectory], product3: Product, provider_user_a: User
) -> None:
    trajectory = order(product3)
    trajectory = services.trajectory_transition(
        actor=provider_user_a,
        trajectory=trajectory,
        action="plan_intake",
        payload={"intake_date": "2026-04-28"},
        on=dt.date(2026, 4, 22),
    )
    with pytest.raises(TrajectoryError) as exc:
        services.trajectory_transition(
            actor=provider_user_a,
            trajectory=trajectory,
            action="hold_intake",
            payload={"held_on": "2010-04-28"},
            on=dt.date(2026, 4, 28),
        )
    assert exc.value.field == "held_on"


def test_absence_appointment_and_outcome_dates_are_checked(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-SEC-6: absences in the year 55 or before the order, appointments years after the
    planned end, placements before the trajectory or a last working day in the future are
    refused with the field named."""
    import time_machine

    trajectory = walk(order(product3), "running")
    tz = dt.UTC
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=tz), tick=False):
        for occurred in (dt.datetime(55, 1, 1, tzinfo=tz), dt.datetime(2026, 4, 1, tzinfo=tz)):
            with pytest.raises(TrajectoryError) as exc:
                services.absence_report(
                    actor=provider_user_a,
                    trajectory=trajectory,
                    occurred_at=occurred,
                    reason="ziek",
                )
            assert exc.value.field == "occurred_at"
        for starts in (dt.datetime(2999, 1, 1, tzinfo=tz), dt.datetime(2001, 1, 1, tzinfo=tz)):
            with pytest.raises(TrajectoryError) as exc:
                services.appointment_create(
                    actor=provider_user_a, trajectory=trajectory, starts_at=starts
                )
            assert exc.value.field == "starts_at"
        services.appointment_create(
            actor=provider_user_a,
            trajectory=trajectory,
            starts_at=dt.datetime(2026, 6, 10, 9, tzinfo=tz),
        )
        for facts, field in [
            ({"employer": "X", "placement_start": "2020-01-01"}, "placement_start"),
            ({"employer": "X", "placement_start": "2999-01-01"}, "placement_start"),
            (
                {
                    "employer": "X",
                    "placement_start": "2026-05-20",
                    "last_day_of_employment": "2026-05-01",
                },
                "last_day_of_employment",
            ),
            (
                {
                    "employer": "X",
                    "placement_start": "2026-05-20",
                    "last_day_of_employment": "2999-01-01",
                },
                "last_day_of_employment",
            ),
        ]:
            with pytest.raises(TrajectoryError) as exc:
                services.outcome_record(actor=provider_user_a, trajectory=trajectory, **facts)
            assert exc.value.field == field, facts
        outcome = services.outcome_record(
            actor=provider_user_a,
            trajectory=trajectory,
            employer="Bakkerij",
            placement_start="2026-05-20",
        )
        assert outcome.placement_start == dt.date(2026, 5, 20)


def test_api_gives_problem_json_not_500_for_absurd_dates(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    api_as,
) -> None:
    """R-SEC-6: the API answers 400 problem+json naming the field (before: 500 or stored)."""
    import time_machine

    trajectory = walk(order(product3), "running")
    api = api_as(provider_user_a)
    with time_machine.travel(dt.datetime(2026, 8, 1, 10, tzinfo=dt.UTC), tick=False):
        for end in ("2999-12-31", "2013-01-01", "0001-01-01"):
            response = api.post(
                f"/api/v1/trajectories/{trajectory.pk}/transitions",
                {"action": "terminate_early", "reason": "weg", "payload": {"endDate": end}},
                format="json",
            )
            assert response.status_code == 400, (end, response.content)
            names = [p["name"] for p in response.json().get("invalidParams", [])]
            assert any("endDate" in n or "end_date" in n for n in names), response.json()


def test_window_is_clamped_to_the_planned_end(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-SEC-1: an end date stored before these checks (2999-12-31) does not keep the client
    in the provider's scope: the window runs to the planned end + grace + reporting period."""
    trajectory = walk(order(product3), "running")
    Trajectory.objects.filter(pk=trajectory.pk).update(
        state="terminated_early", actual_end_date=dt.date(2999, 12, 31)
    )
    last = PLANNED_END + dt.timedelta(
        days=date_rules.END_GRACE_DAYS + date_rules.REPORTING_PERIOD_DAYS
    )

    def visible(on: dt.date) -> bool:
        ids = selectors.client_ids_visible_to_provider(provider_id=trajectory.provider_id, on=on)
        return trajectory.client_id in set(ids.values_list("client_id", flat=True))

    assert visible(last)
    assert not visible(last + dt.timedelta(days=1))
    assert not visible(dt.date(2030, 1, 1))


# --- the pure rules -----------------------------------------------------------------------

ORDER = dt.date(2026, 4, 21)
offsets = st.integers(min_value=-800_000, max_value=800_000)


def _facts(**kw: dt.date | None) -> date_rules.Facts:
    base: dict[str, dt.date | None] = {
        "order_date": ORDER,
        "intake_held_on": dt.date(2026, 4, 28),
        "start_date": START,
        "planned_end_date": PLANNED_END,
        "actual_end_date": None,
    }
    base.update(kw)
    return date_rules.Facts(**base)  # type: ignore[arg-type]


def _day(offset: int) -> dt.date:
    return date_rules._days(ORDER, offset)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(end=offsets, today=st.integers(min_value=0, max_value=2000))
def test_accepted_end_never_outlives_the_planned_end(end: int, today: int) -> None:
    """Property (R-SEC-1): whatever end date is accepted, it lies between the start and
    min(today + tolerance, planned end + grace), so the access window is bounded."""
    facts = _facts()
    end_day, today_day = _day(end), _day(today)
    if date_rules.end_problem(end_day, facts, today_day) is None:
        assert end_day >= START
        assert end_day <= today_day + dt.timedelta(days=date_rules.END_TOLERANCE_DAYS)
        assert end_day <= PLANNED_END + dt.timedelta(days=date_rules.END_GRACE_DAYS)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(actual_end=offsets, planned=st.none() | st.integers(min_value=1, max_value=800))
def test_window_never_exceeds_the_cap(actual_end: int, planned: int | None) -> None:
    """Property (R-SEC-1): whatever end is stored, the window ends at most the grace plus the
    reporting period after the planned end (a year after the order if it never started)."""
    planned_end = None if planned is None else _day(planned)
    facts = _facts(planned_end_date=planned_end, actual_end_date=_day(actual_end))
    window = date_rules.access_window_end(facts)
    assert window is not None
    cap = (
        planned_end + dt.timedelta(days=date_rules.END_GRACE_DAYS)
        if planned_end
        else ORDER + dt.timedelta(days=date_rules.NEVER_STARTED_MAX_DAYS)
    )
    assert window <= cap + dt.timedelta(days=date_rules.REPORTING_PERIOD_DAYS)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(day=offsets)
def test_no_date_raises(day: int) -> None:
    """Property (R-SEC-6): no date, however absurd (year 1, 9999), makes a rule raise."""
    d, facts, today = _day(day), _facts(), dt.date(2026, 8, 1)
    date_rules.intake_date_problem(d, facts, today)
    date_rules.held_on_problem(d, facts, today)
    date_rules.start_problem(d, d, facts, today, 182)
    date_rules.extension_problem(d, facts)
    date_rules.end_problem(d, facts, today)
    date_rules.appointment_problem(d, facts, today)
    date_rules.absence_problem(d, facts, today)
    date_rules.placement_start_problem(d, facts, today)
    date_rules.last_day_problem(d, START, today)


def test_a_late_appointment_names_the_grace_it_adds_to_the_planned_end() -> None:
    """R-SEC-6: the provider was told "ligt na de geplande einddatum (28-06-2027)" while the
    trajectory page says the planned end is 28-05-2027; the date shown is the planned end plus
    the grace, and the message says so."""
    facts = date_rules.Facts(order_date=dt.date(2026, 11, 4), planned_end_date=dt.date(2027, 5, 28))
    problem = date_rules.appointment_problem(dt.date(2099, 1, 1), facts, dt.date(2026, 12, 6))
    assert problem is not None
    assert problem.message == (
        "De afspraakdatum ligt na de geplande einddatum plus 31 dagen uitloop (28-06-2027)."
    )
