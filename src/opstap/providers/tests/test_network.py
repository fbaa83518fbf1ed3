"""Services and pages of the provider network: reference data (R-NET-1), evidence (R-NET-2),
contracts (R-NET-3), products and prices (R-NET-4, R-NET-6, R-NET-7), inactivity (R-NET-8),
signals and evaluations (R-NET-9)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client

from opstap.core.roles import RoleCode
from opstap.notifications.models import Notification
from opstap.providers import selectors, services
from opstap.providers.models import (
    Evaluation,
    EvaluationStatus,
    ProductCode,
    ProductPrice,
    PromotedModule,
    ProviderStatus,
    Tile,
)
from opstap.providers.services import LocationInput, ProviderError

D = dt.date


# --- R-NET-1 reference data -----------------------------------------------------------------


def test_tiles_loaded_with_eva_codes_in_source_order(db) -> None:
    """R-NET-1: eight purchasable tiles in the sources' order with EVA codes EW02..EW09;
    EW01 Melding is not purchasable; employer tiles DW01..DW10."""
    work = selectors.work_tiles(D(2026, 1, 1))
    assert [(t.number, t.code) for t in work] == [
        (1, "EW02"),
        (2, "EW03"),
        (3, "EW05"),
        (4, "EW04"),
        (5, "EW06"),
        (6, "EW07"),
        (7, "EW08"),
        (8, "EW09"),
    ]
    assert Tile.objects.get(code="EW01").purchasable is False
    employer = selectors.tiles(on=D(2026, 1, 1), kind="employer")
    assert [t.code for t in employer] == [f"DW{i:02d}" for i in range(1, 11)]
    assert employer[0].name == "Voorzorg" and employer[9].name == "Nazorg"


def test_product_codes_and_promoted_modules_loaded(db) -> None:
    """R-NET-1/R-BILL-1: product codes 1-5 with their regime; the five promoted modules."""
    regimes = {p.code: (p.price_type, p.ordering_mode) for p in ProductCode.objects.all()}
    assert regimes == {
        1: ("fixed", "direct"),
        2: ("variable", "quote"),
        3: ("fixed", "direct"),
        4: ("variable", "quote"),
        5: ("hourly", "quote"),
    }
    modules = {
        m.name: sorted(t.number for t in m.tiles.all()) for m in PromotedModule.objects.all()
    }
    assert modules == {
        "Praktijkdiagnose": [1, 4],
        "Oriëntatiecarrousel": [3, 4],
        "Maatschappelijk-fit-coach": [2],
        "Leerwerktraject": [4, 5, 6, 7],
        "Jobfinding": [6, 7],
    }


# --- R-NET-4 products -----------------------------------------------------------------------


def test_product_module_and_integral_offer(contracted_a, make_product) -> None:
    """R-NET-4: a product covers one tile, several (module) or all eight (integral offer),
    with code, price, duration, locations, target groups, ladder steps, capacity."""
    module = make_product(
        contracted_a,
        name="Leerwerktraject",
        tile_codes=["EW06", "EW04", "EW07", "EW08"],
        capacity=12,
    )
    assert sorted(t.number for t in module.tiles.all()) == [4, 5, 6, 7]
    integral = make_product(
        contracted_a, name="Integraal", tile_codes=[f"EW0{i}" for i in range(2, 10)]
    )
    assert integral.tiles.count() == 8
    assert module.capacity == 12
    assert [loc.municipality.name for loc in module.locations.all()] == ["Duiven"]
    with pytest.raises(ProviderError, match="niet-inkoopbare"):
        make_product(contracted_a, name="Melding", tile_codes=["EW01"])
    with pytest.raises(ProviderError, match="trede"):
        make_product(contracted_a, name="X", ladder_steps=["7"])


def test_price_history_and_price_on_order_date(contracted_a, make_product) -> None:
    """R-NET-6: every historical price is kept; an order uses the price valid on its date."""
    product = make_product(contracted_a, price=Decimal("1000.00"), price_valid_from=D(2024, 1, 1))
    services.product_price_set(
        actor=None, product=product, amount=Decimal("1100.00"), valid_from=D(2025, 1, 1)
    )
    assert services.product_price_on(product, D(2024, 12, 31)) == Decimal("1000.00")
    assert services.product_price_on(product, D(2025, 1, 1)) == Decimal("1100.00")
    assert services.product_price_on(product, D(2023, 12, 31)) is None
    with pytest.raises(ProviderError, match="later ingaan"):
        services.product_price_set(
            actor=None, product=product, amount=Decimal("900"), valid_from=D(2024, 6, 1)
        )
    assert ProductPrice.objects.filter(product=product).count() == 2


def test_ceiling_refuses_8001_on_reference_date(contracted_a, make_product) -> None:
    """R-NET-7: a jobcoaching hourly rate of EUR 80.01 on 2021-10-01 is refused with a Dutch
    message naming the ceiling and its date; EUR 80.00 is accepted."""
    with pytest.raises(ProviderError) as exc:
        make_product(
            contracted_a,
            name="Jobcoaching duur",
            product_code=5,
            price_type="hourly",
            service_kind="jobcoaching",
            price=Decimal("80.01"),
            price_valid_from=D(2021, 10, 1),
        )
    assert "maximum uurtarief" in str(exc.value)
    assert "EUR 80,00" in str(exc.value) and "01-10-2021" in str(exc.value)
    ok = make_product(
        contracted_a,
        name="Jobfinding",
        product_code=5,
        price_type="hourly",
        service_kind="jobfinding",
        price=Decimal("80.00"),
        price_valid_from=D(2021, 10, 1),
    )
    assert services.product_price_on(ok, D(2021, 10, 1)) == Decimal("80.00")


# --- R-NET-2 evidence -----------------------------------------------------------------------


def test_lapsed_certificate_makes_product_unorderable(
    jobcoaching_zevenaar, contracted_a, contract_manager
) -> None:
    """R-NET-2: a product whose required certificate has expired cannot be ordered."""
    assert services.product_orderability(product=jobcoaching_zevenaar, on=D(2026, 6, 1)) == (
        True,
        "",
    )
    ok, reason = services.product_orderability(product=jobcoaching_zevenaar, on=D(2031, 1, 1))
    assert not ok
    assert "certificering" in reason or "raamovereenkomst" in reason
    # Only the certificate lapses: a provider whose certificate ended last month.
    evidence = contracted_a.evidence.get()
    evidence.valid_until = D(2026, 5, 31)
    evidence.save()
    ok, reason = services.product_orderability(product=jobcoaching_zevenaar, on=D(2026, 6, 1))
    assert not ok and "vereiste certificering" in reason
    services.provider_set_status(
        actor=contract_manager,
        provider=contracted_a,
        status=ProviderStatus.SUSPENDED,
        reason="Onderzoek",
    )
    jobcoaching_zevenaar.refresh_from_db()
    ok, reason = services.product_orderability(product=jobcoaching_zevenaar, on=D(2026, 6, 1))
    assert not ok and "geschorst" in reason


def test_orderability_refused_after_contract_ended(jobcoaching_zevenaar, contract_manager) -> None:
    """R-NET-3: no ordering outside a running contract."""
    contract = jobcoaching_zevenaar.provider.contracts.get()
    services.contract_end(
        actor=contract_manager,
        contract=contract,
        ended_on=D(2026, 3, 1),
        reason="Op verzoek aanbieder",
    )
    ok, reason = services.product_orderability(product=jobcoaching_zevenaar, on=D(2026, 6, 1))
    assert not ok and "geen lopende raamovereenkomst" in reason
    contract.refresh_from_db()
    assert contract.status == "ended"  # history kept


def test_evidence_expiring_on_contract_manager_start_page(
    contracted_a, contract_manager, client: Client, frozen_today
) -> None:
    """R-NET-2: evidence expiring within 60 days (configurable) appears on the contract
    manager's start page; renewed evidence disappears."""
    services.evidence_register(
        actor=contract_manager,
        provider=contracted_a,
        kind="vog",
        staff_name="Piet Jobcoach",
        valid_from=D(2024, 1, 1),
        valid_until=frozen_today + dt.timedelta(days=30),
    )
    services.evidence_register(
        actor=contract_manager,
        provider=contracted_a,
        kind="insurance",
        valid_from=D(2024, 1, 1),
        valid_until=frozen_today + dt.timedelta(days=90),
    )
    client.force_login(contract_manager)
    html = client.get("/").content.decode()
    assert "Bewijsstukken die verlopen" in html
    assert "Piet Jobcoach" in html
    assert "aansprakelijkheidsverzekering" not in html  # 90 days: not yet
    services.network_settings_update(
        actor=contract_manager,
        organisation=contract_manager.organisation,
        evidence_warning_days=120,
    )
    assert "aansprakelijkheidsverzekering" in client.get("/").content.decode()
    services.evidence_register(
        actor=contract_manager,
        provider=contracted_a,
        kind="vog",
        staff_name="Piet Jobcoach",
        valid_from=frozen_today,
        valid_until=D(2029, 1, 1),
    )
    assert "Piet Jobcoach" not in client.get("/").content.decode()


