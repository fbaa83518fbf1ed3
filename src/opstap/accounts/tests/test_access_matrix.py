"""R-SEC-1: the access matrix, derived from what each view declares.

Walks every URL pattern (URL resolver) and every API operation (OpenAPI document generated at
test time) as every role and as an anonymous visitor. Expected statuses follow from the
view's declaration (`opstap_perms`, `required_perms`, `opstap_public`) and the role's
permissions, so new endpoints are covered without editing this test."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from opstap.accounts.models import User
from opstap.core.access import check_perm
from opstap.core.roles import RoleCode
from opstap.providers.models import Provider
from opstap.providers.services import provider_add_staff
from opstap.web.views import role_home_url

from .endpoints import Endpoint, api_endpoints, is_drf, url_endpoints

_FORM_POST = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)


@pytest.fixture
def role_users(make_user: Callable[..., User], provider_a: Provider) -> dict[str, User]:
    users: dict[str, User] = {}
    for role in RoleCode:
        user = make_user(role, username=f"matrix-{role.value}")
        if role == RoleCode.PROVIDER_STAFF:
            provider_add_staff(provider=provider_a, user=user)
        users[role.value] = user
    return users


def _page_client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _api_client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    return client


class _Raised:
    """A request that raised instead of answering (reported as a server error)."""

    def __init__(self, exc: Exception) -> None:
        self.status_code = 599
        self.exc = exc

    def get(self, key: str, default: str = "") -> str:
        return default


def _request(client: Any, endpoint: Endpoint, method: str | None = None) -> Any:
    method = (method or endpoint.method).lower()
    kwargs: dict[str, Any] = {}
    if endpoint.kind == "api" and method in {"post", "put", "patch"}:
        kwargs = {"data": {}, "format": "json"}
    try:
        return getattr(client, method)(endpoint.path, **kwargs)
    except Exception as exc:  # collect every broken endpoint, not just the first
        return _Raised(exc)


def _check(endpoint: Endpoint, who: str, user: User | None, response: Any) -> list[str]:
    status = response.status_code
    problems: list[str] = []
    where = f"{endpoint} as {who}: got {status}"
    if status >= 500:
        detail = f": {type(response.exc).__name__}: {response.exc}" if status == 599 else ""
        return [f"{where} (server error{detail})"]
    if endpoint.public:
        return []
    if user is None:
        if endpoint.kind == "page":
            login = reverse(settings.LOGIN_URL)
            if not (status == 302 and response["Location"].startswith(login)) and status != 405:
                problems.append(f"{where}, expected 302 to {login}")
        elif status != 401:
            problems.append(f"{where}, expected 401")
        return problems
    if (
        getattr(endpoint.callback, "opstap_role_home_redirect", False)
        and status == 302
        and response["Location"] == role_home_url(user)
    ):
        return []  # "/" sends a role without a start page to its own home (issue 14)
    if check_perm(user, *endpoint.required):
        if status in {401, 403}:
            problems.append(f"{where}, expected access (needs {endpoint.required})")
        elif status == 404 and not endpoint.has_params and endpoint.kind == "api":
            problems.append(f"{where}, a list/collection endpoint should not be 404")
    elif status not in {403, 405}:
        problems.append(f"{where}, expected 403 (needs {endpoint.required})")
    return problems


def _csrf_problems(endpoint: Endpoint, who: str, response: Any) -> list[str]:
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    html = response.content.decode(errors="replace")
    return [
        f"{endpoint} as {who}: a POST form without csrfmiddlewaretoken"
        for form in _FORM_POST.findall(html)
        if "csrfmiddlewaretoken" not in form
    ]


def test_every_view_declares_its_access(db: None) -> None:
    """R-SEC-1: every URL pattern and API operation declares permissions or is public."""
    undeclared = sorted(
        {f"{e.method} /{e.pattern.lstrip('/')}" for e in url_endpoints() if e.declaration is None}
        | {str(e) for e in api_endpoints() if e.declaration is None}
    )
    assert not undeclared, "New endpoint without a matrix entry: " + "; ".join(undeclared)


def test_every_url_can_be_requested(db: None) -> None:
    """Each pattern yields a concrete path (ids replaced by non-existent ones)."""
    unbuildable = [e.pattern for e in url_endpoints() + api_endpoints() if e.path is None]
    assert not unbuildable, f"Could not build a URL for: {unbuildable}"


def test_pages_follow_the_matrix(role_users: dict[str, User]) -> None:
    """R-SEC-1: every page as every role and anonymous: 302 to login, 403, or access; every
    POST form carries a CSRF token."""
    pages = [e for e in url_endpoints() if e.kind == "page" and e.path and e.declaration]
    assert pages
    callers: list[tuple[str, User | None]] = [("anonymous", None), *role_users.items()]
    problems: list[str] = []
    for who, user in callers:
        client = _page_client(user)
        for endpoint in pages:
            response = _request(client, endpoint)
            if response.status_code == 405:  # GET not allowed: the decision is on POST
                response = _request(client, endpoint, "POST")
            problems += _check(endpoint, who, user, response)
            problems += _csrf_problems(endpoint, who, response)
            if user is not None and not client.session.get("_auth_user_id"):
                client.force_login(user)  # a logout page ended the session
    assert not problems, "\n".join(problems)


def test_api_follows_the_matrix(role_users: dict[str, User]) -> None:
    """R-SEC-1: every API operation (OpenAPI document, plus DRF routes outside it) as every
    role and anonymous: 401, 403, or access (404 for a non-existent id)."""
    operations = [e for e in api_endpoints() if e.path and e.declaration]
    in_schema = {(e.callback, e.method) for e in operations}
    operations += [
        e
        for e in url_endpoints()
        if e.kind == "api"
        and e.path
        and e.declaration
        and (e.callback, e.method) not in in_schema
        and not e.public
    ]
    assert operations
    callers: list[tuple[str, User | None]] = [("anonymous", None), *role_users.items()]
    problems: list[str] = []
    for who, user in callers:
        client = _api_client(user)
        for endpoint in operations:
            problems += _check(endpoint, who, user, _request(client, endpoint))
    assert not problems, "\n".join(problems)


def test_api_routes_are_in_the_openapi_document(db: None) -> None:
    """R-INT-1 / R-SEC-1: every DRF route (except the schema itself) is documented."""
    documented = {e.callback for e in api_endpoints()}
    missing = sorted(
        {
            e.pattern
            for e in url_endpoints()
            if e.kind == "api"
            and is_drf(e.callback)
            and not e.public
            and e.callback not in documented
        }
    )
    assert not missing, f"DRF routes missing from the OpenAPI document: {missing}"


def test_admin_is_for_superusers_only(role_users: dict[str, User]) -> None:
    """R-SEC-1: Django admin (/beheer/) is closed to every role without superuser status."""
    for who, user in role_users.items():
        response = _page_client(user).get("/beheer/")
        assert response.status_code == 302, who
        assert response["Location"].startswith("/beheer/login/"), who
    assert Client().get("/beheer/").status_code == 302
