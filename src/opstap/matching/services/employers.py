"""Employers, their locations (vestigingen) and contacts."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.actor import Actor, organisation_id_of
from opstap.core.errors import ConflictError
from opstap.core.roles import Perm
from opstap.matching.geo import normalise_postcode
from opstap.matching.kvk import KvkError, normalise_kvk, normalise_vestigingsnummer
from opstap.matching.models import Employer, EmployerContact, EmployerLocation

from ._common import MatchingError, _require, _same_org, _text


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