def test_evidence_document_is_private_and_access_checked(
    contracted_a,
    contract_manager,
    provider_user_a,
    provider_user_b,
    client: Client,
    settings,
    tmp_path,
) -> None:
    """R-NET-2 evidence documents live in private storage, served only to who may see them."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    evidence = services.evidence_register(
        actor=contract_manager,
        provider=contracted_a,
        kind="uea",
        valid_from=D(2024, 1, 1),
        valid_until=None,
        document=ContentFile(b"%PDF-1.4 UEA", name="uea.pdf"),
    )
    url = f"/aanbieders/bewijsstukken/{evidence.pk}/document/"
    client.force_login(contract_manager)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 UEA"
    client.force_login(provider_user_a)
    assert client.get(url).status_code == 200
    client.force_login(provider_user_b)
    assert client.get(url).status_code == 404


def test_vog_needs_a_staff_member(contracted_a, contract_manager) -> None:
    """R-NET-2: VOG per staff member."""
    with pytest.raises(ProviderError, match="medewerker"):
        services.evidence_register(
            actor=contract_manager,
            provider=contracted_a,
            kind="vog",
            valid_from=D(2024, 1, 1),
            valid_until=None,
        )


# --- R-NET-3 contracts ----------------------------------------------------------------------


def test_contract_extension_due_listed_and_recorded(
    provider_b, contract_manager, client: Client, frozen_today
) -> None:
    """R-NET-3: the start page lists contracts whose extension decision is due; an extension
    is recorded with both parties' consent; after term 4 no further extension."""
    provider_b.contract_manager = contract_manager
    provider_b.save()
    contract = services.contract_create(
        actor=contract_manager,
        provider=provider_b,
        reference="LEON-B",
        start_date=D(2024, 3, 1),
        terms_granted=3,
    )
    # Term 3 ends 28-02-2027; decision due 28-12-2026, 36 days away.
    client.force_login(contract_manager)
    html = client.get("/").content.decode()
    assert "LEON-B" in html and "28-12-2026" in html
    with pytest.raises(ProviderError, match="beide partijen"):
        services.contract_extend(
            actor=contract_manager,
            contract=contract,
            decided_on=frozen_today,
            provider_consent=False,
            organisation_consent=True,
        )
    extension = services.contract_extend(
        actor=contract_manager,
        contract=contract,
        decided_on=frozen_today,
        provider_consent=True,
        organisation_consent=True,
        note="Akkoord per brief",
    )
    contract.refresh_from_db()
    assert (extension.term_number, contract.end_date) == (4, D(2028, 2, 29))
    assert "LEON-B" not in client.get("/").content.decode()  # term 4: nothing more to decide
    with pytest.raises(ProviderError, match="4 termijnen"):
        services.contract_extend(
            actor=contract_manager,
            contract=contract,
            decided_on=frozen_today,
            provider_consent=True,
            organisation_consent=True,
        )


