"""The retention part of the demo organisation (R-SEC-4): a legal hold on one closed dossier
and a dry run by the functional administrator on a reference date eleven years after the
demo's today, so the page lists which closed dossiers would then be anonymised (nothing is
changed by a dry run)."""

from __future__ import annotations

from typing import Any

from opstap.clients.models import Client

from .selectors import candidates
from .services import legal_hold_place, retention_run
from .terms import add_years


def build(ctx: Any) -> None:
    admin = ctx.users["beheerder"]
    closed = candidates(organisation_id=ctx.organisation.pk, after_id=0, limit=1)
    if closed:
        legal_hold_place(
            actor=admin,
            client=Client.objects.get(pk=closed[0].client_id),
            reason="Bezwaarprocedure loopt (demo, zaak 2026-0815)",
        )
    run = retention_run(
        organisation_id=ctx.organisation.pk,
        today=add_years(ctx.today, 11),
        actor=admin,
        dry_run=True,
    )
    ctx.log(f"Proefrun bewaartermijnen (peildatum {run.reference_date:%d-%m-%Y}): {run.counts}.")
