"""Deadlines met on a day the provider states (R-TRJ-3): the intake's and the start's day are
the claimant's word, the day they were registered is our fact. A step typed in late with an
earlier date counts at most `OPSTAP_REGISTRATION_GRACE_WORKING_DAYS` working days back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from opstap.accounts.models import User
from opstap.providers.models import Product
from opstap.trajectories import deadlines as dl
from opstap.trajectories import services
from opstap.trajectories.forms import ActionForm
from opstap.trajectories.models import Deadline, Trajectory
from opstap.trajectories.workflow import Action

from .conftest import AMS

D = dt.date
#: Friday 15 May 2026, the day after Ascension, equated with a holiday by royal decree.
EQUATED = frozenset({D(2026, 5, 15)})


@pytest.mark.parametrize(
    ("stated", "registered", "grace", "expected"),
    [
        # Registered the same day: as stated.
        pytest.param(D(2026, 5, 8), D(2026, 5, 8), 2, D(2026, 5, 8), id="same-day"),
        # An intake on Friday typed in on Tuesday: two working days back is Friday.
        pytest.param(D(2026, 5, 8), D(2026, 5, 12), 2, D(2026, 5, 8), id="friday-on-tuesday"),
        # ... typed in on Wednesday: Friday is three working days back, it counts on Monday.
        pytest.param(D(2026, 5, 8), D(2026, 5, 13), 2, D(2026, 5, 11), id="three-back"),
        # Dated back two weeks, typed in on Tuesday 19 May: Monday 18, then Friday 15 (equated)
        # and Thursday 14 (Ascension) are no working days, so Wednesday 13 May.
        pytest.param(D(2026, 5, 4), D(2026, 5, 19), 2, D(2026, 5, 13), id="over-ascension"),
        # No grace: counts on the day it was registered.
        pytest.param(D(2026, 5, 8), D(2026, 5, 12), 0, D(2026, 5, 12), id="no-grace"),
        # A start confirmed ahead counts as stated.
        pytest.param(D(2027, 6, 1), D(2027, 5, 10), 2, D(2027, 6, 1), id="ahead"),
    ],
)
def test_a_stated_day_counts_back_only_within_the_grace(
    stated: dt.date, registered: dt.date, grace: int, expected: dt.date
) -> None:
    """R-TRJ-3: the day a deadline counts as met, from the stated and the registration day."""
    assert (
        dl.deadline_met_on(stated, registered, grace_working_days=grace, equated_days=EQUATED)
        == expected
    )


def test_a_negative_grace_is_refused() -> None:
    with pytest.raises(ValueError, match="negatief"):
        dl.deadline_met_on(D(2026, 5, 8), D(2026, 5, 12), grace_working_days=-1)


@given(
    stated=st.dates(min_value=D(2015, 1, 1), max_value=D(2099, 12, 31)),
    lag=st.integers(min_value=-40, max_value=120),
    grace=st.integers(min_value=0, max_value=10),
)
def test_met_on_lies_between_the_stated_and_the_registration_day(
    stated: dt.date, lag: int, grace: int
) -> None:
    """R-TRJ-3: never before the stated day, never later than the registration (or the stated
    day when that lies ahead), and never further back than `grace` working days."""
    registered = stated + dt.timedelta(days=lag)
    met = dl.deadline_met_on(stated, registered, grace_working_days=grace)
    assert met >= stated
    assert met <= max(stated, registered)
    if met < registered:
        working_days_back = sum(
            dl.is_working_day(met + dt.timedelta(days=i + 1))
            for i in range((registered - met).days)
        )
        assert working_days_back <= grace


def _met(trajectory: Trajectory, kind: dl.DeadlineKind) -> Deadline:
    return Deadline.objects.get(trajectory=trajectory, kind=kind.value)


def _hold_intake(
    trajectory: Trajectory, provider: User, held_on: str, registered: dt.date
) -> Trajectory:
    trajectory = services.trajectory_transition(
        actor=provider,
        trajectory=trajectory,
        action="plan_intake",
        payload={"intake_date": "2026-04-28"},
        on=D(2026, 4, 22),
    )
    return services.trajectory_transition(
        actor=provider,
        trajectory=trajectory,
        action="hold_intake",
        payload={"held_on": held_on},
        on=registered,
    )


@pytest.mark.django_db
def test_a_late_intake_typed_in_with_an_early_date_is_late(
    order: Callable[..., Trajectory], product3: Product, provider_user_a: User
) -> None:
    """R-TRJ-3: ordered Tuesday 21 April 2026, the intake is due Wednesday 6 May. The provider
    types it in on Wednesday 20 May as held on Monday 4 May. It counted as met on 4 May, on
    time; it now counts on Monday 18 May (two working days before the registration), late.
    The intake date stays what the provider stated."""
    trajectory = _hold_intake(order(product3), provider_user_a, "2026-05-04", D(2026, 5, 20))
    intake = _met(trajectory, dl.DeadlineKind.INTAKE)
    assert intake.due_on == D(2026, 5, 6)
    assert intake.met_on == D(2026, 5, 18)
    assert dl.is_overdue(intake.due_on, on=D(2026, 5, 20), done_on=intake.met_on)
    trajectory.refresh_from_db()
    assert trajectory.intake_held_on == D(2026, 5, 4)


@pytest.mark.django_db
def test_an_intake_typed_in_within_the_grace_counts_on_its_day(
    order: Callable[..., Trajectory], product3: Product, provider_user_a: User
) -> None:
    """R-TRJ-3: held on the due day (Wednesday 6 May), typed in on Friday 8 May: on time."""
    trajectory = _hold_intake(order(product3), provider_user_a, "2026-05-06", D(2026, 5, 8))
    assert _met(trajectory, dl.DeadlineKind.INTAKE).met_on == D(2026, 5, 6)


@pytest.mark.django_db
@override_settings(OPSTAP_REGISTRATION_GRACE_WORKING_DAYS=0)
def test_without_grace_the_registration_day_counts(
    order: Callable[..., Trajectory], product3: Product, provider_user_a: User
) -> None:
    """R-TRJ-3, configured strictly: the same registration on Friday 8 May counts that day."""
    trajectory = _hold_intake(order(product3), provider_user_a, "2026-05-06", D(2026, 5, 8))
    assert _met(trajectory, dl.DeadlineKind.INTAKE).met_on == D(2026, 5, 8)


@pytest.mark.django_db
def test_a_late_start_typed_in_with_an_early_date_is_late(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-TRJ-3: the plan approved on Monday 4 May 2026, the start is due Monday 11 May. Typed
    in on Wednesday 20 May as started on Thursday 7 May, it counts on Monday 18 May: late. The
    start date stays 7 May."""
    trajectory = walk(order(product3), "plan_approved")
    start = _met(trajectory, dl.DeadlineKind.START)
    assert (start.due_on, start.met_on) == (D(2026, 5, 11), None)
    trajectory = services.trajectory_transition(
        actor=provider_user_a,
        trajectory=trajectory,
        action="start",
        payload={"start_date": "2026-05-07"},
        on=D(2026, 5, 20),
    )
    assert _met(trajectory, dl.DeadlineKind.START).met_on == D(2026, 5, 18)
    trajectory.refresh_from_db()
    assert trajectory.start_date == D(2026, 5, 7)


