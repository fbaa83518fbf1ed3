"""State changes of matching (R-MAT): one keyword-only function per change, validated with
the pure rules, written in a transaction, with an event and an audit line.

Permissions: employers and vacancies need `vacancies.manage` (the WSP's werkgeversadviseur);
a client's work profile is kept by whoever may change the client (`clients.change`, the case
manager) and confirmed by the resident; proposals, introductions and placements need
`matching.propose` and the client in the user's scope (case manager or, for shared
profiles, the WSP); the weights need `admin.configure`.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.clients.models import Client, ClientEventKind
from opstap.clients.services import client_event_record
from opstap.core.access import scoped
from opstap.core.actor import Actor, organisation_id_of
from opstap.core.dutch import format_date, parse_date
from opstap.core.errors import ConflictError, InvalidInputError, PermissionDeniedError
from opstap.core.roles import Perm
from opstap.notifications.services import notification_send
from opstap.providers.models import Provider
from opstap.trajectories.models import Trajectory
from opstap.trajectories.services import outcome_record

from . import selectors
from .geo import normalise_postcode, pc4_of
from .handoffs import HANDOFFS, Party
from .kvk import KvkError, normalise_kvk, normalise_vestigingsnummer
from .models import (
    ContractType,
    Employer,
    EmployerContact,
    EmployerLocation,
    MatchWeights,
    Occupation,
    Pc4Centroid,
    Placement,
    PlacementVia,
    Proposal,
    ProposalEvent,
    Vacancy,
    VacancyEvent,
    WorkProfile,
)
from .scoring import (
    CRITERIA,
    EDUCATION_NAMES_NL,
    Education,
    VacancyExit,
    WorkDemand,
    score,
    validate_weights,
)
from .workflow import (
    ProposalAction,
    VacancyAction,
    VacancyState,
    proposal_guard,
    vacancy_guard,
)

__all__ = [
    "MatchingError",
    "employer_contact_add",
    "employer_create",
    "employer_location_add",
    "match_weights_update",
    "placement_record",
    "proposal_create",
    "proposal_introduction_plan",
    "proposal_introduction_record",
    "proposal_withdraw",
    "reference_data_load",
    "vacancy_create",
    "vacancy_transition",
    "vacancy_update",
    "work_profile_confirm",
    "work_profile_save",
]

#: A start date may lie at most this far ahead (a typing error otherwise).
MAX_DAYS_AHEAD = 366


class MatchingError(InvalidInputError):
    """Invalid input for matching; the message is Dutch, `field` names the input."""


def _today() -> dt.date:
    return timezone.localdate()


def _require(actor: Actor, perm: Perm) -> None:
    if not actor.has_opstap_perm(perm):
        raise PermissionDeniedError("U heeft geen recht op deze handeling.")


def _require_client(actor: Actor, client: Client) -> None:
    """The client must be within the actor's scope (R-SEC-1); otherwise as if unknown."""
    if not scoped(actor, Client.objects.filter(pk=client.pk)).exists():
        raise PermissionDeniedError("Deze klant valt niet binnen uw scope.")


def _same_org(actor: Actor, obj: Any) -> None:
    if obj.organisation_id != actor.organisation_id:
        raise PermissionDeniedError("Dit hoort niet bij uw organisatie.")


# --- Reference data --------------------------------------------------------------------------


