"""Background work of the clients app (Celery; eager without a broker)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="opstap.clients.import_clients")
def import_clients_task(job_id: int) -> str:
    """Run a client import (R-SEC-6); progress is stored on the ImportJob row."""
    from .importer import run_import
    from .models import ImportJob

    job = ImportJob.objects.get(pk=job_id)
    return str(run_import(job).status)


@shared_task(name="opstap.clients.brp_check")
def brp_check_task() -> str:
    """Daily (Celery beat): every organisation's clients against the BRP — moved out of the
    organisation's municipalities or died (R-INT-3). Without a BRP link it does nothing."""
    from django.conf import settings
    from django.utils import timezone

    from opstap.organisations.models import Organisation

    from .brp import BrpError
    from .services import brp_check_organisation

    if not getattr(settings, "OPSTAP_BRP_URL", ""):
        return "BRP niet ingesteld"
    lines = []
    for organisation in Organisation.objects.order_by("pk"):
        try:
            result = brp_check_organisation(organisation=organisation, on=timezone.localdate())
        except BrpError as exc:
            lines.append(f"{organisation.slug}: {exc.message}")
            continue
        lines.append(
            f"{organisation.slug}: {result.checked} gecontroleerd, {result.signals} signalen"
        )
    return "; ".join(lines)
