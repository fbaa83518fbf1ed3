"""The measured operations. Each has `run` (the real thing) and `floor` (the cheapest
equivalent: a bare Django view, or hand-written SQL). Apps add their operations here."""

from __future__ import annotations

import re
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


def _get_bench_view(ctx: BenchContext, route: str, view: Callable[[Any], HttpResponse]) -> Any:
    """GET a view of the bench itself at `/route`, added to the URL conf on first use."""
    from django.urls import clear_url_caches, path

    from opstap import urls as root_urls

    added: set[str] = root_urls.__dict__.setdefault("_bench_routes", set())
    if route not in added:
        root_urls.urlpatterns.insert(0, path(route, view))
        added.add(route)
        clear_url_caches()
    response = ctx.staff_client.get(f"/{route}")
    assert response.status_code == 200
    return response


def bare_view_floor(ctx: BenchContext) -> None:
    """A Django view that does nothing, through the full middleware stack."""
    _get_bench_view(ctx, "__bench_bare__", _bare_view)


_EMPTY_PAGE = (
    '{% extends "base.html" %}{% block title %}Leeg{% endblock %}'
    "{% block content %}<h1>Leeg</h1>{% endblock %}"
)
_empty_page: list[Any] = []  # compiled once, as the cached loader keeps the real templates


def _bare_page(request: Any) -> HttpResponse:
    if not _empty_page:
        from django.template import engines

        _empty_page.append(engines["django"].from_string(_EMPTY_PAGE))
    return HttpResponse(_empty_page[0].render({}, request))


def bare_page_floor(ctx: BenchContext) -> None:
    """A page with the layout every page has (head, navigation for the role, footer) and no
    content, through the full middleware stack: what any HTML page costs before its own
    rows. The third floor, "x page": an HTML page against its SQL plus this."""
    response = _get_bench_view(ctx, "__bench_page__", _bare_page)
    assert b"<nav" in response.content  # the layout with the role's navigation


@dataclass(frozen=True)
class Operation:
    name: str
    run: Callable[[BenchContext], object]
    floor: Callable[[BenchContext], object]
    floor_description: str
    # Returns why the data set cannot exercise this operation (then it is reported as skipped
    # instead of timing an empty run), or "" when it can.
    unavailable: Callable[[BenchContext], str] | None = None


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


# The demo case manager 'klantmanager' works in Unit Werk: steps 2b-5 and 6 with growth / not
# work-ready (the default unit mapping), plus always her own caseload (R-SEC-1).
_CASE_MANAGER_SCOPE = (
    "c.organisation_id = %s AND (c.case_manager_id = %s OR c.ladder_step IN "
    "('2b','3','4','5') OR (c.ladder_step = '6' AND c.ladder_sub_status IN "
    "('with_growth','not_work_ready')))"
)


def _sql_home_page(ctx: BenchContext) -> object:
    """Floor of the case manager's start page (issue 18): what its panels show, in three
    hand-written queries — the five newest unread notifications; the numbers (open deadlines
    of the own caseload overdue and due within two weeks, open vacancies) in one statement;
    the eight latest proposals in scope with client, vacancy and employer names. Not in it:
    the number of clients visible in the unit and the size of the own caseload, which the
    page reads from the counts cache (`visible_client_count`, `own_caseload_count`: the
    request runs neither count while they are cached; counting is measured with "caseload
    page, counts not cached"), and the audit record the page writes. Until 7 December the
    floor counted the own caseload too, a count the request does not run."""
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    org, user = ctx.organisation_id, ctx.users["klantmanager"].pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.id, n.title, n.created_at FROM providers_notification n "
            "WHERE n.organisation_id = %s AND n.recipient_id = %s AND n.read_at IS NULL "
            "ORDER BY n.created_at DESC, n.id DESC LIMIT 5",
            [org, user],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT (SELECT ARRAY[COUNT(*) FILTER (WHERE d.due_on < %s), COUNT(*)] "  # noqa: S608
            "FROM trajectories_deadline d "
            "JOIN trajectories_trajectory t ON t.id = d.trajectory_id "
            "JOIN clients_client c ON c.id = t.client_id "
            "WHERE d.organisation_id = %s AND d.met_on IS NULL AND d.cancelled_on IS NULL "
            f"AND d.due_on <= %s AND c.case_manager_id = %s AND {_CASE_MANAGER_SCOPE}), "
            "(SELECT COUNT(*) FROM matching_vacancy v "
            "WHERE v.organisation_id = %s AND v.state = 'open')",
            [today, org, today + dt.timedelta(days=14), user, org, user, org],
        )
        cursor.fetchone()
        cursor.execute(
            "SELECT p.id, p.proposed_at, p.state, p.vacancy_id, c.first_name, "  # noqa: S608
            "c.last_name_prefix, c.last_name, v.title, e.name FROM matching_proposal p "
            "JOIN clients_client c ON c.id = p.client_id "
            "JOIN matching_vacancy v ON v.id = p.vacancy_id "
            "JOIN matching_employer e ON e.id = v.employer_id "
            f"WHERE p.organisation_id = %s AND {_CASE_MANAGER_SCOPE} "
            "AND p.state NOT IN ('withdrawn', 'not_suitable') "
            "ORDER BY p.proposed_at DESC, p.id DESC LIMIT 8",
            [org, org, user],
        )
        return cursor.fetchall()


