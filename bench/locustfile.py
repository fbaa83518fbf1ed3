"""Load test of the production stack (issue 18): a working day's mix of the daily lists and
dossiers, driven by locust over HTTP against gunicorn, as people behind a TLS proxy use it.

    ops/prod up                                  # with DATABASE_URL at the data set to load
    .venv/bin/locust -f bench/locustfile.py --headless -u 16 -r 2 -t 10m \
        --host http://127.0.0.1:8100 --csv var/locust/national

Every virtual user is a staff member of the demo organisation with an account of its own
(password and TOTP second factor, made at the start through `manage.py shell` against the
stack's own database, like the smoke test in `web/tests/test_prod_stack.py`): case
managers of Unit Werk, provider staff of the first demo provider, finance clerks and policy
officers, weighted 6 : 4 : 3 : 3. Each logs in once (password, then the TOTP code) and then
works through its role's pages with a think time of 1-3 s:

- case manager: caseload (filtered on a ladder step), a client's dossier from that page, the
  trajectory overview and its overdue filter;
- provider staff: the trajectory list, a trajectory from it, the attendance register, and a
  submission: a progress report on a running trajectory (a write, with its notification);
- finance clerk: the invoice list and an invoice from it, the payment batches;
- policy officer: the KPI dashboard for one municipality, a KPI's detail, the indicators.

Every request is a real page with its audit writes. Locust's CSV (`--csv`) gives p50/p95 per
page name; `docs/performance.md` records the figures with the load average and a worker's RSS.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from django_otp.oath import totp  # RFC 6238, as the server checks it
from locust import HttpUser, between, events, task

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Belastingproef-wachtwoord-2026!"  # noqa: S105 (the load test's own accounts)
ROLES = {"km": 6, "aanb": 4, "fin": 3, "beleid": 3}

# Accounts per role, made at test start: (username, TOTP key hex).
ACCOUNTS: dict[str, list[tuple[str, str]]] = {}
_NEXT: dict[str, itertools.count[int]] = {role: itertools.count() for role in ROLES}

SETUP = """
import os, json
from django_otp.plugins.otp_totp.models import TOTPDevice
from opstap.accounts.services import user_create
from opstap.core.roles import RoleCode
from opstap.demo.generator import DEMO_ORG_SLUG
from opstap.organisations.models import Organisation
from opstap.providers.models import ProviderMembership
org = Organisation.objects.get(slug=DEMO_ORG_SLUG)
provider_id = ProviderMembership.objects.filter(user__username="aanbieder-a").values_list(
    "provider_id", flat=True).first()
from opstap.providers.models import Provider
from opstap.providers.services import provider_add_staff
roles = {"km": RoleCode.CASE_MANAGER, "aanb": RoleCode.PROVIDER_STAFF,
         "fin": RoleCode.FINANCE_CLERK, "beleid": RoleCode.POLICY_OFFICER}
tag, per_role = os.environ["LT_TAG"], int(os.environ["LT_PER_ROLE"])
out = {}
for role, code in roles.items():
    for i in range(per_role):
        name = f"lt-{tag}-{role}-{i}"
        user = user_create(username=name, organisation=org, roles=(code,), password=PASSWORD_HERE,
            first_name="Belasting", last_name=f"Proef {i}", validate=False)
        if role == "aanb":
            provider_add_staff(provider=Provider.objects.get(pk=provider_id), user=user)
        key = os.urandom(20).hex()
        TOTPDevice.objects.create(user=user, name="Opstap", key=key, confirmed=True)
        out.setdefault(role, []).append([name, key])
