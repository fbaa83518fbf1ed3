"""Pages of the CBS SRG delivery (R-INT-2): the list with a form to build a month, and the
delivery page that polls its progress (htmx) and shows counts, the validation report, the
checksum, and the buttons to download, mark as sent or correct."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from opstap.core.access import get_object_for_user, permission_required
from opstap.core.actor import actor_of
from opstap.core.background import run_in_background
from opstap.core.downloads import attachment
from opstap.core.errors import DomainError
from opstap.core.forms import form_submit, service_action
from opstap.core.roles import Perm

from . import selectors, services
from .forms import DeliveryRequestForm, MarkSentForm
from .models import SrgDelivery
from .srg_format import ISSUE_LABELS_NL, IssueCode


def start_build(delivery_id: int) -> None:
    """Run the Celery task: queued on a broker; without one (demo, tests) in a thread so the
    page can poll, or inline with OPSTAP_SRG_SYNC."""
    from .tasks import build_srg_delivery_task

    run_in_background(build_srg_delivery_task, delivery_id, sync_setting="OPSTAP_SRG_SYNC")


def _after_commit(delivery_id: int) -> None:
    transaction.on_commit(lambda: start_build(delivery_id))


def _delivery(request: HttpRequest, pk: int) -> SrgDelivery:
    return get_object_for_user(
        actor_of(request), selectors.deliveries_for(actor_of(request)), pk=pk
    )


@permission_required(Perm.SRG_DELIVER)
def srg_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = DeliveryRequestForm(request.POST or None, organisation_id=actor.organisation_id)
    if submitted := form_submit(
        request,
        form,
        lambda data: services.srg_delivery_request(
            actor=actor,
            municipality=data["municipality"],
            month=data["month"],
            today=timezone.localdate(),
        ),
        done="De levering wordt samengesteld.",
    ):
        _after_commit(submitted.result.pk)
        return redirect("reporting:srg_detail", pk=submitted.result.pk)
    deliveries = list(selectors.deliveries_for(actor).select_related("sent_by")[:100])
    return render(
        request,
        "reporting/srg_list.html",
        {"page_title": "CBS-statistiek re-integratie (SRG)", "form": form, "rows": deliveries},
    )


def _context(delivery: SrgDelivery) -> dict[str, Any]:
    issues = delivery.counts.get("issues") or {}
    return {
        "delivery": delivery,
        "issue_rows": [
            (ISSUE_LABELS_NL[IssueCode(code)], count) for code, count in sorted(issues.items())
        ],
        "sent_form": MarkSentForm(),
    }


@permission_required(Perm.SRG_DELIVER)
def srg_detail(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = _delivery(request, pk)
    context = _context(delivery)
    if request.headers.get("HX-Request"):
        return render(request, "reporting/_srg_progress.html", context)
    return render(request, "reporting/srg_detail.html", {"page_title": "SRG-levering", **context})


def _download(
    request: HttpRequest, pk: int, *, field: str, what: str, content_type: str
) -> FileResponse:
    """A file of a delivery the user may see that is no longer open: the download is
    recorded (`what` names the file), then the stored file is sent as is."""
    delivery = _delivery(request, pk)
    if delivery.is_open:
        raise Http404
    services.srg_delivery_downloaded(actor=actor_of(request), delivery=delivery, what=what)
    stored = getattr(delivery, field)
    if not stored:
        raise Http404
    response = attachment(stored, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@permission_required(Perm.SRG_DELIVER)
def srg_download(request: HttpRequest, pk: int) -> FileResponse:
    return _download(
        request, pk, field="file", what="bestand", content_type="text/plain; charset=ascii"
    )


@permission_required(Perm.SRG_DELIVER)
def srg_report(request: HttpRequest, pk: int) -> FileResponse:
    return _download(
        request,
        pk,
        field="report",
        what="validatierapport",
        content_type="text/csv; charset=utf-8",
    )


@require_POST
@permission_required(Perm.SRG_DELIVER)
def srg_mark_sent(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = _delivery(request, pk)
    form = MarkSentForm(request.POST)
    form.is_valid()
    service_action(
        request,
        lambda: services.srg_delivery_mark_sent(
            actor=actor_of(request),
            delivery=delivery,
            report_seen=bool(form.cleaned_data.get("report_seen")),
        ),
        done="De levering is als verzonden gemarkeerd en kan niet meer wijzigen.",
    )
    return redirect("reporting:srg_detail", pk=delivery.pk)


@require_POST
@permission_required(Perm.SRG_DELIVER)
def srg_correct(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = _delivery(request, pk)
    try:
        correction = services.srg_delivery_request(
            actor=actor_of(request),
            municipality=delivery.municipality,
            month=delivery.month,
            today=timezone.localdate(),
            corrects=delivery,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:srg_detail", pk=delivery.pk)
    _after_commit(correction.pk)
    messages.success(request, "De correctie wordt samengesteld.")
    return redirect("reporting:srg_detail", pk=correction.pk)


@require_POST
@permission_required(Perm.SRG_DELIVER)
def srg_retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = _delivery(request, pk)
    if service_action(
        request, lambda: services.srg_delivery_retry(actor=actor_of(request), delivery=delivery)
    ):
        _after_commit(delivery.pk)
    return redirect("reporting:srg_detail", pk=delivery.pk)
