"""Realised building blocks (R-NET-10): registered by provider staff (also pre-filled from
a placement), evidence added, verified or rejected by the coordinator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.clients.models import Client
from opstap.core.access import can_see
from opstap.core.actor import Actor
from opstap.core.audit_names import object_type_for
from opstap.providers.models import Provider
from opstap.social_return import rules
from opstap.social_return.models import BlockStatus, RealisedBlock
from opstap.social_return.rules import SocialReturnError
from opstap.social_return.selectors import norms_on
from opstap.trajectories.models import Outcome

from ._common import (
    SocialReturnConflict,
    _check_upload,
    _coordinator,
    _own_provider,
    _record,
)


@transaction.atomic
def block_register(
    *,
    actor: Actor,
    provider: Provider,
    block_code: str,
    start_date: dt.date,
    on: dt.date,
    hours_per_week: Decimal | None = None,
    contract_months: int | None = None,
    client: Client | None = None,
    external_person: str = "",
    evidence: File[Any] | None = None,
    outcome: Outcome | None = None,
    now: dt.datetime | None = None,
) -> RealisedBlock:
    """Provider staff record a realised block (R-NET-10): a client of ours (within their
    clients scope) or an external person with only initials/name or an own reference."""
    _own_provider(actor, provider)
    external_person = " ".join((external_person or "").split())
    if client is not None and external_person:
        raise SocialReturnError(
            "Kies een klant of een externe persoon, niet allebei.", field="external_person"
        )
    if client is None and not external_person:
        raise SocialReturnError(
            "Geef aan om wie het gaat: een klant of een externe persoon.",
            field="external_person",
        )
    if len(external_person) > 100:
        raise SocialReturnError("Houd het kort (maximaal 100 tekens).", field="external_person")
    if client is not None and (
        client.organisation_id != provider.organisation_id or not can_see(actor, client)
    ):
        raise SocialReturnError("Deze klant is niet gevonden.", field="client", code="not_found")
    if start_date > on:
        raise SocialReturnError(
            "Een gerealiseerd bouwblok start niet in de toekomst.", field="start_date"
        )
    if start_date < dt.date(on.year - 10, 1, 1):
        raise SocialReturnError("Deze startdatum ligt te ver terug.", field="start_date")
    norms = norms_on(organisation_id=provider.organisation_id, day=start_date)
    norm = norms.blocks.get(block_code)
    if norm is None:
        raise SocialReturnError(f"Onbekend bouwblok '{block_code}'.", field="block_code")
    if norm.kind is not rules.BlockKind.EMPLOYMENT:
        contract_months = None
    if not norm.pro_rata_hours:
        hours_per_week = None
    value = rules.block_value(
        norm,
        start=start_date,
        contract_months=contract_months,
        hours_per_week=hours_per_week,
        full_time_hours=norms.full_time_hours,
    )
    _check_upload(evidence, field="evidence")
    now = now or timezone.now()
    block = RealisedBlock(
        organisation_id=provider.organisation_id,
        provider=provider,
        client=client,
        external_person=external_person,
        outcome=outcome,
        block_code=norm.code,
        block_name=norm.name,
        must_combine=norm.must_combine,
        supports_youth=norm.supports_youth,
        start_date=start_date,
        hours_per_week=hours_per_week,
        contract_months=contract_months,
        value=value.value,
        validity_months=value.validity_months,
        registered_by=actor,
        registered_at=now,
    )
    if evidence is not None:
        block.evidence.save(getattr(evidence, "name", None) or "bewijs.pdf", evidence, save=False)
    try:
        with transaction.atomic():
            block.save()
    except IntegrityError as exc:
        raise SocialReturnConflict(
            "Deze plaatsing is al als bouwblok geregistreerd.", field="outcome"
        ) from exc
    _record(
        actor=actor,
        provider=provider,
        block=block,
        action="block_registered",
        description=f"Bouwblok '{norm.name}' geregistreerd (start {start_date:%d-%m-%Y}).",
        object_type=object_type_for(RealisedBlock),
        object_id=block.pk,
        client_id=block.client_id,
        now=now,
        audit_action=AuditAction.CREATE,
    )
    return block


def block_register_from_placement(
    *,
    actor: Actor,
    outcome: Outcome,
    block_code: str,
    on: dt.date,
    evidence: File[Any] | None = None,
    now: dt.datetime | None = None,
) -> RealisedBlock:
    """A placement of our client by this provider (R-TRJ-7) as a block: client, start,
    hours and contract duration come from the recorded outcome, not typed again."""
    trajectory = outcome.trajectory
    if not can_see(actor, outcome) or outcome.placement_start is None:
        raise SocialReturnError(
            "Deze plaatsing is niet gevonden.", field="outcome", code="not_found"
        )
    return block_register(
        actor=actor,
        provider=trajectory.provider,
        block_code=block_code,
        start_date=outcome.placement_start,
        hours_per_week=outcome.hours_per_week,
        contract_months=outcome.contract_months or 12,
        client=trajectory.client,
        evidence=evidence,
        outcome=outcome,
        on=on,
        now=now,
    )


@transaction.atomic
def block_evidence_add(
    *, actor: Actor, block: RealisedBlock, evidence: File[Any], now: dt.datetime | None = None
) -> RealisedBlock:
    """Add or replace the evidence of a block not yet verified (the upload rule)."""
    _own_provider(actor, block.provider)
    locked = RealisedBlock.objects.select_for_update().get(pk=block.pk)
    if locked.status != BlockStatus.REGISTERED:
        raise SocialReturnConflict("Een beoordeeld bouwblok wijzigt niet meer.")
    _check_upload(evidence, field="evidence")
    locked.evidence.save(getattr(evidence, "name", None) or "bewijs.pdf", evidence, save=True)
    _record(
        actor=actor,
        provider=locked.provider,
        block=locked,
        action="block_evidence",
        description=f"Bewijsstuk toegevoegd bij '{locked.block_name}'.",
        object_type=object_type_for(RealisedBlock),
        object_id=locked.pk,
        client_id=locked.client_id,
        now=now,
    )
    return locked


@transaction.atomic
def block_verify(
    *,
    actor: Actor,
    block: RealisedBlock,
    approve: bool,
    remarks: str = "",
    now: dt.datetime | None = None,
) -> RealisedBlock:
    """The coordinator verifies a block against its evidence, or rejects it with remarks."""
    _coordinator(actor, block.organisation_id)
    locked = RealisedBlock.objects.select_for_update().get(pk=block.pk)
    if locked.status != BlockStatus.REGISTERED:
        raise SocialReturnConflict("Dit bouwblok is al beoordeeld.")
    remarks = (remarks or "").strip()
    if approve and not locked.evidence:
        raise SocialReturnError(
            "Zonder bewijsstuk kan het bouwblok niet worden geverifieerd.", field="evidence"
        )
    if not approve and not remarks:
        raise SocialReturnError("Geef bij afkeuren de reden.", field="remarks")
    now = now or timezone.now()
    locked.status = BlockStatus.VERIFIED if approve else BlockStatus.REJECTED
    locked.verified_by, locked.verified_at, locked.verification_remarks = actor, now, remarks
    locked.save(update_fields=["status", "verified_by", "verified_at", "verification_remarks"])
    _record(
        actor=actor,
        provider=locked.provider,
        block=locked,
        action="block_verified" if approve else "block_rejected",
        description=(
            f"Bouwblok '{locked.block_name}' {'geverifieerd' if approve else 'afgekeurd'}."
        ),
        remarks=remarks,
        object_type=object_type_for(RealisedBlock),
        object_id=locked.pk,
        client_id=locked.client_id,
        changes={"status": locked.status},
        now=now,
    )
    return locked
