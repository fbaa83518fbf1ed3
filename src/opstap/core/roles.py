"""Role codes and the default permission matrix (R-SEC-1), as plain data.

The matrix is *seed data*: a data migration copies it into `Role.permissions`, where the
application administrator can change it. Code asks `user.has_opstap_perm(...)`, never a role
name. The *scope* of a permission (own unit, own provider, only self) is applied by the
scope policies in `opstap.core.access`; `docs/access.md` shows the full matrix.
"""

from __future__ import annotations

from enum import StrEnum


class RoleCode(StrEnum):
    CASE_MANAGER = "case_manager"  # klantmanager / regisseur
    INCOME_COACH = "income_coach"  # inkomenscoach
    CONTRACT_MANAGER = "contract_manager"  # contractmanager
    POLICY_OFFICER = "policy_officer"  # beleidsmedewerker / management
    FINANCE_CLERK = "finance_clerk"  # administratie
    PROVIDER_STAFF = "provider_staff"  # aanbieder-medewerker
    RESIDENT = "resident"  # inwoner
    APP_ADMIN = "app_admin"  # functioneel beheerder
    AUDITOR = "auditor"
    SOCIAL_RETURN_COORDINATOR = "social_return_coordinator"  # social-return-coördinator
    EMPLOYER_ADVISER = "employer_adviser"  # werkgeversadviseur (WSP accountmanager)
    PRIVACY_OFFICER = "privacy_officer"  # privacyfunctionaris (coördineert AVG-verzoeken)


ROLE_NAMES_NL: dict[RoleCode, str] = {
    RoleCode.CASE_MANAGER: "Klantmanager / regisseur",
    RoleCode.INCOME_COACH: "Inkomenscoach",
    RoleCode.CONTRACT_MANAGER: "Contractmanager",
    RoleCode.POLICY_OFFICER: "Beleidsmedewerker / management",
    RoleCode.FINANCE_CLERK: "Administratie",
    RoleCode.PROVIDER_STAFF: "Medewerker aanbieder",
    RoleCode.RESIDENT: "Inwoner",
    RoleCode.APP_ADMIN: "Functioneel beheerder",
    RoleCode.AUDITOR: "Auditor",
    RoleCode.SOCIAL_RETURN_COORDINATOR: "Social-return-coördinator",
    RoleCode.EMPLOYER_ADVISER: "Werkgeversadviseur (WSP)",
    RoleCode.PRIVACY_OFFICER: "Privacyfunctionaris",
}

STAFF_ROLES = frozenset(RoleCode) - {RoleCode.RESIDENT}


class Perm(StrEnum):
    """Permission codes. Names are `<area>.<action>`; Dutch descriptions in PERM_NAMES_NL."""

    HOME_VIEW = "home.view"
    MUNICIPALITY_VIEW = "municipalities.view"
    CLIENT_VIEW = "clients.view"
    CLIENT_CHANGE = "clients.change"
    CLIENT_IMPORT = "clients.import"
    CLIENT_CASELOAD_STATS = "clients.caseload_stats"
    PROVIDER_VIEW = "providers.view"
    PROVIDER_MANAGE = "providers.manage"
    PROVIDER_SIGNAL = "providers.signal"
    PRODUCT_SEARCH = "products.search"
    TRAJECTORY_VIEW = "trajectories.view"
    TRAJECTORY_ORDER = "trajectories.order"
    INVOICE_VIEW = "invoices.view"
    INVOICE_APPROVE = "invoices.approve"
    FINANCE_VIEW = "finance.view"
    FINANCE_EDIT = "finance.edit"
    STEERING_VIEW = "steering.view"
    AUDIT_VIEW = "audit.view"
    ADMIN_CONFIGURE = "admin.configure"
    PORTAL_VIEW = "portal.view"
    PRODUCT_PROPOSE = "products.propose"
    ACCESS_REQUEST_HANDLE = "access_requests.handle"
    ACCESS_REQUEST_OVERSEE = "access_requests.oversee"
    SRG_DELIVER = "srg.deliver"
    RETENTION_MANAGE = "retention.manage"
    BANK_ACCOUNT_MANAGE = "providers.bank_accounts"
    BRP_LOOKUP = "clients.brp_lookup"
    SOCIAL_RETURN_VIEW = "social_return.view"
    SOCIAL_RETURN_REPORT = "social_return.report"
    SOCIAL_RETURN_COORDINATE = "social_return.coordinate"
    VACANCY_VIEW = "vacancies.view"
    VACANCY_MANAGE = "vacancies.manage"
    MATCH_PROPOSE = "matching.propose"
    USERS_MANAGE = "users.manage"


