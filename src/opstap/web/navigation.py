"""Navigation per role, as data: an item is shown when the user holds its permission.

Apps add their entries here (one line each); order is the order in the menu.
"""

from __future__ import annotations

from dataclasses import dataclass

from opstap.core.roles import Perm


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str


NAV_ITEMS: list[NavItem] = [
    NavItem("Start", "web:home", Perm.HOME_VIEW),
    NavItem("Meldingen", "notifications:list", Perm.HOME_VIEW),
    NavItem("Audittrail", "audit:list", Perm.AUDIT_VIEW),
    NavItem("Mijn caseload", "clients:caseload", Perm.CLIENT_VIEW),
    NavItem("Caseloadgrootte", "clients:caseload_sizes", Perm.CLIENT_CASELOAD_STATS),
    NavItem("Klanten importeren", "clients:import", Perm.CLIENT_IMPORT),
    NavItem("Instrumentengids", "guide:search", Perm.PRODUCT_SEARCH),
    NavItem("Aanbieders", "providers:list", Perm.PROVIDER_VIEW),
    NavItem("Prestatie-indicatoren", "indicators:overview", Perm.PROVIDER_VIEW),
    NavItem("Social return", "social_return:overview", Perm.SOCIAL_RETURN_VIEW),
    NavItem("Financiën", "finance:index", Perm.FINANCE_VIEW),
    NavItem("Sturing", "kpis:dashboard", Perm.STEERING_VIEW),
    NavItem("KPI-doelen", "kpis:targets", Perm.ADMIN_CONFIGURE),
    NavItem("Trajecten", "trajectories:list", Perm.TRAJECTORY_VIEW),
    NavItem("Mijn termijnen", "trajectories:deadlines", Perm.TRAJECTORY_VIEW),
    NavItem("Facturen", "invoices:list", Perm.INVOICE_VIEW),
    NavItem("Betaalbatches", "invoices:batches", Perm.INVOICE_APPROVE),
    NavItem("Reiskosten", "invoices:travel", Perm.TRAJECTORY_ORDER),
    NavItem("Mijn Opstap", "portal:home", Perm.PORTAL_VIEW),
    NavItem("Inzageverzoeken", "access_requests:list", Perm.ACCESS_REQUEST_HANDLE),
    NavItem("CBS-statistiek (SRG)", "reporting:srg_list", Perm.SRG_DELIVER),
    NavItem("Bewaartermijnen", "retention:page", Perm.RETENTION_MANAGE),
    NavItem("Mijn gegevens opvragen", "access_requests:portal_list", Perm.PORTAL_VIEW),
]
