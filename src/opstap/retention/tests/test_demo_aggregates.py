"""R-SEC-4 on the demo organisation (built as on DEMO_TODAY): anonymising every closed
dossier leaves the aggregates unchanged — the KPI counts, the providers' indicators, the
finance figures (premiums, caseload per municipality), the invoice totals and the SRG
delivery already made (its file and checksum) — while the dossiers lose BSN, names,
address and free texts. The demo also holds a retention dry run."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, Sum

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.core.retention import PLACEHOLDER
from opstap.demo import generator
from opstap.finance import selectors as finance_selectors
from opstap.indicators import selectors as indicator_selectors
from opstap.indicators.computation import Period
from opstap.invoices.models import Invoice
from opstap.kpis import selectors as kpi_selectors
from opstap.kpis.selectors import KpiFilters
from opstap.reporting.models import SrgDelivery
from opstap.retention.models import RetentionDone, RetentionRun
from opstap.retention.services import retention_run

pytestmark = pytest.mark.django_db


def _totals(today: dt.date) -> dict[str, Any]:
    policy = User.objects.get(username="beleid")
    contract = User.objects.get(username="contractmanager")
    org = policy.organisation
    ctx = kpi_selectors.kpi_context(
        organisation_id=org.pk, filters=KpiFilters(year=today.year), today=today
    )
    comparison = indicator_selectors.provider_comparison(
        contract, period=Period.last_twelve_months(today), today=today
    )
    srg = [
        (d.pk, d.checksum, hashlib.sha256(d.file.open("rb").read()).hexdigest(), d.counts)
        for d in SrgDelivery.objects.order_by("pk")
    ]
    return {
        "kpis": {
            r.code: (r.counts.numerator, r.counts.denominator)
            for r in kpi_selectors.kpi_results(ctx)
        },
        "indicators": [
            (row.id, row.facts, [(r.code, r.value) for r in row.results]) for row in comparison.rows
        ],
        "premiums": finance_selectors.premium_report(policy),
        "caseload": finance_selectors.municipality_figures(org, on=today)[0],
        "invoices": Invoice.objects.aggregate(n=Count("id"), total=Sum("amount_incl")),
        "srg": srg,
    }


def test_aggregates_survive_anonymisation(demo_today: dt.date) -> None:
    generator.build(scale="demo", today=demo_today, log=lambda _msg: None)
    dry = RetentionRun.objects.get(dry_run=True)  # the demo's dry run
    assert dry.items and dry.counts["held"] == 1
    before = _totals(demo_today)
    assert before["srg"] and before["invoices"]["n"] and any(before["kpis"].values())

    org_id = Client.objects.values_list("organisation_id", flat=True).first()
    run = retention_run(organisation_id=org_id, today=dt.date(2056, 1, 1))
    done = RetentionDone.objects.filter(kind="dossier").values_list("client_id", flat=True)
    assert run.counts["done_dossier"] == len(done) > 50  # the demo has ~80 closed dossiers
    anonymised = Client.objects.filter(pk__in=list(done))
    assert not anonymised.exclude(first_name="Geanonimiseerd").exists()
    assert not anonymised.filter(bsn__regex=r"^[0-9]{9}$").exists()
    assert (
        not Invoice.objects.filter(client__in=anonymised)
        .exclude(stated_client_surname__in=["", PLACEHOLDER])
        .exists()
    )

    after = _totals(demo_today)
    for key in before:
        assert after[key] == before[key], key
    assert isinstance(after["invoices"]["total"], Decimal)
