"""Target-group codes (R-CLI-2), shared by clients, products and KPIs. Pure module.

The clients app keeps the configurable list (names, whether derived, validity) as data; these
codes are the stable keys code refers to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class TargetGroupCode(StrEnum):
    YOUTH = "youth"  # jongeren < 27 on the reference date (derived from date of birth)
    MIGRATION = "migration"  # migratieachtergrond / statushouder
    DISABILITY = "disability"  # arbeidsbeperking (LDR / NBW / LKS)
    CARE = "care"  # zorgklant (ladder 1 and 2a)
    SELF_EMPLOYED = "self_employed"  # zelfstandige (Bbz / Tozo)
    WORK_PERSPECTIVE = "work_perspective"  # perspectief op werk (ladder 2b-5)


TARGET_GROUP_LABELS_NL: dict[TargetGroupCode, str] = {
    TargetGroupCode.YOUTH: "Jongeren (tot 27 jaar)",
    TargetGroupCode.MIGRATION: "Migratieachtergrond / statushouder",
    TargetGroupCode.DISABILITY: "Arbeidsbeperking (LDR/NBW/LKS)",
    TargetGroupCode.CARE: "Zorgklant",
    TargetGroupCode.SELF_EMPLOYED: "Zelfstandige (Bbz/Tozo)",
    TargetGroupCode.WORK_PERSPECTIVE: "Perspectief op werk",
}


# --- Derivation (R-CLI-2): computed from the client's data, never stored ------------------

YOUTH_AGE_LIMIT = 27
SELF_EMPLOYED_BENEFITS = frozenset({"bbz", "tozo"})
WORK_PERSPECTIVE_STEPS = frozenset({"2b", "3", "4", "5"})
CARE_STEPS = frozenset({"1", "2a"})


def age_on(date_of_birth: dt.date, reference: dt.date) -> int:
    """Age in whole years on `reference` (a person born on 29 February turns a year older on
    1 March in non-leap years)."""
    years = reference.year - date_of_birth.year
    if (reference.month, reference.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


@dataclass(frozen=True)
class TargetGroupFacts:
    """The client data target groups are derived from."""

    date_of_birth: dt.date | None
    ladder_step: str | None
    migration_background: bool = False
    ldr_registered: bool = False
    nbw_indication: bool = False
    lks_active: bool = False
    benefit_type: str = ""


def derive_target_groups(
    facts: TargetGroupFacts,
    reference: dt.date,
    enabled: frozenset[TargetGroupCode] | None = None,
) -> frozenset[TargetGroupCode]:
    """R-CLI-2: the target groups a client belongs to on `reference`. `enabled` is the
    configurable list (None = all)."""
    groups: set[TargetGroupCode] = set()
    if facts.date_of_birth and age_on(facts.date_of_birth, reference) < YOUTH_AGE_LIMIT:
        groups.add(TargetGroupCode.YOUTH)
    if facts.migration_background:
        groups.add(TargetGroupCode.MIGRATION)
    if facts.ldr_registered or facts.nbw_indication or facts.lks_active:
        groups.add(TargetGroupCode.DISABILITY)
    if facts.ladder_step in CARE_STEPS:
        groups.add(TargetGroupCode.CARE)
    if facts.benefit_type in SELF_EMPLOYED_BENEFITS:
        groups.add(TargetGroupCode.SELF_EMPLOYED)
    if facts.ladder_step in WORK_PERSPECTIVE_STEPS:
        groups.add(TargetGroupCode.WORK_PERSPECTIVE)
    if enabled is not None:
        groups &= enabled
    return frozenset(groups)


def youth_birth_date_limit(reference: dt.date) -> dt.date:
    """Clients born *after* this date are younger than 27 on `reference` (for queries)."""
    try:
        return reference.replace(year=reference.year - YOUTH_AGE_LIMIT)
    except ValueError:  # 29 February
        return reference.replace(year=reference.year - YOUTH_AGE_LIMIT, day=28)
