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
