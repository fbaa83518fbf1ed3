"""State changes of clients: one function per change, validated, atomic, with an event on
the client's timeline and an audit record of the change (R-SEC-2, R-SEC-6)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import bsn as stdnum_bsn

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.actor import Actor, organisation_id_of
from opstap.core.errors import InvalidInputError
from opstap.core.money import parse_amount
from opstap.core.roles import Perm, RoleCode
from opstap.organisations.models import Municipality, Organisation

from . import assignments, ladder
from .budget import needs_second_approval, second_approver_refusal, to_cents
from .models import (
    SITUATION_FIELDS,
    BenefitType,
    BudgetSpending,
    CaseManagerProfile,
    Client,
    ClientEvent,
    ClientEventKind,
    ImportJob,
    IncomeCoachAssignment,
    LadderStepChange,
    LksStatus,
    MappingKind,
    Obstacle,
    SpendingStatus,
)
from .selectors import budget_summary, mapping_rows, position_of


class ClientError(InvalidInputError):
    """A change that cannot be made; the message is Dutch and meant for the user. `field`
    names the input it concerns (for forms and problem+json)."""


# --- Validation helpers (also used by the import) -------------------------------------------


def bsn_clean(value: str) -> str:
    """R-CLI-1: a BSN of 9 digits passing the 11-check; returns the compact form."""
    raw = (value or "").strip()
    if not raw:
        raise ClientError("Vul het BSN in.", field="bsn")
    try:
        return str(stdnum_bsn.validate(raw))
    except StdnumValidationError as exc:
        raise ClientError(
            "Het BSN is ongeldig: het moet uit 9 cijfers bestaan en aan de elfproef voldoen.",
            field="bsn",
        ) from exc


def obstacles_clean(values: list[str] | tuple[str, ...] | None) -> list[str]:
    """Obstacles are codes from a fixed list, never free text."""
    valid = set(Obstacle.values)
    result: list[str] = []
    for value in values or []:
        if value not in valid:
            raise ClientError(f"Onbekende belemmering '{value}'.", field="obstacles")
        if value not in result:
            result.append(value)
    return result


_OPTIONAL_FIELDS = {
    "last_name_prefix",
    "street_address",
    "postcode",
    "city",
    *SITUATION_FIELDS,
}
_UPDATABLE = _OPTIONAL_FIELDS | {"first_name", "last_name", "date_of_birth", "municipality"}


#: A client's plausible age (R-SEC-6): the Participatiewet serves people from 15 (school
#: leavers, Praktijkroute) and nobody is older than 120; year 1 or today is a typing error.
MIN_AGE, MAX_AGE = 15, 120


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def has_visible_letter(text: str) -> bool:
    """At least one letter once zero-width, format and white-space characters are ignored
    (an 'invisible name' of only U+200B or spaces is refused)."""
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def client_field_errors(fields: dict[str, Any], *, today: dt.date) -> list[ClientError]:
    """Every rule that the given client fields break, in a fixed order (R-CLI-1, R-SEC-6).

    The one home of these checks: the services raise the first error, the import of the
    benefit administration reports all of them per row. Only the fields present are checked;
    `obstacles` is normalised in place (codes, no duplicates)."""
    errors: list[ClientError] = []
    if "benefit_type" in fields and fields["benefit_type"] not in BenefitType.values:
        errors.append(ClientError("Onbekende soort uitkering.", field="benefit_type"))
    if "lks_status" in fields and fields["lks_status"] not in LksStatus.values:
        errors.append(ClientError("Onbekende status loonkostensubsidie.", field="lks_status"))
    if "obstacles" in fields:
        try:
            fields["obstacles"] = obstacles_clean(fields["obstacles"])
        except ClientError as exc:
            errors.append(exc)
    hours = fields.get("hour_restriction")
    if hours is not None and not 0 <= int(hours) <= 40:
        errors.append(
            ClientError(
                "De urenbeperking ligt tussen 0 en 40 uur per week.", field="hour_restriction"
            )
        )
    errors.extend(
        ClientError(
            "Vul een naam in met zichtbare letters (geen spaties of onzichtbare tekens).",
            field=name,
        )
        for name in ("first_name", "last_name")
        if name in fields and not has_visible_letter(str(fields[name] or ""))
    )
    prefix = fields.get("last_name_prefix")
    if prefix and not has_visible_letter(str(prefix)):
        errors.append(
            ClientError("Het tussenvoegsel bevat geen zichtbare letters.", field="last_name_prefix")
        )
    dob = fields.get("date_of_birth")
    if dob is not None and dob > today:
        errors.append(ClientError("De geboortedatum ligt in de toekomst.", field="date_of_birth"))
    elif dob is not None and not _years_before(today, MAX_AGE) <= dob <= _years_before(
        today, MIN_AGE
    ):
        errors.append(
            ClientError(
                f"De geboortedatum is niet aannemelijk: een klant is {MIN_AGE} tot {MAX_AGE} "
                "jaar oud.",
                field="date_of_birth",
            )
        )
    start, end = fields.get("benefit_start_date"), fields.get("benefit_end_date")
    if start and end and end < start:
        errors.append(
            ClientError(
                "De einddatum van de uitkering ligt vóór de begindatum.", field="benefit_end_date"
            )
        )
    return errors


def _check_client_fields(organisation_id: int, fields: dict[str, Any]) -> None:
    municipality = fields.get("municipality")
    if municipality is not None and municipality.organisation_id != organisation_id:
        raise ClientError("De gemeente hoort niet bij deze organisatie.", field="municipality")
    errors = client_field_errors(fields, today=timezone.localdate())
    if errors:
        raise errors[0]


def _check_case_manager(organisation_id: int, user: Actor) -> None:
    if user is None:
        return
    if user.organisation_id != organisation_id or not user.has_role(RoleCode.CASE_MANAGER):
        raise ClientError("Kies een klantmanager van deze organisatie.", field="case_manager")


@transaction.atomic
def client_create(
    *,
    actor: Actor,
    organisation: Organisation,
    bsn: str,
    client_number: str,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    municipality: Municipality,
    ladder_step: str,
    ladder_sub_status: str = "",
    case_manager: Any = None,
    reason: str = "Startpositie bij inschrijving",
    **optional: Any,
) -> Client:
    """Register a client (R-CLI-1): BSN 11-check, BSN and client number unique per
    organisation; the starting ladder step is the first row of its history (R-LAD-1)."""
    unknown = set(optional) - _OPTIONAL_FIELDS
    if unknown:
        raise ClientError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    bsn = bsn_clean(bsn)
    client_number = (client_number or "").strip()
    if not client_number:
        raise ClientError("Vul het klantnummer in.", field="client_number")
    if not first_name.strip() or not last_name.strip():
        raise ClientError("Vul voornaam en achternaam in.", field="last_name")
    names = client_field_errors(
        {"first_name": first_name, "last_name": last_name}, today=timezone.localdate()
    )
    if names:
        raise names[0]
    fields = {"municipality": municipality, "date_of_birth": date_of_birth, **optional}
    _check_client_fields(organisation.pk, fields)
    _check_case_manager(organisation.pk, case_manager)
    try:
        position = ladder.validate_position(ladder_step, ladder_sub_status or None)
    except ladder.LadderRuleError as exc:
        raise ClientError(str(exc), field="ladder_step") from exc
    if Client.objects.filter(organisation=organisation, bsn=bsn).exists():
        raise ClientError("Er is al een klant met dit BSN.", field="bsn")
    if Client.objects.filter(organisation=organisation, client_number=client_number).exists():
        raise ClientError("Er is al een klant met dit klantnummer.", field="client_number")
    today = timezone.localdate()
    client = Client.objects.create(
        organisation=organisation,
        bsn=bsn,
        client_number=client_number,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        case_manager=case_manager,
        ladder_step=position.step.value,
        ladder_sub_status=position.sub_status.value if position.sub_status else "",
        ladder_step_since=today,
        **fields,
    )
    now = timezone.now()
    LadderStepChange.objects.create(
        organisation=organisation,
        client=client,
        step=client.ladder_step,
        sub_status=client.ladder_sub_status,
        effective_date=today,
        changed_at=now,
        changed_by=actor,
        reason=reason,
    )
    client_event_record(
        client=client,
        kind=ClientEventKind.CREATED,
        summary=f"Klant ingeschreven op trede {client.ladder_step}",
        actor=actor,
        occurred_at=now,
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="client",
        object_id=client.pk,
        client_id=client.pk,
        organisation_id=organisation.pk,
        purpose="Klant inschrijven",
    )
    return client


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Municipality):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def client_update(*, actor: Actor, client: Client, **changes: Any) -> Client:
    """Change personal data (not the ladder step, case manager or BSN: those have their own
    services); records old and new values."""
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise ClientError(
            f"Deze velden kunnen hier niet gewijzigd worden: {', '.join(sorted(unknown))}."
        )
    client = Client.objects.select_for_update().get(pk=client.pk)
    _check_client_fields(client.organisation_id, changes)
    diff: dict[str, Any] = {}
    for name, value in changes.items():
        old = getattr(client, name)
        if old != value:
            diff[name] = {"old": _jsonable(old), "new": _jsonable(value)}
            setattr(client, name, value)
    if not diff:
        return client
    client.save()
    client_event_record(
        client=client,
        kind=ClientEventKind.UPDATED,
        summary="Gegevens gewijzigd: " + ", ".join(sorted(diff)),
        actor=actor,
        # The hour restriction is kept dated: the placement fee reads the value valid on
        # the placement date (R-BILL-6, `selectors.hour_restrictions_on`).
        data={"fields": sorted(diff)}
        | ({"hour_restriction": diff["hour_restriction"]} if "hour_restriction" in diff else {}),
    )
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="client",
        object_id=client.pk,
        client_id=client.pk,
        organisation_id=client.organisation_id,
        purpose="Klantgegevens wijzigen",
        changes=diff,
    )
    return client


def client_event_record(
    *,
    client: Client,
    kind: str,
    summary: str,
    actor: Actor | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    source: str = "clients",
    is_open: bool = False,
    occurred_at: dt.datetime | None = None,
) -> ClientEvent:
    """Append one event to the client's timeline. Other apps call this (e.g. trajectories:
    'traject besteld'); `is_open=True` marks an open agreement the case manager must see."""
    if not summary.strip():
        raise ClientError("Een gebeurtenis heeft een samenvatting nodig.", field="summary")
    return ClientEvent.objects.create(
        organisation_id=client.organisation_id,
        client=client,
        kind=kind,
        occurred_at=occurred_at or timezone.now(),
        actor=actor,
        summary=summary[:300],
        note=note,
        data=data or {},
        source=source,
        is_open=is_open,
    )


@transaction.atomic
def client_event_close(*, actor: Actor, event: ClientEvent) -> ClientEvent:
    """Mark an open agreement as done."""
    event = ClientEvent.objects.select_for_update().get(pk=event.pk)
    if event.is_open:
        event.is_open = False
        event.data = {**event.data, "closed_by": getattr(actor, "pk", None)}
        event.save(update_fields=["is_open", "data"])
    return event


@transaction.atomic
def client_change_ladder_step(
    *,
    actor: Actor,
    client: Client,
    step: str,
    sub_status: str = "",
    reason: str,
    effective_date: dt.date | None = None,
) -> LadderStepChange:
    """R-LAD-1: a new current step with a dated history row (who, when, why). The event
    records what the change implies for unit, track, growth potential and target groups."""
    reason = (reason or "").strip()
    if not reason:
        raise ClientError("Geef een reden voor de wijziging van de trede.", field="reason")
    try:
        new = ladder.validate_position(step, sub_status or None)
    except ladder.LadderRuleError as exc:
        raise ClientError(str(exc), field="step") from exc
    today = timezone.localdate()
    effective = effective_date or today
    if effective > today:
        raise ClientError("De ingangsdatum mag niet in de toekomst liggen.", field="effective_date")
    client = Client.objects.select_for_update().get(pk=client.pk)
    old = position_of(client)
    if old == new:
        raise ClientError("De klant staat al op deze trede.", field="step")
    if client.ladder_step_since and effective < client.ladder_step_since:
        raise ClientError(
            "De ingangsdatum ligt vóór de ingangsdatum van de huidige trede "
            f"({client.ladder_step_since:%d-%m-%Y}).",
            field="effective_date",
        )
    implications = ladder.implications_of_change(
        old,
        new,
        unit_rows=mapping_rows(
            organisation_id=client.organisation_id, kind=MappingKind.UNIT, on=effective
        ),
        track_rows=mapping_rows(
            organisation_id=client.organisation_id, kind=MappingKind.TRACK, on=effective
        ),
    )
    now = timezone.now()
    change = LadderStepChange.objects.create(
        organisation_id=client.organisation_id,
        client=client,
        step=new.step.value,
        sub_status=new.sub_status.value if new.sub_status else "",
        previous_step=client.ladder_step,
        previous_sub_status=client.ladder_sub_status,
        effective_date=effective,
        changed_at=now,
        changed_by=actor,
        reason=reason,
    )
    old_values = {"ladder_step": client.ladder_step, "ladder_sub_status": client.ladder_sub_status}
    client.ladder_step = change.step
    client.ladder_sub_status = change.sub_status
    client.ladder_step_since = effective
    client.save(
        update_fields=["ladder_step", "ladder_sub_status", "ladder_step_since", "updated_at"]
    )
    label_new = change.step + (
        f" ({ladder.SUB_STATUS_LABELS_NL[new.sub_status]})" if new.sub_status else ""
    )
    client_event_record(
        client=client,
        kind=ClientEventKind.LADDER,
        summary=(
            f"Trede {old_values['ladder_step'] or '-'} → {label_new}: {implications.summary_nl()}"
        ),
        actor=actor,
        note=reason,
        occurred_at=now,
        data={
            "from": old_values,
            "to": {"ladder_step": change.step, "ladder_sub_status": change.sub_status},
            "effective_date": effective.isoformat(),
            "unit_before": implications.unit_before,
            "unit_after": implications.unit_after,
            "track_before": implications.track_before,
            "track_after": implications.track_after,
            "growth_after": implications.growth_after,
        },
    )
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="client",
        object_id=client.pk,
        client_id=client.pk,
        organisation_id=client.organisation_id,
        purpose="Trede wijzigen",
        changes={
            "ladder_step": {"old": old_values["ladder_step"], "new": change.step},
            "ladder_sub_status": {"old": old_values["ladder_sub_status"], "new": change.sub_status},
        },
    )
    return change


@transaction.atomic
def client_handover(
    *, actor: Actor, client: Client, new_case_manager: Any, note: str
) -> ClientEvent:
    """R-CLI-3: exactly one current case manager; a change is a handover event with a note.
    The new case manager's dossier view shows the open agreements and recent events."""
    note = (note or "").strip()
    if not note:
        raise ClientError(
            "Schrijf een overdrachtsnotitie: wat moet de nieuwe klantmanager weten?", field="note"
        )
    if new_case_manager is None:
        raise ClientError("Kies de nieuwe klantmanager.", field="new_case_manager")
    _check_case_manager(client.organisation_id, new_case_manager)
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.case_manager_id == new_case_manager.pk:
        raise ClientError(
            "Deze klantmanager heeft de klant al in de caseload.", field="new_case_manager"
        )
    old_id = client.case_manager_id
    client.case_manager = new_case_manager
    client.save(update_fields=["case_manager", "updated_at"])
    event = client_event_record(
        client=client,
        kind=ClientEventKind.HANDOVER,
        summary=f"Overgedragen aan {new_case_manager.display_name}",
        actor=actor,
        note=note,
        data={"from_case_manager": old_id, "to_case_manager": new_case_manager.pk},
    )
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="client",
        object_id=client.pk,
        client_id=client.pk,
        organisation_id=client.organisation_id,
        purpose="Overdracht klantmanager",
        changes={"case_manager": {"old": old_id, "new": new_case_manager.pk}},
    )
    return event


