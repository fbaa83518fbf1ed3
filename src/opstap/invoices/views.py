"""Pages of the invoices app: the work list (finance) / own invoices (provider portal), the
invoice page with verdict, reasons, history and actions, the portal's submit form, payment
batches with export, and the overviews per provider and period (R-BILL-1..11, R-NET-10).
Parse, call a service or selector, render."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_listed, audit_read
from opstap.core.access import check_perm, get_object_for_user, permission_required
from opstap.core.actor import Actor, actor_of
from opstap.core.counts import CountedPaginator
from opstap.core.dutch import format_date
from opstap.core.errors import status_of
from opstap.core.forms import form_submit, service_action
from opstap.core.money import format_euro_html
from opstap.core.roles import Perm
from opstap.providers.selectors import is_provider_staff, provider_choices
from opstap.trajectories import selectors as trajectory_selectors

from . import selectors, services
from .forms import (
    ApproveForm,
    CreditNoteForm,
    InvoiceFilterForm,
    InvoiceSubmitForm,
    MarkPaidForm,
    PeriodForm,
    PlacementFeeForm,
    RejectForm,
    SubstanceForm,
    TravelClaimForm,
)
from .models import Invoice, InvoiceSource, PaymentBatch
from .workflow import (
    InvoiceAction,
    InvoiceStatus,
    allowed_actions,
    is_overdue_for_payment,
)

PAGE_SIZE = 50


def _invoice_for(request: HttpRequest, pk: int) -> Invoice:
    return get_object_for_user(
        request.user,
        Invoice.objects.select_related("provider", "client", "trajectory", "duplicate_of"),
        pk=pk,
    )


def _provider_choices(user: Actor) -> list[tuple[int, str]]:
    return provider_choices(user)


@permission_required(Perm.INVOICE_VIEW)
def invoice_list(request: HttpRequest) -> HttpResponse:
    """Finance: the work list (to check, to approve, overdue for payment) with verdict badges
    and reasons. Provider staff: their own invoices only (R-SEC-1)."""
    user = actor_of(request)
    today = timezone.localdate()
    form = InvoiceFilterForm(request.GET or None, provider_choices=_provider_choices(user))
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.InvoiceFilters(
        status=data.get("status") or "",
        verdict=data.get("verdict") or "",
        provider=data.get("provider"),
        bucket=data.get("bucket") or "",
    )
    qs = selectors.invoice_list(user=user, filters=filters, on=today)
    for_provider = is_provider_staff(user)
    buckets: list[tuple[str, str, int]] = []
    if for_provider:
        paginator = Paginator(qs, PAGE_SIZE)
    else:
        # The total and the tabs' counts in one statement (issue 18).
        counts = selectors.work_list_counts(user=user, filters=filters, on=today)
        paginator = CountedPaginator(qs, PAGE_SIZE, count=counts.total)
        buckets = [(key, label, counts.buckets[key]) for key, label in selectors.BUCKETS.items()]
    page = paginator.get_page(request.GET.get("pagina"))
    invoices = list(page.object_list)
    overdue_ids = {i.pk for i in invoices if is_overdue_for_payment(i.status, i.due_on, today)}
    audit_listed(request, invoices, object_type="invoice", purpose="Factuurlijst")
    query = urlencode({k: v for k, v in request.GET.items() if k != "pagina"})
    return render(
        request,
        "invoices/list.html",
        {
            "page_title": "Mijn facturen" if for_provider else "Facturen",
            "form": form,
            "page": page,
            "invoices": invoices,
            "overdue_ids": overdue_ids,
            "query": query,
            "for_provider": for_provider,
            "buckets": buckets,
            "active_bucket": filters.bucket,
            "today": today,
        },
    )


@permission_required(Perm.INVOICE_VIEW)
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice_for(request, pk)
    audit_read(request, invoice, invoice.client_id, "Factuur bekijken")
    return _render_detail(request, invoice)


def _render_detail(
    request: HttpRequest,
    invoice: Invoice,
    *,
    refused: dict[str, forms.Form] | None = None,
    conflict: bool = False,
) -> HttpResponse:
    """The invoice page; `refused` holds a posted form that was refused (its context name:
    `credit_form`, `approve_form`, ...), shown again with what was typed and its message at
    the field, with status 400; 409 when the refusal was a `conflict` (another user decided
    first: the invoice's status no longer allows the step, R-INT-1)."""
    user = actor_of(request)
    refused = refused or {}
    # Which buttons: the workflow table (R-BILL-2) says what the status allows, the
    # permissions say who may press them; the services check both again.
    allowed = allowed_actions(invoice.status)
    can_decide = check_perm(user, Perm.INVOICE_APPROVE) and not is_provider_staff(user)
    can_confirm = (
        invoice.needs_substance
        and InvoiceAction.CONFIRM_SUBSTANCE in allowed
        and check_perm(user, Perm.TRAJECTORY_ORDER)
        and not is_provider_staff(user)
    )
    can_credit = can_decide and invoice.may_take_credit_note
    shown = {
        "approve_form": can_decide and InvoiceAction.APPROVE in allowed,
        "reject_form": can_decide and InvoiceAction.REJECT in allowed,
        "substance_form": can_confirm,
        "credit_form": can_credit,
    }
    for name, form in refused.items():
        if not shown.get(name):
            # The form is no longer on the page (a second click after the first one decided):
            # its message above the page, or the user would see no answer at all.
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
    return render(
        request,
        "invoices/detail.html",
        {
            "page_title": f"Factuur {invoice.invoice_number}",
            "invoice": invoice,
            "lines": list(invoice.lines.all()),
            "logbook": selectors.invoice_logbook(invoice),
            "events": list(selectors.invoice_events(invoice)),
            "credit_notes": list(invoice.credit_notes.all()),
            "can_approve": shown["approve_form"],
            "can_reject": shown["reject_form"],
            "can_recheck": (can_decide or can_confirm) and InvoiceAction.RECHECK in allowed,
            "can_confirm": can_confirm,
            "can_credit": can_credit,
            "approve_form": ApproveForm(),
            "reject_form": RejectForm(),
            "substance_form": SubstanceForm(initial=invoice.substance or None),
            "credit_form": CreditNoteForm(initial={"credit_date": timezone.localdate()}),
            **refused,
        },
        status=409 if conflict else 400 if refused else 200,
    )


def _decide(
    request: HttpRequest,
    invoice: Invoice,
    name: str,
    form: forms.Form,
    call: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A decision form on the invoice page (approve, reject, confirm the substance): done,
    back to the page; refused (an empty reason, an orange invoice without a note), the page
    again with status 400, the form as typed and the message beside its field. It went back
    to the page with the message in the banner only and what was typed lost. A lost race
    (another clerk approved or rejected first) is not wrong input: the page again with the
    Dutch message (`workflow.next_status`) and status 409, as the API answers."""
    lost: list[services.InvoiceError] = []

    def decide(data: dict[str, Any]) -> object:
        try:
            return call(data)
        except services.InvoiceError as exc:
            if status_of(exc) == 409:
                lost.append(exc)
            raise

    if form_submit(request, form, decide, done=done, refused=services.InvoiceError):
        return redirect("invoices:detail", pk=invoice.pk)
    audit_read(request, invoice, invoice.client_id, "Factuur bekijken")
    if lost:
        invoice.refresh_from_db()
    return _render_detail(request, invoice, refused={name: form}, conflict=bool(lost))


@require_POST
@permission_required(Perm.INVOICE_APPROVE)
def invoice_credit(request: HttpRequest, pk: int) -> HttpResponse:
    """Finance registers a (partial) credit note on an approved or paid invoice (R-BILL-8);
    a refusal shows the invoice page again with what was typed."""
    invoice = _invoice_for(request, pk)
    form = CreditNoteForm(request.POST)
    if submitted := form_submit(
        request,
        form,
        lambda data: services.credit_note_create(actor=actor_of(request), invoice=invoice, **data),
        done=lambda note: f"Creditnota {note.number} is vastgelegd bij deze factuur.",
        refused=services.InvoiceError,
    ):
        return redirect("invoices:detail", pk=submitted.result.invoice_id)
    audit_read(request, invoice, invoice.client_id, "Factuur bekijken")
    return _render_detail(request, invoice, refused={"credit_form": form})


@permission_required(Perm.INVOICE_VIEW)
def invoice_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The invoice PDF from private storage, only for who may see the invoice."""
    invoice = _invoice_for(request, pk)
    if not invoice.pdf:
        raise Http404
    audit_read(request, invoice, invoice.client_id, "Factuur-PDF openen", object_type="invoice_pdf")
    return FileResponse(
        invoice.pdf.open("rb"),
        as_attachment=False,
        filename=invoice.pdf_name or "factuur.pdf",
        content_type="application/pdf",
    )


def _act(request: HttpRequest, invoice: Invoice, call: Any, done: str) -> HttpResponse:
    service_action(request, call, done=done, refused=services.InvoiceError)
    return redirect("invoices:detail", pk=invoice.pk)


@require_POST
@permission_required(Perm.INVOICE_APPROVE)
def invoice_approve(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice_for(request, pk)
    return _decide(
        request,
        invoice,
        "approve_form",
        ApproveForm(request.POST),
        lambda data: services.invoice_approve(
            actor=actor_of(request), invoice=invoice, note=data["note"]
        ),
        "De factuur is goedgekeurd voor betaling.",
    )


@require_POST
@permission_required(Perm.INVOICE_APPROVE)
def invoice_reject(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice_for(request, pk)
    return _decide(
        request,
        invoice,
        "reject_form",
        RejectForm(request.POST),
        lambda data: services.invoice_reject(
            actor=actor_of(request), invoice=invoice, reason=data["reason"]
        ),
        "De factuur is afgewezen.",
    )


@require_POST
@permission_required(Perm.INVOICE_VIEW)
def invoice_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice_for(request, pk)
    return _act(
        request,
        invoice,
        lambda: services.invoice_recheck(actor=actor_of(request), invoice=invoice),
        "De factuur is opnieuw gecontroleerd.",
    )


@require_POST
@permission_required(Perm.TRAJECTORY_ORDER)
def invoice_confirm_substance(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice_for(request, pk)
    return _decide(
        request,
        invoice,
        "substance_form",
        SubstanceForm(request.POST),
        lambda data: services.invoice_confirm_substance(
            actor=actor_of(request),
            invoice=invoice,
            termination_reason=data["termination_reason"],
            reported_on_time=data["reported_on_time"],
            adjusted_amount_excl=data["adjusted_amount_excl"],
            adjustment_reason=data["adjustment_reason"],
            note=data["note"],
        ),
        "De inhoud is bevestigd en de factuur opnieuw gecontroleerd.",
    )


@permission_required(Perm.INVOICE_VIEW)
def invoice_submit(request: HttpRequest) -> HttpResponse:
    """The provider portal: submit an invoice (PDF + structured fields) for one of the
    provider's own trajectories. The administration may register a paper invoice."""
    user = actor_of(request)
    paper = not is_provider_staff(user)
    form = InvoiceSubmitForm(
        request.POST or None,
        request.FILES or None,
        trajectory_choices=_trajectory_choices(request, "Factuur indienen: traject kiezen"),
        initial=_trajectory_initial(request),
        paper=paper,
    )

    def submit(data: dict[str, Any]) -> Invoice:
        return services.invoice_submit(
            actor=user,
            trajectory=trajectory_selectors.trajectory_for_user(user, data["trajectory"]),
            invoice_number=data["invoice_number"],
            invoice_date=data["invoice_date"],
            milestone=data["milestone"],
            amount_excl=data["amount_excl"],
            vat=data["vat"],
            amount_incl=data["amount_incl"],
            client_number=data["client_number"],
            client_surname=data["client_surname"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            hourly_rate=data["hourly_rate"],
            logbook=data["logbook"],
            pdf=data["pdf"],
            source=InvoiceSource.PAPER if paper else InvoiceSource.PORTAL,
            structured_data={k: str(v) for k, v in data.items() if k not in {"pdf", "logbook"}},
            received_at=services.paper_received_at(
                data.get("received_on"), invoice_date=data["invoice_date"]
            ),
        )

    if submitted := form_submit(
        request,
        form,
        submit,
        done=lambda invoice: (
            f"Factuur {invoice.invoice_number} is ontvangen maar aangehouden: bij 'Oordeel van "
            "de betalingsregels' staat waarom en wat u kunt doen."
            if invoice.status == InvoiceStatus.HELD
            else f"Factuur {invoice.invoice_number} is ontvangen en gecontroleerd: "
            f"{invoice.get_verdict_display()}."
        ),
        refused=services.InvoiceError,
    ):
        return redirect("invoices:detail", pk=submitted.result.pk)
    _record_foreign_trajectory(user, form)
    return render(
        request,
        "invoices/submit.html",
        {
            "page_title": "Factuur indienen",
            "intro": "Eén factuur per klant en per mijlpaal. De factuur wordt direct "
            "gecontroleerd op de betalingsregels; een dubbele factuur wordt aangehouden.",
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required(Perm.INVOICE_APPROVE)
def batch_list(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    if request.method == "POST":
        try:
            batch = services.payment_batch_create(actor=user)
        except services.InvoiceError as exc:
            messages.error(request, exc.message)
            return redirect("invoices:batches")
        messages.success(request, f"Betaalbatch {batch.reference} is samengesteld.")
        return redirect("invoices:batch", pk=batch.pk)
    page = Paginator(selectors.payment_batches_for(user), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    approved = selectors.invoice_list(
        user=user,
        filters=selectors.InvoiceFilters(status=InvoiceStatus.APPROVED.value),
        on=timezone.localdate(),
    ).count()
    return render(
        request,
        "invoices/batches.html",
        {"page_title": "Betaalbatches", "page": page, "approved": approved},
    )


def _batch_for(request: HttpRequest, pk: int) -> PaymentBatch:
    return get_object_for_user(request.user, PaymentBatch.objects.all(), pk=pk)


@permission_required(Perm.INVOICE_APPROVE)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_batch(request, _batch_for(request, pk))


def _render_batch(
    request: HttpRequest, batch: PaymentBatch, *, paid_form: MarkPaidForm | None = None
) -> HttpResponse:
    rows = services.batch_rows(batch)
    services.payment_batch_audit_shown(
        request=request, batch=batch, action=AuditAction.READ, purpose="Betaalbatch bekijken"
    )
    return render(
        request,
        "invoices/batch.html",
        {
            "page_title": f"Betaalbatch {batch.reference}",
            "batch": batch,
            "rows": [[_cell(value) for value in row] for row in rows],
            "columns": services.EXPORT_COLUMNS,
            "paid_form": paid_form or MarkPaidForm(initial={"paid_on": timezone.localdate()}),
            "sepa_refusal": (refusal := services.batch_sepa_refusal(batch)),
            "sepa": None if batch.export_pain001 or refusal else services.batch_sepa_plan(batch),
        },
        status=400 if paid_form is not None else 200,
    )


def _cell(value: object) -> str:
    """A value of the export rows as the page shows it: dates dd-mm-jjjj and money
    `€ 1.036,00`, the house style (the template's own rendering gave "11 november 2026"
    and "1036,00"); the Excel and CSV files keep their typed values."""
    if value is None:
        return "—"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format_euro_html(value)
    return str(value)


@require_POST
@permission_required(Perm.INVOICE_APPROVE)
def batch_export_sepa(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    already = bool(batch.export_pain001)
    service_action(
        request,
        lambda: services.payment_batch_export_sepa(actor=actor_of(request), batch=batch),
        done="Het SEPA-betaalbestand bestond al: u downloadt hetzelfde bestand met hetzelfde "
        "berichtkenmerk."
        if already
        else "Het SEPA-betaalbestand (pain.001) is gemaakt.",
        refused=services.InvoiceError,
    )
    return redirect("invoices:batch", pk=batch.pk)


@require_POST
@permission_required(Perm.INVOICE_APPROVE)
def batch_export(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    already = batch.exported_at is not None
    service_action(
        request,
        lambda: services.payment_batch_export(actor=actor_of(request), batch=batch),
        done="Deze batch was al geëxporteerd: er is niets nieuws; u downloadt dezelfde bestanden."
        if already
        else "De batch is geëxporteerd.",
        refused=services.InvoiceError,
    )
    return redirect("invoices:batch", pk=batch.pk)


@require_POST
@permission_required(Perm.INVOICE_APPROVE)
def batch_paid(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    form = MarkPaidForm(request.POST)
    if form_submit(
        request,
        form,
        lambda data: services.payment_batch_mark_paid(
            actor=actor_of(request), batch=batch, paid_on=data["paid_on"]
        ),
        done="De batch is als betaald geregistreerd.",
        refused=services.InvoiceError,
    ):
        return redirect("invoices:batch", pk=batch.pk)
    # Refused (no date, a date that cannot be read): the batch page again with the date as
    # typed and the message at the field, 400; it went back with a banner and an empty box.
    return _render_batch(request, batch, paid_form=form)


@permission_required(Perm.INVOICE_APPROVE)
def batch_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    batch = _batch_for(request, pk)
    found = services.payment_batch_download(
        request=request, batch=batch, fmt=fmt, channel="webpagina"
    )
    if found is None:
        raise Http404
    stored, name, content_type = found
    return FileResponse(
        stored.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )


@permission_required(Perm.INVOICE_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    """Invoices per provider and period with totals excl./incl. VAT, credit notes netted
    (R-BILL-8), and each provider's yearly volume with the social-return flag (R-NET-10)."""
    user = actor_of(request)
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"year": today.year}, provider_choices=_provider_choices(user))
    data = form.cleaned_data if form.is_valid() else {"year": today.year}
    year, month = data["year"], data.get("month")
    if month:
        start = dt.date(year, month, 1)
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
    else:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    totals = selectors.provider_period_totals(
        user=user, start=start, end=end, provider=data.get("provider")
    )
    volumes = selectors.provider_year_volumes(user=user, year=year)
    return render(
        request,
        "invoices/overview.html",
        {
            "page_title": "Facturen per aanbieder en periode",
            "form": form,
            "start": start,
            "end": end,
            "totals": totals,
            "grand_excl": sum((t.net_excl for t in totals), selectors.ZERO),
            "grand_incl": sum((t.net_incl for t in totals), selectors.ZERO),
            "volumes": volumes,
            "year": year,
            "perms_social_return": user.has_opstap_perm(Perm.SOCIAL_RETURN_VIEW),
        },
    )


def _record_foreign_trajectory(user: Actor, form: Any) -> None:
    """A posted trajectory that is not among the user's choices (an id changed in the form)
    is refused by the form; when it is another party's trajectory, the attempt is recorded as
    a denied access, as every out-of-scope read is (R-SEC-2; `get_object_for_user` records
    it when the trajectory exists). It left no trace."""
    if form.is_bound and form.has_error("trajectory", "invalid_choice"):
        with contextlib.suppress(Http404):
            trajectory_selectors.trajectory_for_user(user, form.data.get("trajectory"))


#: The newest trajectories a claim form lists; an older one is reached from its own page
#: (`?traject=<id>`), so a provider with thousands of trajectories can claim for each.
CHOICES_LIMIT = 500


def _wanted_trajectory(request: HttpRequest) -> int | None:
    """The trajectory a claim form is opened for (`?traject=<id>`, from the trajectory page)
    or was posted with; None when there is none or it is no number."""
    raw = request.POST.get("trajectory") if request.method == "POST" else request.GET.get("traject")
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _trajectory_initial(request: HttpRequest) -> dict[str, int]:
    wanted = _wanted_trajectory(request) if request.method == "GET" else None
    return {} if wanted is None else {"trajectory": wanted}


def _trajectory_choices(request: HttpRequest, purpose: str) -> list[tuple[int, str]]:
    """The trajectories the user may claim for, labelled with client number, surname, product
    and order date (two trajectories of one client for the same product differ only in that
    date); those are client data shown in a list, so each is audited (R-SEC-2). The newest
    `CHOICES_LIMIT`, plus the one the form was opened for or posted with when the user may see
    it (an id outside the user's scope is not added: the form refuses it)."""
    user = actor_of(request)
    visible = trajectory_selectors.trajectories_for(user).select_related("client", "product")
    trajectories = list(visible.order_by("-order_date", "-id")[:CHOICES_LIMIT])
    wanted = _wanted_trajectory(request)
    if wanted is not None and all(t.pk != wanted for t in trajectories):
        trajectories = [*visible.filter(pk=wanted), *trajectories]
    audit_listed(request, trajectories, object_type="trajectory", purpose=purpose)
    return [
        (
            t.pk,
            f"{t.client.client_number} {t.client.last_name} — {t.product.name}"
            f" (besteld {format_date(t.order_date)})",
        )
        for t in trajectories
    ]


def _placement_fee_problems(user: Actor, form: PlacementFeeForm) -> None:
    """Every problem with what was typed (R-BILL-6) beside the form's own field errors, in
    one answer: the service's checks named them one at a time. A field the form already
    refused keeps its own message."""
    form.is_valid()
    data = form.cleaned_data
    trajectory = None
    if data.get("trajectory"):
        with contextlib.suppress(services.InvoiceError, Http404):
            trajectory = trajectory_selectors.trajectory_for_user(user, data["trajectory"])
    for problem in services.placement_fee_problems(
        trajectory=trajectory,
        employer=data.get("employer"),
        placement_start=data.get("placement_start"),
        hours_per_week=data.get("hours_per_week"),
        contract_months=data.get("contract_months"),
        probation_end=data.get("probation_end"),
        client_hour_restriction=data.get("client_hour_restriction"),
    ):
        if problem.field in form.fields and problem.field not in form.errors:
            form.add_error(problem.field, problem.message)
        elif problem.field not in form.fields:
            form.add_error(None, problem.message)
    if "received_on" in form.fields and "received_on" not in form.errors:
        # A paper claim's stamped day (R-BILL-6 window, payment term): the same check as
        # the paper invoice, named with the others.
        try:
            services.paper_received_at(
                data.get("received_on"), invoice_date=data.get("invoice_date")
            )
        except services.InvoiceError as exc:
            # At the date to correct: the stamp, or an invoice date after today.
            field = exc.field if exc.field in form.fields else "received_on"
            if field not in form.errors:
                form.add_error(field, exc.message)


@permission_required(Perm.INVOICE_VIEW)
def placement_fee_submit(request: HttpRequest) -> HttpResponse:
    """The provider claims the one-off placement fee with the employment contract (R-BILL-6);
    the administration registers a claim that came by post, with its stamped day."""
    user = actor_of(request)
    paper = not is_provider_staff(user)
    form = PlacementFeeForm(
        request.POST or None,
        request.FILES or None,
        trajectory_choices=_trajectory_choices(request, "Bemiddelingsfee: traject kiezen"),
        initial=_trajectory_initial(request),
        paper=paper,
    )
    if request.method == "POST":
        _placement_fee_problems(user, form)
    if submitted := form_submit(
        request,
        form,
        lambda data: services.placement_fee_claim_submit(
            actor=user,
            trajectory=trajectory_selectors.trajectory_for_user(user, data["trajectory"]),
            invoice_number=data["invoice_number"],
            invoice_date=data["invoice_date"],
            employer=data["employer"],
            placement_start=data["placement_start"],
            hours_per_week=data["hours_per_week"],
            contract_months=data["contract_months"],
            probation_end=data["probation_end"],
            client_hour_restriction=data["client_hour_restriction"],
            contract=data["contract"],
            pdf=data["pdf"],
            source=InvoiceSource.PAPER if paper else InvoiceSource.PORTAL,
            received_at=services.paper_received_at(
                data.get("received_on"), invoice_date=data["invoice_date"]
            ),
        ),
        done="De bemiddelingsfee is gedeclareerd en gecontroleerd.",
        refused=services.InvoiceError,
    ):
        return redirect("invoices:detail", pk=submitted.result.invoice_id)
    _record_foreign_trajectory(user, form)
    return render(
        request,
        "invoices/submit.html",
        {
            "page_title": "Bemiddelingsfee declareren",
            "intro": "Eén bemiddelingsfee per plaatsing, met de arbeidsovereenkomst. De "
            "declaratie wordt direct gecontroleerd op uren, duur en termijn; een tweede "
            "declaratie voor dezelfde plaatsing wordt geweigerd.",
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required(Perm.TRAJECTORY_ORDER)
def travel_claims(request: HttpRequest) -> HttpResponse:
    """The case manager enters a candidate's travel claim (R-BILL-9) and sees recent ones."""
    user = actor_of(request)
    form = TravelClaimForm(
        request.POST or None,
        trajectory_choices=_trajectory_choices(request, "Reiskosten: traject kiezen"),
        initial=_trajectory_initial(request),
    )
    submitted = form_submit(
        request,
        form,
        lambda data: services.travel_claim_submit(
            actor=user,
            trajectory=trajectory_selectors.trajectory_for_user(user, data["trajectory"]),
            trips=data["trips"],
            attended_on=data["attended_on"],
        ),
        done="De reiskostendeclaratie is ingevoerd en gecontroleerd.",
        refused=services.InvoiceError,
    )
    if submitted:
        # Redirect-after-post: a reload does not enter the claim twice; the page shows the
        # outcome of the claim just entered, by its number in the address.
        return redirect(f"{reverse('invoices:travel')}?declaratie={submitted.result.pk}")
    _record_foreign_trajectory(user, form)
    result = None
    shown = request.GET.get("declaratie", "")
    if shown.isascii() and shown.isdigit() and len(shown) <= 18:  # a 64-bit id
        result = selectors.travel_claims_for(user).filter(pk=int(shown)).first()
        if result is not None:
            audit_read(request, result, result.client_id, "Reiskostendeclaratie bekijken")
    claims = list(selectors.travel_claims_for(user)[:20])
    audit_listed(request, claims, object_type="travel_claim", purpose="Reiskostendeclaraties")
    return render(
        request,
        "invoices/travel.html",
        {
            "page_title": "Reiskosten kandidaten",
            "form": form,
            "result": result,
            "trips": list(result.trips.all()) if result is not None else [],
            "claims": claims,
        },
        status=400 if request.method == "POST" else 200,
    )
