"""A client's work profile: kept by the case manager, confirmed by the resident."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.clients.models import Client, ClientEventKind
from opstap.clients.services import client_event_record
from opstap.core.actor import Actor
from opstap.core.errors import PermissionDeniedError
from opstap.core.roles import Perm
from opstap.matching.models import Occupation, WorkProfile
from opstap.matching.scoring import Education, WorkDemand

from ._common import MatchingError, _choice, _int, _require, _require_client, _skill_list

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
