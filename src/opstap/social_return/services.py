"""Every state change of social return (R-NET-10) goes through this module.

Keyword-only functions `<thing>_<action>(*, actor, ...)`: each checks who may do it and the
input (values from `rules.py`, facts from the record), writes in one transaction, records a
`SocialReturnEvent` and an audit line (R-SEC-2). Errors are `SocialReturnError` (400, names
the field), `SocialReturnConflict` (409) or a not-found (404) with a Dutch message.

- `block_period_seed`: the building-block table of a period (the Liemers table);
- `agreement_set`: award date, percentage and threshold of a contract;
- `plan_submit`, `plan_decide`: the plan of approach and its assessment (`workflow.py`);
- `block_register` (also pre-filled from a placement), `block_evidence_add`, `block_verify`;
- `year_close`: fixes every provider's obligation of a finished calendar year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log, audit_records_for_request
from opstap.clients.models import Client
from opstap.core.access import can_see, check_perm
from opstap.core.actor import Actor
from opstap.core.dutch import format_percent
from opstap.core.errors import ConflictError
from opstap.core.money import ZERO, format_euro, to_cents
from opstap.core.roles import Perm
from opstap.documents import services as uploads
from opstap.invoices.selectors import approved_year_volumes
from opstap.providers.models import Contract, Provider
from opstap.providers.selectors import is_provider_staff, provider_id_of
from opstap.trajectories.models import Outcome

from . import rules, selectors
from .models import (
    BlockPeriod,
    BlockStatus,
    BuildingBlock,
    PlannedBlock,
    RealisedBlock,
    SocialReturnAgreement,
    SocialReturnEvent,
    SocialReturnPlan,
    YearObligation,
)
from .rules import SocialReturnError
from .selectors import norms_on, terms_by_provider, terms_for_year
from .workflow import PlanAction, PlanState, check_transition

__all__ = [
    "PlannedInput",
    "SocialReturnConflict",
    "SocialReturnError",
    "agreement_set",
    "block_evidence_add",
    "block_period_seed",
    "block_period_update",
    "block_register",
    "block_register_from_placement",
    "block_verify",
    "building_block_update",
    "monitor_shown",
    "plan_decide",
    "plan_submit",
    "year_close",
]

MAX_TEXT = 20_000


class SocialReturnConflict(SocialReturnError, ConflictError):  # noqa: N818 (like its base)
    """The state does not allow this (409)."""


def monitor_shown(
    *,
    request: HttpRequest,
    user: Actor,
    provider_id: int,
    on: dt.date,
    action: AuditAction,
    purpose: str,
    persons_shown: bool = True,
) -> tuple[selectors.ProviderMonitor, list[RealisedBlock]]:
    """One provider's monitor with its blocks (`selectors.provider_monitor_with_blocks`), as
    shown (`READ`: page, API) or handed out (`EXPORT`: the PDF), audited. Blocks about a client
    are data about that client: where their person is shown, each is audited too (R-SEC-2)."""
    monitor, blocks = selectors.provider_monitor_with_blocks(
        user=user, provider_id=provider_id, on=on
    )
    audit_log(
        action=action,
        request=request,
        object_type="social_return_monitor",
        object_id=monitor.provider.pk,
        purpose=purpose,
    )
    if persons_shown:
        audit_records_for_request(
            request,
            action=AuditAction.LIST,
            object_type="social_return_block",
            items=selectors.block_client_items(blocks),
            purpose=purpose,
        )
    return monitor, blocks


def _not_found(what: str) -> SocialReturnError:
    return SocialReturnError(f"{what} is niet gevonden.", code="not_found")


def _same_org(actor: Actor, organisation_id: int) -> None:
    if actor.organisation_id != organisation_id:
        raise _not_found("Deze aanbieder")


def _own_provider(actor: Actor, provider: Provider) -> None:
    """Provider staff act for their own provider only (indistinguishable from absent)."""
    _same_org(actor, provider.organisation_id)
    if not check_perm(actor, Perm.SOCIAL_RETURN_REPORT) or not is_provider_staff(actor):
        raise SocialReturnError(
            "Alleen een medewerker van de aanbieder kan dit doen.", code="forbidden"
        )
    if provider_id_of(actor) != provider.pk:
        raise _not_found("Deze aanbieder")


def _coordinator(actor: Actor, organisation_id: int) -> None:
    _same_org(actor, organisation_id)
    if not check_perm(actor, Perm.SOCIAL_RETURN_COORDINATE):
        raise SocialReturnError(
            "Alleen de social-return-coördinator kan dit doen.", code="forbidden"
        )


def _record(
    *,
    actor: Actor | None,
    provider: Provider,
    action: str,
    description: str,
    object_type: str,
    object_id: object,
    plan: SocialReturnPlan | None = None,
    block: RealisedBlock | None = None,
    remarks: str = "",
    client_id: int | None = None,
    changes: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
    audit_action: AuditAction = AuditAction.UPDATE,
) -> None:
    SocialReturnEvent.objects.create(
        organisation_id=provider.organisation_id,
        provider=provider,
        plan=plan,
        block=block,
        action=action,
        description=description[:300],
        remarks=remarks,
        actor=actor,
        occurred_at=now or timezone.now(),
    )
    audit_log(
        action=audit_action,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        client_id=client_id,
        purpose=f"Social return: {description}"[:200],
        changes=changes,
        organisation_id=provider.organisation_id,
    )


# --- Reference data ---------------------------------------------------------------------------


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
    if actor is not None:
        _same_org(actor, organisation_id)
        if not check_perm(actor, Perm.ADMIN_CONFIGURE):
            raise SocialReturnError("Alleen de beheerder kan dit doen.", code="forbidden")
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
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="social_return_period",
        object_id=period.pk,
        purpose="bouwblokkenmodel",
        organisation_id=organisation_id,
    )
    return period


def _admin(actor: Actor | None, organisation_id: int) -> None:
    if actor is None:
        return
    _same_org(actor, organisation_id)
    if not check_perm(actor, Perm.ADMIN_CONFIGURE):
        raise SocialReturnError("Alleen de beheerder kan dit doen.", code="forbidden")


def _validated(obj: Any) -> None:
    """The model's own checks (field limits, clean()) as a Dutch refusal naming the field."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise SocialReturnError(
            str(errors[0]), field=None if field == "__all__" else field
        ) from exc


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
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="social_return_period",
        object_id=locked.pk,
        purpose="bouwblokkenmodel",
        changes={
            "before": before,
            "after": {"valid_until": str(valid_until), "hours": str(full_time_hours)},
        },
        organisation_id=locked.organisation_id,
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
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="social_return_building_block",
        object_id=locked.pk,
        purpose="bouwblokkenmodel",
        changes={"before": before, "after": {k: str(v) for k, v in values.items()}},
        organisation_id=locked.period.organisation_id,
    )
    return locked


