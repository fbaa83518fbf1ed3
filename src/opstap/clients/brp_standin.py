"""A local stand-in for the Haal Centraal "BRP bevragen" API (BRP API Personen v2), R-INT-3.

It speaks the published protocol — ``POST /haalcentraal/api/brp/personen`` with a
``RaadpleegMetBurgerservicenummer`` query, the ``fields`` selection and the optional
``gemeenteVanInschrijving`` filter; errors as ``application/problem+json`` with
``invalidParams`` — and, like the municipalities' BRP gateways, refuses a request without
the purpose-binding headers (``x-doelbinding``, ``x-verwerking``, ``x-origin-oin``) or, when
it was started with one, without the right ``X-API-KEY``.

It serves a handful of the standard's test persons: persons of the RvIG "testset
persoonslijsten proefomgevingen GBA-V" (BSNs 9999xxxxx, published for the BRP API's
proef- and mock-environments), reduced to the fields Opstap asks for. They are not real
people.

Used by the tests (a fixture starts it on a free port), by the demo and by developers
(``manage.py brp_standin --port 8089``). For tests it can be slowed down (`delay`) or made to
fail (`fail_status`), and it records the requests it got (`received`).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["PATH", "TEST_PERSONS", "StandinState", "make_server", "running_standin"]

PATH = "/haalcentraal/api/brp/personen"
RFC7231 = "https://datatracker.ietf.org/doc/html/rfc7231"
REQUIRED_HEADERS = ("x-doelbinding", "x-verwerking", "x-origin-oin")


def _datum(iso: str) -> dict[str, str]:
    return {"type": "Datum", "datum": iso}


def _person(
    bsn: str,
    voornamen: str,
    geslachtsnaam: str,
    geboren: str,
    straat: str,
    huisnummer: int,
    postcode: str,
    woonplaats: str,
    gemeente: tuple[str, str],
    *,
    voorvoegsel: str = "",
    overleden: str = "",
) -> dict[str, Any]:
    naam: dict[str, Any] = {"voornamen": voornamen, "geslachtsnaam": geslachtsnaam}
    if voorvoegsel:
        naam["voorvoegsel"] = voorvoegsel
    person: dict[str, Any] = {
        "burgerservicenummer": bsn,
        "naam": naam,
        "geboorte": {"datum": _datum(geboren)},
        "verblijfplaats": {
            "type": "Adres",
            "verblijfadres": {
                "officieleStraatnaam": straat,
                "korteStraatnaam": straat,
                "huisnummer": huisnummer,
                "postcode": postcode,
                "woonplaats": woonplaats,
            },
        },
        "gemeenteVanInschrijving": {"code": gemeente[0], "omschrijving": gemeente[1]},
    }
    if overleden:
        person["overlijden"] = {"datum": _datum(overleden)}
    return person


DUIVEN = ("0226", "Duiven")
ROTTERDAM = ("0599", "Rotterdam")
DEN_HAAG = ("0518", "'s-Gravenhage")
ZONEGGE = ("Zonegge", 1, "6901KT", "Duiven")

#: Test persons of the RvIG GBA-V test set (2022-05-02 edition), as the BRP API returns them.
TEST_PERSONS: dict[str, dict[str, Any]] = {
    p["burgerservicenummer"]: p
    for p in (
        _person("999992041", "Marie", "Verstraten", "1994-11-29", *ZONEGGE, DUIVEN),
        _person("999991917", "Patricia", "Blijleven", "1968-01-25", *ZONEGGE, DUIVEN),
        _person("999994724", "Joost", "Verstraten", "1965-06-12", *ZONEGGE, DUIVEN),
        _person(
            "999993653", "Suzanne", "Moulin", "1985-12-01", "Boterdiep", 31, "3077AW",
            "Rotterdam", ROTTERDAM,
        ),
        _person(
            "999993872", "Peter-Jan", "Meijden", "1959-04-17", "Goudsesingel", 72, "3011KD",
            "Rotterdam", ROTTERDAM, voorvoegsel="van der",
        ),
        _person(
            "999993197", "Henk-Pieter", "Burg", "1998-02-27", "Stadhouderslaan", 39, "2517HV",
            "'s-Gravenhage", DEN_HAAG, voorvoegsel="van der", overleden="2019-04-28",
        ),
    )
}  # fmt: skip


@dataclass
class StandinState:
    persons: Mapping[str, dict[str, Any]] = field(default_factory=lambda: TEST_PERSONS)
    api_key: str = ""
    delay: float = 0.0  # seconds before answering (timeout tests)
    fail_status: int = 0  # answer every request with this status (outage tests)
    received: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _select(person: Mapping[str, Any], fields: list[str]) -> dict[str, Any]:
    """The `fields` selection: keep only the requested paths (a path to an object keeps the
    whole object)."""
    result: dict[str, Any] = {}
    for path in fields:
        parts = path.split(".")
        source: Any = person
        target = result
        for i, part in enumerate(parts):
            if not isinstance(source, Mapping) or part not in source:
                break
            if i == len(parts) - 1:
                target[part] = source[part]
            else:
                source = source[part]
                target = target.setdefault(part, {})
    return result


KNOWN_ROOTS = {
    "burgerservicenummer",
    "naam",
    "geboorte",
    "verblijfplaats",
    "gemeenteVanInschrijving",
    "overlijden",
    "geslacht",
    "leeftijd",
    "adressering",
    "nationaliteiten",
}


def _problem(
    status: int, title: str, detail: str = "", params: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"{RFC7231}#section-6.5.{1 if status == 400 else 3}",
        "title": title,
        "status": status,
        "instance": PATH,
    }
    if detail:
        body["detail"] = detail
    if params:
        body["invalidParams"] = params
    return body


def answer(
    state: StandinState, headers: Mapping[str, str], raw: bytes
) -> tuple[int, dict[str, Any]]:
    """The stand-in's answer to one POST: (status, JSON body)."""
    lower = {k.lower(): v for k, v in headers.items()}
    if state.api_key and lower.get("x-api-key") != state.api_key:
        return 401, _problem(401, "Niet correct geauthenticeerd.")
    missing = [h for h in REQUIRED_HEADERS if not lower.get(h, "").strip()]
    if missing:
        return 403, _problem(
            403,
            "U bent niet geautoriseerd voor deze operatie.",
            "Ontbrekende header(s) voor doelbinding en protocollering: " + ", ".join(missing),
        )
    if state.fail_status:
        return state.fail_status, _problem(state.fail_status, "Interne serverfout.")
    try:
        query = json.loads(raw or b"{}")
    except ValueError:
        return 400, _problem(400, "Ongeldige JSON.")
    params: list[dict[str, str]] = []
    if query.get("type") != "RaadpleegMetBurgerservicenummer":
        params.append(
            {"name": "type", "code": "value", "reason": "Waarde is geen geldig zoek type."}
        )
    bsns = query.get("burgerservicenummer")
    if not isinstance(bsns, list) or not 1 <= len(bsns) <= 20:
        params.append(
            {"name": "burgerservicenummer", "code": "required", "reason": "Parameter is verplicht."}
        )
        bsns = []
    for i, bsn in enumerate(bsns):
        if not (isinstance(bsn, str) and len(bsn) == 9 and bsn.isdigit()):
            params.append(
                {
                    "name": f"burgerservicenummer[{i}]",
                    "code": "pattern",
                    "reason": "Waarde voldoet niet aan patroon ^[0-9]{9}$.",
                }
            )
    fields = query.get("fields")
    if not isinstance(fields, list) or not 1 <= len(fields) <= 130:
        params.append({"name": "fields", "code": "required", "reason": "Parameter is verplicht."})
        fields = []
    for i, path in enumerate(fields):
        if not isinstance(path, str) or path.split(".")[0] not in KNOWN_ROOTS:
            params.append(
                {
                    "name": f"fields[{i}]",
                    "code": "field",
                    "reason": "Parameter bevat een niet bestaande veldnaam.",
                }
            )
    gemeente = query.get("gemeenteVanInschrijving", "")
    if gemeente and not (isinstance(gemeente, str) and len(gemeente) == 4 and gemeente.isdigit()):
        params.append(
            {
                "name": "gemeenteVanInschrijving",
                "code": "pattern",
                "reason": "Waarde voldoet niet aan patroon ^[0-9]{4}$.",
            }
        )
    if params:
        return 400, _problem(400, "Een of meerdere parameters zijn niet correct.", params=params)
    found = []
    for bsn in bsns:
        person = state.persons.get(bsn)
        if person is None:
            continue
        if gemeente and person["gemeenteVanInschrijving"]["code"] != gemeente:
            continue
        found.append(_select(person, fields))
    return 200, {"type": "RaadpleegMetBurgerservicenummer", "personen": found}


