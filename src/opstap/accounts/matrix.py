"""The permission matrix (R-SEC-1): generated from roles.py and the visibility table below
into docs/access.md by `manage.py access_matrix`; a test fails when the file is out of date.

`VISIBILITY` is the single truth of which rows of each client-bearing kind a role reads: the
test `accounts/tests/test_visibility_matrix.py` builds data for every role, derives the
expected rows from this table and compares them with what the scopes, pages and API return
(issue 19). Change the code and this table together."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings

from opstap.core.roles import DEFAULT_ROLE_PERMISSIONS, PERM_NAMES_NL, ROLE_NAMES_NL, Perm, RoleCode

BEGIN = "<!-- BEGIN GENERATED: manage.py access_matrix (do not edit by hand) -->"
END = "<!-- END GENERATED -->"

# Which rows a role sees for the permissions it holds (applied by the scope policies that
# each app registers with `core.access.register_scope`). Organisation is always applied.
ROLE_SCOPE_NL: dict[RoleCode, str] = {
    RoleCode.CASE_MANAGER: (
        "klanten van de eigen unit/caseload; trajecten en facturen van die klanten"
    ),
    RoleCode.INCOME_COACH: "klanten die aan hem of haar zijn toegewezen",
    RoleCode.CONTRACT_MANAGER: (
        "alle aanbieders, contracten en facturen van de organisatie; trajecten met hun "
        "procesverloop (geschiedenis, termijnen), geen rapportages, verzuim of resultaten"
    ),
    RoleCode.POLICY_OFFICER: "geaggregeerde cijfers; geen individuele klantdossiers",
    RoleCode.FINANCE_CLERK: (
        "facturen en aanbieders van de organisatie; van trajecten alleen het factuurbewijs "
        "(offerte, eindrapportage, presentie, resultaat), geen voortgangsrapportages of verzuim"
    ),
    RoleCode.PROVIDER_STAFF: (
        "alleen de eigen aanbieder; klanten met een traject bij die aanbieder zolang het loopt "
        "plus de rapportage-/factuurperiode"
    ),
    RoleCode.RESIDENT: "alleen de eigen gegevens (gekoppelde klant)",
    RoleCode.APP_ADMIN: (
        "configuratie en gebruikers van de eigen organisatie; geen dossierinhoud en geen "
        "audittrail; handelen als een ander alleen met diens eigen toestemming en nooit als "
        "klantmanager, inkomenscoach of auditor"
    ),
    RoleCode.AUDITOR: "de audittrail van de eigen organisatie",
    RoleCode.SOCIAL_RETURN_COORDINATOR: (
        "social return van alle aanbieders; een klant in een bouwblok alleen herkenbaar "
        "binnen de eigen klantscope (anders afgeschermd), bewijsstukken ter verificatie"
    ),
    RoleCode.EMPLOYER_ADVISER: (
        "werkgevers en vacatures van de organisatie; als kandidaat alleen klanten van wie de "
        "klantmanager het werkprofiel met het WSP deelde (geen dossier)"
    ),
    RoleCode.PRIVACY_OFFICER: (
        "termijnen van alle inzageverzoeken van de organisatie (kenmerk, ontvangst, uiterste "
        "datum, status, behandelaar); geen namen van verzoekers en geen dossierinhoud"
    ),
}


class Reach(StrEnum):
    """How far a role reads rows of one kind (the organisation filter always applies)."""

    ALL = "all"
    UNIT_OR_CASELOAD = "unit_or_caseload"
    ASSIGNED = "assigned"
    OWN_PROVIDER_WINDOW = "own_provider_window"
    SELF = "self"
    SHARED_WITH_WSP = "shared_with_wsp"
    NONE = "none"


REACH_NL: dict[Reach, str] = {
    Reach.ALL: "alle (organisatie)",
    Reach.UNIT_OR_CASELOAD: "eigen unit + caseload",
    Reach.ASSIGNED: "toegewezen klanten",
    Reach.OWN_PROVIDER_WINDOW: "eigen aanbieder, looptijd + periode",
    Reach.SELF: "alleen zichzelf",
    Reach.SHARED_WITH_WSP: "met het WSP gedeeld werkprofiel",
    Reach.NONE: "·",
}

#: The client-bearing kinds of data, in the order of the table (code, Dutch name).
KINDS_NL: dict[str, str] = {
    "client": "klantdossier",
    "trajectory": "traject (kopgegevens)",
    "progress_report": "voortgangsrapportage, plan e.d.",
    "final_report": "eindrapportage en offerte (factuurbewijs)",
    "absence": "verzuim (met reden)",
    "appointment": "afspraken / presentie",
    "outcome": "resultaat (plaatsing)",
}

_NONE_ROW = dict.fromkeys(KINDS_NL, Reach.NONE)
_CM = dict.fromkeys(KINDS_NL, Reach.UNIT_OR_CASELOAD)
_PROVIDER = dict.fromkeys(KINDS_NL, Reach.OWN_PROVIDER_WINDOW)
_RESIDENT = dict.fromkeys(KINDS_NL, Reach.SELF)

VISIBILITY: dict[RoleCode, dict[str, Reach]] = {
    RoleCode.CASE_MANAGER: _CM,
    RoleCode.INCOME_COACH: {**_NONE_ROW, "client": Reach.ASSIGNED},
    RoleCode.CONTRACT_MANAGER: {**_NONE_ROW, "trajectory": Reach.ALL},
    RoleCode.POLICY_OFFICER: _NONE_ROW,
    RoleCode.FINANCE_CLERK: {
        **_NONE_ROW,
        "trajectory": Reach.ALL,
        "final_report": Reach.ALL,
        "appointment": Reach.ALL,
        "outcome": Reach.ALL,
    },
    RoleCode.PROVIDER_STAFF: _PROVIDER,
    RoleCode.RESIDENT: _RESIDENT,
    RoleCode.APP_ADMIN: _NONE_ROW,
    RoleCode.AUDITOR: _NONE_ROW,
    RoleCode.SOCIAL_RETURN_COORDINATOR: _NONE_ROW,
    RoleCode.EMPLOYER_ADVISER: {**_NONE_ROW, "client": Reach.SHARED_WITH_WSP},
    RoleCode.PRIVACY_OFFICER: _NONE_ROW,
}


_ROLE_ABBR: dict[RoleCode, str] = {
    RoleCode.CASE_MANAGER: "KM",
    RoleCode.INCOME_COACH: "IC",
    RoleCode.CONTRACT_MANAGER: "CM",
    RoleCode.POLICY_OFFICER: "BM",
    RoleCode.FINANCE_CLERK: "ADM",
    RoleCode.PROVIDER_STAFF: "AANB",
    RoleCode.RESIDENT: "INW",
    RoleCode.APP_ADMIN: "FB",
    RoleCode.AUDITOR: "AUD",
    RoleCode.SOCIAL_RETURN_COORDINATOR: "SRC",
    RoleCode.EMPLOYER_ADVISER: "WGA",
    RoleCode.PRIVACY_OFFICER: "PF",
}


def render_matrix() -> str:
    """The generated block (between the markers) of docs/access.md."""
    roles = list(RoleCode)
    lines = [BEGIN, "", "### Rollen en hun scope", ""]
    lines += ["| afk. | rol (code) | naam | scope |", "|---|---|---|---|"]
    for role in roles:
        lines.append(
            f"| {_ROLE_ABBR.get(role, role.value)} | `{role.value}` | {ROLE_NAMES_NL[role]} | "
            f"{ROLE_SCOPE_NL.get(role, '—')} |"
        )
    lines += ["", "### Zichtbaarheid per rol en soort gegeven", ""]
    lines += [
        "Welke rijen een rol leest (de test `test_visibility_matrix.py` bouwt gegevens voor "
        "elke rol en vergelijkt deze tabel met wat scopes, pagina's en API teruggeven).",
        "",
    ]
    lines += ["| gegeven | " + " | ".join(_ROLE_ABBR.get(r, r.value) for r in roles) + " |"]
    lines += ["|---|" + "---|" * len(roles)]
    for kind, name in KINDS_NL.items():
        cells = [REACH_NL[VISIBILITY[r][kind]] for r in roles]
        lines.append(f"| {name} (`{kind}`) | " + " | ".join(cells) + " |")
    lines += ["", "### Rechten per rol (standaard; beheer kan rollen aanpassen)", ""]
    header = "| recht | omschrijving | " + " | ".join(_ROLE_ABBR.get(r, r.value) for r in roles)
    lines += [header + " |", "|---|---|" + "---|" * len(roles)]
    for perm in Perm:
        cells = [
            "✓" if perm in DEFAULT_ROLE_PERMISSIONS.get(r, frozenset()) else "·" for r in roles
        ]
        lines.append(
            f"| `{perm.value}` | {PERM_NAMES_NL.get(perm, '')} | " + " | ".join(cells) + " |"
        )
    lines += ["", *render_api_operations(roles), "", END]
    return "\n".join(lines)


_REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
_ROUTE_PARAM = re.compile(r"<(?:\w+:)?(?P<name>\w+)>")
_METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _api_operations() -> list[tuple[str, str, Any]]:
    """(path, method, access declaration) of every operation under /api/v1/, from the URL
    resolver (the same views the access-matrix test requests)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    from opstap.core.access import required_perms_for, view_access_declaration

    def walk(resolver: URLResolver, prefix: str) -> list[tuple[str, URLPattern]]:
        found: list[tuple[str, URLPattern]] = []
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                found += walk(pattern, prefix + str(pattern.pattern))
            else:
                found.append((prefix + str(pattern.pattern), pattern))
        return found

    operations: list[tuple[str, str, Any]] = []
    for route, pattern in walk(get_resolver(), ""):
        path = "/" + _ROUTE_PARAM.sub(r"{\g<name>}", _REGEX_PARAM.sub(r"{\g<name>}", route))
        path = path.replace("^", "").replace("$", "").replace("\\", "")
        view_class = getattr(pattern.callback, "cls", None)
        if not path.startswith("/api/") or view_class is None:
            continue
        actions = getattr(pattern.callback, "actions", None) or {
            m: None for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)
        }
        declaration = view_access_declaration(pattern.callback)
        for method, action in actions.items():
            if method.upper() not in _METHOD_ORDER:
                continue  # DRF adds HEAD to `actions` after the first GET
            if declaration is None:
                perms: Any = None
            elif declaration[0] == "public":
                perms = "public"
            elif declaration[0] == "api":
                perms = required_perms_for(declaration[1], action, method.upper())
            else:
                perms = tuple(declaration[1])
            operations.append((path, method.upper(), perms))
    return sorted(set(operations), key=lambda op: (op[0], _METHOD_ORDER.index(op[1]), str(op[2])))


