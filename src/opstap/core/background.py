"""Background work that a page follows with a progress bar (R-INT-4): one way to start it.

On a broker the Celery task is queued. Without one (demo, tests) the eager task runs in a
thread after the response, so the page can poll the progress the task stores on its row; a
setting (`sync_setting`, e.g. OPSTAP_SRG_SYNC) runs it inline instead, for tests that want
the result at once. The client import, the SRG delivery, the right-of-access export and the
KPI report start this way.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections


def run_in_background(task: Any, *args: Any, sync_setting: str) -> None:
    """Start `task(*args)`: queued, in a thread, or inline (see the module docstring)."""
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        task.delay(*args)
        return
    if getattr(settings, sync_setting, False):
        task.apply(args=list(args))
        return

    def work() -> None:
        try:
            task.apply(args=list(args))
        finally:
            close_old_connections()

    threading.Thread(target=work, daemon=True).start()
