"""Reads of the invoices app, always through `core.access.scoped` (R-SEC-1).

- `invoice_list`: the work list and provider list with filters (status, provider, verdict,
  bucket: to check / to approve / overdue for payment);
- `provider_period_totals`: invoices per provider and period with totals excl./incl. VAT,
  credit notes netted (R-BILL-8);
- `provider_year_volumes`: each provider's invoiced volume per calendar year;
- `approved_year_volumes`: the approved volume per provider and calendar year that the social
  return obligation (R-NET-10) is computed from (the social_return app decides the rule).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from opstap.core.access import scoped
from opstap.core.actor import Actor
from opstap.core.filtering import narrowed

from .models import CreditNote, Invoice, InvoiceEvent, PaymentBatch, PlacementFeeClaim, TravelClaim
from .workflow import LIVE_STATUSES, OPEN_STATUSES, UNPAID_STATUSES, InvoiceStatus

ZERO = Decimal("0.00")

BUCKETS = {
    "te_controleren": "Te controleren",
    "goed_te_keuren": "Goed te keuren",
    "achterstallig": "Betaaltermijn verstreken",
}


def invoices_for(user: Actor) -> QuerySet[Invoice]:
    return scoped(user, Invoice.objects.all())


@dataclass(frozen=True)
class InvoiceFilters:
    status: str = ""
    provider: int | None = None
    verdict: str = ""
    bucket: str = ""
    trajectory: int | None = None
    year: int | None = None


def invoice_list(*, user: Actor, filters: InvoiceFilters, on: dt.date) -> QuerySet[Invoice]:
    """Invoices the user may see, newest first, with what a list row shows joined in."""
    qs = narrowed(
        invoices_for(user).select_related("provider", "client", "trajectory"),
        status=filters.status,
        provider_id=filters.provider,
        verdict=filters.verdict,
        trajectory_id=filters.trajectory,
        invoice_date__year=filters.year,
    )
    if filters.bucket:
        qs = qs.filter(bucket_q(filters.bucket, on))
    return qs.order_by("due_on", "id") if filters.bucket else qs.order_by("-received_at", "-id")


def bucket_q(bucket: str, on: dt.date) -> Q:
    """The invoices of one work-list tab (`BUCKETS`), as a filter; an unknown tab: all."""
    if bucket == "te_controleren":
        return Q(status__in=[s.value for s in OPEN_STATUSES])
    if bucket == "goed_te_keuren":
        return Q(
            Q(status=InvoiceStatus.SUBSTANCE_CONFIRMED.value)
            | Q(status=InvoiceStatus.CHECKED.value, needs_substance=False),
            verdict__in=["green", "orange"],
        )
    if bucket == "achterstallig":
        return Q(status__in=[s.value for s in UNPAID_STATUSES], due_on__lt=on)
    return Q()


def bucket_counts(user: Actor, on: dt.date) -> dict[str, int]:
    """Counts for the work-list tabs (three queries, independent of the number of rows)."""
    return {
        key: invoice_list(user=user, filters=InvoiceFilters(bucket=key), on=on).count()
        for key in BUCKETS
    }


@dataclass(frozen=True)
class WorkListCounts:
    total: int  # the invoices the list shows with its filters (all pages)
    buckets: dict[str, int]  # per tab of `BUCKETS`, in its order


def work_list_counts(*, user: Actor, filters: InvoiceFilters, on: dt.date) -> WorkListCounts:
    """The list's total with `filters` and the three tabs' counts (`bucket_counts`) in one
    statement, `COUNT(*) FILTER (WHERE …)` per number over the invoices the user may see,
    instead of four counts (issue 18)."""
    given = {
        lookup: value
        for lookup, value in {
            "status": filters.status,
            "provider_id": filters.provider,
            "verdict": filters.verdict,
            "trajectory_id": filters.trajectory,
            "invoice_date__year": filters.year,
        }.items()
        if value  # as `narrowed`: empty means "any"
    }
    listed = Q(**given) & bucket_q(filters.bucket, on)
    counts = invoices_for(user).aggregate(
        total=Count("pk", filter=listed) if listed else Count("pk"),
        **{key: Count("pk", filter=bucket_q(key, on)) for key in BUCKETS},
    )
    return WorkListCounts(counts["total"], {key: counts[key] for key in BUCKETS})


def invoice_events(invoice: Invoice) -> QuerySet[InvoiceEvent]:
    return invoice.events.select_related("actor").order_by("occurred_at", "id")


@dataclass(frozen=True)
class LogbookDay:
    """One line of a jobcoaching invoice's hours logbook (R-BILL-7)."""

    worked_on: dt.date | None
    hours: Decimal | None
    #: the line as stored when it cannot be read as a day and hours
    raw: str = ""


