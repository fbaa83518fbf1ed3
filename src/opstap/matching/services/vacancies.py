"""Vacancies: create, update, state transitions and the file import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.actor import Actor, organisation_id_of
from opstap.core.contract_rules import contract_duration_problem
from opstap.core.errors import ConflictError, DomainError
from opstap.core.roles import Perm
from opstap.matching.geo import normalise_postcode, pc4_of
from opstap.matching.importer import row_to_fields
from opstap.matching.kvk import KvkError, normalise_kvk
from opstap.matching.models import ContractType, Employer, Occupation, Vacancy, VacancyEvent
from opstap.matching.scoring import EDUCATION_NAMES_NL, Education, VacancyExit, WorkDemand
from opstap.matching.workflow import VacancyAction, VacancyState, vacancy_guard

from ._common import (
    MAX_DAYS_AHEAD,
    MatchingError,
    _choice,
    _date,
    _int,
    _require,
    _same_org,
    _skill_list,
    _text,
    _today,
)

VACANCY_FIELDS = (
    "title",
    "occupation",
    "description",
    "required_skills",
    "desired_skills",
    "education",
    "hours_min",
    "hours_max",
    "postcode",
    "location",
    "contract_type",
    "contract_months",
    "start_date",
    "exit",
    "offers_lks",
    "requires_driving_licence",
    "demands",
)


def _occupation(value: Any) -> Occupation:
    if isinstance(value, Occupation):
        return value
    code = str(value or "").strip()
    occupation = Occupation.objects.filter(code=code).first()
    if occupation is None:
        raise MatchingError(
            f"Onbekend beroep '{code}': kies een ISCO-08-code uit de lijst.", field="occupation"
        )
    return occupation


def _vacancy_values(
    employer: Employer, data: Mapping[str, Any], current: Vacancy | None
) -> dict[str, Any]:
    """Validated values for the fields given in `data` (a partial update validates the result
    with the current values for the rest)."""
    out: dict[str, Any] = {}
    if "title" in data:
        out["title"] = _text(data["title"], field="title", label="de functietitel", max_length=200)
    if "occupation" in data:
        out["occupation"] = _occupation(data["occupation"])
    if "description" in data:
        out["description"] = _text(
            data["description"],
            field="description",
            label="de omschrijving",
            max_length=5000,
            required=False,
        )
    for name in ("required_skills", "desired_skills"):
        if name in data:
            out[name] = _skill_list(data[name], name)
    if "education" in data:
        out["education"] = _choice(
            data["education"] or Education.NONE.value,
            [e.value for e in Education],
            field="education",
            label="opleidingsniveau",
        )
    for name, label in (
        ("hours_min", "minimaal aantal uren"),
        ("hours_max", "maximaal aantal uren"),
    ):
        if name in data:
            out[name] = _int(data[name], field=name, label=label, low=1, high=60)
    if "location" in data:
        location = data["location"]
        if location is not None and location.employer_id != employer.pk:
            raise MatchingError("Deze vestiging hoort niet bij de werkgever.", field="location")
        out["location"] = location
    if "postcode" in data and str(data["postcode"] or "").strip():
        try:
            out["postcode"] = normalise_postcode(str(data["postcode"]))
        except ValueError as exc:
            raise MatchingError(str(exc), field="postcode") from exc
    elif out.get("location") is not None:
        out["postcode"] = out["location"].postcode
    if "contract_type" in data:
        out["contract_type"] = _choice(
            data["contract_type"],
            ContractType.values,
            field="contract_type",
            label="soort contract",
        )
    if "contract_months" in data:
        cm = data["contract_months"]
        out["contract_months"] = (
            None
            if cm in (None, "")
            else _int(cm, field="contract_months", label="contractduur", low=1, high=120)
        )
    if "start_date" in data:
        start = _date(data["start_date"], field="start_date", label="startdatum")
        if start is not None and start > _today() + dt.timedelta(days=MAX_DAYS_AHEAD):
            raise MatchingError("De startdatum ligt meer dan een jaar vooruit.", field="start_date")
        # "Per direct" may be written as a recent date; a year back is a typo (01-01-1900).
        # A vacancy saved again with the start date it already has is not refused for it.
        unchanged = current is not None and start == current.start_date
        if (
            start is not None
            and not unchanged
            and start < _today() - dt.timedelta(days=MAX_DAYS_AHEAD)
        ):
            raise MatchingError("De startdatum ligt meer dan een jaar terug.", field="start_date")
        out["start_date"] = start
    if "exit" in data:
        out["exit"] = _choice(
            data["exit"] or VacancyExit.REGULAR.value,
            [e.value for e in VacancyExit],
            field="exit",
            label="soort plek",
        )
    for name in ("offers_lks", "requires_driving_licence"):
        if name in data:
            out[name] = bool(data[name])
    if "demands" in data:
        demands = data["demands"] or []
        if isinstance(demands, str):
            demands = [d.strip() for d in demands.replace(";", ",").split(",") if d.strip()]
        for d in demands:
            if d not in {w.value for w in WorkDemand}:
                raise MatchingError(f"Onbekende werkbelasting '{d}'.", field="demands")
        out["demands"] = sorted(set(demands))
    merged = {name: getattr(current, name) for name in VACANCY_FIELDS if current is not None}
    merged.update(out)
    if (
        merged.get("hours_min") is not None
        and merged.get("hours_max") is not None
        and merged["hours_max"] < merged["hours_min"]
    ):
        raise MatchingError(
            "Het maximaal aantal uren is lager dan het minimaal aantal.", field="hours_max"
        )
    # R-MAT: a permanent contract has no duration (also when an update changes only one).
    duration_problem = contract_duration_problem(
        merged.get("contract_type", ContractType.FIXED.value), merged.get("contract_months")
    )
    if duration_problem is not None:
        raise MatchingError(duration_problem, field="contract_months")
    if current is None:
        for name, label in (
            ("title", "de functietitel"),
            ("occupation", "het beroep"),
            ("hours_min", "het minimaal aantal uren"),
            ("hours_max", "het maximaal aantal uren"),
            ("postcode", "de postcode of vestiging"),
        ):
            if merged.get(name) in (None, ""):
                raise MatchingError(f"Vul {label} in.", field=name)
    if "postcode" in out:
        out["pc4"] = pc4_of(out["postcode"])
    return out


def _record(
    *,
    actor: Actor,
    vacancy: Vacancy,
    action: str,
    audit_action: AuditAction,
    purpose: str,
    from_state: str = "",
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> None:
    """The vacancy's event (to its present state) and the audit line of a change."""
    VacancyEvent.objects.create(
        organisation_id=vacancy.organisation_id,
        vacancy=vacancy,
        action=action,
        from_state=from_state,
        to_state=vacancy.state,
        reason=reason,
        actor=actor,
        occurred_at=timezone.now(),
    )
    audit_log(
        action=audit_action,
        actor=actor,
        object_type="vacancy",
        object_id=vacancy.pk,
        purpose=purpose,
        changes=changes,
    )