def _handler(state: StandinState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "OpstapBrpStandin/1"

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet: tests and the demo do not want a line per request

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            kind = "application/json" if status == 200 else "application/problem+json"
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path.rstrip("/") != PATH:
                self._send(404, _problem(404, "Opgevraagde resource bestaat niet."))
                return
            headers = {k: v for k, v in self.headers.items()}
            with state.lock:
                state.received.append({"headers": headers, "body": raw.decode(errors="replace")})
            if state.delay:
                time.sleep(state.delay)
            status, body = answer(state, headers, raw)
            try:
                self._send(status, body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                return

        def do_GET(self) -> None:
            self._send(405, _problem(405, "Methode niet toegestaan; gebruik POST."))

    return Handler


def make_server(
    host: str = "127.0.0.1", port: int = 0, state: StandinState | None = None
) -> ThreadingHTTPServer:
    """A server on `host:port` (port 0: a free one); `server.state` holds its state."""
    state = state or StandinState()
    server = ThreadingHTTPServer((host, port), _handler(state))
    server.daemon_threads = True
    server.state = state  # type: ignore[attr-defined]
    return server


@contextmanager
def running_standin(state: StandinState | None = None) -> Iterator[tuple[str, StandinState]]:
    """Run the stand-in in a thread on a free loopback port; yields (base URL, state)."""
    server = make_server(state=state)
    thread = threading.Thread(target=server.serve_forever, name="brp-standin", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    state_of: StandinState = server.state  # type: ignore[attr-defined]
    try:
        yield f"http://{host!s}:{port}/haalcentraal/api/brp", state_of
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
