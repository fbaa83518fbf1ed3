"""The demo organisation (R-NET-10): three providers above the threshold, one on track, one
behind, one with a returned plan; the coordinator finds the one behind from the start page
and downloads its PDF. Builds the whole demo organisation on DEMO_TODAY."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.demo import generator
from opstap.social_return import selectors

pytestmark = pytest.mark.django_db


def test_demo_social_return(demo_today: dt.date, settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    lines: list[str] = []
    generator.build(scale="demo", today=demo_today, log=lines.append)
    coordinator = User.objects.get(username="socialreturn")
    rows = selectors.overview(user=coordinator, year=demo_today.year, on=demo_today)
    obliged = [r for r in rows if r.row.applies]
    assert len(obliged) >= 3, [line for line in lines if "Social return" in line]
    states = sorted((r.row.behind, r.plan_state) for r in obliged)
    assert (False, "Goedgekeurd") in states
    assert (True, "Goedgekeurd") in states
    assert (True, "Teruggestuurd met opmerkingen") in states
    behind = next(r for r in obliged if r.row.behind and r.plan_state == "Goedgekeurd")
    web = WebClient()
    web.force_login(coordinator)
    home = web.get("/").content.decode()
    assert behind.provider_name in home and "Achter op schema" in home
    pdf = web.get(f"/social-return/aanbieders/{behind.provider_id}/jaarevaluatie.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
