"""The workflow-table type: transitions as data, one guard. Pure: no Django.

A workflow is a tuple of `Transition` rows — from which state, by which action, to which
state, which roles may take it (empty: anyone the service lets through) and the spec rule
or note that allows it. `WorkflowTable` answers the questions every workflow asks (what may
happen from here, where does this lead) and `guard` is the only gate: it returns the row
that allows a step or raises the app's `WorkflowError` subclass, built by the app's own
`refuse` callback so each workflow keeps its Dutch wording.

The guard checks in a fixed order, so the message names the most basic problem first:

1. `Refusal.WRONG_STATE`  — no row for this action from this state;
2. `Refusal.NOT_APPLICABLE` — rows exist, but the app's `applies` predicate (e.g. the
   trajectory's product code) rules them all out;
3. `Refusal.WRONG_ROLE`  — none of the remaining rows lists one of the caller's roles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from .errors import WorkflowError

__all__ = ["Refusal", "Transition", "WorkflowTable", "guard"]

S = TypeVar("S", bound=StrEnum)
A = TypeVar("A", bound=StrEnum)


@dataclass(frozen=True)
class Transition(Generic[S, A]):
    """One allowed step: `action` (by one of `roles`, if any are named) moves `from_state`
    to `to_state`; `rule` cites the spec rule or says why the row exists."""

    from_state: S
    action: A
    to_state: S
    roles: frozenset[str] = field(default_factory=frozenset)
    rule: str = ""


T = TypeVar("T", bound="Transition[Any, Any]")


class Refusal(StrEnum):
    WRONG_STATE = "wrong_state"
    NOT_APPLICABLE = "not_applicable"
    WRONG_ROLE = "wrong_role"


class WorkflowTable(Generic[T]):
    """The rows of one workflow, in table order, with the lookups every workflow needs."""

    def __init__(self, rows: Sequence[T]) -> None:
        self.rows: tuple[T, ...] = tuple(rows)

    def __iter__(self) -> Iterator[T]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def by_action(self, action: StrEnum) -> tuple[T, ...]:
        return tuple(row for row in self.rows if row.action is action)

    def from_state(self, state: StrEnum) -> tuple[T, ...]:
        return tuple(row for row in self.rows if row.from_state is state)

    def find(self, state: StrEnum, action: StrEnum) -> tuple[T, ...]:
        return tuple(row for row in self.rows if row.from_state is state and row.action is action)

    def actions(self, state: StrEnum) -> tuple[StrEnum, ...]:
        """The actions allowed from `state`, in table order, each once."""
        return tuple(dict.fromkeys(row.action for row in self.from_state(state)))

    def states(self) -> frozenset[StrEnum]:
        return frozenset(r.from_state for r in self.rows) | frozenset(r.to_state for r in self.rows)


def guard(
    table: WorkflowTable[T],
    *,
    state: StrEnum,
    action: StrEnum,
    refuse: Callable[[Refusal, tuple[T, ...]], WorkflowError],
    roles: Iterable[str] | None = None,
    applies: Callable[[T], bool] | None = None,
) -> T:
    """The row that allows `action` in `state`, or the error `refuse(why, rows)` builds.

    `rows` passed to `refuse` are the candidates at the step that failed: every row of the
    action (wrong state), the rows from this state (not applicable) or the applicable rows
    (wrong role). `roles=None` skips the role check (the service checked permissions)."""
    rows = table.find(state, action)
    if not rows:
        raise refuse(Refusal.WRONG_STATE, table.by_action(action))
    if applies is not None:
        candidates = tuple(row for row in rows if applies(row))
        if not candidates:
            raise refuse(Refusal.NOT_APPLICABLE, rows)
        rows = candidates
    if roles is None:
        return rows[0]
    held = frozenset(roles)
    for row in rows:
        if not row.roles or row.roles & held:
            return row
    raise refuse(Refusal.WRONG_ROLE, rows)