OPERATIONS: list[Operation] = [
    Operation(
        "home page (case manager)",
        _get("staff_client", "/"),
        _sql_home_page,
        "hand-written SQL",
    ),
    Operation(
        "GET /api/v1/municipalities",
        _get("api_client", "/api/v1/municipalities"),
        _sql_municipalities,
        "hand-written SQL",
    ),
]


# --- clients (issue 4): caseload page and client list API -----------------------------------

# The demo case manager 'klantmanager' works in Unit Werk: steps 2b-5 and 6 with growth / not
# work-ready (the default unit mapping), plus always her own caseload (R-SEC-1).
_CASELOAD_SCOPE = (
    "c.organisation_id = %s AND (c.case_manager_id = %s OR c.ladder_step IN "
    "('2b','3','4','5') OR (c.ladder_step = '6' AND c.ladder_sub_status IN "
    "('with_growth','not_work_ready')))"
)


def _caseload_chart(where: str, params: list[object]) -> object:
    """The caseload chart's statement: clients per step (the list size is one of these)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.ladder_step, COUNT(*) FROM clients_client c WHERE {where} "  # noqa: S608 (constant)
            "GROUP BY c.ladder_step",
            params,
        )
        return cursor.fetchall()


def _caseload_rows(where: str, params: list[object]) -> object:
    """The caseload list's statement: the first 25 by name, with municipality and case
    manager names."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.client_number, c.first_name, c.last_name_prefix, c.last_name, "  # noqa: S608
            "c.date_of_birth, c.ladder_step, c.ladder_sub_status, c.migration_background, "
            "c.ldr_registered, c.nbw_indication, c.lks_status, c.benefit_type, m.name, "
            "u.first_name, u.last_name FROM clients_client c "
            "JOIN organisations_municipality m ON m.id = c.municipality_id "
            "LEFT JOIN accounts_user u ON u.id = c.case_manager_id "
            f"WHERE {where} ORDER BY c.last_name, c.first_name, c.id LIMIT 25",
            params,
        )
        return cursor.fetchall()


#: "Mijn caseload" as it opens for a case manager: her own clients (the unit is a filter,
#: `?klantmanager=`; clients.views.caseload).
_OWN_CASELOAD = f"{_CASELOAD_SCOPE} AND c.case_manager_id = %s"


def _own_caseload_params(ctx: BenchContext) -> list[object]:
    user = ctx.users["klantmanager"].pk
    return [ctx.organisation_id, user, user]


def _sql_caseload_page(ctx: BenchContext) -> object:
    """Floor of the caseload page (`/klanten/?trede=4`, her own clients) with its chart in the
    counts cache: the first 25 of step 4 by name, the one statement of the list the request
    runs (captured: its chart and the list's size come from `CLIENT_COUNTS`). Until
    7 December this floor also counted the chart, a statement the request does not run, and
    over the whole unit instead of her own clients, as the page shows them."""
    return _caseload_rows(f"{_OWN_CASELOAD} AND c.ladder_step = '4'", _own_caseload_params(ctx))


def _sql_caseload_page_counted(ctx: BenchContext) -> object:
    """Floor of the caseload page with its chart counted: the chart of her own clients (per
    step, the list's size among them) and the first 25 of step 4 by name."""
    params = _own_caseload_params(ctx)
    _caseload_chart(_OWN_CASELOAD, params)
    return _caseload_rows(f"{_OWN_CASELOAD} AND c.ladder_step = '4'", params)


def _sql_clients_api_count(ctx: BenchContext) -> None:
    """COUNT of the visible step-4 clients: the API's total when it is not cached."""
    params = [ctx.organisation_id, ctx.users["klantmanager"].pk]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM clients_client c WHERE {_CASELOAD_SCOPE} "  # noqa: S608
            "AND c.ladder_step = '4'",
            params,
        )
        cursor.fetchone()


