"""The last demo step: what only makes sense once every app has generated its history.

Today that is the hand-off showcase under "Meldingen" (issue 12): a new order for
'aanbieder-a' and the quote it then sent for 'klantmanager'; the notifications of the
generated history are dated at their event and marked read."""

from __future__ import annotations

from typing import Any

from opstap.trajectories.demo_data import notifications_showcase


def build(ctx: Any) -> None:
    notifications_showcase(ctx)
