"""The steering KPIs of the councils' assignment (R-KPI-1..7) as pure, typed formulas.

No ORM here: the selectors gather counts with aggregated SQL and hand them to these functions,
which compute realisation, target, status and growth. The definitions (codes, rule ids,
default targets of the 2021-2023 assignment, extended to 2026) are data; an organisation's
own targets per year (`KpiTarget` rows) replace the defaults (configurable, spec section 8).

Status rules (documented in docs/kpis.md):

- *count* targets (R-KPI-2, R-KPI-3 and its two sub-targets) are yearly flows: met when the
  realisation reaches the target; during the year "on track" when it reaches the target times
  the elapsed fraction of the year; otherwise behind.
- *growth* targets (R-KPI-7) follow the same rule on the growth percentage.
- *share* (R-KPI-1, -4, -5) and *score* (R-KPI-6) targets are a state: met or behind.
- no denominator (no clients in the population, no decided placement, no survey) gives
  "no data"; no target for the year gives "no target".
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from opstap.core.money import round_half_up

__all__ = [
    "ACTIVITY_WINDOW_MONTHS_DEFAULT",
    "CARE_GUIDANCE_STEPS",
    "DEFINITIONS",
    "DOCUMENTED_ACTIVITY_KINDS",
    "SLUGS_NL",
    "SURVEY_STATES",
    "WORK_GUIDANCE_STEPS",
    "KpiCode",
    "KpiCounts",
    "KpiDefinition",
    "KpiKind",
    "KpiResult",
    "Status",
    "code_for_slug",
    "default_target",
    "definition",
    "elapsed_fraction",
    "evaluate",
    "expected_so_far",
    "growth_pct",
    "measurement_date",
    "month_ends",
    "months_back",
    "share_pct",
    "status_of",
    "survey_open_for",
    "weighted_score",
    "year_has_begun",
    "year_not_begun_text",
]

#: R-KPI-1: "activity in the last 3 months" (configurable per organisation, `KpiSettings`).
ACTIVITY_WINDOW_MONTHS_DEFAULT = 3
#: R-KPI-1 population: clients with growth potential who are not working (steps 2b-5).
WORK_GUIDANCE_STEPS: tuple[str, ...] = ("2b", "3", "4", "5")
#: R-KPI-5 population: clients on steps 1 and 2a.
CARE_GUIDANCE_STEPS: tuple[str, ...] = ("1", "2a")
#: Client-timeline kinds that count as an activity documented by the case manager (R-KPI-1):
#: agreements, ladder changes, handovers, custom-budget decisions, trajectory steps and other
#: notes. Data changes ("updated"), creation and imports are administration, not guidance.
DOCUMENTED_ACTIVITY_KINDS: tuple[str, ...] = (
    "agreement",
    "ladder",
    "handover",
    "budget",
    "trajectory",
    "other",
)

HUNDRED = Decimal(100)


class KpiKind(StrEnum):
    SHARE = "share"  # percentage of a population (numerator / denominator)
    COUNT = "count"  # number of clients in the year (a flow)
    SCORE = "score"  # a mark out of 10
    GROWTH = "growth"  # growth in % against the end of the previous year


class KpiCode(StrEnum):
    ACTIVE_GUIDANCE_WORK = "active-guidance-work"  # R-KPI-1
    WERKFIT = "werkfit"  # R-KPI-2
    PLACEMENTS = "placements"  # R-KPI-3
    PLACEMENTS_LDR_NBW = "placements-ldr-nbw"  # R-KPI-3 (at least 40 from LDR/NBW)
    PLACEMENTS_AMR = "placements-amr"  # R-KPI-3 (at least 20 via AMR trajectories)
    DURABLE_PLACEMENTS = "durable-placements"  # R-KPI-4
    ACTIVE_GUIDANCE_CARE = "active-guidance-care"  # R-KPI-5
    SATISFACTION = "satisfaction"  # R-KPI-6
    LKS_GROWTH = "lks-growth"  # R-KPI-7


#: The KPI pages' addresses (`/sturing/kpi/<slug>/`), which users see: Dutch, short, derived
#: from the Dutch names and stable (bookmarks). The codes above stay the identifiers of the
#: data and the API; the English codes as addresses redirect here (301, `views.detail`).
SLUGS_NL: dict[KpiCode, str] = {
    KpiCode.ACTIVE_GUIDANCE_WORK: "actieve-begeleiding-naar-werk",
    KpiCode.WERKFIT: "werkfit",
    KpiCode.PLACEMENTS: "plaatsingen",
    KpiCode.PLACEMENTS_LDR_NBW: "plaatsingen-doelgroepregister-nbw",
    KpiCode.PLACEMENTS_AMR: "plaatsingen-arbeidsmarktregio",
    KpiCode.DURABLE_PLACEMENTS: "duurzame-plaatsingen",
    KpiCode.ACTIVE_GUIDANCE_CARE: "actieve-begeleiding-naar-participatie",
    KpiCode.SATISFACTION: "klanttevredenheid",
    KpiCode.LKS_GROWTH: "groei-loonkostensubsidie",
}
_BY_SLUG: dict[str, KpiCode] = {slug: code for code, slug in SLUGS_NL.items()}


def code_for_slug(slug: str) -> KpiCode | None:
    """The KPI whose Dutch address is `slug`, or None."""
    return _BY_SLUG.get(slug)


class Status(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_DATA = "no_data"
    NO_TARGET = "no_target"

    @property
    def label(self) -> str:
        return {
            Status.MET: "Gehaald",
            Status.ON_TRACK: "Op koers",
            Status.BEHIND: "Achter op doel",
            Status.NO_DATA: "Geen gegevens",
            Status.NO_TARGET: "Geen doel vastgesteld",
        }[self]


@dataclass(frozen=True, slots=True)
class KpiDefinition:
    code: KpiCode
    rule: str
    kind: KpiKind
    title: str  # Dutch, for cards and exports
    description: str  # Dutch: what is counted
    default_target: Decimal
    first_year: int
    last_year: int
    numerator_label: str = "Aantal"
    denominator_label: str = ""

    @property
    def unit_suffix(self) -> str:
        return "%" if self.kind in (KpiKind.SHARE, KpiKind.GROWTH) else ""


DEFINITIONS: tuple[KpiDefinition, ...] = (
    KpiDefinition(
        KpiCode.ACTIVE_GUIDANCE_WORK,
        "R-KPI-1",
        KpiKind.SHARE,
        "Actief begeleid naar werk (trede 2b-5)",
        "Klanten op trede 2b-5 met een lopend traject of een door hun klantmanager "
        "vastgelegde activiteit in de laatste maanden.",
        Decimal(100),
        2021,
        2026,
        numerator_label="Actief begeleid",
        denominator_label="Klanten trede 2b-5",
    ),
    KpiDefinition(
        KpiCode.WERKFIT,
        "R-KPI-2",
        KpiKind.COUNT,
        "Werkfit gemaakt",
        "Klanten met een trajectresultaat 'werkfit' in het jaar.",
        Decimal(200),
        2021,
        2026,
        numerator_label="Werkfit",
    ),
    KpiDefinition(
        KpiCode.PLACEMENTS,
        "R-KPI-3",
        KpiKind.COUNT,
        "Geplaatst in werk of opleiding",
        "Klanten geplaatst in werk, opleiding, eigen bedrijf of beroep in het jaar.",
        Decimal(305),
        2021,
        2026,
        numerator_label="Geplaatst",
    ),
    KpiDefinition(
        KpiCode.PLACEMENTS_LDR_NBW,
        "R-KPI-3",
        KpiKind.COUNT,
        "Plaatsingen uit doelgroepregister / NBW",
        "Plaatsingen van klanten in het doelgroepregister of met een NBW-indicatie.",
        Decimal(40),
        2021,
        2026,
        numerator_label="Geplaatst (LDR/NBW)",
    ),
    KpiDefinition(
        KpiCode.PLACEMENTS_AMR,
        "R-KPI-3",
        KpiKind.COUNT,
        "Plaatsingen via arbeidsmarktregio",
        "Plaatsingen uit trajecten bij aanbieders van de arbeidsmarktregio (AMR/WSP).",
        Decimal(20),
        2021,
        2026,
        numerator_label="Geplaatst via AMR",
    ),
    KpiDefinition(
        KpiCode.DURABLE_PLACEMENTS,
        "R-KPI-4",
        KpiKind.SHARE,
        "Duurzame plaatsingen (> 6 maanden)",
        "Plaatsingen waarvan de duurzaamheid in het jaar is beoordeeld: aandeel dat langer "
        "dan 6 maanden duurde.",
        Decimal(80),
        2021,
        2026,
        numerator_label="Duurzaam",
        denominator_label="Beoordeelde plaatsingen",
    ),
    KpiDefinition(
        KpiCode.ACTIVE_GUIDANCE_CARE,
        "R-KPI-5",
        KpiKind.SHARE,
        "Actief begeleid naar participatie of zorg (trede 1-2a)",
        "Klanten op trede 1 en 2a met een lopend traject of een door hun klantmanager "
        "vastgelegde activiteit in de laatste maanden.",
        Decimal(15),
        2021,
        2026,
        numerator_label="Actief begeleid",
        denominator_label="Klanten trede 1-2a",
    ),
    KpiDefinition(
        KpiCode.SATISFACTION,
        "R-KPI-6",
        KpiKind.SCORE,
        "Klanttevredenheid",
        "Rapportcijfer uit de klantbelevingsonderzoeken van het jaar (gewogen naar respondenten).",
        Decimal("8.0"),
        2021,
        2026,
        numerator_label="Respondenten",
    ),
    KpiDefinition(
        KpiCode.LKS_GROWTH,
        "R-KPI-7",
        KpiKind.GROWTH,
        "Groei aantal werkenden met loonkostensubsidie",
        "Klanten die werken met loonkostensubsidie, vergeleken met eind vorig jaar.",
        Decimal(10),
        2024,
        2026,
        numerator_label="Werkend met LKS",
        denominator_label="Eind vorig jaar",
    ),
)

_BY_CODE: dict[KpiCode, KpiDefinition] = {d.code: d for d in DEFINITIONS}


def definition(code: KpiCode | str) -> KpiDefinition:
    """The definition of a KPI; `KeyError`/`ValueError` for an unknown code."""
    return _BY_CODE[KpiCode(code)]


def default_target(code: KpiCode | str, year: int) -> Decimal | None:
    """The spec's default target for `year`, or None outside the years it covers."""
    d = definition(code)
    return d.default_target if d.first_year <= year <= d.last_year else None


