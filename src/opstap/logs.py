"""Structured application logs with a request id that follows the work.

- Every HTTP request gets an id: the caller's `X-Request-ID` when it is a sane token (a load
  balancer or API client may set one), otherwise a new UUID. It is returned in the
  `X-Request-ID` response header and bound to every log line of the request.
- A Celery task published during that request carries the id in its message headers, and the
  worker binds it while the task runs, so the worker's log lines (Celery's own included) show
  the id of the request that caused them.
- With `LOG_FORMAT=json` (production's default) each log line is one JSON object
  (`timestamp`, `level`, `logger`, `event`, `request_id`, …) for the log pipeline; otherwise a
  readable line. These are application logs, separate from the audit trail (R-SEC-2), and carry
  no personal data of their own.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
CELERY_HEADER = "opstap_request_id"
_SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_from(value: str | None) -> str:
    """The caller's id when it is a plain token of 8-64 characters, else a fresh UUID."""
    if value and _SANE.match(value):
        return value
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    value = structlog.contextvars.get_contextvars().get("request_id")
    return str(value) if value else None


class RequestIdMiddleware:
    """First in the chain: binds the request id for everything after it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(HEADER))
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            response = self.get_response(request)
        finally:
            structlog.contextvars.clear_contextvars()
        response[HEADER] = request_id
        return response


# --- Celery: carry the id from the publishing request to the worker --------------------------
def on_before_task_publish(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = current_request_id()
    if headers is not None and request_id:
        headers[CELERY_HEADER] = request_id


def on_task_prerun(task: Any = None, **_: Any) -> None:
    structlog.contextvars.clear_contextvars()
    context = getattr(task, "request", None)
    request_id = getattr(context, CELERY_HEADER, None) or (
        (getattr(context, "headers", None) or {}).get(CELERY_HEADER)
    )
    if request_id:
        structlog.contextvars.bind_contextvars(request_id=str(request_id))


def on_task_postrun(**_: Any) -> None:
    structlog.contextvars.clear_contextvars()


# --- Formatters for Django's LOGGING -------------------------------------------------------------
_PRE_CHAIN: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def json_formatter() -> logging.Formatter:
    return structlog.stdlib.ProcessorFormatter(
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        foreign_pre_chain=_PRE_CHAIN,
    )


def plain_formatter() -> logging.Formatter:
    return structlog.stdlib.ProcessorFormatter(
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.dev.ConsoleRenderer(colors=False),
        ],
        foreign_pre_chain=_PRE_CHAIN,
    )
