"""What a provider's monitor shows, audited as shown or handed out (R-NET-10, R-SEC-2)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log, audit_records_for_request
from opstap.core.actor import Actor
from opstap.core.audit_names import object_type_for
from opstap.social_return import selectors
from opstap.social_return.models import RealisedBlock


def monitor_shown(
    *,
    request: HttpRequest,
    user: Actor,
    provider_id: int,
    on: dt.date,
    action: AuditAction,
    purpose: str,
    persons_shown: bool = True,
) -> tuple[selectors.ProviderMonitor, list[RealisedBlock]]:
    """One provider's monitor with its blocks (`selectors.provider_monitor_with_blocks`), as
    shown (`READ`: page, API) or handed out (`EXPORT`: the PDF), audited. Blocks about a client
    are data about that client: where their person is shown, each is audited too (R-SEC-2)."""
    monitor, blocks = selectors.provider_monitor_with_blocks(
        user=user, provider_id=provider_id, on=on
    )
    audit_log(
        action=action,
        request=request,
        object_type="social_return_monitor",
        object_id=monitor.provider.pk,
        purpose=purpose,
    )
    if persons_shown:
        blocks_shown(request=request, blocks=blocks, purpose=purpose)
    return monitor, blocks


def blocks_shown(*, request: HttpRequest, blocks: list[RealisedBlock], purpose: str) -> None:
    """Audit blocks whose person is shown (the monitor, the API's block list): each block
    about a client is data about that client (R-SEC-2)."""
    audit_records_for_request(
        request,
        action=AuditAction.LIST,
        object_type=object_type_for(RealisedBlock),
        items=selectors.block_client_items(blocks),
        purpose=purpose,
    )