def _sql_clients_api_rows(ctx: BenchContext) -> object:
    """Floor of GET /api/v1/clients?ladderStep=4 with its total in the counts cache: the first
    25 visible step-4 clients by name with every column the API returns (ids for
    municipality/case manager). No COUNT: the request serves its total from the cache and
    runs none. With the COUNT in it the floor grew with the data (0.5 ms for 3,340 clients
    at city scale; most of the 8 ms floor at national scale, where counting adds 10 ms to
    the request) and made this list look better the more clients there are (6 December 2026:
    1.2 x req at national, 5-7 at city, for the same work per request)."""
    params = [ctx.organisation_id, ctx.users["klantmanager"].pk]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.* FROM clients_client c WHERE {_CASELOAD_SCOPE} "  # noqa: S608
            "AND c.ladder_step = '4' ORDER BY c.last_name, c.first_name, c.id LIMIT 25",
            params,
        )
        return cursor.fetchall()


def _sql_clients_api(ctx: BenchContext) -> object:
    """Floor of GET /api/v1/clients?ladderStep=4 with its total counted: the COUNT and the
    first 25 rows."""
    _sql_clients_api_count(ctx)
    return _sql_clients_api_rows(ctx)


def _caseload_page_counts_not_cached(ctx: BenchContext) -> object:
    """The caseload page right after a client of the organisation changed: the per-step
    counts are not in the counts cache and are computed (the worst case of the page)."""
    from opstap.clients.selectors import CLIENT_COUNTS

    CLIENT_COUNTS.changed(ctx.organisation_id)
    return _get("staff_client", "/klanten/?trede=4")(ctx)


def _clients_api_count_not_cached(ctx: BenchContext) -> object:
    """The API's first page right after a client of the organisation changed: the total is
    counted again (the worst case of the list call)."""
    from opstap.clients.selectors import CLIENT_COUNTS

    CLIENT_COUNTS.changed(ctx.organisation_id)
    return _get("api_client", "/api/v1/clients?ladderStep=4&pageSize=25")(ctx)


#: A search a case manager types daily: a first name and a surname, both common in the data
#: set (Sandra and Berg, "van den Berg", are in the demo's name lists).
_NAME_SEARCH = ("sandra", "berg")


def _folded_name_sql() -> tuple[str, list[object]]:
    """The SQL of the client's folded name (`clients.search.folded_words`), as the trigram index
    of clients migration 0014 holds it: the floor must say it the same way to use the index."""
    from opstap.clients.models import Client
    from opstap.clients.search import folded_words

    query = Client.objects.all().query
    compiler = query.get_compiler(connection=connection)
    expression = folded_words("first_name", "last_name_prefix", "last_name")
    sql, params = expression.resolve_expression(query).as_sql(compiler, connection)
    return sql.replace('"clients_client".', "c."), list(params)


#: The name search in the unit view (`klantmanager=`: every client she may see). Until
#: 7 December the bench searched "Mijn caseload" (her own clients, where the data set has no
#: Sandra van den Berg): the page found nothing and ran no list statement, while its floor
#: counted and listed the 7 of the unit.
_NAME_SEARCH_PATH = "/klanten/?klantmanager=&q=" + "+".join(_NAME_SEARCH)


def _name_search_where(ctx: BenchContext) -> tuple[str, list[object]]:
    """The found clients: each word anywhere in the folded name (what the trigram index
    serves on PostgreSQL), no client number."""
    from opstap.clients.search import fold

    name, name_params = _folded_name_sql()
    where = f"{_CASELOAD_SCOPE} AND " + " AND ".join([f"{name} LIKE %s"] * len(_NAME_SEARCH))
    params: list[object] = [ctx.organisation_id, ctx.users["klantmanager"].pk]
    for word in _NAME_SEARCH:
        params += [*name_params, f"%{fold(word)}%"]
    return where, params


def _sql_caseload_name_search(ctx: BenchContext) -> object:
    """Floor of the caseload page searched by name with its chart in the counts cache: the
    first 25 found by name (the request runs no count: the chart is cached under the
    search's SQL)."""
    where, params = _name_search_where(ctx)
    return _caseload_rows(where, params)


def _sql_caseload_name_search_counted(ctx: BenchContext) -> object:
    """Floor of the name search with its chart counted: the chart counts of the found
    clients and their first 25 by name."""
    where, params = _name_search_where(ctx)
    _caseload_chart(where, params)
    return _caseload_rows(where, params)


