"""The pure social return rules (R-NET-10): obligation, block values of the spec table,
part-time pro rata, the validity spread over years and the youth-combination rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.social_return.rules import (
    LIEMERS_BLOCKS,
    LIEMERS_BY_CODE,
    BlockKind,
    RealisedBlock,
    SocialReturnError,
    block_value,
    counting_blocks,
    obligation,
    spread_over_years,
    time_proportional_norm,
    value_per_year,
)

D = Decimal
START = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("volume", "percentage", "threshold", "expected"),
    [
        (D("50000.00"), D("5"), D("50000"), D("0.00")),  # R-NET-10: exactly the threshold: no
        (D("50000.01"), D("5"), D("50000"), D("2500.00")),  # 2500.0005 -> cents half up
        (D("120000.00"), D("5"), D("50000"), D("6000.00")),
        (D("80000.00"), D("3.5"), D("50000"), D("2800.00")),  # per-contract percentage
        (D("80000.00"), D("5"), D("100000"), D("0.00")),  # per-contract threshold
        (D("60000.10"), D("5"), D("50000"), D("3000.01")),  # 3000.005 -> 3000.01
        (D("-100.00"), D("5"), D("50000"), D("0.00")),  # credits exceed invoices
    ],
)
def test_obligation(volume: Decimal, percentage: Decimal, threshold: Decimal, expected: Decimal):
    """R-NET-10: volume (excl. VAT, net of credits) times percentage, above the threshold."""
    assert obligation(volume, percentage=percentage, threshold=threshold) == expected


def test_obligation_refuses_impossible_percentage():
    with pytest.raises(SocialReturnError) as exc:
        obligation(D("60000"), percentage=D("101"))
    assert exc.value.field == "percentage"


# R-NET-10 table: (block, value 6 m, value 12 m, validity 6 m in months, validity 12 m).
EMPLOYMENT_TABLE = [
    ("garantiebaan_wajong", "40000.00", "80000.00", 24, 48),
    ("garantiebaan_sw", "40000.00", "80000.00", 24, 48),
    ("wsw_detachering", "30000.00", "60000.00", 24, 36),
    ("pw_24_plus", "25000.00", "50000.00", 24, 48),
    ("pw_13_24", "20000.00", "40000.00", 24, 36),
    ("pw_0_12", "15000.00", "30000.00", 12, 36),
    ("youth_pro_vso", "12500.00", "25000.00", 12, 24),
    ("ww_12_plus", "10000.00", "20000.00", 12, 24),
    ("ww_under_12", "5000.00", "10000.00", 6, 24),
]
ALTERNATIVE_TABLE = [
    ("work_experience", "10000.00", 12),
    ("internship_youth", "5000.00", 24),
    ("education", "5000.00", 24),
    ("training", "2500.00", 12),
    ("info_citizens", "2500.00", 12),
    ("info_companies", "2500.00", 12),
    ("jobcoaching", "5000.00", 24),
]


def test_table_is_complete():
    """R-NET-10: nine employment blocks and seven alternatives, nothing else."""
    assert {b.code for b in LIEMERS_BLOCKS} == {r[0] for r in EMPLOYMENT_TABLE} | {
        r[0] for r in ALTERNATIVE_TABLE
    }
    assert sum(b.kind is BlockKind.EMPLOYMENT for b in LIEMERS_BLOCKS) == 9


@pytest.mark.parametrize(("code", "v6", "v12", "val6", "val12"), EMPLOYMENT_TABLE)
def test_employment_block_values_full_time(code: str, v6: str, v12: str, val6: int, val12: int):
    """R-NET-10: full-time 6- and 12-month contracts have the table's value and validity."""
    norm = LIEMERS_BY_CODE[code]
    six = block_value(norm, start=START, contract_months=6, hours_per_week=D("36"))
    twelve = block_value(norm, start=START, contract_months=12, hours_per_week=D("36"))
    assert (six.value, six.validity_months) == (D(v6), val6)
    assert (twelve.value, twelve.validity_months) == (D(v12), val12)
    # 6 up to 12 months is the 6-month norm, longer than 12 the 12-month norm
    assert block_value(norm, start=START, contract_months=11, hours_per_week=D("36")).value == D(v6)
    assert block_value(norm, start=START, contract_months=24, hours_per_week=D("40")).value == D(
        v12
    )


@pytest.mark.parametrize(("code", "value", "validity"), ALTERNATIVE_TABLE)
def test_alternative_block_values(code: str, value: str, validity: int):
    """R-NET-10: the alternatives have one norm value and one validity."""
    result = block_value(LIEMERS_BY_CODE[code], start=START, hours_per_week=D("36"))
    assert (result.value, result.validity_months) == (D(value), validity)