@transaction.atomic
def client_link_user(*, client: Client, user: Actor) -> Client:
    """Link the resident's portal account to their client record."""
    if user.organisation_id != client.organisation_id:
        raise ClientError("Het account hoort niet bij deze organisatie.", field="user")
    if Client.objects.filter(user=user).exclude(pk=client.pk).exists():
        raise ClientError("Dit account is al aan een andere klant gekoppeld.", field="user")
    client.user = user
    client.save(update_fields=["user", "updated_at"])
    return client


@transaction.atomic
def client_import_start(
    *, actor: Actor, file_name: str, file_path: str, only_valid_rows: bool
) -> ImportJob:
    """Register an uploaded client file for import (R-SEC-6); the import itself runs in the
    background (`importer.run_import`) once this transaction has committed."""
    return ImportJob.objects.create(
        organisation_id=organisation_id_of(actor),
        created_by=actor,
        file_name=file_name[:255],
        file_path=file_path,
        only_valid_rows=only_valid_rows,
    )


def case_manager_set_unit(*, user: Actor, unit: str) -> CaseManagerProfile:
    """Put a case manager in a unit (their scope: own unit plus own caseload, R-SEC-1)."""
    if unit not in ladder.UnitCode.__members__.values() and unit not in {
        u.value for u in ladder.UnitCode
    }:
        raise ClientError("Onbekende unit.", field="unit")
    profile, _created = CaseManagerProfile.objects.update_or_create(
        user=user, defaults={"unit": unit}
    )
    return profile


