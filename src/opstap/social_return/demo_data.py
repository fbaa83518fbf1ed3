"""Demo of the social return monitor (R-NET-10), built through the services on the demo's
explicit today (`ctx.today`, `ctx.now`), after the invoices step:

- the building-block table (the Liemers table) as reference data from 1 January last year;
- three providers with staff get a large group product whose first 50% (EUR 150,000 excl.
  VAT) is approved this year, so each is above the threshold with an obligation of
  EUR 7,500 (5%), and a social-return agreement on their contract awarded in January:
  1. on track: plan approved, a verified full-time 12-month Participatiewet contract from
     2 January (12,500 this year) and a course;
  2. behind: plan approved, only a course registered (far below the norm to date);
  3. rejected plan: the plan was returned with remarks and nothing is realised yet;
- the coordinator ('socialreturn') finds the provider that is behind on the start page.
Only at the `demo` scale.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from opstap.clients.models import Client
from opstap.core.errors import DomainError
from opstap.invoices import services as invoice_services
from opstap.providers import services as provider_services
from opstap.providers.models import Contract, Provider, ProviderStatus
from opstap.providers.services import LocationInput
from opstap.trajectories import services as trajectory_services

from . import services
from .services import PlannedInput

PRICE = Decimal("300000.00")
HALF = PRICE / 2


def _minimal_pdf(text: str) -> bytes:
    """A small but complete PDF (one page, one line of text) as demo evidence: it opens in
    every reader, unlike a bare header."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _evidence(name: str) -> ContentFile[bytes]:
    return ContentFile(_minimal_pdf("Demo-bewijsstuk social return"), name=name)


def _staff(provider: Provider) -> Any:
    membership = provider.memberships.select_related("user").order_by("id").first()
    return membership.user if membership is not None else None


def _volume(ctx: Any, provider: Provider, staff: Any, clerk: Any, order_day: dt.date) -> bool:
    """A group product for this provider, ordered, planned and started; its first 50%
    invoiced and approved (R-BILL-1 code 3): EUR 150,000 excl. VAT this year."""
    product = provider_services.product_create(
        actor=None,
        provider=provider,
        name="Werkfit-groepstraject (40 deelnemers)",
        product_code=3,
        tile_codes=["EW04"],
        price_type="fixed",
        price=PRICE,
        price_valid_from=dt.date(ctx.today.year - 1, 1, 1),
        nominal_duration_days=182,
        locations=[LocationInput(city="Zevenaar", address="Hoofdstraat 1")],
        service_kind="general",
    )
    clients = Client.objects.filter(
        organisation=ctx.organisation, case_manager__isnull=False
    ).order_by("id")[provider.pk % 7 * 5 : provider.pk % 7 * 5 + 10]
    for client in clients:
        try:
            with transaction.atomic():
                _invoiced(ctx, product, client, staff, clerk, order_day, provider)
        except DomainError:
            continue  # this client cannot follow the product (e.g. already in a trajectory)
        return True
    return False


def _invoiced(
    ctx: Any,
    product: Any,
    client: Client,
    staff: Any,
    clerk: Any,
    order_day: dt.date,
    provider: Provider,
) -> None:
    """Order, plan, start and invoice the first 50% for one client; approved."""
    cm = client.case_manager
    if cm is None:
        raise services.SocialReturnError("Klant zonder klantmanager.")
    trajectory = trajectory_services.trajectory_order(
        actor=cm,
        client=client,
        product=product,
        rotonde_exit="regular",
        aim_tiles=["EW04"],
        on=order_day,
    )
    steps = [
        ("plan_intake", staff, {"intake_date": str(order_day + dt.timedelta(days=4))}, 2),
        ("hold_intake", staff, {"held_on": str(order_day + dt.timedelta(days=4))}, 4),
        ("submit_plan", staff, {}, 7),
        ("approve_plan", cm, {}, 9),
        ("start", staff, {"start_date": str(order_day + dt.timedelta(days=10))}, 10),
    ]
    for action, actor, payload, offset in steps:
        trajectory = trajectory_services.trajectory_transition(
            actor=actor,
            trajectory=trajectory,
            action=action,
            payload=payload,
            on=order_day + dt.timedelta(days=offset),
        )
    invoice_day = order_day + dt.timedelta(days=12)
    vat = (HALF * Decimal("0.21")).quantize(Decimal("0.01"))
    invoice = invoice_services.invoice_submit(
        actor=staff,
        trajectory=trajectory,
        invoice_number=f"SR-{provider.pk}-1",
        invoice_date=invoice_day,
        milestone="plan_approved",
        amount_excl=HALF,
        vat=vat,
        amount_incl=HALF + vat,
        client_number=client.client_number,
        client_surname=client.last_name,
        period_start=order_day + dt.timedelta(days=10),
        period_end=invoice_day,
        received_at=ctx.now - dt.timedelta(days=(ctx.today - invoice_day).days - 1),
    )
    invoice_services.invoice_approve(actor=clerk, invoice=invoice, note="Demo")


