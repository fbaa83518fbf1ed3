"""Placements: a proposal that ends in work (and the trajectory outcome)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.actor import Actor
from opstap.core.dutch import format_date
from opstap.matching.models import ContractType, Placement, PlacementVia, Proposal
from opstap.matching.scoring import VacancyExit
from opstap.matching.workflow import ProposalAction, VacancyAction, proposal_guard
from opstap.providers.models import Provider
from opstap.trajectories.models import Trajectory
from opstap.trajectories.services import outcome_record

from ._common import MAX_DAYS_AHEAD, MatchingError, _choice, _date, _int, _today
from .proposals import _locked, _notify, _proposal_event
from .vacancies import _vacancy_step


@transaction.atomic
def placement_record(
    *,
    actor: Actor,
    proposal: Proposal,
    start_date: Any,
    hours_per_week: Any,
    contract_type: str,
    contract_months: Any = None,
    lks: bool = False,
    via: str = PlacementVia.WSP.value,
    provider: Provider | None = None,
) -> Placement:
    """The placement (R-MAT → R-TRJ-7): the vacancy is filled. Via a provider, the placement
    is also recorded as the outcome of the client's trajectory at that provider (durability
    check, placement fee R-BILL-6, KPIs); via the WSP the KPIs count it from here."""
    proposal = _locked(actor, proposal)
    row = proposal_guard(proposal.state, ProposalAction.PLACE)
    start = _date(start_date, field="start_date", label="startdatum")
    if start is None:
        raise MatchingError("Vul de startdatum in.", field="start_date")
    earliest = proposal.introduction_on or timezone.localtime(proposal.proposed_at).date()
    if start < earliest:
        raise MatchingError(
            f"De startdatum ligt vóór de kennismaking ({format_date(earliest)}).",
            field="start_date",
        )
    if start > _today() + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise MatchingError("De startdatum ligt meer dan een jaar vooruit.", field="start_date")
    hours = _int(hours_per_week, field="hours_per_week", label="uren per week", low=1, high=60)
    restriction = proposal.client.hour_restriction
    if restriction is not None and hours > restriction:
        raise MatchingError(
            f"Meer uren dan de urenbeperking van de klant ({restriction} uur per week).",
            field="hours_per_week",
        )
    ctype = _choice(
        contract_type, ContractType.values, field="contract_type", label="soort contract"
    )
    months = (
        None
        if contract_months in (None, "")
        else _int(contract_months, field="contract_months", label="contractduur", low=1, high=120)
    )
    via = _choice(via, PlacementVia.values, field="via", label="via")
    vacancy = proposal.vacancy
    trajectory: Trajectory | None = None
    if via == PlacementVia.PROVIDER.value:
        if provider is None:
            raise MatchingError("Kies de aanbieder die de klant plaatste.", field="provider")
        trajectory = (
            Trajectory.objects.filter(client=proposal.client, provider=provider)
            .order_by("-order_date", "-id")
            .first()
        )
        if trajectory is None:
            raise MatchingError(
                "Deze klant heeft geen traject bij deze aanbieder: kies 'via het WSP'.",
                field="provider",
            )
    elif provider is not None:
        raise MatchingError("Een plaatsing via het WSP heeft geen aanbieder.", field="provider")
    placement = Placement.objects.create(
        organisation_id=proposal.organisation_id,
        proposal=proposal,
        client=proposal.client,
        vacancy=vacancy,
        start_date=start,
        hours_per_week=hours,
        contract_type=ctype,
        contract_months=months,
        lks=bool(lks),
        garantiebaan=vacancy.exit == VacancyExit.GARANTIEBAAN.value,
        beschut_werk=vacancy.exit == VacancyExit.BESCHUT.value,
        via=via,
        provider=provider,
        trajectory=trajectory,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    if trajectory is not None:
        outcome_record(
            actor=actor,
            trajectory=trajectory,
            employer=vacancy.employer.name,
            placement_start=start,
            contract_type=ContractType(ctype).label,
            hours_per_week=Decimal(hours),
            contract_months=months,
            lks=bool(lks),
            garantiebaan=placement.garantiebaan,
            beschut_werk=placement.beschut_werk,
        )
    before = proposal.state
    proposal.state = row.to_state.value
    proposal.updated_at = timezone.now()
    proposal.save()
    _vacancy_step(
        actor=actor,
        vacancy=vacancy,
        action=VacancyAction.FILL.value,
        reason=f"Plaatsing {placement.pk}",
    )
    _proposal_event(
        actor=actor,
        proposal=proposal,
        action="place",
        before=before,
        note=f"Start {format_date(start)}, {hours} uur per week",
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="placement",
        object_id=placement.pk,
        client_id=proposal.client_id,
        purpose="Plaatsing vastleggen",
    )
    _notify(actor=actor, proposal=proposal, step="place", date=start)
    return placement
