"""Refused input on the invoice pages answers 400 with the message at its field and what was
typed kept (R-SEC-6), like the other forms of the app. The invoice, placement-fee and
travel-claim forms answered 200 to a refusal; the decision forms on the invoice page (reject,
approve, confirm the substance) and the batch's 'Betaald registreren' went back to the page
(302) with the message in the banner only and what was typed lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opstap.accounts.models import User
from opstap.invoices import services, views
from opstap.invoices.models import Invoice, PaymentBatch
from opstap.trajectories.models import Trajectory

from .conftest import field_error, submit, web_as

pytestmark = pytest.mark.django_db


def test_invoice_form_with_an_empty_field_answers_400_and_keeps_the_input(
    code3_done: Trajectory, provider_user_a: User
) -> None:
    """R-SEC-6, R-BILL-2: the invoice number left empty answered 200."""
    response = web_as(provider_user_a).post(
        "/facturen/indienen/",
        {
            "trajectory": str(code3_done.pk),
            "invoice_number": "",
            "invoice_date": "2026-08-10",
            "milestone": "final_report",
            "client_number": code3_done.client.client_number,
            "client_surname": code3_done.client.last_name,
            "amount_excl": "1.250,00",
            "vat": "262,50",
            "amount_incl": "1.512,50",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "invoice_number") == "Dit veld is vereist."
    assert 'value="1.250,00"' in html and 'value="262,50"' in html
    assert not Invoice.objects.exists()


def test_placement_fee_form_with_an_empty_field_answers_400_and_keeps_the_input(
    code3_done: Trajectory, provider_user_a: User
) -> None:
    """R-SEC-6, R-BILL-6: the employer left empty answered 200."""
    response = web_as(provider_user_a).post(
        "/facturen/bemiddelingsfee/",
        {
            "trajectory": str(code3_done.pk),
            "invoice_number": "PF-1",
            "invoice_date": "2026-08-10",
            "employer": "",
            "placement_start": "2026-07-01",
            "hours_per_week": "32,5",
            "contract": SimpleUploadedFile("c.pdf", b"%PDF-1.4 x", "application/pdf"),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "employer") == "Dit veld is vereist."
    assert 'value="PF-1"' in html and 'value="32,5"' in html
    assert not Invoice.objects.exists()


def test_placement_fee_form_names_every_problem_at_once(
    code3_done: Trajectory, provider_user_a: User
) -> None:
    """R-BILL-6, R-SEC-6: the form named one problem, and the next only after that one was
    fixed (the service refused with the first). Now every problem in one answer, each at its
    field, beside the form's own (an empty invoice number)."""
    response = web_as(provider_user_a).post(
        "/facturen/bemiddelingsfee/",
        {
            "trajectory": str(code3_done.pk),
            "invoice_number": "",
            "invoice_date": "2026-08-10",
            "employer": "Bakkerij Jansen",
            "placement_start": "2026-07-01",
            "hours_per_week": "0",
            "contract_months": "0",
            "probation_end": "2026-06-15",
            "contract": SimpleUploadedFile("c.pdf", b"%PDF-1.4 x", "application/pdf"),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "invoice_number") == "Dit veld is vereist."
    assert field_error(html, "hours_per_week") == "Het aantal uren per week moet positief zijn."
    assert field_error(html, "contract_months") == "De contractduur is minimaal 1 maand."
    assert field_error(html, "probation_end").startswith(
        "Het einde van de proeftijd (15-06-2026) ligt vóór de eerste werkdag (01-07-2026)."
    )
    assert not Invoice.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param(
            {"hours_per_week": "-5"},
            "hours_per_week",
            "De uren per week kunnen niet negatief zijn.",
            id="negative-hours-plural",
        ),
        pytest.param(
            {"hours_per_week": "veel"},
            "hours_per_week",
            "De uren per week zijn geen geldig getal.",
            id="hours-are-no-amount",
        ),
        pytest.param(
            {"client_hour_restriction": "veel"},
            "client_hour_restriction",
            "De urenbeperking is geen geldig getal.",
            id="restriction-is-no-amount",
        ),
    ],
)
def test_placement_fee_hours_are_named_as_hours(
    code3_done: Trajectory,
    provider_user_a: User,
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    """R-SEC-6: "De uren per week kan niet negatief zijn" and "... is geen geldig bedrag":
    the hours agree with their verb and are no amount of money."""
    values: dict[str, Any] = {
        "actor": provider_user_a,
        "trajectory": code3_done,
        "invoice_number": "PF-1",
        "invoice_date": dt.date(2026, 8, 10),
        "employer": "Bakkerij Jansen",
        "placement_start": dt.date(2026, 7, 1),
        "hours_per_week": "32",
        "contract_months": 12,
        **changes,
    }
    with pytest.raises(services.InvoiceError) as refused:
        services.placement_fee_claim_submit(**values)
    assert (refused.value.field, refused.value.message) == (field, message)


@pytest.mark.parametrize("field", ["hours_per_week", "client_hour_restriction"])
def test_placement_fee_form_does_not_call_hours_an_amount(
    code3_done: Trajectory, provider_user_a: User, field: str
) -> None:
    """R-SEC-6: 'veel' in an hours box answered "'veel' is geen geldig bedrag: schrijf een
    bedrag als 1.500,00"; hours are no amount of money."""
    data = {
        "trajectory": str(code3_done.pk),
        "invoice_number": "PF-1",
        "invoice_date": "2026-08-10",
        "employer": "Bakkerij Jansen",
        "placement_start": "2026-07-01",
        "hours_per_week": "32",
        "contract_months": "12",
        "contract": SimpleUploadedFile("c.pdf", b"%PDF-1.4 x", "application/pdf"),
        field: "veel",
    }
    response = web_as(provider_user_a).post("/facturen/bemiddelingsfee/", data)
    assert response.status_code == 400
    message = field_error(response.content.decode(), field)
    assert message == "Schrijf het aantal uren als een getal, bijvoorbeeld 32 of 32,5."
    assert 'value="veel"' in response.content.decode()


def test_travel_claim_with_an_unreadable_trip_answers_400_and_keeps_the_input(
    code3_done: Trajectory, case_manager: User
) -> None:
    """R-SEC-6, R-BILL-9: a trip line with letters for the amount answered 200."""
    response = web_as(case_manager).post(
        "/facturen/reiskosten/",
        {"trajectory": str(code3_done.pk), "trips": "11-05-2026 12 zes euro", "attended_on": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "trips")
    assert "11-05-2026 12 zes euro" in html


def test_reject_without_a_reason_answers_400_at_the_field(
    code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """R-SEC-6: 'Afwijzen' with no reason went back to the page with the service's message in
    the banner (302); the page now answers 400 with the message beside the reason box."""
    invoice = submit(provider_user_a, code3_done)
    web = web_as(clerk)
    response = web.post(f"/facturen/{invoice.pk}/afwijzen/", {"reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "reason") == "Geef een reden voor de afwijzing."
    invoice.refresh_from_db()
    assert invoice.status != "rejected"
    # done: back to the page, as before
    ok = web.post(f"/facturen/{invoice.pk}/afwijzen/", {"reason": "Dubbel ingediend"})
    assert ok.status_code == 302
    # a second click after the first one decided: the form is gone, the answer is not; it is
    # a conflict (409, R-INT-1), not wrong input
    again = web.post(f"/facturen/{invoice.pk}/afwijzen/", {"reason": "Dubbel ingediend"})
    assert again.status_code == 409
    assert "opstap-alert--error" in again.content.decode()


def test_marking_a_batch_paid_without_a_date_answers_400_at_the_field(
    code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """R-SEC-6, R-BILL-10: an empty or unreadable payment date went back to the batch page
    (302) with a banner and an empty box; now 400, the message at the date field."""
    invoice = submit(provider_user_a, code3_done)
    services.invoice_approve(actor=clerk, invoice=invoice, note="")
    batch = services.payment_batch_create(actor=clerk)
    services.payment_batch_export(actor=clerk, batch=batch)
    web = web_as(clerk)
    empty = web.post(f"/facturen/betaalbatches/{batch.pk}/betaald/", {"paid_on": ""})
    assert empty.status_code == 400
    message = field_error(empty.content.decode(), "paid_on")
    assert message == "Vul de datum in waarop de bank heeft betaald."
    wrong = web.post(f"/facturen/betaalbatches/{batch.pk}/betaald/", {"paid_on": "31-02-2026"})
    assert wrong.status_code == 400
    assert field_error(wrong.content.decode(), "paid_on")
    assert 'value="31-02-2026"' in wrong.content.decode()
    assert PaymentBatch.objects.get(pk=batch.pk).status != "paid"


def test_amounts_in_the_rules_reasons_do_not_wrap(
    code3_done: Trajectory, provider_user_a: User, clerk: User
) -> None:
    """WCAG 1.4.10: the reasons of the payment rules name amounts ('... is niet € 1.600,00');
    on the invoice page the € and the number stay on one line (no-break space), while the
    stored reason keeps its plain space for the exports."""
    from decimal import Decimal

    invoice = submit(provider_user_a, code3_done, amount_incl=Decimal("1600.00"))
    stored = " ".join(r["message"] for r in invoice.reasons)
    assert "€ 1.600,00" in stored
    html = web_as(clerk).get(f"/facturen/{invoice.pk}/").content.decode()
    reasons = html.split('id="invoice-reasons"', 1)[1].split("</ul>", 1)[0]
    assert "€\u00a01.600,00" in reasons and "€ 1" not in reasons


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/facturen/indienen/", "provider_user_a"),
        ("/facturen/bemiddelingsfee/", "provider_user_a"),
        ("/facturen/reiskosten/", "case_manager"),
    ],
)
def test_no_trajectory_is_chosen_in_advance(
    url: str, who: str, code3_done: Trajectory, request: pytest.FixtureRequest
) -> None:
    """R-BILL-2: the trajectory list opened with the first trajectory selected, so a claim sent
    without looking went to whichever client was on top. It now starts at "Kies een traject",
    and a claim without one is refused at the field."""
    web = web_as(request.getfixturevalue(who))
    page = web.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    select = html.split('name="trajectory"', 1)[1].split("</select>", 1)[0]
    first = select.split("<option", 2)[1]
    assert 'value=""' in first and "Kies een traject" in first
    assert select.count("selected") == 1 and 'value="" selected' in select
    refused = web.post(url, {"trajectory": ""})
    assert refused.status_code == 400
    assert field_error(refused.content.decode(), "trajectory") == (
        "Kies het traject waarover dit gaat."
    )


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/facturen/indienen/", "provider_user_a"),
        ("/facturen/bemiddelingsfee/", "provider_user_a"),
        ("/facturen/reiskosten/", "case_manager"),
    ],
)
def test_each_trajectory_in_the_list_names_its_order_date(
    url: str, who: str, code3_done: Trajectory, request: pytest.FixtureRequest
) -> None:
    """R-BILL-2: an option read "200170 Hermsen — Werkfit-traject — Werkkracht", so two
    trajectories of one client for the same product (a second one after an early end) looked
    the same and a claim could go to the wrong one. Each option now ends in its order date."""
    html = web_as(request.getfixturevalue(who)).get(url).content.decode()
    client = code3_done.client
    label = (
        f"{client.client_number} {client.last_name} — {code3_done.product.name}"
        f" (besteld {code3_done.order_date:%d-%m-%Y})"
    )
    assert f'<option value="{code3_done.pk}">{label}</option>' in html


def test_an_older_trajectory_is_reached_from_its_own_page(
    code3_done: Trajectory,
    contracted_b: Any,
    provider_user_a: User,
    provider_user_b: User,
    case_manager: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R-BILL-2: the claim forms list the newest trajectories only (500); a provider with more
    could not claim for an older one. The trajectory page links to the forms for its own
    trajectory (`?traject=<id>`), which then lists and preselects it. Another provider's id
    is not added, and the case manager gets no claim links."""
    monkeypatch.setattr(views, "CHOICES_LIMIT", 0)
    web = web_as(provider_user_a)
    detail = web.get(f"/trajecten/{code3_done.pk}/").content.decode()
    assert f'href="/facturen/indienen/?traject={code3_done.pk}"' in detail
    assert f'href="/facturen/bemiddelingsfee/?traject={code3_done.pk}"' in detail
    listed = web.get("/facturen/indienen/").content.decode()
    assert f'<option value="{code3_done.pk}"' not in listed
    opened = web.get(f"/facturen/indienen/?traject={code3_done.pk}").content.decode()
    assert f'<option value="{code3_done.pk}" selected>' in opened
    sent = web.post(
        "/facturen/indienen/",
        {
            "trajectory": str(code3_done.pk),
            "invoice_number": "F-9",
            "invoice_date": "2026-08-10",
            "milestone": "final_report",
            "client_number": code3_done.client.client_number,
            "client_surname": code3_done.client.last_name,
            "amount_excl": "1.250,00",
            "vat": "262,50",
            "amount_incl": "1.512,50",
        },
    )
    assert sent.status_code == 302, field_error(sent.content.decode(), "trajectory")
    assert Invoice.objects.filter(invoice_number="F-9", trajectory=code3_done).exists()
    other = web_as(provider_user_b).get(f"/facturen/indienen/?traject={code3_done.pk}")
    assert f'<option value="{code3_done.pk}"' not in other.content.decode()
    manager = web_as(case_manager).get(f"/trajecten/{code3_done.pk}/").content.decode()
    assert 'id="claim-links"' not in manager
