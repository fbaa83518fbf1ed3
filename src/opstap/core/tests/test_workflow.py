"""The workflow-table type and its one guard."""

from __future__ import annotations

from enum import StrEnum

import pytest

from opstap.core.errors import WorkflowError
from opstap.core.workflow import Refusal, Transition, WorkflowTable, guard


class S(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    DONE = "done"


class A(StrEnum):
    SEND = "send"
    FINISH = "finish"


TABLE = WorkflowTable(
    (
        Transition(S.DRAFT, A.SEND, S.SENT, frozenset({"clerk"}), "R-X-1"),
        Transition(S.SENT, A.FINISH, S.DONE, frozenset({"boss"}), "R-X-2"),
    )
)


def _refuse(why: Refusal, rows: tuple[Transition[S, A], ...]) -> WorkflowError:
    return WorkflowError(f"{why}:{len(rows)}")


def test_guard_returns_the_row_that_allows_the_step() -> None:
    row = guard(TABLE, state=S.DRAFT, action=A.SEND, roles={"clerk"}, refuse=_refuse)
    assert (row.to_state, row.rule) == (S.SENT, "R-X-1")
    assert TABLE.actions(S.DRAFT) == (A.SEND,)
    assert TABLE.states() == frozenset(S)


@pytest.mark.parametrize(
    ("state", "action", "roles", "applies", "why"),
    [
        (S.DONE, A.SEND, {"clerk"}, None, "wrong_state:1"),  # checked first
        (S.DRAFT, A.SEND, {"clerk"}, (lambda _row: False), "not_applicable:1"),
        (S.DRAFT, A.SEND, {"boss"}, None, "wrong_role:1"),
    ],
)
def test_guard_refuses_with_the_most_basic_reason(state, action, roles, applies, why) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(WorkflowError, match=why):
        guard(TABLE, state=state, action=action, roles=roles, applies=applies, refuse=_refuse)


def test_roles_none_skips_the_role_check() -> None:
    assert guard(TABLE, state=S.SENT, action=A.FINISH, refuse=_refuse).to_state is S.DONE


def test_the_three_workflows_are_core_tables() -> None:
    """Issue 13: trajectories, invoices and access requests share one table type."""
    from opstap.access_requests import workflow as ar
    from opstap.invoices import workflow as inv
    from opstap.trajectories import workflow as trj

    for module in (ar, inv, trj):
        assert isinstance(module.TABLE, WorkflowTable)
        assert all(isinstance(row, Transition) for row in module.TABLE)
        assert len(module.TABLE) == len(module.TRANSITIONS)
