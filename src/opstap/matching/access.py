"""Scope policies of matching (R-SEC-1), registered with opstap.core.access.

- employers, their locations and contacts, vacancies and their history: everyone of the
  organisation with `vacancies.view` (no personal data of clients);
- work profiles, proposals and placements: the client's scope (`clients.access`), so a case
  manager sees those of the clients they may see, an employer adviser those of the clients
  whose profile was shared with the WSP, a resident only their own;
- the organisation's weights: everyone who sees matches, and the administrator;
- reference data (ISCO-08, PC4): everyone signed in.

The employer adviser's client scope itself (shared work profiles) is registered with
`clients.access.register_employer_adviser_clients`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from opstap.clients.models import Client
from opstap.clients.selectors import client_scope_q, register_employer_adviser_clients
from opstap.core.access import register_scope
from opstap.core.actor import Actor
from opstap.core.roles import Perm

from .models import (
    Employer,
    EmployerContact,
    EmployerLocation,
    MatchWeights,
    Occupation,
    Pc4Centroid,
    Placement,
    Proposal,
    ProposalEvent,
    Vacancy,
    VacancyEvent,
    WorkProfile,
)


@register_employer_adviser_clients
def shared_profile_clients(user: Actor) -> QuerySet[Any]:
    """Client ids whose work profile is shared with the WSP (a subquery)."""
    if user.organisation_id is None:  # no organisation: no clients
        return WorkProfile.objects.none().values("client_id")
    return WorkProfile.objects.filter(
        organisation_id=user.organisation_id, shared_with_wsp=True
    ).values("client_id")


def _vacancy_reader(user: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if user.has_opstap_perm(Perm.VACANCY_VIEW) else qs.none()


for _model in (Employer, EmployerLocation, EmployerContact, Vacancy, VacancyEvent):
    register_scope(_model)(_vacancy_reader)


def _client_ids(user: Actor) -> QuerySet[Any] | None:
    q = client_scope_q(user)
    if q is None or user.organisation_id is None:
        return None
    return Client.objects.filter(organisation_id=user.organisation_id).filter(q).values("pk")


def _via_client(user: Actor, qs: QuerySet[Any], relation: str = "client") -> QuerySet[Any]:
    ids = _client_ids(user)
    if ids is None:
        return qs.none()
    return qs.filter(**{f"{relation}__in": ids})


@register_scope(WorkProfile)
def work_profile_scope(user: Actor, qs: QuerySet[WorkProfile]) -> QuerySet[WorkProfile]:
    return _via_client(user, qs)


@register_scope(Proposal)
def proposal_scope(user: Actor, qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return _via_client(user, qs)


@register_scope(ProposalEvent)
def proposal_event_scope(user: Actor, qs: QuerySet[ProposalEvent]) -> QuerySet[ProposalEvent]:
    return _via_client(user, qs, "proposal__client")


@register_scope(Placement)
def placement_scope(user: Actor, qs: QuerySet[Placement]) -> QuerySet[Placement]:
    return _via_client(user, qs)


@register_scope(MatchWeights)
def weights_scope(user: Actor, qs: QuerySet[MatchWeights]) -> QuerySet[MatchWeights]:
    if user.has_opstap_perm(Perm.MATCH_PROPOSE) or user.has_opstap_perm(Perm.ADMIN_CONFIGURE):
        return qs
    return qs.none()


@register_scope(Occupation)
def occupation_scope(user: Actor, qs: QuerySet[Occupation]) -> QuerySet[Occupation]:
    return qs


@register_scope(Pc4Centroid)
def pc4_scope(user: Actor, qs: QuerySet[Pc4Centroid]) -> QuerySet[Pc4Centroid]:
    return qs
