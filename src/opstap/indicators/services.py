"""State changes of the indicators app: recording that a provider delivered its quarterly
overview (R-PI-1 item 7), validated, in a transaction, audited; and the maintenance of the
indicator facts per provider, product and day (issue 18): the queue written with every change
(a transactional outbox), the refresh that drains it, and the full rebuild."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.actor import Actor
from opstap.core.errors import InvalidInputError
from opstap.core.outbox import (
    outbox_drain,
    outbox_forget,
    outbox_mark,
    outbox_queue,
    refresh_inline_or_queued,
)
from opstap.core.roles import Perm
from opstap.invoices import selectors as invoice_selectors
from opstap.providers.models import Provider
from opstap.trajectories import selectors as trajectory_selectors

from .computation import quarter_end
from .models import (
    SUM_FIELDS,
    IndicatorContribution,
    IndicatorDay,
    IndicatorFactState,
    IndicatorQueue,
    QuarterlyOverview,
)


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


# --- The indicator facts per provider, product and day (issue 18) ----------------------------

#: Trajectories per batch of the refresh.
FACT_BATCH = 2000
#: Trajectories per batch of the rebuild's contributions.
CONTRIBUTION_BATCH = 10_000
#: Days per step of the rebuild (each step one transaction of grouped reads and one insert).
REBUILD_DAYS = 92
#: Days per region of the refresh (the `IN` list of one set of reads).
REGION_DAYS = 400

#: The whole-number sums (the money sum, `cost_paid`, is a Decimal).
COUNT_FIELDS = tuple(f for f in SUM_FIELDS if f != "cost_paid")

Region = tuple[list[int] | None, dt.date, dt.date, list[dt.date] | None]


def _day_rows(
    *,
    organisation_id: int,
    provider_ids: list[int] | None,
    start: dt.date,
    end: dt.date,
    days: list[dt.date] | None,
) -> list[IndicatorDay]:
    """The facts of these providers (None: all) on the days in [start, end] (only `days`,
    if given), computed from the live data with the conditions of the live selectors: one
    row per provider, product and day with anything to count."""
    counts = trajectory_selectors.indicator_day_counts(
        organisation_id=organisation_id,
        provider_ids=provider_ids,
        start=start,
        end=end,
        days=days,
    )
    costs = invoice_selectors.paid_cost_grouped(
        organisation_id=organisation_id,
        provider_ids=provider_ids,
        by=("provider_id", "product_id", "actual_end_date"),
        start=start,
        end=end,
        days=days,
    )
    rows = []
    for key in set(counts) | set(costs):
        provider_id, product_id, day = key
        values: dict[str, Any] = dict(counts.get(key, {}))
        cost, paid = costs.get(key, (Decimal("0.00"), 0))
        if not any(values.values()) and not paid and not cost:
            continue  # e.g. only due dates of other kinds: nothing to count
        rows.append(
            IndicatorDay(
                organisation_id=organisation_id,
                provider_id=provider_id,
                product_id=product_id,
                day=day,
                cost_paid=cost,
                invoices_paid=paid,
                **values,
            )
        )
    return rows


def _replace_region(
    *,
    organisation_id: int,
    provider_ids: list[int] | None,
    start: dt.date,
    end: dt.date,
    days: list[dt.date] | None = None,
) -> int:
    """Recompute the facts of a region (providers by days) and replace its rows; inside the
    caller's transaction, which holds the state's lock. Returns the number of rows."""
    rows = _day_rows(
        organisation_id=organisation_id,
        provider_ids=provider_ids,
        start=start,
        end=end,
        days=days,
    )
    old = IndicatorDay.objects.filter(organisation_id=organisation_id, day__gte=start, day__lte=end)
    if provider_ids is not None:
        old = old.filter(provider_id__in=provider_ids)
    if days is not None:
        old = old.filter(day__in=days)
    old.delete()
    IndicatorDay.objects.bulk_create(rows, batch_size=FACT_BATCH)
    return len(rows)


def _days_text(days: Iterable[dt.date]) -> str:
    return ",".join(sorted(d.isoformat() for d in days))


def _text_days(text: str) -> set[dt.date]:
    return {dt.date.fromisoformat(d) for d in text.split(",") if d}


def _contributions(
    organisation_id: int, keys: dict[int, tuple[int, int, set[dt.date]]]
) -> list[IndicatorContribution]:
    return [
        IndicatorContribution(
            trajectory_id=pk,
            organisation_id=organisation_id,
            provider_id=provider_id,
            product_id=product_id,
            days=_days_text(days),
        )
        for pk, (provider_id, product_id, days) in keys.items()
    ]


def _lock_state(organisation_id: int) -> IndicatorFactState | None:
    """The organisation's state row, locked until the transaction ends (refreshes and the
    rebuild's steps of one organisation run one at a time, each reading the data committed
    before it took the lock), or None when it has no facts."""
    return (
        IndicatorFactState.objects.select_for_update().filter(organisation_id=organisation_id)
    ).first()


def _refresh_trajectories(organisation_id: int, trajectory_ids: list[int]) -> None:
    """Recompute the facts of every provider and day these trajectories counted on last time
    (their contributions) or count on now, and record their contributions anew."""
    old = list(IndicatorContribution.objects.filter(trajectory_id__in=trajectory_ids))
    new = trajectory_selectors.indicator_fact_keys(
        organisation_id=organisation_id, trajectory_ids=trajectory_ids
    )
    regions: dict[int, set[dt.date]] = {}
    for row in old:
        regions.setdefault(int(row.provider_id), set()).update(_text_days(row.days))
    for provider_id, _product_id, days in new.values():
        regions.setdefault(provider_id, set()).update(days)
    for provider_id, day_set in sorted(regions.items()):
        ordered = sorted(day_set)
        for i in range(0, len(ordered), REGION_DAYS):
            part = ordered[i : i + REGION_DAYS]
            _replace_region(
                organisation_id=organisation_id,
                provider_ids=[provider_id],
                start=part[0],
                end=part[-1],
                days=part,
            )
    IndicatorContribution.objects.filter(trajectory_id__in=trajectory_ids).delete()
    IndicatorContribution.objects.bulk_create(_contributions(organisation_id, new))


def indicator_facts_queue(*, organisation_id: int | None, trajectory_ids: Any) -> None:
    """Queue trajectories whose facts may have changed (the transactional outbox,
    `core.outbox`): called inside the writing transaction by the model signals and by
    `core.signals.trajectories_changed` (due dates are written with `.update()`). The refresh
    runs after the commit; a rollback takes the queue rows and the refresh with it."""
    outbox_queue(
        IndicatorQueue,
        organisation_id=organisation_id,
        key="trajectory_id",
        ids=trajectory_ids,
        after_commit=_refresh_after_commit,
    )


def _refresh_after_commit() -> None:
    from .tasks import refresh_indicator_facts_task

    refresh_inline_or_queued(indicator_facts_refresh, refresh_indicator_facts_task)


def indicator_facts_refresh(*, limit: int = FACT_BATCH) -> int:
    """Recompute the facts of the queued trajectories, `limit` at a time until the queue is
    empty; returns how many were recomputed. Per organisation one refresh at a time (the
    state's lock), so that none writes a region from data older than another's; concurrent
    workers skip each other's queue rows (SKIP LOCKED on PostgreSQL). Organisations without
    facts only empty their queue."""

    def refresh(organisation_id: int, trajectory_ids: list[int]) -> None:
        if _lock_state(organisation_id) is not None:
            _refresh_trajectories(organisation_id, trajectory_ids)

    return outbox_drain(IndicatorQueue, key="trajectory_id", limit=limit, refresh=refresh)


def indicator_facts_rebuild(
    *, organisation_id: int, progress: Callable[[str, int], None] | None = None
) -> IndicatorFactState:
    """Rebuild all indicator facts of one organisation, set-based: first every trajectory's
    contribution (in batches by id), then the facts in steps of `REBUILD_DAYS` days, each
    step one transaction of grouped reads and one insert, under the state's lock (readers see
    a step's old or new rows, never none; writes meanwhile are refreshed from the queue, which
    finds the contribution of their trajectory recorded before the facts were). The
    indicators read the facts once the first rebuild is done (`ready`). Returns the state."""
    with transaction.atomic():
        # The state exists first, so that writes during the rebuild are refreshed.
        state, _created = IndicatorFactState.objects.get_or_create(organisation_id=organisation_id)
        queued_before = outbox_mark(IndicatorQueue, organisation_id=organisation_id)
    after = 0
    while True:
        with transaction.atomic():
            _lock_state(organisation_id)
            keys = trajectory_selectors.indicator_fact_keys(
                organisation_id=organisation_id, after=after, limit=CONTRIBUTION_BATCH
            )
            if not keys:
                break
            last = max(keys)
            # Also the rows of trajectories deleted since (ids in the gaps).
            IndicatorContribution.objects.filter(
                organisation_id=organisation_id, trajectory_id__gt=after, trajectory_id__lte=last
            ).delete()
            IndicatorContribution.objects.bulk_create(
                _contributions(organisation_id, keys), batch_size=FACT_BATCH
            )
        after = last
        if progress is not None:
            progress("bijdragen", after)
    # Contributions of trajectories that no longer exist (their facts go below).
    IndicatorContribution.objects.filter(
        organisation_id=organisation_id, trajectory_id__gt=after
    ).delete()
    span = trajectory_selectors.indicator_fact_span(organisation_id=organisation_id)
    total = 0
    if span is not None:
        day = span[0]
        while day <= span[1]:
            until = min(day + dt.timedelta(days=REBUILD_DAYS - 1), span[1])
            with transaction.atomic():
                _lock_state(organisation_id)
                total += _replace_region(
                    organisation_id=organisation_id, provider_ids=None, start=day, end=until
                )
            if progress is not None:
                progress("feiten", total)
            day = until + dt.timedelta(days=1)
    with transaction.atomic():
        _lock_state(organisation_id)
        stale = IndicatorDay.objects.filter(organisation_id=organisation_id)
        if span is not None:
            stale = stale.exclude(day__gte=span[0], day__lte=span[1])
        stale.delete()
        outbox_forget(IndicatorQueue, organisation_id=organisation_id, mark=queued_before)
        IndicatorFactState.objects.filter(pk=state.pk).update(
            ready=True, rows=total, rebuilt_at=timezone.now()
        )
        audit_log(
            action=AuditAction.UPDATE,
            actor=None,
            object_type="indicator_facts",
            object_id=organisation_id,
            purpose="Indicatorfeiten opnieuw opgebouwd",
            changes={"rows": [None, total]},
            organisation_id=organisation_id,
        )
    state.refresh_from_db()
    return state