# --- Dates ----------------------------------------------------------------------------------


def measurement_date(year: int, today: dt.date) -> dt.date:
    """The day a year is measured on: today during the year, 31 December afterwards (and
    1 January for a year that has not started)."""
    end = dt.date(year, 12, 31)
    start = dt.date(year, 1, 1)
    return max(start, min(today, end))


def year_has_begun(year: int, today: dt.date) -> bool:
    """Whether `year` can be reported on `today`: it has begun (1 January has come). A year
    that has not begun has targets (they are set ahead) but no figures: measured on 1 January
    they would read as a realisation dated in the future."""
    return today >= dt.date(year, 1, 1)


def year_not_begun_text(year: int) -> str:
    """What the pages and the report say of a year that has not begun (Dutch)."""
    return (
        f"Het jaar {year} is nog niet begonnen: er zijn nog geen cijfers. U ziet alleen de doelen."
    )


def elapsed_fraction(year: int, today: dt.date) -> Decimal:
    """Fraction of `year` that has passed on `today` (0 before, 1 after; day-exact)."""
    start = dt.date(year, 1, 1)
    end = dt.date(year, 12, 31)
    if today < start:
        return Decimal(0)
    if today >= end:
        return Decimal(1)
    days = 366 if calendar.isleap(year) else 365
    return Decimal((today - start).days + 1) / Decimal(days)


