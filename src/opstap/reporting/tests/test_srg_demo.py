"""R-INT-2 on the demo organisation (built as on DEMO_TODAY): the demo holds a sent SRG
month for Duiven, and its counts equal a count made by hand — a plain loop over every
trajectory and placement of the organisation, not the delivery's query or counter."""

from __future__ import annotations

import datetime as dt

import pytest

from opstap.demo import generator
from opstap.reporting.models import DeliveryStatus, SrgDelivery
from opstap.trajectories.models import Outcome, Trajectory

pytestmark = pytest.mark.django_db


def test_demo_delivered_month_matches_a_hand_count(demo_today: dt.date) -> None:
    generator.build(scale="demo", today=demo_today, log=lambda _msg: None)
    delivery = SrgDelivery.objects.select_related("municipality").get()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.municipality.name == "Duiven" and delivery.month == dt.date(2026, 10, 1)
    first, last = dt.date(2026, 10, 1), dt.date(2026, 10, 31)

    tally = {
        "started": 0,
        "running": 0,
        "ended": 0,
        "lks_started": 0,
        "lks_running": 0,
        "lks_ended": 0,
    }

    def count(start: dt.date | None, end: dt.date | None, prefix: str = "") -> None:
        if start is None or start > last or (end is not None and end < first):
            return
        if first <= start <= last:
            tally[prefix + "started"] += 1
        if end is not None and first <= end <= last:
            tally[prefix + "ended"] += 1
        if end is None or end > last:
            tally[prefix + "running"] += 1

    for t in Trajectory.objects.select_related("client__municipality"):
        if t.client.municipality.name == "Duiven":
            count(t.start_date, t.actual_end_date)
    for o in Outcome.objects.select_related("trajectory__client__municipality"):
        if o.trajectory.client.municipality.name == "Duiven":
            count(o.placement_start, o.last_day_of_employment)
            if o.lks:
                count(o.placement_start, o.last_day_of_employment, "lks_")

    assert delivery.counts["left_out"] == 0, delivery.issues_sample[:5]
    assert {k: delivery.counts[k] for k in tally} == tally
    assert tally["started"] > 0 and tally["running"] > 0 and tally["ended"] > 0
    records = delivery.file.open("rb").read().decode("ascii").split("\r\n")[1:-2]
    assert len(records) == delivery.counts["records"]
