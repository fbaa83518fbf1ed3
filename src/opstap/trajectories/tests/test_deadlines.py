"""Deadlines of a trajectory (R-TRJ-3, R-TRJ-4, R-ABS-1).

The tables below are meant to be read by a policy officer: every row is one case with the
weekday spelled out and a comment saying why the due date is what it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.core.roles import RoleCode
from opstap.trajectories.deadlines import (
    DEADLINE_RULES,
    RULES_BY_KIND,
    DeadlineKind,
    ProgressReportReason,
    Roll,
    Unit,
    absence_report_late,
    add_calendar_days,
    add_months,
    add_working_days,
    atw_holidays,
    due_date,
    is_overdue,
    is_working_day,
    progress_report_due_dates,
)

D = dt.date
K = DeadlineKind

# The Friday after Ascension Day 2026, equated with a holiday by the "Besluit gelijkstelling
# van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en 26 mei 2028". Decree days are
# reference data (`EquatedDay`, seeded by migration 0008, kept by the administrator); this
# pure module only sees the set it is given, so rows below show both with and without.
FRIDAY_AFTER_ASCENSION_2026 = frozenset({D(2026, 5, 15)})
FRIDAY_AFTER_ASCENSION_2027 = frozenset({D(2027, 5, 7)})


# --------------------------------------------------------------------------------------------
# The deadline table
# --------------------------------------------------------------------------------------------

DUE_DATE_CASES = [
    # (anchor date, deadline, decree-equated days, expected due date)
    #
    # The spec's own example: order Tue 21 Apr 2026; day 14 is Tue 5 May (Bevrijdingsdag,
    # a holiday every year under the Atw) -> intake due Wed 6 May 2026.
    (D(2026, 4, 21), K.INTAKE, frozenset(), D(2026, 5, 6)),
    # Order Fri 24 Apr 2026, just before King's Day (Mon 27 Apr) and 5 May: the 14 calendar
    # days include both holidays but end on Fri 8 May, a working day -> no change.
    (D(2026, 4, 24), K.INTAKE, frozenset(), D(2026, 5, 8)),
    # Intake held Mon 20 Apr 2026; day 7 is Mon 27 Apr, King's Day -> plan due Tue 28 Apr.
    (D(2026, 4, 20), K.PLAN, frozenset(), D(2026, 4, 28)),
    # 5 May in a non-lustrum year (2027): plan approved Wed 28 Apr 2027; day 7 is Wed 5 May
    # (holiday), Thu 6 May is Ascension Day -> start due Fri 7 May 2027.
    (D(2027, 4, 28), K.START, frozenset(), D(2027, 5, 7)),
    # ... and with the decree of 2026, Fri 7 May 2027 is equated too -> Mon 10 May 2027 (what
    # Opstap stores).
    (D(2027, 4, 28), K.START, FRIDAY_AFTER_ASCENSION_2027, D(2027, 5, 10)),
    # Good Friday and Easter Monday 2026: intake held Fri 27 Mar; day 7 is Good Friday 3 Apr;
    # Sat, Sun, Easter Monday 6 Apr -> plan due Tue 7 Apr 2026.
    (D(2026, 3, 27), K.PLAN, frozenset(), D(2026, 4, 7)),
    # Ascension Day 2026: ended Thu 30 Apr; day 14 is Ascension Day Thu 14 May -> final
    # report due Fri 15 May 2026.
    (D(2026, 4, 30), K.FINAL_REPORT, frozenset(), D(2026, 5, 15)),
    # The same with Fri 15 May 2026 equated by royal decree (what Opstap stores): Thu, Fri,
    # Sat, Sun are not working days -> final report due Mon 18 May 2026.
    (D(2026, 4, 30), K.FINAL_REPORT, FRIDAY_AFTER_ASCENSION_2026, D(2026, 5, 18)),
    # Whit Monday 2026: ended Mon 11 May; day 14 is Whit Monday 25 May -> due Tue 26 May.
    (D(2026, 5, 11), K.FINAL_REPORT, frozenset(), D(2026, 5, 26)),
    # Christmas 2026: order Fri 11 Dec; day 14 is Christmas Day Fri 25 Dec; Boxing Day is a
    # Saturday, then Sunday -> intake due Mon 28 Dec 2026.
    (D(2026, 12, 11), K.INTAKE, frozenset(), D(2026, 12, 28)),
    # Across the year boundary: ended Wed 2 Dec 2026; day 30 is New Year's Day Fri 1 Jan 2027,
    # then a weekend -> invoice due Mon 4 Jan 2027.
    (D(2026, 12, 2), K.INVOICE, frozenset(), D(2027, 1, 4)),
    # Christmas 2027 falls on Sat/Sun; the Atw has no substitute days: order Sat 11 Dec 2027,
    # day 14 is Sat 25 Dec -> intake due Mon 27 Dec 2027 (a normal working day).
    (D(2027, 12, 11), K.INTAKE, frozenset(), D(2027, 12, 27)),
    # King's Day 2025 is Sat 26 Apr (27 Apr is a Sunday): order Sat 12 Apr 2025; day 14 is
    # King's Day -> intake due Mon 28 Apr 2025 (28 Apr is not a holiday).
    (D(2025, 4, 12), K.INTAKE, frozenset(), D(2025, 4, 28)),
    # 2025 again: intake held Sun 20 Apr; day 7 is Sun 27 Apr, just a Sunday that year -> due
    # Mon 28 Apr 2025.
    (D(2025, 4, 20), K.PLAN, frozenset(), D(2025, 4, 28)),
    # Extension request, 1 month before the planned end: end Tue 31 Mar 2026; 1 month earlier
    # is 28 Feb 2026 (February has no 31st), a Saturday -> moved BACK to Fri 27 Feb 2026.
    (D(2026, 3, 31), K.EXTENSION_REQUEST, frozenset(), D(2026, 2, 27)),
    # Leap year: end Fri 31 Mar 2028; 1 month earlier is Tue 29 Feb 2028 -> due that day.
    (D(2028, 3, 31), K.EXTENSION_REQUEST, frozenset(), D(2028, 2, 29)),
    # End Fri 5 Jun 2026; 1 month earlier is Tue 5 May (holiday) -> back to Mon 4 May 2026.
    (D(2026, 6, 5), K.EXTENSION_REQUEST, frozenset(), D(2026, 5, 4)),
    # End Wed 6 May 2026; 1 month earlier is Easter Monday 6 Apr -> back over Sunday, Saturday
    # and Good Friday to Thu 2 Apr 2026.
    (D(2026, 5, 6), K.EXTENSION_REQUEST, frozenset(), D(2026, 4, 2)),
    # Payment, 30 WORKING days: invoice received Fri 24 Apr 2026; King's Day, 5 May,
    # Ascension Day and Whit Monday do not count -> payment due Thu 11 Jun 2026.
    (D(2026, 4, 24), K.PAYMENT, frozenset(), D(2026, 6, 11)),
    # The same with the decree-equated Friday 15 May 2026 -> one day later, Fri 12 Jun.
    (D(2026, 4, 24), K.PAYMENT, FRIDAY_AFTER_ASCENSION_2026, D(2026, 6, 12)),
    # Payment over Christmas and New Year: invoice received Fri 11 Dec 2026; 25 Dec and
    # 1 Jan do not count -> payment due Tue 26 Jan 2027.
    (D(2026, 12, 11), K.PAYMENT, frozenset(), D(2027, 1, 26)),
    # An invoice received on a Saturday (2 May 2026): working day 1 is Mon 4 May, 5 May does
    # not count, nor do Ascension Day and Whit Monday -> payment due Wed 17 Jun 2026.
    (D(2026, 5, 2), K.PAYMENT, frozenset(), D(2026, 6, 17)),
    # Invoice: ended Tue 31 Mar 2026 + 30 days = Thu 30 Apr 2026, a working day.
    (D(2026, 3, 31), K.INVOICE, frozenset(), D(2026, 4, 30)),
]


@pytest.mark.parametrize(("anchor", "kind", "equated", "expected"), DUE_DATE_CASES)
def test_due_dates(
    anchor: dt.date, kind: DeadlineKind, equated: frozenset[dt.date], expected: dt.date
) -> None:
    """R-TRJ-3: each lead time, with Atw holidays, roll-over and decree-equated days."""
    assert due_date(kind, anchor, equated_days=equated) == expected
    assert is_working_day(expected, equated_days=equated)


def test_the_deadline_table_covers_every_lead_time_of_r_trj_3() -> None:
    """R-TRJ-3: the table holds exactly the seven lead times, with amounts and units."""
    table = {rule.kind: (rule.amount, rule.unit, rule.before, rule.roll) for rule in DEADLINE_RULES}
    assert table == {
        K.INTAKE: (14, Unit.CALENDAR_DAYS, False, Roll.FORWARD),
        K.PLAN: (7, Unit.CALENDAR_DAYS, False, Roll.FORWARD),
        K.START: (7, Unit.CALENDAR_DAYS, False, Roll.FORWARD),
        K.EXTENSION_REQUEST: (1, Unit.MONTHS, True, Roll.BACKWARD),
        K.FINAL_REPORT: (14, Unit.CALENDAR_DAYS, False, Roll.FORWARD),
        K.INVOICE: (30, Unit.CALENDAR_DAYS, False, Roll.FORWARD),
        K.PAYMENT: (30, Unit.WORKING_DAYS, False, Roll.NONE),
    }
    assert all(
        rule.rule == "R-TRJ-3" and rule.label_nl and rule.label_en for rule in DEADLINE_RULES
    )
    assert RULES_BY_KIND[K.PAYMENT].responsible is RoleCode.FINANCE_CLERK
    assert {RULES_BY_KIND[k].responsible for k in K if k is not K.PAYMENT} == {
        RoleCode.PROVIDER_STAFF
    }


def test_roll_over_is_configurable_per_rule() -> None:
    """R-TRJ-3: a rule without roll-over keeps a due date on a holiday."""
    rule = RULES_BY_KIND[K.INTAKE]
    no_roll = dataclasses.replace(rule, roll=Roll.NONE)
    # Order Tue 21 Apr 2026, day 14 is Tue 5 May: kept as is without roll-over.
    assert due_date(no_roll, D(2026, 4, 21)) == D(2026, 5, 5)


# --------------------------------------------------------------------------------------------
# Holidays (Algemene termijnenwet)
# --------------------------------------------------------------------------------------------

ATW_2025 = {
    D(2025, 1, 1): "Nieuwjaarsdag",  # Wed
    D(2025, 4, 18): "Goede Vrijdag",  # equated by Atw art. 3(2)
    D(2025, 4, 21): "Tweede Paasdag",  # Easter Sunday is 20 Apr
    D(2025, 4, 26): "Koningsdag",  # Sat: 27 Apr 2025 is a Sunday
    D(2025, 5, 5): "Bevrijdingsdag",  # Mon, lustrum year
    D(2025, 5, 29): "Hemelvaartsdag",  # Thu
    D(2025, 6, 9): "Tweede Pinksterdag",  # Mon
    D(2025, 12, 25): "Eerste Kerstdag",  # Thu
    D(2025, 12, 26): "Tweede Kerstdag",  # Fri
}
ATW_2026 = {
    D(2026, 1, 1): "Nieuwjaarsdag",  # Thu
    D(2026, 4, 3): "Goede Vrijdag",
    D(2026, 4, 6): "Tweede Paasdag",  # Easter Sunday is 5 Apr
    D(2026, 4, 27): "Koningsdag",  # Mon
    D(2026, 5, 5): "Bevrijdingsdag",  # Tue — not a lustrum year, still a holiday (Atw)
    D(2026, 5, 14): "Hemelvaartsdag",  # Thu
    D(2026, 5, 25): "Tweede Pinksterdag",  # Mon
    D(2026, 12, 25): "Eerste Kerstdag",  # Fri
    D(2026, 12, 26): "Tweede Kerstdag",  # Sat
}
ATW_2027 = {
    D(2027, 1, 1): "Nieuwjaarsdag",  # Fri
    D(2027, 3, 26): "Goede Vrijdag",
    D(2027, 3, 29): "Tweede Paasdag",  # Easter Sunday is 28 Mar
    D(2027, 4, 27): "Koningsdag",  # Tue
    D(2027, 5, 5): "Bevrijdingsdag",  # Wed
    D(2027, 5, 6): "Hemelvaartsdag",  # Thu, the day after 5 May
    D(2027, 5, 17): "Tweede Pinksterdag",  # Mon
    D(2027, 12, 25): "Eerste Kerstdag",  # Sat
    D(2027, 12, 26): "Tweede Kerstdag",  # Sun
}


@pytest.mark.parametrize(
    ("year", "expected"), [(2025, ATW_2025), (2026, ATW_2026), (2027, ATW_2027)]
)
def test_the_whole_atw_holiday_list(year: int, expected: dict[dt.date, str]) -> None:
    """R-TRJ-3: the complete list of generally recognised holidays (Atw art. 3)."""
    assert atw_holidays(year) == expected
    for day in expected:
        assert not is_working_day(day)


def test_equated_days_are_reference_data() -> None:
    """R-TRJ-3: days equated by royal decree are passed in, named, and not working days."""
    listed = atw_holidays(2026, equated_days=FRIDAY_AFTER_ASCENSION_2026 | {D(2027, 5, 7)})
    assert listed[D(2026, 5, 15)] == "Bij koninklijk besluit gelijkgestelde dag"
    assert D(2027, 5, 7) not in listed  # another year's decree is not listed for 2026
    assert len(listed) == len(ATW_2026) + 1
    assert is_working_day(D(2026, 5, 15))
    assert not is_working_day(D(2026, 5, 15), equated_days=FRIDAY_AFTER_ASCENSION_2026)


def test_ascension_on_5_may_keeps_both_names() -> None:
    """R-TRJ-3: in 2016 Ascension Day fell on 5 May; one day, both names."""
    assert atw_holidays(2016)[D(2016, 5, 5)] == "Bevrijdingsdag en Hemelvaartsdag"
    assert len(atw_holidays(2016)) == 8


def test_years_before_kings_day_are_refused() -> None:
    """R-TRJ-3: King's Day rules exist from 2014; earlier years are not guessed."""
    with pytest.raises(ValueError, match="2014"):
        atw_holidays(2013)


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_where_the_holidays_package_differs_from_the_atw(year: int) -> None:
    """R-TRJ-3 (documentation): why this module does not use `holidays.NL` for deadlines.

    The general-purpose calendar lists Easter Sunday and Whit Sunday (Sundays, harmless) but
    omits 5 May outside lustrum years (2025, 2030, ...), while the Atw counts 5 May as a
    holiday every year.
    """
    general = holidays.country_holidays("NL", years=year)
    atw = atw_holidays(year)
    only_in_general = set(general) - set(atw)
    assert only_in_general  # Easter Sunday and Whit Sunday
    assert all(day.weekday() == 6 for day in only_in_general)  # only Sundays
    if year % 5 == 0:
        assert D(year, 5, 5) in general
    else:
        # The difference that matters: a deadline on 5 May 2026 or 2027 would not roll over.
        assert D(year, 5, 5) not in general
        assert D(year, 5, 5) in atw