# --- Agreement --------------------------------------------------------------------------------


@transaction.atomic
def agreement_set(
    *,
    actor: Actor | None,
    contract: Contract,
    awarded_on: dt.date,
    percentage: Decimal | None = None,
    threshold: Decimal | None = None,
) -> SocialReturnAgreement:
    """Record (or change) the social-return terms of a contract (R-NET-10)."""
    if actor is not None:
        _same_org(actor, contract.organisation_id)
        if not (
            check_perm(actor, Perm.SOCIAL_RETURN_COORDINATE)
            or check_perm(actor, Perm.PROVIDER_MANAGE)
            or check_perm(actor, Perm.ADMIN_CONFIGURE)
        ):
            raise SocialReturnError(
                "Alleen de coördinator of de contractmanager kan dit doen.", code="forbidden"
            )
    percentage = rules.DEFAULT_PERCENTAGE if percentage is None else percentage
    threshold = rules.DEFAULT_THRESHOLD if threshold is None else to_cents(threshold)
    rules.obligation(ZERO, percentage=percentage, threshold=threshold)  # validates both
    agreement, created = SocialReturnAgreement.objects.update_or_create(
        contract=contract,
        defaults={
            "organisation_id": contract.organisation_id,
            "provider_id": contract.provider_id,
            "awarded_on": awarded_on,
            "percentage": percentage,
            "threshold": threshold,
        },
    )
    _record(
        actor=actor,
        provider=contract.provider,
        action="agreement_set",
        description=(
            f"Social-returnafspraak {'vastgelegd' if created else 'gewijzigd'}: "
            f"{format_percent(percentage, 2)} boven {format_euro(threshold)}."
        ),
        object_type="social_return_agreement",
        object_id=agreement.pk,
        changes={"percentage": str(percentage), "threshold": str(threshold)},
        audit_action=AuditAction.CREATE if created else AuditAction.UPDATE,
    )
    return agreement


