"""Scope policies of social return (R-SEC-1, R-NET-10), registered with core.access.

- provider staff: only their own provider's agreements, plans, blocks, years and history;
- the social-return coordinator and the contract manager (`social_return.view`): every
  provider of the organisation;
- everyone else: none.

A realised block may name a client of ours. Seeing the block (its block, dates, value) follows
the rows above; *who* the client is follows the dossier's need-to-know: the selectors show the
client's name and number only to a user whose clients scope holds that client, and every
showing of a block about a client is audited with the client id (R-SEC-2). The building-block
reference data is visible to every signed-in user of the organisation.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from opstap.core.access import register_scope
from opstap.core.actor import Actor
from opstap.core.roles import Perm
from opstap.providers.selectors import is_provider_staff, provider_id_of

from .models import (
    BlockPeriod,
    BuildingBlock,
    RealisedBlock,
    SocialReturnAgreement,
    SocialReturnEvent,
    SocialReturnPlan,
    YearObligation,
)


def provider_rows(user: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if is_provider_staff(user):
        provider_id = provider_id_of(user)
        return qs.filter(provider_id=provider_id) if provider_id is not None else qs.none()
    if user.has_opstap_perm(Perm.SOCIAL_RETURN_VIEW):
        return qs
    return qs.none()


for _model in (
    SocialReturnAgreement,
    SocialReturnPlan,
    RealisedBlock,
    YearObligation,
    SocialReturnEvent,
):
    register_scope(_model)(provider_rows)


@register_scope(BlockPeriod)
def period_scope(user: Actor, qs: QuerySet[BlockPeriod]) -> QuerySet[BlockPeriod]:
    return qs


@register_scope(BuildingBlock)
def block_scope(user: Actor, qs: QuerySet[BuildingBlock]) -> QuerySet[BuildingBlock]:
    if user.organisation_id is None:  # no organisation: no blocks
        return qs.none()
    return qs.filter(period__organisation_id=user.organisation_id)