@pytest.mark.parametrize(
    ("grace", "expected"),
    [
        (2, "hoogstens 2 werkdagen terug"),
        (1, "hoogstens 1 werkdag terug"),
        (0, "telt de dag waarop u dit vastlegt"),
    ],
)
def test_the_provider_is_told_how_far_back_a_day_counts(grace: int, expected: str) -> None:
    """R-TRJ-3: the intake and start forms say what the stated day is worth for the deadline."""
    with override_settings(OPSTAP_REGISTRATION_GRACE_WORKING_DAYS=grace):
        for action, field in ((Action.HOLD_INTAKE, "held_on"), (Action.START, "start_date")):
            form = ActionForm(action=action, reason_required=False)
            assert expected in str(form.fields[field].help_text)
    end = ActionForm(action=Action.COMPLETE, reason_required=False)
    assert end.fields["end_date"].help_text == ""


def _deadlines_table(user: User, trajectory: Trajectory) -> str:
    http = HttpClient()
    http.force_login(user)
    html = http.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    start = html.index('id="trajectory-deadlines"')
    return html[start : html.index("</table>", start)]


@pytest.mark.django_db
def test_the_page_says_why_a_back_dated_intake_is_late(
    order: Callable[..., Trajectory],
    product3: Product,
    provider_user_a: User,
    case_manager: User,
    time_machine: Any,
) -> None:
    """R-TRJ-3: the intake typed in on 20 May as held on 4 May counts on 18 May, 'te laat',
    though 4 May was before the due day. The deadlines table says next to it which day was
    stated and why it does not count, for the provider and the case manager; before, the page
    showed 'voldaan 18-05-2026 te laat' and the intake date 04-05-2026 without a word. The
    intake line names which date is which: it read '28-04-2026 (gehouden 04-05-2026)'."""
    trajectory = _hold_intake(order(product3), provider_user_a, "2026-05-04", D(2026, 5, 20))
    time_machine.move_to(dt.datetime(2026, 5, 20, 10, 0, tzinfo=AMS), tick=False)
    for user in (provider_user_a, case_manager):
        http = HttpClient()
        http.force_login(user)
        page = http.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
        assert '<dd id="intake-dates">gehouden 04-05-2026 (gepland 28-04-2026)</dd>' in page
        table = _deadlines_table(user, trajectory)
        assert "voldaan 18-05-2026" in table
        assert (
            "opgegeven 04-05-2026, maar later vastgelegd: "
            "een datum telt hoogstens 2 werkdagen terug"
        ) in table


@pytest.mark.django_db
def test_an_intake_counted_on_its_stated_day_needs_no_explanation(
    order: Callable[..., Trajectory],
    product3: Product,
    provider_user_a: User,
    time_machine: Any,
) -> None:
    """R-TRJ-3: typed in within the grace, the deadline is met on the stated day: no note."""
    trajectory = _hold_intake(order(product3), provider_user_a, "2026-05-06", D(2026, 5, 8))
    time_machine.move_to(dt.datetime(2026, 5, 8, 10, 0, tzinfo=AMS), tick=False)
    table = _deadlines_table(provider_user_a, trajectory)
    assert "voldaan 06-05-2026" in table
    assert "opgegeven" not in table