# --- Custom budget (R-CLI-4) ---------------------------------------------------------------


def _parse_amount(amount: Decimal | str | int) -> Decimal:
    try:
        value = to_cents(parse_amount(amount) if isinstance(amount, str) else amount)
    except (InvalidOperation, ValueError) as exc:
        raise ClientError("Vul een geldig bedrag in, bijv. 125,50.", field="amount") from exc
    if value <= 0:
        raise ClientError("Het bedrag moet groter zijn dan nul.", field="amount")
    return value


@transaction.atomic
def budget_spending_record(
    *,
    actor: Actor,
    client: Client,
    amount: Decimal | str | int,
    purpose: str,
    spent_on: dt.date | None = None,
) -> BudgetSpending:
    """Record a spending line. Within the remaining budget it is approved at once; beyond it
    it waits for a second approver (R-CLI-4)."""
    value = _parse_amount(amount)
    purpose = (purpose or "").strip()
    if not purpose:
        raise ClientError("Vul het doel van de uitgave in.", field="purpose")
    spent_on = spent_on or timezone.localdate()
    # Lock the client row so two case managers cannot both spend the last euro.
    Client.objects.select_for_update().filter(pk=client.pk).first()
    summary = budget_summary(client, year=spent_on.year)
    over = needs_second_approval(summary.yearly_amount, [summary.spent, summary.pending], value)
    spending = BudgetSpending.objects.create(
        organisation_id=client.organisation_id,
        client=client,
        spent_on=spent_on,
        amount=value,
        purpose=purpose,
        status=SpendingStatus.PENDING if over else SpendingStatus.APPROVED,
        created_by=actor,
    )
    text = f"Maatwerkbudget: € {value} voor {purpose}"
    if over:
        text += " (boven budget, wacht op tweede goedkeuring)"
    client_event_record(
        client=client,
        kind=ClientEventKind.BUDGET,
        summary=text,
        actor=actor,
        data={"spending_id": spending.pk, "amount": str(value), "status": spending.status},
    )
    return spending


