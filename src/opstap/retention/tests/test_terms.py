"""R-SEC-4: when a dossier is closed and which kinds of record are due (pure rules)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.retention.terms import (
    DEFAULT_TERMS,
    Kind,
    add_years,
    audit_cutoff,
    closed_on,
    due_kinds,
    validate_years,
)

D = dt.date


@pytest.mark.parametrize(
    ("open_", "benefit", "end", "days", "expected"),
    [
        (True, "none", None, [D(2020, 1, 1)], None),  # an open trajectory: not closed
        (False, "pw", None, [D(2020, 1, 1)], None),  # benefit still running
        (False, "pw", D(2021, 3, 1), [D(2020, 1, 1)], D(2021, 3, 1)),
        (False, "none", None, [D(2020, 1, 1), D(2022, 5, 5), None], D(2022, 5, 5)),
        (False, "pw", D(2019, 1, 1), [D(2023, 7, 1)], D(2023, 7, 1)),  # last activity wins
        (False, "none", None, [None], None),  # nothing known: not closed
    ],
)
def test_closed_on(
    open_: bool,
    benefit: str,
    end: dt.date | None,
    days: list[dt.date | None],
    expected: dt.date | None,
) -> None:
    assert (
        closed_on(
            has_open_trajectory=open_,
            benefit_type=benefit,
            benefit_end_date=end,
            activity_days=days,
        )
        == expected
    )


def test_fallback_days_count_only_without_facts() -> None:
    """A registration or ladder change after the last trajectory does not reopen the term;
    without any fact the latest fallback day is the closing day."""
    kw = {"has_open_trajectory": False, "benefit_type": "none", "benefit_end_date": None}
    later = [D(2028, 6, 1)]
    assert closed_on(activity_days=[D(2026, 6, 1)], fallback_days=later, **kw) == D(2026, 6, 1)
    assert closed_on(activity_days=[None], fallback_days=later, **kw) == D(2028, 6, 1)


def test_due_kinds_on_the_boundary_and_with_a_hold() -> None:
    """R-SEC-4: due on the closing day plus the term (not a day earlier); a legal hold stops
    all; done kinds are not repeated; the audit trail is never a client kind."""
    terms = DEFAULT_TERMS.values()
    closed = D(2026, 6, 1)
    assert [
        t.kind for t in due_kinds(closed=closed, terms=terms, today=D(2033, 5, 31), held=False)
    ] == []
    assert [
        t.kind for t in due_kinds(closed=closed, terms=terms, today=D(2033, 6, 1), held=False)
    ] == [Kind.FINANCIAL]
    assert {
        t.kind for t in due_kinds(closed=closed, terms=terms, today=D(2036, 6, 1), held=False)
    } == {
        Kind.DOSSIER,
        Kind.DOCUMENTS,
        Kind.FINANCIAL,
    }
    assert due_kinds(closed=closed, terms=terms, today=D(2040, 1, 1), held=True) == []
    assert due_kinds(closed=None, terms=terms, today=D(2040, 1, 1), held=False) == []
    left = due_kinds(closed=closed, terms=terms, today=D(2040, 1, 1), held=False, done={"dossier"})
    assert {t.kind for t in left} == {Kind.DOCUMENTS, Kind.FINANCIAL}


def test_default_terms_cite_the_selection_list() -> None:
    for term in DEFAULT_TERMS.values():
        assert "Selectielijst 2020" in term.source
    assert DEFAULT_TERMS[Kind.DOSSIER].years == 10 and DEFAULT_TERMS[Kind.FINANCIAL].years == 7


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31)), st.integers(1, 30))
def test_add_years_is_never_early(day: dt.date, years: int) -> None:
    later = add_years(day, years)
    assert later.year == day.year + years
    assert (later.month, later.day) <= (day.month, day.day)
    assert (day.month, day.day) == (2, 29) or (later.month, later.day) == (day.month, day.day)


def test_year_bounds_and_audit_cutoff() -> None:
    assert validate_years(0) and validate_years(31)
    assert validate_years(1) is None and validate_years(30) is None
    assert audit_cutoff(D(2036, 2, 29), 10) == D(2026, 2, 28)
