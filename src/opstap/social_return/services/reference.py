"""The building-block table of R-NET-10 as reference data: a period seeded with the Liemers
table, its name, end and full-time norm, and one row of the table (administrator only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.actor import Actor
from opstap.core.audit_names import object_type_for
from opstap.social_return import rules
from opstap.social_return.models import BlockPeriod, BuildingBlock
from opstap.social_return.rules import SocialReturnError

from ._common import (
    SocialReturnConflict,
    _admin,
    _validated,
)


def _audited(
    action: AuditAction,
    *,
    actor: Actor | None,
    object_type: str,
    object_id: int,
    organisation_id: int,
    before: dict[str, str] | None = None,
    after: dict[str, str] | None = None,
) -> None:
    """The audit line of a change to the building-block model (reference data, R-SEC-2)."""
    audit_log(
        action=action,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        purpose="bouwblokkenmodel",
        changes=None if before is None else {"before": before, "after": after},
        organisation_id=organisation_id,
    )


@transaction.atomic
def block_period_seed(
    *,
    actor: Actor | None,
    organisation_id: int,
    name: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    full_time_hours: Decimal = rules.DEFAULT_FULL_TIME_HOURS,
) -> BlockPeriod:
    """A period with the building-block table of R-NET-10 (editable afterwards in the
    administration). `actor` None is the system (demo, installation)."""
    _admin(actor, organisation_id)
    if valid_until is not None and valid_until < valid_from:
        raise SocialReturnError("De einddatum ligt voor de begindatum.", field="valid_until")
    if BlockPeriod.objects.filter(organisation_id=organisation_id, valid_from=valid_from).exists():
        raise SocialReturnConflict("Er begint al een periode op die datum.", field="valid_from")
    period = BlockPeriod.objects.create(
        organisation_id=organisation_id,
        name=name.strip() or "Bouwblokken",
        valid_from=valid_from,
        valid_until=valid_until,
        full_time_hours=full_time_hours,
    )
    BuildingBlock.objects.bulk_create(
        BuildingBlock(
            period=period,
            code=norm.code,
            name=norm.name,
            kind=norm.kind.value,
            value_6=norm.value_6,
            validity_6_months=norm.validity_6_months,
            value_12=norm.value_12,
            validity_12_months=norm.validity_12_months,
            pro_rata_hours=norm.pro_rata_hours,
            must_combine=norm.must_combine,
            supports_youth=norm.supports_youth,
        )
        for norm in rules.LIEMERS_BLOCKS
    )
    _audited(
        AuditAction.CREATE,
        actor=actor,
        object_type=object_type_for(BlockPeriod),
        object_id=period.pk,
        organisation_id=organisation_id,
    )
    return period


@transaction.atomic
def block_period_update(
    *,
    actor: Actor | None,
    period: BlockPeriod,
    name: str,
    valid_until: dt.date | None,
    full_time_hours: Decimal,
) -> BlockPeriod:
    """Change a period's name, end or full-time norm (reference data, R-NET-10)."""
    _admin(actor, period.organisation_id)
    locked = BlockPeriod.objects.select_for_update().get(pk=period.pk)
    before = {"valid_until": str(locked.valid_until), "hours": str(locked.full_time_hours)}
    locked.name, locked.valid_until, locked.full_time_hours = name, valid_until, full_time_hours
    _validated(locked)
    locked.save()
    _audited(
        AuditAction.UPDATE,
        actor=actor,
        object_type=object_type_for(BlockPeriod),
        object_id=locked.pk,
        organisation_id=locked.organisation_id,
        before=before,
        after={"valid_until": str(valid_until), "hours": str(full_time_hours)},
    )
    return locked


BLOCK_FIELDS = (
    "name",
    "value_6",
    "validity_6_months",
    "value_12",
    "validity_12_months",
    "pro_rata_hours",
    "must_combine",
    "supports_youth",
)


@transaction.atomic
def building_block_update(
    *, actor: Actor | None, block: BuildingBlock, values: dict[str, Any]
) -> BuildingBlock:
    """Change one row of a period's building-block table, validated like the table of
    R-NET-10 (an employment block has both norms, an alternative one). Blocks realised
    earlier keep the value they were registered with."""
    _admin(actor, block.period.organisation_id)
    unknown = set(values) - set(BLOCK_FIELDS)
    if unknown:
        raise SocialReturnError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    locked = BuildingBlock.objects.select_for_update().select_related("period").get(pk=block.pk)
    before = {name: str(getattr(locked, name)) for name in values}
    for name, value in values.items():
        setattr(locked, name, value)
    _validated(locked)
    locked.save()
    _audited(
        AuditAction.UPDATE,
        actor=actor,
        object_type=object_type_for(BuildingBlock),
        object_id=locked.pk,
        organisation_id=locked.period.organisation_id,
        before=before,
        after={k: str(v) for k, v in values.items()},
    )
    return locked