@pytest.mark.parametrize(
    ("code", "months", "hours", "expected"),
    [
        ("pw_24_plus", 12, "18", "25000.00"),  # half time: half of 50,000
        ("pw_24_plus", 12, "24", "33333.33"),  # 24/36 of 50,000, cents half up
        ("garantiebaan_wajong", 6, "32", "35555.56"),  # 32/36 of 40,000 = 35555.555…
        ("ww_under_12", 6, "12", "1666.67"),
        ("pw_0_12", 12, "40", "30000.00"),  # more than full time counts as full time
        ("work_experience", None, "18", "5000.00"),  # a work-experience place counts hours
    ],
)
def test_part_time_pro_rata(code: str, months: int | None, hours: str, expected: str):
    """R-NET-10: norm values assume full time (36 h); part-time counts pro rata."""
    norm = LIEMERS_BY_CODE[code]
    assert block_value(
        norm, start=START, contract_months=months, hours_per_week=D(hours)
    ).value == (D(expected))


def test_fixed_alternatives_ignore_hours():
    """A course or information session is no contract: hours do not change its value."""
    norm = LIEMERS_BY_CODE["training"]
    assert block_value(norm, start=START, hours_per_week=D("4")).value == D("2500.00")
    assert block_value(norm, start=START).value == D("2500.00")


def test_full_time_norm_is_reference_data():
    norm = LIEMERS_BY_CODE["pw_24_plus"]
    value = block_value(
        norm, start=START, contract_months=12, hours_per_week=D("20"), full_time_hours=D("40")
    )
    assert value.value == D("25000.00")


@pytest.mark.parametrize(
    ("months", "hours", "field"),
    [(5, "36", "contract_months"), (None, "36", "contract_months"), (12, "0", "hours")],
)
def test_employment_block_refusals(months: int | None, hours: str, field: str):
    """A contract shorter than 6 months is no block (annex 'Social Return'); hours > 0."""
    with pytest.raises(SocialReturnError) as exc:
        block_value(
            LIEMERS_BY_CODE["pw_24_plus"],
            start=START,
            contract_months=months,
            hours_per_week=D(hours),
        )
    assert exc.value.field == field


@pytest.mark.parametrize(
    ("value", "start", "months", "expected"),
    [
        # R-NET-10: the value counts for the years of validity from the contract start.
        (
            "50000.00",
            dt.date(2026, 1, 1),
            48,
            {2026: "12500", 2027: "12500", 2028: "12500", 2029: "12500"},
        ),
        # from 1 July a 4-year validity touches five calendar years: 6/48, 12/48 … 6/48
        (
            "50000.00",
            dt.date(2026, 7, 1),
            48,
            {2026: "6250", 2027: "12500", 2028: "12500", 2029: "12500", 2030: "6250"},
        ),
        ("10000.00", dt.date(2026, 7, 1), 12, {2026: "5000", 2027: "5000"}),
        # from 15 March: months starting 15-03 … 15-12 in 2026 (10), 15-01, 15-02 in 2027
        ("2500.00", dt.date(2026, 3, 15), 12, {2026: "2083.33", 2027: "416.67"}),
        ("5000.00", dt.date(2026, 1, 1), 6, {2026: "5000"}),
        ("5000.00", dt.date(2026, 10, 1), 6, {2026: "2500", 2027: "2500"}),
        # 4/12 and 8/12 of 1000 are 333.333… and 666.666…: the cent left over goes to the
        # year with the largest remainder
        ("1000.00", dt.date(2026, 9, 1), 12, {2026: "333.33", 2027: "666.67"}),
        ("0.01", dt.date(2026, 9, 1), 12, {2026: "0.00", 2027: "0.01"}),
    ],
)
def test_validity_spread(value: str, start: dt.date, months: int, expected: dict[int, str]):
    """R-NET-10: the spread is by months of validity in each calendar year, in cents."""
    assert spread_over_years(D(value), start, months) == {
        y: D(v).quantize(D("0.01")) for y, v in expected.items()
    }


def test_spread_follows_the_block_validity():
    """A 12-month Participatiewet >24 m contract from 1 July 2026 counts in 2026-2030."""
    block = block_value(
        LIEMERS_BY_CODE["pw_24_plus"],
        start=dt.date(2026, 7, 1),
        contract_months=12,
        hours_per_week=D("36"),
    )
    assert block.end == dt.date(2030, 7, 1)
    assert block.per_year() == {
        2026: D("6250.00"),
        2027: D("12500.00"),
        2028: D("12500.00"),
        2029: D("12500.00"),
        2030: D("6250.00"),
    }


