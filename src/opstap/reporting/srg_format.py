"""The CBS SRG monthly delivery as a file: which provisions a month holds, how they are
counted, what is wrong with them, and the record layout (R-INT-2). Pure: no ORM, no I/O
beyond the lines it returns, so the format lives in this one module.

Source: CBS, "Richtlijnen Statistiek Re-integratie door Gemeenten (SRG)" (from reporting
month January 2019; version 2021 is the last we could consult). The guidelines name the data
(delivery: municipality code and period; person: BSN; provision: type, begin date, end date;
wage-cost subsidy: begin and end) but the byte positions of their chapter 3.1 ("Codes en
posities per kenmerk") were not available to us. This module therefore writes the documented
fields in a fixed-width layout of our own, versioned `LAYOUT_VERSION`; docs/srg.md lists it and
what a municipality must check against the current CBS guidelines before the first delivery.

Counting (one month, first..last day inclusive):
- in the file: started on or before the last day and not ended before the first day;
- started: begin date within the month;
- ended: end date within the month;
- running: active on the last day of the month (not ended on or before it).
A provision that starts and ends in the same month counts as started and as ended.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, lru_cache

LAYOUT_VERSION = "OPSTAP-SRG-1.0"
SOFTWARE = "OPSTAP"
CODE_PATTERN = re.compile(r"^[0-9A-Z]{1,4}$")


class Kind(StrEnum):
    """What a record is about: a provision (a trajectory or a placement) or the wage-cost
    subsidy (LKS) of a placement."""

    PROVISION = "provision"
    LKS = "lks"


class PlacementType(StrEnum):
    """The kind of a placement (the outcome of a trajectory), each mapped to an SRG code."""

    REGULAR = "regular"
    LKS = "lks"
    GARANTIEBAAN = "garantiebaan"
    BESCHUT_WERK = "beschut_werk"


PLACEMENT_LABELS_NL: dict[PlacementType, str] = {
    PlacementType.REGULAR: "Reguliere plaatsing",
    PlacementType.LKS: "Plaatsing met loonkostensubsidie",
    PlacementType.GARANTIEBAAN: "Garantiebaan",
    PlacementType.BESCHUT_WERK: "Beschut werk",
}


def placement_type(*, lks: bool, garantiebaan: bool, beschut_werk: bool) -> PlacementType:
    """Beschut werk first (its own SRG provision), then LKS, then a garantiebaan."""
    if beschut_werk:
        return PlacementType.BESCHUT_WERK
    if lks:
        return PlacementType.LKS
    if garantiebaan:
        return PlacementType.GARANTIEBAAN
    return PlacementType.REGULAR


class Movement(StrEnum):
    """The record's movement code in the file."""

    STARTED = "B"  # begonnen in de maand
    RUNNING = "L"  # lopend, al eerder begonnen
    ENDED = "E"  # beëindigd in de maand


class Severity(StrEnum):
    BLOCKING = "blocking"  # the record is left out of the file
    WARNING = "warning"  # the record is in the file, but must be checked


class IssueCode(StrEnum):
    NO_CODE = "no_code"
    NO_BSN = "no_bsn"
    INVALID_BSN = "invalid_bsn"
    END_BEFORE_START = "end_before_start"
    START_BEFORE_ORDER = "start_before_order"
    END_IN_FUTURE = "end_in_future"
    START_IN_FUTURE = "start_in_future"


ISSUE_SEVERITY: dict[IssueCode, Severity] = {
    IssueCode.NO_CODE: Severity.BLOCKING,
    IssueCode.NO_BSN: Severity.BLOCKING,
    IssueCode.INVALID_BSN: Severity.BLOCKING,
    IssueCode.END_BEFORE_START: Severity.BLOCKING,
    IssueCode.START_BEFORE_ORDER: Severity.WARNING,
    IssueCode.END_IN_FUTURE: Severity.WARNING,
    IssueCode.START_IN_FUTURE: Severity.WARNING,
}

