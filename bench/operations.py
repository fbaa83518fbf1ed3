"""The measured operations. Each has `run` (the real thing) and `floor` (the cheapest
equivalent: a bare Django view, or hand-written SQL). Apps add their operations here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory


@dataclass
class BenchContext:
    staff_client: Client
    api_client: Client
    factory: RequestFactory
    users: dict[str, Any]
    organisation_id: int

    @classmethod
    def create(cls) -> BenchContext:
        from opstap.accounts.models import User
        from opstap.accounts.services import api_token_issue
        from opstap.demo.generator import DEMO_ORG_SLUG
        from opstap.organisations.models import Organisation

        org = Organisation.objects.get(slug=DEMO_ORG_SLUG)
        users = {u.username: u for u in User.objects.filter(organisation=org)}
        staff = Client()
        staff.force_login(users["klantmanager"])
        _token, key = api_token_issue(user=users["klantmanager"], name="benchmark")
        api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        return cls(staff, api, RequestFactory(), users, org.pk)


def _bare_view(request: Any) -> HttpResponse:
    return HttpResponse("ok")


def bare_view_floor(ctx: BenchContext) -> None:
    """A Django view that does nothing, through the full middleware stack."""
    from django.urls import path

    from opstap import urls as root_urls

    if not hasattr(root_urls, "_bench_bare"):
        root_urls.urlpatterns.insert(0, path("__bench_bare__", _bare_view))
        root_urls._bench_bare = True  # type: ignore[attr-defined]
        from django.urls import clear_url_caches

        clear_url_caches()
    response = ctx.staff_client.get("/__bench_bare__")
    assert response.status_code == 200


@dataclass(frozen=True)
class Operation:
    name: str
    run: Callable[[BenchContext], object]
    floor: Callable[[BenchContext], object]
    floor_description: str


def _get(client_attr: str, path: str) -> Callable[[BenchContext], object]:
    def run(ctx: BenchContext) -> object:
        response = getattr(ctx, client_attr).get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    return run


def _sql_municipalities(ctx: BenchContext) -> object:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.id, m.name, m.cbs_code, "
            "(SELECT p.inhabitants FROM organisations_municipalitypopulation p "
            " WHERE p.municipality_id = m.id ORDER BY p.reference_date DESC LIMIT 1) "
            "FROM organisations_municipality m WHERE m.organisation_id = %s ORDER BY m.name",
            [ctx.organisation_id],
        )
        return cursor.fetchall()


OPERATIONS: list[Operation] = [
    Operation(
        "home page (case manager)", _get("staff_client", "/"), bare_view_floor, "bare Django view"
    ),
    Operation(
        "GET /api/v1/municipalities",
        _get("api_client", "/api/v1/municipalities"),
        _sql_municipalities,
        "hand-written SQL",
    ),
]
