"""Pure ladder and target-group rules, as readable tables (R-LAD-1..4, R-CLI-2)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.clients import ladder
from opstap.clients.bsn import bsn_from_prefix, random_bsn
from opstap.clients.budget import needs_second_approval, remaining_budget, to_cents
from opstap.clients.ladder import (
    DEFAULT_TRACK_MAPPING,
    DEFAULT_UNIT_MAPPING,
    LadderPosition,
    LadderStep,
    LadderSubStatus,
    RotondeExit,
)
from opstap.clients.target_groups import (
    TargetGroupCode,
    TargetGroupFacts,
    age_on,
    derive_target_groups,
    youth_birth_date_limit,
)

S = LadderStep
SUB = LadderSubStatus

ALL_POSITIONS = [
    LadderPosition(step, sub)
    for step in LadderStep
    for sub in ([*LadderSubStatus] if step is S.STEP_6 else [None])
]


@pytest.mark.parametrize(
    ("step", "sub", "growth"),
    [
        (S.STEP_1, None, False),  # no offer now or later
        (S.STEP_2A, None, False),  # activation not yet possible
        (S.STEP_2B, None, True),  # 2b-6 carry growth potential
        (S.STEP_3, None, True),
        (S.STEP_4, None, True),
        (S.STEP_5, None, True),
        (S.STEP_6, SUB.WITH_GROWTH, True),
        (S.STEP_6, SUB.NOT_WORK_READY, True),  # not yet determined: keep climbing
        (S.STEP_6, SUB.WITHOUT_GROWTH, False),
    ],
)
def test_growth_potential(step: LadderStep, sub: LadderSubStatus | None, growth: bool) -> None:
    """R-LAD-1: steps 2b-6 carry growth potential; step 1 does not."""
    assert ladder.has_growth_potential(LadderPosition(step, sub)) is growth


@pytest.mark.parametrize(
    ("step", "sub", "error"),
    [
        ("6", None, "Kies bij trede 6 een substatus"),
        ("4", "with_growth", "Een substatus hoort alleen bij trede 6."),
        ("7", None, "Onbekende trede '7'."),
        ("6", "maybe", "Onbekende substatus 'maybe'."),
    ],
)
def test_invalid_positions_have_dutch_messages(step: str, sub: str | None, error: str) -> None:
    """R-LAD-1: step 6 needs a sub-status (met/zonder groeipotentie, niet werkfit)."""
    with pytest.raises(ladder.LadderRuleError, match=error):
        ladder.validate_position(step, sub)


@pytest.mark.parametrize(
    ("step", "sub", "unit"),
    [
        (S.STEP_1, None, "care"),
        (S.STEP_2A, None, "care"),
        (S.STEP_6, SUB.WITHOUT_GROWTH, "care"),
        (S.STEP_2B, None, "work"),
        (S.STEP_3, None, "work"),
        (S.STEP_4, None, "work"),
        (S.STEP_5, None, "work"),
        (S.STEP_6, SUB.WITH_GROWTH, "work"),
        (S.STEP_6, SUB.NOT_WORK_READY, "work"),
    ],
)
def test_default_unit_mapping(step: LadderStep, sub: LadderSubStatus | None, unit: str) -> None:
    """R-LAD-2: Zorg & Ondersteuning = 1, 2a, 6-zonder; Unit Werk = the rest."""
    assert ladder.resolve_mapping(DEFAULT_UNIT_MAPPING, LadderPosition(step, sub)) == unit


@pytest.mark.parametrize(
    ("step", "track"),
    [
        (S.STEP_1, "3"),
        (S.STEP_2A, "3"),
        (S.STEP_2B, "3"),
        (S.STEP_3, "2"),
        (S.STEP_4, "2"),
        (S.STEP_5, "1"),
        (S.STEP_6, "1"),
    ],
)
def test_default_track_mapping(step: LadderStep, track: str) -> None:
    """R-LAD-3: spoor 1 = 5-6, spoor 2 = 3-4, spoor 3 = 1-2."""
    sub = SUB.WITH_GROWTH if step is S.STEP_6 else None
    assert ladder.resolve_mapping(DEFAULT_TRACK_MAPPING, LadderPosition(step, sub)) == track


@given(st.sampled_from(ALL_POSITIONS))
def test_every_position_has_exactly_one_unit_and_track(pos: LadderPosition) -> None:
    """R-LAD-2/3 invariant: the default mappings are total."""
    assert ladder.resolve_mapping(DEFAULT_UNIT_MAPPING, pos) in {"care", "work"}
    assert ladder.resolve_mapping(DEFAULT_TRACK_MAPPING, pos) in {"1", "2", "3"}
    units = [
        u for u in ("care", "work") if pos in ladder.positions_with_value(DEFAULT_UNIT_MAPPING, u)
    ]
    assert len(units) == 1


def test_specific_mapping_row_wins_over_step_wide_row() -> None:
    rows = [
        ladder.MappingRow(S.STEP_6, None, "work"),
        ladder.MappingRow(S.STEP_6, SUB.WITHOUT_GROWTH, "care"),
    ]
    assert ladder.resolve_mapping(rows, LadderPosition(S.STEP_6, SUB.WITHOUT_GROWTH)) == "care"
    assert ladder.resolve_mapping(rows, LadderPosition(S.STEP_6, SUB.WITH_GROWTH)) == "work"


def test_implications_of_moving_from_care_to_work() -> None:
    """R-LAD-1/2/3: what a change implies is computed, not typed in."""
    result = ladder.implications_of_change(
        LadderPosition(S.STEP_2A),
        LadderPosition(S.STEP_5),
        unit_rows=DEFAULT_UNIT_MAPPING,
        track_rows=DEFAULT_TRACK_MAPPING,
    )
    assert (result.unit_before, result.unit_after) == ("care", "work")
    assert (result.track_before, result.track_after) == ("3", "1")
    assert (result.growth_before, result.growth_after) == (False, True)
    assert result.target_groups_added == {TargetGroupCode.WORK_PERSPECTIVE}
    assert result.target_groups_removed == {TargetGroupCode.CARE}
    assert "unit wordt Unit Werk" in result.summary_nl()


def test_rotonde_order_and_skipped_exits() -> None:
    """R-LAD-4: regular, supported, sheltered, activating — skipping one must be explained."""
    assert list(ladder.ROTONDE_ORDER) == [
        RotondeExit.REGULAR,
        RotondeExit.SUPPORTED,
        RotondeExit.SHELTERED,
        RotondeExit.ACTIVATING,
    ]
    assert ladder.next_rotonde_exit([]) is RotondeExit.REGULAR
    assert ladder.next_rotonde_exit(["regular"]) is RotondeExit.SUPPORTED
    assert ladder.next_rotonde_exit(list(RotondeExit)) is None
    assert ladder.skipped_exits(RotondeExit.SHELTERED, ["regular"]) == [RotondeExit.SUPPORTED]


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (dt.date(2000, 5, 10), dt.date(2027, 5, 9), 26),  # day before 27th birthday
        (dt.date(2000, 5, 10), dt.date(2027, 5, 10), 27),  # birthday
        (dt.date(2000, 2, 29), dt.date(2027, 2, 28), 26),  # leap-day birthday not yet
        (dt.date(2000, 2, 29), dt.date(2027, 3, 1), 27),
    ],
)
def test_age_on(born: dt.date, on: dt.date, age: int) -> None:
    assert age_on(born, on) == age


@given(
    st.dates(dt.date(1930, 1, 1), dt.date(2020, 12, 31)),
    st.dates(dt.date(2021, 1, 1), dt.date(2040, 1, 1)),
)
def test_youth_query_limit_agrees_with_age(born: dt.date, on: dt.date) -> None:
    """R-CLI-2: the query form of 'jongeren' (< 27) equals the computed age."""
    assert (born > youth_birth_date_limit(on)) == (age_on(born, on) < 27)


def test_target_groups_are_derived() -> None:
    """R-CLI-2: youth from date of birth, disability from LDR/NBW/LKS, care from 1/2a,
    self-employed from Bbz, work perspective from 2b-5."""
    facts = TargetGroupFacts(
        date_of_birth=dt.date(2001, 1, 1),
        ladder_step="2a",
        ldr_registered=True,
        benefit_type="bbz",
        migration_background=True,
    )
    assert derive_target_groups(facts, dt.date(2026, 1, 1)) == {
        TargetGroupCode.YOUTH,
        TargetGroupCode.DISABILITY,
        TargetGroupCode.CARE,
        TargetGroupCode.SELF_EMPLOYED,
        TargetGroupCode.MIGRATION,
    }
    older = TargetGroupFacts(date_of_birth=dt.date(1970, 1, 1), ladder_step="4")
    assert derive_target_groups(older, dt.date(2026, 1, 1)) == {TargetGroupCode.WORK_PERSPECTIVE}
    # configurable list: a disabled group is never reported
    assert derive_target_groups(older, dt.date(2026, 1, 1), enabled=frozenset()) == frozenset()


def test_generated_bsns_pass_the_11_check() -> None:
    """R-CLI-1: demo and test BSNs are valid."""
    import random

    from stdnum.nl import bsn

    rng = random.Random(1)
    assert all(bsn.is_valid(random_bsn(rng)) for _ in range(500))
    assert bsn_from_prefix(11122233) == "111222333"


@pytest.mark.parametrize(
    ("yearly", "spent", "amount", "second"),
    [
        ("1000", ["400"], "600", False),  # exactly the remaining budget
        ("1000", ["400"], "600.01", True),  # one cent over
        ("0", [], "1", True),  # no budget configured
    ],
)
def test_budget_second_approval(yearly: str, spent: list[str], amount: str, second: bool) -> None:
    """R-CLI-4: spending above the budget needs a second approver."""
    from decimal import Decimal

    assert (
        needs_second_approval(Decimal(yearly), [Decimal(s) for s in spent], Decimal(amount))
        is second
    )


def test_money_rounds_half_up_to_cents() -> None:
    from decimal import Decimal

    assert to_cents(Decimal("0.125")) == Decimal("0.13")
    assert remaining_budget(Decimal("500"), [Decimal("100.005")]) == Decimal("399.99")
