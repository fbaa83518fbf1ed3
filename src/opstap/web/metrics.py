"""Prometheus metrics (django-prometheus) plus the gauges that the load balancer and the
operators watch: the Celery queue length and the audit trail's insert rate.

Request counts and latencies come from django-prometheus' middleware. The two gauges here are
computed when Prometheus scrapes, so nothing on the request path pays for them: one LLEN on
the broker and one COUNT over the indexed audit timestamp.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

CELERY_QUEUES = ("celery",)


def _queue_lengths() -> dict[str, int]:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return {}
    import redis

    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    try:
        return {queue: int(client.llen(queue)) for queue in CELERY_QUEUES}
    except redis.RedisError:
        return {}
    finally:
        client.close()


def _audit_last_minute() -> int | None:
    from django.db import DatabaseError

    from opstap.audit.selectors import audit_records_since

    try:
        return audit_records_since(timezone.now() - dt.timedelta(minutes=1))
    except DatabaseError:
        return None


class OpstapCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        queues = GaugeMetricFamily(
            "opstap_celery_queue_length", "Taken die in de wachtrij staan.", labels=["queue"]
        )
        for queue, length in _queue_lengths().items():
            queues.add_metric([queue], length)
        yield queues
        audit = _audit_last_minute()
        if audit is not None:
            yield GaugeMetricFamily(
                "opstap_audit_records_last_minute",
                "Auditregels vastgelegd in de laatste minuut (inserts per minuut).",
                value=audit,
            )


_COLLECTOR = OpstapCollector()
_registered_in_process = False


def exposition() -> tuple[bytes, str]:
    """The metrics text. Under gunicorn with several workers (PROMETHEUS_MULTIPROC_DIR set),
    the request metrics of all workers are merged from their files; the gauges above are added
    once, by whichever worker answers the scrape."""
    import os

    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

    global _registered_in_process  # the collector is registered once per process
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_COLLECTOR)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    if not _registered_in_process:
        REGISTRY.register(_COLLECTOR)
        _registered_in_process = True
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
