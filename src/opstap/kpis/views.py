"""Pages of the steering app (Dutch): the KPI dashboard, a detail page per KPI with its
breakdowns and trend, the drill-down to the clients behind a number (scoped and audited),
and the xlsx/PDF report for the councils. Views parse, call selectors and render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log, audit_records_for_request
from opstap.core.access import check_perm, get_object_for_user, permission_required
from opstap.core.actor import actor_of
from opstap.core.background import run_in_background
from opstap.core.charts import render_svg
from opstap.core.db_routing import reporting_view
from opstap.core.dutch import format_number, format_percent
from opstap.core.escape import escape_text
from opstap.core.exports import report_pdf, report_xlsx
from opstap.core.forms import add_domain_error
from opstap.core.roles import Perm

from . import disclosure, selectors, services
from . import report as kpi_report
from .db import no_jit
from .forms import FIRST_YEAR, KpiFilterForm, TargetsForm, editable_number
from .formulas import (
    SLUGS_NL,
    KpiCode,
    KpiKind,
    KpiResult,
    Status,
    code_for_slug,
    definition,
    year_not_begun_text,
)
from .models import KpiExport, KpiExportFormat, KpiExportStatus
from .tasks import build_kpi_export_task

PAGE_SIZE = 25

STATUS_CLASSES = {
    Status.MET: "opstap-kpi-status--met",
    Status.ON_TRACK: "opstap-kpi-status--on-track",
    Status.BEHIND: "opstap-kpi-status--behind",
    Status.NO_DATA: "opstap-kpi-status--none",
    Status.NO_TARGET: "opstap-kpi-status--none",
}


def fmt(kind: KpiKind, value: Decimal | None) -> str:
    """Dutch notation: 66,7% / 1.034 / 8,2."""
    if value is None:
        return "—"
    if kind in (KpiKind.SHARE, KpiKind.GROWTH):
        return format_percent(value)
    if kind is KpiKind.SCORE:
        return format_number(value, 1)
    return format_number(int(value))


def _organisation_id(request: HttpRequest) -> int:
    org_id = getattr(request.user, "organisation_id", None)
    if org_id is None:
        raise Http404
    return int(org_id)


def _context(request: HttpRequest) -> tuple[KpiFilterForm, selectors.KpiContext]:
    org_id = _organisation_id(request)
    form = KpiFilterForm(request.GET or None, organisation_id=org_id)
    return form, selectors.kpi_context(organisation_id=org_id, filters=form.filters())


def _kpi(request: HttpRequest, slug: str, view_name: str) -> KpiCode | HttpResponse:
    """The KPI of a page address: its Dutch slug (`SLUGS_NL`). The English code that was the
    address before answers with a permanent redirect to the Dutch one, the query kept, so
    bookmarks keep working; anything else is a 404."""
    code = code_for_slug(slug)
    if code is not None:
        return code
    try:
        old = KpiCode(slug)
    except ValueError as exc:
        raise Http404 from exc
    url = _url(view_name, old)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def _url(view_name: str, code: KpiCode) -> str:
    """The address of a KPI page (`kpis:detail`, `kpis:drilldown`), with the Dutch slug."""
    return reverse(view_name, args=[SLUGS_NL[code]])


def _query(form: KpiFilterForm) -> str:
    """The valid filters as a query (an unreadable value is left out, the others stay)."""
    if not form.is_bound:
        return ""
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    return urlencode({k: v for k, v in data.items() if v not in ("", None)})


def _municipality_name(form: KpiFilterForm, ctx: selectors.KpiContext) -> str:
    if not ctx.filters.municipality:
        return ""
    choices = dict(form.fields["gemeente"].choices)  # type: ignore[attr-defined]
    return str(choices.get(str(ctx.filters.municipality), ""))


def _page_query(request: HttpRequest) -> str:
    """The current query without the page number, ready for `...&pagina=N`."""
    rest = urlencode([(k, v) for k, v in request.GET.items() if k != "pagina"])
    return f"{rest}&" if rest else ""


def _card(
    result: KpiResult,
    points: list[selectors.TrendPoint],
    query: str,
    threshold: int | None = None,
) -> dict[str, Any]:
    d = result.definition
    kind = d.kind
    trend_kind = KpiKind.COUNT if kind is KpiKind.GROWTH else kind
    limit = threshold if kind is not KpiKind.SCORE else None
    # Small counts are shown as "< 5" to users without access to the clients behind them
    # (issue 19 item 11): the total, and each month of the trend.
    hidden = (
        disclosure.marker(limit) if limit and kpi_report.result_is_hidden(result, limit) else ""
    )
    trend = kpi_report.trend_table(result, points, threshold=limit)
    return {
        "result": result,
        "definition": d,
        "hidden": bool(hidden),
        "numerator": hidden or result.counts.numerator,
        "denominator": None
        if result.counts.denominator is None
        else (hidden or result.counts.denominator),
        "realised": hidden or fmt(kind, result.realised),
        "target": fmt(kind, result.target),
        "expected": fmt(kind, result.expected)
        if kind in (KpiKind.COUNT, KpiKind.GROWTH) and result.expected is not None
        else "",
        "status_class": STATUS_CLASSES[result.status],
        "svg": render_svg(kpi_report.trend_chart(result, points, threshold=limit)),
        "points": [
            {
                "label": kpi_report.month_label(p.month),
                "value": row[1].display() if row[1].kind == "text" else fmt(trend_kind, p.value),
                "numerator": row[2].display() if row[2].kind == "text" else p.numerator,
                "denominator": row[3].display()
                if len(row) > 3 and row[3].kind == "text"
                else p.denominator,
            }
            for p, row in zip(points, trend.rows, strict=True)
        ],
        "url": _url("kpis:detail", d.code) + (f"?{query}" if query else ""),
    }


def card_html(card: dict[str, Any], *, link: bool) -> SafeString:
    """A KPI card (`_card`) as its template wrote it (issue 18: nine cards of twelve months
    through the template engine were about an eighth of the dashboard's Python calls); every
    value is escaped as the template escapes it (`escape_text`), the chart is HTML already.
    `test_kpi_card_html` compares it with the template."""
    esc = escape_text
    d = card["definition"]
    code = esc(d.code)
    title = esc(d.title)
    numerator_label = esc(d.numerator_label)
    denominator_label = esc(d.denominator_label)
    heading = f'<a class="utrecht-link" href="{esc(card["url"])}">{title}</a>' if link else title
    expected = (
        f"<div><dt>Verwacht tot nu</dt><dd>{esc(card['expected'])}</dd></div>"
        if card["expected"]
        else ""
    )
    counts = f"{numerator_label}: {esc(card['numerator'])}"
    if card["denominator"] is not None:
        counts += f" · {denominator_label}: {esc(card['denominator'])}"
    with_d = card["result"].counts.denominator is not None
    header = (
        '<th scope="col">Maand</th><th scope="col" class="num">Waarde</th>'
        f'<th scope="col" class="num">{numerator_label}</th>'
    )
    if with_d:
        header += f'<th scope="col" class="num">{denominator_label}</th>'
    rows = []
    for p in card["points"]:
        row = (
            f'<tr><th scope="row">{esc(p["label"])}</th><td class="num">{esc(p["value"])}</td>'
            f'<td class="num">{esc(p["numerator"])}</td>'
        )
        if with_d:
            denominator = "—" if p["denominator"] is None else esc(p["denominator"])
            row += f'<td class="num">{denominator}</td>'
        rows.append(row + "</tr>")
    return mark_safe(  # noqa: S308  (every value above is escaped; the chart is HTML)
        f'<section class="opstap-kpi-card" aria-labelledby="kpi-{code}">\n'
        f'  <h2 class="utrecht-heading-2" id="kpi-{code}">{heading}</h2>\n'
        f'  <p class="opstap-kpi-rule">{esc(d.description)}</p>\n'
        '  <dl class="opstap-kpi-figures">\n'
        f'    <div><dt>Realisatie</dt><dd data-kpi="{code}">{esc(card["realised"])}</dd></div>\n'
        f"    <div><dt>Doel</dt><dd>{esc(card['target'])}</dd></div>\n"
        f"    {expected}\n"
        "  </dl>\n"
        f'  <p><span class="opstap-kpi-status {esc(card["status_class"])}">Status: '
        f"{esc(card['result'].status.label)}</span></p>\n"
        f'  <p class="opstap-muted">{counts}</p>\n'
        '  <figure class="opstap-chart">\n'
        f"    {card['svg']}\n"
        '    <figcaption class="opstap-muted">Verloop over de laatste 12 maanden; de cijfers '
        "staan in de tabel.</figcaption>\n"
        "  </figure>\n"
        "  <details>\n"
        "    <summary>Tabel bij de grafiek</summary>\n"
        '    <table class="opstap-table">\n'
        f'      <caption class="opstap-visually-hidden">{title} per maand</caption>\n'
        f"      <thead><tr>{header}</tr></thead>\n"
        f"      <tbody>{''.join(rows)}</tbody>\n"
        "    </table>\n"
        "  </details>\n"
        "</section>\n"
    )


@reporting_view
@permission_required(Perm.STEERING_VIEW)
@no_jit
def dashboard(request: HttpRequest) -> HttpResponse:
    form, ctx = _context(request)
    # A refused year answers 400: the page names the field and shows no figures.
    return _dashboard(request, form, ctx, status=400 if form.year_refused else 200)


def _dashboard(
    request: HttpRequest,
    form: KpiFilterForm,
    ctx: selectors.KpiContext,
    *,
    status: int = 200,
) -> HttpResponse:
    """The dashboard; without figures when the year asked for has none (the year field says
    why): figures of another year under the asked-for filters would be read as the answer."""
    query = _query(form)
    refused = form.year_refused
    # A year that has not begun (targets are set ahead) shows its targets and no figures.
    not_begun = not refused and not ctx.begun
    threshold = (
        None if refused or not_begun else selectors.small_number_threshold(request.user, ctx)
    )
    cards = (
        []
        if refused or not_begun
        else [
            card_html(_card(r, selectors.trend(ctx, r.code), query, threshold), link=True)
            for r in selectors.kpi_results(ctx)
        ]
    )
    return render(
        request,
        "kpis/dashboard.html",
        {
            "page_title": "Sturing: KPI's" if refused else f"Sturing: KPI's {ctx.filters.year}",
            "form": form,
            "ctx": ctx,
            "cards": cards,
            "refused": refused,
            "not_begun": year_not_begun_text(ctx.filters.year) if not_begun else "",
            "targets": kpi_report.targets_table(ctx) if not_begun else None,
            "query": query,
            "selection": kpi_report.filters_text(
                ctx, municipality_name=_municipality_name(form, ctx)
            ),
        },
        status=status,
    )


@reporting_view
@permission_required(Perm.STEERING_VIEW)
@no_jit
def detail(request: HttpRequest, code: str) -> HttpResponse:
    kpi = _kpi(request, code, "kpis:detail")
    if isinstance(kpi, HttpResponse):
        return kpi
    form, ctx = _context(request)
    query = _query(form)
    if form.year_refused or not ctx.begun:
        # A refused year (400) and a year not yet begun show the definition without figures.
        context: dict[str, object] = {
            "page_title": definition(kpi).title,
            "definition": definition(kpi),
            "form": form,
            "query": query,
        }
        if form.year_refused:
            context["refused"] = True
        else:
            target = selectors.targets_for(ctx.organisation_id, ctx.filters.year)[kpi]
            context |= {
                "not_begun": year_not_begun_text(ctx.filters.year),
                "target": fmt(definition(kpi).kind, target),
                "year": ctx.filters.year,
                "selection": kpi_report.filters_text(
                    ctx, municipality_name=_municipality_name(form, ctx)
                ),
            }
        return render(
            request, "kpis/detail.html", context, status=400 if form.year_refused else 200
        )
    result = selectors.kpi_result(ctx, kpi)
    points = selectors.trend(ctx, kpi)
    threshold = selectors.small_number_threshold(request.user, ctx)
    breakdowns = [
        kpi_report.breakdown_table(
            "Gemeente",
            result,
            selectors.breakdown_by_municipality(ctx, kpi),
            threshold=threshold,
        ),
    ]
    if selectors.kpi_is_client_based(kpi):
        breakdowns += [
            kpi_report.breakdown_table(
                "Unit", result, selectors.breakdown_by_unit(ctx, kpi), threshold=threshold
            ),
            kpi_report.breakdown_table(
                "Doelgroep",
                result,
                selectors.breakdown_by_target_group(ctx, kpi),
                threshold=threshold,
                additive=False,
            ),
        ]
    can_drill = selectors.kpi_is_client_based(kpi) and check_perm(request.user, Perm.CLIENT_VIEW)
    drill_url = _url("kpis:drilldown", kpi) + "?" + (f"{query}&" if query else "")
    parts = []
    if can_drill:
        parts.append((f"{drill_url}deel=teller", result.definition.numerator_label, "teller"))
        if result.counts.denominator is not None:
            parts += [
                (f"{drill_url}deel=noemer", result.definition.denominator_label, "noemer"),
                (f"{drill_url}deel=rest", "Noemer zonder teller", "rest"),
            ]
    card = _card(result, points, query, threshold)
    return render(
        request,
        "kpis/detail.html",
        {
            "page_title": result.definition.title,
            "definition": result.definition,
            "form": form,
            "card": card,
            "card_html": card_html(card, link=False),
            "trend_table": kpi_report.trend_table(result, points, threshold=threshold),
            "threshold": threshold,
            "breakdowns": breakdowns,
            "can_drill": can_drill,
            "drill_parts": parts,
            "query": query,
            "selection": kpi_report.filters_text(
                ctx, municipality_name=_municipality_name(form, ctx)
            ),
        },
    )


PART_LABELS = {
    "teller": "klanten in de teller",
    "noemer": "alle klanten in de noemer",
    "rest": "klanten in de noemer die (nog) niet in de teller zitten",
}


@permission_required(Perm.STEERING_VIEW, Perm.CLIENT_VIEW)
@no_jit
def drilldown(request: HttpRequest, code: str) -> HttpResponse:
    """The clients behind a number, only those within the user's own scope (R-SEC-1); every
    client shown is audited (R-SEC-2)."""
    kpi = _kpi(request, code, "kpis:drilldown")
    if isinstance(kpi, HttpResponse):
        return kpi
    if not selectors.kpi_is_client_based(kpi):
        raise Http404
    form, ctx = _context(request)
    if form.year_refused or not ctx.begun:
        # No clients of another year: the KPI page names the year that cannot be read (or
        # says that it has not begun).
        return redirect(_url("kpis:detail", kpi) + f"?{request.GET.urlencode()}")
    part = request.GET.get("deel", "teller")
    if part not in selectors.PARTS:
        part = "teller"
    qs = selectors.drilldown_clients(user=actor_of(request), ctx=ctx, code=kpi, part=part)
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("pagina"))
    clients = list(page.object_list)
    d = definition(kpi)
    audit_records_for_request(
        request,
        action=AuditAction.LIST,
        object_type="client",
        items=[(c.pk, c.pk) for c in clients],
        purpose=f"Uitsplitsing {d.title} ({part})"[:200],
    )
    query = _query(form)
    return render(
        request,
        "kpis/drilldown.html",
        {
            "page_title": f"{d.title}: klanten",
            "definition": d,
            "part_label": PART_LABELS[part],
            "page": page,
            "clients": clients,
            "query": _page_query(request),
            "back_url": _url("kpis:detail", kpi) + (f"?{query}" if query else ""),
            "selection": kpi_report.filters_text(
                ctx, municipality_name=_municipality_name(form, ctx)
            ),
        },
    )


def _export(request: HttpRequest, fmt_: str) -> HttpResponse:
    form, ctx = _context(request)
    if form.year_refused:
        # No report of another year under this name: the dashboard names the field.
        return _dashboard(request, form, ctx, status=400)
    name = _municipality_name(form, ctx)
    report = kpi_report.council_report(
        ctx,
        municipality_name=name,
        threshold=selectors.small_number_threshold(request.user, ctx),
    )
    subtitle = kpi_report.filters_text(ctx, municipality_name=name)
    filename = slugify(f"kpi-sturing-{ctx.filters.year}-{name or 'alle-gemeenten'}")
    audit_log(
        action=AuditAction.EXPORT,
        request=request,
        object_type="kpi_report",
        object_id=ctx.filters.year,
        purpose=f"KPI-rapportage {fmt_} ({subtitle})"[:200],
    )
    if fmt_ == "xlsx":
        response = HttpResponse(
            report_xlsx(report, scenario_name=subtitle),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        organisation = getattr(request.user, "organisation", None)
        response = HttpResponse(
            report_pdf(
                report,
                organisation=organisation,
                meta="Sturingsinformatie bestuurlijke opdracht",
            ),
            content_type="application/pdf",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt_}"'
    return response


@reporting_view
@permission_required(Perm.STEERING_VIEW)
@no_jit
def export_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


@reporting_view
@permission_required(Perm.STEERING_VIEW)
@no_jit
def export_pdf(request: HttpRequest) -> HttpResponse:
    return _export(request, "pdf")


@require_POST
@permission_required(Perm.STEERING_VIEW)
def export_start(request: HttpRequest) -> HttpResponse:
    """The dashboard's download buttons (R-INT-4): the report is built in the background and
    its page shows the progress, then the download."""
    query = str(request.POST.get("query", ""))[:300]
    org_id = _organisation_id(request)
    form = KpiFilterForm(QueryDict(query), organisation_id=org_id)
    if form.year_refused:
        return redirect(reverse("kpis:dashboard") + f"?{query}")
    ctx = selectors.kpi_context(organisation_id=org_id, filters=form.filters())
    selection = kpi_report.filters_text(ctx, municipality_name=_municipality_name(form, ctx))
    try:
        job = services.kpi_export_start(
            actor=actor_of(request),
            fmt=str(request.POST.get("action", "")),
            query=query,
            selection=selection,
        )
    except services.KpiError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("kpis:dashboard") + (f"?{query}" if query else ""))
    transaction.on_commit(
        lambda: run_in_background(
            build_kpi_export_task, job.pk, sync_setting="OPSTAP_KPI_EXPORT_SYNC"
        )
    )
    return redirect("kpis:export_detail", pk=job.pk)


@permission_required(Perm.STEERING_VIEW)
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of one report (polled by htmx every second), then its download link."""
    job = get_object_for_user(actor_of(request), KpiExport.objects.defer("content"), pk=pk)
    context = {"job": job, "page_title": "KPI-rapportage"}
    if request.headers.get("HX-Request"):
        return render(request, "kpis/_export_progress.html", context)
    return render(request, "kpis/export_detail.html", context)


@permission_required(Perm.STEERING_VIEW)
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The finished file (only for the one who asked for it; audited when requested)."""
    job = get_object_for_user(actor_of(request), KpiExport.objects.all(), pk=pk)
    if job.status != KpiExportStatus.DONE or job.content is None:
        raise Http404
    content_type = (
        "application/pdf"
        if job.fmt == KpiExportFormat.PDF
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(bytes(job.content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    return response


@permission_required(Perm.ADMIN_CONFIGURE)
def targets(request: HttpRequest) -> HttpResponse:
    """The application administrator sets the targets per year and the activity window."""
    org_id = _organisation_id(request)
    organisation: Any = getattr(request.user, "organisation", None)
    this_year = timezone.localdate().year
    years = range(this_year + 1, FIRST_YEAR - 1, -1)
    asked = request.GET.get("jaar") or str(this_year)
    if not asked.isdigit() or int(asked) not in years:
        # ?jaar=1800 showed (and saved) the targets of 2000, ?jaar=abc those of this year,
        # under the heading of that other year: the page names the years there are instead.
        return render(
            request,
            "kpis/targets.html",
            {
                "page_title": "KPI-doelen",
                "year_error": f"Kies een jaar van {FIRST_YEAR} tot en met {this_year + 1}.",
                "years": years,
            },
            status=400,
        )
    year = int(asked)
    current = selectors.targets_for(org_id, year)
    initial: dict[str, Any] = {
        f"kpi_{code.value}": editable_number(value) for code, value in current.items()
    }
    initial["activity_window_months"] = selectors.activity_window_months(org_id)
    if request.method == "POST":
        form = TargetsForm(request.POST, initial=initial, year=year)
        if form.is_valid():
            try:
                services.kpi_targets_save(
                    actor=actor_of(request),
                    organisation=organisation,
                    year=year,
                    targets={c: form.cleaned_data.get(f"kpi_{c.value}") for c in KpiCode},
                    activity_window_months=form.cleaned_data["activity_window_months"],
                )
            except services.KpiError as exc:
                add_domain_error(form, exc, fields={"window": "activity_window_months"})
            else:
                messages.success(request, f"De KPI-doelen voor {year} zijn opgeslagen.")
                return redirect(f"{reverse('kpis:targets')}?jaar={year}")
    else:
        form = TargetsForm(initial=initial, year=year)
    return render(
        request,
        "kpis/targets.html",
        {
            "page_title": f"KPI-doelen {year}",
            "form": form,
            "year": year,
            "years": years,
        },
    )
