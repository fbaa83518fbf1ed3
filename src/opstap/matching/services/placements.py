"""Placements: a proposal that ends in work (and the trajectory outcome), and the durability
check of a placement via the WSP (R-TRJ-7, R-KPI-4), with the pure rules of the trajectories
app (`durability`, `durability_check_due`, `last_day_problem`): one rule for both."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.clients.models import ClientEventKind
from opstap.clients.services import client_event_record
from opstap.core.actor import Actor
from opstap.core.contract_rules import contract_duration_problem
from opstap.core.dutch import format_date
from opstap.core.roles import Perm
from opstap.matching.models import ContractType, Placement, PlacementVia, Proposal
from opstap.matching.scoring import VacancyExit
from opstap.matching.workflow import ProposalAction, VacancyAction, proposal_guard
from opstap.notifications.services import notification_send
from opstap.providers.models import Provider
from opstap.trajectories.models import Trajectory
from opstap.trajectories.selectors import (
    Durability,
    durability,
    durability_check_due,
    last_day_problem,
)
from opstap.trajectories.services import outcome_record

from ._common import (
    MAX_DAYS_AHEAD,
    MatchingError,
    _choice,
    _date,
    _int,
    _require,
    _require_client,
    _same_org,
    _today,
)
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
    check, placement fee R-BILL-6, KPIs); via the WSP the KPIs count it from here and its
    durability is checked here 6 months after the start (`placements_check_durability`)."""
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
    duration_problem = contract_duration_problem(ctype, months)  # R-MAT, R-TRJ-7
    if duration_problem is not None:
        raise MatchingError(duration_problem, field="contract_months")
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
        durability_check_on=durability_check_due(start) if via == PlacementVia.WSP.value else None,
    )
    if trajectory is not None:
        outcome_record(
            actor=actor,
            trajectory=trajectory,
            employer=vacancy.employer.name,
            placement_start=start,
            contract_type=ctype,
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


# --- Durability of a placement via the WSP (R-TRJ-7, R-KPI-4) --------------------------------


def _placement_url(placement: Placement) -> str:
    return reverse("matching:client_matches", args=[placement.client_id])


@transaction.atomic
def placements_check_durability(*, on: dt.date | None = None) -> int:
    """R-TRJ-7: when 6 months have passed since the start of a placement via the WSP, decide
    its durability from the known last working day, or ask the client's case manager to
    confirm (once), as `trajectories.services.outcomes_check_durability` does for a
    trajectory's outcome. Run by the same daily job. Idempotent."""
    on = on or _today()
    count = 0
    due = Placement.objects.select_related("client__case_manager", "vacancy__employer").filter(
        via=PlacementVia.WSP.value, durability_check_on__lte=on, durability=""
    )
    for placement in due.select_for_update(of=("self",)):
        verdict = durability(placement.start_date, last_day=placement.last_day_of_employment, on=on)
        if placement.last_day_of_employment is not None and verdict is not Durability.PENDING:
            placement.durability = verdict.value
            placement.save(update_fields=["durability"])
            count += 1
            continue
        if placement.durability_asked_on is not None:
            continue
        recipient = placement.client.case_manager
        if recipient is None or not recipient.is_active:
            continue  # asked once the client has a case manager again
        notification_send(
            recipient=recipient,
            title=f"Is de plaatsing van {placement.client.full_name} duurzaam?",
            body=(
                f"De plaatsing bij {placement.vacancy.employer.name} (via het WSP) begon op "
                f"{placement.start_date:%d-%m-%Y}; 6 maanden zijn verstreken. Bevestig of de "
                "klant nog werkt, of vul de laatste werkdag in."
            ),
            url=_placement_url(placement),
            dedupe_key=f"placement-durability:{placement.pk}",
        )
        placement.durability_asked_on = on
        placement.save(update_fields=["durability_asked_on"])
        count += 1
    return count


@transaction.atomic
def placement_durability_record(
    *,
    actor: Actor,
    placement: Placement,
    last_day_of_employment: Any = None,
    still_employed: bool = False,
    on: dt.date | None = None,
) -> Placement:
    """The case manager's answer for a placement via the WSP (R-TRJ-7, R-KPI-4): the last
    working day (not before the start, not in the future), or that the client still works
    (only once 6 months have passed). The verdict follows the pure rule `durability`; a last
    day before the check day is known as not durable at once. `on` is the day of the answer
    (today; the demo passes its own day, never the real date)."""
    _require(actor, Perm.CLIENT_CHANGE)
    _same_org(actor, placement)
    _require_client(actor, placement.client)
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("client", "vacancy__employer")
        .get(pk=placement.pk)
    )
    if placement.via != PlacementVia.WSP.value:
        raise MatchingError(
            "Deze plaatsing liep via een aanbieder: leg de duurzaamheid vast bij het resultaat "
            "van het traject."
        )
    if placement.durability:
        raise MatchingError(
            f"De duurzaamheid is al vastgesteld: {placement.durability_label.lower()}."
        )
    today = on or _today()
    last_day = _date(
        last_day_of_employment, field="last_day_of_employment", label="laatste werkdag"
    )
    if (last_day is None) == (not still_employed):
        raise MatchingError(
            "Vul de laatste werkdag in, of geef aan dat de klant nog werkt (niet allebei).",
            field="last_day_of_employment",
        )
    if last_day is not None:
        problem = last_day_problem(last_day, placement.start_date, today)
        if problem is not None:
            raise MatchingError(problem.message, field=problem.field)
        if last_day > today:
            raise MatchingError(
                "De laatste werkdag ligt in de toekomst: vul die in als hij voorbij is.",
                field="last_day_of_employment",
            )
    verdict = durability(placement.start_date, last_day=last_day, on=today)
    if verdict is Durability.PENDING:
        raise MatchingError(
            "De plaatsing is pas op "
            f"{format_date(durability_check_due(placement.start_date))} 6 maanden oud: "
            "dan kan worden bevestigd dat de klant nog werkt.",
            field="still_employed",
        )
    placement.last_day_of_employment = last_day
    placement.durability = verdict.value
    placement.save(update_fields=["last_day_of_employment", "durability"])
    summary = f"Duurzaamheid plaatsing bij {placement.vacancy.employer.name}: {verdict.label}"
    client_event_record(
        client=placement.client,
        kind=ClientEventKind.MATCHING.value,
        actor=actor,
        source="matching",
        occurred_at=timezone.now()
        if on is None
        else timezone.make_aware(dt.datetime.combine(on, timezone.localtime().time())),
        summary=summary,
        note=f"Laatste werkdag {format_date(last_day)}" if last_day else "Werkt nog",
        data={"placement": placement.pk, "action": "durability", "durability": verdict.value},
    )
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="placement",
        object_id=placement.pk,
        client_id=placement.client_id,
        purpose="Duurzaamheid plaatsing vastleggen",
    )
    return placement
