"""Signals of dissatisfaction and the evaluations they open (R-NET-9)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from opstap.accounts.models import User
from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.roles import Perm
from opstap.providers.models import (
    Evaluation,
    EvaluationOutcome,
    EvaluationStatus,
    NetworkSettings,
    Product,
    Provider,
    Signal,
)
from opstap.providers.rules import network as network_rules
from opstap.providers.selectors import network_settings

from ._common import ProviderError, _event, _notify, _require_same_org
from .products import product_end
from .providers import provider_end_participation

__all__ = ["evaluation_close", "evaluation_open", "evaluation_record", "signal_register"]


@transaction.atomic
def signal_register(
    *,
    actor: User,
    provider: Provider,
    description: str,
    on: dt.date | None = None,
    product: Product | None = None,
    client_id: int | None = None,
) -> Signal:
    """A case manager registers dissatisfaction about a provider (optionally on a case). The
    contract manager is notified; reaching the threshold opens an evaluation (R-NET-9)."""
    _require_same_org(actor, provider.organisation_id)
    if not actor.has_opstap_perm(Perm.PROVIDER_SIGNAL):
        raise ProviderError("U mag geen signalen van ontevredenheid registreren.")
    if not description.strip():
        raise ProviderError("Beschrijf waarover u ontevreden bent.")
    if product is not None and product.provider_id != provider.pk:
        raise ProviderError("Dit product hoort niet bij deze aanbieder.")
    if client_id is not None:
        # R-SEC-1: a client named by id must be one the actor may see.
        from opstap.clients.selectors import clients_for

        if not clients_for(actor).filter(pk=client_id).exists():
            raise ProviderError("Deze klant is niet gevonden of u heeft er geen toegang toe.")
    on = on or timezone.localdate()
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    signal = Signal.objects.create(
        organisation_id=provider.organisation_id,
        provider=provider,
        product=product,
        client_id=client_id,
        description=description.strip(),
        registered_by=actor,
        registered_on=on,
    )
    if client_id is not None:
        # A signal on a client case links that client to a provider complaint (R-SEC-2).
        audit_log(
            action=AuditAction.CREATE,
            actor=actor,
            object_type="providers.signal",
            object_id=signal.pk,
            client_id=client_id,
            purpose="Signaal van ontevredenheid over aanbieder",
            changes={"provider_id": provider.pk, "description": signal.description},
        )
    _event(
        provider=provider,
        actor=actor,
        kind="signal_registered",
        description="Signaal van ontevredenheid geregistreerd.",
        data={"signal_id": signal.pk},
    )
    if provider.contract_manager is not None:
        _notify(
            recipient=provider.contract_manager,
            title=f"Signaal van ontevredenheid over {provider.name}",
            body=f"{actor.display_name}: {description.strip()[:300]}",
            url=reverse("providers:detail", args=[provider.pk]),
        )
    settings_row: NetworkSettings = network_settings(provider.organisation_id)
    open_evaluation = Evaluation.objects.filter(
        provider=provider, status=EvaluationStatus.OPEN
    ).first()
    dates = list(
        Signal.objects.filter(
            provider=provider,
            registered_on__gt=network_rules.signal_window_start(
                on, settings_row.signal_window_months
            ),
        ).values_list("registered_on", flat=True)
    )
    decision = network_rules.signal_threshold_reached(
        signal_dates=dates,
        on=on,
        threshold=settings_row.signal_threshold,
        window_months=settings_row.signal_window_months,
        evaluation_open=open_evaluation is not None,
    )
    if decision.open_evaluation:
        open_evaluation = evaluation_open(
            actor=actor,
            provider=provider,
            on=on,
            reason=f"{decision.count_in_window} signalen van ontevredenheid in "
            f"{settings_row.signal_window_months} maanden (drempel "
            f"{settings_row.signal_threshold}).",
        )
        Signal.objects.filter(
            provider=provider, evaluation__isnull=True, registered_on__in=dates
        ).update(evaluation=open_evaluation)
    elif open_evaluation is not None:
        Signal.objects.filter(pk=signal.pk).update(evaluation=open_evaluation)
    signal.refresh_from_db()
    return signal


@transaction.atomic
def evaluation_open(
    *, actor: User, provider: Provider, reason: str, on: dt.date | None = None
) -> Evaluation:
    _require_same_org(actor, provider.organisation_id)
    if not reason.strip():
        raise ProviderError("Geef de aanleiding van de evaluatie op.")
    if Evaluation.objects.filter(provider=provider, status=EvaluationStatus.OPEN).exists():
        raise ProviderError(f"Er loopt al een evaluatie met {provider.name}.")
    evaluation = Evaluation.objects.create(
        organisation_id=provider.organisation_id,
        provider=provider,
        opened_on=on or timezone.localdate(),
        reason=reason.strip(),
    )
    _event(
        provider=provider,
        actor=actor,
        kind="evaluation_opened",
        description=f"Evaluatie geopend: {reason}",
        data={"evaluation_id": evaluation.pk},
    )
    if provider.contract_manager is not None:
        _notify(
            recipient=provider.contract_manager,
            title=f"Evaluatie geopend met {provider.name}",
            body=reason,
            url=reverse("providers:evaluation", args=[evaluation.pk]),
        )
    return evaluation


@transaction.atomic
def evaluation_record(
    *,
    actor: User,
    evaluation: Evaluation,
    held_on: dt.date,
    report: str,
    improvement_actions: str,
) -> Evaluation:
    """Record the evaluation meeting in writing, with its improvement actions."""
    _require_same_org(actor, evaluation.organisation_id)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != EvaluationStatus.OPEN:
        raise ProviderError("Deze evaluatie is afgerond en kan niet meer worden gewijzigd.")
    if not report.strip():
        raise ProviderError("Leg het gesprek schriftelijk vast (verslag).")
    if not improvement_actions.strip():
        raise ProviderError("Leg de afgesproken verbeteracties vast.")
    old = {"report": evaluation.report, "improvement_actions": evaluation.improvement_actions}
    evaluation.held_on = held_on
    evaluation.report = report.strip()
    evaluation.improvement_actions = improvement_actions.strip()
    evaluation.save(update_fields=["held_on", "report", "improvement_actions"])
    _event(
        provider=evaluation.provider,
        actor=actor,
        kind="evaluation_recorded",
        description="Evaluatiegesprek vastgelegd.",
        data={"old": old},
    )
    return evaluation


@transaction.atomic
def evaluation_close(
    *,
    actor: User,
    evaluation: Evaluation,
    outcome: str,
    closed_on: dt.date,
    product: Product | None = None,
) -> Evaluation:
    """Close an evaluation; unresolved, the product or the whole relationship ends (R-NET-9)."""
    _require_same_org(actor, evaluation.organisation_id)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != EvaluationStatus.OPEN:
        raise ProviderError("Deze evaluatie is al afgerond.")
    if outcome not in EvaluationOutcome.values or outcome == EvaluationOutcome.NONE:
        raise ProviderError("Kies de uitkomst van de evaluatie.")
    if not evaluation.report:
        raise ProviderError("Leg eerst het evaluatiegesprek schriftelijk vast.")
    if outcome == EvaluationOutcome.PRODUCT_ENDED:
        if product is None or product.provider_id != evaluation.provider_id:
            raise ProviderError("Kies het product van deze aanbieder dat eindigt.")
        product_end(actor=actor, product=product, reason="Na evaluatie.")
    if outcome == EvaluationOutcome.RELATIONSHIP_ENDED:
        provider_end_participation(
            actor=actor,
            provider=evaluation.provider,
            ended_on=closed_on,
            reason="Na evaluatie.",
        )
    evaluation.status = EvaluationStatus.CLOSED
    evaluation.outcome = outcome
    evaluation.closed_on = closed_on
    evaluation.save(update_fields=["status", "outcome", "closed_on"])
    _event(
        provider=evaluation.provider,
        actor=actor,
        kind="evaluation_closed",
        description=f"Evaluatie afgerond: {EvaluationOutcome(outcome).label}.",
    )
    return evaluation
