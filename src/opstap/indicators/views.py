"""Pages of the providers' performance indicators (R-PI-1): the comparison of providers for
a period (sortable table, bar chart with the table beside it, xlsx export), the drill-in per
provider with its products, and recording a quarterly overview. Views parse, call a
selector or service, and render; the rules are in `computation.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from opstap.accounts.models import User
from opstap.core.access import permission_required
from opstap.core.db_routing import reporting_view
from opstap.core.forms import service_action
from opstap.core.links import pk_links
from opstap.core.roles import Perm
from opstap.providers.selectors import provider_for_user

from . import charts, selectors, services
from .computation import INDICATOR_BY_CODE, INDICATORS, SHORT_LABELS, Period, PeriodError
from .exports import comparison_xlsx
from .forms import PeriodForm, QuarterlyOverviewForm
from .templatetags.indicators import indicator_cell


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _period(request: HttpRequest, today: dt.date) -> tuple[Period, PeriodForm]:
    """The period from `?van=…&tot=…`; the last twelve months when absent. When it cannot
    be read the form says why at its field (`form.period_refused`): the pages then show no
    figures, for the last twelve months would be read as the answer for the period asked."""
    default = Period.last_twelve_months(today)
    chosen = "van" in request.GET or "tot" in request.GET
    initial = {"van": default.start, "tot": default.end}
    form = PeriodForm(request.GET if chosen else None, initial=initial)
    if not chosen or not form.is_valid():
        return default, form
    start = form.cleaned_data.get("van") or default.start
    end = form.cleaned_data.get("tot") or default.end
    try:
        return Period(start, end), form
    except PeriodError as exc:
        form.add_error("tot" if exc.field == "to" else "van", exc.message)
        return default, form


def _period_query(period: Period) -> str:
    return f"van={period.start:%Y-%m-%d}&tot={period.end:%Y-%m-%d}"


def comparison_rows_html(rows: list[selectors.Row], period_query: str) -> SafeString:
    """The rows of the comparison table, as the template's loop wrote them (a `{% url %}`
    and 13 cells per provider; issue 18): each provider's name linked to its page for the
    period, then its results through `indicator_cell`. `test_views` compares the two."""
    link = pk_links("indicators:provider")
    query = conditional_escape(period_query)
    return mark_safe(  # noqa: S308  # the names and links are escaped, the cells are safe
        "".join(
            f'\n  <tr><th scope="row"><a class="utrecht-link" '
            f'href="{conditional_escape(link(row.id))}?{query}">{conditional_escape(row.name)}'
            "</a></th>\n    "
            + "".join(f'<td class="num">{indicator_cell(r)}</td>' for r in row.results)
            + "</tr>\n  "
            for row in rows
        )
    )


@reporting_view
@permission_required(Perm.PROVIDER_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    """Providers compared for a period; provider staff see only their own provider."""
    user = _user(request)
    today = timezone.localdate()
    period, form = _period(request, today)
    if form.period_refused:
        return render(
            request,
            "indicators/overview.html",
            {
                "page_title": "Prestatie-indicatoren aanbieders",
                "form": form,
                "refused": True,
                "indicators": INDICATORS,
            },
            status=400,
        )
    comparison = selectors.provider_comparison(user, period=period, today=today)
    sort = request.GET.get("sorteer", "name")
    if sort not in selectors.SORT_KEYS:
        sort = "name"
    descending = request.GET.get("richting") == "af"
    rows = selectors.sort_rows(comparison.rows, sort, descending=descending)
    period_query = _period_query(period)
    chart_code = request.GET.get("indicator", "plan_signed")
    if chart_code not in INDICATOR_BY_CODE:
        chart_code = "plan_signed"
    chart_definition = INDICATOR_BY_CODE[chart_code]
    chart_rows = selectors.sort_rows(comparison.rows, chart_code, descending=True)
    columns = [
        {
            "code": d.code,
            "label": d.label,
            "short": SHORT_LABELS[d.code],
            "sorted": sort == d.code,
            "next": "op" if sort == d.code and descending else "af",
        }
        for d in INDICATORS
    ]
    return render(
        request,
        "indicators/overview.html",
        {
            "page_title": "Prestatie-indicatoren aanbieders",
            "form": form,
            "period": period,
            "period_query": period_query,
            "rows": rows,
            "table_rows": comparison_rows_html(rows, period_query),
            "total": comparison.total,
            "columns": columns,
            "sort": sort,
            "descending": descending,
            "name_next": "op"
            if sort == "name" and descending
            else ("af" if sort == "name" else "op"),
            "indicators": INDICATORS,
            "chart_code": chart_code,
            "chart_definition": chart_definition,
            "chart_rows": chart_rows,
            # The chart's table: each provider with its result for the chosen indicator.
            "chart_results": [
                (row, r) for row in chart_rows for r in row.results if r.code == chart_code
            ],
            "small_number_threshold": int(getattr(settings, "OPSTAP_SMALL_NUMBER_THRESHOLD", 5)),
            "chart_svg": charts.bar_chart(
                chart_rows,
                chart_code,
                title=f"{chart_definition.label} per aanbieder, "
                f"{period.start:%d-%m-%Y} t/m {period.end:%d-%m-%Y}",
            ),
        },
    )


@reporting_view
@permission_required(Perm.PROVIDER_VIEW)
def export(request: HttpRequest) -> HttpResponse:
    """The comparison, per product and the counts behind them as xlsx (not personal data)."""
    user = _user(request)
    today = timezone.localdate()
    period, form = _period(request, today)
    if form.period_refused:
        # A period that cannot be read gave the workbook of the last twelve months under a
        # name the user took for theirs: the page names the field instead (400), no file.
        return overview(request)
    comparison = selectors.provider_comparison(user, period=period, today=today)
    products = selectors.product_comparison(user, period=period, today=today)
    response = HttpResponse(
        comparison_xlsx(comparison, products),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"prestatie-indicatoren-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@reporting_view
@permission_required(Perm.PROVIDER_VIEW)
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One provider: its indicators, per product, and its quarterly overviews."""
    user = _user(request)
    provider = provider_for_user(user, pk)
    today = timezone.localdate()
    period, form = _period(request, today)
    refused = form.period_refused
    manage = user.has_opstap_perm(Perm.PROVIDER_MANAGE)
    figures: dict[str, Any] = (
        {}
        if refused
        else {
            "period": period,
            "period_query": _period_query(period),
            "row": selectors.provider_indicators(user, provider, period=period, today=today),
            "products": selectors.product_rows(user, provider, period=period, today=today),
        }
    )
    return render(
        request,
        "indicators/provider.html",
        {
            "page_title": f"Prestatie-indicatoren {provider.name}",
            "provider": provider,
            "form": form,
            "refused": refused,
            **figures,
            "product_indicators": [d for d in INDICATORS if not d.provider_only],
            "overviews": selectors.quarterly_overviews_for(user, provider),
            "manage": manage,
            "overview_form": QuarterlyOverviewForm(
                initial={"year": today.year, "received_on": today}
            )
            if manage
            else None,
        },
        status=400 if refused else 200,
    )


@require_POST
@permission_required(Perm.PROVIDER_MANAGE)
def quarterly_overview_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    provider = provider_for_user(user, pk)
    form = QuarterlyOverviewForm(request.POST)
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        service_action(
            request,
            lambda: services.quarterly_overview_record(
                actor=user,
                provider=provider,
                year=data["year"],
                quarter=data["quarter"],
                received_on=data["received_on"],
                note=data.get("note") or "",
            ),
            done=f"Kwartaaloverzicht {data['year']} kwartaal {data['quarter']} vastgelegd.",
            refused=services.IndicatorError,
        )
    else:
        messages.error(request, "Vul jaar, kwartaal en ontvangstdatum in.")
    return redirect("indicators:provider", provider.pk)