def build(ctx: Any) -> None:
    """The social return demo; a refusal of a service skips it with a log line, it never
    breaks the rest of the demo."""
    try:
        with transaction.atomic():
            _build(ctx)
    except DomainError as exc:
        ctx.log(f"Social return: overgeslagen ({exc}).")


def _build(ctx: Any) -> None:
    if ctx.scale != "demo":
        ctx.log("Social return: overgeslagen op deze schaal.")
        return
    coordinator = ctx.users.get("socialreturn")
    clerk = ctx.users.get("administratie")
    if coordinator is None or clerk is None:
        return
    today: dt.date = ctx.today
    now: dt.datetime = ctx.now
    year_start = dt.date(today.year, 1, 1)
    services.block_period_seed(
        actor=None,
        organisation_id=ctx.organisation.pk,
        name="Bouwblokkenmodel social return in de Liemers",
        valid_from=dt.date(today.year - 1, 1, 1),
    )
    providers = [
        p
        for p in Provider.objects.filter(
            organisation=ctx.organisation, status=ProviderStatus.ACTIVE
        ).order_by("id")
        if _staff(p) is not None and Contract.objects.filter(provider=p).exists()
    ]
    # Orders within this year when the year is far enough along, else as late as possible.
    order_day = max(year_start + dt.timedelta(days=5), today - dt.timedelta(days=150))
    order_day = min(order_day, today - dt.timedelta(days=13))
    done: list[str] = []
    position = -1
    for provider in providers:
        if position == 2:
            break
        staff = _staff(provider)
        try:
            with transaction.atomic():
                made = _volume(ctx, provider, staff, clerk, order_day)
        except DomainError as exc:  # a demo step never breaks the whole demo
            ctx.log(f"Social return: geen volume voor {provider.name} ({exc}).")
            continue
        if not made:
            ctx.log(f"Social return: geen volume voor {provider.name}.")
            continue
        position += 1
        contract = Contract.objects.filter(provider=provider).order_by("start_date").first()
        assert contract is not None
        services.agreement_set(
            actor=coordinator, contract=contract, awarded_on=min(today, year_start.replace(day=15))
        )
        plan = services.plan_submit(
            actor=staff,
            provider=provider,
            text=(
                "Wij bieden kandidaten uit de Participatiewet een arbeidsovereenkomst van een jaar "
                "in onze eigen organisatie, met jobcoaching, en verzorgen een VCA-training voor "
                "mensen met een uitkering."
            ),
            planned=[
                PlannedInput("pw_24_plus", today.year, 1),
                PlannedInput("training", today.year, 1),
            ],
            document=_evidence("plan-van-aanpak.pdf"),
            on=today,
            now=now - dt.timedelta(days=60),
        )
        if position == 2:
            services.plan_decide(
                actor=coordinator,
                plan=plan,
                action="return",
                remarks=(
                    "Het plan noemt geen concrete kandidaten of begeleiding; werk de "
                    "jobcoaching en het verzuimmanagement uit en dien opnieuw in."
                ),
                now=now - dt.timedelta(days=50),
            )
            done.append(f"{provider.name}: plan teruggestuurd")
            continue
        services.plan_decide(
            actor=coordinator, plan=plan, action="approve", now=now - dt.timedelta(days=50)
        )
        course = services.block_register(
            actor=staff,
            provider=provider,
            block_code="training",
            start_date=min(today, year_start + dt.timedelta(days=60)),
            external_person="Groep VCA-cursisten",
            evidence=_evidence("presentielijst-vca.pdf"),
            on=today,
            now=now - dt.timedelta(days=40),
        )
        if position == 0:
            job = services.block_register(
                actor=staff,
                provider=provider,
                block_code="pw_24_plus",
                start_date=min(today, year_start + dt.timedelta(days=1)),
                hours_per_week=Decimal("36"),
                contract_months=12,
                external_person="R. Hendriks",
                evidence=_evidence("arbeidsovereenkomst.pdf"),
                on=today,
                now=now - dt.timedelta(days=40),
            )
            for block in (job, course):
                services.block_verify(
                    actor=coordinator, block=block, approve=True, now=now - dt.timedelta(days=30)
                )
            done.append(f"{provider.name}: op schema")
        else:
            done.append(f"{provider.name}: achter op schema")
    ctx.log("Social return: " + "; ".join(done) + ".")