@transaction.atomic
def budget_spending_decide(
    *, actor: Actor, spending: BudgetSpending, approve: bool
) -> BudgetSpending:
    """The second approver decides on a spending beyond the budget: a different user who
    holds CLIENT_CHANGE."""
    spending = BudgetSpending.objects.select_for_update().get(pk=spending.pk)
    refusal = second_approver_refusal(
        pending=spending.status == SpendingStatus.PENDING,
        created_by_id=spending.created_by_id,
        approver_id=actor.pk,
        approver_may_change=actor.has_opstap_perm(Perm.CLIENT_CHANGE),
        same_organisation=actor.organisation_id == spending.organisation_id,
    )
    if refusal is not None:
        raise ClientError(refusal)
    spending.status = SpendingStatus.APPROVED if approve else SpendingStatus.REJECTED
    spending.decided_by = actor
    spending.decided_at = timezone.now()
    spending.save(update_fields=["status", "decided_by", "decided_at"])
    client_event_record(
        client=spending.client,
        kind=ClientEventKind.BUDGET,
        summary=(
            f"Uitgave € {spending.amount} ({spending.purpose}) "
            + ("goedgekeurd door tweede beoordelaar" if approve else "afgewezen")
        ),
        actor=actor,
        data={"spending_id": spending.pk, "status": spending.status},
    )
    return spending