ISSUE_LABELS_NL: dict[IssueCode, str] = {
    IssueCode.NO_CODE: "Geen SRG-code: koppel het product of de soort plaatsing aan een SRG-code",
    IssueCode.NO_BSN: "Geen BSN bij de klant",
    IssueCode.INVALID_BSN: "BSN voldoet niet aan de elfproef",
    IssueCode.END_BEFORE_START: "Einddatum ligt vóór de begindatum",
    IssueCode.START_BEFORE_ORDER: "Begindatum ligt vóór de besteldatum",
    IssueCode.END_IN_FUTURE: "Einddatum ligt na de aanmaakdatum van de levering",
    IssueCode.START_IN_FUTURE: "Begindatum ligt na de aanmaakdatum van de levering",
}


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @cached_property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @cached_property
    def last(self) -> dt.date:
        nxt = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year:04d}{self.month:02d}"


@dataclass(frozen=True)
class Provision:
    """One provision as the record knows it; `key` is our own reference (T<trajectory id>,
    P<outcome id>), unique within a delivery."""

    key: str
    kind: Kind
    bsn: str
    code: str | None
    start: dt.date
    end: dt.date | None
    order_date: dt.date | None = None


@dataclass(frozen=True)
class Issue:
    key: str
    code: IssueCode

    @property
    def severity(self) -> Severity:
        return ISSUE_SEVERITY[self.code]

    @property
    def label(self) -> str:
        return ISSUE_LABELS_NL[self.code]


def in_month(start: dt.date, end: dt.date | None, month: Month) -> bool:
    """Does the provision belong in the month's file (active on at least one day)?"""
    return start <= month.last and (end is None or end >= month.first)


def movement(start: dt.date, end: dt.date | None, month: Month) -> Movement:
    if end is not None and month.first <= end <= month.last:
        return Movement.ENDED
    if month.first <= start <= month.last:
        return Movement.STARTED
    return Movement.RUNNING


def bsn_valid(bsn: str) -> bool:
    """The eleven test (elfproef) of the BSN: 9 digits, weights 9..2 and -1, sum % 11 == 0.
    Written out: it runs once per record of a national month."""
    if len(bsn) != 9 or not bsn.isascii() or not bsn.isdigit():
        return False
    b = bsn.encode()
    total = (
        9 * b[0]
        + 8 * b[1]
        + 7 * b[2]
        + 6 * b[3]
        + 5 * b[4]
        + 4 * b[5]
        + 3 * b[6]
        + 2 * b[7]
        - b[8]
        - 43 * 48  # the weights sum to 43: remove the ASCII offset of '0' from each digit
    )
    return total % 11 == 0 and total != 0


def issues_of(provision: Provision, *, created_on: dt.date) -> list[Issue]:
    """What is wrong with one record, in the order the report lists them."""
    found: list[Issue] = []
    key = provision.key
    if not provision.code:
        found.append(Issue(key, IssueCode.NO_CODE))
    if not provision.bsn:
        found.append(Issue(key, IssueCode.NO_BSN))
    elif not bsn_valid(provision.bsn):
        found.append(Issue(key, IssueCode.INVALID_BSN))
    if provision.end is not None and provision.end < provision.start:
        found.append(Issue(key, IssueCode.END_BEFORE_START))
    if provision.order_date is not None and provision.start < provision.order_date:
        found.append(Issue(key, IssueCode.START_BEFORE_ORDER))
    if provision.start > created_on:
        found.append(Issue(key, IssueCode.START_IN_FUTURE))
    if provision.end is not None and provision.end > created_on:
        found.append(Issue(key, IssueCode.END_IN_FUTURE))
    return found


def blocks(issues: Iterable[Issue]) -> bool:
    return any(i.severity is Severity.BLOCKING for i in issues)


