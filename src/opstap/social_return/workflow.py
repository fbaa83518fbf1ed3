"""The workflow of a social-return plan of approach (R-NET-10, annex "Social Return"), pure.

    submitted ─approve→ approved
        └──────return (with remarks)→ returned

After award the provider submits a plan (text, document, intended building blocks); the
social-return coordinator approves it or returns it with remarks. A returned plan is not
edited: the provider submits a new version, so every version and decision stays in the
history. Each allowed step is one row of core's workflow-table type; `check_transition` is
the only gate.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from opstap.core.errors import WorkflowError
from opstap.core.roles import RoleCode
from opstap.core.workflow import Refusal, WorkflowTable, guard
from opstap.core.workflow import Transition as _Transition


class PlanState(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return PLAN_STATE_LABELS_NL[self]


PLAN_STATE_LABELS_NL: Mapping[PlanState, str] = MappingProxyType(
    {
        PlanState.SUBMITTED: "Ingediend, wacht op beoordeling",
        PlanState.APPROVED: "Goedgekeurd",
        PlanState.RETURNED: "Teruggestuurd met opmerkingen",
    }
)
PLAN_STATE_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (s.value, PLAN_STATE_LABELS_NL[s]) for s in PlanState
)


class PlanAction(StrEnum):
    APPROVE = "approve"
    RETURN = "return"

    @property
    def label(self) -> str:
        return {"approve": "goedkeuren", "return": "terugsturen"}[self.value]


Transition = _Transition[PlanState, PlanAction]
COORDINATOR = frozenset({RoleCode.SOCIAL_RETURN_COORDINATOR.value})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        PlanState.SUBMITTED, PlanAction.APPROVE, PlanState.APPROVED, COORDINATOR, "R-NET-10"
    ),
    Transition(PlanState.SUBMITTED, PlanAction.RETURN, PlanState.RETURNED, COORDINATOR, "R-NET-10"),
)
TABLE: WorkflowTable[Transition] = WorkflowTable(TRANSITIONS)


class PlanTransitionError(WorkflowError):
    """A step the table does not allow; Dutch message."""


def check_transition(
    *, state: PlanState | str, action: PlanAction | str, roles: frozenset[str] | None = None
) -> Transition:
    current, act = PlanState(state), PlanAction(action)

    def refuse(why: Refusal, rows: tuple[Transition, ...]) -> WorkflowError:
        if why is Refusal.WRONG_ROLE:
            return PlanTransitionError(
                f"Alleen de social-return-coördinator kan een plan van aanpak {act.label}.",
                state=current,
                action=act,
            )
        return PlanTransitionError(
            f"Een plan van aanpak met status '{current.label.lower()}' kunt u niet "
            f"{act.label}; dat kan alleen bij een ingediend plan.",
            state=current,
            action=act,
        )

    return guard(TABLE, state=current, action=act, refuse=refuse, roles=roles)