# --- Income-coach assignment (R-SEC-1) --------------------------------------------------------


def may_assign_income_coach(actor: Any, client: Client) -> bool:
    """The client's own case manager, or a team lead (a case manager who also holds the
    management role) with the client in their scope, may assign an income coach."""
    from opstap.core.access import can_see

    from .access import is_team_lead

    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.organisation_id != client.organisation_id:
        return False
    if not actor.has_opstap_perm(Perm.CLIENT_CHANGE) or not actor.has_role(RoleCode.CASE_MANAGER):
        return False
    if client.case_manager_id == actor.pk:
        return True
    return is_team_lead(actor) and can_see(actor, client)


def _check_coach(organisation_id: int, coach: Any) -> None:
    if (
        coach is None
        or coach.organisation_id != organisation_id
        or not coach.is_active
        or not coach.has_role(RoleCode.INCOME_COACH)
    ):
        raise ClientError("Kies een inkomenscoach van deze organisatie.", field="coach")


@transaction.atomic
def income_coach_assign(
    *,
    actor: Any,
    client: Client,
    coach: Any,
    valid_from: dt.date,
    reason: str,
    valid_until: dt.date | None = None,
    today: dt.date | None = None,
) -> IncomeCoachAssignment:
    """Assign `coach` to `client` from `valid_from` (until `valid_until`, inclusive; None =
    open). Only the client's case manager or a team lead; dates per `assignments`; never
    two overlapping assignments of one coach to one client. An event on the client's
    timeline and an audit record."""
    if not may_assign_income_coach(actor, client):
        raise ClientError(
            "Alleen de klantmanager van de klant of een teamleider kan een inkomenscoach toewijzen."
        )
    _check_coach(client.organisation_id, coach)
    reason = (reason or "").strip()
    if not reason:
        raise ClientError("Geef de reden van de toewijzing.", field="reason")
    if len(reason) > 300:
        raise ClientError("De reden is langer dan 300 tekens.", field="reason")
    today = today or timezone.localdate()
    problem = assignments.assignment_dates_problem(
        valid_from=valid_from, valid_until=valid_until, today=today
    )
    if problem is not None:
        raise ClientError(problem.message, field=problem.field)
    # Lock the client so that two simultaneous assignments cannot both pass the check.
    Client.objects.select_for_update().filter(pk=client.pk).first()
    existing = IncomeCoachAssignment.objects.filter(
        client=client, coach=coach, ended_at__isnull=True
    ).values_list("valid_from", "valid_until")
    if any(assignments.overlaps(f, u, valid_from, valid_until) for f, u in existing):
        raise ClientError(
            "Deze inkomenscoach is in die periode al aan de klant toegewezen.", field="coach"
        )
    assignment = IncomeCoachAssignment.objects.create(
        organisation_id=client.organisation_id,
        client=client,
        coach=coach,
        valid_from=valid_from,
        valid_until=valid_until,
        reason=reason,
        assigned_by=actor,
        assigned_at=timezone.now(),
    )
    until = f" tot en met {valid_until:%d-%m-%Y}" if valid_until else ""
    client_event_record(
        client=client,
        kind=ClientEventKind.OTHER,
        summary=f"Inkomenscoach {coach.display_name} toegewezen vanaf {valid_from:%d-%m-%Y}{until}",
        actor=actor,
        note=reason,
        data={"income_coach_assignment": assignment.pk, "coach": coach.pk},
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="income_coach_assignment",
        object_id=assignment.pk,
        client_id=client.pk,
        organisation_id=client.organisation_id,
        purpose="Inkomenscoach toewijzen",
        changes={
            "coach": {"old": None, "new": coach.pk},
            "valid_from": {"old": None, "new": valid_from.isoformat()},
            "valid_until": {"old": None, "new": valid_until.isoformat() if valid_until else None},
        },
    )
    return assignment


