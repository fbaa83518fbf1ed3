"""The demo organisation: RSD de Liemers serving Duiven, Westervoort and Zevenaar.

Deterministic (seeded PRNG) and built through the apps' services, so demo data obeys the
same rules as real data. Each domain app contributes a `demo_data.py` with
`build(ctx: DemoContext) -> None`; they run in `DEMO_STEPS` order. Scales:

- `demo`: the realistic organisation of the spec (≈2,000 clients) for people to click through;
- `city`: ≈20,000 clients; `national`: ≈500,000 clients — for benchmarks; apps use bulk
  inserts at these scales so that `national` loads into PostgreSQL in minutes.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from opstap.accounts.models import User
from opstap.accounts.services import roles_sync_defaults, user_create
from opstap.core.roles import RoleCode
from opstap.organisations.models import Municipality, Organisation
from opstap.organisations.services import municipality_create, organisation_create
from opstap.providers.models import Provider
from opstap.providers.services import provider_add_staff, provider_create

DEMO_ORG_SLUG = "rsd-de-liemers"
DEMO_PASSWORD = "Opstap-demo-2026"  # noqa: S105  (demo only: never created outside demo mode)

SCALES: dict[str, int] = {"demo": 1_976, "city": 20_000, "national": 500_000}

# (name, CBS code, inhabitants on 2021-01-01): spec R-FIN-1 reference.
MUNICIPALITIES = [
    ("Duiven", "GM0226", 25_067),
    ("Westervoort", "GM0293", 15_011),
    ("Zevenaar", "GM0299", 44_099),
]
POPULATION_DATE = dt.date(2021, 1, 1)

# username, first name, last name, roles — the README lists these.
DEMO_USERS: list[tuple[str, str, str, tuple[RoleCode, ...]]] = [
    ("klantmanager", "Karin", "de Vries", (RoleCode.CASE_MANAGER,)),
    ("klantmanager2", "Mehmet", "Yilmaz", (RoleCode.CASE_MANAGER,)),
    ("inkomenscoach", "Ilse", "Bakker", (RoleCode.INCOME_COACH,)),
    ("contractmanager", "Cor", "Jansen", (RoleCode.CONTRACT_MANAGER,)),
    ("beleid", "Bram", "Visser", (RoleCode.POLICY_OFFICER,)),
    # A team lead: case manager of Unit Werk who also steers, so the KPI drill-down to
    # clients (R-KPI, for roles that may see those clients) can be tried in the demo.
    ("teamleider", "Tessa", "de Boer", (RoleCode.CASE_MANAGER, RoleCode.POLICY_OFFICER)),
    ("administratie", "Anouk", "Smit", (RoleCode.FINANCE_CLERK,)),
    ("beheerder", "Bart", "Mulder", (RoleCode.APP_ADMIN,)),
    ("auditor", "Aisha", "El Amrani", (RoleCode.AUDITOR,)),
    ("privacy", "Pieter", "Claessens", (RoleCode.PRIVACY_OFFICER,)),
    ("socialreturn", "Sanne", "Kok", (RoleCode.SOCIAL_RETURN_COORDINATOR,)),
    ("werkgeversadviseur", "Wendy", "Arts", (RoleCode.EMPLOYER_ADVISER,)),
    ("aanbieder-a", "Anna", "Peters", (RoleCode.PROVIDER_STAFF,)),
    ("aanbieder-b", "Bas", "Hendriks", (RoleCode.PROVIDER_STAFF,)),
    ("inwoner", "Ingrid", "Willems", (RoleCode.RESIDENT,)),
]
DEMO_PROVIDERS = {"aanbieder-a": "Werkkracht Liemers B.V.", "aanbieder-b": "Stichting Ontplooi"}

# Apps that contribute demo data, in dependency order. Missing modules are skipped.
DEMO_STEPS = [
    "opstap.providers",
    "opstap.clients",
    "opstap.trajectories",
    "opstap.kpis",
    "opstap.invoices",
    "opstap.matching",
    "opstap.indicators",
    "opstap.social_return",
    "opstap.finance",
    "opstap.reporting",
    "opstap.access_requests",
    "opstap.retention",  # after every app: its dry run looks at all closed dossiers
    "opstap.demo",  # last: the notifications showcase over everything generated before
]


@dataclass
class DemoContext:
    organisation: Organisation
    scale: str
    rng: random.Random
    today: dt.date
    users: dict[str, User] = field(default_factory=dict)
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    log: Callable[[str], None] = print
    extra: dict[str, Any] = field(default_factory=dict)
    #: The one password of every demo account (apps' demo data must not import this module).
    password: str = DEMO_PASSWORD

    @property
    def client_count(self) -> int:
        return SCALES[self.scale]

    @property
    def now(self) -> dt.datetime:
        """The demo's present moment: its `today` at the current time of day. Demo data is
        dated from this, never from the real date, so a demo built for a given day is the same
        whenever it is built (tests build it on a fixed day with the clock stopped there)."""
        clock = timezone.localtime()
        return timezone.make_aware(dt.datetime.combine(self.today, clock.time()))


def demo_exists() -> bool:
    return Organisation.objects.filter(slug=DEMO_ORG_SLUG).exists()


def build(
    *,
    scale: str = "demo",
    seed: int = 2026,
    today: dt.date | None = None,
    log: Callable[[str], None] = print,
) -> DemoContext:
    if scale not in SCALES:
        raise ValueError(f"Onbekende schaal '{scale}': kies uit {', '.join(SCALES)}.")
    roles_sync_defaults()
    with transaction.atomic():
        organisation = organisation_create(name="RSD de Liemers", slug=DEMO_ORG_SLUG)
        ctx = DemoContext(
            organisation=organisation,
            scale=scale,
            rng=random.Random(seed),
            today=today or timezone.localdate(),
            log=log,
        )
        for name, code, inhabitants in MUNICIPALITIES:
            ctx.municipalities[name] = municipality_create(
                organisation=organisation,
                name=name,
                cbs_code=code,
                inhabitants=inhabitants,
                reference_date=POPULATION_DATE,
            )
        for username, first, last, roles in DEMO_USERS:
            ctx.users[username] = user_create(
                username=username,
                organisation=organisation,
                roles=roles,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.opstap.example",
                validate=False,
            )
        for username, provider_name in DEMO_PROVIDERS.items():
            provider = provider_create(organisation=organisation, name=provider_name)
            ctx.providers[provider_name] = provider
            provider_add_staff(provider=provider, user=ctx.users[username])
        log(f"Organisatie {organisation.name} met {len(ctx.users)} demo-accounts aangemaakt.")
    for app in DEMO_STEPS:
        try:
            module = importlib.import_module(f"{app}.demo_data")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo_data":
                raise
            continue
        module.build(ctx)
    return ctx
