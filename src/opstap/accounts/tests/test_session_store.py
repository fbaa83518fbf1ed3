"""Issue 18 with R-SEC-3: sessions are read from the cache (Redis in production) and kept in
the database (`cached_db`). A signed-in request reads no session row once its session is
cached; a lost cache loses no session; and everything that ends a session (logout, a new key
at login, the end of impersonation, deactivation) ends it in the cache too, so a cached copy
never outlives it."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse

from opstap.accounts.models import User
from opstap.accounts.services import user_deactivate
from opstap.conftest import TEST_PASSWORD
from opstap.core.roles import RoleCode

from .test_request_user import _bare, _who

urlpatterns = [
    path("__bare__/", _bare),
    path("__who__/", _who),
    path("", include("opstap.urls")),
]

pytestmark = pytest.mark.urls(__name__)

CACHE_PREFIX = "django.contrib.sessions.cached_db"


def _who_is(client: Client) -> dict[str, object]:
    response = client.get("/__who__/")
    assert response.status_code == 200, response.status_code
    return dict(json.loads(response.content))


def _session_reads(client: Client, url: str = "/__bare__/") -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return sum("django_session" in q["sql"] for q in captured.captured_queries)


def _cookie(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _stored(key: str) -> tuple[bool, bool]:
    """Whether the session with this key is in the cache, and in the database."""
    return CACHE_PREFIX + key in cache, Session.objects.filter(session_key=key).exists()


def _password_login(client: Client, username: str) -> int:
    return client.post(
        reverse("accounts:login"), {"username": username, "password": TEST_PASSWORD}
    ).status_code


def _with_cookie(key: str) -> Client:
    """Another browser (or the other web server) presenting this session cookie."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = key
    return other


def test_a_signed_in_request_reads_its_session_from_the_cache(
    make_user: Callable[..., User], client: Client
) -> None:
    """Issue 18: after login the session is in the cache and the database; a signed-in
    request reads no django_session row (the database engine read it on every request)."""
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    user = make_user(RoleCode.CASE_MANAGER, username="km")
    client.force_login(user)
    assert _stored(_cookie(client)) == (True, True)
    assert _session_reads(client) == 0
    assert _session_reads(client, "/klanten/") == 0
    assert _who_is(client)["user"] == user.pk


def test_a_lost_cache_loses_no_session(make_user: Callable[..., User], client: Client) -> None:
    """Issue 18 (R-SEC-3 kept): the database stays the durable store: after a Redis restart
    the next request reads the session row once, is still signed in, and puts it back in the
    cache."""
    user = make_user(RoleCode.CASE_MANAGER, username="km")
    client.force_login(user)
    cache.clear()  # a Redis restart
    with CaptureQueriesContext(connection) as captured:
        assert _who_is(client)["user"] == user.pk
    assert sum("django_session" in q["sql"] for q in captured.captured_queries) == 1
    assert _stored(_cookie(client)) == (True, True)
    assert _session_reads(client) == 0


def test_logout_ends_the_session_in_the_cache_and_the_database(
    make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-3: after logout the old session cookie is refused everywhere, also where the
    session was cached (the other web server shares the cache)."""
    user = make_user(RoleCode.CASE_MANAGER, username="km")
    assert _password_login(client, "km") == 302
    key = _cookie(client)
    elsewhere = _with_cookie(key)
    assert _who_is(elsewhere)["user"] == user.pk  # served from the cache
    client.post(reverse("accounts:logout"))
    assert _stored(key) == (False, False)
    assert _who_is(elsewhere)["user"] is None
    assert elsewhere.get("/klanten/")["Location"].startswith(reverse("accounts:login"))


def test_login_ends_the_session_from_before_it(
    make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-3 (session fixation): a password login gives a new session key; the key from
    before the login is gone from the cache and the database and signs no one in."""
    user = make_user(RoleCode.CASE_MANAGER, username="km")
    session = client.session  # an anonymous session with a key, as an attacker might plant
    session["voor"] = "inloggen"
    session.save()
    before = session.session_key
    assert before is not None and _stored(before) == (True, True)
    assert _password_login(client, "km") == 302
    after = _cookie(client)
    assert after != before
    assert _stored(before) == (False, False)
    assert _who_is(_with_cookie(before))["user"] is None
    assert _who_is(client)["user"] == user.pk


def test_a_deactivated_users_cached_session_no_longer_works(
    make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-3 (accounts.services.user_deactivate: sessions stop with the next request): the
    session stays in the cache, but the user row read on every request refuses the account;
    reactivated, the same session works again only through a new login."""
    admin = make_user(RoleCode.APP_ADMIN, username="beheerder")
    user = make_user(RoleCode.CASE_MANAGER, username="km")
    client.force_login(user)
    assert _session_reads(client, "/klanten/") == 0  # the cached session serves the request
    user_deactivate(actor=admin, user=user, reason="Uit dienst")
    assert _stored(_cookie(client))[0]  # still cached: the user read refuses it
    assert _who_is(client)["user"] is None
    assert client.get("/klanten/")["Location"].startswith(reverse("accounts:login"))


def test_impersonation_ends_on_the_next_request_from_the_cache(
    make_user: Callable[..., User], client: Client
) -> None:
    """R-SEC-1/R-SEC-3: starting and stopping impersonation change the cached session too:
    the next request acts as the target, and after stopping as the administrator again."""
    from opstap.accounts.impersonation import support_consent_set

    admin = make_user(RoleCode.APP_ADMIN, username="beheerder")
    target = make_user(RoleCode.POLICY_OFFICER, username="beleid")
    support_consent_set(actor=target, user=target, allow=True)
    client.force_login(admin)
    client.post(reverse("accounts:impersonate"), {"user": target.pk, "reason": "Melding 1"})
    assert _session_reads(client) == 0
    assert _who_is(client)["user"] == target.pk
    client.post(reverse("accounts:impersonate_stop"))
    assert _session_reads(client) == 0
    assert _who_is(client)["user"] == admin.pk


def test_the_daily_job_clears_expired_sessions_and_keeps_live_ones(
    case_manager: User, time_machine: object
) -> None:
    """R-SEC-3: expired sessions are deleted every day (beat `clear-sessions`); a live one
    stays usable."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from opstap.accounts.tasks import clear_sessions_task

    amsterdam = ZoneInfo("Europe/Amsterdam")
    time_machine.move_to(dt.datetime(2026, 3, 10, 9, tzinfo=amsterdam), tick=False)  # type: ignore[attr-defined]
    old = Client()
    old.force_login(case_manager)
    time_machine.move_to(dt.datetime(2026, 3, 12, 9, tzinfo=amsterdam), tick=False)  # type: ignore[attr-defined]
    live = Client()
    live.force_login(case_manager)
    assert Session.objects.count() == 2
    clear_sessions_task.delay()
    assert Session.objects.count() == 1
    assert _who_is(live)["user"] == case_manager.pk
    entry = settings.CELERY_BEAT_SCHEDULE["clear-sessions"]
    assert entry["task"] == clear_sessions_task.name
