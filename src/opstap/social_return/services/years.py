"""Closing a calendar year: each provider's obligation fixed from the approved volume (R-NET-10)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.core.actor import Actor
from opstap.core.money import ZERO
from opstap.invoices.selectors import approved_year_volumes
from opstap.providers.models import Provider
from opstap.social_return import rules
from opstap.social_return.models import YearObligation
from opstap.social_return.rules import SocialReturnError
from opstap.social_return.selectors import terms_by_provider, terms_for_year

from ._common import (
    SocialReturnConflict,
    _coordinator,
    _record,
)


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
