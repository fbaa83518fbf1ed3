"""The participation ladder (R-LAD-1): step codes shared by clients, products and KPIs.

Pure module: no ORM. The clients app extends this with the rules for what a change implies
(unit, track, growth potential).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from opstap.core.errors import InvalidInputError


class LadderStep(StrEnum):
    """Participatieladder steps (trede). Order of declaration is the order of the ladder."""

    STEP_1 = "1"  # no offer to the labour market now or later (no growth potential)
    STEP_2A = "2a"  # long term, exemption or obstacle, activation not yet possible
    STEP_2B = "2b"  # long term, can follow an activating trajectory now
    STEP_3 = "3"  # at school / studying, not available now
    STEP_4 = "4"  # available within 1 year
    STEP_5 = "5"  # directly available
    STEP_6 = "6"  # paid work (with a sub-status)


LADDER_STEP_LABELS_NL: dict[LadderStep, str] = {
    LadderStep.STEP_1: "1 — Geen aanbod arbeidsmarkt",
    LadderStep.STEP_2A: "2a — Lange termijn, activering nog niet mogelijk",
    LadderStep.STEP_2B: "2b — Lange termijn, activerend traject mogelijk",
    LadderStep.STEP_3: "3 — School / studie",
    LadderStep.STEP_4: "4 — Beschikbaar binnen 1 jaar",
    LadderStep.STEP_5: "5 — Direct beschikbaar",
    LadderStep.STEP_6: "6 — Betaald werk",
}


# --- Rules for what a ladder change implies (R-LAD-1..4) -------------------------------------
# Everything below is pure: mappings are passed in as rows (the clients app reads them from the
# configuration tables valid on the relevant date), so the same functions serve the UI, the
# API, the import and the tests.

LADDER_ORDER: tuple[LadderStep, ...] = tuple(LadderStep)


class LadderSubStatus(StrEnum):
    """Sub-status of step 6 (paid work), R-LAD-1."""

    WITH_GROWTH = "with_growth"  # met groeipotentie
    WITHOUT_GROWTH = "without_growth"  # zonder groeipotentie
    NOT_WORK_READY = "not_work_ready"  # niet werkfit (nog niet bepaald)


SUB_STATUS_LABELS_NL: dict[LadderSubStatus, str] = {
    LadderSubStatus.WITH_GROWTH: "met groeipotentie",
    LadderSubStatus.WITHOUT_GROWTH: "zonder groeipotentie",
    LadderSubStatus.NOT_WORK_READY: "niet werkfit",
}


class UnitCode(StrEnum):
    """Organisational split of the caseload (R-LAD-2)."""

    CARE = "care"  # Zorg & Ondersteuning
    WORK = "work"  # Unit Werk


UNIT_LABELS_NL: dict[UnitCode, str] = {
    UnitCode.CARE: "Zorg & Ondersteuning",
    UnitCode.WORK: "Unit Werk",
}


class TrackCode(StrEnum):
    """Overbetuwe's tracks (spoor, R-LAD-3)."""

    TRACK_1 = "1"
    TRACK_2 = "2"
    TRACK_3 = "3"


TRACK_LABELS_NL: dict[TrackCode, str] = {
    TrackCode.TRACK_1: "Spoor 1",
    TrackCode.TRACK_2: "Spoor 2",
    TrackCode.TRACK_3: "Spoor 3",
}


class RotondeExit(StrEnum):
    """Participatierotonde (R-LAD-4): the exits in the order an outcome is sought."""

    REGULAR = "regular"  # 1 regulier werk
    SUPPORTED = "supported"  # 2 ondersteund werk (garantiebaan met LKS)
    SHELTERED = "sheltered"  # 3 beschut werk
    ACTIVATING = "activating"  # 4 activerend werk / maatschappelijke participatie


ROTONDE_ORDER: tuple[RotondeExit, ...] = tuple(RotondeExit)

