"""Demo facts for the performance indicators (R-PI-1), built through the services after the
trajectories and invoices steps, so that the demo providers show visible, varied indicators:

- progress reports (R-TRJ-4) for running trajectories: each provider has its own punctuality,
  from nearly always on time to often late or missing (indicator 2);
- a few new trajectories whose plan lacks the candidate's signature or result agreements
  (indicator 1);
- VOGs for most providers' staff accounts, not for all (indicator 5);
- evaluations: one held with improvement actions, one still without a meeting (indicator 4);
- quarterly overviews for the last four quarters, with gaps (indicator 7).

Only at the `demo` scale: the bulk scales skip this step (the indicator queries are measured
on the bulk trajectories and due dates as they are).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from opstap.clients.models import Client
from opstap.providers import services as provider_services
from opstap.providers.models import Product, ProductStatus, Provider, ProviderStatus
from opstap.trajectories import services as trajectory_services
from opstap.trajectories.models import Deadline, Trajectory
from opstap.trajectories.selectors import REPORTING_STATES, IllegalTransition

from . import services
from .computation import Period, quarter_end, quarters_due

#: Chance that a provider's progress report is on time, by provider position (varied).
PUNCTUALITY = (0.95, 0.7, 0.85, 0.45, 1.0, 0.6)


def build(ctx: Any) -> None:
    _build(ctx)
    # The indicator facts per provider, product and day (issue 18): built once over what the
    # steps before generated (in bulk at the larger scales); from here on every write keeps
    # them current.
    state = services.indicator_facts_rebuild(organisation_id=ctx.organisation.pk)
    ctx.log(f"Prestatie-indicatoren: {state.rows} indicatorfeiten per dag opgebouwd.")


def _build(ctx: Any) -> None:
    if ctx.scale != "demo":
        ctx.log("Prestatie-indicatoren: overgeslagen op deze schaal.")
        return
    manager = ctx.users.get("contractmanager")
    if manager is None:
        return
    rng: random.Random = ctx.rng
    today: dt.date = ctx.today
    providers = list(
        Provider.objects.filter(organisation=ctx.organisation, status=ProviderStatus.ACTIVE)
        .prefetch_related("memberships__user")
        .order_by("id")
    )
    reports = _progress_reports(ctx, providers, rng, today)
    _vogs(providers, manager, today)
    _evaluations(providers, manager, today)
    overviews = _quarterly_overviews(providers, manager, rng, today)
    unsigned = _unsigned_plans(ctx, providers, today)
    ctx.log(
        f"Prestatie-indicatoren: {reports} voortgangsrapportages, {overviews} "
        f"kwartaaloverzichten, {unsigned} plannen zonder handtekening."
    )


def _staff_user(provider: Provider) -> Any:
    membership = next(iter(provider.memberships.all()), None)
    return membership.user if membership is not None else None


def _progress_reports(
    ctx: Any, providers: list[Provider], rng: random.Random, today: dt.date
) -> int:
    """Submit the due progress reports of running trajectories, on time or late per the
    provider's punctuality; a report that would be late beyond today stays missing."""
    punctuality = {p.pk: PUNCTUALITY[i % len(PUNCTUALITY)] for i, p in enumerate(providers)}
    staff = {p.pk: _staff_user(p) for p in providers}
    count = 0
    deadlines = (
        Deadline.objects.filter(
            organisation=ctx.organisation,
            kind="progress_report",
            met_on__isnull=True,
            cancelled_on__isnull=True,
            due_on__lte=today,
            trajectory__state__in=[s.value for s in REPORTING_STATES],
        )
        .select_related("trajectory")
        .order_by("trajectory_id", "due_on")
    )
    for deadline in list(deadlines):
        trajectory = deadline.trajectory
        actor = staff.get(trajectory.provider_id)
        if actor is None:
            continue
        if rng.random() < punctuality.get(trajectory.provider_id, 0.8):
            on = deadline.due_on - dt.timedelta(days=rng.randint(0, 5))
        else:
            on = deadline.due_on + dt.timedelta(days=rng.randint(2, 30))
            if on > today:
                continue  # not delivered yet: overdue, counts as missed
        on = max(on, trajectory.start_date or on)
        trajectory_services.trajectory_document_submit(
            actor=actor,
            trajectory=trajectory,
            kind="progress_report",
            title="Voortgangsrapportage",
            text="Deelnemer werkt aan de doelen uit het plan van aanpak.",
            on=on,
        )
        count += 1
    return count


def _vogs(providers: list[Provider], manager: Any, today: dt.date) -> None:
    """A VOG for each staff account, except at every fourth provider; at every fifth the
    VOG has expired."""
    for i, provider in enumerate(providers):
        if i % 4 == 3:
            continue
        expired = i % 5 == 4
        for membership in provider.memberships.all():
            user = membership.user
            provider_services.evidence_register(
                actor=manager,
                provider=provider,
                kind="vog",
                staff_name=f"{user.first_name} {user.last_name}",
                valid_from=today - dt.timedelta(days=800 if expired else 300),
                valid_until=today - dt.timedelta(days=20) if expired else None,
                description="VOG op naam van de medewerker",
            )


