"""Navigation per role, as data: an item is shown when the user may open its page.

There is one declaration of who may open a page: the view's own `permission_required(...)`
(read through `opstap.core.access.may_open`). A menu item therefore names only its label and
URL; it can never offer a page that answers 403, and a change of a view's permission moves the
menu with it (issue 14: "Betaalbatches" was linked for roles that then got a 403). The test
`web/tests/test_navigation.py` checks every role's menu against the access registry.

Apps add their entries here (one line each); order is the order in the menu.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    #: Deprecated and ignored: who may open the page is the view's declaration. Kept so that
    #: an entry written as (label, url, perm) still works; the navigation test checks that
    #: such a perm agrees with the view.
    perm: str | None = None


NAV_ITEMS: list[NavItem] = [
    NavItem("Start", "web:home"),
    NavItem("Mijn Opstap", "portal:home"),
    NavItem("Meldingen", "notifications:list"),
    NavItem("Mijn caseload", "clients:caseload"),
    NavItem("Mijn termijnen", "trajectories:deadlines"),
    NavItem("Vacatures", "matching:vacancy_list"),
    NavItem("Werkgevers", "matching:employer_list"),
    NavItem("Trajecten", "trajectories:list"),
    NavItem("Instrumentengids", "guide:search"),
    NavItem("Facturen", "invoices:list"),
    NavItem("Betaalbatches", "invoices:batches"),
    NavItem("Reiskosten", "invoices:travel"),
    NavItem("Aanbieders", "providers:list"),
    NavItem("Prestatie-indicatoren", "indicators:overview"),
    NavItem("Social return", "social_return:overview"),
    NavItem("Sturing", "kpis:dashboard"),
    NavItem("Financiën", "finance:index"),
    NavItem("Caseloadgrootte", "clients:caseload_sizes"),
    NavItem("Inzageverzoeken", "access_requests:list"),
    NavItem("Termijnen inzageverzoeken", "access_requests:deadlines"),
    NavItem("Klanten importeren", "clients:import"),
    NavItem("KPI-doelen", "kpis:targets"),
    NavItem("Gewichten passend werk", "matching:weights"),
    NavItem("CBS-statistiek (SRG)", "reporting:srg_list"),
    NavItem("Bewaartermijnen", "retention:page"),
    NavItem("Gebruikers", "users:list"),
    NavItem("Audittrail", "audit:list"),
    NavItem("Mijn gegevens opvragen", "access_requests:portal_list"),
]
