"""Background work of retention (Celery beat, daily; in-process without a broker)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

log = logging.getLogger(__name__)


@shared_task(name="opstap.retention.apply")
def apply_retention_task() -> int:
    """Daily: anonymise closed dossiers past their term, per organisation, in resumable
    batches (R-SEC-4), and housekeeping (`retention_housekeeping`: stale client import
    files). Returns the number of client kinds done."""
    from opstap.organisations.models import Organisation

    from .services import retention_housekeeping, retention_run

    today = timezone.localdate()
    total = 0
    for organisation_id in Organisation.objects.order_by("pk").values_list("pk", flat=True):
        run = retention_run(organisation_id=organisation_id, today=today)
        done = sum(v for k, v in run.counts.items() if k.startswith("done_"))
        total += done
        log.info("Bewaartermijnen organisatie %s: %s", organisation_id, run.counts)
    log.info("Opruimen: %s", retention_housekeeping(now=timezone.now()))
    return total
