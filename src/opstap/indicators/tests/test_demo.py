"""The demo organisation shows visible, varied performance indicators (R-PI-1). Builds the
whole demo organisation (about a minute)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.demo import generator
from opstap.indicators import selectors
from opstap.indicators.computation import Period, Status

pytestmark = pytest.mark.django_db


def test_demo_indicators_are_varied(demo_today: dt.date) -> None:
    """R-PI-1: computed from the demo's trajectory data, the indicators differ between
    providers, and both met and not-met targets appear."""
    generator.build(scale="demo", today=demo_today, log=lambda _msg: None)
    manager = User.objects.get(username="contractmanager")
    today = demo_today
    comparison = selectors.provider_comparison(
        manager, period=Period.last_twelve_months(today), today=today
    )
    rows = comparison.rows
    assert len(rows) >= 4
    statuses = {r.status for row in rows for r in row.results}
    assert {Status.MET, Status.NOT_MET} <= statuses
    for code in ("progress_reports", "vog", "quarterly_overviews", "plan_signed"):
        values = {row.result(code).value for row in rows if row.result(code).value is not None}
        assert len(values) >= 2, code
    web = WebClient()
    web.force_login(manager)
    assert web.get("/indicatoren/").status_code == 200