@dataclass
class Counts:
    """Running totals of one delivery (only the records written to the file)."""

    started: int = 0
    running: int = 0
    ended: int = 0
    lks_started: int = 0
    lks_running: int = 0
    lks_ended: int = 0
    records: int = 0
    left_out: int = 0
    issues: dict[str, int] = field(default_factory=dict)

    def add(self, provision: Provision, month: Month) -> None:
        """Count one written record (R-INT-2: started, running, ended; LKS apart)."""
        self.records += 1
        started = month.first <= provision.start <= month.last
        ended = provision.end is not None and month.first <= provision.end <= month.last
        running = provision.end is None or provision.end > month.last
        if provision.kind is Kind.LKS:
            self.lks_started += started
            self.lks_ended += ended
            self.lks_running += running
        else:
            self.started += started
            self.ended += ended
            self.running += running

    def add_issues(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self.issues[issue.code.value] = self.issues.get(issue.code.value, 0) + 1


# --- Record layout ------------------------------------------------------------------------
# Fixed width, one record per line, ASCII, CRLF line ends (as CBS's fixed-width deliveries).
#   01 levering:    soort(2) gemeentecode(4) periode JJJJMM(6) aanmaakdatum JJJJMMDD(8)
#                   leveringnummer(8) gecorrigeerde levering(8, nullen) software(10) opmaak(16)
#   02 voorziening: soort(2) bsn(9) kenmerk(12) soort voorziening(4) begin(8) einde(8 of
#                   nullen) mutatie(1)
#   03 lks:         soort(2) bsn(9) kenmerk(12) soort voorziening(4) begin(8) einde(8) mutatie(1)
#   99 sluit:       soort(2) aantal records 02+03(9) gestart(9) lopend(9) beëindigd(9)
#                   lks gestart(9) lks lopend(9) lks beëindigd(9)
EOL = "\r\n"
NO_DATE = "00000000"


@lru_cache(maxsize=8192)
def _date_text(value: dt.date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _date(value: dt.date | None) -> str:
    return _date_text(value) if value else NO_DATE


def _num(value: int, width: int) -> str:
    text = str(value)
    if value < 0 or len(text) > width:
        raise ValueError(f"{value} past niet in {width} posities")
    return text.rjust(width, "0")


def _text(value: str, width: int) -> str:
    if len(value) > width:
        raise ValueError(f"'{value}' past niet in {width} posities")
    return value.ljust(width)


def municipality_number(cbs_code: str) -> str:
    """'GM0226' -> '0226' (the file carries the four digits)."""
    digits = cbs_code.upper().removeprefix("GM")
    if len(digits) != 4 or not digits.isdigit():
        raise ValueError(f"Ongeldige CBS-gemeentecode '{cbs_code}'")
    return digits


def header_line(
    *,
    cbs_code: str,
    month: Month,
    created_on: dt.date,
    delivery_number: int,
    corrects_number: int | None,
) -> str:
    return (
        "01"
        + municipality_number(cbs_code)
        + month.label
        + _date(created_on)
        + _num(delivery_number, 8)
        + _num(corrects_number or 0, 8)
        + _text(SOFTWARE, 10)
        + _text(LAYOUT_VERSION, 16)
        + EOL
    )


def record_line(provision: Provision, month: Month) -> str:
    code, key, bsn = provision.code, provision.key, provision.bsn
    if not code or not CODE_PATTERN.match(code):
        raise ValueError(f"Ongeldige SRG-code bij {key}")
    if len(bsn) != 9 or not bsn.isdigit():
        raise ValueError(f"Ongeldig BSN bij {key}")
    if len(key) > 12:
        raise ValueError(f"'{key}' past niet in 12 posities")
    kind = "03" if provision.kind is Kind.LKS else "02"
    start, end = provision.start, provision.end
    move = movement(start, end, month).value
    return f"{kind}{bsn}{key:<12}{code:<4}{_date(start)}{_date(end)}{move}{EOL}"


def trailer_line(counts: Counts) -> str:
    return (
        "99"
        + "".join(
            _num(v, 9)
            for v in (
                counts.records,
                counts.started,
                counts.running,
                counts.ended,
                counts.lks_started,
                counts.lks_running,
                counts.lks_ended,
            )
        )
        + EOL
    )


RECORD_WIDTHS = {"01": 62, "02": 44, "03": 44, "99": 65}
