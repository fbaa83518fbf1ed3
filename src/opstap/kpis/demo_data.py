"""The steering part of the demo organisation, built through the services:

- the targets of the councils' assignment for 2021-2026 (spec section 8; R-KPI-7 from 2024);
- client-satisfaction survey waves (KBO 2024: 8.2 from the evaluation; the other waves are
  illustrative);
- Stichting Ontplooi as the labour-market-region (AMR/WSP) channel (illustrative);
- at demo scale, contact moments documented by case managers in the last months for part
  of the caseload, so that "actively guided" (R-KPI-1/5) shows realistic shares. At the
  bulk scales (city, national) only targets and waves are made.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import formulas as f
from .services import amr_provider_add, kpi_facts_rebuild, kpi_target_set, survey_wave_record

# (name, date, score, respondents, municipality name or "")
SURVEY_WAVES: list[tuple[str, dt.date, str, int, str]] = [
    ("KBO 2022", dt.date(2022, 10, 1), "7.8", 184, ""),
    ("KBO 2024", dt.date(2024, 10, 1), "8.2", 203, ""),
    ("KBO 2026 (voorjaar)", dt.date(2026, 4, 15), "8.1", 176, ""),
    ("KBO 2026 Zevenaar (najaar)", dt.date(2026, 10, 1), "7.6", 64, "Zevenaar"),
]
AMR_PROVIDER = "Stichting Ontplooi"
#: Share of the clients on steps 2b-5 / 1-2a with a documented contact moment (demo only).
CONTACT_SHARE = {"work": 0.62, "care": 0.12}


def build(ctx: Any) -> None:
    actor = ctx.users.get("beheerder")
    org = ctx.organisation
    for d in f.DEFINITIONS:
        for year in range(d.first_year, d.last_year + 1):
            kpi_target_set(
                actor=actor, organisation=org, kpi=d.code, year=year, target=d.default_target
            )
    for name, held_on, score, respondents, municipality in SURVEY_WAVES:
        if held_on > ctx.today:
            continue
        survey_wave_record(
            actor=actor,
            organisation=org,
            name=name,
            held_on=held_on,
            score=score,
            respondents=respondents,
            municipality=ctx.municipalities.get(municipality) if municipality else None,
        )
    provider = ctx.providers.get(AMR_PROVIDER)
    if provider is not None:
        amr_provider_add(actor=actor, organisation=org, provider=provider)
    contacts = 0 if ctx.scale != "demo" else _contact_moments(ctx)
    # The KPI facts per client and month (issue 18): built once over what the steps before
    # generated in bulk; from here on every write keeps them current.
    kpi_facts_rebuild(organisation_id=org.pk, today=ctx.today)
    ctx.log(
        f"Sturing: doelen {min(d.first_year for d in f.DEFINITIONS)}-"
        f"{max(d.last_year for d in f.DEFINITIONS)}, {len(SURVEY_WAVES)} metingen "
        f"klanttevredenheid, {contacts} vastgelegde contactmomenten."
    )


def _contact_moments(ctx: Any) -> int:
    from opstap.clients.selectors import organisation_clients
    from opstap.clients.services import client_event_record

    rng = ctx.rng
    now = ctx.now
    count = 0
    clients = (
        organisation_clients(organisation_id=ctx.organisation.pk)
        .filter(case_manager__isnull=False)
        .select_related("case_manager")
        .order_by("id")
    )
    for client in clients:
        if client.ladder_step in f.WORK_GUIDANCE_STEPS:
            share = CONTACT_SHARE["work"]
        elif client.ladder_step in f.CARE_GUIDANCE_STEPS:
            share = CONTACT_SHARE["care"]
        else:
            continue
        if rng.random() >= share:
            continue
        client_event_record(
            client=client,
            kind="other",
            summary=rng.choice(
                ["Voortgangsgesprek", "Huisbezoek", "Telefonisch contact", "Werkgesprek"]
            ),
            actor=client.case_manager,
            occurred_at=now - dt.timedelta(days=rng.randint(1, 85), hours=rng.randint(0, 8)),
        )
        count += 1
    return count
