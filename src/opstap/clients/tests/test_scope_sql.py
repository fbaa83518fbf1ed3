"""`client_scope_sql` (issue 18): the clients policy written out for hand-written statements
selects exactly the clients `clients_for` (the ORM) selects, for every role; a policy it
cannot write out (a subquery) is None, so the caller keeps the ORM."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q

from opstap.accounts.models import User
from opstap.clients.access import _NotWritableError, _q_sql
from opstap.clients.models import Client
from opstap.clients.selectors import client_scope_sql, clients_for
from opstap.clients.services import case_manager_set_unit
from opstap.core.roles import RoleCode

from .factories import a_case_manager, make_client


def _sql_ids(user: User) -> set[int]:
    scope = client_scope_sql(user, "c")
    assert scope is not None
    sql, params = scope
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT c.id FROM {Client._meta.db_table} c WHERE {sql}", params)  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


def _orm_ids(user: User) -> set[int]:
    return set(clients_for(user).values_list("pk", flat=True))


def test_written_out_scope_selects_the_same_clients(
    org, other_org, case_manager, make_user
) -> None:
    case_manager_set_unit(user=case_manager, unit="work")
    care = make_user(RoleCode.CASE_MANAGER, username="zorg-km")
    case_manager_set_unit(user=care, unit="care")
    no_unit = make_user(RoleCode.CASE_MANAGER, username="zonder-unit")
    officer = make_user(RoleCode.POLICY_OFFICER, username="beleid")
    positions = [(step, "") for step in ("1", "2a", "2b", "3", "4", "5")] + [
        ("6", sub) for sub in ("with_growth", "without_growth", "not_work_ready")
    ]
    for step, sub in positions:
        for manager in (case_manager, care, no_unit):
            extra: dict[str, Any] = {"ladder_sub_status": sub} if sub else {}
            make_client(org, ladder_step=step, case_manager=manager, **extra)
    make_client(other_org, ladder_step="4", case_manager=a_case_manager(other_org))
    for user in (case_manager, care, no_unit, officer):
        fresh = User.objects.get(pk=user.pk)
        assert _sql_ids(fresh) == _orm_ids(fresh)
    assert _orm_ids(case_manager) and _orm_ids(care) and _orm_ids(no_unit)
    assert client_scope_sql(officer, "c") == ("1 = 0", [])


def test_provider_staff_scope_is_not_written_out(provider_user_a) -> None:
    assert client_scope_sql(provider_user_a, "c") is None  # a subquery: the ORM keeps it


def test_only_plain_lookups_are_written_out() -> None:
    assert _q_sql(Q(ladder_step="4") | Q(pk__in=[]), "c") == (
        'c."ladder_step" = %s OR 1 = 0',
        ["4"],
    )
    nested = Q(case_manager_id=3) | (Q(ladder_step="6") & Q(ladder_sub_status="with_growth"))
    assert _q_sql(nested, "c") == (
        'c."case_manager_id" = %s OR (c."ladder_step" = %s AND c."ladder_sub_status" = %s)',
        [3, "6", "with_growth"],
    )
    assert _q_sql(Q(user_id=7), "c") == ('c."user_id" = %s', [7])
    for q in (
        ~Q(ladder_step="4"),
        Q(ladder_step__startswith="4"),
        Q(case_manager__username="x"),
        Q(pk__in=Client.objects.values("pk")),
        Q(ladder_sub_status=None),
    ):
        try:
            _q_sql(q, "c")
        except _NotWritableError:
            continue
        raise AssertionError(q)
