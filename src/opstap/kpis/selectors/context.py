"""The context of a KPI read: filters, measurement date, activity window and whether the
KPI facts answer; the targets and the filtered clients."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import (
    Exists,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from opstap.clients import selectors as clients_selectors
from opstap.clients.models import (
    Client,
)
from opstap.core.actor import Viewer, active_actor
from opstap.kpis import formulas as f
from opstap.kpis.formulas import KpiCode, KpiKind
from opstap.kpis.models import KpiFactState, KpiSettings, KpiTarget, LabourMarketRegionProvider
from opstap.organisations import selectors as organisations_selectors

#: The KPIs counted on clients (all but the survey score).
CLIENT_KPIS: tuple[KpiCode, ...] = tuple(
    d.code for d in f.DEFINITIONS if d.code is not KpiCode.SATISFACTION
)


@dataclass(frozen=True)
class KpiFilters:
    year: int
    municipality: int | None = None
    target_group: str = ""
    unit: str = ""

    @property
    def client_filtered(self) -> bool:
        """Whether a filter applies that a survey score cannot follow."""
        return bool(self.target_group or self.unit)


@dataclass(frozen=True)
class KpiContext:
    """Everything a KPI read needs, resolved once per request (two small queries)."""

    organisation_id: int
    filters: KpiFilters
    today: dt.date
    on: dt.date  # measurement date of the year
    window_months: int
    amr_provider_ids: tuple[int, ...]
    #: Read "actively guided" (R-KPI-1/5) from the KPI facts per client and month instead of
    #: the trajectories and the timeline (`facts`; the same numbers): when the organisation's
    #: facts are built and cover the 12 months up to the measurement date.
    facts: bool = False

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.filters.year, 1, 1)

    @property
    def begun(self) -> bool:
        """Whether the year has begun on `today` (a year not begun shows only its targets)."""
        return f.year_has_begun(self.filters.year, self.today)

    @property
    def elapsed(self) -> Decimal:
        return f.elapsed_fraction(self.filters.year, self.today)


def kpi_context(
    *, organisation_id: int, filters: KpiFilters, today: dt.date | None = None
) -> KpiContext:
    today = today or timezone.localdate()
    on = f.measurement_date(filters.year, today)
    window, facts = _settings_and_facts(organisation_id, on)
    return KpiContext(
        organisation_id=organisation_id,
        filters=filters,
        today=today,
        on=on,
        window_months=window,
        amr_provider_ids=tuple(
            LabourMarketRegionProvider.objects.filter(organisation_id=organisation_id)
            .order_by("provider_id")
            .values_list("provider_id", flat=True)
        ),
        facts=facts,
    )


def _settings_and_facts(organisation_id: int, on: dt.date) -> tuple[int, bool]:
    """In one query: the activity window (R-KPI-1) and whether the organisation's KPI facts
    are built and cover the 12 months up to `on` (the trend's months), so that they can
    answer instead of the live computation."""
    first = f.month_ends(on)[0].replace(day=1)
    covered = KpiFactState.objects.filter(
        organisation_id=organisation_id,
        ready=True,
        built_from__lte=first,
        built_through__gte=on.replace(day=1),
    )
    window = KpiSettings.objects.filter(organisation_id=organisation_id).values(
        "activity_window_months"
    )[:1]
    row = (
        organisations_selectors.organisation_row(organisation_id)
        .annotate(kpi_window=Subquery(window), kpi_facts=Exists(covered))
        .values_list("kpi_window", "kpi_facts")
        .first()
    )
    if row is None:
        return f.ACTIVITY_WINDOW_MONTHS_DEFAULT, False
    return row[0] or f.ACTIVITY_WINDOW_MONTHS_DEFAULT, bool(row[1])


def activity_window_months(organisation_id: int) -> int:
    value = (
        KpiSettings.objects.filter(organisation_id=organisation_id)
        .values_list("activity_window_months", flat=True)
        .first()
    )
    return value or f.ACTIVITY_WINDOW_MONTHS_DEFAULT


def targets_for(organisation_id: int, year: int) -> dict[KpiCode, Decimal | None]:
    """The target of every KPI in `year`: the organisation's row, else the spec default."""
    own = dict(
        KpiTarget.objects.filter(organisation_id=organisation_id, year=year).values_list(
            "kpi", "target"
        )
    )
    return {
        d.code: own[d.code.value] if d.code.value in own else f.default_target(d.code, year)
        for d in f.DEFINITIONS
    }


def base_clients(ctx: KpiContext) -> QuerySet[Client]:
    """The organisation's clients narrowed by the filters (municipality, target group and
    unit as derived on the measurement date)."""
    qs = clients_selectors.organisation_clients(organisation_id=ctx.organisation_id)
    flt = ctx.filters
    if flt.municipality:
        qs = qs.filter(municipality_id=flt.municipality)
    if flt.target_group:
        qs = qs.filter(clients_selectors.target_group_q(flt.target_group, ctx.on))
    if flt.unit:
        qs = qs.filter(
            clients_selectors.unit_q(organisation_id=ctx.organisation_id, unit=flt.unit, on=ctx.on)
        )
    return qs


def small_number_threshold(user: Viewer, ctx: KpiContext) -> int | None:
    """The threshold under which counts are suppressed for `user` (issue 19 item 11; see
    `disclosure`), or None when the user may see every client behind the numbers (all
    clients of the selection are within their scope: e.g. a team lead filtered on their own
    unit). `OPSTAP_SMALL_NUMBER_THRESHOLD` (default 5)."""
    from django.conf import settings

    from opstap.kpis.disclosure import DEFAULT_THRESHOLD

    threshold = int(getattr(settings, "OPSTAP_SMALL_NUMBER_THRESHOLD", DEFAULT_THRESHOLD))
    if threshold <= 1:
        return None
    actor = active_actor(user)  # nobody, or an anonymous visitor: suppressed
    if actor is None or not actor.has_opstap_perm("clients.view"):
        return threshold
    visible = clients_selectors.clients_for(actor).values("pk")
    outside = base_clients(ctx).exclude(pk__in=visible).order_by().exists()
    return threshold if outside else None


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def kpi_is_client_based(code: KpiCode) -> bool:
    return f.definition(code).kind is not KpiKind.SCORE


def with_filters(ctx: KpiContext, **changes: Any) -> KpiContext:
    return replace(ctx, filters=replace(ctx.filters, **changes))
