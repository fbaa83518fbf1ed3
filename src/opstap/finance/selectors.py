"""Reads of the finance app, scoped by the caller's access (R-SEC-1), and the guarded reads
of the client register (which another app provides)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from opstap.clients.models import LadderStep
from opstap.core.access import scoped
from opstap.core.actor import Actor
from opstap.organisations.selectors import municipalities_for

from .models import OutflowPremium, PremiumStatus, Scenario, SocialValueMapping
from .models_pure.social_value import DEFAULT_MAPPING

REGISTER_UNAVAILABLE = "klantregister nog niet beschikbaar"


def scenarios_for(user: Actor, *, kind: str | None = None) -> QuerySet[Scenario]:
    qs = scoped(user, Scenario.objects.select_related("created_by"))
    return qs.filter(kind=kind) if kind else qs


def premiums_for(user: Actor) -> QuerySet[OutflowPremium]:
    return scoped(user, OutflowPremium.objects.all())


def premium_report(user: Actor) -> dict[str, Any]:
    """How many premiums were awarded and paid (R-PREM-1), one query."""
    paid_first = Q(first_paid_on__isnull=False)
    paid_second = Q(second_paid_on__isnull=False)
    agg = premiums_for(user).aggregate(
        awarded=Count("id"),
        first_paid=Count("id", filter=paid_first),
        second_paid=Count("id", filter=paid_second),
        second_cancelled=Count("id", filter=Q(status=PremiumStatus.SECOND_CANCELLED)),
        first_amount=Sum("first_amount", filter=paid_first),
        second_amount=Sum("second_amount", filter=paid_second),
    )
    agg["paid_amount"] = (agg.pop("first_amount") or Decimal(0)) + (
        agg.pop("second_amount") or Decimal(0)
    )
    return agg


def social_value_mapping() -> dict[str, int]:
    """The editable ladder-step → Meetstandaard position mapping (defaults where no row)."""
    mapping = dict(DEFAULT_MAPPING)
    for step, position in SocialValueMapping.objects.values_list("ladder_step", "position"):
        mapping[LadderStep(step)] = position
    return mapping


def municipality_figures(organisation: Any, *, on: dt.date) -> tuple[list[dict[str, Any]], str]:
    """Inhabitants (organisations) and client files (client register) per municipality on a
    reference date, for the cost-split key. Returns (rows, warning); the warning says when the
    client register is not available yet (the rows then carry no client counts)."""
    warning = ""
    counts: dict[int, int] = {}
    try:
        from opstap.clients.selectors import client_file_counts_by_municipality

        counts = client_file_counts_by_municipality(organisation=organisation, on=on)
    except (ImportError, AttributeError):
        warning = REGISTER_UNAVAILABLE
    rows = [
        {
            "name": m.name,
            "inhabitants": getattr(m, "inhabitants", None) or 0,
            "client_files": counts.get(m.pk, 0),
        }
        for m in municipalities_for(organisation, on=on)
    ]
    return rows, warning


def realised_caseload(
    organisation: Any, *, start: dt.date, end: dt.date, yearly: bool
) -> tuple[list[list[Any]], str]:
    """The realised caseload line beside a forecast: [label, count] per period end."""
    try:
        from opstap.clients.selectors import client_counts_by_month
    except ImportError:
        return [], REGISTER_UNAVAILABLE
    points = client_counts_by_month(organisation=organisation, start=start, end=end)
    from opstap.core.dutch import MONTHS_NL

    if yearly:
        # The stock at the end of a year is the count on 1 January of the next year.
        return [[str(d.year - 1), n] for d, n in points if d.month == 1], ""
    return [[f"{MONTHS_NL[d.month - 1]} {d.year}", n] for d, n in points], ""


def current_caseload(organisation: Any, *, on: dt.date) -> tuple[int | None, str]:
    try:
        from opstap.clients.selectors import client_file_counts_by_municipality
    except ImportError:
        return None, REGISTER_UNAVAILABLE
    return sum(client_file_counts_by_municipality(organisation=organisation, on=on).values()), ""


def client_outflow_premiums_all(
    *, organisation_id: int, client_id: int
) -> QuerySet[OutflowPremium]:
    """Right of access (R-SEC-5): the premiums of one client (unscoped; the access request
    was checked when registered)."""
    return OutflowPremium.objects.filter(
        organisation_id=organisation_id, client_id=client_id
    ).order_by("outflow_date", "id")