def test_contract_extension_through_the_page(
    provider_b, contract_manager, client: Client, frozen_today
) -> None:
    """R-NET-3: the contract manager records the extension on the provider page."""
    contract = services.contract_create(
        actor=contract_manager, provider=provider_b, reference="LEON-B", start_date=D(2026, 3, 1)
    )
    client.force_login(contract_manager)
    response = client.post(
        f"/aanbieders/contracten/{contract.pk}/verlengen/",
        {
            "decided_on": "2026-11-22",
            "provider_consent": "on",
            "organisation_consent": "on",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.terms_granted == 2
    page = client.get(f"/aanbieders/{provider_b.pk}/").content.decode()
    assert "Termijn 2 tot 29-02-2028" in page


# --- R-NET-8 inactivity ---------------------------------------------------------------------


def test_inactive_provider_flagged_and_end_confirmed(
    contracted_a,
    provider_b,
    contract_manager,
    jobcoaching_zevenaar,
    client: Client,
    frozen_today,
) -> None:
    """R-NET-8: a provider without activity for 12 months is flagged for the contract
    manager, who confirms the end of participation (contract and products end)."""
    services.provider_record_activity(provider=contracted_a, on=D(2025, 11, 1))
    services.provider_record_activity(provider=provider_b, on=D(2026, 10, 1))
    flagged = services.providers_flag_inactive(
        organisation=contracted_a.organisation, on=frozen_today
    )
    assert flagged == [contracted_a]
    assert (
        services.providers_flag_inactive(organisation=contracted_a.organisation, on=frozen_today)
        == []
    )  # idempotent
    assert Notification.objects.filter(recipient=contract_manager).count() == 1
    client.force_login(contract_manager)
    assert "Geen activiteit" in client.get("/").content.decode()
    response = client.post(
        f"/aanbieders/{contracted_a.pk}/beeindigen/",
        {"ended_on": "2026-11-22", "reason": "12 maanden geen activiteit"},
    )
    assert response.status_code == 302
    contracted_a.refresh_from_db()
    jobcoaching_zevenaar.refresh_from_db()
    assert contracted_a.status == ProviderStatus.ENDED
    assert jobcoaching_zevenaar.status == "ended"
    assert contracted_a.contracts.get().status == "ended"


def test_recording_activity_clears_the_flag(contracted_a) -> None:
    """R-NET-8: activity after a flag keeps the provider in the network."""
    services.provider_record_activity(provider=contracted_a, on=D(2024, 1, 1))
    services.providers_flag_inactive(organisation=contracted_a.organisation, on=D(2026, 1, 1))
    contracted_a.refresh_from_db()
    assert contracted_a.inactivity_flagged_on == D(2026, 1, 1)
    services.provider_record_activity(provider=contracted_a, on=D(2026, 1, 5))
    contracted_a.refresh_from_db()
    assert contracted_a.inactivity_flagged_on is None
    assert contracted_a.last_activity_on == D(2026, 1, 5)


# --- R-NET-9 signals and evaluations --------------------------------------------------------


def test_signals_notify_and_open_evaluation_at_threshold(
    contracted_a,
    contract_manager,
    case_manager,
    jobcoaching_zevenaar,
    org,
    django_capture_on_commit_callbacks,
) -> None:
    """R-NET-9: a case manager's signal notifies the contract manager (in-app + e-mail);
    the third signal in 12 months opens an evaluation; it is recorded in writing and
    closed with an outcome."""
    from opstap.clients.tests.factories import make_client

    clients = [make_client(org, case_manager=case_manager) for _ in range(3)]
    for i, day in enumerate([D(2026, 1, 10), D(2026, 4, 1), D(2026, 9, 1)], start=1):
        with django_capture_on_commit_callbacks(execute=True):
            signal = services.signal_register(
                actor=case_manager,
                provider=contracted_a,
                description=f"Intake te laat ({i})",
                on=day,
                product=jobcoaching_zevenaar,
                client_id=clients[i - 1].pk,
            )
    assert (
        Notification.objects.filter(recipient=contract_manager, title__startswith="Signaal").count()
        == 3
    )
    assert len([m for m in mail.outbox if "Signaal" in m.subject]) == 3
    evaluation = Evaluation.objects.get(provider=contracted_a)
    assert evaluation.status == EvaluationStatus.OPEN
    assert signal.evaluation == evaluation
    assert evaluation.signals.count() == 3
    with pytest.raises(ProviderError, match="schriftelijk"):
        services.evaluation_close(
            actor=contract_manager,
            evaluation=evaluation,
            outcome="improved",
            closed_on=D(2026, 10, 1),
        )
    services.evaluation_record(
        actor=contract_manager,
        evaluation=evaluation,
        held_on=D(2026, 9, 15),
        report="Gesprek gevoerd.",
        improvement_actions="Intake binnen 14 dagen.",
    )
    services.evaluation_close(
        actor=contract_manager,
        evaluation=evaluation,
        outcome="product_ended",
        closed_on=D(2026, 10, 1),
        product=jobcoaching_zevenaar,
    )
    jobcoaching_zevenaar.refresh_from_db()
    assert jobcoaching_zevenaar.status == "ended"


def test_signal_threshold_is_configurable(contracted_a, contract_manager, case_manager) -> None:
    """R-NET-9: the threshold is configurable per organisation."""
    services.network_settings_update(
        actor=contract_manager, organisation=contract_manager.organisation, signal_threshold=1
    )
    services.signal_register(
        actor=case_manager, provider=contracted_a, description="Slecht", on=D(2026, 1, 1)
    )
    assert Evaluation.objects.filter(provider=contracted_a).count() == 1


def test_signal_form_page(contracted_a, case_manager, client: Client, org) -> None:
    """R-NET-9: case managers register a signal on a page."""
    from opstap.clients.tests.factories import make_client

    own = make_client(org, case_manager=case_manager)
    client.force_login(case_manager)
    url = f"/aanbieders/{contracted_a.pk}/signaal/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"description": "Geen voortgangsrapportage", "client_id": str(own.pk)}
    )
    assert response.status_code == 302
    assert contracted_a.signals.get().client_id == own.pk
    from opstap.audit.models import AuditRecord

    record = AuditRecord.objects.get(object_type="providers.signal")
    assert (record.client_id, record.action) == (own.pk, "create")


def test_only_signal_permission_registers(contracted_a, make_user) -> None:
    """R-NET-9: only users with the signal permission register signals."""
    clerk = make_user(RoleCode.FINANCE_CLERK)
    with pytest.raises(ProviderError):
        services.signal_register(actor=clerk, provider=contracted_a, description="x")


# --- Change proposals -----------------------------------------------------------------------


def test_provider_proposes_and_contract_manager_approves(
    jobcoaching_zevenaar, provider_user_a, provider_user_b, contract_manager
) -> None:
    """Provider staff propose product changes; the contract manager approves or rejects."""
    with pytest.raises(ProviderError, match="eigen organisatie"):
        services.product_change_propose(
            actor=provider_user_b, product=jobcoaching_zevenaar, changes={"name": "Overgenomen"}
        )
    with pytest.raises(ProviderError, match="maximum uurtarief"):
        services.product_change_propose(
            actor=provider_user_a,
            product=jobcoaching_zevenaar,
            changes={"price": "95.00", "price_valid_from": "2027-01-01"},
        )
    proposal = services.product_change_propose(
        actor=provider_user_a,
        product=jobcoaching_zevenaar,
        changes={"name": "Jobcoaching Liemers", "price": "79.00", "price_valid_from": "2027-01-01"},
        motivation="Nieuwe naam",
    )
    assert Notification.objects.filter(recipient=contract_manager).exists()
    services.product_change_approve(actor=contract_manager, proposal=proposal)
    jobcoaching_zevenaar.refresh_from_db()
    assert jobcoaching_zevenaar.name == "Jobcoaching Liemers"
    assert services.product_price_on(jobcoaching_zevenaar, D(2027, 1, 1)) == Decimal("79.00")
    assert services.product_price_on(jobcoaching_zevenaar, D(2026, 12, 31)) == Decimal("80.00")
    with pytest.raises(ProviderError, match="al besloten"):
        services.product_change_reject(actor=contract_manager, proposal=proposal, reason="x")


def test_product_locations_outside_the_organisation_have_no_municipality(
    contracted_a, make_product
) -> None:
    """R-NET-4: locations in the Arnhem region are allowed, without a municipality."""
    product = make_product(contracted_a, locations=[LocationInput(city="Arnhem")])
    assert product.locations.get().municipality is None


def test_product_entry_page_refuses_rate_above_ceiling(
    contracted_a, contract_manager, client: Client
) -> None:
    """R-NET-7: product entry above the ceiling is refused with a clear Dutch message."""
    client.force_login(contract_manager)
    url = f"/aanbieders/{contracted_a.pk}/producten/nieuw/"
    assert client.get(url).status_code == 200
    data = {
        "name": "Jobcoaching plus",
        "product_code": "5",
        "tiles": ["EW08"],
        "price_type": "hourly",
        "service_kind": "jobcoaching",
        "price": "80.01",
        "price_valid_from": "2021-10-01",
        "nominal_duration_days": "180",
        "locations": "Zevenaar, Duiven",
        "ladder_steps": ["5"],
    }
    html = client.post(url, data).content.decode()
    assert "hoger dan het maximum uurtarief" in html and "EUR 80,00" in html
    assert "01-10-2021" in html
    data["price"] = "80.00"
    response = client.post(url, data)
    assert response.status_code == 302
    product = contracted_a.products.get(name="Jobcoaching plus")
    assert sorted(loc.city for loc in product.locations.all()) == ["Duiven", "Zevenaar"]
    # A new price through the product page; the old one stays.
    client.post(
        f"/aanbieders/producten/{product.pk}/prijs/",
        {"amount": "79.00", "valid_from": "2022-01-01"},
    )
    assert services.product_price_on(product, D(2021, 12, 31)) == Decimal("80.00")
    assert services.product_price_on(product, D(2022, 1, 1)) == Decimal("79.00")


def test_contract_manager_adds_provider_and_contract(contract_manager, client: Client) -> None:
    client.force_login(contract_manager)
    response = client.post("/aanbieders/nieuw/", {"name": "Nieuwe Partner B.V.", "city": "Duiven"})
    assert response.status_code == 302
    detail = response["Location"]
    provider_id = int(detail.rstrip("/").rsplit("/", 1)[-1])
    client.post(
        f"/aanbieders/{provider_id}/contracten/",
        {"reference": "LEON-NIEUW", "start_date": "2026-01-01"},
    )
    html = client.get(detail).content.decode()
    assert "LEON-NIEUW" in html and "31-12-2026" in html


def test_flag_inactive_command(contracted_a, contract_manager) -> None:
    """R-NET-8: the daily job flags inactive providers."""
    from io import StringIO

    from django.core.management import call_command

    services.provider_record_activity(provider=contracted_a, on=D(2020, 1, 1))
    out = StringIO()
    call_command("providers_flag_inactive", stdout=out)
    assert "1 aanbieder(s) gesignaleerd" in out.getvalue()


def test_evaluation_page_records_in_writing(
    contracted_a, contract_manager, case_manager, provider_user_a, provider_user_b, client: Client
) -> None:
    """R-NET-9: evaluations and agreements are recorded in writing on the evaluation page;
    the provider reads its own evaluation, another provider gets a 404."""
    evaluation = services.evaluation_open(
        actor=contract_manager, provider=contracted_a, reason="Kwartaalevaluatie", on=D(2026, 10, 1)
    )
    url = f"/aanbieders/evaluaties/{evaluation.pk}/"
    client.force_login(contract_manager)
    response = client.post(
        url,
        {
            "action": "record",
            "held_on": "2026-10-15",
            "report": "Samenwerking besproken.",
            "improvement_actions": "Rapportages op tijd.",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url, {"action": "close", "outcome": "improved", "closed_on": "2026-11-01"}
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.outcome) == ("closed", "improved")
    client.force_login(provider_user_a)
    html = client.get(url).content.decode()
    assert "Rapportages op tijd." in html and "Gesprek vastleggen" not in html
    assert client.post(url, {"action": "close"}).status_code == 403
    client.force_login(provider_user_b)
    assert client.get(url).status_code == 404
    client.force_login(case_manager)
    assert client.get(url).status_code == 404


def test_evidence_document_must_be_a_real_pdf(org) -> None:  # type: ignore[no-untyped-def]
    """R-NET-2: evidence is stored as a document; a non-PDF (by content) is refused in Dutch."""
    from django.core.files.base import ContentFile

    from opstap.providers.services import ProviderError, evidence_register, provider_create

    provider = provider_create(organisation=org, name="Bewijs B.V.")
    with pytest.raises(ProviderError, match="past niet bij het type"):
        evidence_register(
            actor=None,
            provider=provider,
            kind="uea",
            valid_from=dt.date(2026, 1, 1),
            valid_until=None,
            document=ContentFile(b"MZ\x90\x00", name="uea.pdf"),
        )


def test_signal_on_a_client_outside_scope_is_refused(
    contracted_a, case_manager, make_user, org, other_org
) -> None:
    """R-SEC-1: a signal may name only a client the case manager may see; a client of a
    colleague's caseload elsewhere or of another organisation is 'not found'."""
    from opstap.clients.tests.factories import a_case_manager, make_client

    own = make_client(org, case_manager=case_manager)
    colleague = make_user(RoleCode.CASE_MANAGER, username="collega-elders")
    foreign = make_client(other_org, case_manager=a_case_manager(other_org))
    not_mine = make_client(org, case_manager=colleague, ladder_step="1")
    for client in (foreign, not_mine):
        with pytest.raises(ProviderError, match="niet gevonden"):
            services.signal_register(
                actor=case_manager, provider=contracted_a, description="x", client_id=client.pk
            )
    signal = services.signal_register(
        actor=case_manager, provider=contracted_a, description="x", client_id=own.pk
    )
    assert signal.client_id == own.pk
