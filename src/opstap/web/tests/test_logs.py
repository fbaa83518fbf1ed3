"""Structured logs with a request id that follows the work (issue 18, opstap/logs.py)."""

from __future__ import annotations

import io
import json
import logging
from types import SimpleNamespace

import pytest
import structlog
from django.test import Client

from opstap import logs


@pytest.mark.django_db
def test_request_id_is_echoed_or_made(client: Client) -> None:
    given = client.get("/livez", HTTP_X_REQUEST_ID="lb-1234567890")
    assert given["X-Request-ID"] == "lb-1234567890"
    made = client.get("/livez", HTTP_X_REQUEST_ID="<script>")
    assert made["X-Request-ID"] != "<script>" and len(made["X-Request-ID"]) == 32


def test_json_lines_carry_the_bound_request_id() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.json_formatter())
    logger = logging.getLogger("opstap.test.logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        structlog.contextvars.bind_contextvars(request_id="abc12345")
        logger.warning("export klaar")
    finally:
        structlog.contextvars.clear_contextvars()
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert line["event"] == "export klaar"
    assert line["request_id"] == "abc12345"
    assert line["level"] == "warning" and line["logger"] == "opstap.test.logs"
    assert "timestamp" in line


def test_the_request_id_travels_with_a_celery_task() -> None:
    """Publishing inside a request puts the id in the message headers; the worker binds it
    while the task runs and clears it afterwards."""
    structlog.contextvars.bind_contextvars(request_id="req-7654321")
    headers: dict[str, str] = {}
    logs.on_before_task_publish(headers=headers)
    structlog.contextvars.clear_contextvars()
    assert headers == {logs.CELERY_HEADER: "req-7654321"}

    task = SimpleNamespace(request=SimpleNamespace(**headers, headers=None))
    logs.on_task_prerun(task=task)
    assert logs.current_request_id() == "req-7654321"
    logs.on_task_postrun()
    assert logs.current_request_id() is None
