"""Shared pytest fixtures: an organisation with municipalities, users per role, API clients.

Data is set up through the services, as the architecture guide asks.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from opstap.accounts.models import User
from opstap.accounts.services import roles_sync_defaults, user_create
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.organisations.services import municipality_create, organisation_create
from opstap.providers.models import Provider
from opstap.providers.services import provider_add_staff, provider_create

TEST_PASSWORD = "Test-wachtwoord-123"

# --- Time-proof tests ---------------------------------------------------------------------
# Hypothesis profiles: a slow or busy machine is not a failure. No test is timed (deadline
# None) and the `too_slow` health check is off; every other health check stays on, so a
# filter that rejects most inputs or a data strategy that is too large still fails. The
# `ci` profile is also derandomised, so a failure in CI reproduces with the same examples.
hypothesis_settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile(
    "ci",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    print_blob=True,
)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)

# `OPSTAP_TEST_TODAY=2028-06-01 make test` runs the whole suite as if that were the real date
# (the wall clock keeps ticking from 09:00 Amsterdam time that day). Tests that freeze their
# own moment keep it; a test that leaned on the real date fails here. `.ci/run` uses it to
# run the suite a year and a half ahead.
TEST_TODAY = os.environ.get("OPSTAP_TEST_TODAY", "")


@pytest.fixture(autouse=True, scope="session")
def _shifted_clock() -> Iterator[None]:
    if not TEST_TODAY:
        yield
        return
    import time_machine

    day = dt.date.fromisoformat(TEST_TODAY)
    moment = dt.datetime.combine(day, dt.time(9, 0), tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(moment, tick=True):
        yield


#: The day on which the demo organisation is built in tests, with the clock stopped there.
DEMO_TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def demo_today() -> Iterator[dt.date]:
    """Demo tests build the demo as on DEMO_TODAY, with the clock stopped at 10:00 that day:
    they never see the real date (issue 12: the demo had skipped an invoice 'while the first
    jobcoaching quarter still runs' relative to the real date)."""
    import time_machine

    moment = dt.datetime.combine(DEMO_TODAY, dt.time(10, 0), tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(moment, tick=False):
        yield DEMO_TODAY


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach the network; the only allowed peers are local services."""
    import socket

    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in {"127.0.0.1", "localhost", "::1"}
            and not host.startswith("/")
        ):
            raise RuntimeError(f"Network access blocked in tests: {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


# --- Files stay out of the checkout -------------------------------------------------------
# Uploads, exports and payment files of the tests go to temporary directories, never to the
# checkout's var/private: a session-wide one for fixtures built once per module (the demo
# site of the page walk), and one per test, so a test that counts files sees only its own.


def _storage_settings(location: object) -> dict[str, object]:
    from django.conf import settings

    return {
        "MEDIA_ROOT": str(location),
        "STORAGES": {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(location)},
            },
        },
    }


@pytest.fixture(autouse=True, scope="session")
def _private_storage_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    from django.test import override_settings

    with override_settings(**_storage_settings(tmp_path_factory.mktemp("private"))):
        yield


@pytest.fixture(autouse=True)
def _private_storage(tmp_path: object) -> Iterator[None]:
    from django.test import override_settings

    with override_settings(**_storage_settings(f"{tmp_path}/private")):
        yield


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        yield endpoint
    finally:
        # moto keeps its buckets in the process, not in the server: start the next test
        # (in this pytest worker) with none.
        import requests

        requests.post(f"{endpoint}/moto-api/reset", timeout=10)
        server.stop()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Every test starts with an empty cache: database ids are reused after a rollback, so a
    count cached by an earlier test could otherwise answer for the same organisation id."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def org(db: None) -> Organisation:
    roles_sync_defaults()
    organisation = organisation_create(name="RSD de Liemers", slug="rsd")
    for name, code, inhabitants in [
        ("Duiven", "GM0226", 25_067),
        ("Westervoort", "GM0293", 15_011),
        ("Zevenaar", "GM0299", 44_099),
    ]:
        municipality_create(
            organisation=organisation,
            name=name,
            cbs_code=code,
            inhabitants=inhabitants,
            reference_date=dt.date(2021, 1, 1),
        )
    return organisation


@pytest.fixture
def other_org(db: None) -> Organisation:
    roles_sync_defaults()
    organisation = organisation_create(name="Sociale Dienst Elders", slug="elders")
    municipality_create(
        organisation=organisation,
        name="Elderstad",
        cbs_code="GM9999",
        inhabitants=10_000,
        reference_date=dt.date(2021, 1, 1),
    )
    return organisation


@pytest.fixture
def make_user(org: Organisation) -> Callable[..., User]:
    counter = {"n": 0}

    def factory(
        *roles: RoleCode | str,
        organisation: Organisation | None = None,
        username: str | None = None,
    ) -> User:
        counter["n"] += 1
        return user_create(
            username=username or f"user{counter['n']}",
            organisation=organisation or org,
            roles=roles or (RoleCode.CASE_MANAGER,),
            password=TEST_PASSWORD,
            first_name="Test",
            last_name=f"Gebruiker {counter['n']}",
            validate=False,
        )

    return factory


@pytest.fixture
def case_manager(make_user: Callable[..., User]) -> User:
    return make_user(RoleCode.CASE_MANAGER, username="klantmanager")


@pytest.fixture
def provider_a(org: Organisation) -> Provider:
    return provider_create(organisation=org, name="Werkkracht Liemers B.V.")


@pytest.fixture
def provider_b(org: Organisation) -> Provider:
    return provider_create(organisation=org, name="Stichting Ontplooi")


@pytest.fixture
def provider_user_a(make_user: Callable[..., User], provider_a: Provider) -> User:
    user = make_user(RoleCode.PROVIDER_STAFF, username="aanbieder-a")
    provider_add_staff(provider=provider_a, user=user)
    return user


@pytest.fixture
def provider_user_b(make_user: Callable[..., User], provider_b: Provider) -> User:
    user = make_user(RoleCode.PROVIDER_STAFF, username="aanbieder-b")
    provider_add_staff(provider=provider_b, user=user)
    return user


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(api_client: APIClient) -> Callable[[User], APIClient]:
    def login(user: User) -> APIClient:
        api_client.force_authenticate(user=user)
        return api_client

    return login


# --- Browser tests (pytest -m browser): Playwright driving Debian's chromium ----------------

CHROMIUM = os.environ.get("OPSTAP_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """A headless Debian chromium; Playwright's own browser download is never used."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def browser_login(page, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
