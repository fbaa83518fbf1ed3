"""A property test over the whole chain order -> quote -> intake -> plan -> invoice -> credit
note (issue 12), on the real database and set up through the services only.

Hypothesis draws a legal sequence: a product code, a quote (for codes 2, 4, 5; sometimes wrong
and replaced by a revised quote that is approved again), an ending (completed, ended early, no
start after the intake, or still running), jobcoaching hours, and for every milestone an
invoice at exactly what it thinks is due, sometimes an over-claim, a second claim for the same
milestone and a credit note. Whatever happens, these hold (R-BILL-1, R-BILL-4, R-BILL-5,
R-BILL-7, R-BILL-8, R-BILL-10, R-TRJ-3):

* a fixed-price trajectory is never paid (approved, net of credit notes) more than its price;
* every approved jobcoaching quarter is paid hours x the agreed rate, the rate capped at the
  ceiling valid on each day worked, and never above it; in total never above the budget cap;
* no milestone (and period) is approved twice;
* every deadline of the trajectory and every payment due date falls on an Atw working day,
  also when the administrator has equated random weekdays with a holiday by royal decree
  (Atw art. 3(3), reference data): the check reads the same decree days.

All dates are explicit (the clock is frozen by the conftest); examples are few and there is no
Hypothesis deadline, so the test runs in well under a minute on a quiet machine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opstap.accounts.models import User
from opstap.clients.tests.factories import make_client
from opstap.core.roles import RoleCode
from opstap.invoices import services
from opstap.invoices.models import Invoice
from opstap.invoices.payment_rules import add_months, ceiling_on
from opstap.organisations.models import Organisation
from opstap.providers.models import Product, Provider
from opstap.trajectories import services as trajectory_services
from opstap.trajectories.deadlines import atw_holidays, is_working_day
from opstap.trajectories.models import Deadline, EquatedDay, Trajectory

from .conftest import make_product

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")
ORDER = dt.date(2026, 4, 21)
START = dt.date(2026, 5, 6)
APPROVED_STATUSES = ("approved", "in_batch", "paid")
_numbers = itertools.count(1)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def vat_of(excl: Decimal) -> Decimal:
    return cents(excl * Decimal("0.21"))


money = st.decimals(min_value=Decimal("300"), max_value=Decimal("6000"), places=2)
rates = st.sampled_from([Decimal("60.00"), Decimal("72.50"), Decimal("80.00"), Decimal("95.00")])
hour_counts = st.integers(min_value=4, max_value=60).map(Decimal)


@st.composite
def scenarios(draw: Any) -> dict[str, Any]:
    code = draw(st.sampled_from([1, 2, 3, 4, 5]))
    quote: dict[str, Decimal] = {}
    revised: dict[str, Decimal] | None = None
    if code == 5:
        quote = {"hourly_rate": draw(rates), "hours": draw(hour_counts)}
        if draw(st.booleans()):
            revised = {"hourly_rate": draw(rates), "hours": draw(hour_counts)}
    elif code in (2, 4):
        quote = {"amount": draw(money)}
        if draw(st.booleans()):
            revised = {"amount": draw(money)}
    ending = draw(st.sampled_from(["complete", "terminate_early", "no_start", "running"]))
    # Weekdays that a royal decree equates with a holiday (Atw art. 3(3)): some fall on a day
    # a deadline or a payment term would otherwise end on.
    decree_days = draw(
        st.lists(
            st.integers(min_value=0, max_value=420)
            .map(lambda n: ORDER + dt.timedelta(days=n))
            .filter(lambda d: d.weekday() < 5 and d not in atw_holidays(d.year)),
            max_size=12,
            unique=True,
        )
    )
    return {
        "decree_days": decree_days,
        "code": code,
        "quote": quote,
        "revised": revised,
        "ending": ending,
        "end": START + dt.timedelta(days=draw(st.integers(min_value=30, max_value=300))),
        "logbook": draw(
            st.lists(
                st.tuples(st.integers(min_value=0, max_value=300), st.integers(1, 9)),
                max_size=10,
            )
        ),
        "over_claim": draw(st.booleans()),
        "claim_again": draw(st.booleans()),
        "credit": draw(st.booleans()),
    }


def _quote_payload(code: int, figures: dict[str, Decimal]) -> dict[str, str]:
    if code == 5:
        amount = cents(figures["hourly_rate"] * figures["hours"])
        return {
            "amount": str(amount),
            "hourly_rate": str(figures["hourly_rate"]),
            "hours": str(figures["hours"]),
        }
    return {"amount": str(figures["amount"])}


class Chain:
    """Walks one trajectory through the services and invoices what it believes is due."""

    def __init__(self, env: dict[str, Any], scenario: dict[str, Any]) -> None:
        self.env = env
        self.s = scenario
        self.staff: User = env["staff"]
        self.cm: User = env["cm"]
        self.clerk: User = env["clerk"]
        self.trajectory: Trajectory | None = None
        #: milestones claimed at exactly what an independent model says is due: each must end
        #: up approved (so the invariants are never true only because nothing was paid)
        self.due: list[tuple[str, dt.date | None]] = []
        self.hours_paid = Decimal(0)
        self.money_paid = Decimal(0)

    def step(self, who: User, action: str, on: dt.date, **kw: Any) -> None:
        assert self.trajectory is not None
        self.trajectory = trajectory_services.trajectory_transition(
            actor=who, trajectory=self.trajectory, action=action, on=on, **kw
        )

    def walk(self) -> Trajectory:
        s, code = self.s, self.s["code"]
        known = set(EquatedDay.objects.values_list("day", flat=True))
        for day in s["decree_days"]:
            if day not in known:
                trajectory_services.equated_day_save(
                    actor=self.env["admin"],
                    day=day,
                    description="Gelijkgestelde dag (test)",
                    decree="KB test",
                )
        client = make_client(self.env["org"], case_manager=self.cm)
        self.trajectory = trajectory_services.trajectory_order(
            actor=self.cm,
            client=client,
            product=self.env["products"][code],
            rotonde_exit="regular",
            aim_tiles=["EW04"],
            on=ORDER,
        )
        if code in (2, 4, 5):
            self.step(self.staff, "submit_quote", ORDER, reason="Offerte",
                      payload=_quote_payload(code, s["quote"]))  # fmt: skip
            self.step(self.cm, "approve_quote", ORDER + dt.timedelta(days=1))
        self.step(self.staff, "plan_intake", dt.date(2026, 4, 22),
                  payload={"intake_date": "2026-04-28"})  # fmt: skip
        self.step(self.staff, "hold_intake", dt.date(2026, 4, 28),
                  payload={"held_on": "2026-04-28"})  # fmt: skip
        if s["revised"] is not None:
            trajectory_services.quote_revise(
                actor=self.staff, trajectory=self.trajectory, text="Herziening",
                on=dt.date(2026, 4, 29), **_quote_payload(code, s["revised"]),
            )  # fmt: skip
            trajectory_services.quote_revision_approve(
                actor=self.cm, trajectory=self.trajectory, on=dt.date(2026, 4, 30)
            )
        if s["ending"] == "no_start":
            self.step(self.staff, "not_started_after_intake", dt.date(2026, 4, 30),
                      reason="Niet belastbaar", payload={"end_date": "2026-04-30"})  # fmt: skip
            # The case manager records it: the provider's window (R-SEC-1) closed by "today".
            self.step(self.cm, "receive_final_report", dt.date(2026, 5, 1))
            return self.trajectory
        self.step(self.staff, "submit_plan", dt.date(2026, 5, 1))
        self.step(self.cm, "approve_plan", dt.date(2026, 5, 4))
        self.step(self.staff, "start", START, payload={"start_date": str(START)})
        end = min(s["end"], self.trajectory.planned_end_date or s["end"])
        if s["ending"] == "complete":
            self.step(self.cm, "complete", end, payload={"end_date": str(end)})
        elif s["ending"] == "terminate_early":
            self.step(self.cm, "terminate_early", end, reason="Verhuisd",
                      payload={"end_date": str(end), "termination_reason": "move"})  # fmt: skip
        if s["ending"] != "running":
            self.step(self.cm, "receive_final_report", end + dt.timedelta(days=2))
            self.step(self.cm, "hand_over", end + dt.timedelta(days=3))
        return self.trajectory

    # -- invoicing ---------------------------------------------------------------------------

    def submit(self, milestone: str, excl: Decimal, on: dt.date, **kw: Any) -> Invoice:
        assert self.trajectory is not None
        client = self.trajectory.client
        return services.invoice_submit(
            actor=self.clerk,  # a paper invoice registered by the administration
            trajectory=self.trajectory,
            invoice_number=f"P-{next(_numbers)}",
            invoice_date=on,
            milestone=milestone,
            amount_excl=excl,
            vat=vat_of(excl),
            amount_incl=excl + vat_of(excl),
            client_number=client.client_number,
            client_surname=client.last_name,
            received_at=dt.datetime.combine(on, dt.time(9), tzinfo=dt.UTC),
            **kw,
        )

    def try_approve(self, invoice: Invoice) -> None:
        if invoice.needs_substance:
            try:
                services.invoice_confirm_substance(
                    actor=self.cm, invoice=invoice, termination_reason="move",
                    reported_on_time=True,
                )  # fmt: skip
            except services.InvoiceError:
                return
        with contextlib.suppress(services.InvoiceError):  # refused by the rules: fine
            services.invoice_approve(actor=self.clerk, invoice=invoice, note="Property test")

    def claim(self, milestone: str, excl: Decimal, on: dt.date, **kw: Any) -> None:
        """Claim what we think is due; sometimes € 10 more first, sometimes twice."""
        if excl > 0:
            period = kw.get("period_start") if milestone == "jobcoaching_quarter" else None
            self.due.append((milestone, period))
        if self.s["over_claim"]:
            too_much = self.submit(milestone, excl + Decimal("10.00"), on, **kw)
            self.try_approve(too_much)
            too_much.refresh_from_db()
            if too_much.status not in APPROVED_STATUSES:
                # Red: the administration rejects it, so the provider can send a correct one
                # (a live invoice for the same milestone would hold the next as a duplicate).
                services.invoice_reject(actor=self.clerk, invoice=too_much, reason="Te hoog")
        self.try_approve(self.submit(milestone, excl, on, **kw))
        if self.s["claim_again"]:
            self.try_approve(self.submit(milestone, excl, on + dt.timedelta(days=1), **kw))

    def invoice_everything(self) -> None:
        t = self.trajectory
        assert t is not None
        t.refresh_from_db()
        report = t.final_report_on
        if self.s["ending"] == "no_start":
            assert report is not None
            # R-BILL-4: 5 hours at the hourly rate, or at the ceiling without one.
            ceiling = ceiling_on(
                services.rules_context(self.env["org"].pk).ceiling_rates, dt.date(2026, 4, 28)
            )
            rate = min(t.hourly_rate, ceiling) if t.hourly_rate is not None else ceiling
            intake = dt.date(2026, 4, 28)
            self.claim("intake_fee", cents(5 * rate), report + dt.timedelta(1),
                       period_start=intake, period_end=intake,
                       logbook=[{"date": str(intake), "hours": "5"}])  # fmt: skip
        elif t.product_code == 5:
            self.invoice_quarters(t)
        else:
            price = t.price or Decimal(0)
            period = {"period_start": t.start_date, "period_end": t.planned_end_date}
            if t.product_code in (3, 4):
                self.claim("plan_approved", cents(price / 2), dt.date(2026, 5, 8), **period)
            if self.s["ending"] == "terminate_early" and report is not None:
                # R-BILL-5, computed here independently: price x elapsed / nominal days,
                # minus the 50% already paid after plan approval (codes 3/4).
                assert t.start_date and t.planned_end_date and t.actual_end_date
                elapsed = (t.actual_end_date - t.start_date).days
                nominal = (t.planned_end_date - t.start_date).days
                pro_rata = min(price, cents(price * elapsed / nominal))
                paid = cents(price / 2) if t.product_code in (3, 4) else Decimal(0)
                self.claim("early_termination", max(pro_rata - paid, Decimal(0)),
                           report + dt.timedelta(1), **period)  # fmt: skip
            elif report is not None:
                self.claim("final_report", price - cents(price / 2) if t.product_code in (3, 4)
                           else price, report + dt.timedelta(1), **period)  # fmt: skip
        if self.s["credit"]:
            first = t.invoices.filter(status__in=APPROVED_STATUSES).order_by("id").first()
            if first is not None and first.amount_excl >= Decimal("50.00"):
                # Dated 5 days after the invoice and registered that day: the walk runs past
                # the conftest's "today", and a credit note is never dated after the day it
                # is registered (R-BILL-8, `credit_date_refusal`).
                credit_date = first.invoice_date + dt.timedelta(days=5)
                registered = dt.datetime.combine(credit_date, dt.time(12), tzinfo=dt.UTC)
                with time_machine.travel(registered, tick=False):
                    services.credit_note_create(
                        actor=self.clerk, invoice=first, number=f"C-{next(_numbers)}",
                        credit_date=credit_date, reason="Correctie",
                        amount_excl=Decimal("50.00"), vat=Decimal("10.50"),
                        amount_incl=Decimal("60.50"),
                    )  # fmt: skip
                # Never paid twice: the credited milestone cannot be claimed anew.
                self.try_approve(
                    self.submit(first.milestone, first.amount_excl, first.invoice_date,
                                period_start=first.period_start,
                                period_end=first.period_end, logbook=first.logbook)
                )  # fmt: skip

    def invoice_quarters(self, t: Trajectory) -> None:
        assert t.start_date is not None
        last = t.actual_end_date or dt.date(2027, 3, 1)
        entries = sorted(
            (t.start_date + dt.timedelta(days=offset), hours)
            for offset, hours in self.s["logbook"]
            if t.start_date + dt.timedelta(days=offset) <= last
        )
        index = 0
        while (q_start := add_months(t.start_date, 3 * index)) <= last:
            nominal_end = add_months(t.start_date, 3 * (index + 1)) - dt.timedelta(days=1)
            if t.actual_end_date is None and nominal_end > last:
                break  # a running quarter is not invoiceable yet
            q_end = min(nominal_end, last)
            index += 1
            logbook = [
                {"date": str(day), "hours": str(hours)}
                for day, hours in entries
                if q_start <= day <= q_end
            ]
            if not logbook:
                continue
            excl = self.quarter_due(t, logbook)
            self.claim("jobcoaching_quarter", excl, q_end + dt.timedelta(days=3),
                       period_start=q_start, period_end=q_end, logbook=logbook)  # fmt: skip

    def quarter_due(self, t: Trajectory, logbook: list[dict[str, str]]) -> Decimal:
        """R-BILL-7, independently: each hour at min(agreed rate, ceiling of that day), no
        hours beyond the agreed hours, no money beyond the budget cap (earlier quarters
        count); rounded per (rate, VAT) line like an invoice, here one VAT rate."""
        ceilings = services.rules_context(self.env["org"].pk).ceiling_rates
        assert t.hourly_rate is not None
        per_rate: dict[Decimal, Decimal] = {}
        for entry in logbook:
            day, hours = dt.date.fromisoformat(entry["date"]), Decimal(entry["hours"])
            if t.agreed_hours is not None:
                hours = min(hours, max(t.agreed_hours - self.hours_paid, Decimal(0)))
            self.hours_paid += hours
            rate = min(t.hourly_rate, ceiling_on(ceilings, day))
            amount = hours * rate
            if t.budget_cap is not None:
                amount = min(amount, max(t.budget_cap - self.money_paid, Decimal(0)))
            self.money_paid += amount
            per_rate[rate] = per_rate.get(rate, Decimal(0)) + amount
        return sum((cents(a) for a in per_rate.values()), Decimal(0))


def check_invariants(env: dict[str, Any], trajectory: Trajectory, chain: Chain) -> None:
    trajectory.refresh_from_db()
    approved = list(trajectory.invoices.filter(status__in=APPROVED_STATUSES))
    # What an independent model said is due was approved (and so compared below).
    paid_keys = {
        (i.milestone, i.period_start if i.milestone == "jobcoaching_quarter" else None)
        for i in approved
    }
    missing = [key for key in chain.due if key not in paid_keys]
    reasons = [(i.invoice_number, i.status, i.reasons) for i in trajectory.invoices.all()]
    assert not missing, (missing, reasons)
    credited = {
        i.pk: sum((c.amount_excl for c in i.credit_notes.all()), Decimal(0)) for i in approved
    }
    # No milestone (and period) approved twice (R-BILL-10).
    keys = Counter(
        (i.milestone, i.period_start if i.milestone == "jobcoaching_quarter" else None)
        for i in approved
    )
    assert all(n == 1 for n in keys.values()), keys
    if trajectory.price_basis == "fixed":
        # Never more than the price (R-BILL-1, R-BILL-5, R-BILL-8).
        paid = sum(
            (
                i.amount_excl - credited[i.pk]
                for i in approved
                if i.milestone in ("plan_approved", "final_report", "early_termination")
            ),
            Decimal(0),
        )
        assert trajectory.price is not None
        assert paid <= trajectory.price, (paid, trajectory.price)
    else:
        ceilings = services.rules_context(env["org"].pk).ceiling_rates
        rate = trajectory.hourly_rate
        assert rate is not None
        total = Decimal(0)
        hours_paid = Decimal(0)
        for invoice in sorted(approved, key=lambda i: i.period_start or dt.date.min):
            if invoice.milestone != "jobcoaching_quarter":
                continue
            entries = [
                (dt.date.fromisoformat(e["date"]), Decimal(e["hours"])) for e in invoice.logbook
            ]
            at_ceiling = sum((h * ceiling_on(ceilings, day) for day, h in entries), Decimal(0))
            agreed = sum((h * min(rate, ceiling_on(ceilings, day)) for day, h in entries),
                         Decimal(0))  # fmt: skip
            hours = sum((h for _day, h in entries), Decimal(0))
            within = (
                trajectory.agreed_hours is None or hours_paid + hours <= trajectory.agreed_hours
            ) and (trajectory.budget_cap is None or total + agreed <= trajectory.budget_cap)
            # R-BILL-7: hours x agreed rate (capped per day), never above the ceiling.
            assert invoice.amount_excl <= cents(at_ceiling)
            assert invoice.amount_excl <= cents(agreed)
            if within:
                assert invoice.amount_excl == cents(agreed), (invoice.amount_excl, agreed)
            total += invoice.amount_excl - credited[invoice.pk]
            hours_paid += hours
        if trajectory.budget_cap is not None:
            assert total <= trajectory.budget_cap
    # Every deadline and payment due date is an Atw working day (R-TRJ-3), decree days
    # included. A deadline stored before a later example added a decree day keeps its date
    # (it was right by the calendar known then), so each is judged by the days known when
    # this trajectory was walked: all decree days on record now, as the walk added them first.
    decreed = frozenset(EquatedDay.objects.values_list("day", flat=True))
    for due in Deadline.objects.filter(trajectory=trajectory).values_list("due_on", flat=True):
        assert is_working_day(due, equated_days=decreed), due
    for due in trajectory.invoices.values_list("due_on", flat=True):
        assert is_working_day(due, equated_days=decreed), due


@pytest.fixture
def env(
    org: Organisation,
    contracted_a: Provider,
    provider_user_a: User,
    case_manager: User,
    clerk: User,
    make_user: Any,
) -> dict[str, Any]:
    products: dict[int, Product] = {
        code: make_product(contracted_a, code, name=f"Product {code}",
                           **({"price": Decimal("72.50")} if code == 5 else {}))
        for code in (1, 2, 3, 4, 5)
    }  # fmt: skip
    return {
        "org": org,
        "products": products,
        "staff": provider_user_a,
        "cm": case_manager,
        "clerk": clerk,
        "admin": make_user(RoleCode.APP_ADMIN, username="beheerder"),
    }


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(scenario=scenarios())
def test_the_chain_keeps_its_invariants(env: dict[str, Any], scenario: dict[str, Any]) -> None:
    """R-BILL-1, R-BILL-5, R-BILL-7, R-BILL-8, R-BILL-10, R-TRJ-3: random legal sequences of
    transitions, quotes (incl. revised), invoices and credit notes never pay a fixed price
    twice or above the price, pay jobcoaching at hours x agreed rate within the ceiling of
    each day, approve no milestone twice, and put every deadline on an Atw working day."""
    chain = Chain(env, scenario)
    trajectory = chain.walk()
    chain.invoice_everything()
    check_invariants(env, trajectory, chain)
