"""Matching benchmark (issue 15, R-MAT): top 20 candidates for a vacancy and top 20
vacancies for a client, each against its SQL floor in the same run.

    .venv/bin/python bench/matching_bench.py --profiles 2000 --vacancies 500 [--repeat 20]

Needs a loaded demo organisation (`manage.py demo_load`). It adds `--profiles` synthetic work
profiles (bulk, for measuring only: the clients of the organisation without a profile get one,
all shared with the WSP) and `--vacancies` open vacancies, unless that many exist already, then
measures as the WSP adviser (who sees every shared profile), each run for another
(seeded random) vacancy or client:

- `candidates`: `selectors.match_results_for_vacancy` (the database orders by the SQL sum of
  the criteria per occupation slice, Python scores the rows near the top: `matching.ranking`);
  floor: one query reading the facts of the rows an exact answer must consider at least (the
  visible profiles whose desired occupation is the vacancy's), without scoring or ranking;
- `vacancies`: `selectors.match_results_for_client`; floor: one query reading the facts of
  the open vacancies in the client's desired occupations.

The issue's targets are at national scale on PostgreSQL (260,000 visible clients: median
<= 150 ms, p95 <= 400 ms; 50,000 open vacancies: median <= 50 ms). Run that scale only when
the lead decides; results go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opstap.conf.settings")


def measure(fn: Callable[[int], object], *, repeat: int, warmup: int = 2) -> list[float]:
    """Run `fn(i)` for i in 0..repeat-1 (each run another vacancy or client), after
    `warmup` runs; milliseconds per run."""
    for i in range(warmup):
        fn(i)
    samples = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def ensure_data(org_id: int, profiles: int, vacancies: int, rng: random.Random) -> None:
    """Bulk bench data (not through the services: measuring only)."""
    from django.db import transaction
    from django.utils import timezone

    from opstap.clients.models import Client
    from opstap.matching.models import Employer, Occupation, Pc4Centroid, Vacancy, WorkProfile

    codes = list(Occupation.objects.values_list("code", flat=True))
    occ_ids = dict(Occupation.objects.values_list("code", "id"))
    pc4s = list(Pc4Centroid.objects.values_list("pc4", flat=True))
    skills = ["orderpicken", "heftruck", "klantvriendelijk", "excel", "koken", "schoonmaken"]
    now = timezone.now()
    with transaction.atomic():
        have = WorkProfile.objects.filter(organisation_id=org_id).count()
        if have < profiles:
            ids = list(
                Client.objects.filter(organisation_id=org_id, work_profile__isnull=True)
                .order_by("id")
                .values_list("id", flat=True)[: profiles - have]
            )
            rows = [
                WorkProfile(
                    organisation_id=org_id,
                    client_id=cid,
                    skills=rng.sample(skills, 2),
                    education=rng.choice(["mbo1", "mbo2", "vmbo", ""]),
                    hours_available=rng.choice([16, 24, 32, 40]),
                    max_distance_km=15,
                    shared_with_wsp=True,
                    updated_at=now,
                )
                for cid in ids
            ]
            WorkProfile.objects.bulk_create(rows, batch_size=2_000)
            through = WorkProfile.desired_occupations.through
            new = WorkProfile.objects.filter(client_id__in=ids).values_list("id", flat=True)
            through.objects.bulk_create(
                [
                    through(workprofile_id=pid, occupation_id=occ_ids[rng.choice(codes)])
                    for pid in new
                ],
                batch_size=5_000,
            )
        employer = Employer.objects.filter(organisation_id=org_id).first()
        if employer is None:
            employer = Employer.objects.create(
                organisation_id=org_id, kvk_number="79999999", name="Bench B.V."
            )
        open_now = Vacancy.objects.filter(organisation_id=org_id, state="open").count()
        Vacancy.objects.bulk_create(
            [
                Vacancy(
                    organisation_id=org_id,
                    employer=employer,
                    title="Bench",
                    occupation_id=occ_ids[rng.choice(codes)],
                    hours_min=16,
                    hours_max=32,
                    postcode=f"{(pc := rng.choice(pc4s))} AA",
                    pc4=pc,
                    required_skills=rng.sample(skills, 1),
                    created_at=now,
                )
                for _ in range(max(0, vacancies - open_now))
            ],
            batch_size=2_000,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=2_000)
    parser.add_argument("--vacancies", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from opstap.accounts.models import User
    from opstap.core.access import scoped
    from opstap.demo.generator import DEMO_ORG_SLUG
    from opstap.matching import selectors
    from opstap.matching.models import Vacancy, WorkProfile
    from opstap.organisations.models import Organisation

    org = Organisation.objects.get(slug=DEMO_ORG_SLUG)
    ensure_data(org.pk, args.profiles, args.vacancies, random.Random(15))
    adviser = User.objects.get(username="werkgeversadviseur")
    rng = random.Random(2026)
    open_ids = list(selectors.open_vacancies(org.pk).values_list("id", flat=True))
    vacancies = list(
        Vacancy.objects.filter(pk__in=rng.sample(open_ids, min(len(open_ids), args.repeat)))
        .select_related("occupation")
        .order_by("id")
    )
    profile_ids = list(
        selectors.visible_profiles(adviser).order_by("id").values_list("id", flat=True)
    )
    profiles = list(
        WorkProfile.objects.filter(
            pk__in=rng.sample(profile_ids, min(len(profile_ids), args.repeat))
        )
        .select_related("client")
        .prefetch_related("desired_occupations")
        .order_by("id")
    )
    visible = len(profile_ids)
    open_count = len(open_ids)
    fact_columns = (
        "id",
        "client_id",
        "skills",
        "education",
        "hours_available",
        "max_distance_km",
        "driving_licence",
        "restrictions",
        "client__postcode",
        "client__ladder_step",
        "client__hour_restriction",
        "client__ldr_registered",
        "client__nbw_indication",
        "client__lks_status",
    )

    def candidates(i: int) -> object:
        return selectors.match_results_for_vacancy(
            user=adviser, vacancy=vacancies[i % len(vacancies)], limit=20
        )

    def candidates_floor(i: int) -> object:
        """Reading the facts of the rows an exact answer must consider at least: the visible
        profiles whose desired occupation is the vacancy's (no scoring, no ranking)."""
        code = vacancies[i % len(vacancies)].occupation.code
        return list(
            selectors.visible_profiles(adviser)
            .filter(desired_occupations__code=code)
            .order_by()
            .values_list(*fact_columns)
        )

    def vacancies_top(i: int) -> object:
        return selectors.match_results_for_client(
            user=adviser, client=profiles[i % len(profiles)].client, limit=20
        )

    def vacancies_floor(i: int) -> object:
        """Reading the facts of the open vacancies in the client's desired occupations."""
        codes = [o.code for o in profiles[i % len(profiles)].desired_occupations.all()]
        return list(
            scoped(adviser, selectors.open_vacancies(org.pk))
            .filter(occupation__code__in=codes)
            .order_by()
            .values_list(
                "id",
                "occupation__code",
                "required_skills",
                "desired_skills",
                "education",
                "hours_min",
                "hours_max",
                "pc4",
                "requires_driving_licence",
                "demands",
                "exit",
                "offers_lks",
            )
        )

    load_before = os.getloadavg()
    print(
        f"Matching benchmark — database {connection.vendor}, {visible} visible profiles, "
        f"{open_count} open vacancies, {args.repeat} runs over {len(vacancies)} vacancies and "
        f"{len(profiles)} clients; load average {load_before[0]:.2f}"
    )
    print("| operation | median ms | p95 ms | floor median ms | floor p95 ms | x floor |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, run, floor in (
        (f"top 20 candidates for a vacancy ({visible} profiles)", candidates, candidates_floor),
        (f"top 20 vacancies for a client ({open_count} open)", vacancies_top, vacancies_floor),
    ):
        med, p95 = summary(measure(run, repeat=args.repeat))
        fmed, fp95 = summary(measure(floor, repeat=args.repeat))
        print(f"| {name} | {med:.1f} | {p95:.1f} | {fmed:.1f} | {fp95:.1f} | {med / fmed:.2f} |")
    load_after = os.getloadavg()
    print(f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
