"""The client scope memoised for one request (issue 18): computed once inside a
`request_memo()` block, per user; never kept after the block, never handed to another user."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from opstap.accounts.models import User
from opstap.clients.access import client_scope_q
from opstap.clients.selectors import clients_for
from opstap.clients.services import case_manager_set_unit
from opstap.core.request_memo import request_memo
from opstap.core.roles import RoleCode

from .factories import a_case_manager, make_client


def _mapping_reads(queries: CaptureQueriesContext) -> int:
    return sum('FROM "clients_laddermapping"' in q["sql"] for q in queries.captured_queries)


def _visible(user: User) -> set[int]:
    return set(clients_for(user).values_list("pk", flat=True))


def test_scope_is_computed_once_inside_the_block_and_afresh_outside(org, case_manager) -> None:
    case_manager_set_unit(user=case_manager, unit="work")
    with CaptureQueriesContext(connection) as outside:
        client_scope_q(case_manager)
        client_scope_q(case_manager)
    assert _mapping_reads(outside) == 2
    with CaptureQueriesContext(connection) as inside, request_memo():
        first = client_scope_q(case_manager)
        assert client_scope_q(case_manager) is first
    assert _mapping_reads(inside) == 1


def test_memo_is_per_user_within_one_block(org, case_manager, make_user) -> None:
    case_manager_set_unit(user=case_manager, unit="work")
    care = make_user(RoleCode.CASE_MANAGER, username="zorg-km")
    case_manager_set_unit(user=care, unit="care")
    work_client = make_client(org, ladder_step="4", case_manager=care)
    care_client = make_client(org, ladder_step="1", case_manager=case_manager)
    other_care = make_client(org, ladder_step="1", case_manager=care)
    with request_memo():
        assert _visible(case_manager) == {work_client.pk, care_client.pk}
        assert _visible(care) == {care_client.pk, other_care.pk, work_client.pk}
        assert _visible(case_manager) == {work_client.pk, care_client.pk}


def test_memo_does_not_outlive_its_block(org, case_manager) -> None:
    case_manager_set_unit(user=case_manager, unit="work")
    care_client = make_client(org, ladder_step="1", case_manager=a_case_manager(org))
    with request_memo():
        assert care_client.pk not in _visible(case_manager)
    case_manager_set_unit(user=case_manager, unit="care")
    fresh = User.objects.get(pk=case_manager.pk)  # the profile is cached on the old object
    with request_memo():
        assert care_client.pk in _visible(fresh)
    assert care_client.pk in _visible(fresh)


def test_start_page_scope_per_request_and_user(org, case_manager, make_user) -> None:
    """Two users, one after the other, and the same user after a change of unit: each
    request shows its own scope's numbers."""
    case_manager_set_unit(user=case_manager, unit="work")
    care = make_user(RoleCode.CASE_MANAGER, username="zorg-km")
    case_manager_set_unit(user=care, unit="care")
    for step in ("4", "5", "1"):
        make_client(org, ladder_step=step, case_manager=care)

    def visible_on_start_page(user: User) -> str:
        browser = HttpClient()
        browser.force_login(user)
        html = browser.get("/").content.decode()
        return re.search(r"in uw caseload;\s*([\d.]+) klant(?:en)? binnen", html).group(1)  # type: ignore[union-attr]

    assert visible_on_start_page(case_manager) == "2"
    assert visible_on_start_page(care) == "3"
    assert visible_on_start_page(case_manager) == "2"
    case_manager_set_unit(user=case_manager, unit="care")
    assert visible_on_start_page(case_manager) == "1"


# --- Every page's read opens the memo (core.access.permission_required) -----------------------


def _scope_twice_view() -> object:
    """A guarded page that reads the client scope twice, as a list page whose queries each
    scope themselves does; it answers with the clients it saw."""
    from django.http import HttpResponse

    from opstap.core.access import permission_required

    @permission_required()
    def view(request: object) -> HttpResponse:
        user = request.user  # type: ignore[attr-defined]
        first = client_scope_q(user)
        second = client_scope_q(user)
        shared = "same" if first is second else "fresh"
        return HttpResponse(f"{shared} {sorted(_visible(user))}")

    return view


def _call(view: object, user: User, method: str = "get") -> tuple[str, int]:
    from django.test import RequestFactory

    request = getattr(RequestFactory(), method)("/x/")
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        body = view(request).content.decode()  # type: ignore[operator]
    return body, _mapping_reads(queries)


def test_a_page_read_computes_the_scope_once(org, case_manager) -> None:
    case_manager_set_unit(user=case_manager, unit="work")
    body, reads = _call(_scope_twice_view(), case_manager)
    assert body.startswith("same ")
    assert reads == 1
    # after the request nothing is kept: a call outside any page computes afresh
    with CaptureQueriesContext(connection) as after:
        assert client_scope_q(case_manager) is not client_scope_q(case_manager)
    assert _mapping_reads(after) == 2


def test_a_page_write_does_not_memoise(org, case_manager) -> None:
    case_manager_set_unit(user=case_manager, unit="work")
    body, reads = _call(_scope_twice_view(), case_manager, method="post")
    assert body.startswith("fresh ")
    assert reads >= 2


def test_page_memo_never_leaks_across_users_or_requests(org, case_manager, make_user) -> None:
    """Two users one after the other through the same view, and the same user after a change
    of unit: each request sees its own scope."""
    case_manager_set_unit(user=case_manager, unit="work")
    care = make_user(RoleCode.CASE_MANAGER, username="zorg-km")
    case_manager_set_unit(user=care, unit="care")
    work_client = make_client(org, ladder_step="4", case_manager=care)
    care_client = make_client(org, ladder_step="1", case_manager=care)
    view = _scope_twice_view()
    assert _call(view, case_manager)[0] == f"same {[work_client.pk]}"
    assert _call(view, care)[0] == f"same {sorted([work_client.pk, care_client.pk])}"
    assert _call(view, case_manager)[0] == f"same {[work_client.pk]}"
    case_manager_set_unit(user=case_manager, unit="care")
    fresh = User.objects.get(pk=case_manager.pk)  # the profile is cached on the old object
    assert _call(view, fresh)[0] == f"same {[care_client.pk]}"