@transaction.atomic
def reference_data_load(
    *, occupations: Iterable[Mapping[str, str]], centroids: Iterable[Mapping[str, str]]
) -> tuple[int, int]:
    """Load (insert or update) ISCO-08 occupations and PC4 centroids from CSV rows. Refuses
    the whole file on a bad row (transaction), naming the line."""
    n_occ = n_pc4 = 0
    for line, row in enumerate(occupations, start=2):
        code = (row.get("code") or "").strip()
        title = (row.get("title") or "").strip()
        if not (len(code) == 4 and code.isdigit()) or not title:
            raise MatchingError(f"Beroepen, regel {line}: een ISCO-08-code heeft 4 cijfers.")
        Occupation.objects.update_or_create(code=code, defaults={"title": title})
        n_occ += 1
    for line, row in enumerate(centroids, start=2):
        pc4 = (row.get("pc4") or "").strip()
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except (KeyError, TypeError, ValueError) as exc:
            raise MatchingError(f"Postcodes, regel {line}: ongeldige coördinaten.") from exc
        if not (len(pc4) == 4 and pc4.isdigit()) or not (50 < lat < 54 and 3 < lon < 8):
            raise MatchingError(f"Postcodes, regel {line}: ongeldige PC4 of coördinaten.")
        Pc4Centroid.objects.update_or_create(
            pc4=pc4,
            defaults={
                "place": (row.get("place") or "").strip(),
                "municipality": (row.get("municipality") or "").strip(),
                "latitude": lat,
                "longitude": lon,
            },
        )
        n_pc4 += 1
    return n_occ, n_pc4


