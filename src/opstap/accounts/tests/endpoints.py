"""Discovering every endpoint for the access-matrix tests: URL patterns from the resolver and
API operations from the OpenAPI document generated at test time."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from drf_spectacular.generators import SchemaGenerator
from rest_framework.views import APIView

from opstap.core.access import required_perms_for, view_access_declaration

ADMIN_PREFIX = "/beheer/"
MISSING_INT = "999999"
MISSING_UUID = str(uuid.UUID("00000000-0000-4000-8000-000000999999"))
_CANDIDATES = (MISSING_INT, MISSING_UUID, "onbekend-999999")

_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
_OPENAPI_PARAM = re.compile(r"\{(?P<name>\w+)\}")


@dataclass
class Endpoint:
    """One thing to request: a path, a method, and what the view declares."""

    kind: str  # "page" or "api"
    pattern: str  # how it was found (route or OpenAPI path)
    path: str | None  # concrete path, None if none could be built
    method: str
    callback: Any
    declaration: tuple[str, Any] | None
    action: str | None = None
    has_params: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def required(self) -> tuple[str, ...]:
        if self.declaration is None or self.declaration[0] == "public":
            return ()
        if self.declaration[0] == "api":
            return required_perms_for(self.declaration[1], self.action, self.method)
        return tuple(self.declaration[1])

    @property
    def public(self) -> bool:
        return self.declaration is not None and self.declaration[0] == "public"

    def __str__(self) -> str:
        return f"{self.method} {self.path or self.pattern}"


def iter_url_patterns(
    resolver: URLResolver | None = None, prefix: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from iter_url_patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _concrete_paths(route: str) -> list[str]:
    """Candidate concrete paths for a route/regex mix, with non-existent ids."""
    out = []
    for value in _CANDIDATES:
        path = _REGEX_PARAM.sub(value, route)
        path = _ROUTE_PARAM.sub(
            lambda m, v=value: (
                MISSING_UUID
                if m.group("conv") == "uuid"
                else (MISSING_INT if m.group("conv") == "int" else v)
            ),
            path,
        )
        path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\-", "-")
        path = path.replace("\\Z", "")
        out.append("/" + path.lstrip("/"))
    return list(dict.fromkeys(out))


def _resolves_to(path: str, callback: Any) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.func is callback or getattr(match.func, "__wrapped__", None) is callback


def is_drf(callback: Any) -> bool:
    view_class = getattr(callback, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


def drf_methods(callback: Any) -> list[tuple[str, str | None]]:
    actions = getattr(callback, "actions", None)
    if actions:
        return [(method.upper(), action) for method, action in actions.items()]
    view_class = callback.cls
    return [
        (m.upper(), None)
        for m in ("get", "post", "put", "patch", "delete")
        if hasattr(view_class, m)
    ]


def url_endpoints() -> list[Endpoint]:
    """Every non-admin URL pattern; DRF patterns get one endpoint per method/action."""
    endpoints = []
    for route, pattern in iter_url_patterns():
        full = "/" + route.replace("^", "").lstrip("/")
        if full.startswith(ADMIN_PREFIX):
            continue
        callback = pattern.callback
        has_params = bool(_REGEX_PARAM.search(route) or _ROUTE_PARAM.search(route))
        path = next((p for p in _concrete_paths(route) if _resolves_to(p, callback)), None)
        declaration = view_access_declaration(callback)
        if is_drf(callback):
            for method, action in drf_methods(callback):
                endpoints.append(
                    Endpoint("api", route, path, method, callback, declaration, action, has_params)
                )
        else:
            endpoints.append(
                Endpoint("page", route, path, "GET", callback, declaration, None, has_params)
            )
    return endpoints


def openapi_document() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def api_endpoints(schema: dict[str, Any] | None = None) -> list[Endpoint]:
    """Every operation of the OpenAPI document generated now, resolved to its view."""
    schema = schema or openapi_document()
    endpoints = []
    for api_path, operations in schema.get("paths", {}).items():
        has_params = bool(_OPENAPI_PARAM.search(api_path))
        for method in operations:
            if method.lower() not in {"get", "post", "put", "patch", "delete"}:
                continue
            path = None
            match = None
            for value in _CANDIDATES:
                candidate = _OPENAPI_PARAM.sub(value, api_path)
                try:
                    match = resolve(candidate)
                except Resolver404:
                    continue
                path = candidate
                break
            if match is None or path is None:
                endpoints.append(
                    Endpoint("api", api_path, None, method.upper(), None, None, None, has_params)
                )
                continue
            actions = getattr(match.func, "actions", None) or {}
            endpoints.append(
                Endpoint(
                    "api",
                    api_path,
                    path,
                    method.upper(),
                    match.func,
                    view_access_declaration(match.func),
                    actions.get(method.lower()),
                    has_params,
                )
            )
    return endpoints