def _realised(person: str, code: str, key: int) -> RealisedBlock:
    norm = LIEMERS_BY_CODE[code]
    months = 12 if norm.kind is BlockKind.EMPLOYMENT else None
    return RealisedBlock(
        key=key,
        person=person,
        norm=norm,
        value=block_value(norm, start=START, contract_months=months, hours_per_week=D("36")),
    )


@pytest.mark.parametrize(
    ("blocks", "counting"),
    [
        ([("a", "youth_pro_vso")], []),  # R-NET-10: youth alone does not count
        ([("a", "youth_pro_vso"), ("a", "jobcoaching")], [0, 1]),
        ([("a", "youth_pro_vso"), ("a", "training")], [0, 1]),
        ([("a", "youth_pro_vso"), ("a", "education")], [0, 1]),
        ([("a", "youth_pro_vso"), ("b", "jobcoaching")], [1]),  # another person's coaching
        ([("a", "internship_youth"), ("a", "info_citizens")], [1]),  # no support block
        ([("a", "pw_24_plus")], [0]),  # other blocks need no combination
    ],
)
def test_youth_counts_only_combined(blocks: list[tuple[str, str]], counting: list[int]):
    """R-NET-10: youth blocks must be combined with jobcoaching and/or training."""
    realised = [_realised(p, c, i) for i, (p, c) in enumerate(blocks)]
    assert [b.key for b in counting_blocks(realised)] == counting


def test_value_per_year_leaves_uncombined_youth_out():
    realised = [_realised("a", "youth_pro_vso", 1), _realised("b", "pw_24_plus", 2)]
    assert value_per_year(realised) == {
        2026: D("12500.00"),
        2027: D("12500.00"),
        2028: D("12500.00"),
        2029: D("12500.00"),
    }


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2025, 12, 31), "0.00"),
        (dt.date(2026, 1, 1), "16.44"),  # 1/365 of 6000 = 16.438…
        (dt.date(2026, 7, 2), "3008.22"),  # 183/365
        (dt.date(2026, 12, 31), "6000.00"),
        (dt.date(2027, 3, 1), "6000.00"),
    ],
)
def test_time_proportional_norm(on: dt.date, expected: str):
    """Behind means below the year's obligation times the share of the year that has passed."""
    assert time_proportional_norm(D("6000.00"), 2026, on) == D(expected)


# --- properties -------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31))


@given(value=amounts, start=days, months=st.integers(min_value=1, max_value=72))
def test_spread_adds_up_and_is_never_negative(value: Decimal, start: dt.date, months: int):
    """R-NET-10: no cent lost or made by the spread; consecutive years from the start."""
    spread = spread_over_years(value, start, months)
    assert sum(spread.values()) == value
    assert all(v >= 0 for v in spread.values())
    assert list(spread) == list(range(start.year, start.year + len(spread)))


@given(
    volume=amounts,
    percentage=st.decimals(min_value=0, max_value=100, places=2),
    threshold=amounts,
)
def test_obligation_bounds(volume: Decimal, percentage: Decimal, threshold: Decimal):
    owed = obligation(volume, percentage=percentage, threshold=threshold)
    assert owed == 0 or volume > threshold
    assert 0 <= owed <= volume


@given(
    hours=st.decimals(min_value=Decimal("0.5"), max_value=60, places=1),
    more=st.decimals(min_value=0, max_value=20, places=1),
    code=st.sampled_from([b.code for b in LIEMERS_BLOCKS if b.pro_rata_hours]),
)
def test_more_hours_never_less_value(hours: Decimal, more: Decimal, code: str):
    """Pro rata is monotone and capped at the full-time norm value."""
    norm = LIEMERS_BY_CODE[code]
    months = 12 if norm.kind is BlockKind.EMPLOYMENT else None
    low = block_value(norm, start=START, contract_months=months, hours_per_week=hours)
    high = block_value(norm, start=START, contract_months=months, hours_per_week=hours + more)
    assert low.value <= high.value <= (norm.value_12 or norm.value_6)


def test_contract_duration_has_a_plausible_upper_bound():
    """R-NET-10, R-SEC-6: 600 months counts (the 12-month norm); 601 is refused at the field,
    the same bound for the page, the API and blocks from placements."""
    norm = LIEMERS_BY_CODE["pw_24_plus"]
    assert block_value(norm, start=START, contract_months=600, hours_per_week=D("36")).value
    with pytest.raises(SocialReturnError) as exc:
        block_value(norm, start=START, contract_months=601, hours_per_week=D("36"))
    assert exc.value.field == "contract_months"
    assert "600" in exc.value.message