def read_reference_csv(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


# --- Employers -------------------------------------------------------------------------------


def _text(value: Any, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise MatchingError(f"Vul {label} in.", field=field)
    if len(text) > max_length:
        raise MatchingError(f"{label[:1].upper()}{label[1:]} is te lang.", field=field)
    return text


@transaction.atomic
def employer_create(
    *,
    actor: Actor,
    kvk_number: str,
    name: str,
    offers_garantiebanen: bool = False,
    offers_beschut_werk: bool = False,
    account_manager: Any = None,
) -> Employer:
    _require(actor, Perm.VACANCY_MANAGE)
    try:
        kvk = normalise_kvk(kvk_number)
    except KvkError as exc:
        raise MatchingError(str(exc), field="kvk_number") from exc
    name = _text(name, field="name", label="de naam", max_length=200)
    if Employer.objects.filter(organisation_id=organisation_id_of(actor), kvk_number=kvk).exists():
        raise ConflictError(f"Er is al een werkgever met KvK-nummer {kvk}.", field="kvk_number")
    employer = Employer.objects.create(
        organisation_id=organisation_id_of(actor),
        kvk_number=kvk,
        name=name,
        offers_garantiebanen=bool(offers_garantiebanen),
        offers_beschut_werk=bool(offers_beschut_werk),
        account_manager=account_manager if account_manager is not None else actor,
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="employer",
        object_id=employer.pk,
        purpose="Werkgever vastleggen",
    )
    return employer


@transaction.atomic
def employer_location_add(
    *,
    actor: Actor,
    employer: Employer,
    name: str,
    postcode: str,
    city: str,
    street_address: str = "",
    vestigingsnummer: str = "",
) -> EmployerLocation:
    _require(actor, Perm.VACANCY_MANAGE)
    _same_org(actor, employer)
    try:
        postcode = normalise_postcode(postcode)
    except ValueError as exc:
        raise MatchingError(str(exc), field="postcode") from exc
    number = ""
    if str(vestigingsnummer or "").strip():
        try:
            number = normalise_vestigingsnummer(vestigingsnummer)
        except KvkError as exc:
            raise MatchingError(str(exc), field="vestigingsnummer") from exc
    location = EmployerLocation.objects.create(
        organisation_id=employer.organisation_id,
        employer=employer,
        name=_text(name, field="name", label="de naam van de vestiging", max_length=200),
        postcode=postcode,
        city=_text(city, field="city", label="de plaats", max_length=100),
        street_address=_text(
            street_address,
            field="street_address",
            label="het adres",
            max_length=200,
            required=False,
        ),
        vestigingsnummer=number,
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="employer_location",
        object_id=location.pk,
        purpose="Vestiging werkgever vastleggen",
    )
    return location


@transaction.atomic
def employer_contact_add(
    *,
    actor: Actor,
    employer: Employer,
    name: str,
    function: str = "",
    email: str = "",
    phone: str = "",
) -> EmployerContact:
    _require(actor, Perm.VACANCY_MANAGE)
    _same_org(actor, employer)
    email = str(email or "").strip()
    if email and ("@" not in email or " " in email):
        raise MatchingError("Vul een geldig e-mailadres in.", field="email")
    contact = EmployerContact.objects.create(
        organisation_id=employer.organisation_id,
        employer=employer,
        name=_text(name, field="name", label="de naam", max_length=200),
        function=_text(
            function, field="function", label="de functie", max_length=100, required=False
        ),
        email=email,
        phone=_text(
            phone, field="phone", label="het telefoonnummer", max_length=20, required=False
        ),
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="employer_contact",
        object_id=contact.pk,
        purpose="Contactpersoon werkgever vastleggen",
    )
    return contact


# --- Vacancies -------------------------------------------------------------------------------

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


def _skill_list(value: Any, field: str) -> list[str]:
    if value in (None, ""):
        return []
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        text = str(item).strip().lower()
        if not text:
            continue
        if len(text) > 60:
            raise MatchingError("Een vaardigheid is te lang (maximaal 60 tekens).", field=field)
        if text not in out:
            out.append(text)
    if len(out) > 30:
        raise MatchingError("Noem hoogstens 30 vaardigheden.", field=field)
    return out


def _int(value: Any, *, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise MatchingError(f"Vul bij {label} een geheel getal in.", field=field) from exc
    if not low <= number <= high:
        raise MatchingError(
            f"{label[:1].upper()}{label[1:]} ligt tussen {low} en {high}.", field=field
        )
    return number


def _choice(value: Any, allowed: Iterable[str], *, field: str, label: str) -> str:
    text = str(value or "").strip()
    if text not in set(allowed):
        raise MatchingError(f"Kies een geldige waarde bij {label}.", field=field)
    return text


def _date(value: Any, *, field: str, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value))
    except (TypeError, ValueError) as exc:
        raise MatchingError(f"Vul bij {label} een datum in als dd-mm-jjjj.", field=field) from exc


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
    VacancyEvent.objects.create(
        organisation_id=vacancy.organisation_id,
        vacancy=vacancy,
        action="create",
        to_state=vacancy.state,
        actor=actor,
        occurred_at=timezone.now(),
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="vacancy",
        object_id=vacancy.pk,
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
    VacancyEvent.objects.create(
        organisation_id=vacancy.organisation_id,
        vacancy=vacancy,
        action="update",
        from_state=vacancy.state,
        to_state=vacancy.state,
        actor=actor,
        occurred_at=timezone.now(),
    )
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="vacancy",
        object_id=vacancy.pk,
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
    VacancyEvent.objects.create(
        organisation_id=vacancy.organisation_id,
        vacancy=vacancy,
        action=action,
        from_state=before,
        to_state=vacancy.state,
        reason=reason[:300],
        actor=actor,
        occurred_at=timezone.now(),
    )
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="vacancy",
        object_id=vacancy.pk,
        purpose="Status vacature",
        changes={"state": [before, vacancy.state]},
    )
    return vacancy


# --- Work profile ----------------------------------------------------------------------------

PROFILE_FIELDS = (
    "desired_occupations",
    "possible_occupations",
    "skills",
    "education",
    "hours_available",
    "max_distance_km",
    "max_travel_minutes",
    "driving_licence",
    "own_transport",
    "restrictions",
    "shared_with_wsp",
)


def _occupation_list(value: Any, field: str) -> list[Occupation]:
    if value in (None, ""):
        return []
    codes = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    items = [c if isinstance(c, Occupation) else str(c).strip() for c in codes]
    wanted = {c for c in items if isinstance(c, str) and c}
    found = {o.code: o for o in Occupation.objects.filter(code__in=wanted)}
    missing = wanted - set(found)
    if missing:
        raise MatchingError(f"Onbekend beroep: {', '.join(sorted(missing))}.", field=field)
    out = [c for c in items if isinstance(c, Occupation)] + list(found.values())
    if len(out) > 10:
        raise MatchingError("Noem hoogstens 10 beroepen.", field=field)
    return out


@transaction.atomic
def work_profile_save(*, actor: Actor, client: Client, **data: Any) -> WorkProfile:
    """Create or change the client's work profile; only the fields given change. LDR, NBW,
    LKS and the hour restriction are the client record's (never typed here)."""
    _require(actor, Perm.CLIENT_CHANGE)
    _require_client(actor, client)
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise MatchingError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {}
    if "skills" in data:
        values["skills"] = _skill_list(data["skills"], "skills")
    if "education" in data:
        edu = str(data["education"] or "")
        values["education"] = (
            _choice(edu, [e.value for e in Education], field="education", label="opleidingsniveau")
            if edu
            else ""
        )
    for name, label, low, high in (
        ("hours_available", "beschikbare uren", 0, 60),
        ("max_distance_km", "maximale reisafstand", 1, 200),
        ("max_travel_minutes", "maximale reistijd", 1, 240),
    ):
        if name in data:
            raw = data[name]
            values[name] = (
                None
                if raw in (None, "")
                else _int(raw, field=name, label=label, low=low, high=high)
            )
    for name in ("driving_licence", "own_transport", "shared_with_wsp"):
        if name in data:
            values[name] = bool(data[name])
    if "restrictions" in data:
        restrictions = data["restrictions"] or []
        if isinstance(restrictions, str):
            restrictions = [r.strip() for r in restrictions.split(",") if r.strip()]
        for r in restrictions:
            if r not in {w.value for w in WorkDemand}:
                raise MatchingError(f"Onbekende beperking '{r}'.", field="restrictions")
        values["restrictions"] = sorted(set(restrictions))
    desired = (
        _occupation_list(data["desired_occupations"], "desired_occupations")
        if "desired_occupations" in data
        else None
    )
    possible = (
        _occupation_list(data["possible_occupations"], "possible_occupations")
        if "possible_occupations" in data
        else None
    )
    profile = WorkProfile.objects.select_for_update().filter(client=client).first()
    created = profile is None
    if profile is None:
        profile = WorkProfile(organisation_id=client.organisation_id, client=client)
    before = {k: getattr(profile, k) for k in values} if not created else {}
    for name, value in values.items():
        setattr(profile, name, value)
    profile.updated_by = actor
    profile.updated_at = timezone.now()
    profile.confirmed_at = None  # the resident confirms what is there now
    profile.save()
    if desired is not None:
        profile.desired_occupations.set(desired)
    if possible is not None:
        profile.possible_occupations.set(possible)
    client_event_record(
        client=client,
        kind=ClientEventKind.MATCHING.value,
        actor=actor,
        source="matching",
        summary="Werkprofiel aangemaakt" if created else "Werkprofiel gewijzigd",
        data={
            "fields": sorted(
                set(values)
                | {k for k in ("desired_occupations", "possible_occupations") if k in data}
            )
        },
    )
    audit_log(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        object_type="work_profile",
        object_id=profile.pk,
        client_id=client.pk,
        purpose="Werkprofiel bijhouden",
        changes={k: [str(before.get(k, "")), str(v)] for k, v in values.items()},
    )
    return profile


@transaction.atomic
def work_profile_confirm(*, actor: Actor, client: Client) -> WorkProfile:
    """The resident confirms their work profile in the portal (R-POR)."""
    if client.user_id != actor.pk:
        raise PermissionDeniedError("U kunt alleen uw eigen werkprofiel bevestigen.")
    profile = WorkProfile.objects.select_for_update().filter(client=client).first()
    if profile is None:
        raise MatchingError("Er is nog geen werkprofiel om te bevestigen.")
    profile.confirmed_at = timezone.now()
    profile.save(update_fields=["confirmed_at"])
    client_event_record(
        client=client,
        kind=ClientEventKind.MATCHING.value,
        actor=actor,
        source="matching",
        summary="Werkprofiel bevestigd door de inwoner",
    )
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="work_profile",
        object_id=profile.pk,
        client_id=client.pk,
        purpose="Werkprofiel bevestigen",
    )
    return profile


# --- Weights ---------------------------------------------------------------------------------


@transaction.atomic
def match_weights_update(*, actor: Actor, weights: Mapping[str, Any]) -> MatchWeights:
    """The administrator sets the weight of each criterion for the organisation (audited with
    the values before and after)."""
    _require(actor, Perm.ADMIN_CONFIGURE)
    try:
        valid = validate_weights(weights)
    except ValueError as exc:
        field = exc.args[1] if len(exc.args) > 1 else ""
        raise MatchingError(str(exc.args[0]), field=field or None) from exc
    before = selectors.current_weights(organisation_id_of(actor))
    row, _created = MatchWeights.objects.select_for_update().get_or_create(
        organisation_id=organisation_id_of(actor),
        defaults={"weights": {}, "updated_at": timezone.now(), "updated_by": actor},
    )
    row.weights = {c.value: valid[c] for c in CRITERIA}
    row.updated_by = actor
    row.updated_at = timezone.now()
    row.save()
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="match_weights",
        object_id=row.pk,
        purpose="Gewichten passend werk wijzigen",
        changes={c.value: [before[c], valid[c]] for c in CRITERIA if before[c] != valid[c]},
    )
    return row


