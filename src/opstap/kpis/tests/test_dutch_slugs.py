"""The KPI pages' addresses are Dutch; the English ones redirect (R-KPI, section 8).

Found in the user walk of session 19: the KPI pages lived at English addresses that users
see, bookmark and mail around (/sturing/kpi/active-guidance-work/). The Dutch slugs of
`formulas.SLUGS_NL` are now the addresses every link uses; an English one answers with a
permanent redirect to the Dutch one, its query kept, so old bookmarks keep working. The codes
stay the identifiers of the data and of the API (which has no KPI in an address).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from opstap.kpis.formulas import DEFINITIONS, SLUGS_NL, KpiCode, code_for_slug

from .conftest import World

#: The addresses as published: a change here breaks users' bookmarks.
PUBLISHED = {
    KpiCode.ACTIVE_GUIDANCE_WORK: "actieve-begeleiding-naar-werk",
    KpiCode.WERKFIT: "werkfit",
    KpiCode.PLACEMENTS: "plaatsingen",
    KpiCode.PLACEMENTS_LDR_NBW: "plaatsingen-doelgroepregister-nbw",
    KpiCode.PLACEMENTS_AMR: "plaatsingen-arbeidsmarktregio",
    KpiCode.DURABLE_PLACEMENTS: "duurzame-plaatsingen",
    KpiCode.ACTIVE_GUIDANCE_CARE: "actieve-begeleiding-naar-participatie",
    KpiCode.SATISFACTION: "klanttevredenheid",
    KpiCode.LKS_GROWTH: "groei-loonkostensubsidie",
}


def test_every_kpi_has_one_short_stable_dutch_slug() -> None:
    """R-KPI: one slug per KPI, unique, lower-case words with hyphens, at most 40 characters,
    exactly the published table; each reads back to its KPI."""
    assert SLUGS_NL == PUBLISHED
    assert set(SLUGS_NL) == {d.code for d in DEFINITIONS}
    assert len(set(SLUGS_NL.values())) == len(SLUGS_NL)
    for code, slug in SLUGS_NL.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", slug) and len(slug) <= 40
        assert code_for_slug(slug) is code
    assert code_for_slug("onbekend") is None


def _login(user: Any) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _kpi_links(html: str) -> set[str]:
    return set(re.findall(r'href="/sturing/kpi/([^/"]+)/', html))


def test_every_link_uses_the_dutch_address(world: World, steering_cm: Any) -> None:
    """R-KPI: the dashboard's cards link to the Dutch addresses (query kept), and so do the
    KPI page's drill-down links and the drill-down's way back."""
    http = _login(steering_cm)
    dashboard = http.get(reverse("kpis:dashboard"), {"jaar": 2026}).content.decode()
    assert _kpi_links(dashboard) == set(PUBLISHED.values())
    assert 'href="/sturing/kpi/actieve-begeleiding-naar-werk/?jaar=2026"' in dashboard
    detail = http.get("/sturing/kpi/actieve-begeleiding-naar-werk/", {"jaar": 2026})
    assert detail.status_code == 200
    html = detail.content.decode()
    assert 'href="/sturing/kpi/actieve-begeleiding-naar-werk/klanten/?jaar=2026&amp;deel=' in html
    assert _kpi_links(html) == {"actieve-begeleiding-naar-werk"}
    drill = http.get("/sturing/kpi/actieve-begeleiding-naar-werk/klanten/", {"deel": "teller"})
    assert drill.status_code == 200
    assert _kpi_links(drill.content.decode()) == {"actieve-begeleiding-naar-werk"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/sturing/kpi/active-guidance-work/", "/sturing/kpi/actieve-begeleiding-naar-werk/"),
        (
            "/sturing/kpi/placements-ldr-nbw/?jaar=2025&gemeente=1",
            "/sturing/kpi/plaatsingen-doelgroepregister-nbw/?jaar=2025&gemeente=1",
        ),
        ("/sturing/kpi/lks-growth/?jaar=abc", "/sturing/kpi/groei-loonkostensubsidie/?jaar=abc"),
        (
            "/sturing/kpi/active-guidance-care/klanten/?deel=noemer&pagina=2",
            "/sturing/kpi/actieve-begeleiding-naar-participatie/klanten/?deel=noemer&pagina=2",
        ),
    ],
)
def test_an_english_address_redirects_permanently_to_the_dutch_one(
    world: World, steering_cm: Any, old: str, new: str
) -> None:
    """R-KPI: a bookmark of the English address still works: 301 to the Dutch one, with the
    same query."""
    response = _login(steering_cm).get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_werkfit_is_its_own_dutch_address_and_an_unknown_one_is_a_dutch_404(
    world: World, policy_officer: Any
) -> None:
    """R-KPI: 'werkfit' is Dutch already (no redirect); an unknown slug is the Dutch 404."""
    http = _login(policy_officer)
    assert http.get("/sturing/kpi/werkfit/").status_code == 200
    missing = http.get("/sturing/kpi/bestaat-niet/")
    assert missing.status_code == 404
    assert "Pagina niet gevonden" in missing.content.decode()


def test_the_api_keeps_its_codes(
    world: World, policy_officer: Any, api_as: Callable[..., Any]
) -> None:
    """R-INT-1: GET /api/v1/kpis names each KPI by its code, as before (no KPI address)."""
    body = api_as(policy_officer).get("/api/v1/kpis", {"year": 2026}).json()
    assert {k["code"] for k in body["kpis"]} == {c.value for c in KpiCode}