# --------------------------------------------------------------------------------------------
# The building blocks
# --------------------------------------------------------------------------------------------

ADD_MONTHS_CASES = [
    # (start, months, expected)
    (D(2027, 1, 31), 1, D(2027, 2, 28)),  # 31 Jan + 1 month: February has 28 days in 2027
    (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year 2028: 29 Feb
    (D(2026, 3, 31), -1, D(2026, 2, 28)),  # backwards: 31 Mar - 1 month
    (D(2026, 4, 30), 1, D(2026, 5, 30)),  # end of April is not "sticky": 30 May, not 31
    (D(2026, 12, 31), 2, D(2027, 2, 28)),  # across the year boundary
    (D(2028, 2, 29), 12, D(2029, 2, 28)),  # leap day + 1 year
    (D(2026, 8, 31), 6, D(2027, 2, 28)),  # 6 months (durability check) from 31 August
    (D(2026, 1, 15), 0, D(2026, 1, 15)),  # zero months: unchanged
]


@pytest.mark.parametrize(("start", "months", "expected"), ADD_MONTHS_CASES)
def test_add_months_month_ends(start: dt.date, months: int, expected: dt.date) -> None:
    """R-TRJ-3: month arithmetic clamps to the last day of a shorter month."""
    assert add_months(start, months) == expected


CALENDAR_DAY_CASES = [
    # (start, days, roll_over, expected)
    # Thu 2 Apr 2026 + 3 = Sun 5 Apr; Easter Monday -> Tue 7 Apr is day 1 of work (art. 1),
    # but a 3-day period needs 2 working days (art. 2) -> Wed 8 Apr 2026.
    (D(2026, 4, 2), 3, True, D(2026, 4, 8)),
    # The same without roll-over: the bare calendar date.
    (D(2026, 4, 2), 3, False, D(2026, 4, 5)),
    # Backwards (a deadline before an event): Wed 8 Apr - 3 = Sun 5 Apr -> back to Thu 2 Apr
    # (Good Friday is skipped).
    (D(2026, 4, 8), -3, True, D(2026, 4, 2)),
    # Zero days on a holiday rolls to the next working day.
    (D(2026, 5, 5), 0, True, D(2026, 5, 6)),
]


@pytest.mark.parametrize(("start", "days", "roll_over", "expected"), CALENDAR_DAY_CASES)
def test_add_calendar_days(start: dt.date, days: int, roll_over: bool, expected: dt.date) -> None:
    """R-TRJ-3: calendar days with Atw art. 1 and 2 roll-over."""
    assert add_calendar_days(start, days, roll_over=roll_over) == expected


def test_atw_article_2_never_changes_the_periods_of_r_trj_3() -> None:
    """R-TRJ-3: for 7, 14 and 30 days, art. 2 adds nothing to art. 1 (2025-2035)."""
    day = D(2025, 1, 1)
    while day.year <= 2035:
        for n in (7, 14, 30):
            art_1_only = add_calendar_days(day, n, roll_over=False)
            while not is_working_day(art_1_only):
                art_1_only += dt.timedelta(days=1)
            assert add_calendar_days(day, n) == art_1_only, (day, n)
        day += dt.timedelta(days=1)


WORKING_DAY_CASES = [
    # (start, n, expected)
    (D(2026, 4, 24), 1, D(2026, 4, 28)),  # Fri -> (weekend, King's Day) -> Tue
    (D(2026, 5, 4), 1, D(2026, 5, 6)),  # Mon -> (5 May) -> Wed
    (D(2026, 5, 5), 0, D(2026, 5, 6)),  # zero days from a holiday: the next working day
    (D(2026, 5, 6), 0, D(2026, 5, 6)),  # zero days from a working day: that day
    (D(2026, 4, 7), -1, D(2026, 4, 2)),  # backwards over Easter Monday, weekend, Good Friday
    (D(2026, 12, 24), 2, D(2026, 12, 29)),  # Thu -> (Christmas, weekend) Mon 28, Tue 29
]


@pytest.mark.parametrize(("start", "n", "expected"), WORKING_DAY_CASES)
def test_add_working_days(start: dt.date, n: int, expected: dt.date) -> None:
    """R-TRJ-3: working days skip weekends and Atw holidays; the start day never counts."""
    assert add_working_days(start, n) == expected


dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2099, 12, 31))