# --- Proposal → introduction → placement -----------------------------------------------------


def _notify(*, actor: Actor, proposal: Proposal, step: str, date: dt.date | None = None) -> None:
    handoff = HANDOFFS[step]
    client = proposal.client
    vacancy = proposal.vacancy
    recipients: dict[Party, Any] = {
        Party.CASE_MANAGER: client.case_manager,
        Party.ACCOUNT_MANAGER: vacancy.employer.account_manager,
        Party.RESIDENT: client.user,
    }
    values = {
        "vacancy": vacancy.title,
        "employer": vacancy.employer.name,
        "client": client.full_name,
        "date": format_date(date) if date else "",
    }
    for party in handoff.notify:
        user = recipients.get(party)
        if user is None or user.pk == actor.pk or not user.is_active:
            continue
        url = (
            reverse("portal:home")
            if party is Party.RESIDENT
            else reverse("matching:vacancy_detail", args=[vacancy.pk])
        )
        notification_send(
            recipient=user,
            title=handoff.title_nl.format(**values),
            body=handoff.body_nl.format(**values),
            url=url,
            dedupe_key=f"matching:{proposal.pk}:{step}:{party.value}",
        )


def _proposal_event(
    *, actor: Actor, proposal: Proposal, action: str, before: str, note: str = ""
) -> None:
    now = timezone.now()
    ProposalEvent.objects.create(
        organisation_id=proposal.organisation_id,
        proposal=proposal,
        action=action,
        from_state=before,
        to_state=proposal.state,
        note=note[:500],
        actor=actor,
        occurred_at=now,
    )
    client_event_record(
        client=proposal.client,
        kind=ClientEventKind.MATCHING.value,
        actor=actor,
        source="matching",
        occurred_at=now,
        summary=f"{proposal.state_label}: {proposal.vacancy.title} bij "
        f"{proposal.vacancy.employer.name}",
        note=note,
        data={
            "proposal": proposal.pk,
            "vacancy": proposal.vacancy_id,
            "action": action,
            "state": proposal.state,
        },
    )
    audit_log(
        action=AuditAction.CREATE if action == "propose" else AuditAction.UPDATE,
        actor=actor,
        object_type="proposal",
        object_id=proposal.pk,
        client_id=proposal.client_id,
        purpose="Bemiddeling naar werk",
        changes={"state": [before, proposal.state]},
    )