def _caseload_name_search_counts_not_cached(ctx: BenchContext) -> object:
    """The name search right after a client of the organisation changed: its chart is
    counted."""
    from opstap.clients.selectors import CLIENT_COUNTS

    CLIENT_COUNTS.changed(ctx.organisation_id)
    return _get("staff_client", _NAME_SEARCH_PATH)(ctx)


OPERATIONS.extend(
    [
        Operation(
            "caseload page (filtered, first page)",
            _get("staff_client", "/klanten/?trede=4"),
            _sql_caseload_page,
            "hand-written SQL (the rows; the chart is cached)",
        ),
        Operation(
            "caseload page, counts not cached",
            _caseload_page_counts_not_cached,
            _sql_caseload_page_counted,
            "hand-written SQL",
        ),
        Operation(
            f"caseload page, name search '{' '.join(_NAME_SEARCH)}' (unit)",
            _get("staff_client", _NAME_SEARCH_PATH),
            _sql_caseload_name_search,
            "hand-written SQL (the rows; the chart is cached)",
        ),
        Operation(
            "caseload page, name search, counts not cached",
            _caseload_name_search_counts_not_cached,
            _sql_caseload_name_search_counted,
            "hand-written SQL",
        ),
        Operation(
            "GET /api/v1/clients?ladderStep=4 (first page)",
            _get("api_client", "/api/v1/clients?ladderStep=4&pageSize=25"),
            _sql_clients_api_rows,
            "hand-written SQL (the rows; the total is cached)",
        ),
        Operation(
            "GET /api/v1/clients?ladderStep=4, count not cached",
            _clients_api_count_not_cached,
            _sql_clients_api,
            "hand-written SQL",
        ),
    ]
)


# --- Provider network (instrument guide, provider list) -------------------------------------


def _sql_guide_search(ctx: BenchContext) -> object:
    """Floor of the guide: the first page of active products matching text + ladder step,
    with the price valid today, provider, and the tiles/locations of those products."""
    from django.utils import timezone

    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, p.name, p.nominal_duration_days, v.name, "
            "(SELECT pp.amount FROM providers_productprice pp WHERE pp.product_id = p.id "
            " AND pp.valid_from <= %s AND (pp.valid_until IS NULL OR pp.valid_until >= %s) "
            " ORDER BY pp.valid_from DESC LIMIT 1) "
            "FROM providers_product p JOIN providers_provider v ON v.id = p.provider_id "
            "WHERE p.organisation_id = %s AND p.status = 'active' AND v.status = 'active' "
            "AND LOWER(p.search_text) LIKE %s AND EXISTS (SELECT 1 FROM "
            "providers_productladderstep s WHERE s.product_id = p.id AND s.step = '5') "
            "ORDER BY p.name, p.id LIMIT 25",
            [today, today, ctx.organisation_id, "%jobcoaching%"],
        )
        rows = cursor.fetchall()
        ids = [r[0] for r in rows] or [0]
        marks = ",".join(["%s"] * len(ids))
        cursor.execute(
            f"SELECT product_id, city FROM providers_productlocation WHERE product_id IN ({marks})",  # noqa: S608
            ids,
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT pt.product_id, t.number, t.name FROM providers_product_tiles pt "  # noqa: S608
            f"JOIN providers_tile t ON t.id = pt.tile_id WHERE pt.product_id IN ({marks})",
            ids,
        )
        cursor.fetchall()
        return rows


def _sql_provider_list(ctx: BenchContext) -> object:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.id, v.name, v.status, v.last_activity_on, "
            "(SELECT COUNT(*) FROM providers_product p WHERE p.provider_id = v.id "
            " AND p.status = 'active') FROM providers_provider v "
            "WHERE v.organisation_id = %s ORDER BY v.name",
            [ctx.organisation_id],
        )
        return cursor.fetchall()


OPERATIONS.extend(
    [
        Operation(
            "instrument guide search (jobcoaching, step 5)",
            _get("staff_client", "/instrumentengids/?q=jobcoaching&trede=5"),
            _sql_guide_search,
            "hand-written SQL",
        ),
        Operation(
            "GET /api/v1/products?q=jobcoaching&ladderStep=5",
            _get("api_client", "/api/v1/products?q=jobcoaching&ladderStep=5"),
            _sql_guide_search,
            "hand-written SQL",
        ),
        Operation(
            "provider list (case manager)",
            _get("staff_client", "/aanbieders/"),
            _sql_provider_list,
            "hand-written SQL",
        ),
    ]
)


# --- Trajectories (issue 6): provider's API list and the case manager's overdue list --------

_PROVIDER_API: dict[int, Client] = {}