@given(start=dates, n=st.integers(min_value=0, max_value=120))
def test_add_working_days_lands_on_a_working_day(start: dt.date, n: int) -> None:
    """R-TRJ-3 (property): the result is always a working day, with exactly n working days
    after the start up to and including it."""
    due = add_working_days(start, n)
    assert is_working_day(due)
    if n > 0:
        days = [start + dt.timedelta(days=i) for i in range(1, (due - start).days + 1)]
        assert sum(is_working_day(day) for day in days) == n


@given(start=dates, n=st.integers(min_value=0, max_value=120), extra=st.integers(1, 30))
def test_add_working_days_is_monotonic(start: dt.date, n: int, extra: int) -> None:
    """R-TRJ-3 (property): more working days never give an earlier date; from n >= 1 on,
    strictly later."""
    earlier, later = add_working_days(start, n), add_working_days(start, n + extra)
    assert earlier <= later
    if n >= 1:
        assert earlier < later


@given(start=dates, n=st.integers(min_value=0, max_value=60))
def test_calendar_deadlines_never_fall_earlier_and_land_on_working_days(
    start: dt.date, n: int
) -> None:
    """R-TRJ-3 (property): roll-over only ever moves a forward deadline later."""
    due = add_calendar_days(start, n)
    assert due >= start + dt.timedelta(days=n)
    assert is_working_day(due)