@transaction.atomic
def vacancy_create(
    *, actor: Actor, employer: Employer, source: str = "page", **data: Any
) -> Vacancy:
    """A new open vacancy (R-MAT) from the page, the API or an import line."""
    _require(actor, Perm.VACANCY_MANAGE)
    _same_org(actor, employer)
    unknown = set(data) - set(VACANCY_FIELDS)
    if unknown:
        raise MatchingError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    values = _vacancy_values(employer, data, None)
    vacancy = Vacancy.objects.create(
        organisation_id=employer.organisation_id,
        employer=employer,
        created_by=actor,
        created_at=timezone.now(),
        source=source if source in ("page", "api", "import") else "page",
        **values,
    )
    _record(
        actor=actor,
        vacancy=vacancy,
        action="create",
        audit_action=AuditAction.CREATE,
        purpose="Vacature vastleggen",
    )
    return vacancy


@transaction.atomic
def vacancy_update(*, actor: Actor, vacancy: Vacancy, **data: Any) -> Vacancy:
    """Change only the fields given (partial update); only an open vacancy changes."""
    _require(actor, Perm.VACANCY_MANAGE)
    _same_org(actor, vacancy)
    unknown = set(data) - set(VACANCY_FIELDS)
    if unknown:
        raise MatchingError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.state != VacancyState.OPEN.value:
        raise ConflictError("Alleen een open vacature kan worden gewijzigd.")
    values = _vacancy_values(vacancy.employer, data, vacancy)
    changes = {
        k: [str(getattr(vacancy, k)), str(v)] for k, v in values.items() if getattr(vacancy, k) != v
    }
    for name, value in values.items():
        setattr(vacancy, name, value)
    vacancy.save()
    _record(
        actor=actor,
        vacancy=vacancy,
        action="update",
        from_state=vacancy.state,
        audit_action=AuditAction.UPDATE,
        purpose="Vacature wijzigen",
        changes=changes,
    )
    return vacancy


