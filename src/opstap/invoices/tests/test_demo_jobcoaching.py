"""R-BILL-7: the demo always shows a jobcoaching quarter invoiced above the hourly-rate
ceiling (WL-2026-301) and one invoiced correctly (WL-2026-302), whatever day it is built on.

Finding: the showcase provider's framework contract started on the first of the month three
months before the demo's today, so its jobcoaching trajectory (ordered the day after the
contract start) had finished its first quarter only from about the 17th of the month on;
built earlier in a month the demo skipped the jobcoaching invoices (34 or 35 invoices
depending on the day). The contract now starts far enough back that a full quarter has always
ended, still in its first contract year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

from opstap.demo import generator
from opstap.invoices.models import Invoice
from opstap.invoices.payment_rules import MilestoneKind
from opstap.providers.models import Contract, ProductPrice

pytestmark = pytest.mark.django_db

#: Only what the invoice showcase stands on (provider network, clients) and the invoices:
#: the other apps' demo data is not needed to date the jobcoaching trajectory.
STEPS = ["opstap.providers", "opstap.clients", "opstap.invoices"]
#: Clients enough for the showcase (six of the case manager 'klantmanager'), not the
#: demo's two thousand: a day builds in seconds.
CLIENTS = 150


@pytest.fixture
def build_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[dt.date], list[str]]]:
    monkeypatch.setattr(generator, "DEMO_STEPS", STEPS)
    monkeypatch.setitem(generator.SCALES, "demo", CLIENTS)

    logged: list[str] = []

    def build(today: dt.date) -> list[str]:
        moment = dt.datetime.combine(today, dt.time(10), tzinfo=ZoneInfo("Europe/Amsterdam"))
        with time_machine.travel(moment, tick=False):
            generator.build(scale="demo", today=today, log=logged.append)
        return logged

    yield build


@pytest.mark.parametrize(
    "today",
    [
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 1),
        dt.date(2026, 6, 30),
        dt.date(2026, 11, 15),
        dt.date(2027, 1, 1),
        dt.date(2027, 3, 31),
        dt.date(2027, 4, 1),
        dt.date(2027, 6, 30),
        dt.date(2027, 11, 15),
    ],
)
def test_r_bill_7_the_demo_has_jobcoaching_invoices_on_any_day(
    today: dt.date, build_on: Callable[[dt.date], list[str]]
) -> None:
    logged = build_on(today)
    coaching = Invoice.objects.filter(milestone=MilestoneKind.JOBCOACHING_QUARTER)
    assert set(coaching.values_list("invoice_number", flat=True)) >= {
        "WL-2026-301",
        "WL-2026-302",
    }, [line for line in logged if line.startswith("Facturen")]
    verdicts = dict(coaching.values_list("invoice_number", "verdict"))
    assert (verdicts["WL-2026-301"], verdicts["WL-2026-302"]) == ("red", "green")
    for invoice in coaching.select_related("trajectory"):
        trajectory = invoice.trajectory
        # Invoiced after the quarter, ordered under the provider's contract and at a
        # jobcoaching price valid on the order date.
        assert invoice.period_end is not None
        assert invoice.period_end < invoice.invoice_date <= today
        assert trajectory.product_code == 5 and trajectory.start_date <= invoice.period_start
        contract = Contract.objects.get(provider_id=trajectory.provider_id)
        assert contract.start_date <= trajectory.order_date <= contract.end_date
        assert ProductPrice.objects.filter(
            product_id=trajectory.product_id, valid_from__lte=trajectory.order_date
        ).exists()
    # The showcase provider stays in its first contract year (prices fixed, R-NET-3).
    provider_a = Contract.objects.get(provider__name="Werkkracht Liemers B.V.")
    assert provider_a.terms_granted == 1 and provider_a.end_date > today