@transaction.atomic
def income_coach_assignment_end(
    *,
    actor: Any,
    assignment: IncomeCoachAssignment,
    end_on: dt.date | None = None,
    today: dt.date | None = None,
) -> IncomeCoachAssignment:
    """End an assignment on `end_on` (default today; inclusive), never retroactively and
    never later than planned. Ending one that has not started withdraws it."""
    today = today or timezone.localdate()
    end_on = end_on or today
    assignment = (
        IncomeCoachAssignment.objects.select_for_update()
        .select_related("client", "coach")
        .get(pk=assignment.pk)
    )
    if not may_assign_income_coach(actor, assignment.client):
        raise ClientError(
            "Alleen de klantmanager van de klant of een teamleider kan een toewijzing beëindigen."
        )
    if assignment.ended_at is not None:
        raise ClientError("Deze toewijzing is al beëindigd.")
    problem = assignments.end_date_problem(
        valid_from=assignment.valid_from,
        valid_until=assignment.valid_until,
        end_on=end_on,
        today=today,
    )
    if problem is not None:
        raise ClientError(problem.message, field=problem.field)
    old_until = assignment.valid_until
    withdrawn = end_on < assignment.valid_from
    assignment.valid_until = today if withdrawn else end_on
    assignment.ended_by = actor
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["valid_until", "ended_by", "ended_at"])
    summary = (
        f"Toewijzing inkomenscoach {assignment.coach.display_name} ingetrokken"
        if withdrawn
        else f"Toewijzing inkomenscoach {assignment.coach.display_name} beëindigd per "
        f"{end_on:%d-%m-%Y}"
    )
    client_event_record(
        client=assignment.client,
        kind=ClientEventKind.OTHER,
        summary=summary,
        actor=actor,
        data={"income_coach_assignment": assignment.pk, "coach": assignment.coach_id},
    )
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="income_coach_assignment",
        object_id=assignment.pk,
        client_id=assignment.client_id,
        organisation_id=assignment.organisation_id,
        purpose="Toewijzing inkomenscoach beëindigen",
        changes={
            "valid_until": {
                "old": old_until.isoformat() if old_until else None,
                "new": assignment.valid_until.isoformat(),
            }
        },
    )
    return assignment