def render_api_operations(roles: list[RoleCode]) -> list[str]:
    """One row per API operation: the permissions it asks and the roles holding them by
    default (R-SEC-1, R-INT-1). Objects outside the caller's scope are 404 on top of this."""
    lines = [
        "### API-operaties (`/api/v1/`)",
        "",
        "| operatie | vereist recht | rollen (standaard) |",
        "|---|---|---|",
    ]
    for path, method, perms in _api_operations():
        if perms == "public":
            needed, who = "openbaar", "iedereen"
        elif perms is None:
            needed, who = "**niet gedeclareerd**", "—"
        else:
            needed = ", ".join(f"`{p}`" for p in perms) or "ingelogd"
            holders = [
                _ROLE_ABBR.get(r, r.value)
                for r in roles
                if set(perms) <= DEFAULT_ROLE_PERMISSIONS.get(r, frozenset())
            ]
            who = ", ".join(holders) or "—"
        lines.append(f"| `{method} {path}` | {needed} | {who} |")
    return lines


def docs_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "access.md"


def updated_document(current: str) -> str:
    """`current` with its generated block replaced (or appended when missing)."""
    block = render_matrix()
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        _old, tail = rest.split(END, 1)
        return head + block + tail
    return current.rstrip() + "\n\n" + block + "\n"