def _evaluations(providers: list[Provider], manager: Any, today: dt.date) -> None:
    """One evaluation held with an improvement plan, one still waiting for its meeting."""
    if len(providers) < 4:
        return
    held = provider_services.evaluation_open(
        actor=manager,
        provider=providers[1],
        reason="Drie signalen over te late voortgangsrapportages.",
        on=today - dt.timedelta(days=70),
    )
    provider_services.evaluation_record(
        actor=manager,
        evaluation=held,
        held_on=today - dt.timedelta(days=55),
        report="Gesprek gevoerd met de teamleider; oorzaak: personeelswisseling.",
        improvement_actions="Vaste rapportagedag per maand; tweede coach als achtervang.",
    )
    provider_services.evaluation_open(
        actor=manager,
        provider=providers[3],
        reason="Signalen over uitval na de intake.",
        on=today - dt.timedelta(days=20),
    )


def _quarterly_overviews(
    providers: list[Provider], manager: Any, rng: random.Random, today: dt.date
) -> int:
    """The last four quarters that ended, with gaps that differ per provider."""
    period = Period(today - dt.timedelta(days=400), today)
    quarters = quarters_due(period, today=today)[-4:]
    count = 0
    for i, provider in enumerate(providers):
        for j, (year, quarter) in enumerate(quarters):
            if (i + j) % 3 == 2 and i % 2 == 1:
                continue
            received = min(
                today, quarter_end(year, quarter) + dt.timedelta(days=rng.randint(5, 25))
            )
            services.quarterly_overview_record(
                actor=manager,
                provider=provider,
                year=year,
                quarter=quarter,
                received_on=received,
                note="Per e-mail ontvangen",
            )
            count += 1
    return count


def _unsigned_plans(ctx: Any, providers: list[Provider], today: dt.date) -> int:
    """New trajectories at two providers whose plan was approved without the candidate's
    signature or without result agreements (so indicator 1 is not 100% everywhere)."""
    case_manager = ctx.users.get("klantmanager")
    if case_manager is None or len(providers) < 3:
        return 0
    clients = list(
        Client.objects.filter(organisation=ctx.organisation, case_manager=case_manager).order_by(
            "-id"
        )[:6]
    )
    made = 0
    for index, client in enumerate(clients):
        provider = providers[2] if index % 2 == 0 else providers[0]
        product = (
            Product.objects.filter(
                provider=provider, status=ProductStatus.ACTIVE, product_code__code__in=[1, 3]
            )
            .order_by("id")
            .first()
        )
        staff = _staff_user(provider)
        if product is None or staff is None:
            continue
        try:
            _walk_unsigned(case_manager, staff, client, product, today, signed=index % 3 == 0)
        except (trajectory_services.TrajectoryError, IllegalTransition):
            continue
        made += 1
    return made


def _walk_unsigned(
    case_manager: Any, staff: Any, client: Client, product: Product, today: dt.date, *, signed: bool
) -> Trajectory:
    day = today - dt.timedelta(days=75)
    trajectory = trajectory_services.trajectory_order(
        actor=case_manager,
        client=client,
        product=product,
        rotonde_exit="regular",
        aim_tiles=list(product.tiles.values_list("code", flat=True)[:1]),
        aim_description="Werkritme opbouwen.",
        on=day,
    )
    for action, actor, payload, offset in (
        ("plan_intake", staff, {"intake_date": (day + dt.timedelta(days=6)).isoformat()}, 1),
        ("hold_intake", staff, {"held_on": (day + dt.timedelta(days=6)).isoformat()}, 6),
    ):
        trajectory = trajectory_services.trajectory_transition(
            actor=actor,
            trajectory=trajectory,
            action=action,
            payload=payload,
            on=day + dt.timedelta(days=offset),
        )
    trajectory_services.trajectory_document_submit(
        actor=staff,
        trajectory=trajectory,
        kind="plan",
        title="Plan van aanpak",
        goals=["Werkritme van 16 uur per week"],
        # Signed but without result agreements, or agreements without a signature.
        result_agreements=[] if signed else ["Stageplek binnen 3 maanden"],
        signed_by_candidate=signed,
        on=day + dt.timedelta(days=10),
    )
    trajectory.refresh_from_db()
    trajectory = trajectory_services.trajectory_transition(
        actor=case_manager,
        trajectory=trajectory,
        action="approve_plan",
        on=day + dt.timedelta(days=12),
    )
    return trajectory_services.trajectory_transition(
        actor=staff,
        trajectory=trajectory,
        action="start",
        payload={"start_date": (day + dt.timedelta(days=14)).isoformat()},
        on=day + dt.timedelta(days=14),
    )
