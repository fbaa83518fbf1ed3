"""R-SEC-5: the due date of a request still being answered ends on a working day of the Atw
calendar (AVG art. 12(3), Atw art. 1). Stored before, a due date one month after receipt could
be a Saturday, Sunday or holiday: migration 0004 moves those of unanswered requests
(requested, compiling, failed) to the next working day; answered ones keep theirs (history).
New requests get the rolled date from the service, with the days equated by royal decree."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from opstap.access_requests import services
from opstap.access_requests.models import AccessRequest, Channel
from opstap.access_requests.workflow import State
from opstap.accounts.models import User
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.trajectories.models import EquatedDay

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
MIGRATION = "opstap.access_requests.migrations.0004_due_on_next_working_day"
D = dt.date


def _stored(org: Organisation, state: State, due_on: dt.date) -> AccessRequest:
    """A request as stored before the migration (the one-month date, not rolled)."""
    return AccessRequest.objects.create(
        organisation=org,
        requester_name=f"Verzoeker {state.value}",
        channel=Channel.STAFF,
        state=state.value,
        requested_at=dt.datetime(2026, 1, 1, 9, 0, tzinfo=AMS),
        due_on=due_on,
    )


def test_r_sec_5_the_migration_rolls_open_requests_and_keeps_answered_ones(
    org: Organisation,
) -> None:
    """R-SEC-5: unanswered requests get the next working day; answered ones keep their date."""
    EquatedDay.objects.get_or_create(
        day=D(2026, 1, 2),
        defaults={"description": "vrijdag na Nieuwjaarsdag", "decree": "Besluit gelijkstelling"},
    )
    saturday = D(2026, 2, 28)
    rows = {
        state: _stored(org, state, saturday)
        for state in (
            State.REQUESTED,
            State.COMPILING,
            State.FAILED,
            State.READY,
            State.DOWNLOADED,
            State.EXPIRED,
            State.NO_DATA,
        )
    }
    working_day = _stored(org, State.REQUESTED, D(2026, 3, 12))
    # New Year's Day 2026 (Thursday), then Friday 2 January equated by royal decree.
    new_year = _stored(org, State.FAILED, D(2026, 1, 1))
    good_friday = _stored(org, State.COMPILING, D(2026, 4, 3))

    importlib.import_module(MIGRATION).roll_open_due_dates(apps, None)

    due = dict(AccessRequest.objects.values_list("pk", "due_on"))
    assert {state: due[row.pk] for state, row in rows.items()} == {
        State.REQUESTED: D(2026, 3, 2),
        State.COMPILING: D(2026, 3, 2),
        State.FAILED: D(2026, 3, 2),
        State.READY: saturday,
        State.DOWNLOADED: saturday,
        State.EXPIRED: saturday,
        State.NO_DATA: saturday,
    }
    assert due[working_day.pk] == D(2026, 3, 12)
    assert due[new_year.pk] == D(2026, 1, 5)
    assert due[good_friday.pk] == D(2026, 4, 7)  # Good Friday, weekend, Easter Monday

    # Run again (or after new requests were rolled by the service): nothing moves.
    importlib.import_module(MIGRATION).roll_open_due_dates(apps, None)
    assert dict(AccessRequest.objects.values_list("pk", "due_on")) == due


def test_r_sec_5_a_new_request_skips_a_day_equated_by_royal_decree(
    org: Organisation, make_user: Callable[..., User]
) -> None:
    """R-SEC-5: received on 2 December 2025, one month is Friday 2 January 2026, equated with a
    holiday by royal decree (Atw art. 3(3)): the term ends on Monday 5 January."""
    EquatedDay.objects.get_or_create(
        day=D(2026, 1, 2),
        defaults={"description": "vrijdag na Nieuwjaarsdag", "decree": "Besluit gelijkstelling"},
    )
    request = services.access_request_create_without_dossier(
        actor=make_user(RoleCode.CASE_MANAGER, username="km"),
        requester_name="Piet de Boer",
        bsn="111222333",
        now=dt.datetime(2025, 12, 2, 10, 0, tzinfo=AMS),
    )
    request.refresh_from_db()
    assert request.due_on == D(2026, 1, 5)
