"""The checks of a client's fields (R-CLI-1, R-SEC-6), shared by the services, the forms and the
import: BSN 11-check, names, dates, obstacles.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import bsn as stdnum_bsn

from opstap.clients.models import (
    SITUATION_FIELDS,
    BenefitType,
    LksStatus,
    Obstacle,
)
from opstap.core.actor import Actor
from opstap.core.dutch import too_long
from opstap.core.errors import InvalidInputError
from opstap.core.roles import RoleCode


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


#: Plausible dates of a benefit and an exemption (R-SEC-6): a benefit or exemption of more
#: than 60 years back is a typing error (year 1 made a client "long on assistance", R-PREM-1);
#: a benefit starts at most a year ahead (a decision already taken) and an end date lies at
#: most 10 years ahead.
PAST_YEARS, START_AHEAD_YEARS, END_AHEAD_YEARS = 60, 1, 10
_DATE_LABELS = {
    "benefit_start_date": "De begindatum van de uitkering",
    "benefit_end_date": "De einddatum van de uitkering",
    "exemption_end_date": "De einddatum van de ontheffing",
}
#: A Dutch postcode, `1234 AB` (space and case free); empty is allowed (unknown).
_POSTCODE = re.compile(r"[1-9][0-9]{3} ?[A-Za-z]{2}")


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _date_range_errors(fields: dict[str, Any], today: dt.date) -> list[ClientError]:
    errors = []
    for name, label in _DATE_LABELS.items():
        day = fields.get(name)
        if day is None:
            continue
        ahead = START_AHEAD_YEARS if name == "benefit_start_date" else END_AHEAD_YEARS
        low, high = _years_before(today, PAST_YEARS), _years_before(today, -ahead)
        if not low <= day <= high:
            errors.append(
                ClientError(
                    f"{label} is niet aannemelijk: kies een datum van {low:%d-%m-%Y} "
                    f"tot en met {high:%d-%m-%Y}.",
                    field=name,
                )
            )
    return errors


def has_visible_letter(text: str) -> bool:
    """At least one letter once zero-width, format and white-space characters are ignored
    (an 'invisible name' of only U+200B or spaces is refused)."""
    return any(unicodedata.category(ch).startswith("L") for ch in text)


#: A client number (R-CLI-1) is the organisation's own: any letters, digits and signs, but not
#: more than the column holds (the model's `max_length`; PostgreSQL refused a longer one from
#: the import with an error), and no control or invisible characters (a tab or a zero-width
#: space made a number that nobody can type in the search).
MAX_CLIENT_NUMBER = 30


def client_number_error(value: str) -> ClientError | None:
    """What is wrong with a client number as typed (R-CLI-1), or None. The one check of the
    page, the API and the import (through `client_field_errors`)."""
    text = (value or "").strip()
    if not text:
        return ClientError("Vul het klantnummer in.", field="client_number")
    if any(unicodedata.category(ch)[0] == "C" or ch in "\u2028\u2029" for ch in text):
        return ClientError(
            "Het klantnummer bevat een onzichtbaar teken of stuurteken (zoals een tab); "
            "typ het over zonder dat teken.",
            field="client_number",
        )
    if len(text) > MAX_CLIENT_NUMBER:
        return ClientError(
            too_long("het klantnummer", MAX_CLIENT_NUMBER),
            field="client_number",
        )
    return None


def client_field_errors(fields: dict[str, Any], *, today: dt.date) -> list[ClientError]:
    """Every rule that the given client fields break, in a fixed order (R-CLI-1, R-SEC-6).

    The one home of these checks: the services raise the first error, the import of the
    benefit administration reports all of them per row. Only the fields present are checked;
    `obstacles` is normalised in place (codes, no duplicates)."""
    errors: list[ClientError] = []
    if "client_number" in fields:
        number = client_number_error(str(fields["client_number"] or ""))
        if number is not None:
            errors.append(number)
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
    postcode = str(fields.get("postcode") or "").strip()
    if postcode and not _POSTCODE.fullmatch(postcode):
        errors.append(ClientError("Vul een postcode in als 1234 AB.", field="postcode"))
    errors.extend(_date_range_errors(fields, today))
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


#: R-CLI-3: every client has exactly one current case manager, from registration on.
CASE_MANAGER_REQUIRED = "Kies de klantmanager van de klant: elke klant heeft een klantmanager."


def _check_case_manager(organisation_id: int, user: Actor | None) -> None:
    """R-CLI-3: the (new) case manager is an active user of the organisation who holds the
    case-manager role; never nobody."""
    if user is None:
        raise ClientError(CASE_MANAGER_REQUIRED, field="case_manager")
    if user.organisation_id != organisation_id or not user.has_role(RoleCode.CASE_MANAGER):
        raise ClientError("Kies een klantmanager van deze organisatie.", field="case_manager")
    if not user.is_active:
        raise ClientError(
            f"{user.display_name} is niet meer actief; kies een actieve klantmanager.",
            field="case_manager",
        )