ROTONDE_LABELS_NL: dict[RotondeExit, str] = {
    RotondeExit.REGULAR: "1 — Regulier werk",
    RotondeExit.SUPPORTED: "2 — Ondersteund werk (garantiebaan met LKS)",
    RotondeExit.SHELTERED: "3 — Beschut werk",
    RotondeExit.ACTIVATING: "4 — Activerend werk of maatschappelijke participatie",
}


class LadderRuleError(InvalidInputError, ValueError):
    """An invalid ladder position; the message is Dutch and meant for the user."""


@dataclass(frozen=True)
class LadderPosition:
    step: LadderStep
    sub_status: LadderSubStatus | None = None


@dataclass(frozen=True)
class MappingRow:
    """One row of a configurable mapping: (step, sub-status or None = any) → value."""

    step: LadderStep
    sub_status: LadderSubStatus | None
    value: str


def validate_position(step: str, sub_status: str | None) -> LadderPosition:
    """A step and sub-status as entered; a sub-status belongs to step 6 and only there."""
    try:
        ladder_step = LadderStep(step)
    except ValueError as exc:
        raise LadderRuleError(f"Onbekende trede '{step}'.") from exc
    if ladder_step is LadderStep.STEP_6:
        if not sub_status:
            raise LadderRuleError(
                "Kies bij trede 6 een substatus: met groeipotentie, zonder groeipotentie "
                "of niet werkfit."
            )
        try:
            return LadderPosition(ladder_step, LadderSubStatus(sub_status))
        except ValueError as exc:
            raise LadderRuleError(f"Onbekende substatus '{sub_status}'.") from exc
    if sub_status:
        raise LadderRuleError("Een substatus hoort alleen bij trede 6.")
    return LadderPosition(ladder_step, None)


def has_growth_potential(position: LadderPosition) -> bool:
    """R-LAD-1: steps 2b-6 carry growth potential, step 1 (and 2a) not; in step 6 the
    sub-status decides (zonder groeipotentie has none)."""
    if position.step is LadderStep.STEP_6:
        return position.sub_status is not LadderSubStatus.WITHOUT_GROWTH
    return LADDER_ORDER.index(position.step) >= LADDER_ORDER.index(LadderStep.STEP_2B)


def resolve_mapping(rows: Iterable[MappingRow], position: LadderPosition) -> str | None:
    """The value for a position: an exact (step, sub-status) row wins over a step-wide row."""
    generic: str | None = None
    for row in rows:
        if row.step is not position.step:
            continue
        if row.sub_status is None:
            generic = row.value
        elif row.sub_status is position.sub_status:
            return row.value
    return generic


def positions_with_value(rows: Iterable[MappingRow], value: str) -> list[LadderPosition]:
    """All concrete positions a mapping sends to `value` (used to filter lists by unit/track)."""
    row_list = list(rows)
    result: list[LadderPosition] = []
    for step in LADDER_ORDER:
        subs: list[LadderSubStatus | None] = (
            list(LadderSubStatus) if step is LadderStep.STEP_6 else [None]
        )
        for sub in subs:
            position = LadderPosition(step, sub)
            if resolve_mapping(row_list, position) == value:
                result.append(position)
    return result


# Spec defaults, seeded as data by the clients' data migration (configurable afterwards).
DEFAULT_UNIT_MAPPING: tuple[MappingRow, ...] = (
    MappingRow(LadderStep.STEP_1, None, UnitCode.CARE),
    MappingRow(LadderStep.STEP_2A, None, UnitCode.CARE),
    MappingRow(LadderStep.STEP_2B, None, UnitCode.WORK),
    MappingRow(LadderStep.STEP_3, None, UnitCode.WORK),
    MappingRow(LadderStep.STEP_4, None, UnitCode.WORK),
    MappingRow(LadderStep.STEP_5, None, UnitCode.WORK),
    MappingRow(LadderStep.STEP_6, LadderSubStatus.WITH_GROWTH, UnitCode.WORK),
    MappingRow(LadderStep.STEP_6, LadderSubStatus.WITHOUT_GROWTH, UnitCode.CARE),
    MappingRow(LadderStep.STEP_6, LadderSubStatus.NOT_WORK_READY, UnitCode.WORK),
)

