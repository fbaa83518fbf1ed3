"""Demo data of the provider network (LEON): ~25 providers with evidence, contracts in
different terms and ~80 products over all tiles and product codes, built through the
services (deterministic: ctx.rng, dates relative to ctx.today)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from . import services
from .models import Provider
from .services import LocationInput

PROVIDERS: list[tuple[str, str]] = [
    # (name, city); the first two exist already (demo users aanbieder-a/-b).
    ("Werkkracht Liemers B.V.", "Zevenaar"),
    ("Stichting Ontplooi", "Duiven"),
    ("Re-integratiebureau De Brug", "Arnhem"),
    ("Jobcoach Gelderland", "Arnhem"),
    ("Rijn IJssel (ROC)", "Arnhem"),
    ("Talentwerk Oost", "Westervoort"),
    ("Stichting Buurtkracht Duiven", "Duiven"),
    ("Loopbaanhuis Zevenaar", "Zevenaar"),
    ("Participatiecoöperatie De Liemers", "Zevenaar"),
    ("Werkfit Academie", "Arnhem"),
    ("Mentorpunt Westervoort", "Westervoort"),
    ("Vakschool Techniek Oost", "Duiven"),
    ("Fietsenwerkplaats Nieuwe Kansen", "Westervoort"),
    ("Groenploeg Liemers", "Zevenaar"),
    ("Bureau Taal & Werk", "Arnhem"),
    ("Schuldhulp & Perspectief", "Duiven"),
    ("Horeca Leerwerkbedrijf De Gouden Leeuw", "Zevenaar"),
    ("Zorgpad Coaching", "Arnhem"),
    ("Medisch Adviesbureau Rijnstad", "Arnhem"),
    ("Jobhunters Gelderland", "Arnhem"),
    ("Stichting Vrijwilligerswerk Liemers", "Zevenaar"),
    ("Logistiek Opleidingscentrum Duiven", "Duiven"),
    ("Ondernemershuis Liemers (Bbz-coaching)", "Zevenaar"),
    ("Sociaal Werkbedrijf Presikhaaf", "Arnhem"),
    ("Digitaal Vaardig Oost", "Westervoort"),
]

# name, product code, tile numbers, price type, service kind, price, days, groups, steps, cert
TEMPLATES: list[tuple[Any, ...]] = [
    (
        "Praktijkdiagnose",
        1,
        [1, 4],
        "fixed",
        "general",
        "1450.00",
        56,
        ["work_perspective", "disability"],
        ["2b", "3", "4"],
        "",
    ),
    (
        "Oriëntatiecarrousel",
        3,
        [3, 4],
        "fixed",
        "general",
        "2950.00",
        120,
        ["work_perspective", "youth"],
        ["3", "4", "5"],
        "",
    ),
    (
        "Maatschappelijk-fit-coach",
        3,
        [2],
        "fixed",
        "general",
        "2200.00",
        180,
        ["care", "migration"],
        ["1", "2a", "2b"],
        "",
    ),
    (
        "Leerwerktraject logistiek",
        4,
        [5, 4, 6, 7],
        "variable",
        "general",
        None,
        240,
        ["youth", "work_perspective"],
        ["4", "5"],
        "training",
    ),
    (
        "Jobfinding",
        5,
        [6, 7],
        "hourly",
        "jobfinding",
        "78.00",
        120,
        ["work_perspective", "disability"],
        ["5"],
        "",
    ),
    (
        "Jobcoaching op de werkplek",
        5,
        [7, 8],
        "hourly",
        "jobcoaching",
        "80.00",
        365,
        ["disability", "work_perspective"],
        ["5", "6"],
        "jobcoach",
    ),
    (
        "Intake en trajectadvies",
        1,
        [1],
        "fixed",
        "general",
        "495.00",
        28,
        ["work_perspective"],
        ["2b", "3", "4", "5"],
        "",
    ),
    (
        "Medische belastbaarheidsanalyse",
        2,
        [1],
        "variable",
        "general",
        None,
        42,
        ["care", "disability"],
        ["2a", "2b", "4"],
        "medical",
    ),
    (
        "Taal op de werkvloer",
        3,
        [2, 5],
        "fixed",
        "general",
        "1850.00",
        150,
        ["migration"],
        ["2b", "3", "4"],
        "",
    ),
    (
        "Digitale vaardigheden",
        1,
        [2],
        "fixed",
        "general",
        "650.00",
        60,
        ["work_perspective", "migration"],
        ["2b", "3", "4", "5"],
        "",
    ),
    (
        "Werkervaringsplaats groen",
        3,
        [4],
        "fixed",
        "general",
        "3200.00",
        182,
        ["work_perspective"],
        ["3", "4"],
        "",
    ),
    (
        "Sollicitatietraining",
        1,
        [3, 6],
        "fixed",
        "general",
        "780.00",
        42,
        ["youth", "work_perspective"],
        ["4", "5"],
        "",
    ),
    (
        "VCA-opleiding met examen",
        2,
        [5],
        "variable",
        "general",
        None,
        30,
        ["work_perspective"],
        ["4", "5"],
        "training",
    ),
    (
        "Nazorg na plaatsing",
        3,
        [8],
        "fixed",
        "general",
        "1250.00",
        180,
        ["disability", "work_perspective"],
        ["6"],
        "",
    ),
    (
        "Integraal traject naar werk",
        4,
        [1, 2, 3, 4, 5, 6, 7, 8],
        "variable",
        "general",
        None,
        365,
        ["work_perspective", "youth", "disability"],
        ["2b", "3", "4", "5"],
        "",
    ),
    (
        "Activering en dagbesteding",
        3,
        [2],
        "fixed",
        "general",
        "1650.00",
        182,
        ["care"],
        ["1", "2a"],
        "",
    ),
    (
        "Ondernemerscoaching Bbz",
        2,
        [3, 6],
        "variable",
        "general",
        None,
        84,
        ["self_employed"],
        ["4", "5"],
        "",
    ),
    (
        "Schuldhulp en werk",
        3,
        [2],
        "fixed",
        "general",
        "1900.00",
        150,
        ["care", "work_perspective"],
        ["2a", "2b"],
        "",
    ),
    (
        "Werkfit-traject",
        3,
        [4],
        "fixed",
        "general",
        "2750.00",
        182,
        ["work_perspective"],
        ["3", "4"],
        "",
    ),
    (
        "Plaatsing met proefplaatsing",
        1,
        [7],
        "fixed",
        "general",
        "950.00",
        60,
        ["work_perspective", "disability"],
        ["5"],
        "",
    ),
]

MONTH_OFFSETS = [3, 10, 14, 21, 26, 33, 40, 9, 16, 30]
#: The showcase provider's (the first, aanbieder-a) framework contract starts on the first of
#: the month this many months before today. The invoices showcase orders its jobcoaching
#: trajectories the day after the contract start (no earlier: the contract and the prices
#: start then) and invoices their first quarter, which must have ended on any demo today: with
#: three months it ended only from about the 17th of the month on, so the demo lacked its
#: jobcoaching invoices early in a month. Five months: a full quarter plus a month and more,
#: still in the first contract year (prices fixed, no extension decision due yet).
SHOWCASE_CONTRACT_MONTHS = 5


def _dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def build(ctx: Any) -> None:
    """Build the provider network for the demo organisation."""
    org = ctx.organisation
    today: dt.date = ctx.today
    rng = ctx.rng
    manager = ctx.users.get("contractmanager")
    providers: list[Provider] = []
    contract_start: dict[int, dt.date] = {}
    for i, (name, city) in enumerate(PROVIDERS):
        provider = ctx.providers.get(name)
        if provider is None:
            provider = services.provider_create(
                organisation=org,
                name=name,
                city=city,
                is_roc="ROC" in name,
                joined_on=today - relativedelta(months=MONTH_OFFSETS[i % len(MONTH_OFFSETS)]),
                kvk_number=f"{rng.randint(10_000_000, 99_999_999)}",
                email=f"info@{name.split()[0].lower()}.example.nl",
            )
            ctx.providers[name] = provider
        if manager is not None:
            provider.contract_manager = manager
        provider.city = city
        provider.joined_on = provider.joined_on or today - relativedelta(months=14)
        provider.save(update_fields=["contract_manager", "city", "joined_on"])
        providers.append(provider)

    for i, provider in enumerate(providers):
        months = SHOWCASE_CONTRACT_MONTHS if i == 0 else MONTH_OFFSETS[i % len(MONTH_OFFSETS)]
        start = (today - relativedelta(months=months)).replace(day=1)
        terms = min(4, months // 12 + 1)
        contract_start[provider.pk] = start
        services.contract_create(
            actor=manager,
            provider=provider,
            reference=f"LEON-{start.year}-{i + 1:03d}",
            start_date=start,
            terms_granted=terms,
        )
        _evidence(provider, manager, today, rng, soon=i in (2, 6, 11))
        # Activity: most providers recently; one nearly inactive (11.5 months ago).
        if i == 12:
            last = today - relativedelta(months=11, days=15)
        else:
            last = today - dt.timedelta(days=rng.randint(1, 120))
        services.provider_record_activity(provider=provider, on=last)

    _products(ctx, providers, today, rng, contract_start)
    _bank_accounts(ctx, providers)
    ctx.log(f"Aanbiedersnetwerk: {len(providers)} aanbieders met contracten en producten.")


DEMO_BANKS = ("RABO", "INGB", "ABNA", "SNSB", "TRIO", "BUNQ")


def _bank_accounts(ctx: Any, providers: list[Provider]) -> None:
    """Every provider gets a bank account, proposed by the contract manager and confirmed by
    the administration (four eyes); the first provider has a change waiting for a second
    person. The IBANs are made up but valid (schwifty computes their check digits)."""
    from schwifty import IBAN

    manager, clerk = ctx.users.get("contractmanager"), ctx.users.get("administratie")
    if manager is None or clerk is None or ctx.scale != "demo":
        return
    for i, provider in enumerate(providers):
        if provider.bank_accounts.exists():
            continue
        iban = IBAN.generate(
            "NL", bank_code=DEMO_BANKS[i % len(DEMO_BANKS)], account_code=f"{1_000_000 + i:010d}"
        )
        account = services.bank_account_propose(
            actor=manager,
            provider=provider,
            iban=str(iban),
            holder=provider.name[:70],
            reason="Rekening uit de raamovereenkomst",
        )
        services.bank_account_confirm(actor=clerk, account=account)
    first = providers[0] if providers else None
    if first is not None:
        services.bank_account_propose(
            actor=manager,
            provider=first,
            iban=str(IBAN.generate("NL", bank_code="INGB", account_code="0009876543")),
            holder=first.name[:70],
            reason="Brief van de aanbieder: nieuwe huisbank",
        )
    ctx.log("Aanbieders: bankrekeningen vastgelegd en bevestigd (vier ogen); één wijziging wacht.")


def _evidence(provider: Provider, manager: Any, today: dt.date, rng: Any, *, soon: bool) -> None:
    later = today + dt.timedelta(days=rng.randint(200, 900))
    expiring = today + dt.timedelta(days=rng.randint(10, 50))
    start = today - dt.timedelta(days=700)
    # Registered in this order: kind, valid until, description, certificate kind, staff name.
    evidence: list[tuple[str, dt.date | None, str, str, str]] = [
        ("complaints", None, "Klachtenregeling op de website", "", ""),
        ("insurance", expiring if soon else later, "Polis beroeps- en aansprakelijkheid", "", ""),
        ("uea", None, "UEA ondertekend", "", ""),
    ]
    if not provider.is_roc:
        evidence.append(
            ("reference", start + relativedelta(years=3), "Referentie gemeente Arnhem", "", "")
        )
    evidence += [
        ("certificate", later, "NOLOC-certificaat", "jobcoach", ""),
        ("certificate", later, "Erkend Leerbedrijf", "training", ""),
        ("certificate", later, "BIG-registratie", "medical", ""),
        ("vog", expiring if soon else later, "", "", f"Medewerker {provider.pk}-1"),
    ]
    for kind, valid_until, description, certificate_kind, staff_name in evidence:
        services.evidence_register(
            actor=manager,
            provider=provider,
            kind=kind,
            valid_from=start,
            valid_until=valid_until,
            description=description,
            certificate_kind=certificate_kind,
            staff_name=staff_name,
        )


def _products(
    ctx: Any,
    providers: list[Provider],
    today: dt.date,
    rng: Any,
    contract_start: dict[int, dt.date],
) -> None:
    """Prices start with the provider's contract (the ceiling exists from 2021-10-01)."""
    municipalities = ["Zevenaar", "Duiven", "Westervoort", "Arnhem"]
    count = 0
    # The jobcoaching product the guide demo finds: Zevenaar, step 5, at the ceiling.
    services.product_create(
        actor=None,
        provider=providers[0],
        name="Jobcoaching op de werkplek",
        description="Jobcoaching voor werknemer en werkgever, regionaal tarief.",
        product_code=5,
        tile_codes=["EW08", "EW09"],
        price_type="hourly",
        service_kind="jobcoaching",
        price=Decimal("80.00"),
        price_valid_from=max(dt.date(2021, 10, 1), contract_start[providers[0].pk]),
        nominal_duration_days=365,
        locations=[LocationInput(city="Zevenaar", address="Hoofdstraat 10")],
        target_groups=["disability", "work_perspective"],
        ladder_steps=["5", "6"],
        required_certificate="jobcoach",
        capacity=20,
    )
    count += 1
    tile_code = {
        1: "EW02",
        2: "EW03",
        3: "EW05",
        4: "EW04",
        5: "EW06",
        6: "EW07",
        7: "EW08",
        8: "EW09",
    }
    while count < 80:
        provider = providers[count % len(providers)]
        template = TEMPLATES[(count * 7 + rng.randint(0, 3)) % len(TEMPLATES)]
        name, code, tiles, price_type, kind, price, days, groups, steps, cert = template
        amount = _dec(price)
        if amount is not None and kind == "general":
            amount = (amount * Decimal(rng.randint(90, 115)) / 100).quantize(Decimal("1"))
        if amount is not None and kind != "general":
            amount = min(amount, Decimal(rng.choice(["72.50", "75.00", "78.00", "80.00"])))
        city = municipalities[(count + rng.randint(0, 3)) % len(municipalities)]
        locations = [LocationInput(city=city, address=f"Werkweg {rng.randint(1, 120)}")]
        if rng.random() < 0.3:
            other = municipalities[(municipalities.index(city) + 1) % len(municipalities)]
            locations.append(LocationInput(city=other))
        services.product_create(
            actor=None,
            provider=provider,
            name=f"{name} — {provider.name.split()[0]}",
            # "door Werkkracht Liemers B.V." ends in its own full stop, not a second one.
            description=f"{name} door {provider.name.removesuffix('.')}.",
            product_code=code,
            tile_codes=[tile_code[t] for t in tiles],
            price_type=price_type,
            service_kind=kind,
            price=amount,
            price_valid_from=max(dt.date(2021, 10, 1), contract_start[provider.pk]),
            nominal_duration_days=days,
            locations=locations,
            target_groups=groups,
            ladder_steps=steps,
            required_certificate=cert,
            capacity=rng.choice([None, 5, 10, 15, 25]),
        )
        count += 1
