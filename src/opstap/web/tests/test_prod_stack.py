"""Smoke tests over HTTP against the production stack (issue 18): `make test-prod` starts
gunicorn (two servers, several workers each), a Celery worker and beat on the production
settings against PostgreSQL and Redis, then runs these tests and stops the stack.

Nothing here touches Django in-process: the tests speak HTTP like a browser behind a
TLS-terminating proxy (which sets X-Forwarded-Proto: https, so the production settings'
secure cookies and CSRF checks apply as in production), and set up their account through
`manage.py shell` against the stack's own database.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import struct
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

pytestmark = pytest.mark.prod

ROOT = Path(__file__).resolve().parents[4]
URLS = [u for u in os.environ.get("OPSTAP_PROD_URLS", "").split(",") if u]
PASSWORD = "Rookproef-wachtwoord-2026!"

SETUP = """
import datetime as dt, os
from django_otp.plugins.otp_totp.models import TOTPDevice
from opstap.core.roles import RoleCode
from opstap.accounts.services import roles_sync_defaults, user_create
from opstap.clients.services import client_create
from opstap.organisations.models import Organisation
from opstap.organisations.services import municipality_create, organisation_create
tag, key, bsn = os.environ["RP_TAG"], os.environ["RP_KEY"], os.environ["RP_BSN"]
roles_sync_defaults()
org = organisation_create(name="Rookproef " + tag, slug="rookproef-" + tag)
muni = municipality_create(organisation=org, name="Duiven", cbs_code="GM0226",
    inhabitants=25067, reference_date=dt.date(2021, 1, 1))
user = user_create(username="km-" + tag, organisation=org, roles=(RoleCode.CASE_MANAGER,),
    password=PASSWORD_HERE, first_name="Rook", last_name="Proef", validate=False)
TOTPDevice.objects.create(user=user, name="Opstap", key=key, confirmed=True)
client = client_create(actor=user, organisation=org, bsn=bsn, client_number="RP-" + tag,
    first_name="Sam", last_name="Rookproef", date_of_birth=dt.date(1990, 5, 1),
    municipality=muni, ladder_step="4", case_manager=user)
