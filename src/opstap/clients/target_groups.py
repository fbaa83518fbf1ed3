"""Target-group codes (R-CLI-2), shared by clients, products and KPIs. Pure module.

The clients app keeps the configurable list (names, whether derived, validity) as data; these
codes are the stable keys code refers to.
"""

from __future__ import annotations

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
