"""Pure rules of the provider network: contract terms (R-NET-3), money (R-NET-6, R-NET-7),
evidence expiry, inactivity and the signal threshold (R-NET-2, R-NET-8, R-NET-9)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.providers.rules import contracts as c
from opstap.providers.rules import money as m
from opstap.providers.rules import network as n

D = dt.date


@pytest.mark.parametrize(
    ("start", "number", "term_start", "term_end"),
    [
        (D(2020, 1, 1), 1, D(2020, 1, 1), D(2020, 12, 31)),  # the LEON contract of 2020
        (D(2020, 1, 1), 4, D(2023, 1, 1), D(2023, 12, 31)),  # max. 31-12-2023 (source 5.2.3)
        (D(2021, 10, 1), 2, D(2022, 10, 1), D(2023, 9, 30)),  # mid-year start
        (D(2024, 2, 29), 1, D(2024, 2, 29), D(2025, 2, 27)),  # leap day: 29-2 + 1y = 28-2
    ],
)
def test_contract_terms_are_one_year_each(start, number, term_start, term_end) -> None:
    """R-NET-3: terms of 1 + 1 + 1 + 1 years."""
    assert c.term(start, number) == c.Term(number, term_start, term_end)


@pytest.mark.parametrize(
    ("term_end", "due"),
    [
        (D(2020, 12, 31), D(2020, 10, 31)),  # 2 months before the end
        (D(2021, 4, 30), D(2021, 2, 28)),  # month end clamps
        (D(2023, 9, 30), D(2023, 7, 30)),
    ],
)
def test_extension_decision_due_two_months_before_term_end(term_end, due) -> None:
    """R-NET-3: an extension is decided at the latest 2 months before the term ends."""
    assert c.extension_decision_due(term_end) == due


@pytest.mark.parametrize(
    ("terms", "on", "provider", "org", "error"),
    [
        (1, D(2020, 10, 31), True, True, None),  # on the due date: fine
        (1, D(2020, 11, 1), True, True, "uiterlijk op 31-10-2020"),  # too late
        (1, D(2020, 6, 1), True, False, "beide partijen"),  # no mutual consent
        (1, D(2020, 6, 1), False, True, "beide partijen"),
        (4, D(2023, 6, 1), True, True, "al 4 termijnen"),  # max 4 years
        (2, D(2022, 1, 1), True, True, "geëindigd"),  # term 2 ended 31-12-2021
    ],
)
def test_check_extension(terms, on, provider, org, error) -> None:
    """R-NET-3: extension needs mutual consent, in time, and at most 4 terms."""
    start = D(2020, 1, 1)
    if error is None:
        new = c.check_extension(
            start=start,
            terms_granted=terms,
            on=on,
            provider_consent=provider,
            organisation_consent=org,
        )
        assert new.number == terms + 1
    else:
        with pytest.raises(c.ContractRuleError, match=error):
            c.check_extension(
                start=start,
                terms_granted=terms,
                on=on,
                provider_consent=provider,
                organisation_consent=org,
            )


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2020, 8, 31), False),  # more than 60 days before the due date
        (D(2020, 9, 1), True),  # 60 days before the due date 31-10
        (D(2020, 11, 15), True),  # overdue: stays listed until the term ends
        (D(2021, 1, 1), False),  # the term has ended
    ],
)
def test_extension_is_due_window(on, expected) -> None:
    """R-NET-3: the system lists contracts whose extension decision is due."""
    assert (
        c.extension_is_due(start=D(2020, 1, 1), terms_granted=1, on=on, notice_days=60) is expected
    )


@pytest.mark.parametrize(
    ("amount", "pct", "expected"),
    [
        ("80.00", "3.10", "82.48"),
        ("80.00", "0", "80.00"),
        ("1234.56", "2.5", "1265.42"),  # 1265.424 → down
        ("0.50", "1", "0.51"),  # 0.505 → half-up
        ("100.00", "-1.5", "98.50"),  # deflation lowers prices
    ],
)
def test_indexed_rounds_half_up_to_cents(amount, pct, expected) -> None:
    """R-NET-6: new price = old * (1 + CPI%), in cents, half-up."""
    assert m.indexed(Decimal(amount), Decimal(pct)) == Decimal(expected)


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("20"), places=2),
)
def test_indexation_never_lowers_a_price_for_non_negative_cpi(amount, pct) -> None:
    assert m.indexed(amount, pct) >= amount
    assert m.indexed(amount, pct).as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("contract_start", "effective", "indexable"),
    [
        (D(2021, 1, 1), D(2022, 1, 1), True),  # first year over
        (D(2021, 6, 1), D(2022, 1, 1), False),  # still in the first year: fixed
        (D(2021, 1, 2), D(2022, 1, 1), False),
    ],
)
def test_prices_fixed_in_first_contract_year(contract_start, effective, indexable) -> None:
    """R-NET-6: prices are fixed the first contract year."""
    assert m.price_is_indexable(contract_start=contract_start, effective=effective) is indexable


def test_ceiling_refuses_one_cent_above_with_dutch_message() -> None:
    """R-NET-7: EUR 80.01 above the EUR 80.00 ceiling is refused naming ceiling and date."""
    m.check_hourly_rate(
        rate=Decimal("80.00"), ceiling=Decimal("80.00"), ceiling_valid_from=D(2021, 10, 1)
    )
    with pytest.raises(m.MoneyRuleError) as exc:
        m.check_hourly_rate(
            rate=Decimal("80.01"), ceiling=Decimal("80.00"), ceiling_valid_from=D(2021, 10, 1)
        )
    assert "EUR 80,00" in str(exc.value)
    assert "01-10-2021" in str(exc.value)


@pytest.mark.parametrize("pct", ["25.01", "-10.01"])
def test_implausible_cpi_refused(pct) -> None:
    with pytest.raises(m.MoneyRuleError):
        m.check_cpi_percentage(Decimal(pct))


@pytest.mark.parametrize(
    ("until", "on", "state"),
    [
        (None, D(2026, 1, 1), n.EvidenceState.VALID),
        (D(2026, 3, 1), D(2026, 1, 1), n.EvidenceState.EXPIRING),  # 59 days left
        (D(2026, 3, 2), D(2026, 1, 1), n.EvidenceState.EXPIRING),  # exactly 60 days
        (D(2026, 3, 3), D(2026, 1, 1), n.EvidenceState.VALID),  # 61 days
        (D(2025, 12, 31), D(2026, 1, 1), n.EvidenceState.EXPIRED),
    ],
)
def test_evidence_state(until, on, state) -> None:
    """R-NET-2: expiring evidence is signalled 60 days (configurable) ahead."""
    assert (
        n.evidence_state(valid_from=D(2020, 1, 1), valid_until=until, on=on, warning_days=60)
        is state
    )


@pytest.mark.parametrize(
    ("last", "joined", "on", "inactive"),
    [
        (D(2025, 11, 22), D(2020, 1, 1), D(2026, 11, 22), True),  # exactly 12 months
        (D(2025, 11, 23), D(2020, 1, 1), D(2026, 11, 22), False),
        (None, D(2025, 11, 1), D(2026, 11, 22), True),  # never active since joining
        (None, D(2026, 1, 1), D(2026, 11, 22), False),  # joined recently
    ],
)
def test_inactivity_after_twelve_months(last, joined, on, inactive) -> None:
    """R-NET-8: no activity for 12 months."""
    assert n.is_inactive(last_activity_on=last, active_since=joined, on=on) is inactive


@pytest.mark.parametrize(
    ("dates", "open_eval", "expected"),
    [
        ([D(2026, 1, 1), D(2026, 5, 1), D(2026, 11, 1)], False, True),
        ([D(2025, 11, 1), D(2026, 5, 1), D(2026, 11, 1)], False, False),  # first one too old
        ([D(2026, 1, 1), D(2026, 5, 1), D(2026, 11, 1)], True, False),  # already evaluating
        ([D(2026, 5, 1), D(2026, 11, 1)], False, False),
    ],
)
def test_signal_threshold(dates, open_eval, expected) -> None:
    """R-NET-9: 3 signals in 12 months open an evaluation."""
    decision = n.signal_threshold_reached(
        signal_dates=dates, on=D(2026, 11, 22), evaluation_open=open_eval
    )
    assert decision.open_evaluation is expected
