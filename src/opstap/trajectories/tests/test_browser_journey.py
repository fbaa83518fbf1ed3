"""Browser journey (R-TRJ-1..6, R-ABS-1): one code-3 trajectory end to end across two roles.
The case manager orders; the provider plans and holds the intake and submits a plan; the
case manager approves it; the provider starts, reports progress and absence and asks an
extension that the case manager approves; the provider completes, submits the final report
and records the warm handover. Every step is on the timeline and in the audit trail."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from opstap.audit.models import AuditRecord
from opstap.clients.models import ClientEvent
from opstap.conftest import browser_login
from opstap.trajectories.models import Trajectory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: An explicit "today" within the provider's contract (the fixtures contract it from 2024):
#: on the real date the journey would fail once the contract's terms run out (it did, with
#: the clock at 2028-06-01: the order was refused).
TODAY = dt.datetime(2026, 9, 15, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=True):
        yield


def _act(page: Any, action: str, fields: dict[str, str] | None = None) -> None:
    """Open the action's panel, fill its fields (by label) and submit it."""
    form = page.locator(f'form[data-action="{action}"]')
    form.locator("xpath=..").locator("summary").click()
    for label, value in (fields or {}).items():
        form.get_by_label(label, exact=False).first.fill(value)
    form.locator('button[type="submit"]').click()
    page.wait_for_load_state()
    error = page.locator("#trajectory-error")
    assert error.count() == 0, error.inner_text()


def test_code3_trajectory_end_to_end(  # type: ignore[no-untyped-def]
    page, browser, live_server, case_manager, provider_user_a, client_k, product3
) -> None:
    today = timezone.localdate()
    # --- the case manager orders -----------------------------------------------------------
    browser_login(page, "klantmanager")
    page.wait_for_url("**/")
    page.goto(f"/trajecten/bestellen/?client={client_k.pk}&product={product3.pk}")
    page.get_by_label("Afslag participatierotonde").select_option("regular")
    page.get_by_label("Verzuimrisico").select_option("elevated")
    page.get_by_role("button", name="Bestellen").click()
    page.wait_for_url("**/trajecten/*/")
    trajectory = Trajectory.objects.get()
    detail = f"/trajecten/{trajectory.pk}/"
    assert "Besteld" in page.locator("#trajectory-state").inner_text()

    # --- the provider plans and holds the intake and submits the plan ---------------------
    provider_context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    provider = provider_context.new_page()
    provider.set_default_timeout(10_000)
    browser_login(provider, "aanbieder-a")
    provider.wait_for_url("**/")
    provider.goto("/trajecten/")
    assert "Intake plannen" in provider.locator("#trajectories-table").inner_text()
    provider.goto(detail)
    _act(provider, "plan_intake", {"Datum intake": (today + dt.timedelta(days=3)).isoformat()})
    _act(provider, "hold_intake")
    _act(
        provider,
        "submit_plan",
        {
            "Doelen": "Werkritme van 24 uur\nHeftruckcertificaat",
            "Resultaatafspraken": "Stage binnen 2 maanden",
            "Inhoud": "Plan van aanpak na de intake",
        },
    )
    assert "Plan van aanpak ingediend" in provider.locator("#trajectory-state").inner_text()
    # The provider cannot approve its own plan: no such button.
    assert provider.locator('form[data-action="approve_plan"]').count() == 0

    # --- the case manager approves the plan -------------------------------------------------
    page.goto(detail)
    _act(page, "approve_plan")
    assert "goedgekeurd" in page.locator("#trajectory-state").inner_text()

    # --- the provider starts, reports progress and absence, asks an extension ------------
    provider.goto(detail)
    _act(provider, "start")
    assert "Lopend" in provider.locator("#trajectory-state").inner_text()
    _act(provider, "progress_report", {"Voortgang": "Goede voortgang; geen verzuim."})
    # Earlier this hour: absence cannot precede the order (placed today) nor lie ahead.
    this_hour = timezone.localtime().strftime("%Y-%m-%dT%H:00")
    _act(provider, "absence", {"Tijdstip": this_hour, "Reden van het verzuim": "Ziek"})
    assert "Ziek" in provider.locator("#trajectory-absences").inner_text()
    _act(provider, "request_extension", {"Reden": "Meer tijd nodig voor de stage"})
    assert "Verlenging aangevraagd" in provider.locator("#trajectory-state").inner_text()

    # --- the case manager approves the extension -------------------------------------------
    page.goto(detail)
    new_end = (today + dt.timedelta(days=300)).isoformat()
    _act(page, "approve_extension", {"Nieuwe geplande einddatum": new_end})
    assert "Lopend" in page.locator("#trajectory-state").inner_text()

    # --- the provider completes, submits the final report and the handover note ---------
    provider.goto(detail)
    _act(provider, "complete")
    _act(provider, "receive_final_report", {"Inhoud": "Doelen bereikt; advies jobcoaching."})
    _act(provider, "hand_over", {"Inhoud": "Warme overdracht met klant en klantmanager."})
    assert "Warm overgedragen" in provider.locator("#trajectory-state").inner_text()

    # --- every step is on the timeline and in the audit trail ------------------------------
    page.goto(detail)
    timeline = page.locator("#trajectory-timeline").inner_text()
    for label in (
        "Traject besteld",
        "Intake plannen",
        "Intake gehouden",
        "Plan van aanpak indienen",
        "Plan van aanpak goedkeuren",
        "Traject starten",
        "Document ingediend",
        "Verzuim gemeld",
        "Verlenging aanvragen",
        "Verlenging goedkeuren",
        "Traject afronden",
        "Eindrapportage ontvangen",
        "Warme overdracht vastleggen",
    ):
        assert label in timeline, label
    trajectory.refresh_from_db()
    assert trajectory.state == "handed_over"
    assert trajectory.planned_end_date == today + dt.timedelta(days=300)
    updates = AuditRecord.objects.filter(
        object_type="trajectory", object_id=str(trajectory.pk), action__in=["create", "update"]
    )
    assert updates.count() == 13  # order + 10 transitions + report + absence
    assert {r.actor_username for r in updates} == {"klantmanager", "aanbieder-a"}
    assert ClientEvent.objects.filter(client=client_k, source="trajectories").count() == 13

    # Accessibility smoke check of the trajectory page.
    page.add_script_tag(url=f"{live_server.url}/static/vendor/axe.min.js")
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})"
    )
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1)[:3000]
    provider_context.close()
