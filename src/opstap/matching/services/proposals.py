"""Proposals (voordrachten) and their introductions; the hand-off notifications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.clients.models import Client, ClientEventKind
from opstap.clients.services import client_event_record
from opstap.core.actor import Actor
from opstap.core.dutch import format_date
from opstap.core.errors import ConflictError
from opstap.core.roles import Perm
from opstap.matching import selectors
from opstap.matching.handoffs import HANDOFFS, Party
from opstap.matching.models import Proposal, ProposalEvent, Vacancy, WorkProfile
from opstap.matching.scoring import score
from opstap.matching.workflow import ProposalAction, VacancyState, proposal_guard
from opstap.notifications.services import notification_send

from ._common import (
    MAX_DAYS_AHEAD,
    MatchingError,
    _date,
    _require,
    _require_client,
    _same_org,
    _text,
    _today,
)


def _notify(*, actor: Actor, proposal: Proposal, step: str, date: dt.date | None = None) -> None:
    handoff = HANDOFFS[step]
    client = proposal.client
    vacancy = proposal.vacancy
    recipients: dict[Party, Any] = {
        Party.CASE_MANAGER: client.case_manager,
        Party.ACCOUNT_MANAGER: vacancy.employer.account_manager,
        Party.RESIDENT: client.user,
    }
    values = {
        "vacancy": vacancy.title,
        "employer": vacancy.employer.name,
        "client": client.full_name,
        "date": format_date(date) if date else "",
    }
    for party in handoff.notify:
        user = recipients.get(party)
        if user is None or user.pk == actor.pk or not user.is_active:
            continue
        url = (
            reverse("portal:home")
            if party is Party.RESIDENT
            else reverse("matching:vacancy_detail", args=[vacancy.pk])
        )
        notification_send(
            recipient=user,
            title=handoff.title_nl.format(**values),
            body=handoff.body_nl.format(**values),
            url=url,
            dedupe_key=f"matching:{proposal.pk}:{step}:{party.value}",
        )


def _proposal_event(
    *, actor: Actor, proposal: Proposal, action: str, before: str, note: str = ""
) -> None:
    now = timezone.now()
    ProposalEvent.objects.create(
        organisation_id=proposal.organisation_id,
        proposal=proposal,
        action=action,
        from_state=before,
        to_state=proposal.state,
        note=note[:500],
        actor=actor,
        occurred_at=now,
    )
    client_event_record(
        client=proposal.client,
        kind=ClientEventKind.MATCHING.value,
        actor=actor,
        source="matching",
        occurred_at=now,
        summary=f"{proposal.state_label}: {proposal.vacancy.title} bij "
        f"{proposal.vacancy.employer.name}",
        note=note,
        data={
            "proposal": proposal.pk,
            "vacancy": proposal.vacancy_id,
            "action": action,
            "state": proposal.state,
        },
    )
    audit_log(
        action=AuditAction.CREATE if action == "propose" else AuditAction.UPDATE,
        actor=actor,
        object_type="proposal",
        object_id=proposal.pk,
        client_id=proposal.client_id,
        purpose="Bemiddeling naar werk",
        changes={"state": [before, proposal.state]},
    )


@transaction.atomic
def proposal_create(*, actor: Actor, vacancy: Vacancy, client: Client, note: str = "") -> Proposal:
    """Propose a client for an open vacancy: the explained score at this moment is kept."""
    _require(actor, Perm.MATCH_PROPOSE)
    _same_org(actor, vacancy)
    _require_client(actor, client)
    vacancy = Vacancy.objects.select_for_update().select_related("employer").get(pk=vacancy.pk)
    if vacancy.state != VacancyState.OPEN.value:
        raise ConflictError("Deze vacature is niet meer open.")
    profiles = WorkProfile.objects.filter(client=client)
    facts = selectors.candidate_facts(profiles)
    if not facts:
        raise MatchingError("Deze klant heeft nog geen werkprofiel.", field="client")
    weights = selectors.current_weights(vacancy.organisation_id)
    result = score(
        facts[0], selectors.vacancy_facts(Vacancy.objects.filter(pk=vacancy.pk))[0], weights
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                organisation_id=vacancy.organisation_id,
                vacancy=vacancy,
                client=client,
                score=result.percentage,
                explanation=[
                    {
                        "criterion": c.criterion.value,
                        "name": c.name,
                        "weight": c.weight,
                        "points": str(c.points),
                        "matched": c.matched,
                        "explanation": c.explanation,
                    }
                    for c in result.criteria
                ],
                note=_text(
                    note, field="note", label="de toelichting", max_length=500, required=False
                ),
                proposed_by=actor,
                proposed_at=now,
                updated_at=now,
            )
    except IntegrityError as exc:
        raise ConflictError("Deze klant is al voorgedragen voor deze vacature.") from exc
    _proposal_event(actor=actor, proposal=proposal, action="propose", before="", note=note)
    _notify(actor=actor, proposal=proposal, step="proposed")
    _notify(actor=actor, proposal=proposal, step="proposed_resident")
    return proposal


def _locked(actor: Actor, proposal: Proposal) -> Proposal:
    _require(actor, Perm.MATCH_PROPOSE)
    _same_org(actor, proposal)
    _require_client(actor, proposal.client)
    return (
        Proposal.objects.select_for_update()
        .select_related("vacancy__employer", "client")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def proposal_introduction_plan(*, actor: Actor, proposal: Proposal, on: Any) -> Proposal:
    proposal = _locked(actor, proposal)
    row = proposal_guard(proposal.state, ProposalAction.PLAN_INTRODUCTION)
    day = _date(on, field="introduction_on", label="datum kennismaking")
    if day is None:
        raise MatchingError("Vul de datum van de kennismaking in.", field="introduction_on")
    if day < timezone.localtime(proposal.proposed_at).date():
        raise MatchingError("De kennismaking ligt vóór de voordracht.", field="introduction_on")
    if day > _today() + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise MatchingError(
            "De kennismaking ligt meer dan een jaar vooruit.", field="introduction_on"
        )
    before = proposal.state
    proposal.state = row.to_state.value
    proposal.introduction_on = day
    proposal.updated_at = timezone.now()
    proposal.save()
    _proposal_event(
        actor=actor,
        proposal=proposal,
        action=row.action.value,
        before=before,
        note=f"Kennismaking op {format_date(day)}",
    )
    _notify(actor=actor, proposal=proposal, step="plan_introduction", date=day)
    return proposal


@transaction.atomic
def proposal_introduction_record(
    *, actor: Actor, proposal: Proposal, positive: bool, outcome: str = ""
) -> Proposal:
    """The outcome of the introduction: positive (on to a placement) or not (closed)."""
    proposal = _locked(actor, proposal)
    action = ProposalAction.RECORD_INTRODUCTION if positive else ProposalAction.REJECT
    row = proposal_guard(proposal.state, action)
    if proposal.introduction_on and proposal.introduction_on > _today():
        raise MatchingError(
            "De kennismaking heeft nog niet plaatsgevonden.", field="introduction_on"
        )
    text = _text(
        outcome, field="outcome", label="de uitkomst", max_length=300, required=not positive
    )
    before = proposal.state
    proposal.state = row.to_state.value
    proposal.introduction_outcome = text
    proposal.updated_at = timezone.now()
    proposal.save()
    _proposal_event(actor=actor, proposal=proposal, action=action.value, before=before, note=text)
    _notify(actor=actor, proposal=proposal, step=action.value)
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: Actor, proposal: Proposal, reason: str) -> Proposal:
    proposal = _locked(actor, proposal)
    row = proposal_guard(proposal.state, ProposalAction.WITHDRAW)
    text = _text(reason, field="reason", label="de reden", max_length=300)
    before = proposal.state
    proposal.state = row.to_state.value
    proposal.updated_at = timezone.now()
    proposal.save()
    _proposal_event(actor=actor, proposal=proposal, action="withdraw", before=before, note=text)
    _notify(actor=actor, proposal=proposal, step="withdraw")
    return proposal