def _provider_api(ctx: BenchContext) -> Client:
    """An API client with a bearer token of provider staff 'aanbieder-a' (made once)."""
    from opstap.accounts.services import api_token_issue

    if ctx.organisation_id not in _PROVIDER_API:
        _token, key = api_token_issue(user=ctx.users["aanbieder-a"], name="benchmark")
        _PROVIDER_API[ctx.organisation_id] = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    return _PROVIDER_API[ctx.organisation_id]


def _provider_trajectories_api(ctx: BenchContext) -> object:
    response = _provider_api(ctx).get("/api/v1/trajectories?pageSize=100")
    assert response.status_code == 200, response.status_code
    return response


def _provider_trajectories_api_count_not_cached(ctx: BenchContext) -> object:
    """The provider's first page right after a trajectory of the organisation changed: the
    total is counted again (the worst case of the list call)."""
    from opstap.trajectories.selectors import TRAJECTORY_COUNTS

    TRAJECTORY_COUNTS.changed(ctx.organisation_id)
    return _provider_trajectories_api(ctx)


def _sql_provider_trajectories(ctx: BenchContext, *, count: bool = True) -> object:
    """Floor: count + first 100 of the provider's trajectories in its visibility window
    (running, or ended within 90 days), with client/product/provider names and an
    'overdue' flag, in two hand-written queries; without `count` the first 100 alone, as
    the request runs them with its total in the counts cache (until 7 December that floor
    held the count too)."""
    import datetime as dt

    from django.utils import timezone

    from opstap.trajectories import date_rules

    today = timezone.localdate()
    provider_id = ctx.users["aanbieder-a"].provider_membership.provider_id
    since = today - dt.timedelta(days=90)
    # The window as R-SEC-1 has it since issue 19: an end counts up to the planned end +
    # grace (or, never started, the order date + the maximum).
    planned_cap = since - dt.timedelta(days=date_rules.END_GRACE_DAYS)
    order_cap = since - dt.timedelta(days=date_rules.NEVER_STARTED_MAX_DAYS)
    where = (
        "t.organisation_id = %s AND t.provider_id = %s AND "
        "(t.actual_end_date IS NULL OR (t.actual_end_date >= %s AND "
        "(t.planned_end_date >= %s OR (t.planned_end_date IS NULL AND t.order_date >= %s))))"
    )
    window = [ctx.organisation_id, provider_id, since, planned_cap, order_cap]
    with connection.cursor() as cursor:
        if count:
            cursor.execute(
                f"SELECT COUNT(*) FROM trajectories_trajectory t WHERE {where}",  # noqa: S608
                window,
            )
            cursor.fetchone()
        cursor.execute(
            "SELECT t.*, c.client_number, c.first_name, c.last_name, p.name, v.name, "  # noqa: S608
            "t.next_due_on < %s "
            "FROM trajectories_trajectory t JOIN clients_client c ON c.id = t.client_id "
            "JOIN providers_product p ON p.id = t.product_id "
            "JOIN providers_provider v ON v.id = t.provider_id "
            f"WHERE {where} ORDER BY t.order_date DESC, t.id DESC LIMIT 100",
            [today, *window],
        )
        return cursor.fetchall()


def _case_manager_overview_count_not_cached(ctx: BenchContext) -> object:
    """The unit-wide overview right after a trajectory of the organisation changed: the "at
    most 1,000" count is not in the counts cache and is counted (the worst case of the page)."""
    from opstap.trajectories.selectors import TRAJECTORY_COUNTS

    TRAJECTORY_COUNTS.changed(ctx.organisation_id)
    return _get("staff_client", "/trajecten/")(ctx)


def _case_manager_overdue_count_not_cached(ctx: BenchContext) -> object:
    """The overdue overview right after a trajectory of the organisation changed: its "at
    most 1,000" count is counted."""
    from opstap.trajectories.selectors import TRAJECTORY_COUNTS

    TRAJECTORY_COUNTS.changed(ctx.organisation_id)
    return _get("staff_client", "/trajecten/?overdue=on")(ctx)


