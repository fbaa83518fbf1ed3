"""R-SEC-1: a provider's staff see only their own provider — any object of another provider
is a 404 (never 403) and none of its rows show up in lists or counts, in the access module,
in every API list and provider detail endpoint, and on every page that exists."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from rest_framework.test import APIClient

from opstap.accounts.models import User
from opstap.core.access import can_see, get_object_for_user, scoped, scoped_count
from opstap.providers.models import Provider

from .endpoints import api_endpoints, url_endpoints

# Provider pages: /aanbieders/<int:pk>/... (the providers app's detail routes).
_PROVIDER_PAGE = re.compile(r"^/?aanbieders/<int:\w+>/")


def _model_of(callback: Any) -> type | None:
    view_class = getattr(callback, "cls", None)
    if view_class is None:
        return None
    queryset = getattr(view_class, "queryset", None)
    if queryset is not None:
        return queryset.model  # type: ignore[no-any-return]
    serializer = getattr(view_class, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def test_access_module_hides_other_provider(
    provider_user_a: User, provider_a: Provider, provider_b: Provider
) -> None:
    """R-SEC-1: fetch-and-check is a 404; lists and counts contain only the own provider."""
    with pytest.raises(Http404):
        get_object_for_user(provider_user_a, Provider.objects.all(), pk=provider_b.pk)
    assert get_object_for_user(provider_user_a, Provider.objects.all(), pk=provider_a.pk)
    assert list(scoped(provider_user_a, Provider.objects.all())) == [provider_a]
    assert scoped_count(provider_user_a, Provider.objects.all()) == 1
    assert can_see(provider_user_a, provider_a)
    assert not can_see(provider_user_a, provider_b)


def test_other_organisation_is_invisible(
    make_user: Any, other_org: Any, provider_a: Provider
) -> None:
    """R-SEC-1: organisation scoping is automatic, whatever the role may do."""
    from opstap.core.roles import RoleCode

    elsewhere = make_user(RoleCode.CONTRACT_MANAGER, organisation=other_org)
    assert scoped_count(elsewhere, Provider.objects.all()) == 0
    with pytest.raises(Http404):
        get_object_for_user(elsewhere, Provider.objects.all(), pk=provider_a.pk)


def test_api_provider_details_are_404_for_other_provider(
    provider_user_a: User, provider_a: Provider, provider_b: Provider
) -> None:
    """R-SEC-1: every API detail endpoint of Provider: own → 200, other → 404."""
    client = APIClient()
    client.force_authenticate(provider_user_a)
    details = [
        e
        for e in api_endpoints()
        if e.method == "GET"
        and e.has_params
        and e.pattern.count("{") == 1
        and _model_of(e.callback) is Provider
    ]
    if not details:
        pytest.skip("No provider detail endpoint in the API yet")
    for endpoint in details:
        path_b = re.sub(r"\{\w+\}", str(provider_b.pk), endpoint.pattern)
        path_a = re.sub(r"\{\w+\}", str(provider_a.pk), endpoint.pattern)
        assert client.get(path_b).status_code == 404, path_b
        assert client.get(path_a).status_code == 200, path_a


def test_provider_pages_are_404_for_other_provider(
    provider_user_a: User, provider_a: Provider, provider_b: Provider
) -> None:
    """R-SEC-1: every page /aanbieders/<pk>/… of another provider is 404 (or 403 when the
    role lacks the page's permission altogether), never the page itself."""
    client = Client()
    client.force_login(provider_user_a)
    pages = [e for e in url_endpoints() if e.kind == "page" and _PROVIDER_PAGE.match(e.pattern)]
    if not pages:
        pytest.skip("No provider pages yet")
    for endpoint in pages:
        path = re.sub(r"<int:\w+>", str(provider_b.pk), "/" + endpoint.pattern.lstrip("/"))
        status = client.get(path).status_code
        assert status in {403, 404, 405}, f"{path}: {status}"


def test_lists_never_show_other_provider(
    provider_user_a: User, provider_a: Provider, provider_b: Provider
) -> None:
    """R-SEC-1: no API list and no page (without parameters) shows provider B to staff of A."""
    api = APIClient()
    api.force_authenticate(provider_user_a)
    page_client = Client()
    page_client.force_login(provider_user_a)
    leaks = []
    for endpoint in api_endpoints():
        if endpoint.method == "GET" and not endpoint.has_params and endpoint.path:
            response = api.get(endpoint.path)
            if provider_b.name in response.content.decode(errors="replace"):
                leaks.append(endpoint.path)
    for endpoint in url_endpoints():
        if endpoint.kind == "page" and not endpoint.has_params and endpoint.path:
            if "uitloggen" in endpoint.path:
                continue
            response = page_client.get(endpoint.path)
            if provider_b.name in response.content.decode(errors="replace"):
                leaks.append(endpoint.path)
    assert not leaks, f"Provider B visible to provider A on: {leaks}"
