"""The caseload's rows are written in the view (issue 18, R-CLI-3): the same bytes as the
template loop they replaced, every value escaped, on odd values and on the page itself, in
a budget of Python calls."""

from __future__ import annotations

import cProfile
import pstats
from pathlib import Path
from typing import Any

from django.template import Context, Engine
from django.test import Client as HttpClient
from django.utils.html import format_html, format_html_join

from opstap.clients.caseload_html import caseload_rows_html, filter_fields
from opstap.clients.forms import CaseloadFilterForm
from opstap.clients.models import Client
from opstap.clients.services import case_manager_set_unit

from .factories import make_client

#: The template loop the rows replaced (issue 18), kept next to this test to compare with.
OLD_LOOP = (Path(__file__).parent / "caseload_rows_loop.html").read_text(encoding="utf-8")


def _old_loop_html(rows: list[dict[str, Any]]) -> str:
    return Engine.get_default().from_string(OLD_LOOP).render(Context({"rows": rows}))


ODD_ROW: dict[str, Any] = {
    "url": "/klanten/7/?a=1&b=<2>",
    "name": "Dijk, Anna <b>van</b> & 'Zn'",
    "client_number": '"200001"',
    "age": 42,
    "ladder_step": "6",
    "sub_status": "met <groei> & 'zo'",
    "unit": "Werk & <inkomen>",
    "track": 'Spoor "1"',
    "target_groups": format_html('<span class="opstap-badge">{}</span> ', "A & B"),
    "municipality": "Zevenaar <Z>",
    "case_manager": "Karin <de> Vries",
}


def test_rows_html_equals_the_template_loop() -> None:
    """With and without a sub-status, a case manager, a unit, target groups and an age."""
    plain = {
        **ODD_ROW,
        "age": None,
        "sub_status": "",
        "unit": "",
        "track": "",
        "target_groups": "",
        "municipality": "",
        "case_manager": "",
    }
    rows = [ODD_ROW, plain]
    html = str(caseload_rows_html(rows))
    # The same bytes, white space included (the loop file is indented and ends in a newline).
    assert f"    {html}\n" == _old_loop_html(rows)
    assert "<b>van</b>" not in html and "&lt;b&gt;van&lt;/b&gt;" in html
    assert '<span class="opstap-badge">A &amp; B</span>' in html  # the badges as they are
    assert f"    {caseload_rows_html([])}\n" == _old_loop_html([])


def test_page_rows_equal_the_template_loop(org, case_manager, client: HttpClient) -> None:
    """On the page itself, in each view of it: the table body is what the loop wrote."""
    case_manager_set_unit(user=case_manager, unit="work")
    for n, (step, sub) in enumerate([("4", ""), ("6", "with_growth"), ("2b", ""), ("5", "")]):
        made = make_client(
            org,
            case_manager=case_manager,
            ladder_step=step,
            ladder_sub_status=sub,
            last_name=f"O'Neil & <{n}>",
        )
        if not n % 2:  # registered without a case manager before R-CLI-3 (legacy row)
            Client.objects.filter(pk=made.pk).update(case_manager=None)
    client.force_login(case_manager)
    for url in ("/klanten/", "/klanten/?klantmanager=", "/klanten/?trede=4", "/klanten/?q=zz"):
        response = client.get(url)
        body = response.content.decode()
        tbody = body[body.index("<tbody>", body.index('id="caseload-table"')) + 7 :]
        tbody = tbody[: tbody.index("</tbody>")]
        assert tbody == "\n" + _old_loop_html(response.context["rows"]) + "  ", url


def test_rows_of_a_page_stay_within_their_budget() -> None:
    """Issue 18: 25 rows in at most 2,500 Python calls (the template loop took 10,800 on
    7 December 2026; written in the view, 2,160)."""
    rows = [{**ODD_ROW, "url": f"/klanten/{n}/"} for n in range(25)]
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(5):
        caseload_rows_html(rows)
    profile.disable()
    calls = pstats.Stats(profile).total_calls / 5  # type: ignore[attr-defined]
    assert calls <= 2_500, calls


def test_filter_options_are_what_format_html_wrote() -> None:
    """The filters' options, written with `escape_text`, are what `format_html` wrote per
    option before (issue 18): values and labels escaped, the chosen one selected."""

    class Named:
        def __init__(self, pk: int, name: str) -> None:
            self.pk, self.name = pk, name

    municipalities = [Named(3, "Zevenaar & <Duiven>"), Named(12, '\'s-Heerenberg "oud"')]
    for params in (None, {"gemeente": "12", "trede": "4", "sort": "-naam"}, {"gemeente": "x<"}):
        form = CaseloadFilterForm(params, municipalities=municipalities, case_managers=[])
        for f in filter_fields(form):
            field = f["field"]
            if field.name == "q":
                assert f["options"] is None
                continue
            current = field.value()
            before = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (v, " selected" if v == current else "", label)
                    for v, label in field.field.choices
                ),
            )
            assert str(f["options"]) == str(before), (params, field.name)


#: The chart's bars and the table beside it, as the template's loops wrote them (issue 18).
OLD_CHART = (Path(__file__).parent / "caseload_chart_loop.html").read_text(encoding="utf-8")


def test_chart_and_its_table_equal_the_template_loops() -> None:
    """The bars and the table's rows written in the view are what the loops wrote: steps
    without clients, thousands, and labels with markup."""
    from opstap.clients.caseload_html import chart as chart_of
    from opstap.clients.caseload_html import counts_rows_html
    from opstap.clients.selectors import ladder_step_counts

    for raw in ({}, {"1": 3, "4": 12_345, "2b": 1}, {"6": 1_000}):
        counts = ladder_step_counts(raw=raw)
        counts[0]["label"] = "Trede <1> & 'zo'"
        chart = chart_of(counts)
        old = (
            Engine.get_default()
            .from_string(OLD_CHART)
            .render(Context({"chart": chart, "counts": counts}))
        )
        new = f"{chart['bars_html']}\n<table><tbody>{counts_rows_html(counts)}</tbody></table>"
        assert f"    {new}\n" == old, raw  # the same bytes, white space included
        assert "&lt;1&gt;" in new
