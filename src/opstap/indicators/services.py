"""State changes of the indicators app: recording that a provider delivered its quarterly
overview (R-PI-1 item 7). One service, validated, in a transaction, audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.actor import Actor
from opstap.core.errors import InvalidInputError
from opstap.core.roles import Perm
from opstap.providers.models import Provider

from .computation import quarter_end
from .models import QuarterlyOverview


class IndicatorError(InvalidInputError):
    """A refused change, with a Dutch message for the user."""


@transaction.atomic
def quarterly_overview_record(
    *,
    actor: Actor,
    provider: Provider,
    year: int,
    quarter: int,
    received_on: dt.date,
    note: str = "",
) -> QuarterlyOverview:
    """The contract manager records the receipt of a provider's quarterly overview of
    candidates, duration, activities and costs (R-PI-1 item 7). Once per quarter; not before
    the quarter has ended, not in the future."""
    if actor is None or not actor.has_opstap_perm(Perm.PROVIDER_MANAGE):
        raise IndicatorError("Alleen de contractmanager legt de ontvangst van overzichten vast.")
    if actor.organisation_id != provider.organisation_id:
        raise IndicatorError("Deze aanbieder hoort niet bij uw organisatie.")
    if quarter not in (1, 2, 3, 4):
        raise IndicatorError("Kies kwartaal 1, 2, 3 of 4.", field="quarter")
    if not 2000 <= year <= 2100:
        raise IndicatorError("Kies een geldig jaar.", field="year")
    if received_on <= quarter_end(year, quarter):
        raise IndicatorError(
            "Een kwartaaloverzicht kan pas na afloop van het kwartaal zijn ontvangen.",
            field="received_on",
        )
    if received_on > timezone.localdate():
        raise IndicatorError("De ontvangstdatum ligt in de toekomst.", field="received_on")
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if QuarterlyOverview.objects.filter(provider=provider, year=year, quarter=quarter).exists():
        raise IndicatorError(
            f"Het overzicht over {year} kwartaal {quarter} is al vastgelegd.", field="quarter"
        )
    overview = QuarterlyOverview.objects.create(
        organisation_id=provider.organisation_id,
        provider=provider,
        year=year,
        quarter=quarter,
        received_on=received_on,
        note=note.strip()[:300],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="indicators.quarterlyoverview",
        object_id=overview.pk,
        purpose="Kwartaaloverzicht aanbieder ontvangen",
        changes={"provider": provider.pk, "year": year, "quarter": quarter},
        organisation_id=provider.organisation_id,
    )
    return overview
