"""R-INT-2: the pure SRG format — which provisions a month holds, how they count, what the
validation report flags, and the fixed-width records."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.reporting.srg_format import (
    RECORD_WIDTHS,
    Counts,
    IssueCode,
    Kind,
    Month,
    Movement,
    PlacementType,
    Provision,
    Severity,
    blocks,
    bsn_valid,
    header_line,
    in_month,
    issues_of,
    movement,
    municipality_number,
    placement_type,
    record_line,
    trailer_line,
)

OCT = Month(2026, 10)
D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "included", "move"),
    [
        (D(2026, 10, 1), None, True, Movement.STARTED),  # first day
        (D(2026, 10, 31), None, True, Movement.STARTED),  # last day
        (D(2026, 11, 1), None, False, None),  # after the month
        (D(2026, 9, 30), None, True, Movement.RUNNING),  # before, still running
        (D(2026, 9, 1), D(2026, 9, 30), False, None),  # ended the day before
        (D(2026, 9, 1), D(2026, 10, 1), True, Movement.ENDED),  # ended on the first day
        (D(2026, 9, 1), D(2026, 10, 31), True, Movement.ENDED),  # ended on the last day
        (D(2026, 9, 1), D(2026, 11, 1), True, Movement.RUNNING),  # ends next month
        (D(2026, 10, 5), D(2026, 10, 20), True, Movement.ENDED),  # started and ended
    ],
)
def test_month_membership_and_movement(
    start: dt.date, end: dt.date | None, included: bool, move: Movement | None
) -> None:
    """R-INT-2: a provision is in the month's file when active on at least one day of it."""
    assert in_month(start, end, OCT) is included
    if included:
        assert movement(start, end, OCT) is move


def test_month_bounds() -> None:
    assert Month(2026, 2).last == D(2026, 2, 28)
    assert Month(2028, 2).last == D(2028, 2, 29)
    assert Month(2026, 12).last == D(2026, 12, 31)
    assert Month.of(D(2026, 12, 17)).label == "202612"


def test_counts_started_and_ended_in_one_month_counts_both() -> None:
    counts = Counts()
    counts.add(
        Provision("T1", Kind.PROVISION, "111222333", "SA", D(2026, 10, 5), D(2026, 10, 9)), OCT
    )
    counts.add(Provision("T2", Kind.PROVISION, "111222333", "SA", D(2026, 1, 5), None), OCT)
    counts.add(Provision("L3", Kind.LKS, "111222333", "LKS", D(2026, 10, 2), None), OCT)
    assert (counts.started, counts.running, counts.ended) == (1, 1, 1)
    assert (counts.lks_started, counts.lks_running, counts.lks_ended) == (1, 1, 0)
    assert counts.records == 3


dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))


@given(start=dates, length=st.one_of(st.none(), st.integers(min_value=0, max_value=800)))
def test_every_record_in_the_file_is_running_or_ended_never_both(
    start: dt.date, length: int | None
) -> None:
    """R-INT-2 property: running (active on the last day) and ended partition the file."""
    end = None if length is None else start + dt.timedelta(days=length)
    if not in_month(start, end, OCT):
        return
    counts = Counts()
    counts.add(Provision("T1", Kind.PROVISION, "111222333", "SA", start, end), OCT)
    assert counts.running + counts.ended == 1
    assert counts.started == (OCT.first <= start <= OCT.last)


@pytest.mark.parametrize(
    ("bsn", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("123456789", False),
        ("12345678", False),
        ("000000000", False),
    ],
)
def test_bsn_eleven_test(bsn: str, valid: bool) -> None:
    assert bsn_valid(bsn) is valid


def _p(**kw: object) -> Provision:
    values: dict[str, object] = {
        "key": "T9",
        "kind": Kind.PROVISION,
        "bsn": "111222333",
        "code": "SA",
        "start": D(2026, 10, 1),
        "end": None,
        "order_date": D(2026, 9, 1),
    }
    values.update(kw)
    return Provision(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "expected", "blocking"),
    [
        ({}, [], False),
        ({"code": None}, [IssueCode.NO_CODE], True),
        ({"bsn": ""}, [IssueCode.NO_BSN], True),
        ({"bsn": "123456789"}, [IssueCode.INVALID_BSN], True),
        ({"end": D(2026, 9, 30)}, [IssueCode.END_BEFORE_START], True),
        ({"order_date": D(2026, 10, 2)}, [IssueCode.START_BEFORE_ORDER], False),
        ({"end": D(2026, 12, 1)}, [IssueCode.END_IN_FUTURE], False),
        ({"start": D(2026, 11, 21)}, [IssueCode.START_IN_FUTURE], False),
    ],
)
def test_validation_issues(
    changes: dict[str, object], expected: list[IssueCode], blocking: bool
) -> None:
    """R-INT-2: the validation report lists missing codes and inconsistent dates; a missing
    code, BSN or an end before the start leaves the record out of the file."""
    found = issues_of(_p(**changes), created_on=D(2026, 11, 20))
    assert [i.code for i in found] == expected
    assert blocks(found) is blocking
    for issue in found:
        assert issue.label and issue.severity in set(Severity)


def test_placement_type_precedence() -> None:
    assert (
        placement_type(lks=True, garantiebaan=True, beschut_werk=True) is PlacementType.BESCHUT_WERK
    )
    assert placement_type(lks=True, garantiebaan=True, beschut_werk=False) is PlacementType.LKS
    assert (
        placement_type(lks=False, garantiebaan=True, beschut_werk=False)
        is PlacementType.GARANTIEBAAN
    )
    assert (
        placement_type(lks=False, garantiebaan=False, beschut_werk=False) is PlacementType.REGULAR
    )


def test_record_layout_is_fixed_width() -> None:
    header = header_line(
        cbs_code="GM0226",
        month=OCT,
        created_on=D(2026, 11, 20),
        delivery_number=7,
        corrects_number=3,
    )
    assert header.startswith("010226202610" + "20261120" + "00000007" + "00000003")
    record = record_line(_p(end=D(2026, 10, 15)), OCT)
    assert record == "02111222333T9          SA  2026100120261015E\r\n"
    lks = record_line(_p(kind=Kind.LKS, key="L4", code="LKS", start=D(2026, 3, 1)), OCT)
    assert lks.startswith("03") and lks.rstrip("\r\n").endswith("0000000L")
    trailer = trailer_line(Counts(started=1, running=2, ended=3, records=6))
    for line in (header, record, lks, trailer):
        assert line.endswith("\r\n")
        assert len(line) - 2 == RECORD_WIDTHS[line[:2]]


def test_record_refuses_values_that_do_not_fit() -> None:
    with pytest.raises(ValueError):
        record_line(_p(code=None), OCT)
    with pytest.raises(ValueError):
        municipality_number("Duiven")