@transaction.atomic
def proposal_create(*, actor: Actor, vacancy: Vacancy, client: Client, note: str = "") -> Proposal:
    """Propose a client for an open vacancy: the explained score at this moment is kept."""
    _require(actor, Perm.MATCH_PROPOSE)
    _same_org(actor, vacancy)
    _require_client(actor, client)
    vacancy = Vacancy.objects.select_for_update().select_related("employer").get(pk=vacancy.pk)
    if vacancy.state != VacancyState.OPEN.value:
        raise ConflictError("Deze vacature is niet meer open.")
    profiles = WorkProfile.objects.filter(client=client)
    facts = selectors.candidate_facts(profiles)
    if not facts:
        raise MatchingError("Deze klant heeft nog geen werkprofiel.", field="client")
    weights = selectors.current_weights(vacancy.organisation_id)
    result = score(
        facts[0], selectors.vacancy_facts(Vacancy.objects.filter(pk=vacancy.pk))[0], weights
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                organisation_id=vacancy.organisation_id,
                vacancy=vacancy,
                client=client,
                score=result.percentage,
                explanation=[
                    {
                        "criterion": c.criterion.value,
                        "name": c.name,
                        "weight": c.weight,
                        "points": str(c.points),
                        "matched": c.matched,
                        "explanation": c.explanation,
                    }
                    for c in result.criteria
                ],
                note=_text(
                    note, field="note", label="de toelichting", max_length=500, required=False
                ),
                proposed_by=actor,
                proposed_at=now,
                updated_at=now,
            )
    except IntegrityError as exc:
        raise ConflictError("Deze klant is al voorgedragen voor deze vacature.") from exc
    _proposal_event(actor=actor, proposal=proposal, action="propose", before="", note=note)
    _notify(actor=actor, proposal=proposal, step="proposed")
    _notify(actor=actor, proposal=proposal, step="proposed_resident")
    return proposal


