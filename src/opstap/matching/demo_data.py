"""The matching part of the demo organisation (issue 15), built through the services, as on
`ctx.today`: employers of the Liemers with locations and a contact, about 150 vacancies, the
work profiles of the Unit Werk caseload (about half shared with the WSP) and a few proposals
that went on to an introduction and a placement, so that both directions of matching, the
chain and the KPI show something sensible. Names and KvK numbers are fictitious. Only at the
`demo` scale (the bulk scales keep their timing)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Min, Q
from django.utils import timezone

from opstap.clients.models import Client, ClientEvent, ClientEventKind
from opstap.core.errors import DomainError
from opstap.notifications.models import Notification

from . import services
from .models import Proposal, WorkProfile

# name, place, postcode, garantiebanen, beschut
EMPLOYERS: list[tuple[str, str, str, bool, bool]] = [
    ("Distributiecentrum De Liemers", "Zevenaar", "6902 PK", True, False),
    ("Logistiek Park Duiven", "Duiven", "6921 RW", True, False),
    ("Bakkerij Van Woerkom", "Zevenaar", "6901 AB", False, False),
    ("Zorgcentrum De Lathumse Hof", "Lathum", "6988 AA", True, False),
    ("Thuiszorg Liemers", "Didam", "6941 BA", False, False),
    ("Supermarkt Westervoort", "Westervoort", "6931 EA", True, False),
    ("Hotel-Restaurant Het Wapen", "'s-Heerenberg", "7041 AB", False, False),
    ("Schoonmaakbedrijf Rijnstaete", "Duiven", "6922 JX", True, False),
    ("Groenvoorziening Montferland", "Zeddam", "7038 CA", True, True),
    ("Metaalbewerking Doesburg", "Doesburg", "6981 DE", False, False),
    ("Kunststoffabriek Giesbeek", "Giesbeek", "6987 EB", False, False),
    ("Werkbedrijf Liemers (beschut)", "Zevenaar", "6903 AA", True, True),
    ("Bouwbedrijf Babberich", "Babberich", "6909 AA", False, False),
    ("Installatietechniek Groessen", "Groessen", "6923 AB", False, False),
    ("Kinderopvang Het Kleine Rijk", "Westervoort", "6932 CD", False, False),
    ("Gemeentelijke Wasserij Lobith", "Lobith", "6915 AA", True, True),
    ("Transportbedrijf Tolkamer", "Tolkamer", "6916 AB", False, False),
    ("Fietsenfabriek Angerlo", "Angerlo", "6986 AC", True, False),
    ("Callcenter Arnhem-Oost", "Arnhem", "6826 AA", False, False),
    ("Tuincentrum Pannerden", "Pannerden", "6911 AB", True, False),
    ("Autobedrijf Didam", "Didam", "6942 GA", False, False),
    ("Vleeswarenfabriek Doetinchem", "Doetinchem", "7001 AA", False, False),
    ("Kringloopwinkel Duiven", "Duiven", "6921 AA", True, True),
    ("Administratiekantoor Zevenaar", "Zevenaar", "6901 GA", False, False),
    ("Beveiliging Oost", "Westervoort", "6931 AB", False, False),
]

# title, ISCO-08, required skills, desired skills, education, hours (min, max), demands,
# exit, licence, weight
TEMPLATES: list[tuple[str, str, str, str, str, tuple[int, int], list[str], str, bool, int]] = [
    (
        "Orderpicker",
        "9333",
        "orderpicken",
        "heftruck,scanner",
        "none",
        (24, 38),
        ["physical", "standing"],
        "regular",
        False,
        14,
    ),
    (
        "Heftruckchauffeur",
        "8344",
        "heftruck",
        "reachtruck",
        "mbo1",
        (32, 40),
        ["physical"],
        "regular",
        False,
        8,
    ),
    (
        "Vakkenvuller",
        "9334",
        "",
        "klantvriendelijk",
        "none",
        (12, 24),
        ["standing"],
        "regular",
        False,
        10,
    ),
    (
        "Inpakker productie",
        "9321",
        "",
        "nauwkeurig",
        "none",
        (16, 32),
        ["standing", "time_pressure"],
        "regular",
        False,
        10,
    ),
    (
        "Productiemedewerker (garantiebaan)",
        "9329",
        "",
        "nauwkeurig",
        "none",
        (12, 24),
        [],
        "garantiebaan",
        False,
        8,
    ),
    (
        "Schoonmaker",
        "9112",
        "schoonmaken",
        "",
        "none",
        (12, 28),
        ["physical"],
        "regular",
        False,
        10,
    ),
    (
        "Schoonmaker (garantiebaan)",
        "9112",
        "",
        "schoonmaken",
        "none",
        (8, 20),
        [],
        "garantiebaan",
        False,
        5,
    ),
    (
        "Keukenhulp",
        "9412",
        "",
        "hygiëne",
        "none",
        (12, 30),
        ["standing", "busy_environment"],
        "regular",
        False,
        7,
    ),
    (
        "Kok",
        "5120",
        "koken,hygiëne",
        "",
        "mbo2",
        (24, 38),
        ["standing", "time_pressure"],
        "regular",
        False,
        4,
    ),
    (
        "Bedieningsmedewerker",
        "5131",
        "klantvriendelijk",
        "engels",
        "none",
        (12, 32),
        ["customer_contact", "standing"],
        "regular",
        False,
        6,
    ),
    (
        "Verkoopmedewerker",
        "5223",
        "klantvriendelijk",
        "kassa",
        "vmbo",
        (16, 32),
        ["customer_contact", "standing"],
        "regular",
        False,
        7,
    ),
    (
        "Kassamedewerker",
        "5230",
        "kassa",
        "klantvriendelijk",
        "none",
        (8, 24),
        ["customer_contact"],
        "regular",
        False,
        5,
    ),
    (
        "Medewerker groenvoorziening",
        "9214",
        "",
        "tuinieren",
        "none",
        (24, 36),
        ["physical"],
        "regular",
        False,
        6,
    ),
    (
        "Groenmedewerker (beschut)",
        "9214",
        "",
        "tuinieren",
        "none",
        (16, 28),
        [],
        "beschut",
        False,
        4,
    ),
    ("Medewerker wasserij (beschut)", "9121", "", "", "none", (16, 28), [], "beschut", False, 4),
    (
        "Helpende zorg",
        "5329",
        "",
        "klantvriendelijk",
        "mbo1",
        (16, 28),
        ["customer_contact"],
        "regular",
        False,
        5,
    ),
    (
        "Verzorgende IG",
        "5321",
        "zorg",
        "",
        "mbo3",
        (20, 32),
        ["physical", "night_shifts"],
        "regular",
        False,
        4,
    ),
    (
        "Thuiszorgmedewerker",
        "5322",
        "zorg",
        "rijbewijs",
        "mbo2",
        (16, 28),
        ["customer_contact"],
        "regular",
        True,
        4,
    ),
    (
        "Pedagogisch medewerker",
        "5311",
        "kinderopvang",
        "",
        "mbo3",
        (20, 32),
        ["busy_environment"],
        "regular",
        False,
        3,
    ),
    (
        "Administratief medewerker",
        "4110",
        "excel",
        "administratie",
        "mbo2",
        (20, 36),
        [],
        "regular",
        False,
        5,
    ),
    (
        "Klantenservicemedewerker",
        "4222",
        "klantvriendelijk,typen",
        "excel",
        "mbo2",
        (24, 36),
        ["customer_contact", "time_pressure"],
        "regular",
        False,
        5,
    ),
    (
        "Receptionist",
        "4226",
        "klantvriendelijk",
        "engels",
        "mbo2",
        (16, 32),
        ["customer_contact"],
        "regular",
        False,
        3,
    ),
    (
        "Magazijnadministrateur",
        "4321",
        "excel",
        "scanner",
        "mbo2",
        (32, 40),
        [],
        "regular",
        False,
        3,
    ),
    ("Chauffeur bestelwagen", "8322", "rijbewijs", "", "none", (24, 40), [], "regular", True, 5),
    (
        "Vrachtwagenchauffeur",
        "8332",
        "rijbewijs c",
        "",
        "mbo2",
        (38, 40),
        ["night_shifts"],
        "regular",
        True,
        2,
    ),
    ("Lasser", "7212", "lassen", "", "mbo2", (32, 40), ["physical"], "regular", False, 3),
    (
        "Machineoperator kunststof",
        "8142",
        "",
        "nauwkeurig",
        "mbo1",
        (32, 40),
        ["night_shifts"],
        "regular",
        False,
        3,
    ),
    (
        "Assemblagemedewerker",
        "8219",
        "",
        "nauwkeurig",
        "none",
        (24, 38),
        ["standing"],
        "regular",
        False,
        5,
    ),
    (
        "Hulpkracht bouw",
        "9313",
        "",
        "",
        "none",
        (32, 40),
        ["physical", "heights"],
        "regular",
        False,
        3,
    ),
    ("Schilder", "7131", "schilderen", "", "mbo2", (32, 40), ["heights"], "regular", False, 2),
    (
        "Beveiliger",
        "5414",
        "beveiliging",
        "",
        "mbo2",
        (24, 40),
        ["night_shifts"],
        "regular",
        False,
        2,
    ),
    (
        "Bakkerijmedewerker",
        "7512",
        "",
        "hygiëne",
        "none",
        (20, 32),
        ["night_shifts", "standing"],
        "regular",
        False,
        3,
    ),
    (
        "Klusjesman / conciërge",
        "5153",
        "",
        "klussen",
        "none",
        (16, 32),
        ["physical"],
        "regular",
        False,
        3,
    ),
    ("Pakketbezorger", "9621", "", "rijbewijs", "none", (16, 32), ["physical"], "regular", True, 4),
]
SKILL_POOL = [
    "orderpicken",
    "heftruck",
    "reachtruck",
    "scanner",
    "klantvriendelijk",
    "nauwkeurig",
    "schoonmaken",
    "hygiëne",
    "koken",
    "kassa",
    "engels",
    "tuinieren",
    "zorg",
    "excel",
    "administratie",
    "typen",
    "lassen",
    "klussen",
    "schilderen",
    "rijbewijs",
]
VACANCIES = 150
WORK_STEPS = ("2b", "3", "4", "5", "6")


def build(ctx: Any) -> None:
    if ctx.scale != "demo":
        ctx.log("Matching: alleen bij de demoschaal.")
        return
    # Its own generator: the steps after this one keep the random sequence they had.
    rng = random.Random(f"matching-{ctx.today}")  # noqa: S311  (demo data, not security)
    adviser = ctx.users["werkgeversadviseur"]
    employers = []
    for i, (name, place, postcode, garantie, beschut) in enumerate(EMPLOYERS):
        employer = services.employer_create(
            actor=adviser,
            kvk_number=f"{70_100_000 + i * 7_919:08d}",
            name=name,
            offers_garantiebanen=garantie,
            offers_beschut_werk=beschut,
        )
        location = services.employer_location_add(
            actor=adviser,
            employer=employer,
            name=f"Vestiging {place}",
            postcode=postcode,
            city=place,
        )
        services.employer_contact_add(
            actor=adviser,
            employer=employer,
            name=f"Contactpersoon {name.split()[0]}",
            function="HR-adviseur",
            email=f"hr{i}@werkgever.example",
        )
        employers.append((employer, location, garantie, beschut))
    weights = [t[-1] for t in TEMPLATES]
    vacancies = []
    for _ in range(VACANCIES):
        title, isco, req, des, edu, (hmin, hmax), demands, exit_, licence, _w = rng.choices(
            TEMPLATES, weights
        )[0]
        fitting = [
            e
            for e in employers
            if (exit_ != "garantiebaan" or e[2]) and (exit_ != "beschut" or e[3])
        ]
        employer, location, _g, _b = rng.choice(fitting)
        # R-MAT: a temporary contract has a duration, a permanent one none (two draws, as
        # before, so the rest of the demo keeps its random sequence).
        contract_type = rng.choice(["fixed", "fixed", "permanent", "agency"])
        months = rng.choice([6, 7, 12, 12, 24])
        contract_months = None if contract_type == "permanent" else months
        vacancies.append(
            services.vacancy_create(
                actor=adviser,
                employer=employer,
                title=title,
                occupation=isco,
                required_skills=req,
                desired_skills=des,
                education=edu,
                hours_min=hmin,
                hours_max=hmax,
                location=location,
                contract_type=contract_type,
                contract_months=contract_months,
                start_date=ctx.today + dt.timedelta(days=rng.randint(7, 90)),
                exit=exit_,
                offers_lks=exit_ != "regular" or rng.random() < 0.3,
                requires_driving_licence=licence,
                demands=demands,
            )
        )
    profiles = _work_profiles(ctx, rng)
    chain = _chain(ctx, rng, vacancies)
    durable = _older_placements(ctx, vacancies[12:20])
    ctx.log(
        f"Matching: {len(employers)} werkgevers, {len(vacancies)} vacatures, {profiles} "
        f"werkprofielen (Unit Werk), {chain} voordrachten, {durable} plaatsingen via het WSP "
        "van meer dan 6 maanden oud."
    )


def _work_profiles(ctx: Any, rng: random.Random) -> int:
    clients = list(
        Client.objects.filter(organisation=ctx.organisation, case_manager__isnull=False)
        .filter(ladder_step__in=WORK_STEPS)
        .exclude(Q(ladder_step="6") & Q(ladder_sub_status="without_growth"))
        .select_related("case_manager")
        .order_by("id")
    )
    occupations = [t[1] for t in TEMPLATES]
    weights = [t[-1] for t in TEMPLATES]
    for client in clients:
        assert client.case_manager is not None  # filtered above
        desired = sorted(set(rng.choices(occupations, weights, k=rng.choice([1, 1, 2]))))
        possible = sorted(
            set(rng.choices(occupations, weights, k=rng.choice([0, 1, 2]))) - set(desired)
        )
        services.work_profile_save(
            actor=client.case_manager,
            client=client,
            desired_occupations=desired,
            possible_occupations=possible,
            skills=rng.sample(SKILL_POOL, rng.randint(1, 4)),
            education=rng.choice(
                ["", "basis", "vmbo", "mbo1", "mbo2", "mbo2", "mbo3", "havo", "mbo4"]
            ),
            hours_available=rng.choice([None, 12, 16, 20, 24, 24, 32, 32, 36, 40]),
            max_distance_km=rng.choice([5, 10, 15, 15, 20, 25]),
            driving_licence=rng.random() < 0.45,
            own_transport=rng.random() < 0.6,
            restrictions=rng.sample(
                ["physical", "standing", "night_shifts", "customer_contact", "busy_environment"],
                rng.choice([0, 0, 0, 1, 2]),
            ),
            shared_with_wsp=client.ladder_step in ("4", "5", "6") and rng.random() < 0.55,
        )
    _date_profiles(ctx, [c.pk for c in clients])
    return len(clients)


def _date_profiles(ctx: Any, client_ids: list[int]) -> None:
    """Date each work profile, and its "Werkprofiel aangemaakt" on the client's timeline, on a
    day in the year before today (a month before the demo's proposals at the latest), not
    before the client was registered: every dossier's timeline said its profile was made on
    the minute the demo was generated. Its own generator: the rest stays as it was."""
    dates = random.Random(f"matching-profile-dates-{ctx.today}")  # noqa: S311  (demo data)
    registered = dict(
        ClientEvent.objects.filter(client_id__in=client_ids, kind=ClientEventKind.CREATED)
        .values("client_id")
        .annotate(first=Min("occurred_at"))
        .values_list("client_id", "first")
    )
    latest = ctx.today - dt.timedelta(days=30)
    moments: dict[int, dt.datetime] = {}
    for client_id in client_ids:
        since = registered.get(client_id)
        first = max(latest - dt.timedelta(days=365), timezone.localdate(since) if since else latest)
        first = min(first, ctx.today)
        day = first + dt.timedelta(days=dates.randint(0, max(0, (latest - first).days)))
        clock = dt.time(dates.randint(8, 16), dates.choice((0, 15, 30, 45)))
        moments[client_id] = timezone.make_aware(dt.datetime.combine(day, clock))
    profiles = list(WorkProfile.objects.filter(client_id__in=client_ids).only("id", "client_id"))
    for profile in profiles:
        profile.updated_at = moments[profile.client_id]
    WorkProfile.objects.bulk_update(profiles, ["updated_at"], batch_size=1_000)
    entries = list(
        ClientEvent.objects.filter(
            client_id__in=client_ids, source="matching", summary="Werkprofiel aangemaakt"
        ).only("id", "client_id")
    )
    for entry in entries:
        entry.occurred_at = moments[entry.client_id]
    ClientEvent.objects.bulk_update(entries, ["occurred_at"], batch_size=1_000)


def _redate(proposal: Proposal, on: dt.date) -> None:
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time(10, 0)))
    Proposal.objects.filter(pk=proposal.pk).update(proposed_at=moment, updated_at=moment)
    proposal.proposed_at = moment


def _free_candidate(actor: Any, vacancy: Any) -> Client | None:
    """The best of the top 3 candidates for `vacancy` who was never proposed for anything
    (the chain and the older placements each use a client once)."""
    from . import selectors

    for m in selectors.candidates_for_vacancy(user=actor, vacancy=vacancy, limit=3):
        if m.proposal is None and not Proposal.objects.filter(client=m.client).exists():
            return m.client
    return None


def _chain(ctx: Any, rng: random.Random, vacancies: list[Any]) -> int:
    """A handful of proposals from the case managers' best candidates: some planned, some
    introduced, a few placed (via the WSP), so the chain, the portal and R-KPI-3 show them."""

    actor = ctx.users["klantmanager"]
    made = 0
    for n, vacancy in enumerate(vacancies[:12]):
        client = _free_candidate(actor, vacancy)
        if client is None:
            continue
        try:
            proposal = services.proposal_create(actor=actor, vacancy=vacancy, client=client)
            _redate(proposal, ctx.today - dt.timedelta(days=40 - n))
            made += 1
            if n % 3 == 0:
                continue
            services.proposal_introduction_plan(
                actor=actor, proposal=proposal, on=ctx.today - dt.timedelta(days=20 - n)
            )
            if n % 3 == 1 and n > 4:
                continue
            services.proposal_introduction_record(
                actor=actor, proposal=proposal, positive=True, outcome="Goed gesprek."
            )
            if n % 2 == 0:
                services.placement_record(
                    actor=actor,
                    proposal=proposal,
                    start_date=ctx.today - dt.timedelta(days=rng.randint(0, 5)),
                    hours_per_week=min(vacancy.hours_max, client.hour_restriction or 40),
                    contract_type=vacancy.contract_type,
                    contract_months=vacancy.contract_months,
                    lks=vacancy.offers_lks,
                )
        except DomainError as exc:  # a demo day far from the real date: skip, say why
            ctx.log(f"Matching: voordracht {vacancy.title} overgeslagen ({exc.message})")
    return made


#: The answers for the placements via the WSP older than 6 months (R-TRJ-7, R-KPI-4): ended
#: early (the last working day, days after the start), still employed, or not answered yet
#: (the daily job asks the case manager).
OLDER_PLACEMENT_ANSWERS: tuple[int | bool | None, ...] = (45, True, True, None)


def _older_placements(ctx: Any, vacancies: list[Any]) -> int:
    """A few placements via the WSP that started about 8 months before `ctx.today`: some with
    a decided durability (the case manager's answer), one awaiting it, so that R-KPI-4 and the
    "Passend werk" page show placements via the WSP. Dated from `ctx.today`, never the real
    date (the answers and the job get the demo's day)."""

    actor = ctx.users["klantmanager"]
    answers = list(OLDER_PLACEMENT_ANSWERS)
    made = 0
    for n, vacancy in enumerate(vacancies):
        if not answers:
            break
        client = _free_candidate(actor, vacancy)
        if client is None:
            continue
        start = ctx.today - dt.timedelta(days=250 - 3 * n)
        try:
            proposal = services.proposal_create(actor=actor, vacancy=vacancy, client=client)
            _redate(proposal, start - dt.timedelta(days=20))
            services.proposal_introduction_plan(
                actor=actor, proposal=proposal, on=start - dt.timedelta(days=10)
            )
            services.proposal_introduction_record(
                actor=actor, proposal=proposal, positive=True, outcome="Klikt goed."
            )
            placement = services.placement_record(
                actor=actor,
                proposal=proposal,
                start_date=start,
                hours_per_week=min(vacancy.hours_max, client.hour_restriction or 40),
                contract_type=vacancy.contract_type,
                contract_months=vacancy.contract_months,
                lks=vacancy.offers_lks,
            )
            answer = answers.pop(0)
            if answer is True:
                services.placement_durability_record(
                    actor=actor, placement=placement, still_employed=True, on=ctx.today
                )
            elif isinstance(answer, int):
                services.placement_durability_record(
                    actor=actor,
                    placement=placement,
                    last_day_of_employment=start + dt.timedelta(days=answer),
                    on=ctx.today,
                )
            made += 1
        except DomainError as exc:  # a demo day far from the real date: skip, say why
            ctx.log(f"Matching: plaatsing {vacancy.title} overgeslagen ({exc.message})")
    services.placements_check_durability(on=ctx.today)  # asks about the unanswered one
    # The question is dated on the demo's day, as everything else (never the real date).
    Notification.objects.filter(
        organisation=ctx.organisation, dedupe_key__startswith="placement-durability:"
    ).update(created_at=ctx.now)
    return made
