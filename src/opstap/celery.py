"""Celery application. Without CELERY_BROKER_URL tasks run in-process (eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opstap.conf.settings")
app = Celery("opstap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _connect_request_ids() -> None:
    """The request id travels from the publishing request to the worker (opstap/logs.py)."""
    from celery.signals import before_task_publish, task_postrun, task_prerun

    from opstap import logs

    before_task_publish.connect(logs.on_before_task_publish, weak=False)
    task_prerun.connect(logs.on_task_prerun, weak=False)
    task_postrun.connect(logs.on_task_postrun, weak=False)


_connect_request_ids()
