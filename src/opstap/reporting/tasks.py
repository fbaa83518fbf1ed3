"""Background work of reporting (Celery; in-process without a broker)."""

from __future__ import annotations

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(name="opstap.reporting.build_srg")
def build_srg_delivery_task(delivery_id: int) -> str:
    """Build one SRG delivery (R-INT-2); progress is stored on the row."""
    from .services import srg_delivery_build

    state = srg_delivery_build(delivery_id)
    log.info("SRG-levering %s samengesteld: %s", delivery_id, state)
    return state
