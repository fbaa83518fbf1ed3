"""The demo organisation's clients (spec section 2 reference figures)."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.nl import bsn

from opstap.clients import selectors
from opstap.clients.models import Client, ClientEvent, LadderStepChange


@pytest.fixture
def demo(db):
    from opstap.demo.generator import build

    return build(scale="demo", today=dt.date(2026, 11, 1), log=lambda _m: None)


def test_demo_clients_match_the_reference(demo) -> None:
    """R-LAD-2: 1,976 clients — 942 Zorg & Ondersteuning, 1,034 Unit Werk; municipalities in
    proportion 433/347/824; ≈13% exempted, ≈12% in the target-group register."""
    org = demo.organisation
    qs = Client.objects.filter(organisation=org)
    assert qs.count() == 1_976
    on = dt.date(2026, 11, 1)
    assert qs.filter(selectors.unit_q(organisation_id=org.pk, unit="care", on=on)).count() == 942
    assert qs.filter(selectors.unit_q(organisation_id=org.pk, unit="work", on=on)).count() == 1_034
    per_muni = {m.name: qs.filter(municipality=m).count() for m in demo.municipalities.values()}
    assert per_muni["Zevenaar"] > per_muni["Duiven"] > per_muni["Westervoort"]
    assert abs(per_muni["Zevenaar"] / 1_976 - 824 / 1_604) < 0.04
    assert 0.09 < qs.filter(exempt_from_labour_obligation=True).count() / 1_976 < 0.17
    assert 0.09 < qs.filter(ldr_registered=True).count() / 1_976 < 0.15
    assert all(bsn.is_valid(b) for b in qs.values_list("bsn", flat=True))
    own = qs.filter(case_manager=demo.users["klantmanager"]).count()
    assert 60 <= own <= 120
    assert qs.filter(user=demo.users["inwoner"]).count() == 1
    assert LadderStepChange.objects.filter(organisation=org).count() > 1_976
    assert ClientEvent.objects.filter(organisation=org, kind="handover").count() == 1
    # R-SEC-1: the demo income coach reads a handful of assigned clients, not all 1,976.
    coach_clients = selectors.clients_for(demo.users["inkomenscoach"])
    assert coach_clients.count() == 6
    assert set(coach_clients.values_list("case_manager", flat=True)) == {
        demo.users["klantmanager"].pk
    }
