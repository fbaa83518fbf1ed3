"""Background work of access requests (Celery; in-process without a broker)."""

from __future__ import annotations

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(name="opstap.access_requests.compile")
def compile_access_request_task(access_request_id: int) -> str:
    """Compile the export of one access request (R-SEC-5); progress is stored on the row."""
    from .export import compile_access_request

    state = compile_access_request(access_request_id)
    log.info("Inzageverzoek %s samengesteld: %s", access_request_id, state)
    return state


@shared_task(name="opstap.access_requests.expire")
def expire_access_requests_task() -> int:
    """Hourly: fail stalled compilations and delete exports past their retention date
    (R-SEC-5, docs/access-requests.md)."""
    from .services import access_requests_expire_due, access_requests_fail_stale

    access_requests_fail_stale()
    return access_requests_expire_due()


@shared_task(name="opstap.access_requests.send_deadline_notices")
def send_deadline_notices_task() -> int:
    """Daily: tell the handler and the privacy officer of access requests due within the
    notice days or overdue (AVG art. 12(3)); once per request, stage and person."""
    from django.utils import timezone

    from .services import access_requests_send_deadline_notices

    return access_requests_send_deadline_notices(today=timezone.localdate())
