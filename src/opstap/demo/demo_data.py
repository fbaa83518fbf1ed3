"""The last demo step: what only makes sense once every app has generated its history.

Today that is the hand-off showcase under "Meldingen" (issue 12): a new order for
'aanbieder-a' and the quote it then sent for 'klantmanager'; the notifications of the
generated history are dated at their event and marked read. Then, as the very last step,
klantmanager registers a client with BRP prefill (issue 16, R-INT-3): last, so that no
generated history depends on the one client beyond the reference caseload."""

from __future__ import annotations

from typing import Any

from opstap.clients.demo_data import brp_registration_showcase
from opstap.trajectories.demo_data import notifications_showcase


def build(ctx: Any) -> None:
    notifications_showcase(ctx)
    brp_registration_showcase(ctx)