@transaction.atomic
def vacancy_transition(*, actor: Actor, vacancy: Vacancy, action: str, reason: str = "") -> Vacancy:
    """open → filled / withdrawn (and back to open from withdrawn), via the workflow table."""
    _require(actor, Perm.VACANCY_MANAGE)
    _same_org(actor, vacancy)
    return _vacancy_step(actor=actor, vacancy=vacancy, action=action, reason=reason)


def _vacancy_step(*, actor: Actor, vacancy: Vacancy, action: str, reason: str = "") -> Vacancy:
    if action not in {a.value for a in VacancyAction}:
        raise MatchingError("Onbekende handeling.", field="action")
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    row = vacancy_guard(vacancy.state, action)
    before = vacancy.state
    vacancy.state = row.to_state.value
    vacancy.save(update_fields=["state", "updated_at"])
    _record(
        actor=actor,
        vacancy=vacancy,
        action=action,
        from_state=before,
        reason=reason[:300],
        audit_action=AuditAction.UPDATE,
        purpose="Status vacature",
        changes={"state": [before, vacancy.state]},
    )
    return vacancy


EDUCATION_LABELS = EDUCATION_NAMES_NL


# --- Import ----------------------------------------------------------------------------------

#: Dutch column names of the import, per service field (for per-line errors).
IMPORT_COLUMN_OF = {
    "kvk_number": "kvk",
    "title": "functie",
    "occupation": "isco",
    "hours_min": "uren_min",
    "hours_max": "uren_max",
    "postcode": "postcode",
    "education": "opleiding",
    "contract_type": "contract",
    "contract_months": "contractduur",
    "start_date": "startdatum",
    "exit": "soort",
    "demands": "werkbelasting",
    "required_skills": "vereist",
    "desired_skills": "gewenst",
    "description": "omschrijving",
}


def vacancy_import(
    *, actor: Actor, rows: list[dict[str, str]]
) -> tuple[int, list[tuple[int, str, str]]]:
    """Import vacancies: (number created, [(line, column, Dutch message)]). Every line is
    validated by `vacancy_create`; when any line is wrong nothing is stored (one
    transaction), so a corrected file can simply be imported again."""
    _require(actor, Perm.VACANCY_MANAGE)
    errors: list[tuple[int, str, str]] = []
    employers = {
        e.kvk_number: e for e in Employer.objects.filter(organisation_id=organisation_id_of(actor))
    }
    created = 0
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            try:
                kvk = normalise_kvk(row.get("kvk", ""))
            except KvkError as exc:
                errors.append((line, "kvk", str(exc)))
                continue
            employer = employers.get(kvk)
            if employer is None:
                errors.append((line, "kvk", f"Geen werkgever met KvK-nummer {kvk}."))
                continue
            try:
                fields = row_to_fields(row)
            except ValueError as exc:
                field, message = exc.args
                errors.append((line, IMPORT_COLUMN_OF.get(field, field), message))
                continue
            try:
                with transaction.atomic():
                    vacancy_create(actor=actor, employer=employer, source="import", **fields)
                    created += 1
            except DomainError as exc:
                errors.append((line, IMPORT_COLUMN_OF.get(exc.field or "", ""), exc.message))
        if errors:
            transaction.set_rollback(True)
            return 0, errors
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="vacancy_import",
        purpose="Vacatures importeren",
        changes={"created": created},
    )
    return created, errors
