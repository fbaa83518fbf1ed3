"""The last demo step: what only makes sense once every app has generated its history.

Today that is the hand-off showcase under "Meldingen" (issue 12): a new order for
'aanbieder-a' and the quote it then sent for 'klantmanager'; the notifications of the
generated history are dated at their event and marked read. Then this morning's deadline job
of the access requests runs (its notices are new for 'klantmanager2' and 'privacy'). Then,
as the very last step, klantmanager registers a client with BRP prefill (issue 16, R-INT-3):
last, so that no generated history depends on the one client beyond the reference
caseload."""

from __future__ import annotations

from typing import Any

from opstap.access_requests.demo_data import deadline_notices
from opstap.clients.demo_data import brp_registration_showcase
from opstap.trajectories.demo_data import notifications_showcase


def build(ctx: Any) -> None:
    notifications_showcase(ctx)
    deadline_notices(ctx)
    brp_registration_showcase(ctx)