def _sql_case_manager_overview(ctx: BenchContext, *, overdue: bool, count: bool) -> object:
    """Floor: the count (at most 1,001, as the page says "meer dan 1.000") and the first page
    (50) of the running trajectories of the clients the case manager may see, newest first,
    or with `overdue` only the ones with a past due date, longest overdue first. Without
    `count` the page alone, as the request runs it with its count in the counts cache
    (`CountsCache.capped_count`; until 7 December that floor held the count too)."""
    from django.utils import timezone

    today = timezone.localdate()
    user_id = ctx.users["klantmanager"].pk
    where = (
        "t.organisation_id = %s AND t.state NOT IN ('handed_over', 'quote_rejected') AND "
        "c.organisation_id = %s AND (c.case_manager_id = %s OR c.ladder_step IN "
        "('2b','3','4','5') OR (c.ladder_step = '6' AND c.ladder_sub_status IN "
        "('with_growth','not_work_ready')))"
    )
    params: list[object] = [ctx.organisation_id, ctx.organisation_id, user_id]
    order = "t.order_date DESC, t.id DESC"
    if overdue:
        where += " AND t.next_due_on < %s"
        params.append(today)
        order = "t.next_due_on, t.id"
    joined = "FROM trajectories_trajectory t JOIN clients_client c ON c.id = t.client_id "
    with connection.cursor() as cursor:
        if count:
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT t.id {joined} WHERE {where} LIMIT 1001) x",  # noqa: S608
                params,
            )
            cursor.fetchone()
        cursor.execute(
            "SELECT t.*, c.client_number, c.first_name, c.last_name, p.name, v.name, "
            f"u.first_name, u.last_name {joined}"
            "JOIN providers_product p ON p.id = t.product_id "
            "JOIN providers_provider v ON v.id = t.provider_id "
            "JOIN accounts_user u ON u.id = t.case_manager_id "
            f"WHERE {where} ORDER BY {order} LIMIT 50",
            params,
        )
        return cursor.fetchall()


OPERATIONS.extend(
    [
        Operation(
            "GET /api/v1/trajectories (provider, page of 100)",
            _provider_trajectories_api,
            lambda ctx: _sql_provider_trajectories(ctx, count=False),
            "hand-written SQL (the rows; the total is cached)",
        ),
        Operation(
            "GET /api/v1/trajectories (provider), count not cached",
            _provider_trajectories_api_count_not_cached,
            _sql_provider_trajectories,
            "hand-written SQL",
        ),
        Operation(
            "trajectory overview, running (case manager, unit-wide)",
            _get("staff_client", "/trajecten/"),
            lambda ctx: _sql_case_manager_overview(ctx, overdue=False, count=False),
            "hand-written SQL (the rows; the count is cached)",
        ),
        Operation(
            "trajectory overview, running, count not cached",
            _case_manager_overview_count_not_cached,
            lambda ctx: _sql_case_manager_overview(ctx, overdue=False, count=True),
            "hand-written SQL",
        ),
        Operation(
            "trajectory overview, overdue only (case manager)",
            _get("staff_client", "/trajecten/?overdue=on"),
            lambda ctx: _sql_case_manager_overview(ctx, overdue=True, count=False),
            "hand-written SQL (the rows; the count is cached)",
        ),
        Operation(
            "trajectory overview, overdue only, count not cached",
            _case_manager_overdue_count_not_cached,
            lambda ctx: _sql_case_manager_overview(ctx, overdue=True, count=True),
            "hand-written SQL",
        ),
    ]
)


# --- invoices (R-BILL-2, R-BILL-10): checking a batch of submitted invoices ------------------

_INVOICE_BATCH = 100
_invoice_cache: dict[str, Any] = {}


def _invoice_batch(ctx: BenchContext) -> list[Any]:
    if "batch" not in _invoice_cache:
        from opstap.invoices.models import Invoice

        _invoice_cache["batch"] = list(
            Invoice.objects.filter(organisation_id=ctx.organisation_id).order_by("id")[
                :_INVOICE_BATCH
            ]
        )
    return _invoice_cache["batch"]


def _check_invoice_batch(ctx: BenchContext) -> object:
    """Check up to 100 submitted invoices against the payment rules (bulk, read-only)."""
    from opstap.invoices.services import invoices_check_many

    return invoices_check_many(_invoice_batch(ctx))


def _pure_check_invoice_batch(ctx: BenchContext) -> object:
    """Floor: the pure `payment_rules.check_claim` on the same invoices, facts prebuilt."""
    from opstap.invoices.payment_rules import check_claim
    from opstap.invoices.services import claim_of, rules_context, trajectory_facts

    if "pure" not in _invoice_cache:
        prepared = []
        for invoice in _invoice_batch(ctx):
            facts = trajectory_facts(invoice.trajectory, exclude_invoice_id=invoice.pk)
            claim = claim_of(invoice)
            prepared.append((claim, facts))
        _invoice_cache["pure"] = (prepared, rules_context(ctx.organisation_id))
    prepared, rules = _invoice_cache["pure"]
    return [check_claim(claim, facts, rules) for claim, facts in prepared]


