"""Pages of the finance models: access, compute, save, exports (R-FIN-1..5, R-INT-4)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from opstap.accounts.models import User
from opstap.core.roles import RoleCode
from opstap.finance.calculators import CALCULATORS
from opstap.finance.forms import KindForms
from opstap.finance.models import Scenario

pytestmark = pytest.mark.django_db

PAGES = [
    "finance:index",
    "finance:cost_split",
    "finance:business_case",
    "finance:safety_net",
    "finance:forecast",
    "finance:premiums",
]


@pytest.fixture
def policy(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.POLICY_OFFICER, username="beleid")


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def post_data(kind: str, inputs: dict | None = None, **extra: str) -> dict[str, str]:
    """The form POST for inputs, built by rendering the unbound forms' initial values."""
    forms = KindForms(kind, inputs=inputs or CALCULATORS[kind].defaults())
    data: dict[str, str] = {}

    def add(form) -> None:  # type: ignore[no-untyped-def]
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is not None:
                data[key] = str(value)

    add(forms.main)
    for fs in forms.sets.values():
        mgmt = fs.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[mgmt.add_prefix(name)] = str(mgmt.initial.get(name, 0))
        for form in fs.forms:
            add(form)
    data.update(extra)
    return data


@pytest.mark.parametrize("url_name", PAGES)
def test_pages_require_finance_permission(
    client: Client, case_manager: User, url_name: str
) -> None:
    """R-FIN: finance pages need Perm.FINANCE_VIEW (a case manager gets 403)."""
    assert login(client, case_manager).get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", PAGES)
def test_policy_officer_sees_pages(client: Client, policy: User, url_name: str) -> None:
    """R-FIN: each model page renders the reference result for a policy officer."""
    response = login(client, policy).get(reverse(url_name))
    assert response.status_code == 200
    # the safety-net intro kept "()" where a rule id had been cut out
    assert "()" not in response.content.decode()


def test_business_case_page_shows_reference(client: Client, policy: User) -> None:
    """R-FIN-2: the default business case shows 847.500 net and payback 2024."""
    html = login(client, policy).get(reverse("finance:business_case")).content.decode()
    assert "€\u00a0847.500,00" in html
    assert "€\u00a01.411.750,00" in html
    assert "<svg" in html  # chart, with the tables as alternative


def test_business_case_compute_with_lower_outflow(client: Client, policy: User) -> None:
    """R-FIN-2: changing the expected outflow changes the payback year and the split."""
    data = post_data("business_case", action="compute")
    data["jaar-0-expected_outflow"] = "400"
    data["jaar-1-expected_outflow"] = "400"
    html = login(client, policy).post(reverse("finance:business_case"), data).content.decode()
    assert "Terugverdiend in" in html
    # extra outflow 200 instead of 105: 2022 savings * 200/105 pay back in 2023
    assert ">2023<" in html


def test_cost_split_compute_and_save(client: Client, policy: User) -> None:
    """R-FIN-1: compute the key from the form and save it as a named scenario."""
    data = post_data("cost_split", action="save_as_new", **{"s-scenario_name": "Sleutel 2021"})
    response = login(client, policy).post(reverse("finance:cost_split"), data)
    assert response.status_code == 302
    scenario = Scenario.objects.get(name="Sleutel 2021")
    html = client.get(response["Location"]).content.decode()
    assert "28,39%" in html and "19,73%" in html and "51,88%" in html
    assert scenario.organisation_id == policy.organisation_id


def test_saved_scenario_of_other_org_is_404(
    client: Client, make_user: Callable[..., User], other_org, policy: User
) -> None:
    """R-SEC-1: a scenario of another organisation is not found."""
    from opstap.finance.services import scenario_save

    scenario = scenario_save(
        actor=policy,
        organisation=policy.organisation,
        kind="forecast",
        name="X",
        inputs=CALCULATORS["forecast"].defaults(),
    )
    stranger = make_user(RoleCode.POLICY_OFFICER, organisation=other_org, username="elders")
    response = login(client, stranger).get(reverse("finance:forecast") + f"?scenario={scenario.pk}")
    assert response.status_code == 404


def test_xlsx_export_has_numbers(client: Client, policy: User) -> None:
    """R-INT-4: the xlsx holds amounts as numbers and percentages as percent format."""
    data = post_data("business_case", action="xlsx")
    response = login(client, policy).post(reverse("finance:business_case"), data)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    sheet = wb["Per investeringsjaar"]
    values = [c.value for c in sheet[3]]
    assert 1411750 in values and 411750 in values
    muni = wb[next(n for n in wb.sheetnames if n.startswith("Per gemeente"))]
    assert muni["B3"].value == pytest.approx(0.2839)
    assert muni["B3"].number_format == "0.0#%"


def test_pdf_export(client: Client, policy: User) -> None:
    """R-INT-4: a PDF report for the council."""
    data = post_data("safety_net", action="pdf")
    response = login(client, policy).post(reverse("finance:safety_net"), data)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_safety_net_page_marks_zevenaar(client: Client, policy: User) -> None:
    """R-FIN-4: Zevenaar 9% eligible, compensation shown."""
    html = login(client, policy).get(reverse("finance:safety_net")).content.decode()
    assert "9,0%" in html
    assert "€\u00a0100.500,00" in html


