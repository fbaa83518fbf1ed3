"""The plan of approach (annex 'Social Return'): the provider submits a version, the
coordinator approves or returns it (`workflow.py`, R-NET-10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.core.actor import Actor
from opstap.core.dutch import too_long
from opstap.core.money import to_cents
from opstap.providers.models import Provider
from opstap.social_return.models import PlannedBlock, SocialReturnPlan
from opstap.social_return.rules import SocialReturnError
from opstap.social_return.selectors import norms_on
from opstap.social_return.workflow import PlanAction, PlanState, check_transition

from ._common import (
    MAX_TEXT,
    SocialReturnConflict,
    _check_upload,
    _coordinator,
    _own_provider,
    _record,
)


@dataclass(frozen=True)
class PlannedInput:
    block_code: str
    year: int
    count: int
    estimated_value: Decimal | None = None  # None: the norm value times count
    note: str = ""


@transaction.atomic
def plan_submit(
    *,
    actor: Actor,
    provider: Provider,
    text: str,
    planned: list[PlannedInput],
    document: File[Any] | None = None,
    on: dt.date,
    now: dt.datetime | None = None,
) -> SocialReturnPlan:
    """The provider submits (a new version of) its plan of approach (annex 'Social Return')."""
    _own_provider(actor, provider)
    text = (text or "").strip()
    if not text:
        raise SocialReturnError("Beschrijf het plan van aanpak.", field="text")
    if len(text) > MAX_TEXT:
        raise SocialReturnError(too_long("het plan", MAX_TEXT), field="text")
    if not planned:
        raise SocialReturnError("Noem minstens één voorgenomen bouwblok.", field="planned")
    _check_upload(document, field="document")
    Provider.objects.select_for_update().filter(pk=provider.pk).first()  # one version at a time
    versions = SocialReturnPlan.objects.filter(provider=provider)
    if versions.filter(state=PlanState.SUBMITTED.value).exists():
        raise SocialReturnConflict(
            "Er ligt al een plan van aanpak ter beoordeling; wacht op het besluit."
        )
    norms = norms_on(organisation_id=provider.organisation_id, day=on)
    rows: list[PlannedBlock] = []
    for index, item in enumerate(planned):
        norm = norms.blocks.get(item.block_code)
        if norm is None:
            raise SocialReturnError(
                f"Onbekend bouwblok '{item.block_code}'.", field=f"planned[{index}].block_code"
            )
        if item.count < 1 or item.count > 999:
            raise SocialReturnError(
                "Het aantal ligt tussen 1 en 999.", field=f"planned[{index}].count"
            )
        if not on.year - 1 <= item.year <= on.year + 10:
            raise SocialReturnError(
                "Het jaar ligt niet binnen de looptijd.", field=f"planned[{index}].year"
            )
        value = item.estimated_value
        if value is None:
            value = (norm.value_12 or norm.value_6) * item.count
        if value < 0:
            raise SocialReturnError(
                "Een waarde kan niet negatief zijn.", field=f"planned[{index}].estimated_value"
            )
        rows.append(
            PlannedBlock(
                block_code=norm.code,
                block_name=norm.name,
                year=item.year,
                count=item.count,
                estimated_value=to_cents(value),
                note=item.note.strip()[:300],
            )
        )
    version = (versions.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    now = now or timezone.now()
    plan = SocialReturnPlan(
        organisation_id=provider.organisation_id,
        provider=provider,
        version=version,
        text=text,
        submitted_at=now,
        submitted_by=actor,
    )
    if document is not None:
        plan.document.save(getattr(document, "name", None) or "plan.pdf", document, save=False)
    plan.save()
    for row in rows:
        row.plan = plan
    PlannedBlock.objects.bulk_create(rows)
    _record(
        actor=actor,
        provider=provider,
        plan=plan,
        action="plan_submitted",
        description=f"Plan van aanpak versie {version} ingediend.",
        object_type="social_return_plan",
        object_id=plan.pk,
        now=now,
        audit_action=AuditAction.CREATE,
    )
    return plan


@transaction.atomic
def plan_decide(
    *,
    actor: Actor,
    plan: SocialReturnPlan,
    action: PlanAction | str,
    remarks: str = "",
    now: dt.datetime | None = None,
) -> SocialReturnPlan:
    """The coordinator approves the plan or returns it with remarks (R-NET-10)."""
    _coordinator(actor, plan.organisation_id)
    locked = SocialReturnPlan.objects.select_for_update().get(pk=plan.pk)
    check_transition(state=locked.state, action=action, roles=actor.role_codes)
    act = PlanAction(action)
    remarks = (remarks or "").strip()
    if act is PlanAction.RETURN and not remarks:
        raise SocialReturnError("Geef bij terugsturen aan wat er anders moet.", field="remarks")
    now = now or timezone.now()
    locked.state = (PlanState.APPROVED if act is PlanAction.APPROVE else PlanState.RETURNED).value
    locked.decided_at, locked.decided_by, locked.remarks = now, actor, remarks
    locked.save(update_fields=["state", "decided_at", "decided_by", "remarks"])
    word = "goedgekeurd" if act is PlanAction.APPROVE else "teruggestuurd"
    _record(
        actor=actor,
        provider=locked.provider,
        plan=locked,
        action=f"plan_{act.value}",
        description=f"Plan van aanpak versie {locked.version} {word}.",
        remarks=remarks,
        object_type="social_return_plan",
        object_id=locked.pk,
        changes={"state": locked.state},
        now=now,
    )
    return locked
