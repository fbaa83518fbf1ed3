"""A jobcoaching invoice and its hours logbook (R-BILL-7): every logbook day the rules do not
pay is named on the invoice of the quarter claimed, a day cannot hold more than 24 hours, a
period that starts on no quarter is answered with the trajectory's quarters, and the finance
clerk sees the logbook on the invoice page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.invoices import services
from opstap.invoices.payment_rules import (
    HoursEntry,
    InvoiceClaim,
    MilestoneKind,
    PaymentRuleError,
    ReasonCode,
    Status,
    check_claim,
    logbook_day_problem,
)
from opstap.invoices.services import InvoiceError
from opstap.providers.models import Provider
from opstap.trajectories.models import Trajectory

from .conftest import QUOTE_STEPS, RUNNING_STEPS, make_product
from .test_payment_rules import CTX, JOBCOACHING, Q1

R = ReasonCode
D = Decimal


def _claim(**overrides: object) -> InvoiceClaim:
    values: dict[str, object] = {
        "provider_ref": "1",
        "client_number": "K1",
        "client_surname": "Klant",
        "invoice_number": "JC-1",
        "invoice_date": date(2024, 4, 12),
        "milestone": MilestoneKind.JOBCOACHING_QUARTER,
        "amount_excl": D("280.00"),  # Q1: 2 + 1.5 hours x 80.00
        "vat": D("58.80"),
        "amount_incl": D("338.80"),
        "period_start": Q1.start,
        "period_end": Q1.end,
    }
    values.update(overrides)
    return InvoiceClaim(**values)  # type: ignore[arg-type]


def test_hours_before_the_trajectory_are_named_on_the_quarters_invoice() -> None:
    """R-BILL-7: hours outside the trajectory are not paid. The reason was kept under "no
    period", so the invoice of the quarter claimed never showed it: green, and the 4 hours of
    05-01-2024 (before the start on 10-01-2024) silently gone."""
    facts = replace(
        JOBCOACHING,
        jobcoaching_hours=(*JOBCOACHING.jobcoaching_hours, HoursEntry(date(2024, 1, 5), D("4"))),
    )
    verdict = check_claim(_claim(), facts, CTX)
    assert verdict.status is Status.ORANGE
    assert R.HOURS_OUTSIDE_TRAJECTORY in verdict.codes
    assert "05-01-2024" in " ".join(r.message for r in verdict.reasons)


def test_hours_outside_the_trajectory_are_named_when_the_quarter_is_refused() -> None:
    """R-BILL-7: a quarter that has not ended is refused; the hours before the trajectory
    started (05-01-2024) are named beside that refusal too, not only "not ended"."""
    facts = replace(JOBCOACHING, jobcoaching_hours=(HoursEntry(date(2024, 1, 5), D("3")),))
    verdict = check_claim(_claim(invoice_date=date(2024, 3, 1)), facts, CTX)
    assert verdict.status is Status.RED
    assert verdict.codes == (R.QUARTER_NOT_ENDED, R.HOURS_OUTSIDE_TRAJECTORY)


def test_hours_of_another_quarter_are_named_not_silently_dropped() -> None:
    """R-BILL-7: the Q1 invoice pays Q1's hours; the 3 hours of 15-04-2024 (Q2) were left out
    without a word. They are named, so the provider invoices them with Q2."""
    verdict = check_claim(_claim(invoice_date=date(2024, 7, 15)), JOBCOACHING, CTX)
    assert verdict.status is Status.ORANGE
    assert verdict.codes == (R.HOURS_OUTSIDE_PERIOD,)
    assert "15-04-2024" in verdict.reasons[0].message


def test_a_period_on_no_quarter_is_answered_with_the_trajectorys_quarters() -> None:
    """R-BILL-7: quarters run from the trajectory's start date (10-01-2024), not from a day
    the provider types; the refusal names them instead of "no milestone"."""
    verdict = check_claim(_claim(period_start=date(2024, 1, 1)), JOBCOACHING, CTX)
    assert verdict.status is Status.RED
    (reason,) = [r for r in verdict.reasons if r.code is R.NO_MATCHING_MILESTONE]
    assert "10-01-2024 t/m 09-04-2024" in reason.message
    assert "01-01-2024" in reason.message


@pytest.mark.parametrize("hours", [D("24.01"), D("30"), D("1e9")])
def test_a_logbook_day_holds_at_most_24_hours(hours: Decimal) -> None:
    """R-BILL-7 / R-SEC-6: `20-11-2026 30` was taken as 30 hours worked on one day."""
    with pytest.raises(PaymentRuleError, match="een dag heeft er 24"):
        HoursEntry(date(2024, 2, 1), hours)
    assert HoursEntry(date(2024, 2, 1), D("24")).hours == D("24")


# --- through the services and the pages ---------------------------------------------------


@pytest.fixture
def coaching(
    contracted_a: Provider,
    provider_user_a: User,
    client_k: Client,
    walk: Callable[..., Trajectory],
) -> Trajectory:
    """Jobcoaching (code 5) started on 06-05-2026; today is 14-08-2026 (conftest), so the
    first quarter (06-05-2026 t/m 05-08-2026) has ended."""
    product = make_product(contracted_a, 5)
    steps = {name for name, *_ in QUOTE_STEPS + RUNNING_STEPS}
    assert "start" in steps
    return walk(product, provider_user_a, client_k, until="running")


def _submit(actor: User, trajectory: Trajectory, logbook: list[dict[str, str]]) -> object:
    client = trajectory.client
    return services.invoice_submit(
        actor=actor,
        trajectory=trajectory,
        invoice_number="JC-1",
        invoice_date=date(2026, 8, 10),
        milestone="jobcoaching_quarter",
        amount_excl=D("750.00"),
        vat=D("157.50"),
        amount_incl=D("907.50"),
        client_number=client.client_number,
        client_surname=client.last_name,
        period_start=date(2026, 5, 6),
        period_end=date(2026, 8, 5),
        hourly_rate=D("75.00"),
        logbook=logbook,
    )


@pytest.mark.django_db
def test_a_logbook_day_of_30_hours_is_refused_with_the_day(
    coaching: Trajectory, provider_user_a: User
) -> None:
    """R-BILL-7: the refusal says which line and why, not only "ongeldig (datum en uren)"."""
    with pytest.raises(InvoiceError, match="Regel 2 van het urenlogboek: Op 20-05-2026 staan 30"):
        _submit(
            provider_user_a,
            coaching,
            [{"date": "2026-05-12", "hours": "4"}, {"date": "2026-05-20", "hours": "30"}],
        )


@pytest.mark.django_db
def test_a_day_split_over_lines_still_holds_at_most_24_hours(
    coaching: Trajectory, provider_user_a: User
) -> None:
    """R-BILL-7, R-SEC-6: two lines of 20 hours on 20-05-2026 passed (each line was checked on
    its own) and 40 hours of one day were paid. The day's total is refused, naming the day;
    two lines that add up to 24 hours are fine."""
    with pytest.raises(InvoiceError, match="Op 20-05-2026 staan in totaal 40 uur") as refused:
        _submit(
            provider_user_a,
            coaching,
            [{"date": "2026-05-20", "hours": "20"}, {"date": "2026-05-20", "hours": "20"}],
        )
    assert refused.value.field == "logbook"
    invoice = _submit(
        provider_user_a,
        coaching,
        [{"date": "2026-05-20", "hours": "4"}, {"date": "2026-05-20", "hours": "6"}],
    )
    assert invoice.pk is not None


def test_the_evaluation_refuses_a_day_of_more_than_24_hours_too() -> None:
    """R-BILL-7: the pure rule the invoice check and `_evaluate` share."""
    day = date(2024, 2, 1)
    entries = [HoursEntry(day, D("12")), HoursEntry(day, D("12.5")), HoursEntry(day, D("0"))]
    assert logbook_day_problem(entries) == (
        "Op 01-02-2024 staan in totaal 24,50 uur (over meerdere regels); een dag heeft er 24."
    )
    assert logbook_day_problem([entries[0], HoursEntry(day, D("12"))]) is None


@pytest.mark.django_db
def test_the_finance_clerk_sees_the_logbook_on_the_invoice_page(
    coaching: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """R-BILL-7: jobcoaching is invoiced with a logbook of hours; the clerk who approves it
    saw only the totals. The page shows each day, its hours, the total and the rate."""
    invoice = _submit(
        provider_user_a,
        coaching,
        [{"date": "2026-06-02", "hours": "6"}, {"date": "2026-05-12", "hours": "4"}],
    )
    web = WebClient()
    web.force_login(clerk)
    page = web.get(f"/facturen/{invoice.pk}/").content.decode()  # type: ignore[attr-defined]
    table = page[page.index('id="invoice-logbook"') :]
    table = table[: table.index("</table>")]
    assert table.index("12-05-2026") < table.index("02-06-2026")
    assert "4,00" in table and "6,00" in table
    assert "10,00 uur \u00d7 €\u00a075,00" in table