def _locked(actor: Actor, proposal: Proposal) -> Proposal:
    _require(actor, Perm.MATCH_PROPOSE)
    _same_org(actor, proposal)
    _require_client(actor, proposal.client)
    return (
        Proposal.objects.select_for_update()
        .select_related("vacancy__employer", "client")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def proposal_introduction_plan(*, actor: Actor, proposal: Proposal, on: Any) -> Proposal:
    proposal = _locked(actor, proposal)
    row = proposal_guard(proposal.state, ProposalAction.PLAN_INTRODUCTION)
    day = _date(on, field="introduction_on", label="datum kennismaking")
    if day is None:
        raise MatchingError("Vul de datum van de kennismaking in.", field="introduction_on")
    if day < timezone.localtime(proposal.proposed_at).date():
        raise MatchingError("De kennismaking ligt vóór de voordracht.", field="introduction_on")
    if day > _today() + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise MatchingError(
            "De kennismaking ligt meer dan een jaar vooruit.", field="introduction_on"
        )
    before = proposal.state
    proposal.state = row.to_state.value
    proposal.introduction_on = day
    proposal.updated_at = timezone.now()
    proposal.save()
    _proposal_event(
        actor=actor,
        proposal=proposal,
        action=row.action.value,
        before=before,
        note=f"Kennismaking op {format_date(day)}",
    )
    _notify(actor=actor, proposal=proposal, step="plan_introduction", date=day)
    return proposal


@transaction.atomic
def proposal_introduction_record(
    *, actor: Actor, proposal: Proposal, positive: bool, outcome: str = ""
) -> Proposal:
    """The outcome of the introduction: positive (on to a placement) or not (closed)."""
    proposal = _locked(actor, proposal)
    action = ProposalAction.RECORD_INTRODUCTION if positive else ProposalAction.REJECT
    row = proposal_guard(proposal.state, action)
    if proposal.introduction_on and proposal.introduction_on > _today():
        raise MatchingError(
            "De kennismaking heeft nog niet plaatsgevonden.", field="introduction_on"
        )
    text = _text(
        outcome, field="outcome", label="de uitkomst", max_length=300, required=not positive
    )
    before = proposal.state
    proposal.state = row.to_state.value
    proposal.introduction_outcome = text
    proposal.updated_at = timezone.now()
    proposal.save()
    _proposal_event(actor=actor, proposal=proposal, action=action.value, before=before, note=text)
    _notify(actor=actor, proposal=proposal, step=action.value)
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: Actor, proposal: Proposal, reason: str) -> Proposal:
    proposal = _locked(actor, proposal)
    row = proposal_guard(proposal.state, ProposalAction.WITHDRAW)
    text = _text(reason, field="reason", label="de reden", max_length=300)
    before = proposal.state
    proposal.state = row.to_state.value
    proposal.updated_at = timezone.now()
    proposal.save()
    _proposal_event(actor=actor, proposal=proposal, action="withdraw", before=before, note=text)
    _notify(actor=actor, proposal=proposal, step="withdraw")
    return proposal


