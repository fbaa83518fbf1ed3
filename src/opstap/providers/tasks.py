"""Scheduled jobs of the providers app (Celery beat in production; cron can run the
management command `providers_flag_inactive` instead)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from opstap.organisations.selectors import organisations_all

from .services import providers_flag_inactive


@shared_task(name="opstap.providers.flag_inactive")
def flag_inactive_providers() -> int:
    """R-NET-8: flag providers without activity for 12 months, for every organisation."""
    today = timezone.localdate()
    return sum(
        len(providers_flag_inactive(organisation=organisation, on=today))
        for organisation in organisations_all()
    )
