"""A refused form on the provider and product pages comes back as the user left it, with the
Dutch message at the field (an earlier walk: the page redirected and every form was empty,
the message only in the banner). `frozen_today` fixes 'today' at 22-11-2026."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client

from opstap.providers import services

D = dt.date


def _field_error(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="opstap-field-error" id="{field_id}_error">([^<]*)</p>', html)
    return match.group(1) if match else ""


def test_refused_evidence_keeps_what_was_typed(
    contracted_a, contract_manager, client: Client, frozen_today
) -> None:
    """A certificate without its profession (R-NET-2) is refused beside that field; the
    description and dates typed stay in the form."""
    before = contracted_a.evidence.count()
    client.force_login(contract_manager)
    response = client.post(
        f"/aanbieders/{contracted_a.pk}/bewijsstukken/",
        {
            "kind": "certificate",
            "certificate_kind": "",
            "description": "Certificaat jobcoach Marieke",
            "valid_from": "2026-01-01",
            "valid_until": "2027-12-31",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert _field_error(html, "id_certificate_kind") == (
        "Geef bij een certificering de beroepsgroep op."
    )
    assert 'value="Certificaat jobcoach Marieke"' in html
    assert 'value="2027-12-31"' in html
    assert contracted_a.evidence.count() == before


def test_refused_contract_extension_keeps_the_note(
    provider_b, contract_manager, client: Client, frozen_today
) -> None:
    """R-NET-3: an extension without the provider's consent is refused at that box; the
    note and date typed stay, in the form of that contract only."""
    contract = services.contract_create(
        actor=contract_manager, provider=provider_b, reference="LEON-B", start_date=D(2026, 3, 1)
    )
    client.force_login(contract_manager)
    response = client.post(
        f"/aanbieders/contracten/{contract.pk}/verlengen/",
        {
            "decided_on": "2026-11-20",
            "organisation_consent": "on",
            "note": "Besproken in het kwartaaloverleg",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert _field_error(html, f"id_provider_consent-{contract.pk}").startswith(
        "Verlengen kan alleen met instemming van beide partijen"
    )
    assert "Besproken in het kwartaaloverleg</textarea>" in html
    assert 'value="2026-11-20"' in html
    contract.refresh_from_db()
    assert contract.terms_granted == 1


def test_refused_new_contract_keeps_the_reference(
    provider_b, contract_manager, client: Client, frozen_today
) -> None:
    client.force_login(contract_manager)
    response = client.post(
        f"/aanbieders/{provider_b.pk}/contracten/",
        {"reference": "LEON-2026-17", "start_date": "31-02-2026"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="LEON-2026-17"' in html
    assert _field_error(html, "id_start_date")
    assert not provider_b.contracts.exists()


def test_refused_end_of_participation_keeps_the_reason(
    contracted_a, contract_manager, client: Client, frozen_today
) -> None:
    """R-NET-8: a date that cannot be read is named at its field; the reason stays."""
    client.force_login(contract_manager)
    response = client.post(
        f"/aanbieders/{contracted_a.pk}/beeindigen/",
        {"ended_on": "gisteren", "reason": "Twaalf maanden geen activiteit"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Twaalf maanden geen activiteit</textarea>" in html
    assert _field_error(html, "id_ended_on")
    contracted_a.refresh_from_db()
    assert contracted_a.status != "ended"


def test_refused_price_keeps_what_was_typed(
    jobcoaching_zevenaar, contract_manager, client: Client, frozen_today
) -> None:
    client.force_login(contract_manager)
    response = client.post(
        f"/aanbieders/producten/{jobcoaching_zevenaar.pk}/prijs/",
        {"amount": "tachtig", "valid_from": "2027-01-01"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="tachtig"' in html
    assert 'value="2027-01-01"' in html
    assert _field_error(html, "id_amount")


def test_the_contract_manager_records_the_vat_category_on_the_product_page(
    jobcoaching_zevenaar, contract_manager, client: Client, frozen_today
) -> None:
    """R-BILL-11: the product page shows the VAT category and lets the contract manager change
    it; an unknown value comes back at the field with the service's message, not Django's
    'Selecteer een geldige keuze. nul is geen beschikbare keuze.' that repeated the code."""
    client.force_login(contract_manager)
    url = f"/aanbieders/producten/{jobcoaching_zevenaar.pk}/"
    page = client.get(url).content.decode()
    assert "<dt>Btw-tarief</dt><dd>Hoog tarief</dd>" in page
    assert 'aria-label="Btw-tarief wijzigen"' in page
    refused = client.post(f"{url}btw/", {"vat_code": "nul"})
    assert refused.status_code == 400
    assert _field_error(refused.content.decode(), "id_vat_code") == (
        "Kies het btw-tarief: vrijgesteld, laag of hoog tarief."
    )
    assert "nul" not in _field_error(refused.content.decode(), "id_vat_code")
    done = client.post(f"{url}btw/", {"vat_code": "exempt"})
    assert done.status_code == 302
    jobcoaching_zevenaar.refresh_from_db()
    assert jobcoaching_zevenaar.vat_code == "exempt"
    assert "<dt>Btw-tarief</dt><dd>Vrijgesteld (0%)</dd>" in client.get(url).content.decode()


def test_the_provider_history_names_the_new_vat_category(
    jobcoaching_zevenaar, contract_manager, client: Client, frozen_today
) -> None:
    """R-BILL-11: a changed VAT category changes what the invoice check expects, so the
    provider's history says which category it was and which it is; before, the line read only
    "Product '…' gewijzigd." like any edit of a name or a capacity."""
    client.force_login(contract_manager)
    product = jobcoaching_zevenaar
    done = client.post(f"/aanbieders/producten/{product.pk}/btw/", {"vat_code": "low"})
    assert done.status_code == 302
    history = client.get(f"/aanbieders/{product.provider_id}/").content.decode()
    line = f"Product &#x27;{product.name}&#x27; gewijzigd: btw-tarief Hoog tarief → Laag tarief."
    assert line in history
