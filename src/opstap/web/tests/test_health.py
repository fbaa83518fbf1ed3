"""Liveness, readiness and metrics endpoints for the production stack (issue 18)."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_livez_and_readyz_answer_without_login(client: Client) -> None:
    assert client.get("/livez").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    # Tests run without a broker: background work is in-process, and readyz says so.
    assert ready.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "in-process",
    }


@pytest.mark.django_db
def test_readyz_is_503_and_names_the_broker_when_it_is_unreachable(
    client: Client, settings: pytest.FixtureRequest
) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    from opstap.celery import app

    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get("/readyz")
    finally:
        app.conf.broker_url = None
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_metrics_only_for_the_monitoring_network(client: Client) -> None:
    page = client.get("/livez")
    assert page.status_code == 200
    metrics = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert metrics.status_code == 200
    text = metrics.content.decode()
    assert "django_http_requests_total_by_method_total" in text
    assert "opstap_audit_records_last_minute" in text
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