print("ACCOUNTS " + json.dumps(out))
""".replace("PASSWORD_HERE", repr(PASSWORD))


def _stack_env() -> dict[str, str]:
    out = subprocess.run(
        ["/bin/bash", "ops/prod", "env"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    env = dict(os.environ)
    for line in out.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value
    return env


@events.test_start.add_listener
def _make_accounts(environment: Any, **_kwargs: Any) -> None:
    import json

    per_role = max(1, int(os.environ.get("LT_PER_ROLE", "8")))
    done = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "src/manage.py", "shell", "-c", SETUP],
        cwd=ROOT,
        env={**_stack_env(), "LT_TAG": uuid.uuid4().hex[:6], "LT_PER_ROLE": str(per_role)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        # No accounts, no test: stop at once instead of ten minutes of failing users. The
        # usual cause: DATABASE_URL is not the one the stack was started with.
        sys.stderr.write(
            "The load test's accounts could not be made in the stack's database "
            f"(DATABASE_URL={os.environ.get('DATABASE_URL', '(the ops/prod default)')}):\n"
            f"{done.stderr[-2000:]}\n"
        )
        if environment.runner is not None:
            environment.runner.quit()
        raise SystemExit(1)
    line = next(x for x in done.stdout.splitlines() if x.startswith("ACCOUNTS "))
    ACCOUNTS.update({k: [tuple(a) for a in v] for k, v in json.loads(line[9:]).items()})


def _csrf(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def _ids(page: str, prefix: str) -> list[str]:
    return re.findall(rf'href="/{prefix}/(\d+)/"', page)


class Staff(HttpUser):
    """A staff member behind the TLS proxy: the proxy carries the Secure session and CSRF
    cookies over TLS, locust talks plain HTTP to gunicorn, so the cookies are kept here and
    sent explicitly (a cookie jar would hold back Secure cookies over plain HTTP)."""

    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.cookies: dict[str, str] = {}
        host = self.host.split("://", 1)[-1]
        self.proxy_headers = {
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{host}",
            "Referer": f"https://{host}/",
        }
        accounts = ACCOUNTS[self.role]
        username, key = accounts[next(_NEXT[self.role]) % len(accounts)]
        page = self.send("GET", "/account/inloggen/", "login").text
        self.send(
            "POST",
            "/account/inloggen/",
            "login",
            {"csrfmiddlewaretoken": _csrf(page), "username": username, "password": PASSWORD},
        )
        page = self.send("GET", "/account/tweede-factor/", "login").text
        self.send(
            "POST",
            "/account/tweede-factor/",
            "login",
            {"csrfmiddlewaretoken": _csrf(page), "token": f"{totp(bytes.fromhex(key)):06d}"},
        )

    def send(self, method: str, path: str, name: str, data: dict[str, str] | None = None) -> Any:
        headers = dict(self.proxy_headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.client.request(
            method, path, name=name, data=data, headers=headers, allow_redirects=False
        )
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value or ""
        return response

    def page(self, path: str, name: str) -> str:
        headers = dict(self.proxy_headers)
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        with self.client.get(
            path, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                where = response.headers.get("Location", "")
                response.failure(f"{response.status_code} {where}")
                return ""
            return str(response.text)


class CaseManager(Staff):
    role = "km"
    weight = ROLES["km"]

    @task(3)
    def caseload_and_dossier(self) -> None:
        step = random.choice(["2b", "3", "4", "5"])
        page = self.page(f"/klanten/?trede={step}", "list: caseload")
        ids = _ids(page, "klanten")
        if ids:
            self.page(f"/klanten/{random.choice(ids)}/", "dossier: client")

    @task(2)
    def trajectories(self) -> None:
        self.page("/trajecten/", "list: trajectory overview")

    @task(1)
    def overdue(self) -> None:
        self.page("/trajecten/?overdue=on", "list: trajectories overdue")


class ProviderStaff(Staff):
    role = "aanb"
    weight = ROLES["aanb"]

    @task(3)
    def trajectory(self) -> None:
        page = self.page("/trajecten/", "list: provider trajectories")
        ids = _ids(page, "trajecten")
        if ids:
            self.page(f"/trajecten/{random.choice(ids)}/", "dossier: trajectory")

    @task(1)
    def attendance(self) -> None:
        self.page("/trajecten/aanwezigheid/", "list: attendance register")

    @task(1)
    def progress_report(self) -> None:
        """A submission: a progress report on a running trajectory (R-TRJ-4), as the provider
        sends it from the trajectory's page. It meets the report's due date, notifies the case
        manager and makes the counts of the lists stale, as real work does."""
        page = self.page("/trajecten/?state=running", "list: provider trajectories")
        ids = _ids(page, "trajecten")
        if not ids:
            return
        pk = random.choice(ids)
        detail = self.page(f"/trajecten/{pk}/", "dossier: trajectory")
        if f'action="/trajecten/{pk}/rapportage/"' not in detail:
            return  # no report can be sent here (not running in the provider's window)
        response = self.send(
            "POST",
            f"/trajecten/{pk}/rapportage/",
            "submission: progress report",
            {
                "csrfmiddlewaretoken": _csrf(detail),
                "report-title": "Voortgangsrapportage",
                "report-text": "Deelnemer komt op tijd; doelen voor de komende periode besproken.",
            },
        )
        if response.status_code != 302:
            response.failure(f"{response.status_code}")


class FinanceClerk(Staff):
    role = "fin"
    weight = ROLES["fin"]

    @task(3)
    def invoices(self) -> None:
        page = self.page("/facturen/", "list: invoices")
        ids = _ids(page, "facturen")
        if ids:
            self.page(f"/facturen/{random.choice(ids)}/", "dossier: invoice")

    @task(1)
    def batches(self) -> None:
        self.page("/facturen/overzicht/", "list: invoice overview")


class PolicyOfficer(Staff):
    role = "beleid"
    weight = ROLES["beleid"]

    @task(2)
    def dashboard(self) -> None:
        self.page("/sturing/", "steering: KPI dashboard")

    @task(1)
    def detail(self) -> None:
        self.page("/sturing/kpi/plaatsingen/", "steering: KPI detail")

    @task(1)
    def indicators(self) -> None:
        self.page("/indicatoren/", "steering: indicators")
