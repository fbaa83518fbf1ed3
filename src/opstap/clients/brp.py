"""Client of the Haal Centraal "BRP bevragen" API (BRP API Personen, version 2) — R-INT-3.

One operation: ``POST {OPSTAP_BRP_URL}/personen`` with a ``RaadpleegMetBurgerservicenummer``
query (at most 20 BSNs), a ``fields`` selection (data minimisation: only what Opstap uses)
and, where the caller only wants persons registered in one municipality,
``gemeenteVanInschrijving`` (4-digit municipality code).

Every request carries the protocol headers that the BRP gateways of the municipalities
(and the RvIG's own gateway for the "experiment dataminimalisatie") require for purpose
binding and logging ("protocollering"):

- ``x-doelbinding``: the purpose-binding decision (doelbinding) the organisation holds,
  e.g. "Participatiewet re-integratie" (`OPSTAP_BRP_DOELBINDING`);
- ``x-verwerking``: the processing activity of this call, e.g. "Klant inschrijven";
- ``x-gebruiker``: who asked (the user's login, or "systeem" for the periodic check);
- ``x-origin-oin``: the organisation's OIN (`OPSTAP_BRP_OIN`);
- ``X-API-KEY`` when the gateway uses an API key (`OPSTAP_BRP_API_KEY`), and a PKIoverheid
  client certificate for mutual TLS (`OPSTAP_BRP_CERT` / `OPSTAP_BRP_KEY`), the gateway's CA
  bundle (`OPSTAP_BRP_CA_BUNDLE`); a timeout (`OPSTAP_BRP_TIMEOUT`, seconds).

No ORM here: the services call this module, audit each lookup with its purpose and decide
what to save. A failure is a `BrpError` with a Dutch message (never a 5xx of ours).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from opstap.core.errors import DomainError, InvalidInputError

__all__ = [
    "MAX_BSNS",
    "PREFILL_FIELDS",
    "BrpConfig",
    "BrpError",
    "BrpInvalidRequestError",
    "BrpNotConfiguredError",
    "BrpPerson",
    "BrpUnavailableError",
    "config_from_settings",
    "person_from_json",
    "raadpleeg",
]

MAX_BSNS = 20  # PersonenQuery: burgerservicenummer maxItems 20
QUERY_TYPE = "RaadpleegMetBurgerservicenummer"

#: What Opstap asks for (data minimisation): name, date of birth, address, municipality and
#: death. Field paths as the standard's `fields` parameter defines them.
PREFILL_FIELDS: tuple[str, ...] = (
    "burgerservicenummer",
    "naam.voornamen",
    "naam.voorvoegsel",
    "naam.geslachtsnaam",
    "geboorte.datum",
    "verblijfplaats.verblijfadres",
    "gemeenteVanInschrijving",
    "overlijden.datum",
)


class BrpError(DomainError):
    """The BRP could not answer; the message is Dutch, for the user."""

    status = 503
    default_code = "brp_unavailable"


class BrpUnavailableError(BrpError):
    """Timeout, connection failure or an error of the BRP or its gateway."""


class BrpNotConfiguredError(BrpError):
    """No endpoint is set: the organisation has no BRP link (yet)."""

    default_code = "brp_not_configured"


class BrpInvalidRequestError(InvalidInputError):
    """The BRP refused the question (400): e.g. an invalid BSN."""


@dataclass(frozen=True)
class BrpConfig:
    url: str  # base, e.g. https://gateway.example.nl/haalcentraal/api/brp
    doelbinding: str
    oin: str = ""
    api_key: str = ""
    cert: str = ""
    key: str = ""
    ca_bundle: str = ""
    timeout: float = 5.0

    @property
    def endpoint(self) -> str:
        return self.url.rstrip("/") + "/personen"


def config_from_settings(settings: Any) -> BrpConfig:
    """The configuration from Django settings (`OPSTAP_BRP_*`); raises when no URL is set."""
    url = getattr(settings, "OPSTAP_BRP_URL", "")
    if not url:
        raise BrpNotConfiguredError(
            "De koppeling met de BRP is niet ingesteld; vul de gegevens zelf in of vraag de "
            "functioneel beheerder de koppeling in te stellen."
        )
    return BrpConfig(
        url=url,
        doelbinding=getattr(settings, "OPSTAP_BRP_DOELBINDING", ""),
        oin=getattr(settings, "OPSTAP_BRP_OIN", ""),
        api_key=getattr(settings, "OPSTAP_BRP_API_KEY", ""),
        cert=getattr(settings, "OPSTAP_BRP_CERT", ""),
        key=getattr(settings, "OPSTAP_BRP_KEY", ""),
        ca_bundle=getattr(settings, "OPSTAP_BRP_CA_BUNDLE", ""),
        timeout=float(getattr(settings, "OPSTAP_BRP_TIMEOUT", 5.0)),
    )


@dataclass(frozen=True)
class BrpPerson:
    """The part of a BRP person Opstap uses."""

    bsn: str
    first_names: str
    last_name_prefix: str
    last_name: str
    date_of_birth: dt.date | None
    street_address: str
    postcode: str
    city: str
    municipality_code: str  # 4 digits, e.g. "0226"; "" when unknown
    municipality_name: str
    date_of_death: dt.date | None

    @property
    def first_name(self) -> str:
        """Opstap keeps one first name (the call name is not in the BRP): the first one."""
        return self.first_names.split()[0] if self.first_names else ""

    @property
    def deceased(self) -> bool:
        return self.date_of_death is not None

    @property
    def cbs_code(self) -> str:
        """The municipality as CBS writes it (GM + 4 digits), as Opstap stores it."""
        return f"GM{self.municipality_code}" if self.municipality_code else ""


def _date(value: Any) -> dt.date | None:
    """The standard's polymorphic date: only a full date ("Datum") gives a date; a partly
    unknown date (JaarDatum, JaarMaandDatum, DatumOnbekend) gives None."""
    if not isinstance(value, Mapping) or value.get("type") != "Datum":
        return None
    try:
        return dt.date.fromisoformat(str(value.get("datum", "")))
    except ValueError:
        return None


def _text(mapping: Any, *path: str) -> str:
    for key in path:
        if not isinstance(mapping, Mapping):
            return ""
        mapping = mapping.get(key)
    return str(mapping).strip() if mapping not in (None, "") else ""


def person_from_json(data: Mapping[str, Any]) -> BrpPerson:
    """One `Persoon` of the response, reduced to what Opstap uses."""
    address = (data.get("verblijfplaats") or {}).get("verblijfadres") or {}
    street = _text(address, "officieleStraatnaam") or _text(address, "korteStraatnaam")
    number = " ".join(
        part
        for part in (
            _text(address, "huisnummer"),
            _text(address, "huisletter"),
            _text(address, "huisnummertoevoeging"),
        )
        if part
    )
    return BrpPerson(
        bsn=_text(data, "burgerservicenummer"),
        first_names=_text(data, "naam", "voornamen"),
        last_name_prefix=_text(data, "naam", "voorvoegsel"),
        last_name=_text(data, "naam", "geslachtsnaam"),
        date_of_birth=_date((data.get("geboorte") or {}).get("datum")),
        street_address=f"{street} {number}".strip(),
        postcode=_text(address, "postcode"),
        city=_text(address, "woonplaats"),
        municipality_code=_text(data, "gemeenteVanInschrijving", "code"),
        municipality_name=_text(data, "gemeenteVanInschrijving", "omschrijving"),
        date_of_death=_date((data.get("overlijden") or {}).get("datum")),
    )


def headers_for(config: BrpConfig, *, verwerking: str, gebruiker: str) -> dict[str, str]:
    """The protocol headers of one request (see the module docstring)."""
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        "x-doelbinding": config.doelbinding,
        "x-verwerking": verwerking[:242],
        "x-gebruiker": gebruiker[:242],
        "x-origin-oin": config.oin,
    }
    if config.api_key:
        headers["X-API-KEY"] = config.api_key
    return headers


def _problem_detail(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, Mapping):
        return ""
    params = body.get("invalidParams") or []
    reasons = [str(p.get("reason", "")) for p in params if isinstance(p, Mapping)]
    return "; ".join(r for r in reasons if r) or str(body.get("detail") or body.get("title") or "")


def raadpleeg(
    config: BrpConfig,
    bsns: Sequence[str],
    *,
    verwerking: str,
    gebruiker: str,
    fields: Iterable[str] = PREFILL_FIELDS,
    gemeente_van_inschrijving: str = "",
    session: requests.Session | None = None,
) -> list[BrpPerson]:
    """Look up at most 20 persons by BSN. Unknown BSNs are simply absent from the result."""
    if not bsns:
        return []
    if len(bsns) > MAX_BSNS:
        raise BrpInvalidRequestError(f"Vraag hooguit {MAX_BSNS} personen tegelijk op.")
    body: dict[str, Any] = {
        "type": QUERY_TYPE,
        "burgerservicenummer": list(bsns),
        "fields": list(fields),
    }
    if gemeente_van_inschrijving:
        body["gemeenteVanInschrijving"] = gemeente_van_inschrijving
    http = session or requests.Session()
    try:
        response = http.post(
            config.endpoint,
            json=body,
            headers=headers_for(config, verwerking=verwerking, gebruiker=gebruiker),
            timeout=config.timeout,
            cert=(config.cert, config.key) if config.cert and config.key else config.cert or None,
            verify=config.ca_bundle or True,
        )
    except requests.Timeout as exc:
        raise BrpUnavailableError(
            "De BRP antwoordt niet op tijd. Probeer het over een paar minuten opnieuw; er is "
            "niets opgeslagen."
        ) from exc
    except requests.RequestException as exc:
        raise BrpUnavailableError(
            "De BRP is niet bereikbaar. Probeer het later opnieuw; er is niets opgeslagen."
        ) from exc
    if response.status_code == 400:
        detail = _problem_detail(response)
        raise BrpInvalidRequestError(
            "De BRP weigert de vraag" + (f": {detail}" if detail else "."), field="bsn"
        )
    if response.status_code in (401, 403):
        raise BrpUnavailableError(
            "De BRP weigert de toegang (autorisatie of doelbinding). Vraag de functioneel "
            "beheerder de koppeling te controleren; er is niets opgeslagen."
        )
    if response.status_code != 200:
        raise BrpUnavailableError(
            f"De BRP meldt een storing (code {response.status_code}). Probeer het later "
            "opnieuw; er is niets opgeslagen."
        )
    try:
        payload = response.json()
        people = payload.get("personen") or []
    except (ValueError, AttributeError) as exc:
        raise BrpUnavailableError(
            "Het antwoord van de BRP is onleesbaar; er is niets opgeslagen."
        ) from exc
    return [person_from_json(p) for p in people if isinstance(p, Mapping)]


# --- Prefill: what the BRP says against what was typed ---------------------------------------

PREFILL_LABELS: dict[str, str] = {
    "first_name": "Voornaam",
    "last_name_prefix": "Tussenvoegsel",
    "last_name": "Achternaam",
    "date_of_birth": "Geboortedatum",
    "street_address": "Adres",
    "postcode": "Postcode",
    "city": "Woonplaats",
    "municipality": "Gemeente (CBS-code)",
}


def prefill_values(person: BrpPerson) -> dict[str, str]:
    """The client fields the BRP fills, as text (date ISO, municipality as GM code)."""
    return {
        "first_name": person.first_name,
        "last_name_prefix": person.last_name_prefix,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "street_address": person.street_address,
        "postcode": person.postcode,
        "city": person.city,
        "municipality": person.cbs_code,
    }


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    entered: str
    brp: str


def _same(field: str, a: str, b: str) -> bool:
    def norm(value: str) -> str:
        text = " ".join(value.split()).casefold()
        return text.replace(" ", "") if field == "postcode" else text

    return norm(a) == norm(b)


def differences(entered: Mapping[str, str], brp_values: Mapping[str, str]) -> list[Difference]:
    """Fields where a typed value differs from the BRP (case, spacing and the space in a
    postcode do not count); fields left empty or unknown in the BRP are no difference."""
    return [
        Difference(field, label, entered.get(field, "") or "", brp_values.get(field, "") or "")
        for field, label in PREFILL_LABELS.items()
        if (entered.get(field) or "").strip()
        and (brp_values.get(field) or "").strip()
        and not _same(field, entered[field], brp_values[field])
    ]


# --- The periodic check: moved out or died ----------------------------------------------------


@dataclass(frozen=True)
class Signal:
    kind: str  # "died" | "moved_out"
    summary: str  # Dutch, for the case manager
    key: str  # once-only key per client and fact


def signal_for(person: BrpPerson, own_cbs_codes: Iterable[str]) -> Signal | None:
    """What the case manager must hear about a client, if anything: death first, then a
    registration in a municipality outside the organisation's."""
    if person.date_of_death is not None:
        day = person.date_of_death.strftime("%d-%m-%Y")
        return Signal("died", f"Volgens de BRP overleden op {day}.", f"died:{day}")
    if person.cbs_code and person.cbs_code not in set(own_cbs_codes):
        where = person.municipality_name or person.municipality_code
        return Signal(
            "moved_out",
            f"Volgens de BRP ingeschreven in {where}, buiten de gemeenten van de organisatie.",
            f"moved:{person.municipality_code}",
        )
    return None
