"""Contracts with a provider: create, extend, end (R-NET-3)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from opstap.accounts.models import User
from opstap.providers.models import Contract, ContractExtension, ContractStatus, Provider
from opstap.providers.rules import contracts as contract_rules

from ._common import ProviderError, _event, _require_same_org

__all__ = ["contract_create", "contract_end", "contract_extend"]


# --- Contracts (R-NET-3) --------------------------------------------------------------------


@transaction.atomic
def contract_create(
    *,
    actor: User | None,
    provider: Provider,
    reference: str,
    start_date: dt.date,
    terms_granted: int = 1,
) -> Contract:
    reference = reference.strip()
    if not reference:
        raise ProviderError("Een contract heeft een kenmerk nodig.")
    if not 1 <= terms_granted <= contract_rules.MAX_TERMS:
        raise ProviderError("Een contract kent 1 tot en met 4 termijnen (1+1+1+1 jaar).")
    if Contract.objects.filter(provider=provider, status=ContractStatus.ACTIVE).exists():
        raise ProviderError(f"{provider.name} heeft al een lopende raamovereenkomst.")
    if Contract.objects.filter(
        organisation_id=provider.organisation_id, reference=reference
    ).exists():
        raise ProviderError(f"Kenmerk '{reference}' is al in gebruik.")
    contract = Contract.objects.create(
        organisation_id=provider.organisation_id,
        provider=provider,
        reference=reference,
        start_date=start_date,
        terms_granted=terms_granted,
        end_date=contract_rules.contract_end(start_date, terms_granted),
    )
    _event(
        provider=provider,
        actor=actor,
        kind="contract_created",
        description=f"Raamovereenkomst {reference} vanaf {start_date:%d-%m-%Y}.",
    )
    return contract


@transaction.atomic
def contract_extend(
    *,
    actor: User,
    contract: Contract,
    decided_on: dt.date,
    provider_consent: bool,
    organisation_consent: bool,
    note: str = "",
) -> ContractExtension:
    """Record an extension by mutual consent, at the latest 2 months before the term ends."""
    _require_same_org(actor, contract.organisation_id)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.ACTIVE:
        raise ProviderError("Een beëindigd contract kan niet worden verlengd.")
    try:
        new_term = contract_rules.check_extension(
            start=contract.start_date,
            terms_granted=contract.terms_granted,
            on=decided_on,
            provider_consent=provider_consent,
            organisation_consent=organisation_consent,
        )
    except contract_rules.ContractRuleError as exc:
        raise ProviderError(str(exc), field=exc.field) from exc
    extension = ContractExtension.objects.create(
        contract=contract,
        term_number=new_term.number,
        new_end_date=new_term.end,
        decided_on=decided_on,
        provider_consent=provider_consent,
        organisation_consent=organisation_consent,
        note=note.strip(),
        recorded_by=actor,
    )
    contract.terms_granted = new_term.number
    contract.end_date = new_term.end
    contract.save(update_fields=["terms_granted", "end_date"])
    _event(
        provider=contract.provider,
        actor=actor,
        kind="contract_extended",
        description=f"Contract {contract.reference} verlengd tot {new_term.end:%d-%m-%Y}.",
        data={"term": new_term.number},
    )
    return extension


@transaction.atomic
def contract_end(
    *, actor: User | None, contract: Contract, ended_on: dt.date, reason: str
) -> Contract:
    """End a contract; the row and its extensions stay as history."""
    if not reason.strip():
        raise ProviderError("Geef de reden van beëindiging op.")
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status == ContractStatus.ENDED:
        raise ProviderError("Dit contract is al beëindigd.")
    contract.status = ContractStatus.ENDED
    contract.ended_on = ended_on
    contract.end_reason = reason.strip()
    contract.end_date = min(contract.end_date, ended_on)
    contract.save(update_fields=["status", "ended_on", "end_reason", "end_date"])
    _event(
        provider=contract.provider,
        actor=actor,
        kind="contract_ended",
        description=f"Contract {contract.reference} beëindigd: {reason}",
    )
    return contract
