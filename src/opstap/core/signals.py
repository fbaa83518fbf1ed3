"""Signals for writes that bypass the model signals.

`clients_changed` is sent inside the writing transaction after bulk writes to clients or
their timeline (the client import), with `organisation_id` and `client_ids`. Apps that keep
data derived from clients (the KPI facts, `kpis`) listen to it as they listen to `post_save`,
so that a lower app never imports a higher one.
"""

from __future__ import annotations

from django.dispatch import Signal

clients_changed = Signal()

#: Sent inside the writing transaction after writes to a trajectory's due dates that bypass
#: the model signals (`.update()` of met and cancelled due dates), with `organisation_id` and
#: `trajectory_ids`. The indicator facts (`indicators`) listen to it.
trajectories_changed = Signal()