def test_cost_split_from_register(client: Client, policy: User) -> None:
    """R-FIN-1: inhabitants from organisations and client files from the register."""
    html = (
        login(client, policy)
        .get(reverse("finance:cost_split") + "?bron=register&peildatum=2021-06-01")
        .content.decode()
    )
    # inhabitants come from the organisation's municipalities; no clients in this test, so
    # the model says the client-file total is 0 instead of dividing by it.
    assert 'value="25067"' in html and 'value="44099"' in html
    assert "klantdossiers is 0" in html


def test_forecast_realised_line(client: Client, policy: User) -> None:
    """R-FIN-5: the realised line can be shown beside the projection."""
    data = post_data("forecast", action="compute", **{"m-show_realised": "on"})
    response = login(client, policy).post(reverse("finance:forecast"), data)
    assert response.status_code == 200
    assert "Gerealiseerd" in response.content.decode()


def test_premium_scheme_switch(client: Client, policy: User) -> None:
    """R-PREM-1: the scheme can be switched off from the page."""
    login(client, policy).post(reverse("finance:premiums"), {"enabled": "0"})
    from opstap.finance.services import premium_scheme

    assert premium_scheme().enabled is False


def test_pdf_is_a4_council_layout(policy: User) -> None:
    """R-INT-4, issue 14: the business-case PDF is A4 with the organisation's letterhead,
    printed landscape because its table is wide, and it renders every column (checked from
    the PDF's own text: it used to drop every column after "Besparing jaar 1")."""
    import io

    from pypdf import PdfReader

    from opstap.core.exports import report_pdf

    inputs = CALCULATORS["business_case"].defaults()
    _result, report = CALCULATORS["business_case"].run(inputs)
    reader = PdfReader(io.BytesIO(report_pdf(report, organisation=policy.organisation)))
    box = reader.pages[0].mediabox
    # A4 landscape = 297 x 210 mm = 841.9 x 595.3 pt
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    words = " ".join(text.split())
    assert "RSD de Liemers" in words and "847.500,00" in words
    for table in report.tables:
        for header in table.headers:
            assert " ".join(header.split()) in words or all(
                part in words for part in header.split()
            ), header
    for chart in report.charts:
        assert chart.title in words


def test_home_panel_and_menu_for_policy_officer(
    client: Client, policy: User, case_manager: User
) -> None:
    """R-FIN: policy officers find the finance models on the start page and in the menu."""
    html = login(client, policy).get(reverse("web:home")).content.decode()
    assert 'id="finance-panel-title"' in html
    assert reverse("finance:index") in html
    html = login(client, case_manager).get(reverse("web:home")).content.decode()
    assert 'id="finance-panel-title"' not in html


def test_safety_net_bands_per_year_from_the_form(client: Client, policy: User) -> None:
    """R-FIN-4: a year with its own bands (here: own risk only 1%) changes eligibility."""
    data = post_data("safety_net", action="compute")
    data.update(
        {
            "schijf-0-year": "2023",
            "schijf-0-own_risk": "1",
            "schijf-0-upper": "5",
            "schijf-0-middle": "50",
            "schijf-0-top": "100",
        }
    )
    html = login(client, policy).post(reverse("finance:safety_net"), data).content.decode()
    assert "Duiven 2023" in html
    # Duiven 1.5% deficit is now above the 1% threshold: 50% of 0.5% of 6.5 mln = 16,250.
    assert "€\u00a016.250,00" in html


def test_amounts_on_pages_do_not_wrap_but_exports_keep_their_text(
    client: Client, policy: User
) -> None:
    """WCAG 1.4.10 (reflow, 320 px): "€ 1.411.750,00" broke into "€" and the number on two
    lines; on the page the space after € is now a no-break space. The xlsx keeps numbers and
    the PDF its text as before (`format_euro`)."""
    http = login(client, policy)
    html = http.get(reverse("finance:business_case")).content.decode()
    assert "€\u00a01.411.750,00" in html and "€ 1.411.750,00" not in html
    premiums = http.get(reverse("finance:premiums")).content.decode()
    assert "krijgt €\u00a0500,00 direct na uitstroom" in premiums
    # the total paid read "0" (a bare Decimal, "1000.00" once premiums were paid)
    assert '<th scope="row">Totaal betaald</th><td class="num">€\u00a00,00</td>' in premiums


def test_a_saved_scenario_opens_with_its_amounts_written_the_dutch_way(
    client: Client, policy: User
) -> None:
    """R-FIN-1/R-FIN-3, walked as the policy officer: a saved business case opened with its
    key as '28.39' and its investment as '1000000' in boxes that are typed '28,39'; the
    boxes now show the stored figures the Dutch way ('28,39', '1.000.000,00')."""
    from opstap.finance.services import scenario_save

    inputs = CALCULATORS["business_case"].defaults()
    assert inputs["key"][0]["percentage"] == "28.39"  # stored as text
    assert inputs["years"][0]["investment"] == "1000000"
    scenario = scenario_save(
        actor=policy,
        organisation=policy.organisation,
        kind="business_case",
        name="BC",
        inputs=inputs,
    )
    html = (
        login(client, policy)
        .get(reverse("finance:business_case") + f"?scenario={scenario.pk}")
        .content.decode()
    )
    assert 'value="28,39"' in html and 'value="28.39"' not in html
    assert 'value="1.000.000,00"' in html and 'value="1000000"' not in html