@dataclass(frozen=True)
class Logbook:
    """The hours logbook of an invoice as the finance clerk checks it: its days in order
    and the total hours (R-BILL-7)."""

    days: tuple[LogbookDay, ...]
    total_hours: Decimal


def invoice_logbook(invoice: Invoice) -> Logbook | None:
    """The logbook submitted with a (jobcoaching or intake) invoice, None when it has none."""
    if not invoice.logbook:
        return None
    days: list[LogbookDay] = []
    for entry in invoice.logbook:
        try:
            day = dt.date.fromisoformat(str(entry["date"]))
            hours = Decimal(str(entry["hours"]))
        except (KeyError, TypeError, ValueError, ArithmeticError):
            days.append(LogbookDay(None, None, raw=str(entry)))
            continue
        days.append(LogbookDay(day, hours))
    days.sort(key=lambda d: (d.worked_on is None, d.worked_on or dt.date.min))
    total = sum((d.hours for d in days if d.hours is not None), Decimal(0))
    return Logbook(days=tuple(days), total_hours=total)


def credit_notes_for(user: Actor) -> QuerySet[CreditNote]:
    return scoped(user, CreditNote.objects.all()).select_related(
        "invoice", "provider", "invoice__client"
    )


def payment_batches_for(user: Actor) -> QuerySet[PaymentBatch]:
    return scoped(user, PaymentBatch.objects.all()).select_related("created_by", "exported_by")


def batch_client_items(batch: PaymentBatch) -> list[tuple[object, int | None]]:
    """(object id, client id) of every invoice and credit note in a payment batch: its rows
    show the client number, so each is audited when shown or exported (R-SEC-2)."""
    items: list[tuple[object, int | None]] = list(
        batch.invoices.order_by("id").values_list("pk", "client_id")
    )
    items.extend(batch.credit_notes.order_by("id").values_list("invoice_id", "invoice__client_id"))
    return items


def placement_claims_for(user: Actor) -> QuerySet[PlacementFeeClaim]:
    return scoped(user, PlacementFeeClaim.objects.all()).select_related("invoice", "provider")


def travel_claims_for(user: Actor) -> QuerySet[TravelClaim]:
    return scoped(user, TravelClaim.objects.all()).select_related("client", "trajectory")


@dataclass(frozen=True)
class ProviderTotals:
    provider_id: int
    provider_name: str
    invoice_count: int
    invoiced_excl: Decimal
    invoiced_incl: Decimal
    credited_excl: Decimal
    credited_incl: Decimal

    @property
    def net_excl(self) -> Decimal:
        return self.invoiced_excl - self.credited_excl

    @property
    def net_incl(self) -> Decimal:
        return self.invoiced_incl - self.credited_incl


def _live() -> list[str]:
    return [s.value for s in LIVE_STATUSES]


