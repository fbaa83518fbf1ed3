"""Demo clients for RSD de Liemers (spec section 2 reference figures).

`demo` scale: 1,976 clients — 942 in Zorg & Ondersteuning and 1,034 in Unit Werk (the
2021-10-01 reference) — spread over Duiven, Westervoort and Zevenaar in proportion
433/347/824, with realistic Dutch names, ladder histories, target groups (≈13% exempted
from the labour obligation, ≈12% in the target-group register) and case managers with
caseloads ('klantmanager' has ≈100). `city` (20,000) and `national` (500,000) use the same
distribution. Everything is inserted with bulk_create in chunks (no per-row services) so
that PostgreSQL loads `national` in minutes; the few showcase changes (a handover with an
open agreement, budget spending) go through the services.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from opstap.accounts.services import user_create
from opstap.core.roles import RoleCode

from .bsn import bsn_from_prefix
from .ladder import LadderSubStatus
from .models import (
    BenefitType,
    CaseManagerProfile,
    Client,
    ClientEvent,
    ClientEventKind,
    CustomBudgetConfig,
    LadderStepChange,
    LksStatus,
    Obstacle,
)
from .selectors import CLIENT_COUNTS

CHUNK = 5_000

# (step, sub-status, count at demo scale): 942 care + 1,034 work = 1,976.
DISTRIBUTION: list[tuple[str, str, int, str]] = [
    ("1", "", 380, "care"),
    ("2a", "", 500, "care"),
    ("6", LadderSubStatus.WITHOUT_GROWTH.value, 62, "care"),
    ("2b", "", 310, "work"),
    ("3", "", 60, "work"),
    ("4", "", 330, "work"),
    ("5", "", 200, "work"),
    ("6", LadderSubStatus.WITH_GROWTH.value, 84, "work"),
    ("6", LadderSubStatus.NOT_WORK_READY.value, 50, "work"),
]
MUNICIPALITY_WEIGHTS = {"Duiven": 433, "Westervoort": 347, "Zevenaar": 824}
POSTCODES = {"Duiven": "692", "Westervoort": "693", "Zevenaar": "690"}
STREETS = [
    "Dorpsstraat",
    "Kerkstraat",
    "Molenweg",
    "Eltenseweg",
    "Rijnstraat",
    "Hoflaan",
    "Beatrixlaan",
    "Julianastraat",
    "Parallelweg",
    "Kastanjelaan",
    "Lindelaan",
    "Schoolstraat",
    "Sportlaan",
    "Hunneveldweg",
    "Babberichseweg",
    "Ganzenwei",
    "Veldhoekstraat",
    "Plakse Dijk",
]
FIRST_NAMES = [
    "Jan",
    "Piet",
    "Kees",
    "Henk",
    "Gerrit",
    "Johan",
    "Mark",
    "Dennis",
    "Kevin",
    "Sander",
    "Bas",
    "Tim",
    "Ruud",
    "Wim",
    "Anja",
    "Petra",
    "Sandra",
    "Linda",
    "Monique",
    "Ingrid",
    "Marieke",
    "Esther",
    "Femke",
    "Sanne",
    "Lisa",
    "Kim",
    "Daan",
    "Sem",
    "Noa",
    "Emma",
    "Jeroen",
    "Erik",
    "Annemarie",
    "Wilma",
    "Gerda",
    "Thijs",
    "Lotte",
    "Joyce",
    "Ricardo",
    "Priscilla",
]
MIGRATION_FIRST_NAMES = [
    "Mohamed",
    "Ahmed",
    "Fatima",
    "Khadija",
    "Youssef",
    "Samira",
    "Mehmet",
    "Ayse",
    "Emre",
    "Zeynep",
    "Abdi",
    "Amina",
    "Tesfay",
    "Senait",
    "Omar",
    "Rania",
    "Bilal",
    "Nour",
    "Dariusz",
    "Agnieszka",
]
LAST_NAMES = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("van", "Dijk"),
    ("", "Janssen"),
    ("", "Gerritsen"),
    ("", "Hermsen"),
    ("", "Wienholts"),
    ("", "Kemperman"),
    ("", "Roelofs"),
    ("van", "Zeeland"),
    ("", "Arends"),
    ("", "Lamers"),
    ("ter", "Horst"),
    ("", "Willemsen"),
    ("van der", "Heijden"),
    ("", "Evers"),
    ("", "Wolters"),
]
MIGRATION_LAST_NAMES = [
    ("", "El Amrani"),
    ("", "Bakkali"),
    ("", "Yilmaz"),
    ("", "Demir"),
    ("", "Kaya"),
    ("", "Öztürk"),
    ("", "Haile"),
    ("", "Tesfamariam"),
    ("", "Mohammed"),
    ("", "Al-Hassan"),
    ("", "Kowalski"),
    ("", "Nowak"),
    ("", "Abdullahi"),
    ("", "Benali"),
    ("", "Şahin"),
]
REASONS = {
    "1": "Langdurig ziek; geen perspectief op arbeid.",
    "2a": "Zware mantelzorg en schulden; activering nog niet mogelijk.",
    "2b": "Kan deelnemen aan een activerend traject.",
    "3": "Start opleiding (BBL) met begeleiding.",
    "4": "Traject loopt; beschikbaar binnen een jaar.",
    "5": "Direct beschikbaar voor werk.",
    "6": "Gestart met betaald werk.",
}
EXTRA_CASE_MANAGERS = [
    ("km-werk-{:02d}", "work", 9),
    ("km-zorg-{:02d}", "care", 7),
]
CM_NAMES = [
    ("Sanne", "Hoekstra"),
    ("Ruben", "Kuipers"),
    ("Naima", "Ouali"),
    ("Thomas", "Verhoeven"),
    ("Lieke", "Pool"),
    ("Joost", "Wijnen"),
    ("Esra", "Kilic"),
    ("Maarten", "Hol"),
    ("Iris", "Lammers"),
    ("Wouter", "Claassen"),
    ("Nadia", "Rahimi"),
    ("Frank", "Ebbers"),
    ("Yvonne", "Tiemessen"),
    ("Gijs", "Roording"),
    ("Hanneke", "Bouwman"),
    ("Stijn", "Ariëns"),
]
OWN_CASELOAD = 96  # 'klantmanager' (Unit Werk)


def _postcode(rng: random.Random, municipality: str) -> str:
    letters = "ABCDEGHJKLMNPRSTVWXZ"
    return (
        f"{POSTCODES[municipality]}{rng.randint(0, 9)} {rng.choice(letters)}{rng.choice(letters)}"
    )


def _scaled(count: int, ctx: Any) -> int:
    return round(count * ctx.client_count / 1_976)


def _case_managers(ctx: Any) -> dict[str, list[Any]]:

    from .services import case_manager_set_unit

    units: dict[str, list[Any]] = {
        "work": [ctx.users["klantmanager"]],
        "care": [ctx.users["klantmanager2"]],
    }
    case_manager_set_unit(user=ctx.users["klantmanager"], unit="work")
    case_manager_set_unit(user=ctx.users["klantmanager2"], unit="care")
    if "teamleider" in ctx.users:
        case_manager_set_unit(user=ctx.users["teamleider"], unit="work")
    names = iter(CM_NAMES)
    for pattern, unit, n in EXTRA_CASE_MANAGERS:
        for i in range(1, n + 1):
            first, last = next(names)
            username = pattern.format(i)
            user = user_create(
                username=username,
                organisation=ctx.organisation,
                roles=(RoleCode.CASE_MANAGER,),
                password=ctx.password,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.opstap.example",
                validate=False,
            )
            CaseManagerProfile.objects.create(user=user, unit=unit)
            ctx.users[username] = user
            units[unit].append(user)
    return units


def _plan(ctx: Any) -> list[tuple[str, str, str]]:
    """(step, sub-status, unit) for every client, shuffled deterministically."""
    plan: list[tuple[str, str, str]] = []
    for step, sub, count, unit in DISTRIBUTION:
        plan.extend([(step, sub, unit)] * _scaled(count, ctx))
    while len(plan) < ctx.client_count:
        plan.append(("4", "", "work"))
    del plan[ctx.client_count :]
    ctx.rng.shuffle(plan)
    return plan


def _history(
    rng: random.Random, step: str, sub: str, start: dt.date, today: dt.date
) -> list[tuple[str, str, dt.date]]:
    """A plausible ladder path ending in (step, sub): 1-3 positions since the benefit start,
    each earlier position lower on the ladder, dates increasing."""
    order = ["1", "2a", "2b", "3", "4", "5", "6"]
    idx = order.index(step)
    path: list[tuple[str, str]] = [(step, sub)]
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        idx = idx - rng.randint(1, 2)
        if idx < 0:
            break
        path.insert(0, (order[idx], ""))
    span = max(len(path), (today - start).days)
    offsets = sorted(rng.sample(range(1, span), len(path) - 1)) if len(path) > 1 else []
    dates = [start] + [start + dt.timedelta(days=o) for o in offsets]
    return [(s, sb, d) for (s, sb), d in zip(path, dates, strict=True)]


def build(ctx: Any) -> None:
    rng: random.Random = ctx.rng
    today: dt.date = ctx.today
    org = ctx.organisation
    with transaction.atomic():
        units = _case_managers(ctx)
        CustomBudgetConfig.objects.create(
            organisation=org, yearly_amount=Decimal("1500.00"), valid_from=dt.date(2021, 1, 1)
        )
    plan = _plan(ctx)
    muni_names = list(MUNICIPALITY_WEIGHTS)
    muni_weights = [MUNICIPALITY_WEIGHTS[n] for n in muni_names]
    bsn_start = rng.randrange(10_000_000, 30_000_000)
    now = ctx.now
    cm_cycle = {"work": 0, "care": 0}
    own_left = OWN_CASELOAD
    for chunk_start in range(0, len(plan), CHUNK):
        clients: list[Client] = []
        histories: list[list[tuple[str, str, dt.date]]] = []
        for i in range(chunk_start, min(chunk_start + CHUNK, len(plan))):
            step, sub, unit = plan[i]
            migration = rng.random() < 0.22
            first = rng.choice(MIGRATION_FIRST_NAMES if migration else FIRST_NAMES)
            prefix, last = rng.choice(MIGRATION_LAST_NAMES if migration else LAST_NAMES)
            prefix_int = bsn_start + i * 13
            bsn = bsn_from_prefix(prefix_int) or bsn_from_prefix(prefix_int + 1) or ""
            municipality_name = rng.choices(muni_names, muni_weights)[0]
            age_days = int(rng.triangular(18, 66, 38) * 365.25)
            dob = today - dt.timedelta(days=age_days)
            benefit_start = today - dt.timedelta(days=rng.randint(30, 365 * 9))
            ldr = rng.random() < 0.12
            exempt = step in ("1", "2a") and rng.random() < 0.28  # ≈13% of all clients
            benefit = rng.choices(
                [
                    BenefitType.PW,
                    BenefitType.IOAW,
                    BenefitType.IOAZ,
                    BenefitType.BBZ,
                    BenefitType.NONE,
                ],
                [86, 5, 1, 2, 6],
            )[0]
            if unit == "work" and own_left > 0:
                cm = ctx.users["klantmanager"]
                own_left -= 1
            else:
                pool = units[unit][1:] if unit == "work" else units[unit]
                cm = pool[cm_cycle[unit] % len(pool)]
                cm_cycle[unit] += 1
            obstacles = [
                o.value for o in Obstacle if rng.random() < (0.35 if unit == "care" else 0.12)
            ]
            client = Client(
                organisation=org,
                bsn=bsn,
                client_number=f"{200_000 + i}",
                first_name=first,
                last_name_prefix=prefix,
                last_name=last,
                date_of_birth=dob,
                street_address=f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
                postcode=_postcode(rng, municipality_name),
                city=municipality_name,
                municipality=ctx.municipalities[municipality_name],
                benefit_type=benefit,
                benefit_start_date=benefit_start if benefit != BenefitType.NONE else None,
                exempt_from_labour_obligation=exempt,
                exemption_end_date=today + dt.timedelta(days=rng.randint(30, 720))
                if exempt
                else None,
                ldr_registered=ldr,
                nbw_indication=ldr and rng.random() < 0.15,
                lks_status=LksStatus.ACTIVE if ldr and step == "6" else LksStatus.NONE,
                hour_restriction=rng.choice([16, 20, 24, 32])
                if ldr or rng.random() < 0.05
                else None,
                migration_background=migration,
                obstacles=obstacles,
                case_manager=cm,
                ladder_step=step,
                ladder_sub_status=sub,
            )
            history = _history(rng, step, sub, benefit_start, today)
            client.ladder_step_since = history[-1][2]
            clients.append(client)
            histories.append(history)
        if chunk_start == 0:
            # The demo resident 'inwoner' (Ingrid Willems) is client 0, in klantmanager's caseload.
            first_client = clients[0]
            first_client.first_name, first_client.last_name_prefix, first_client.last_name = (
                "Ingrid",
                "",
                "Willems",
            )
            first_client.user = ctx.users["inwoner"]
        with transaction.atomic():
            Client.objects.bulk_create(clients, batch_size=1_000)
            if clients[0].pk is None:
                ids = dict(
                    Client.objects.filter(
                        organisation=org, client_number__in=[c.client_number for c in clients]
                    ).values_list("client_number", "pk")
                )
                for c in clients:
                    c.pk = ids[c.client_number]
            ladder_rows: list[LadderStepChange] = []
            events: list[ClientEvent] = []
            for client, history in zip(clients, histories, strict=True):
                previous = ("", "")
                for step, sub, date in history:
                    changed_at = timezone.make_aware(dt.datetime.combine(date, dt.time(10, 0)))
                    changer = client.case_manager
                    ladder_rows.append(
                        LadderStepChange(
                            organisation=org,
                            client=client,
                            step=step,
                            sub_status=sub,
                            previous_step=previous[0],
                            previous_sub_status=previous[1],
                            effective_date=date,
                            changed_at=min(changed_at, now),
                            changed_by=changer,
                            reason=REASONS[step]
                            if previous[0]
                            else "Startpositie bij inschrijving",
                        )
                    )
                    events.append(
                        ClientEvent(
                            organisation=org,
                            client=client,
                            kind=ClientEventKind.LADDER if previous[0] else ClientEventKind.CREATED,
                            occurred_at=min(changed_at, now),
                            actor=changer,
                            summary=(
                                f"Trede {previous[0]} → {step}"
                                if previous[0]
                                else f"Klant ingeschreven op trede {step}"
                            ),
                            note=REASONS[step] if previous[0] else "",
                            source="clients.demo",
                        )
                    )
                    previous = (step, sub)
            LadderStepChange.objects.bulk_create(ladder_rows, batch_size=2_000)
            ClientEvent.objects.bulk_create(events, batch_size=2_000)
        ctx.log(f"  klanten: {min(chunk_start + CHUNK, len(plan))}/{len(plan)}")
    CLIENT_COUNTS.changed_now_and_on_commit(org.pk)  # bulk_create sends no signals
    _showcase(ctx)
    ctx.log(
        f"{len(plan)} klanten aangemaakt "
        f"({sum(1 for p in plan if p[2] == 'care')} Zorg & Ondersteuning)."
    )


def _showcase(ctx: Any) -> None:
    """A few changes through the services, so the demo shows handover, open agreements and
    the custom budget in action."""
    from .services import budget_spending_record, client_event_record, client_handover

    km, km2 = ctx.users["klantmanager"], ctx.users["klantmanager2"]
    handed = (
        Client.objects.filter(organisation=ctx.organisation, case_manager=km2, ladder_step="2a")
        .order_by("id")
        .first()
    )
    if handed is not None:
        client_event_record(
            client=handed,
            kind=ClientEventKind.AGREEMENT,
            summary="Afspraak: aanmelden bij schuldhulpverlening vóór eind van de maand",
            actor=km2,
            is_open=True,
        )
        client_handover(
            actor=km2,
            client=handed,
            new_case_manager=km,
            note=(
                "Klant wil graag aan de slag; eerst schulden stabiliseren. Spreekt goed Nederlands."
            ),
        )
    for client in Client.objects.filter(organisation=ctx.organisation, case_manager=km).order_by(
        "id"
    )[:5]:
        budget_spending_record(actor=km, client=client, amount="350.00", purpose="Opleiding VCA")
    _income_coach_assignments(ctx)
    _support_consent(ctx)
    _brp_demo(ctx)


# The client klantmanager registers with BRP prefill (R-INT-3): RvIG test person Marie
# Verstraten (Duiven), and what was typed from her intake form before the BRP was asked.
BRP_DEMO_BSN = "999992041"
BRP_DEMO_CLIENT_NUMBER = "K-BRP-0001"
BRP_DEMO_TYPED = {
    "first_name": "Marie",
    "last_name": "Verstraeten",
    "date_of_birth": "1994-11-28",
    "postcode": "6901 kt",
    "city": "Duiven",
}


def _demo_brp_link() -> Any:
    from django.test.utils import override_settings

    return override_settings(
        OPSTAP_BRP_OIN="00000001000000000000",  # a made-up OIN for the demo
        OPSTAP_BRP_API_KEY="",
        OPSTAP_BRP_CERT="",
    )


def _brp_demo(ctx: Any) -> None:
    """R-INT-3 in the demo, through the local BRP stand-in (started here on a free loopback
    port). It serves the standard's test persons and, as the demo's BRP, two of
    klantmanager's clients: one now registered in Rotterdam, one deceased. The daily check
    signals the two clients to klantmanager (Meldingen, timeline). The registration of a
    client with BRP prefill comes last in the demo (`brp_registration_showcase`)."""
    from django.test.utils import override_settings

    from .brp_standin import DEN_HAAG, ROTTERDAM, TEST_PERSONS, StandinState, running_standin
    from .services import brp_check_organisation

    km = ctx.users.get("klantmanager")
    if km is None or ctx.scale != "demo":
        return
    org = ctx.organisation
    mine = list(Client.objects.filter(organisation=org, case_manager=km).order_by("id")[10:12])
    persons = dict(TEST_PERSONS)
    for client, (where, died) in zip(
        mine, [(ROTTERDAM, ""), (DEN_HAAG, "2026-10-02")], strict=False
    ):
        record: dict[str, Any] = {
            "burgerservicenummer": client.bsn,
            "naam": {"voornamen": client.first_name, "geslachtsnaam": client.last_name},
            "geboorte": {"datum": {"type": "Datum", "datum": client.date_of_birth.isoformat()}},
            "verblijfplaats": {
                "type": "Adres",
                "verblijfadres": {"officieleStraatnaam": "Coolsingel", "huisnummer": 40},
            },
            "gemeenteVanInschrijving": {"code": where[0], "omschrijving": where[1]},
        }
        if died:
            record["overlijden"] = {"datum": {"type": "Datum", "datum": died}}
        persons[client.bsn] = record
    with (
        running_standin(StandinState(persons=persons)) as (url, _state),
        _demo_brp_link(),
        override_settings(OPSTAP_BRP_URL=url),
    ):
        result = brp_check_organisation(organisation=org, on=ctx.today)
    ctx.log(f"BRP (stand-in): controle van {result.checked} klanten gaf {result.signals} signalen.")


def brp_registration_showcase(ctx: Any) -> None:
    """R-INT-3: klantmanager registers RvIG test person Marie Verstraten as a new client, the
    way the registration page does it (the same services, against the BRP stand-in): the
    lookup is audited with the registration's purpose, what was typed from the intake form
    (a misspelt surname, a wrong date of birth) is compared with the BRP and the differences
    shown, and the client is saved with the BRP's name, date of birth, address and
    municipality; her timeline records that the BRP corrected the surname and the date of
    birth. The demo therefore has one client more than the reference caseload of 1,976.

    It runs as the very last demo step (from `opstap.demo.demo_data`), so no other app's
    generated history (trajectories, invoices, ...) depends on this extra client."""
    from django.test.utils import override_settings

    from . import brp
    from .brp_standin import running_standin
    from .services import brp_lookup, client_register

    km = ctx.users.get("klantmanager")
    if km is None or ctx.scale != "demo":
        return
    with (
        running_standin() as (url, _state),
        _demo_brp_link(),
        override_settings(OPSTAP_BRP_URL=url),
    ):
        person = brp_lookup(actor=km, bsn=BRP_DEMO_BSN)
    values = brp.prefill_values(person)
    shown = brp.differences(BRP_DEMO_TYPED, values)
    by_code = {m.cbs_code: m for m in ctx.municipalities.values()}
    client = client_register(
        actor=km,
        organisation=ctx.organisation,
        brp_values=values,
        differences_shown=[d.field for d in shown],
        bsn=person.bsn,
        client_number=BRP_DEMO_CLIENT_NUMBER,
        first_name=values["first_name"],
        last_name_prefix=values["last_name_prefix"],
        last_name=values["last_name"],
        date_of_birth=dt.date.fromisoformat(values["date_of_birth"]),
        street_address=values["street_address"],
        postcode=values["postcode"],
        city=values["city"],
        municipality=by_code[values["municipality"]],
        ladder_step="3",
        case_manager=km,
    )
    ctx.log(
        f"BRP (stand-in): {client.full_name} ingeschreven met gegevens uit de BRP (verschillen "
        f"getoond: {', '.join(f'{d.label} {d.entered} → {d.brp}' for d in shown)})."
    )


def _support_consent(ctx: Any) -> None:
    """Two demo users agreed (themselves) to support access, so 'Handelen als' can be tried
    by `beheerder`; the others did not, and sensitive roles are never offered (issue 19)."""
    from opstap.accounts.services import support_consent_set

    for username in ("beleid", "contractmanager"):
        user = ctx.users.get(username)
        if user is not None:
            support_consent_set(actor=user, user=user, allow=True)


INCOME_COACH_CLIENTS = 6  # 'inkomenscoach' sees these and nothing else (R-SEC-1)


def _income_coach_assignments(ctx: Any) -> None:
    """The demo income coach gets a handful of clients with debts from klantmanager's
    caseload, assigned through the service (dated, audited, on the timeline)."""
    from .services import income_coach_assign

    coach = ctx.users.get("inkomenscoach")
    if coach is None:
        return
    km = ctx.users["klantmanager"]
    clients = Client.objects.filter(organisation=ctx.organisation, case_manager=km).order_by("id")
    with_debts = [c for c in clients[:200] if Obstacle.DEBTS.value in (c.obstacles or [])]
    others = [c for c in clients[:200] if c not in with_debts]
    for client in (with_debts + others)[:INCOME_COACH_CLIENTS]:
        income_coach_assign(
            actor=km,
            client=client,
            coach=coach,
            valid_from=ctx.today - dt.timedelta(days=7),
            today=ctx.today,
            reason="Budgetcoaching en aanvraag bijzondere bijstand",
        )