DEFAULT_TRACK_MAPPING: tuple[MappingRow, ...] = (
    MappingRow(LadderStep.STEP_1, None, TrackCode.TRACK_3),
    MappingRow(LadderStep.STEP_2A, None, TrackCode.TRACK_3),
    MappingRow(LadderStep.STEP_2B, None, TrackCode.TRACK_3),
    MappingRow(LadderStep.STEP_3, None, TrackCode.TRACK_2),
    MappingRow(LadderStep.STEP_4, None, TrackCode.TRACK_2),
    MappingRow(LadderStep.STEP_5, None, TrackCode.TRACK_1),
    MappingRow(LadderStep.STEP_6, None, TrackCode.TRACK_1),
)


def ladder_target_groups(position: LadderPosition) -> frozenset[str]:
    """Target groups that follow from the ladder alone (R-CLI-2): zorgklant = 1 and 2a,
    perspectief op werk = 2b-5."""
    from .target_groups import TargetGroupCode

    if position.step in (LadderStep.STEP_1, LadderStep.STEP_2A):
        return frozenset({TargetGroupCode.CARE})
    if position.step in (
        LadderStep.STEP_2B,
        LadderStep.STEP_3,
        LadderStep.STEP_4,
        LadderStep.STEP_5,
    ):
        return frozenset({TargetGroupCode.WORK_PERSPECTIVE})
    return frozenset()


@dataclass(frozen=True)
class LadderChangeImplications:
    """What a change of step means: shown to the case manager before saving and written
    into the ladder-change event."""

    growth_before: bool | None
    growth_after: bool
    unit_before: str | None
    unit_after: str | None
    track_before: str | None
    track_after: str | None
    target_groups_added: frozenset[str]
    target_groups_removed: frozenset[str]

    @property
    def unit_changes(self) -> bool:
        return self.unit_before != self.unit_after

    def summary_nl(self) -> str:
        parts: list[str] = []
        if self.unit_changes and self.unit_after:
            label = UNIT_LABELS_NL.get(UnitCode(self.unit_after), self.unit_after)
            parts.append(f"unit wordt {label}")
        if self.track_before != self.track_after and self.track_after:
            parts.append(f"spoor wordt {self.track_after}")
        if self.growth_before != self.growth_after:
            parts.append("met groeipotentie" if self.growth_after else "zonder groeipotentie")
        return "; ".join(parts) or "geen gevolgen voor unit, spoor of groeipotentie"


def implications_of_change(
    before: LadderPosition | None,
    after: LadderPosition,
    *,
    unit_rows: Iterable[MappingRow],
    track_rows: Iterable[MappingRow],
) -> LadderChangeImplications:
    units = list(unit_rows)
    tracks = list(track_rows)
    groups_before = ladder_target_groups(before) if before else frozenset()
    groups_after = ladder_target_groups(after)
    return LadderChangeImplications(
        growth_before=has_growth_potential(before) if before else None,
        growth_after=has_growth_potential(after),
        unit_before=resolve_mapping(units, before) if before else None,
        unit_after=resolve_mapping(units, after),
        track_before=resolve_mapping(tracks, before) if before else None,
        track_after=resolve_mapping(tracks, after),
        target_groups_added=groups_after - groups_before,
        target_groups_removed=groups_before - groups_after,
    )


def next_rotonde_exit(
    tried: Iterable[RotondeExit | str],
) -> RotondeExit | None:
    """R-LAD-4: the first exit of the roundabout not yet tried (None when all were)."""
    done = {RotondeExit(t) for t in tried}
    for exit_ in ROTONDE_ORDER:
        if exit_ not in done:
            return exit_
    return None


def skipped_exits(aimed: RotondeExit, tried: Iterable[RotondeExit | str]) -> list[RotondeExit]:
    """R-LAD-4: exits before `aimed` that were not tried; a case manager must say why."""
    done = {RotondeExit(t) for t in tried}
    return [e for e in ROTONDE_ORDER[: ROTONDE_ORDER.index(aimed)] if e not in done]
