"""Outcomes of a trajectory and their durability (R-TRJ-7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from opstap.core.actor import Actor
from opstap.core.contract_rules import contract_duration_problem, contract_type_problem
from opstap.core.dutch import too_long
from opstap.trajectories import date_rules
from opstap.trajectories.models import (
    OUTCOME_FACT_FIELDS,
    Outcome,
    Trajectory,
)
from opstap.trajectories.outcomes import Durability, durability, durability_check_due
from opstap.trajectories.workflow import (
    OUTCOME_STATES,
)

from ._common import (
    TrajectoryError,
    _alert_case_manager,
    _as_date,
    _date_facts,
    _record,
    _refuse_date,
    _require_provider_or_cm,
    _today,
)

_OUTCOME_FIELDS = frozenset(OUTCOME_FACT_FIELDS)


#: The longest contract a result records: 50 years. A plausibility bound (the column holds up to
#: 32,767); more is a typing error, and the database refused it with an error page.
MAX_CONTRACT_MONTHS = 600


def _text_fields() -> list[models.CharField[Any, Any]]:
    """The result's text facts, each with its column length and its Dutch label as the model
    declares them (`verbose_name`), so the message cannot name another label than the model."""
    fields = (Outcome._meta.get_field(name) for name in OUTCOME_FACT_FIELDS)
    return [f for f in fields if isinstance(f, models.CharField) and f.max_length is not None]


def _refuse_unstorable(facts: dict[str, Any]) -> None:
    """Refuse, at its field, a text longer than its column and a contract duration that is
    not a number of months from 0 to `MAX_CONTRACT_MONTHS`. PostgreSQL refused both with an
    error (a 500 page for the provider who typed a long employer name); SQLite stored them."""
    for field in _text_fields():
        name, limit = field.name, field.max_length
        if name in facts and limit is not None and len(str(facts[name] or "").strip()) > limit:
            raise TrajectoryError(too_long(str(field.verbose_name), limit), field=name)
    months = facts.get("contract_months")
    if months in (None, ""):
        return
    try:
        number = int(str(months))
    except ValueError as exc:
        raise TrajectoryError(
            "Vul de contractduur in als een aantal maanden.", field="contract_months"
        ) from exc
    if not 0 <= number <= MAX_CONTRACT_MONTHS:
        raise TrajectoryError(
            f"Een contractduur ligt tussen 0 en {MAX_CONTRACT_MONTHS} maanden.",
            field="contract_months",
        )


@transaction.atomic
def outcome_record(*, actor: Actor, trajectory: Trajectory, **facts: Any) -> Outcome:
    """Record (or correct) the structured result (R-TRJ-7). A placement gets its
    durability check 6 months after its start (`outcomes_check_durability`)."""
    unknown = set(facts) - _OUTCOME_FIELDS
    if unknown:
        raise TrajectoryError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    _require_provider_or_cm(actor, trajectory)
    if trajectory.state not in OUTCOME_STATES:
        raise TrajectoryError("Een resultaat kan pas vastgelegd worden als het traject loopt.")
    placement_start = _as_date(
        facts.get("placement_start"), field="placement_start", label="start van de plaatsing"
    )
    if placement_start is not None and not str(facts.get("employer", "")).strip():
        raise TrajectoryError("Vul de werkgever van de plaatsing in.", field="employer")
    if placement_start is not None:
        _refuse_date(
            date_rules.placement_start_problem(placement_start, _date_facts(trajectory), _today())
        )
    last_day = _as_date(
        facts.get("last_day_of_employment"), field="last_day_of_employment", label="laatste werkdag"
    )
    if last_day is not None:
        known_start = placement_start or getattr(
            Outcome.objects.filter(trajectory=trajectory).first(), "placement_start", None
        )
        _refuse_date(date_rules.last_day_problem(last_day, known_start, _today()))
    hours = facts.get("hours_per_week")
    if hours not in (None, ""):
        try:
            hours = Decimal(str(hours))
        except InvalidOperation as exc:
            raise TrajectoryError("Vul een geldig aantal uren in.", field="hours_per_week") from exc
        if hours < 0 or hours > 60:
            raise TrajectoryError("Uren per week liggen tussen 0 en 60.", field="hours_per_week")
    else:
        hours = None
    if "contract_type" in facts:
        facts["contract_type"] = str(facts["contract_type"] or "").strip()
        problem = contract_type_problem(facts["contract_type"])
        if problem:
            raise TrajectoryError(problem, field="contract_type")
    _refuse_unstorable(facts)
    outcome, _created = Outcome.objects.select_for_update().get_or_create(
        trajectory=trajectory,
        defaults={
            "organisation_id": trajectory.organisation_id,
            "recorded_at": timezone.now(),
            "recorded_by": actor,
        },
    )
    for name in _OUTCOME_FIELDS:
        if name in facts:
            value = facts[name]
            if name == "hours_per_week":
                value = hours
            elif name in {"placement_start", "last_day_of_employment"}:
                value = _as_date(value, field=name, label="datum")
            elif name in {"lks", "garantiebaan", "beschut_werk"}:
                value = bool(value)
            elif name == "contract_months":
                value = int(value) if value not in (None, "") else None
            elif name != "werkfit":
                value = str(value or "").strip()
            setattr(outcome, name, value)
    # R-MAT/R-TRJ-7: a permanent contract has no duration, also when one of the two was
    # stored before and the other is sent now.
    problem = contract_duration_problem(outcome.contract_type, outcome.contract_months)
    if problem:
        raise TrajectoryError(problem, field="contract_months")
    outcome.durability_check_on = (
        durability_check_due(outcome.placement_start) if outcome.placement_start else None
    )
    outcome.recorded_by = actor
    outcome.recorded_at = timezone.now()
    outcome.save()
    _record(
        actor=actor,
        trajectory=trajectory,
        action="outcome",
        from_state=trajectory.state,
        reason="",
        payload={"outcome": outcome.pk, "placement": bool(outcome.placement_start)},
        summary=f"Resultaat vastgelegd ({trajectory.product.name})"
        + (f": plaatsing bij {outcome.employer}" if outcome.placement_start else ""),
    )
    return outcome


@transaction.atomic
def outcomes_check_durability(*, on: dt.date | None = None) -> int:
    """R-TRJ-7: when 6 months have passed since a placement's start, decide durability from
    the known last working day, or ask the case manager to confirm (once). Idempotent."""
    on = on or _today()
    count = 0
    due = Outcome.objects.select_related("trajectory", "trajectory__client").filter(
        durability_check_on__lte=on, durability=""
    )
    for outcome in due.select_for_update(of=("self",)):
        assert outcome.placement_start is not None
        verdict = durability(
            outcome.placement_start, last_day=outcome.last_day_of_employment, on=on
        )
        if outcome.last_day_of_employment is not None and verdict is not Durability.PENDING:
            outcome.durability = verdict.value
            outcome.save(update_fields=["durability"])
            count += 1
        elif outcome.durability_asked_on is None:
            _alert_case_manager(
                outcome.trajectory,
                title=f"Is de plaatsing van {outcome.trajectory.client.full_name} duurzaam?",
                body=(
                    f"De plaatsing bij {outcome.employer} begon op "
                    f"{outcome.placement_start:%d-%m-%Y}; 6 maanden zijn verstreken. Bevestig "
                    "of de klant nog werkt."
                ),
            )
            outcome.durability_asked_on = on
            outcome.save(update_fields=["durability_asked_on"])
            count += 1
    return count


#: Further durability checks of the daily job (R-TRJ-7), registered by a higher app at
#: start-up (matching: the placements via the WSP, which have no trajectory). Each takes
#: `on` and returns how many placements it decided or asked about.
_DURABILITY_CHECKS: dict[str, Callable[..., int]] = {}


def register_durability_check(name: str, check: Callable[..., int]) -> None:
    """Register a durability check that `durability_checks_run` runs after the outcomes'."""
    _DURABILITY_CHECKS[name] = check


def durability_checks_run(*, on: dt.date | None = None) -> int:
    """The daily durability job (R-TRJ-7, R-KPI-4): the trajectories' outcomes, then every
    registered check (placements via the WSP), on the same day and schedule."""
    on = on or _today()
    return outcomes_check_durability(on=on) + sum(
        check(on=on) for check in _DURABILITY_CHECKS.values()
    )
