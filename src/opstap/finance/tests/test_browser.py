"""Browser journey (R-FIN-2, R-INT-4): a policy officer opens the business case, changes the
expected outflow, sees the payback year and the per-municipality split change, and downloads
an xlsx (numbers as numbers) and a PDF (A4) for the council."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest
from openpyxl import load_workbook

from opstap.accounts.models import User
from opstap.conftest import browser_login
from opstap.core.roles import RoleCode
from opstap.finance import demo_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class _Ctx:
    def __init__(self, organisation, users) -> None:  # type: ignore[no-untyped-def]
        self.organisation = organisation
        self.users = users

    def log(self, _message: str) -> None:
        pass


def test_policy_officer_business_case_journey(
    page, make_user: Callable[..., User], live_server
) -> None:  # type: ignore[no-untyped-def]
    """R-FIN-2: change the expected outflow → payback year and split change; exports work."""
    beleid = make_user(RoleCode.POLICY_OFFICER, username="beleid")
    demo_data.build(_Ctx(beleid.organisation, {"beleid": beleid}))

    browser_login(page, "beleid")
    page.wait_for_url("**/")
    page.get_by_role("link", name="Financiën").first.click()
    page.get_by_role("link", name="Businesscase 2022-2023 (bestuurlijke opdracht)").click()
    payback = page.locator('[data-summary="terugverdiend-in"]')
    assert payback.inner_text() == "2024"
    # A no-break space keeps the amount on one line at 320 px (WCAG 1.4.10).
    assert page.locator('[data-summary="netto-besparing"]').inner_text() == "€\u00a0847.500,00"
    split_table = page.locator("table", has=page.locator("caption", has_text="Per gemeente"))
    duiven_before = split_table.locator("tr", has_text="Duiven").inner_text()

    # More outflow than planned: the savings scale with the extra outflow above the norm.
    page.locator("#id_jaar-0-expected_outflow").fill("400")
    page.locator("#id_jaar-1-expected_outflow").fill("400")
    page.get_by_role("button", name="Berekenen").click()
    page.wait_for_load_state()
    assert payback.inner_text() == "2023"
    duiven_after = split_table.locator("tr", has_text="Duiven").inner_text()
    assert duiven_after != duiven_before
    assert "Duiven" in duiven_after and "28,39%" in duiven_after

    with page.expect_download() as xlsx_info:
        page.get_by_role("button", name="Download Excel").click()
    xlsx = xlsx_info.value
    assert xlsx.suggested_filename.endswith(".xlsx")
    with open(xlsx.path(), "rb") as fh:
        wb = load_workbook(io.BytesIO(fh.read()))
    years = wb["Per investeringsjaar"]
    first_year = [c.value for c in years[3]]
    assert first_year[0] == "2022"
    assert isinstance(first_year[1], float | int) and first_year[1] == 1_000_000
    assert years.cell(row=3, column=2).number_format.startswith("€")

    with page.expect_download() as pdf_info:
        page.get_by_role("button", name="Download PDF").click()
    assert pdf_info.value.suggested_filename.endswith(".pdf")
    with open(pdf_info.value.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"  # A4 layout itself: test_views.test_pdf_is_a4

    page.add_script_tag(url=f"{live_server.url}/static/vendor/axe.min.js")
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})"
    )
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1)[:3000]