@given(start=dates, n=st.integers(min_value=-36, max_value=36))
def test_add_months_stays_in_the_target_month(start: dt.date, n: int) -> None:
    """R-TRJ-3 (property): the result is in month start+n, on the same day or the month end."""
    result = add_months(start, n)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == n
    assert result.day == start.day or (
        result.day < start.day and (result + dt.timedelta(1)).day == 1
    )


def test_is_overdue() -> None:
    """R-TRJ-3: done on the due date is on time; the day after is late."""
    due = D(2026, 5, 6)
    assert not is_overdue(due, on=D(2026, 5, 6))
    assert is_overdue(due, on=D(2026, 5, 7))
    assert not is_overdue(due, on=D(2026, 6, 1), done_on=D(2026, 5, 6))
    assert is_overdue(due, on=D(2026, 6, 1), done_on=D(2026, 5, 7))


# --------------------------------------------------------------------------------------------
# Progress reports (R-TRJ-4)
# --------------------------------------------------------------------------------------------

P = ProgressReportReason


def _schedule(code: int, **kwargs: Any) -> list[tuple[dt.date, ProgressReportReason]]:
    return [(r.due, r.reason) for r in progress_report_due_dates(code, **kwargs)]


def test_code_3_reports_every_3_months_and_at_the_end() -> None:
    """R-TRJ-4: code 3, start 31 Jan 2026, planned end Thu 31 Dec 2026."""
    assert _schedule(3, start=D(2026, 1, 31), planned_end=D(2026, 12, 31)) == [
        (D(2026, 4, 30), P.PERIODIC),  # 31 Jan + 3 months = 30 Apr (month end)
        (D(2026, 7, 31), P.PERIODIC),  # + 6 months from the START = 31 Jul, not 30 Jul
        (D(2026, 11, 2), P.PERIODIC),  # + 9 months = Sat 31 Oct -> Mon 2 Nov
        (D(2026, 12, 31), P.END),  # + 12 months is past the end: the end report
    ]


