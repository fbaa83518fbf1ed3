"""gunicorn settings for ops/prod (and a production deployment that wants them)."""


def child_exit(server, worker):
    """A worker that exits leaves its Prometheus metric files merged, not counted live."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