def months_back(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (clamped to the month's last day)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_ends(on: dt.date, count: int = 12) -> tuple[dt.date, ...]:
    """The last day of each of the `count` months up to and including `on`'s month, oldest
    first; the current month ends on `on` itself."""
    result: list[dt.date] = []
    for back in range(count - 1, -1, -1):
        first = months_back(on.replace(day=1), back)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        result.append(min(last, on))
    return tuple(result)


# --- Formulas -------------------------------------------------------------------------------


def share_pct(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator in percent, one decimal; None without a denominator."""
    if numerator < 0 or denominator < 0:
        raise ValueError("Aantallen kunnen niet negatief zijn.")
    if denominator == 0:
        return None
    return round_half_up(HUNDRED * numerator / Decimal(denominator), 1)


def growth_pct(current: int, baseline: int) -> Decimal | None:
    """Growth of `current` against `baseline` in percent (R-KPI-7); None when the baseline is
    zero (growth from nothing is not a percentage)."""
    if current < 0 or baseline < 0:
        raise ValueError("Aantallen kunnen niet negatief zijn.")
    if baseline == 0:
        return None
    return round_half_up(HUNDRED * (current - baseline) / Decimal(baseline), 1)


def weighted_score(waves: list[tuple[Decimal, int]]) -> Decimal | None:
    """The mean score of survey waves weighted by their respondents (R-KPI-6), one decimal;
    None without respondents."""
    respondents = sum(n for _score, n in waves)
    if any(n < 0 for _score, n in waves):
        raise ValueError("Het aantal respondenten kan niet negatief zijn.")
    if respondents == 0:
        return None
    total = sum((score * n for score, n in waves), Decimal(0))
    return round_half_up(total / respondents, 1)


def expected_so_far(kind: KpiKind, target: Decimal, elapsed: Decimal) -> Decimal:
    """What a yearly flow (count, growth) should have reached by now: target times elapsed.
    Shares and scores are states: their target applies at any moment."""
    if kind in (KpiKind.COUNT, KpiKind.GROWTH):
        return round_half_up(target * elapsed, 1)
    return target


def status_of(
    kind: KpiKind, *, realised: Decimal | None, target: Decimal | None, elapsed: Decimal
) -> Status:
    """Met / on track / behind (see the module docstring)."""
    if target is None:
        return Status.NO_TARGET
    if realised is None:
        return Status.NO_DATA
    if realised >= target:
        return Status.MET
    if (
        kind in (KpiKind.COUNT, KpiKind.GROWTH)
        and elapsed < 1
        and realised >= expected_so_far(kind, target, elapsed)
    ):
        return Status.ON_TRACK
    return Status.BEHIND


@dataclass(frozen=True, slots=True)
class KpiCounts:
    """What the selectors measured for one KPI.

    share: numerator of denominator; count: numerator; growth: numerator now, denominator at
    the end of the previous year; score: `score` with numerator = respondents."""

    numerator: int
    denominator: int | None = None
    score: Decimal | None = None


@dataclass(frozen=True, slots=True)
class KpiResult:
    definition: KpiDefinition
    counts: KpiCounts
    realised: Decimal | None
    target: Decimal | None
    expected: Decimal | None
    status: Status

    @property
    def code(self) -> KpiCode:
        return self.definition.code


def realisation(kind: KpiKind, counts: KpiCounts) -> Decimal | None:
    if kind is KpiKind.SHARE:
        return share_pct(counts.numerator, counts.denominator or 0)
    if kind is KpiKind.GROWTH:
        return growth_pct(counts.numerator, counts.denominator or 0)
    if kind is KpiKind.SCORE:
        return counts.score
    return Decimal(counts.numerator)


def evaluate(
    d: KpiDefinition, counts: KpiCounts, *, target: Decimal | None, elapsed: Decimal
) -> KpiResult:
    """Realisation, target and status of one KPI."""
    realised = realisation(d.kind, counts)
    return KpiResult(
        definition=d,
        counts=counts,
        realised=realised,
        target=target,
        expected=None if target is None else expected_so_far(d.kind, target, elapsed),
        status=status_of(d.kind, realised=realised, target=target, elapsed=elapsed),
    )


#: R-KPI-6 in the portal: after these states a resident is asked once how satisfied they were
#: with the trajectory (ended, reported on, or handed over).
#: (The workflow's ended states plus the two after the final report; a test keeps this in step
#: with `trajectories.workflow.ENDED_STATES`.)
SURVEY_STATES: frozenset[str] = frozenset(
    {
        "completed",
        "terminated_early",
        "returned",
        "not_started_after_klikgesprek",
        "not_started_after_intake",
        "final_report_received",
        "handed_over",
    }
)


def survey_open_for(state: str) -> bool:
    """May a trajectory in `state` be rated by its client (R-KPI-6)?"""
    return state in SURVEY_STATES