def test_code_4_periodic_report_on_the_end_date_is_the_end_report() -> None:
    """R-TRJ-4: code 4, a 6-month trajectory; the 6-month report coincides with the end."""
    assert _schedule(4, start=D(2026, 2, 2), planned_end=D(2026, 8, 2)) == [
        (D(2026, 5, 4), P.PERIODIC),  # + 3 months = Sat 2 May -> Mon 4 May (not a holiday)
        (D(2026, 8, 3), P.END),  # the end, Sun 2 Aug -> Mon 3 Aug
    ]


def test_code_5_reports_every_6_months_and_2_months_before_the_contract_ends() -> None:
    """R-TRJ-4: jobcoaching (code 5)."""
    assert _schedule(
        5, start=D(2026, 1, 15), planned_end=D(2027, 1, 15), contract_end=D(2026, 12, 31)
    ) == [
        (D(2026, 7, 15), P.PERIODIC),  # + 6 months, Wed
        (D(2026, 10, 30), P.BEFORE_CONTRACT_END),  # 31 Dec - 2 months = Sat 31 Oct -> Fri 30 Oct
    ]
    # An open-ended employment contract has no report before its end.
    assert _schedule(5, start=D(2026, 1, 15), planned_end=D(2027, 1, 15), contract_end=None) == [
        (D(2026, 7, 15), P.PERIODIC)
    ]