def provider_period_totals(
    *, user: Actor, start: dt.date, end: dt.date, provider: int | None = None
) -> list[ProviderTotals]:
    """Per provider: live invoices dated in [start, end] and the credit notes dated in it,
    netted (R-BILL-8). Two grouped queries whatever the number of providers."""
    invoices = invoices_for(user).filter(
        status__in=_live(), invoice_date__gte=start, invoice_date__lte=end
    )
    credits = scoped(user, CreditNote.objects.all()).filter(
        credit_date__gte=start, credit_date__lte=end
    )
    if provider:
        invoices, credits = (
            invoices.filter(provider_id=provider),
            credits.filter(provider_id=provider),
        )
    rows: dict[int, dict[str, Any]] = {}
    for row in invoices.values("provider_id", "provider__name").annotate(
        n=Count("id"),
        excl=Coalesce(Sum("amount_excl"), ZERO),
        incl=Coalesce(Sum("amount_incl"), ZERO),
    ):
        rows[row["provider_id"]] = {
            "name": row["provider__name"],
            "n": row["n"],
            "excl": row["excl"],
            "incl": row["incl"],
            "c_excl": ZERO,
            "c_incl": ZERO,
        }
    for credit in credits.values("provider_id", "provider__name").annotate(
        excl=Coalesce(Sum("amount_excl"), ZERO), incl=Coalesce(Sum("amount_incl"), ZERO)
    ):
        entry = rows.setdefault(
            credit["provider_id"],
            {"name": credit["provider__name"], "n": 0, "excl": ZERO, "incl": ZERO},
        )
        entry["c_excl"], entry["c_incl"] = credit["excl"], credit["incl"]
    return sorted(
        (
            ProviderTotals(
                provider_id=pid,
                provider_name=data["name"],
                invoice_count=data["n"],
                invoiced_excl=data["excl"],
                invoiced_incl=data["incl"],
                credited_excl=data.get("c_excl", ZERO),
                credited_incl=data.get("c_incl", ZERO),
            )
            for pid, data in rows.items()
        ),
        key=lambda t: t.provider_name,
    )


@dataclass(frozen=True)
class YearVolume:
    provider_id: int
    provider_name: str
    year: int
    net_excl: Decimal