OPERATIONS.extend(
    [
        Operation(
            f"check a batch of {_INVOICE_BATCH} submitted invoices (payment rules)",
            _check_invoice_batch,
            _pure_check_invoice_batch,
            "pure check_claim on prebuilt facts",
            unavailable=lambda ctx: "" if _invoice_batch(ctx) else "no invoices in this data set",
        ),
    ]
)


# --- Daily lists of the other roles (issue 18): steering, indicators, invoices, the case
# manager's trajectory API. Their floor is the page's own SQL replayed: every SELECT the
# request ran (captured once, then executed through a bare cursor). The ratio is what the
# view, serializers, templates and middleware add on top of the queries they need.

_staff_clients: dict[str, Client] = {}
_replays: dict[str, list[str]] = {}


def _staff(ctx: BenchContext, username: str) -> Client:
    """A logged-in test client for `username`, or for "api:<username>" an API client with a
    bearer token of that user (made once)."""
    if username not in _staff_clients:
        if username.startswith("api:"):
            from opstap.accounts.services import api_token_issue

            _token, key = api_token_issue(user=ctx.users[username[4:]], name="benchmark")
            client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        else:
            client = Client()
            client.force_login(ctx.users[username])
        _staff_clients[username] = client
    return _staff_clients[username]


def _page(username: str, path: str) -> Callable[[BenchContext], object]:
    def run(ctx: BenchContext) -> object:
        response = _staff(ctx, username).get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    return run


def _replayed_sql(
    username: str, path: str, *, prepare: Callable[[BenchContext], object] | None = None
) -> Callable[[BenchContext], object]:
    """Floor: the SELECT statements of one request to `path`, captured on first use (with
    their parameters bound by the database driver) and replayed through a cursor.

    The captured request is the one the operation times: without `prepare` a request made
    right after another to the same path, so what the page serves from its caches (a list's
    total from the counts cache, the KPI trends) is not in its floor; with `prepare`, the
    request right after `prepare(ctx)` (a write that makes the cached total stale). Until
    7 December the first request of the run was captured, with whatever its caches then
    lacked: the case manager's trajectory API had the sum of its total in the floor of its
    cached first page, and the KPI pages their trends."""
    key = f"{username} {path} {prepare.__name__ if prepare else ''}"

    def floor(ctx: BenchContext) -> object:
        if key not in _replays:
            from django.test.utils import CaptureQueriesContext

            if prepare is None:
                _page(username, path)(ctx)  # fills the caches the timed requests find full
            else:
                prepare(ctx)
            with CaptureQueriesContext(connection) as captured:
                _page(username, path)(ctx)
            _replays[key] = [q["sql"] for q in captured.captured_queries if _reads_only(q["sql"])]
        rows = []
        with connection.cursor() as cursor:
            for sql in _replays[key]:
                cursor.execute(sql)
                rows.append(cursor.fetchall())
        return rows

    return floor


def _reads_only(sql: str) -> bool:
    """A statement the floor replays: a SELECT, or a WITH that writes nothing (since audit
    0007 the audit write on PostgreSQL is one `WITH … INSERT`, which is not the page's SQL
    floor and cannot be replayed as a read)."""
    text = sql.lstrip().upper()
    if text.startswith("SELECT"):
        return True
    return text.startswith("WITH") and not re.search(r"\b(INSERT|UPDATE|DELETE)\b", text)


def _municipality_id(ctx: BenchContext) -> int:
    from opstap.organisations.models import Municipality

    return (
        Municipality.objects.filter(organisation_id=ctx.organisation_id)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
        or 0
    )


def _client_written(ctx: BenchContext) -> None:
    """What any client write does to the counts cache: every cached client count of the
    organisation, and every count that depends on them, is stale."""
    from opstap.clients.selectors import CLIENT_COUNTS

    CLIENT_COUNTS.changed(ctx.organisation_id)


def _case_manager_trajectories_after_a_write(ctx: BenchContext) -> object:
    """The case manager's first page right after a client of the organisation was written
    (any client write makes the cached total stale): the total is the sum of the trajectory
    counters of the clients in scope (issue 18, ADR 0009)."""
    _client_written(ctx)
    return _page("api:klantmanager", "/api/v1/trajectories?pageSize=25")(ctx)


def _case_manager_total_counted(ctx: BenchContext) -> object:
    """The same total counted from the trajectories joined with the clients in scope, as it
    was before the counter: the comparison, in the same run."""
    from opstap.trajectories.selectors import trajectories_for

    return trajectories_for(ctx.users["klantmanager"]).count()


def _case_manager_total_summed(ctx: BenchContext) -> object:
    from opstap.clients.selectors import CLIENT_COUNTS
    from opstap.trajectories.selectors import TrajectoryFilters, trajectory_total

    CLIENT_COUNTS.changed(ctx.organisation_id)
    return trajectory_total(user=ctx.users["klantmanager"], filters=TrajectoryFilters())