@pytest.mark.parametrize("code", [1, 2])
def test_codes_1_and_2_report_at_the_end_only(code: int) -> None:
    """R-TRJ-4 / section 5: short trajectories report only at the end."""
    assert _schedule(code, start=D(2026, 1, 5), planned_end=D(2026, 3, 31)) == [
        (D(2026, 3, 31), P.END)
    ]


def test_unknown_product_code_is_refused() -> None:
    """R-TRJ-4: only product codes 1-5 exist."""
    with pytest.raises(ValueError, match="productcode 6"):
        progress_report_due_dates(6, start=D(2026, 1, 1), planned_end=D(2026, 6, 1))


# --------------------------------------------------------------------------------------------
# Absence (R-ABS-1)
# --------------------------------------------------------------------------------------------

AMS = ZoneInfo("Europe/Amsterdam")

ABSENCE_CASES = [
    # (absence at, reported at, late?)
    # 23 hours 59 minutes later: on time.
    (dt.datetime(2026, 5, 4, 9, 0, tzinfo=AMS), dt.datetime(2026, 5, 5, 8, 59, tzinfo=AMS), False),
    # Exactly 24 hours: still on time.
    (dt.datetime(2026, 5, 4, 9, 0, tzinfo=AMS), dt.datetime(2026, 5, 5, 9, 0, tzinfo=AMS), False),
    # 24 hours and 1 minute: late.
    (dt.datetime(2026, 5, 4, 9, 0, tzinfo=AMS), dt.datetime(2026, 5, 5, 9, 1, tzinfo=AMS), True),
    # Summer time starts on 29 Mar 2026: the clock says 24.5 h, only 23.5 h passed -> on time.
    (
        dt.datetime(2026, 3, 28, 10, 0, tzinfo=AMS),
        dt.datetime(2026, 3, 29, 10, 30, tzinfo=AMS),
        False,
    ),
    # Winter time starts on 25 Oct 2026: the clock says 23.5 h, 24.5 h passed -> late.
    (
        dt.datetime(2026, 10, 24, 10, 0, tzinfo=AMS),
        dt.datetime(2026, 10, 25, 9, 30, tzinfo=AMS),
        True,
    ),
    # Different time zones compare as real instants: 09:00 CEST = 07:00 UTC.
    (
        dt.datetime(2026, 5, 4, 9, 0, tzinfo=AMS),
        dt.datetime(2026, 5, 5, 7, 0, tzinfo=dt.UTC),
        False,
    ),
    # Announced in advance (reported before the absence): not late.
    (dt.datetime(2026, 5, 4, 9, 0, tzinfo=AMS), dt.datetime(2026, 5, 1, 9, 0, tzinfo=AMS), False),
]


@pytest.mark.parametrize(("absence_at", "reported_at", "late"), ABSENCE_CASES)
def test_absence_report_within_24_hours(
    absence_at: dt.datetime, reported_at: dt.datetime, late: bool
) -> None:
    """R-ABS-1: with elevated risk, an absence reported after more than 24 hours is late."""
    assert absence_report_late(absence_at, reported_at) is late


def test_absence_needs_aware_datetimes() -> None:
    """R-ABS-1: naive datetimes are refused rather than guessed."""
    with pytest.raises(ValueError, match="tijdzone"):
        absence_report_late(dt.datetime(2026, 5, 4, 9), dt.datetime(2026, 5, 5, 9, tzinfo=AMS))
