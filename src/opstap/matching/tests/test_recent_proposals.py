"""The start page's latest proposals (issue 18): a case manager's come from one hand-written
statement; they must be the rows the ORM gives on the same data (the old select_related
read included), and other scopes keep the ORM."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.core.access import scoped
from opstap.matching import services
from opstap.matching.models import Proposal, Vacancy
from opstap.matching.selectors import (
    open_vacancy_count,
    recent_proposals_for,
    recent_proposals_orm,
)
from opstap.matching.workflow import ProposalState, VacancyState


def _old(user: User, limit: int) -> list[tuple[Any, ...]]:
    """The panel's read before issue 18: whole models, values taken from them."""
    rows = (
        scoped(user, Proposal.objects.all())
        .exclude(state__in=[ProposalState.WITHDRAWN.value, ProposalState.NOT_SUITABLE.value])
        .select_related("vacancy__employer", "client")
        .order_by("-proposed_at", "-id")[:limit]
    )
    return [
        (
            p.pk,
            p.client_id,
            p.vacancy_id,
            p.proposed_at,
            p.client.full_name,
            p.vacancy.title,
            p.vacancy.employer.name,
            p.state_label,
        )
        for p in rows
    ]


def _new(rows: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (
            r.pk,
            r.client_id,
            r.vacancy_id,
            r.proposed_at,
            r.client_name,
            r.vacancy_title,
            r.employer_name,
            r.state_label,
        )
        for r in rows
    ]


def test_rows_equal_the_orm(
    org, km: User, wsp: User, vacancy: Vacancy, make_candidate: Callable[..., Client], make_user
) -> None:
    from opstap.core.roles import RoleCode

    colleague = make_user(RoleCode.CASE_MANAGER, username="collega")
    clients = [
        make_candidate({"shared_with_wsp": True}, last_name_prefix="van", last_name="Dijk"),
        make_candidate(ladder_step="4"),
        make_candidate(ladder_step="1"),  # handed to the colleague: not in km's scope
        make_candidate(ladder_step="3"),  # handed to the colleague: km's unit
        make_candidate({"shared_with_wsp": True}),
    ]
    Client.objects.filter(pk__in=[clients[2].pk, clients[3].pk]).update(case_manager=colleague)
    proposals = [
        services.proposal_create(actor=colleague if i in (2, 3) else km, vacancy=vacancy, client=c)
        for i, c in enumerate(Client.objects.get(pk=c.pk) for c in clients)
    ]
    services.proposal_withdraw(actor=km, proposal=proposals[1], reason="Verhuisd.")
    for user in (km, colleague, wsp):
        fresh = User.objects.get(pk=user.pk)
        for limit in (1, 3, 8):
            new = _new(recent_proposals_for(fresh, limit=limit))
            assert new == _old(fresh, limit) == _new(recent_proposals_orm(fresh, limit=limit))
    mine = _new(recent_proposals_for(User.objects.get(pk=km.pk), limit=8))
    assert {row[1] for row in mine} == {clients[0].pk, clients[3].pk, clients[4].pk}
    assert any(row[4] == "Jan van Dijk" for row in mine)
    assert all(row[3].tzinfo is not None for row in mine)


def test_case_manager_reads_in_one_statement(org, km: User, vacancy: Vacancy) -> None:
    recent_proposals_for(km, limit=8)  # the profile, cached on the user
    with CaptureQueriesContext(connection) as queries:
        recent_proposals_for(km, limit=8)
    # The ladder mapping (the scope), then the proposals with plain joins.
    assert len(queries.captured_queries) == 2
    assert "IN (SELECT" not in queries.captured_queries[-1]["sql"]


def test_open_vacancy_count_equals_the_policy(
    org, km: User, wsp: User, vacancy: Vacancy, make_user
) -> None:
    from opstap.core.roles import RoleCode

    officer = make_user(RoleCode.POLICY_OFFICER, username="beleid")
    Vacancy.objects.filter(pk=vacancy.pk).update(state=VacancyState.OPEN.value)
    for user in (km, wsp, officer):
        orm = scoped(user, Vacancy.objects.filter(state=VacancyState.OPEN.value)).count()
        assert open_vacancy_count(user) == orm
    assert open_vacancy_count(km) == 1
