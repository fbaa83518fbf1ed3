"""Reads of reporting: the provisions of one month for one municipality, streamed (R-INT-2),
and the deliveries a user may see.

The provisions are read in one ordered pass per kind (`core.streaming.stream_values`: a
server-side cursor on PostgreSQL, pages by primary key behind PgBouncer), as plain tuples:
memory stays constant however many trajectories the month holds. Product and placement
codes are looked up in small dicts read first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet

from opstap.core.access import scoped
from opstap.core.actor import Actor
from opstap.core.streaming import stream_values
from opstap.trajectories.models import Outcome, Trajectory

from .models import SrgCode, SrgDelivery, SrgPlacementMapping, SrgProductMapping
from .srg_format import Kind, Month, PlacementType, Provision, placement_type

CHUNK = 5_000


def deliveries_for(user: Actor) -> QuerySet[SrgDelivery]:
    return scoped(user, SrgDelivery.objects.select_related("municipality", "corrects"))


def srg_codes(*, active_only: bool = False) -> QuerySet[SrgCode]:
    qs = SrgCode.objects.all()
    return qs.filter(active=True) if active_only else qs


def product_codes(organisation_id: int) -> dict[int, str]:
    return dict(
        SrgProductMapping.objects.filter(organisation_id=organisation_id).values_list(
            "product_id", "srg_code__code"
        )
    )


def placement_codes(organisation_id: int) -> dict[PlacementType, str]:
    return {
        PlacementType(kind): code
        for kind, code in SrgPlacementMapping.objects.filter(
            organisation_id=organisation_id
        ).values_list("placement_type", "srg_code__code")
    }


def _active(prefix: str, start: str, end: str, month: Month) -> Q:
    return Q(**{f"{prefix}{start}__lte": month.last}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": month.first})
    )


def _trajectories(organisation_id: int, municipality_id: int, month: Month) -> QuerySet[Any]:
    return Trajectory.objects.filter(
        _active("", "start_date", "actual_end_date", month),
        organisation_id=organisation_id,
        client__municipality_id=municipality_id,
    )


def _placements(organisation_id: int, municipality_id: int, month: Month) -> QuerySet[Any]:
    return Outcome.objects.filter(
        _active("", "placement_start", "last_day_of_employment", month),
        organisation_id=organisation_id,
        trajectory__client__municipality_id=municipality_id,
    )


def provision_total(*, organisation_id: int, municipality_id: int, month: Month) -> int:
    """How many source rows the month holds (for the progress bar): trajectories plus
    placements (an LKS placement also gives an LKS record, not counted twice here)."""
    return (
        _trajectories(organisation_id, municipality_id, month).count()
        + _placements(organisation_id, municipality_id, month).count()
    )


def month_provisions(
    *, organisation_id: int, municipality_id: int, month: Month
) -> Iterator[Provision]:
    """Every provision active in the month: trajectories (product code), placements
    (placement-type code) and, for a placement with wage-cost subsidy, its LKS record."""
    products = product_codes(organisation_id)
    placements = placement_codes(organisation_id)
    rows = stream_values(
        _trajectories(organisation_id, municipality_id, month),
        "client__bsn",
        "product_id",
        "start_date",
        "actual_end_date",
        "order_date",
        chunk_size=CHUNK,
    )
    for pk, bsn, product_id, start, end, ordered in rows:
        yield Provision(
            key=f"T{pk}",
            kind=Kind.PROVISION,
            bsn=bsn or "",
            code=products.get(product_id),
            start=start,
            end=end,
            order_date=ordered,
        )
    outcomes = stream_values(
        _placements(organisation_id, municipality_id, month),
        "trajectory__client__bsn",
        "placement_start",
        "last_day_of_employment",
        "lks",
        "garantiebaan",
        "beschut_werk",
        chunk_size=CHUNK,
    )
    for pk, bsn, start, end, lks, garantiebaan, beschut in outcomes:
        kind = placement_type(lks=lks, garantiebaan=garantiebaan, beschut_werk=beschut)
        yield Provision(
            key=f"P{pk}",
            kind=Kind.PROVISION,
            bsn=bsn or "",
            code=placements.get(kind),
            start=start,
            end=end,
        )
        if lks:
            yield Provision(
                key=f"L{pk}",
                kind=Kind.LKS,
                bsn=bsn or "",
                code=placements.get(PlacementType.LKS),
                start=start,
                end=end,
            )