@transaction.atomic
def placement_record(
    *,
    actor: Actor,
    proposal: Proposal,
    start_date: Any,
    hours_per_week: Any,
    contract_type: str,
    contract_months: Any = None,
    lks: bool = False,
    via: str = PlacementVia.WSP.value,
    provider: Provider | None = None,
) -> Placement:
    """The placement (R-MAT → R-TRJ-7): the vacancy is filled. Via a provider, the placement
    is also recorded as the outcome of the client's trajectory at that provider (durability
    check, placement fee R-BILL-6, KPIs); via the WSP the KPIs count it from here."""
    proposal = _locked(actor, proposal)
    row = proposal_guard(proposal.state, ProposalAction.PLACE)
    start = _date(start_date, field="start_date", label="startdatum")
    if start is None:
        raise MatchingError("Vul de startdatum in.", field="start_date")
    earliest = proposal.introduction_on or timezone.localtime(proposal.proposed_at).date()
    if start < earliest:
        raise MatchingError(
            f"De startdatum ligt vóór de kennismaking ({format_date(earliest)}).",
            field="start_date",
        )
    if start > _today() + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise MatchingError("De startdatum ligt meer dan een jaar vooruit.", field="start_date")
    hours = _int(hours_per_week, field="hours_per_week", label="uren per week", low=1, high=60)
    restriction = proposal.client.hour_restriction
    if restriction is not None and hours > restriction:
        raise MatchingError(
            f"Meer uren dan de urenbeperking van de klant ({restriction} uur per week).",
            field="hours_per_week",
        )
    ctype = _choice(
        contract_type, ContractType.values, field="contract_type", label="soort contract"
    )
    months = (
        None
        if contract_months in (None, "")
        else _int(contract_months, field="contract_months", label="contractduur", low=1, high=120)
    )
    via = _choice(via, PlacementVia.values, field="via", label="via")
    vacancy = proposal.vacancy
    trajectory: Trajectory | None = None
    if via == PlacementVia.PROVIDER.value:
        if provider is None:
            raise MatchingError("Kies de aanbieder die de klant plaatste.", field="provider")
        trajectory = (
            Trajectory.objects.filter(client=proposal.client, provider=provider)
            .order_by("-order_date", "-id")
            .first()
        )
        if trajectory is None:
            raise MatchingError(
                "Deze klant heeft geen traject bij deze aanbieder: kies 'via het WSP'.",
                field="provider",
            )
    elif provider is not None:
        raise MatchingError("Een plaatsing via het WSP heeft geen aanbieder.", field="provider")
    placement = Placement.objects.create(
        organisation_id=proposal.organisation_id,
        proposal=proposal,
        client=proposal.client,
        vacancy=vacancy,
        start_date=start,
        hours_per_week=hours,
        contract_type=ctype,
        contract_months=months,
        lks=bool(lks),
        garantiebaan=vacancy.exit == VacancyExit.GARANTIEBAAN.value,
        beschut_werk=vacancy.exit == VacancyExit.BESCHUT.value,
        via=via,
        provider=provider,
        trajectory=trajectory,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    if trajectory is not None:
        outcome_record(
            actor=actor,
            trajectory=trajectory,
            employer=vacancy.employer.name,
            placement_start=start,
            contract_type=ContractType(ctype).label,
            hours_per_week=Decimal(hours),
            contract_months=months,
            lks=bool(lks),
            garantiebaan=placement.garantiebaan,
            beschut_werk=placement.beschut_werk,
        )
    before = proposal.state
    proposal.state = row.to_state.value
    proposal.updated_at = timezone.now()
    proposal.save()
    _vacancy_step(
        actor=actor,
        vacancy=vacancy,
        action=VacancyAction.FILL.value,
        reason=f"Plaatsing {placement.pk}",
    )
    _proposal_event(
        actor=actor,
        proposal=proposal,
        action="place",
        before=before,
        note=f"Start {format_date(start)}, {hours} uur per week",
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="placement",
        object_id=placement.pk,
        client_id=proposal.client_id,
        purpose="Plaatsing vastleggen",
    )
    _notify(actor=actor, proposal=proposal, step="place", date=start)
    return placement


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
    from opstap.core.errors import DomainError

    from .importer import row_to_fields

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
