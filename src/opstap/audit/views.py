"""The auditor's pages (R-SEC-2): search the audit trail and export it to Excel."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from opstap.core.access import permission_required
from opstap.core.actor import actor_of
from opstap.core.audit_names import object_type_for
from opstap.core.roles import Perm

from .export import write_audit_xlsx
from .forms import AuditFilterForm
from .models import AuditAction, AuditRecord
from .selectors import AuditFilter, audit_records_for
from .services import audit_log

PAGE_SIZE = 50


def _filter_from(form: AuditFilterForm) -> AuditFilter:
    if not form.is_valid():
        return AuditFilter(client_id=-1)  # invalid input shows nothing, never everything
    data = form.cleaned_data
    return AuditFilter(
        client_id=data.get("client_id"),
        user=(data.get("user") or "").strip(),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        action=data.get("action") or "",
    )


@permission_required(Perm.AUDIT_VIEW)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, organisation_id=actor_of(request).organisation_id)
    flt = _filter_from(form) if request.GET else AuditFilter()
    page = Paginator(audit_records_for(actor_of(request), flt), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if flt.client_id and flt.client_id > 0:
        # Looking up what happened to one person's data is itself a processing of it.
        audit_log(
            action=AuditAction.SEARCH,
            request=request,
            object_type=object_type_for(AuditRecord),
            client_id=flt.client_id,
            purpose=f"Audittrail doorzocht ({flt.describe()})"[:200],
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {
            "page_title": "Audittrail",
            "form": form if request.GET else AuditFilterForm(),
            "page": page,
            "query": query.urlencode(),
        },
    )


@permission_required(Perm.AUDIT_VIEW)
def audit_export(request: HttpRequest) -> FileResponse:
    form = AuditFilterForm(request.GET or None, organisation_id=actor_of(request).organisation_id)
    flt = _filter_from(form) if request.GET else AuditFilter()
    records = audit_records_for(actor_of(request), flt).iterator(chunk_size=2000)
    output, count = write_audit_xlsx(records)
    audit_log(
        action=AuditAction.EXPORT,
        request=request,
        object_type=object_type_for(AuditRecord),
        client_id=flt.client_id if flt.client_id and flt.client_id > 0 else None,
        purpose=f"Export audittrail: {count} regels ({flt.describe()})"[:200],
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        output,
        as_attachment=True,
        filename=f"audittrail-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