# --- Plan of approach -------------------------------------------------------------------------


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
        raise SocialReturnError("Het plan is te lang (maximaal 20.000 tekens).", field="text")
    if not planned:
        raise SocialReturnError("Noem minstens één voorgenomen bouwblok.", field="planned")
    if document is not None:
        try:
            uploads.check_upload(document)
        except uploads.UploadRefusedError as exc:
            raise SocialReturnError(str(exc), field="document") from exc
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


# --- Realised blocks --------------------------------------------------------------------------


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
    if evidence is not None:
        try:
            uploads.check_upload(evidence)
        except uploads.UploadRefusedError as exc:
            raise SocialReturnError(str(exc), field="evidence") from exc
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
        object_type="social_return_block",
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
    try:
        uploads.check_upload(evidence)
    except uploads.UploadRefusedError as exc:
        raise SocialReturnError(str(exc), field="evidence") from exc
    locked.evidence.save(getattr(evidence, "name", None) or "bewijs.pdf", evidence, save=True)
    _record(
        actor=actor,
        provider=locked.provider,
        block=locked,
        action="block_evidence",
        description=f"Bewijsstuk toegevoegd bij '{locked.block_name}'.",
        object_type="social_return_block",
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
        object_type="social_return_block",
        object_id=locked.pk,
        client_id=locked.client_id,
        changes={"status": locked.status},
        now=now,
    )
    return locked


# --- Closing a year ---------------------------------------------------------------------------


@transaction.atomic
def year_close(
    *, actor: Actor, year: int, on: dt.date, now: dt.datetime | None = None
) -> list[YearObligation]:
    """Fix each provider's obligation of a finished calendar year (R-NET-10): the approved
    volume net of credit notes times the percentage of the agreement in force, above its
    threshold. Afterwards later invoices no longer move that year's obligation."""
    organisation_id = actor.organisation_id
    if organisation_id is None:
        raise SocialReturnError("U hoort bij geen organisatie.", code="forbidden")
    _coordinator(actor, organisation_id)
    if on <= dt.date(year, 12, 31):
        raise SocialReturnError(
            f"Het jaar {year} is nog niet voorbij; afsluiten kan vanaf 1 januari {year + 1}.",
            field="year",
        )
    if YearObligation.objects.filter(organisation_id=organisation_id, year=year).exists():
        raise SocialReturnConflict(f"Het jaar {year} is al afgesloten.", field="year")
    volumes = approved_year_volumes(organisation_id=organisation_id, years=[year])
    # Every provider of the organisation: a later invoice dated in the year moves nothing.
    provider_ids = sorted(
        Provider.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True)
    )
    agreements = terms_by_provider(organisation_id, provider_ids)
    providers = Provider.objects.in_bulk(provider_ids)
    now = now or timezone.now()
    closed: list[YearObligation] = []
    for pid in provider_ids:
        terms = terms_for_year(agreements.get(pid, []), year)
        volume = volumes.get((pid, year), ZERO)
        closed.append(
            YearObligation(
                organisation_id=organisation_id,
                provider_id=pid,
                year=year,
                volume_excl=volume,
                percentage=terms.percentage,
                threshold=terms.threshold,
                obligation=rules.obligation(
                    volume, percentage=terms.percentage, threshold=terms.threshold
                ),
                closed_at=now,
                closed_by=actor,
            )
        )
    YearObligation.objects.bulk_create(closed)
    for row in closed:
        _record(
            actor=actor,
            provider=providers[row.provider_id],
            action="year_closed",
            description=f"Jaar {year} afgesloten: verplichting {row.obligation}.",
            object_type="social_return_year",
            object_id=f"{row.provider_id}:{year}",
            now=now,
            audit_action=AuditAction.CREATE,
        )
    return closed
