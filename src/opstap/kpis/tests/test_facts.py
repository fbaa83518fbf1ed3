"""The KPI facts per client and month (issue 18): the pure rows against the rule (property
tests), the numbers read from the facts against the live computation on random data
(R-KPI-1, R-KPI-5), and the incremental maintenance against a full rebuild."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from opstap.accounts.models import User
from opstap.clients.models import Client, ClientEvent
from opstap.clients.tests.factories import make_client
from opstap.core.signals import clients_changed
from opstap.kpis import facts, selectors, services
from opstap.kpis.formulas import KpiCode
from opstap.kpis.models import KpiClientMonth, KpiFactQueue, KpiFactState
from opstap.matching.models import Employer, Occupation, Placement, Proposal, Vacancy
from opstap.trajectories.models import Trajectory
from opstap.trajectories.selectors import durability_check_due

from .conftest import TODAY, World

# --- Pure: the rows answer exactly what the rule answers --------------------------------------

DAYS = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2027, 3, 31))


@st.composite
def spans(draw: Any) -> facts.Span:
    start = draw(DAYS)
    end = draw(st.one_of(st.none(), DAYS))
    return facts.Span(start, end)


@settings(max_examples=300, deadline=None)
@given(
    spans=st.lists(spans(), max_size=4),
    activity=st.lists(DAYS, max_size=6),
    on=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 2, 28)),
    window=st.integers(min_value=1, max_value=facts.MAX_WINDOW_MONTHS),
)
def test_rows_answer_the_rule_on_every_day(
    spans: list[facts.Span], activity: list[dt.date], on: dt.date, window: int
) -> None:
    """R-KPI-1/5: for any trajectories, activities, measurement date and window (1-24 months),
    the row of the measurement month says "guided" exactly when the rule does."""
    rows = facts.month_facts(
        spans=spans,
        activity_dates=activity,
        first_month=dt.date(2025, 1, 1),
        through_month=dt.date(2027, 3, 1),
    )
    by_month = {r.month: r for r in rows}
    test = facts.guided_test(on, window)
    expected = facts.guided_live(spans=spans, activity_dates=activity, on=on, window_months=window)
    assert facts.is_guided(by_month.get(test.month), test) is expected


def test_masks_and_windows_by_hand() -> None:
    """A trajectory 10-15 March, activities on 31 January and 2 March; window 1 month."""
    rows = facts.month_facts(
        spans=[facts.Span(dt.date(2026, 3, 10), dt.date(2026, 3, 15))],
        activity_dates=[dt.date(2026, 1, 31), dt.date(2026, 3, 2)],
        first_month=dt.date(2026, 1, 1),
        through_month=dt.date(2026, 4, 1),
    )
    march = next(r for r in rows if r.month == dt.date(2026, 3, 1))
    assert march.trajectory_days == 0b111111 << 9
    assert march.activity_days == 0b10
    assert march.last_activity_before == dt.date(2026, 1, 31)
    # 1 March, window 1 month: (1 Feb, 1 Mar] does not hold 31 January
    assert not facts.is_guided(march, facts.guided_test(dt.date(2026, 3, 1), 1))
    # 28 February, window 1 month: from 29 January (the 28th + 1) — 31 January counts
    february = next(r for r in rows if r.month == dt.date(2026, 2, 1))
    assert facts.is_guided(february, facts.guided_test(dt.date(2026, 2, 28), 1))
    assert facts.is_guided(march, facts.guided_test(dt.date(2026, 3, 12), 1))  # trajectory
    assert facts.is_guided(march, facts.guided_test(dt.date(2026, 3, 31), 1))  # 2 March
    with pytest.raises(ValueError, match="outside"):
        facts.guided_test(dt.date(2026, 3, 1), 25)


# --- The database: facts against the live computation ----------------------------------------

Ctx = Callable[..., selectors.KpiContext]
STEPS = ["1", "2a", "2b", "3", "4", "5", "6"]
KINDS = ["agreement", "ladder", "handover", "other", "updated", "created", "trajectory"]


def _random_world(world: World, seed: int, n: int = 40) -> list[Client]:
    """`n` clients with random steps, municipalities and case managers, trajectories with
    random dates and states (some rejected, some open) and timeline events of random kinds by
    random actors at random moments (also around midnight, to check the local date)."""
    rng = random.Random(seed)
    municipalities = list(world.municipalities.values())
    trajectory = Trajectory.objects.filter(organisation=world.org).first()
    assert trajectory is not None
    product = trajectory.product
    managers = [world.km, world.km2]
    clients = []
    for _ in range(n):
        step = rng.choice(STEPS)
        clients.append(
            make_client(
                world.org,
                municipality=rng.choice(municipalities),
                ladder_step=step,
                ladder_sub_status="with_growth" if step == "6" else "",
                case_manager=rng.choice(managers),
                ldr_registered=rng.random() < 0.3,
            )
        )

    def day() -> dt.date:
        return dt.date(2023, 9, 1) + dt.timedelta(days=rng.randrange(0, 1250))

    for client in clients:
        for _ in range(rng.randrange(0, 4)):
            order = day()
            end = order + dt.timedelta(days=rng.randrange(-5, 400)) if rng.random() < 0.6 else None
            Trajectory.objects.create(
                organisation=world.org,
                client=client,
                product=product,
                provider_id=product.provider_id,
                product_code=trajectory.product_code,
                price_basis=trajectory.price_basis,
                case_manager=client.case_manager,
                state=rng.choice(["running", "ended", "quote_rejected", "ordered"]),
                rotonde_exit="regular",
                absence_risk="none",
                order_date=order,
                actual_end_date=end,
            )
        for _ in range(rng.randrange(0, 5)):
            moment = timezone.make_aware(
                dt.datetime.combine(day(), dt.time(rng.choice([0, 9, 23]), rng.choice([0, 30])))
            )
            ClientEvent.objects.create(
                organisation=world.org,
                client=client,
                kind=rng.choice(KINDS),
                occurred_at=moment,
                actor=rng.choice([*managers, None]),
                summary="Willekeurig",
            )
    _random_wsp_placements(world, rng, clients)
    return clients


def _random_wsp_placements(world: World, rng: random.Random, clients: list[Client]) -> None:
    """Placements the WSP made through matching without a trajectory (R-KPI-3, R-KPI-4),
    for about a third of the clients: random starts, their check day 6 months later and a
    random durability (undecided, durable, or ended early: not durable)."""
    occupation, _ = Occupation.objects.get_or_create(code="9333", defaults={"title": "Inpakker"})
    employer = Employer.objects.create(organisation=world.org, kvk_number="69009999", name="W")
    now = timezone.now()
    for client in clients:
        if rng.random() >= 0.35:
            continue
        start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 1000))
        vacancy = Vacancy.objects.create(
            organisation=world.org,
            employer=employer,
            title="Inpakker",
            occupation=occupation,
            hours_min=24,
            hours_max=32,
            postcode="6902 AB",
            pc4="6902",
            state="filled",
            created_at=now,
        )
        proposal = Proposal.objects.create(
            organisation=world.org,
            vacancy=vacancy,
            client=client,
            state="placed",
            score=50,
            proposed_at=now,
            updated_at=now,
        )
        verdict = rng.choice(["", "durable", "not_durable"])
        Placement.objects.create(
            organisation=world.org,
            proposal=proposal,
            client=client,
            vacancy=vacancy,
            start_date=start,
            hours_per_week=24,
            contract_type="fixed",
            via="wsp",
            recorded_at=now,
            durability_check_on=durability_check_due(start),
            durability=verdict,
            last_day_of_employment=start + dt.timedelta(days=40)
            if verdict == "not_durable"
            else None,
        )


def _outcome_numbers(ctx: selectors.KpiContext) -> dict[str, Any]:
    """Everything R-KPI-3 and R-KPI-4 show (they count placements via the WSP too): counts,
    the detail, the municipality breakdown, the trend and the drill-down."""
    out: dict[str, Any] = {}
    counts = selectors.kpi_counts(ctx)
    for code in (KpiCode.PLACEMENTS, KpiCode.DURABLE_PLACEMENTS):
        out[f"{code}:counts"] = (counts[code].numerator, counts[code].denominator)
        out[f"{code}:result"] = selectors.kpi_result(ctx, code).realised
        out[f"{code}:municipality"] = [
            (r.label, r.counts.numerator, r.counts.denominator)
            for r in selectors.breakdown_by_municipality(ctx, code)
        ]
        out[f"{code}:trend"] = [
            (p.month, p.numerator, p.denominator) for p in selectors._trend(ctx, code)
        ]
        numerator, _denominator = selectors.client_sets(ctx, code)
        out[f"{code}:clients"] = sorted(
            selectors.base_clients(ctx).filter(numerator).values_list("pk", flat=True)
        )
    return out


def _guidance_numbers(ctx: selectors.KpiContext) -> dict[str, Any]:
    """Everything R-KPI-1/5 shows: counts, three breakdowns, the trend and the drill-down."""
    out: dict[str, Any] = {}
    counts = selectors.kpi_counts(ctx)
    for code in (KpiCode.ACTIVE_GUIDANCE_WORK, KpiCode.ACTIVE_GUIDANCE_CARE):
        out[f"{code}:counts"] = (counts[code].numerator, counts[code].denominator)
        out[f"{code}:result"] = selectors.kpi_result(ctx, code).realised
        for name, breakdown in (
            ("municipality", selectors.breakdown_by_municipality),
            ("unit", selectors.breakdown_by_unit),
            ("target_group", selectors.breakdown_by_target_group),
        ):
            out[f"{code}:{name}"] = [
                (r.label, r.counts.numerator, r.counts.denominator) for r in breakdown(ctx, code)
            ]
        out[f"{code}:trend"] = [
            (p.month, p.numerator, p.denominator) for p in selectors._trend(ctx, code)
        ]
        numerator, denominator = selectors.client_sets(ctx, code)
        assert denominator is not None
        base = selectors.base_clients(ctx)
        out[f"{code}:clients"] = sorted(base.filter(numerator).values_list("pk", flat=True))
        out[f"{code}:rest"] = sorted(
            base.filter(denominator & ~numerator).values_list("pk", flat=True)
        )
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_facts_give_the_live_numbers_on_random_data(
    world: World, ctx_for: Ctx, seed: int, django_assert_max_num_queries: Any
) -> None:
    """R-KPI-1, R-KPI-5 (issue 18): on random data, for several measurement dates, windows
    and filters, every guided number read from the facts equals the live computation; and
    R-KPI-3/4 (with random placements via the WSP, R-TRJ-7) are the same either way."""
    _random_world(world, seed)
    assert not ctx_for().facts  # not built yet: live
    state = services.kpi_facts_rebuild(organisation_id=world.org.pk, today=TODAY)
    assert state.ready and state.rows == KpiClientMonth.objects.count() > 0
    rng = random.Random(seed)
    cases: list[dict[str, Any]] = [
        {"year": 2026},
        {"year": 2025},
        {"year": 2026, "municipality": world.municipalities["Duiven"].pk},
        {"year": 2026, "unit": "work"},
        {"year": 2026, "target_group": "work_perspective"},
    ]
    for filters in cases:
        for window in (1, 3, rng.randrange(2, 25), 24):
            ctx = replace(ctx_for(**filters), window_months=window)
            assert ctx.facts, filters
            live = _guidance_numbers(replace(ctx, facts=False))
            assert _guidance_numbers(ctx) == live, (filters, window)
        # R-KPI-3, R-KPI-4: the placements via the WSP count the same with and without facts.
        ctx = ctx_for(**filters)
        assert _outcome_numbers(ctx) == _outcome_numbers(replace(ctx, facts=False)), filters
    # The random placements via the WSP are in R-KPI-4 (checked in 2025 or 2026).
    decided = Placement.objects.filter(
        durability__in=["durable", "not_durable"], durability_check_on__year=2025
    ).values("client_id")
    assert decided.exists()
    assert selectors.kpi_counts(ctx_for(year=2025))[KpiCode.DURABLE_PLACEMENTS].denominator == (
        selectors.base_clients(ctx_for(year=2025)).filter(pk__in=decided).count()
    )
    ctx = ctx_for()
    with django_assert_max_num_queries(4):  # as live: the facts add no query
        selectors.kpi_counts(ctx)


#: Every column of a facts row (the masks and the client's dimensions).
SNAPSHOT = (
    "client_id",
    "month",
    "trajectory_days",
    "activity_days",
    "last_activity_before",
    "municipality_id",
    "ladder_step",
    "ladder_sub_status",
)


def test_facts_follow_every_write(
    world: World, ctx_for: Ctx, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 18: after the rebuild, writes to trajectories, the timeline and the client record
    are queued in their own transaction and refreshed after the commit; the rows then equal a
    fresh rebuild, and so do the numbers."""
    clients = _random_world(world, 7, n=15)
    services.kpi_facts_rebuild(organisation_id=world.org.pk, today=TODAY)
    assert not KpiFactQueue.objects.exists()
    rng = random.Random(7)
    with django_capture_on_commit_callbacks(execute=True):
        trajectory = Trajectory.objects.filter(client__in=clients).first()
        assert trajectory is not None
        trajectory.actual_end_date = dt.date(2026, 6, 30)
        trajectory.save()
    with django_capture_on_commit_callbacks(execute=True):
        ClientEvent.objects.create(
            organisation=world.org,
            client=clients[0],
            kind="agreement",
            occurred_at=timezone.now(),
            actor=clients[0].case_manager,
            summary="Gesprek",
        )
    with django_capture_on_commit_callbacks(execute=True):
        # A handover: the other case manager's activities now count, the old ones not.
        moved = clients[1]
        moved.case_manager = world.km if moved.case_manager == world.km2 else world.km2
        moved.save()
    with django_capture_on_commit_callbacks(execute=True):
        # Another municipality and ladder step: the dimensions on all of the client's rows.
        moved = clients[2]
        moved.municipality = next(
            m for m in world.municipalities.values() if m.pk != moved.municipality_id
        )
        moved.ladder_step = "2a" if moved.ladder_step != "2a" else "4"
        moved.ladder_sub_status = ""
        moved.save()
    with django_capture_on_commit_callbacks(execute=True):
        ClientEvent.objects.filter(client__in=clients, kind="agreement").last().delete()  # type: ignore[union-attr]
    with django_capture_on_commit_callbacks(execute=True):
        Trajectory.objects.filter(client=rng.choice(clients)).delete()
    assert not KpiFactQueue.objects.exists()

    def snapshot() -> set[tuple[Any, ...]]:
        return set(KpiClientMonth.objects.values_list(*SNAPSHOT))

    incremental = snapshot()
    assert {
        (r.municipality_id, r.ladder_step, r.ladder_sub_status)
        for r in KpiClientMonth.objects.filter(client=clients[2])
    } <= {(clients[2].municipality_id, clients[2].ladder_step, "")}
    numbers = _guidance_numbers(ctx_for())
    services.kpi_facts_rebuild(organisation_id=world.org.pk, today=TODAY)
    assert snapshot() == incremental
    assert _guidance_numbers(replace(ctx_for(), facts=False)) == numbers


