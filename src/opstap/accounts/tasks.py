"""Background work of the accounts app (Celery beat)."""

from __future__ import annotations

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(name="opstap.accounts.clear_sessions")
def clear_sessions_task() -> None:
    """Daily: delete the sessions that have expired (as `manage.py clearsessions`). With the
    `cached_db` engine their cached copies expire at the same moment, so nothing is served
    from the cache that the database no longer holds."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
