"""The requested execution date of a SEPA credit-transfer file (R-BILL-10).

A pain.001 file asks the bank to pay on a *requested execution date* (``ReqdExctnDt``). A
date in the past is refused or moved by the bank, so the date is the day the file is made
(its first export), moved forward to the next day on which SEPA credit transfers are
settled: a TARGET2 business day.

TARGET2 (the euro system's settlement calendar, which the EPC SEPA rulebooks follow) is
closed on Saturdays and Sundays and on six holidays: New Year's Day (1 January), Good Friday,
Easter Monday, Labour Day (1 May), Christmas Day (25 December) and 26 December. Good Friday
and Easter Monday follow Western Easter (``dateutil.easter``).

This is not the Dutch statutory calendar of ``trajectories.deadlines`` (Algemene
termijnenwet): King's Day, 5 May, Ascension Day and Whit Monday are business days for the
bank, and 1 May is not. The two calendars share only the Easter computation.

Pure module: no ORM, no clock; the caller passes the export day.
"""

from __future__ import annotations

import datetime as dt

from dateutil.easter import easter

__all__ = ["is_target2_business_day", "requested_execution_date", "target2_holidays"]


def target2_holidays(year: int) -> dict[dt.date, str]:
    """The TARGET2 holidays of `year` (weekdays or not), with their Dutch names."""
    easter_sunday = easter(year)
    return {
        dt.date(year, 1, 1): "Nieuwjaarsdag",
        easter_sunday - dt.timedelta(days=2): "Goede Vrijdag",
        easter_sunday + dt.timedelta(days=1): "Tweede Paasdag",
        dt.date(year, 5, 1): "Dag van de Arbeid",
        dt.date(year, 12, 25): "Eerste Kerstdag",
        dt.date(year, 12, 26): "Tweede Kerstdag",
    }


def is_target2_business_day(day: dt.date) -> bool:
    """Whether SEPA credit transfers are settled on `day`: not a weekend, not a holiday."""
    return day.weekday() < 5 and day not in target2_holidays(day.year)


def requested_execution_date(export_day: dt.date) -> dt.date:
    """The execution date a file made on `export_day` asks for: that day when it is a
    TARGET2 business day, else the next one (never a day before `export_day`)."""
    day = export_day
    while not is_target2_business_day(day):
        day += dt.timedelta(days=1)
    return day