def _daily(name: str, username: str, path: str) -> Operation:
    return Operation(name, _page(username, path), _replayed_sql(username, path), "its SQL replayed")


class _MunicipalityPath:
    """A path that needs the first municipality's id, resolved on first use."""

    def __init__(self, template: str) -> None:
        self.template = template

    def operation(self, name: str, username: str) -> Operation:
        resolved: dict[str, str] = {}

        def path(ctx: BenchContext) -> str:
            if "p" not in resolved:
                resolved["p"] = self.template.format(municipality=_municipality_id(ctx))
            return resolved["p"]

        return Operation(
            name,
            lambda ctx: _page(username, path(ctx))(ctx),
            lambda ctx: _replayed_sql(username, path(ctx))(ctx),
            "its SQL replayed",
        )


def _team_lead_home_after_a_write(ctx: BenchContext) -> object:
    """The team lead's start page right after a client of the organisation was written (any
    client write makes the cached counts stale): the own caseload and the clients without a
    case manager counted again, in one grouped statement (`own_and_unassigned_counts`), and
    the number of clients visible in the unit."""
    _client_written(ctx)
    return _page("teamleider", "/")(ctx)


OPERATIONS.extend(
    [
        # The team lead (case manager + policy officer, Unit Werk) opens her start page daily:
        # the caseload panel with "N klanten zonder klantmanager binnen uw unit" (R-CLI-3,
        # `clients.selectors.own_and_unassigned_counts`), the KPI panel of her policy role.
        _daily("home page (team lead)", "teamleider", "/"),
        Operation(
            "home page (team lead), counts not cached",
            _team_lead_home_after_a_write,
            _replayed_sql("teamleider", "/", prepare=_client_written),
            "its SQL replayed (after a write: the counts counted)",
        ),
        _daily(
            "GET /api/v1/trajectories (case manager, first page)",
            "api:klantmanager",
            "/api/v1/trajectories?pageSize=25",
        ),
        Operation(
            "GET /api/v1/trajectories (case manager, after a write)",
            _case_manager_trajectories_after_a_write,
            _replayed_sql(
                "api:klantmanager", "/api/v1/trajectories?pageSize=25", prepare=_client_written
            ),
            "its SQL replayed (after a write: the sum of the counters)",
        ),
        Operation(
            "… its total counted from the rows (before the counter)",
            _case_manager_total_counted,
            _case_manager_total_summed,
            "the sum of the clients' counters",
        ),
        _daily("attendance register (provider staff)", "aanbieder-a", "/trajecten/aanwezigheid/"),
        # The register's choice of trajectory is a search (issue 18): a common surname
        # prefix, more matches than the 20 shown (the demo's most frequent surname, Jansen).
        _daily(
            "attendance: trajectory search 'jan' (provider staff)",
            "aanbieder-a",
            "/trajecten/aanwezigheid/trajecten/?q=jan",
        ),
        _daily("invoice list (finance clerk)", "administratie", "/facturen/"),
        _daily("indicators page (contract manager)", "contractmanager", "/indicatoren/"),
        _MunicipalityPath("/sturing/?gemeente={municipality}").operation(
            "KPI dashboard, one municipality (policy officer)", "beleid"
        ),
        _daily("KPI dashboard, whole organisation (policy officer)", "beleid", "/sturing/"),
        _daily(
            "KPI detail, active guidance towards work (policy officer)",
            "beleid",
            "/sturing/kpi/actieve-begeleiding-naar-werk/",
        ),
        _daily("GET /api/v1/kpis (policy officer)", "api:beleid", "/api/v1/kpis"),
        # Every unanswered access request of the organisation with its handler, one query
        # (R-SEC-5, AVG art. 12(3)); each row shown writes an audit `list` record.
        Operation(
            "access-request deadlines (privacy officer)",
            _page("privacy", "/inzageverzoeken/termijnen/"),
            _replayed_sql("privacy", "/inzageverzoeken/termijnen/"),
            "its SQL replayed",
            unavailable=lambda ctx: (
                ""
                if _open_access_requests(ctx)
                else "no unanswered access request in this data set"
            ),
        ),
    ]
)


def _open_access_requests(ctx: BenchContext) -> int:
    from opstap.access_requests.models import AccessRequest
    from opstap.access_requests.selectors import UNANSWERED_STATES

    return AccessRequest.objects.filter(
        organisation_id=ctx.organisation_id, state__in=UNANSWERED_STATES
    ).count()
