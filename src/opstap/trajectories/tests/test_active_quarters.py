"""R-PI-1 item 7: the quarters in which a provider had a candidate, looked up per quarter
(`selectors.provider_active_quarters`), against the definition written out in Python on
random order and end dates: ordered by the quarter's last day, not ended before its first."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import pytest

from opstap.providers.models import Product
from opstap.trajectories import selectors
from opstap.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db

QUARTERS = [
    (dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
    (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
]


def _expected(spans: list[tuple[dt.date, dt.date | None]]) -> set[int]:
    return {
        i
        for i, (first, last) in enumerate(QUARTERS)
        if any(order <= last and (end is None or end >= first) for order, end in spans)
    }


@pytest.mark.parametrize(
    ("spans", "active"),
    [
        ([], set()),
        # ended the day before Q2 began: active in Q0 and Q1 only
        ([(dt.date(2025, 11, 3), dt.date(2026, 3, 31))], {0, 1}),
        # ended on Q2's first day: that quarter counts
        ([(dt.date(2025, 11, 3), dt.date(2026, 4, 1))], {0, 1, 2}),
        # ordered on Q3's first day and still running
        ([(dt.date(2026, 7, 1), None)], {3}),
        # ordered after the last quarter: none
        ([(dt.date(2026, 10, 1), None)], set()),
    ],
)
def test_active_quarters_table(
    spans: list[tuple[dt.date, dt.date | None]],
    active: set[int],
    order: Callable[..., Trajectory],
    product3: Product,
) -> None:
    for ordered, ended in spans:
        trajectory = order(product3, on=ordered)
        Trajectory.objects.filter(pk=trajectory.pk).update(actual_end_date=ended)
    result = selectors.provider_active_quarters(
        organisation_id=product3.organisation_id,
        provider_ids=[product3.provider_id],
        quarters=QUARTERS,
    )
    assert result.get(product3.provider_id, set()) == active == _expected(spans)


@pytest.mark.parametrize("seed", range(4))
def test_active_quarters_match_the_definition(
    seed: int, order: Callable[..., Trajectory], product3: Product
) -> None:
    rng = random.Random(seed)
    spans: list[tuple[dt.date, dt.date | None]] = []
    for _ in range(rng.randint(1, 4)):
        ordered = dt.date(2025, 6, 1) + dt.timedelta(days=rng.randint(0, 500))
        ended = None if rng.random() < 0.3 else ordered + dt.timedelta(days=rng.randint(0, 200))
        trajectory = order(product3, on=ordered)
        Trajectory.objects.filter(pk=trajectory.pk).update(actual_end_date=ended)
        spans.append((ordered, ended))
    result = selectors.provider_active_quarters(
        organisation_id=product3.organisation_id,
        provider_ids=[product3.provider_id],
        quarters=QUARTERS,
    )
    assert result.get(product3.provider_id, set()) == _expected(spans)