def provider_year_volumes(*, user: Actor, year: int) -> list[YearVolume]:
    """Each provider's invoiced volume in a calendar year (whether social return applies is
    the social_return app's rule, R-NET-10)."""
    totals = provider_period_totals(user=user, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    return [YearVolume(t.provider_id, t.provider_name, year, t.net_excl) for t in totals]


#: Statuses of an invoice the organisation has approved (approved, in a batch, paid).
APPROVED_STATUSES = frozenset(
    {InvoiceStatus.APPROVED.value, InvoiceStatus.IN_BATCH.value, InvoiceStatus.PAID.value}
)


def approved_year_volumes(
    *, organisation_id: int, years: list[int], provider_ids: list[int] | None = None
) -> dict[tuple[int, int], Decimal]:
    """R-NET-10: per (provider, calendar year) the approved invoiced volume excl. VAT (by
    invoice date) minus the credit notes dated in that year on approved invoices (R-BILL-8).
    Unscoped by user on purpose: an aggregate of the organisation that the social-return
    monitor shows each provider for itself only (its own scope). Two grouped queries."""
    volumes: dict[tuple[int, int], Decimal] = {}
    if not years:
        return volumes
    invoices = Invoice.objects.filter(
        organisation_id=organisation_id,
        status__in=APPROVED_STATUSES,
        invoice_date__year__in=years,
    )
    credits = CreditNote.objects.filter(
        organisation_id=organisation_id,
        invoice__status__in=APPROVED_STATUSES,
        credit_date__year__in=years,
    )
    if provider_ids is not None:
        invoices = invoices.filter(provider_id__in=provider_ids)
        credits = credits.filter(provider_id__in=provider_ids)
    for row in (
        invoices.values("provider_id", "invoice_date__year")
        .annotate(total=Coalesce(Sum("amount_excl"), ZERO))
        .order_by()
    ):
        volumes[(row["provider_id"], row["invoice_date__year"])] = row["total"]
    for credit in (
        credits.values("provider_id", "credit_date__year")
        .annotate(total=Coalesce(Sum("amount_excl"), ZERO))
        .order_by()
    ):
        key = (credit["provider_id"], credit["credit_date__year"])
        volumes[key] = volumes.get(key, ZERO) - credit["total"]
    return volumes


def paid_cost_grouped(
    *,
    organisation_id: int,
    provider_ids: list[int] | None,
    by: tuple[str, ...],
    start: dt.date,
    end: dt.date,
    days: list[dt.date] | None = None,
) -> dict[tuple[Any, ...], tuple[Decimal, int]]:
    """Net paid cost (excl. VAT, credit notes netted, R-BILL-8) of the started trajectories
    that ended in [start, end] (of these providers, or all of the organisation; with an end
    date among `days` if given), grouped by the trajectory's fields `by`: the cost side of
    'average cost per successful outcome' (R-PI-1). Two grouped queries. Returns (net cost,
    number of paid invoices) per tuple of the `by` values."""
    cohort: dict[str, Any] = {
        "trajectory__actual_end_date__gte": start,
        "trajectory__actual_end_date__lte": end,
        "trajectory__start_date__isnull": False,
    }
    if provider_ids is not None:
        cohort["trajectory__provider_id__in"] = provider_ids
    if days is not None:
        cohort["trajectory__actual_end_date__in"] = days
    keys = [f"trajectory__{field}" for field in by]
    paid = InvoiceStatus.PAID.value
    totals: dict[tuple[Any, ...], tuple[Decimal, int]] = {}
    for row in (
        Invoice.objects.filter(organisation_id=organisation_id, status=paid, **cohort)
        .values(*keys)
        .annotate(total=Coalesce(Sum("amount_excl"), ZERO), n=Count("id"))
        .order_by()
    ):
        totals[tuple(row[k] for k in keys)] = (row["total"], row["n"])
    credit_keys = [f"invoice__{k}" for k in keys]
    for row in (
        CreditNote.objects.filter(
            organisation_id=organisation_id,
            invoice__status=paid,
            **{f"invoice__{lookup}": value for lookup, value in cohort.items()},
        )
        .values(*credit_keys)
        .annotate(total=Coalesce(Sum("amount_excl"), ZERO))
        .order_by()
    ):
        key = tuple(row[k] for k in credit_keys)
        cost, count = totals.get(key, (ZERO, 0))
        totals[key] = (cost - row["total"], count)
    return totals


def paid_cost_of_ended_trajectories(
    *, organisation_id: int, provider_ids: list[int], group: str, start: dt.date, end: dt.date
) -> dict[int, tuple[Decimal, int]]:
    """Net paid cost and number of paid invoices per provider or product (`group` =
    "provider_id" | "product_id") of the started trajectories that ended in [start, end]
    (`paid_cost_grouped`)."""
    if group not in ("provider_id", "product_id"):
        raise ValueError(group)
    rows = paid_cost_grouped(
        organisation_id=organisation_id,
        provider_ids=provider_ids,
        by=(group,),
        start=start,
        end=end,
    )
    return {key[0]: value for key, value in rows.items()}


# --- Right of access (R-SEC-5): what concerns one client, for the access_requests app -------
# Unscoped on purpose (the request was checked when registered). Callers show amounts and
# dates, not the provider's internal data.


def client_invoices_all(client_id: int) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(client_id=client_id)
        .select_related("provider")
        .order_by("invoice_date", "id")
    )


def client_invoice_lines_all(client_id: int) -> QuerySet[Any]:
    from .models import InvoiceLine

    return InvoiceLine.objects.filter(invoice__client_id=client_id).order_by(
        "invoice__invoice_date", "invoice_id", "position", "id"
    )


def client_credit_notes_all(client_id: int) -> QuerySet[CreditNote]:
    return CreditNote.objects.filter(invoice__client_id=client_id).order_by("credit_date", "id")


def client_placement_fee_claims_all(client_id: int) -> QuerySet[PlacementFeeClaim]:
    return PlacementFeeClaim.objects.filter(client_id=client_id).order_by("submitted_at", "id")


def client_travel_claims_all(client_id: int) -> QuerySet[TravelClaim]:
    return TravelClaim.objects.filter(client_id=client_id).order_by("entered_at", "id")


def client_travel_trips_all(client_id: int) -> QuerySet[Any]:
    from .models import TravelTrip

    return TravelTrip.objects.filter(claim__client_id=client_id).order_by("trip_date", "id")
