"""Before/after check for work that must not change what the list APIs answer (issue 18), and
their Python calls per request.

    .venv/bin/python bench/api_snapshot.py save DIR        # every call below, as its user
    .venv/bin/python bench/api_snapshot.py compare DIR_A DIR_B
    .venv/bin/python bench/api_snapshot.py calls [N=20]    # cProfile: Python calls per request

`save` calls the client and trajectory list APIs (several pages, filters and sort orders, an
invalid page and one beyond the last) and a detail of each, as the demo accounts of every
role that may (and some that may not), with a bearer token, against the database of
DATABASE_URL (the demo organisation must be loaded: `bench/run.py` or `make demo`). It writes
each answer to DIR: status, headers, the body as sent (bytes) and the audit records the call
wrote (every field but the id, time, chain position and hashes). Run it from the checkout
before a change and from the one after, against the same database on the same day, then
`compare`: exit 1 if any answer or its audit differs. Reading writes audit records and API
tokens (one per account per run); nothing else is changed.

`calls` counts the Python function calls (cProfile) of one warm request of each list, the
mean over N requests after 3 warm-up requests: independent of the machine's load; and the
process CPU time of one request (`time.process_time`, the median of 3 N requests without the
profiler), which the load changes less than the wall clock.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opstap.conf.settings")
os.environ.setdefault("OPSTAP_BENCH", "1")

TRAJECTORY_PATHS = [
    "/api/v1/trajectories",
    "/api/v1/trajectories?pageSize=100",
    "/api/v1/trajectories?pageSize=100&page=2",
    "/api/v1/trajectories?pageSize=7&page=last",
    "/api/v1/trajectories?overdue=true&pageSize=50",
    "/api/v1/trajectories?state=running&pageSize=30",
    "/api/v1/trajectories?state=completed&pageSize=30",
    "/api/v1/trajectories?page=abc",
    "/api/v1/trajectories?page=999999",
]
CLIENT_PATHS = [
    "/api/v1/clients",
    "/api/v1/clients?ladderStep=4&pageSize=25",
    "/api/v1/clients?pageSize=100&page=2",
    "/api/v1/clients?sort=-naam&pageSize=40",
    "/api/v1/clients?unit=care&track=2&pageSize=20",
    "/api/v1/clients?q=de+vries",
    "/api/v1/clients?page=0",
]
CALLS: list[tuple[str, str]] = [
    *((user, path) for user in ("aanbieder-a", "aanbieder-b") for path in TRAJECTORY_PATHS),
    *((user, path) for user in ("klantmanager", "teamleider") for path in TRAJECTORY_PATHS),
    *(("klantmanager", path) for path in CLIENT_PATHS),
    *(("inkomenscoach", path) for path in CLIENT_PATHS[:3]),
    ("contractmanager", "/api/v1/trajectories?pageSize=60"),
    ("administratie", "/api/v1/trajectories?pageSize=60"),
    ("beleid", "/api/v1/trajectories?pageSize=20"),
    ("beleid", "/api/v1/clients?pageSize=20"),
    ("werkgeversadviseur", "/api/v1/clients?pageSize=20"),
    ("inwoner", "/api/v1/trajectories"),
]
#: One list per kind, as the benchmark times them (`bench/operations.py`).
PROFILED: list[tuple[str, str]] = [
    ("aanbieder-a", "/api/v1/trajectories?pageSize=100"),
    ("klantmanager", "/api/v1/trajectories?pageSize=25"),
    ("klantmanager", "/api/v1/clients?ladderStep=4&pageSize=25"),
]
_AUDIT_SKIPPED = {"id", "timestamp", "chain", "chain_position", "prev_hash", "row_hash"}
_HEADERS_SKIPPED = {"date", "x-request-id"}  # differ on every call


def _headers(headers: dict[str, str]) -> dict[str, str]:
    """The headers that say something: not those that differ on every call, and the
    directives of the Content-Security-Policy in one order (django-csp writes them in the
    order of a set, which differs from one process to the next)."""
    kept = {k: v for k, v in headers.items() if k.lower() not in _HEADERS_SKIPPED}
    if "Content-Security-Policy" in kept:
        kept["Content-Security-Policy"] = "; ".join(
            sorted(kept["Content-Security-Policy"].split("; "))
        )
    return kept


def _file_name(username: str, path: str) -> str:
    return re.sub(r"[^A-Za-z0-9=-]+", "_", f"{username}{path}").strip("_") + ".json"


def _clients() -> dict[str, Any]:
    from django.test import Client

    from opstap.accounts.models import User
    from opstap.accounts.services import api_token_issue

    clients: dict[str, Any] = {}
    for username in dict.fromkeys(u for u, _ in [*CALLS, *PROFILED]):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise SystemExit(f"no account {username}: load the demo organisation first")
        _token, key = api_token_issue(user=user, name="api_snapshot")
        clients[username] = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    return clients


def _detail_paths(client: Any, path: str, body: bytes) -> list[str]:
    """The first row of a list answer, as a detail call."""
    if not path.startswith(("/api/v1/trajectories", "/api/v1/clients")) or "?" in path:
        return []
    try:
        results = json.loads(body).get("results") or []
    except (ValueError, AttributeError):
        return []
    return [f"{path}/{results[0]['id']}"] if results else []


def save(directory: Path) -> int:
    import django

    django.setup()
    from django.db.models import Max

    from opstap.audit.models import AuditRecord

    directory.mkdir(parents=True, exist_ok=True)
    clients = _clients()
    fields = [f.attname for f in AuditRecord._meta.concrete_fields if f.name not in _AUDIT_SKIPPED]
    todo = list(CALLS)
    while todo:
        username, path = todo.pop(0)
        since = AuditRecord.objects.aggregate(m=Max("id"))["m"] or 0
        response = clients[username].get(path)
        audit = list(
            AuditRecord.objects.filter(id__gt=since)
            .order_by("chain", "chain_position")
            .values(*fields)
        )
        headers = {
            k: v for k, v in sorted(response.headers.items()) if k.lower() not in _HEADERS_SKIPPED
        }
        record = {
            "status": response.status_code,
            "headers": headers,
            "body": response.content.decode("utf-8", "replace"),
            "audit": audit,
        }
        (directory / _file_name(username, path)).write_text(
            json.dumps(record, indent=1, sort_keys=True, default=str), encoding="utf-8"
        )
        print(f"{response.status_code} {username:20} {path} ({len(audit)} audit records)")
        todo[:0] = [(username, p) for p in _detail_paths(clients[username], path, response.content)]
    return 0


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.glob("*.json")} | {p.name for p in after.glob("*.json")})
    differ = []
    for name in names:
        a, b = before / name, after / name
        if not (a.exists() and b.exists()):
            differ.append(f"{name}: only in {'the first' if a.exists() else 'the second'}")
            continue
        one, two = (json.loads(p.read_text(encoding="utf-8")) for p in (a, b))
        for answer in (one, two):
            answer["headers"] = _headers(answer["headers"])
        differ.extend(f"{name}: the {part} differs" for part in one if one[part] != two.get(part))
    for line in differ:
        print(line)
    print(f"{len(names) - len({d.split(':')[0] for d in differ})} of {len(names)} answers the same")
    return 1 if differ else 0


def calls(repeat: int) -> int:
    import django

    django.setup()
    clients = _clients()
    for username, path in PROFILED:
        client = clients[username]
        for _ in range(3):
            assert client.get(path).status_code == 200
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(repeat):
            client.get(path)
        profile.disable()
        stats = pstats.Stats(profile)
        total = stats.total_calls / repeat  # type: ignore[attr-defined]
        cpu = []
        for _ in range(3 * repeat):
            start = time.process_time()
            client.get(path)
            cpu.append((time.process_time() - start) * 1000)
        print(
            f"{total:9,.0f} Python calls, CPU {statistics.median(cpu):5.1f} ms per request"
            f"  {username:14} {path}"
        )
        if os.environ.get("TOP"):
            stats.sort_stats(os.environ.get("SORT", "tottime")).print_stats(int(os.environ["TOP"]))
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "save":
        return save(Path(argv[1]))
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    if argv[:1] == ["calls"] and len(argv) <= 2:
        return calls(int(argv[1]) if len(argv) == 2 else 20)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
