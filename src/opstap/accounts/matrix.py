"""The permission matrix as documentation (R-SEC-1): generated from roles.py into
docs/access.md by `manage.py access_matrix`; a test fails when the file is out of date."""

from __future__ import annotations

from pathlib import Path

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
    RoleCode.CONTRACT_MANAGER: "alle aanbieders, contracten en facturen van de organisatie",
    RoleCode.POLICY_OFFICER: "geaggregeerde cijfers; geen individuele klantdossiers",
    RoleCode.FINANCE_CLERK: "facturen en aanbieders van de organisatie",
    RoleCode.PROVIDER_STAFF: (
        "alleen de eigen aanbieder; klanten met een traject bij die aanbieder zolang het loopt "
        "plus de rapportage-/factuurperiode"
    ),
    RoleCode.RESIDENT: "alleen de eigen gegevens (gekoppelde klant)",
    RoleCode.APP_ADMIN: "configuratie en gebruikers van de eigen organisatie; geen dossierinhoud",
    RoleCode.AUDITOR: "de audittrail van de eigen organisatie",
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
    lines += ["", END]
    return "\n".join(lines)


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