print("CLIENT", client.pk)
""".replace("PASSWORD_HERE", repr(PASSWORD))


def _stack_env() -> dict[str, str]:
    """The environment `ops/prod` runs the stack with (same defaults, same database)."""
    out = subprocess.run(
        ["/bin/bash", "ops/prod", "env"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    env = dict(os.environ)
    for line in out.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value
    return env


def _valid_bsn(seed: int) -> str:
    """A BSN that passes the 11-check, different per run."""
    while True:
        digits = [int(d) for d in f"{seed % 10**8:08d}"]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10:
            candidate = "".join(map(str, digits)) + str(last)
            if candidate[0] != "0":
                return candidate
        seed += 1


def _totp(key_hex: str, moment: float) -> str:
    """RFC 6238 TOTP (30 s, 6 digits, SHA-1), as the authenticator app computes it."""
    counter = struct.pack(">Q", int(moment) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


@dataclass
class Browser:
    """Just enough of a browser: cookies (sent although they are Secure, as the proxy in front
    would carry them over TLS), CSRF tokens from forms, redirects left to the test."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        base: str,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        request_id: str | None = None,
    ):
        parts = urlsplit(base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        headers = {
            "X-Forwarded-Proto": "https",
            "Host": parts.netloc,
            "Origin": f"https://{parts.netloc}",
            "Referer": f"https://{parts.netloc}{path}",
        }
        if request_id:
            headers["X-Request-ID"] = request_id
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                self.cookies[cookie_name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), text

    def csrf(self, page: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, "no CSRF token on the page"
        return match.group(1)


@pytest.fixture(scope="module")
def account() -> dict[str, str]:
    if not URLS:
        pytest.fail("OPSTAP_PROD_URLS is not set: run these tests with `make test-prod`.")
    tag = uuid.uuid4().hex[:8]
    key = os.urandom(20).hex()
    bsn = _valid_bsn(int(tag, 16))
    done = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "src/manage.py", "shell", "-c", SETUP],
        cwd=ROOT,
        env={**_stack_env(), "RP_TAG": tag, "RP_KEY": key, "RP_BSN": bsn},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    client_pk = re.search(r"CLIENT (\d+)", done.stdout)
    assert client_pk, done.stdout
    return {"username": f"km-{tag}", "key": key, "client": client_pk.group(1)}


def _login(browser: Browser, base: str, account: dict[str, str]) -> None:
    status, _, page = browser.request(base, "GET", "/account/inloggen/")
    assert status == 200
    status, headers, _ = browser.request(
        base,
        "POST",
        "/account/inloggen/",
        {
            "csrfmiddlewaretoken": browser.csrf(page),
            "username": account["username"],
            "password": PASSWORD,
        },
    )
    assert status == 302, "password login refused"
    # Production requires the second factor before any other page (R-SEC-3).
    status, headers, _ = browser.request(base, "GET", "/klanten/")
    assert status == 302 and "/account/tweede-factor/" in headers["Location"]
    status, _, page = browser.request(base, "GET", "/account/tweede-factor/")
    assert status == 200
    # A TOTP code is accepted once (replay protection): a second login of the same account
    # waits for the next 30-second step, as a person would wait for the next code.
    while int(time.time()) // 30 <= int(account.get("last_step", "-1")):
        time.sleep(1)
    now = time.time()
    account["last_step"] = str(int(now) // 30)
    status, headers, _ = browser.request(
        base,
        "POST",
        "/account/tweede-factor/",
        {"csrfmiddlewaretoken": browser.csrf(page), "token": _totp(account["key"], now)},
    )
    assert status == 302, "TOTP code refused"


def test_ready_and_health_over_plain_http() -> None:
    """Probes need no TLS: /readyz checks the database, Redis and the broker."""
    for base in URLS:
        status, _, text = Browser().request(base, "GET", "/readyz")
        assert status == 200, text
        assert '"broker": "ok"' in text and '"cache": "ok"' in text


def test_case_manager_logs_in_with_2fa_and_a_background_job_reports_progress(
    account: dict[str, str],
) -> None:
    """A case manager logs in with password and TOTP; a right-of-access export (R-SEC-5) is
    compiled by the Celery worker through the Redis broker, and the page shows its progress
    until the download is ready."""
    browser = Browser()
    base = URLS[0]
    _login(browser, base, account)
    path = f"/inzageverzoeken/klant/{account['client']}/"
    status, _, page = browser.request(base, "GET", path)
    assert status == 200
    request_id = f"rookproef-{uuid.uuid4().hex[:12]}"
    status, headers, _ = browser.request(
        base,
        "POST",
        path,
        {"csrfmiddlewaretoken": browser.csrf(page), "note": "Rookproef"},
        request_id=request_id,
    )
    assert status == 302
    assert headers["X-Request-ID"] == request_id
    detail = headers["Location"]
    seen: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status, _, page = browser.request(base, "GET", detail)
        assert status == 200
        state = re.search(r'id="access-status">([^<]+)<', page)
        assert state, "no status on the detail page"
        seen.append(state.group(1))
        if "Het overzicht is klaar" in page:
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"the export did not finish through the worker; states seen: {seen}")
    assert "Download het overzicht" in page
    # The worker's JSON log lines of that task carry the id of the request that started it.
    worker_log = (ROOT / "var/prod/worker.log").read_text().splitlines()
    tagged = [json.loads(line) for line in worker_log if request_id in line]
    assert tagged, "the request id did not reach the worker's log"
    assert all(entry["request_id"] == request_id for entry in tagged)


def test_a_session_from_one_web_server_works_on_the_other(account: dict[str, str]) -> None:
    """Stateless web workers: the login made on the first server is valid on the second
    (sessions in the database, cache and lockout counters shared)."""
    assert len(URLS) >= 2, "make test-prod starts two web servers"
    browser = Browser()
    _login(browser, URLS[0], account)
    status, _, page = browser.request(URLS[1], "GET", "/klanten/")
    assert status == 200
    assert "Rookproef" in page


PGBOUNCER = os.environ.get("OPSTAP_PROD_PGBOUNCER", "")


def _pgbouncer_transactions() -> dict[str, int]:
    """Transactions PgBouncer passed on per database (its admin console, SHOW STATS)."""
    host, port = PGBOUNCER.split(":")
    psql = shutil.which("psql") or "/usr/bin/psql"
    command = [psql, "-h", host, "-p", port, "-U", "postgres", "-d", "pgbouncer"]
    done = subprocess.run(
        [*command, "-tA", "-F", "|", "-c", "SHOW STATS"],
        capture_output=True,
        text=True,
        check=True,
    )
    counts = {}
    for line in done.stdout.splitlines():
        cells = line.split("|")
        if len(cells) > 2 and cells[0] != "pgbouncer":
            counts[cells[0]] = int(cells[1])  # database, total_xact_count
    return counts


def test_the_stack_works_behind_pgbouncer_in_transaction_mode(account: dict[str, str]) -> None:
    """Issue 18: the web servers reach PostgreSQL through PgBouncer in transaction mode: a
    login with 2FA and the daily lists work, and PgBouncer counted their transactions. (The
    other tests of this module, the background job through the broker included, run through
    the same pooler: `make test-prod` starts the stack with PROD_PGBOUNCER=1.)"""
    if not PGBOUNCER:
        pytest.fail("OPSTAP_PROD_PGBOUNCER is not set: run these tests with `make test-prod`.")
    before = sum(_pgbouncer_transactions().values())
    browser = Browser()
    _login(browser, URLS[0], account)
    for path in ("/klanten/", "/trajecten/", "/meldingen/"):
        status, _, _ = browser.request(URLS[0], "GET", path)
        assert status == 200, path
    after = sum(_pgbouncer_transactions().values())
    assert after > before, "no transaction went through PgBouncer"