PERM_NAMES_NL: dict[Perm, str] = {
    Perm.HOME_VIEW: "Startpagina bekijken",
    Perm.MUNICIPALITY_VIEW: "Gemeenten bekijken",
    Perm.CLIENT_VIEW: "Klantdossiers bekijken (binnen de eigen scope)",
    Perm.CLIENT_CHANGE: "Klantdossiers wijzigen (trede, overdracht, budget)",
    Perm.CLIENT_IMPORT: "Klanten importeren uit de uitkeringsadministratie",
    Perm.CLIENT_CASELOAD_STATS: "Caseloadgrootte per klantmanager en unit zien",
    Perm.PROVIDER_VIEW: "Aanbieders bekijken (binnen de eigen scope)",
    Perm.PROVIDER_MANAGE: "Aanbieders, contracten en producten beheren",
    Perm.PROVIDER_SIGNAL: "Signaal van ontevredenheid registreren",
    Perm.PRODUCT_SEARCH: "Instrumentengids doorzoeken",
    Perm.TRAJECTORY_VIEW: "Trajecten bekijken (binnen de eigen scope)",
    Perm.TRAJECTORY_ORDER: "Trajecten bestellen en beoordelen",
    Perm.INVOICE_VIEW: "Facturen bekijken (binnen de eigen scope)",
    Perm.INVOICE_APPROVE: "Facturen goedkeuren en betalen",
    Perm.FINANCE_VIEW: "Financiële modellen bekijken",
    Perm.FINANCE_EDIT: "Financiële scenario's opslaan en wijzigen",
    Perm.STEERING_VIEW: "Sturingsinformatie (KPI's) bekijken",
    Perm.AUDIT_VIEW: "Audittrail doorzoeken en exporteren",
    Perm.ADMIN_CONFIGURE: "Configuratie, gebruikers en referentiegegevens beheren",
    Perm.PORTAL_VIEW: "Klantportaal gebruiken (alleen eigen gegevens)",
    Perm.PRODUCT_PROPOSE: "Productwijzigingen voorstellen (eigen aanbieder)",
    Perm.ACCESS_REQUEST_HANDLE: "Inzageverzoeken registreren en afhandelen (binnen de eigen scope)",
    Perm.ACCESS_REQUEST_OVERSEE: (
        "Termijnen van alle inzageverzoeken van de organisatie bewaken (kenmerk, data, status, "
        "behandelaar; geen namen of dossierinhoud)"
    ),
    Perm.SRG_DELIVER: "CBS-statistiek re-integratie (SRG) samenstellen en als verzonden markeren",
    Perm.RETENTION_MANAGE: "Bewaartermijnen, proefrun en bewaarplicht (legal hold) beheren",
    Perm.BANK_ACCOUNT_MANAGE: (
        "Bankrekeningen van aanbieders wijzigen en (als tweede persoon) bevestigen"
    ),
    Perm.BRP_LOOKUP: "Persoonsgegevens in de BRP opvragen bij het inschrijven van een klant",
    Perm.SOCIAL_RETURN_VIEW: "Social return-monitor bekijken (aanbieder: alleen de eigen)",
    Perm.SOCIAL_RETURN_REPORT: (
        "Plan van aanpak indienen en bouwblokken registreren (eigen aanbieder)"
    ),
    Perm.SOCIAL_RETURN_COORDINATE: (
        "Social return coördineren: plannen beoordelen, bouwblokken verifiëren, jaar afsluiten"
    ),
    Perm.VACANCY_VIEW: "Werkgevers en vacatures bekijken",
    Perm.VACANCY_MANAGE: "Werkgevers en vacatures beheren en importeren",
    Perm.MATCH_PROPOSE: (
        "Passend werk en kandidaten zien (binnen de eigen scope), voordragen, kennismaking en "
        "plaatsing vastleggen"
    ),
    Perm.USERS_MANAGE: (
        "Medewerkers van de eigen organisatie aanmaken, hun rollen wijzigen en accounts "
        "(de)activeren"
    ),
}

_STAFF_BASE = {Perm.HOME_VIEW, Perm.MUNICIPALITY_VIEW}