def test_bulk_writes_are_queued_and_refreshed(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 18: the client import writes in bulk and sends `clients_changed`; the clients are
    queued in that transaction and refreshed after it."""
    services.kpi_facts_rebuild(organisation_id=world.org.pk, today=TODAY)
    client = world.clients["b"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ClientEvent.objects.bulk_create(
            [
                ClientEvent(
                    organisation=world.org,
                    client=client,
                    kind="agreement",
                    occurred_at=timezone.now(),
                    actor=client.case_manager,
                    summary="Bulk",
                )
            ]
        )
        clients_changed.send(sender=Client, organisation_id=world.org.pk, client_ids=[client.pk])
        assert list(KpiFactQueue.objects.values_list("client_id", flat=True)) == [client.pk]
    assert callbacks  # the refresh follows the commit
    callbacks[0]()
    assert not KpiFactQueue.objects.exists()
    row = KpiClientMonth.objects.get(client=client, month=TODAY.replace(day=1))
    assert row.activity_days & facts.day_bits(TODAY.day, TODAY.day)


def test_roll_extends_the_months(world: World, ctx_for: Ctx) -> None:
    """Issue 18: the daily roll extends the facts to the month after today's; the rows equal a
    rebuild on that day, and the KPIs of a later date read the facts."""
    _random_world(world, 11, n=20)
    services.kpi_facts_rebuild(organisation_id=world.org.pk, today=TODAY)
    later = dt.date(2027, 1, 20)
    state = KpiFactState.objects.get(organisation=world.org)
    assert state.built_through == dt.date(2026, 12, 1)
    assert services.kpi_facts_roll(today=later) > 0
    state.refresh_from_db()
    assert state.built_through == dt.date(2027, 2, 1)
    rolled = set(KpiClientMonth.objects.values_list("client_id", "month", "trajectory_days"))
    services.kpi_facts_rebuild(
        organisation_id=world.org.pk, today=later, built_from=state.built_from
    )
    assert set(KpiClientMonth.objects.values_list("client_id", "month", "trajectory_days")) == (
        rolled
    )


def test_rebuild_command(world: World, capsys: Any) -> None:
    """`manage.py kpi_facts_rebuild --today` (docs/kpis.md) builds the facts and says so in
    Dutch; a wrong date is refused with a Dutch message."""
    call_command("kpi_facts_rebuild", "--today", TODAY.isoformat())
    assert "rijen" in capsys.readouterr().out
    assert KpiFactState.objects.get(organisation=world.org).ready
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Geen geldige datum"):
        call_command("kpi_facts_rebuild", "--today", "morgen")


def test_pages_read_the_facts(world: World, make_user: Callable[..., User], client: Any) -> None:
    """Issue 18: with the facts built, the dashboard's guided numbers come from them and equal
    the live ones (the page shows the same share)."""
    from opstap.core.roles import RoleCode

    policy = make_user(RoleCode.POLICY_OFFICER, username="beleid")
    client.force_login(policy)
    url = "/sturing/?jaar=2026"
    live = client.get(url).content.decode()
    services.kpi_facts_rebuild(organisation_id=world.org.pk, today=TODAY)
    built = client.get(url).content.decode()
    assert "66,7" in live and "66,7" in built


def test_client_import_moves_the_dimensions(
    world: World, ctx_for: Ctx, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 18: the client import changes a client's municipality and ladder step in bulk
    (and its undo changes them back); `clients_changed` queues the client, and after the
    commit all of its facts rows carry the new values: the numbers read from the facts equal
    the live ones and the rows a rebuild."""
    import csv

    from opstap.clients.importer import import_undo, run_import
    from opstap.clients.models import ImportJob

    services.kpi_facts_rebuild(organisation_id=world.org.pk, today=TODAY)
    moved = world.clients["c"]  # step 3, Duiven, guided (an agreement by km2 today)
    assert KpiClientMonth.objects.filter(client=moved).exists()
    row = {
        "klantnummer": moved.client_number,
        "bsn": moved.bsn,
        "voornaam": moved.first_name,
        "achternaam": moved.last_name,
        "geboortedatum": moved.date_of_birth.isoformat(),
        "gemeente": "Westervoort",
        "trede": "2a",
    }
    path = tmp_path / "import.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(row), delimiter=";")
        writer.writeheader()
        writer.writerow(row)
    job = ImportJob.objects.create(organisation=world.org, file_name=path.name, file_path=str(path))
    before = _guidance_numbers(ctx_for())
    with django_capture_on_commit_callbacks(execute=True):
        job = run_import(job, commit=True)
    moved.refresh_from_db()
    assert (moved.municipality.name, moved.ladder_step) == ("Westervoort", "2a")
    assert set(
        KpiClientMonth.objects.filter(client=moved).values_list("municipality_id", "ladder_step")
    ) == {(moved.municipality_id, "2a")}
    numbers = _guidance_numbers(ctx_for())
    assert numbers != before  # c moved from R-KPI-1 (Duiven) to R-KPI-5 (Westervoort)
    assert numbers == _guidance_numbers(replace(ctx_for(), facts=False))
    incremental = set(KpiClientMonth.objects.values_list(*SNAPSHOT))
    services.kpi_facts_rebuild(organisation_id=world.org.pk, today=TODAY)
    assert set(KpiClientMonth.objects.values_list(*SNAPSHOT)) == incremental
    with django_capture_on_commit_callbacks(execute=True):
        import_undo(actor=None, job=job)
    assert _guidance_numbers(ctx_for()) == before
    assert set(
        KpiClientMonth.objects.filter(client=moved).values_list("municipality_id", "ladder_step")
    ) == {(world.municipalities["Duiven"].pk, "3")}
