"""Providers' bank accounts: propose, confirm (by a second person) or reject (issue 16,
SEPA credit transfer). Every step is audited and recorded on the provider's timeline; the
IBAN is checked by `providers.rules.bank_accounts` (schwifty)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from opstap.accounts.models import User
from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.errors import ConflictError, PermissionDeniedError
from opstap.core.roles import Perm
from opstap.providers.models import BankAccountStatus, Provider, ProviderBankAccount
from opstap.providers.rules import bank_accounts as rules

from ._common import ProviderError, _event, _require_same_org

__all__ = ["bank_account_confirm", "bank_account_propose", "bank_account_reject"]


class BankAccountConflictError(ConflictError):
    """The change was decided meanwhile (a lost race) or another one is pending."""


def _require_right(actor: User) -> None:
    if not actor.has_opstap_perm(Perm.BANK_ACCOUNT_MANAGE):
        raise PermissionDeniedError("U mag bankrekeningen van aanbieders niet wijzigen.")


def _audit(actor: User, account: ProviderBankAccount, action: AuditAction, purpose: str) -> None:
    audit_log(
        action=action,
        actor=actor,
        object_type="provider_bank_account",
        object_id=account.pk,
        purpose=purpose,
        organisation_id=account.organisation_id,
        changes={"provider": account.provider_id, "iban": account.iban, "status": account.status},
    )


def _masked(iban: str) -> str:
    """On the provider's timeline the IBAN shows only its country and last four digits."""
    return f"{iban[:2]}.. {iban[-4:]}"


@transaction.atomic
def bank_account_propose(
    *, actor: User, provider: Provider, iban: str, holder: str, reason: str, bic: str = ""
) -> ProviderBankAccount:
    """Propose a (new) bank account for a provider; it is used only once a second person
    confirmed it. One pending change per provider at a time."""
    _require_right(actor)
    _require_same_org(actor, provider.organisation_id)
    checked = rules.check_account(iban=iban, holder=holder, bic=bic)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ProviderError(
            "Vermeld de reden of bron van de wijziging (bijv. de brief van de aanbieder).",
            field="reason",
        )
    Provider.objects.select_for_update().get(pk=provider.pk)
    if ProviderBankAccount.objects.filter(
        provider=provider, status=BankAccountStatus.PENDING
    ).exists():
        raise BankAccountConflictError(
            "Er wacht al een wijziging van de bankrekening op bevestiging; bevestig of wijs "
            "die eerst af.",
            field="iban",
        )
    active = ProviderBankAccount.objects.filter(
        provider=provider, status=BankAccountStatus.ACTIVE
    ).first()
    if active is not None and active.iban == checked.iban and active.holder == checked.holder:
        raise ProviderError("Deze rekening is al in gebruik.", field="iban")
    account = ProviderBankAccount.objects.create(
        organisation_id=provider.organisation_id,
        provider=provider,
        iban=checked.iban,
        bic=checked.bic,
        holder=checked.holder,
        reason=reason[:300],
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    _event(
        provider=provider,
        actor=actor,
        kind="bank_account_proposed",
        description=f"Nieuwe bankrekening {_masked(checked.iban)} voorgesteld.",
        data={"bank_account_id": account.pk},
    )
    _audit(actor, account, AuditAction.CREATE, "Bankrekening aanbieder voorstellen")
    return account


def _pending(account: ProviderBankAccount) -> ProviderBankAccount:
    locked = ProviderBankAccount.objects.select_for_update().get(pk=account.pk)
    if locked.status != BankAccountStatus.PENDING:
        raise BankAccountConflictError("Over deze wijziging is al besloten.")
    return locked


@transaction.atomic
def bank_account_confirm(*, actor: User, account: ProviderBankAccount) -> ProviderBankAccount:
    """The second person confirms: the account comes into use and the previous one is
    replaced. The proposer cannot confirm their own change (four eyes)."""
    _require_right(actor)
    _require_same_org(actor, account.organisation_id)
    Provider.objects.select_for_update().get(pk=account.provider_id)
    locked = _pending(account)
    refusal = rules.second_person_refusal(
        proposed_by_id=locked.proposed_by_id, confirmer_id=actor.pk
    )
    if refusal:
        raise PermissionDeniedError(refusal)
    now = timezone.now()
    previous = list(
        ProviderBankAccount.objects.select_for_update().filter(
            provider_id=locked.provider_id, status=BankAccountStatus.ACTIVE
        )
    )
    for old in previous:
        old.status = BankAccountStatus.REPLACED
        old.save(update_fields=["status"])
    locked.status = BankAccountStatus.ACTIVE
    locked.decided_by = actor
    locked.decided_at = now
    try:
        with transaction.atomic():
            locked.save(update_fields=["status", "decided_by", "decided_at"])
    except IntegrityError as exc:  # pragma: no cover - guarded by the locks above
        raise BankAccountConflictError("De bankrekening is intussen gewijzigd.") from exc
    _event(
        provider=locked.provider,
        actor=actor,
        kind="bank_account_confirmed",
        description=f"Bankrekening {_masked(locked.iban)} bevestigd (vier ogen).",
        data={"bank_account_id": locked.pk, "replaced": [o.pk for o in previous]},
    )
    _audit(actor, locked, AuditAction.UPDATE, "Bankrekening aanbieder bevestigen (vier ogen)")
    return locked


@transaction.atomic
def bank_account_reject(
    *, actor: User, account: ProviderBankAccount, note: str
) -> ProviderBankAccount:
    """Reject a pending change (the proposer may withdraw their own); a reason is required."""
    _require_right(actor)
    _require_same_org(actor, account.organisation_id)
    note = " ".join((note or "").split())
    if not note:
        raise ProviderError("Vermeld waarom u de wijziging afwijst.", field="note")
    locked = _pending(account)
    locked.status = BankAccountStatus.REJECTED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note[:300]
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _event(
        provider=locked.provider,
        actor=actor,
        kind="bank_account_rejected",
        description=f"Wijziging bankrekening {_masked(locked.iban)} afgewezen: {note[:200]}",
        data={"bank_account_id": locked.pk},
    )
    _audit(actor, locked, AuditAction.UPDATE, "Wijziging bankrekening aanbieder afwijzen")
    return locked