DEFAULT_ROLE_PERMISSIONS: dict[RoleCode, frozenset[Perm]] = {
    RoleCode.CASE_MANAGER: frozenset(
        _STAFF_BASE
        | {
            Perm.CLIENT_VIEW,
            Perm.CLIENT_CHANGE,
            Perm.PROVIDER_VIEW,
            Perm.PROVIDER_SIGNAL,
            Perm.PRODUCT_SEARCH,
            Perm.TRAJECTORY_VIEW,
            Perm.TRAJECTORY_ORDER,
            Perm.INVOICE_VIEW,
            Perm.ACCESS_REQUEST_HANDLE,
            Perm.BRP_LOOKUP,
            Perm.VACANCY_VIEW,
            Perm.MATCH_PROPOSE,
        }
    ),
    RoleCode.INCOME_COACH: frozenset(
        _STAFF_BASE
        | {
            Perm.CLIENT_VIEW,
            Perm.PRODUCT_SEARCH,
            Perm.PROVIDER_SIGNAL,
        }
    ),
    RoleCode.CONTRACT_MANAGER: frozenset(
        _STAFF_BASE
        | {
            Perm.PROVIDER_VIEW,
            Perm.PROVIDER_MANAGE,
            Perm.PRODUCT_SEARCH,
            Perm.INVOICE_VIEW,
            Perm.TRAJECTORY_VIEW,
            Perm.BANK_ACCOUNT_MANAGE,
            Perm.SOCIAL_RETURN_VIEW,
        }
    ),
    RoleCode.POLICY_OFFICER: frozenset(
        _STAFF_BASE
        | {
            Perm.CLIENT_CASELOAD_STATS,
            Perm.PROVIDER_VIEW,
            Perm.PRODUCT_SEARCH,
            Perm.FINANCE_VIEW,
            Perm.FINANCE_EDIT,
            Perm.STEERING_VIEW,
        }
    ),
    RoleCode.FINANCE_CLERK: frozenset(
        _STAFF_BASE
        | {
            Perm.PROVIDER_VIEW,
            Perm.INVOICE_VIEW,
            Perm.INVOICE_APPROVE,
            Perm.TRAJECTORY_VIEW,
            Perm.BANK_ACCOUNT_MANAGE,
        }
    ),
    RoleCode.PROVIDER_STAFF: frozenset(
        {
            Perm.HOME_VIEW,
            Perm.PROVIDER_VIEW,
            Perm.TRAJECTORY_VIEW,
            Perm.INVOICE_VIEW,
            Perm.PRODUCT_PROPOSE,
            Perm.SOCIAL_RETURN_VIEW,
            Perm.SOCIAL_RETURN_REPORT,
        }
    ),
    RoleCode.RESIDENT: frozenset({Perm.PORTAL_VIEW}),
    RoleCode.APP_ADMIN: frozenset(
        _STAFF_BASE
        | {
            Perm.ADMIN_CONFIGURE,
            Perm.CLIENT_IMPORT,
            Perm.SRG_DELIVER,
            Perm.RETENTION_MANAGE,
            Perm.USERS_MANAGE,
            Perm.PROVIDER_VIEW,
            Perm.PRODUCT_SEARCH,
        }
    ),
    RoleCode.AUDITOR: frozenset(_STAFF_BASE | {Perm.AUDIT_VIEW}),
    # R-NET-10: assesses plans of approach and verifies realised blocks; a contract manager
    # may hold this role as well (roles add up).
    RoleCode.SOCIAL_RETURN_COORDINATOR: frozenset(
        _STAFF_BASE
        | {
            Perm.PROVIDER_VIEW,
            Perm.SOCIAL_RETURN_VIEW,
            Perm.SOCIAL_RETURN_COORDINATE,
        }
    ),
    # The employer service point's account manager (issue 15, R-MAT): employers and
    # vacancies, and candidates among the clients whose work profile the case manager shared
    # with the WSP (no dossier: no CLIENT_VIEW).
    RoleCode.EMPLOYER_ADVISER: frozenset(
        _STAFF_BASE | {Perm.VACANCY_VIEW, Perm.VACANCY_MANAGE, Perm.MATCH_PROPOSE}
    ),
    # The privacy officer (privacyfunctionaris) watches that every access request of the
    # organisation is answered in time (AVG art. 12(3)), also when the case manager is absent
    # or the request has no dossier. Need-to-know: the deadlines, not who asked or the dossier
    # (no CLIENT_VIEW, no ACCESS_REQUEST_HANDLE); the handling case manager answers.
    RoleCode.PRIVACY_OFFICER: frozenset(_STAFF_BASE | {Perm.ACCESS_REQUEST_OVERSEE}),
}
