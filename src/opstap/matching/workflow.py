"""The two workflows of matching, as `core.workflow` tables (pure).

- **Vacancy** (R-MAT): open → filled (a placement fills it) | withdrawn (by the employer);
  a withdrawn vacancy may be reopened.
- **Proposal** (R-MAT: match → proposal → introduction → placement): proposed →
  introduction planned → introduced (positive outcome) → placed; a negative introduction
  outcome ends it as `not_suitable`; a proposal may be withdrawn until it is placed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from opstap.core.errors import WorkflowError
from opstap.core.workflow import Refusal, Transition, WorkflowTable, guard

__all__ = [
    "PROPOSAL_WORKFLOW",
    "VACANCY_WORKFLOW",
    "MatchingWorkflowError",
    "ProposalAction",
    "ProposalState",
    "VacancyAction",
    "VacancyState",
    "proposal_guard",
    "vacancy_guard",
]


class MatchingWorkflowError(WorkflowError):
    pass


_T = TypeVar("_T", bound=Transition[Any, Any])


class VacancyState(StrEnum):
    OPEN = "open"
    FILLED = "filled"
    WITHDRAWN = "withdrawn"


class VacancyAction(StrEnum):
    FILL = "fill"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"


VACANCY_STATE_NL = {
    VacancyState.OPEN: "Open",
    VacancyState.FILLED: "Vervuld",
    VacancyState.WITHDRAWN: "Ingetrokken",
}
VACANCY_ACTION_NL = {
    VacancyAction.FILL: "vervullen",
    VacancyAction.WITHDRAW: "intrekken",
    VacancyAction.REOPEN: "heropenen",
}

VACANCY_WORKFLOW: WorkflowTable[Transition[VacancyState, VacancyAction]] = WorkflowTable(
    [
        Transition(VacancyState.OPEN, VacancyAction.FILL, VacancyState.FILLED, rule="R-MAT"),
        Transition(VacancyState.OPEN, VacancyAction.WITHDRAW, VacancyState.WITHDRAWN, rule="R-MAT"),
        Transition(
            VacancyState.WITHDRAWN,
            VacancyAction.REOPEN,
            VacancyState.OPEN,
            rule="a withdrawn vacancy may be published again",
        ),
    ]
)


class ProposalState(StrEnum):
    PROPOSED = "proposed"
    INTRODUCTION_PLANNED = "introduction_planned"
    INTRODUCED = "introduced"
    NOT_SUITABLE = "not_suitable"
    PLACED = "placed"
    WITHDRAWN = "withdrawn"


class ProposalAction(StrEnum):
    PLAN_INTRODUCTION = "plan_introduction"
    RECORD_INTRODUCTION = "record_introduction"
    REJECT = "reject"
    PLACE = "place"
    WITHDRAW = "withdraw"


PROPOSAL_STATE_NL = {
    ProposalState.PROPOSED: "Voorgedragen",
    ProposalState.INTRODUCTION_PLANNED: "Kennismaking gepland",
    ProposalState.INTRODUCED: "Kennismaking positief",
    ProposalState.NOT_SUITABLE: "Geen match na kennismaking",
    ProposalState.PLACED: "Geplaatst",
    ProposalState.WITHDRAWN: "Ingetrokken",
}
PROPOSAL_ACTION_NL = {
    ProposalAction.PLAN_INTRODUCTION: "kennismaking plannen",
    ProposalAction.RECORD_INTRODUCTION: "uitkomst kennismaking vastleggen",
    ProposalAction.REJECT: "afsluiten zonder match",
    ProposalAction.PLACE: "plaatsing vastleggen",
    ProposalAction.WITHDRAW: "voordracht intrekken",
}

_P, _A = ProposalState, ProposalAction
PROPOSAL_WORKFLOW: WorkflowTable[Transition[ProposalState, ProposalAction]] = WorkflowTable(
    [
        Transition(_P.PROPOSED, _A.PLAN_INTRODUCTION, _P.INTRODUCTION_PLANNED, rule="R-MAT"),
        Transition(_P.INTRODUCTION_PLANNED, _A.RECORD_INTRODUCTION, _P.INTRODUCED, rule="R-MAT"),
        Transition(_P.INTRODUCTION_PLANNED, _A.REJECT, _P.NOT_SUITABLE, rule="R-MAT"),
        Transition(_P.INTRODUCED, _A.PLACE, _P.PLACED, rule="R-MAT, R-TRJ-7"),
        Transition(_P.PROPOSED, _A.WITHDRAW, _P.WITHDRAWN, rule="R-MAT"),
        Transition(_P.INTRODUCTION_PLANNED, _A.WITHDRAW, _P.WITHDRAWN, rule="R-MAT"),
        Transition(_P.INTRODUCED, _A.WITHDRAW, _P.WITHDRAWN, rule="R-MAT"),
    ]
)


def _guard(table: WorkflowTable[_T], state: StrEnum, action: StrEnum, message: str) -> _T:
    """The row of `table` for `action` in `state`, else `MatchingWorkflowError(message)`,
    whichever step of the guard failed."""

    def refuse(why: Refusal, rows: tuple[object, ...]) -> WorkflowError:
        return MatchingWorkflowError(message, state=state.value, action=action.value)

    return guard(table, state=state, action=action, refuse=refuse)


#: The refusals, in the words of the page (status and action as the user sees them).
_VACANCY_REFUSED = "Een vacature met status '{state}' kan niet worden {action}."
_PROPOSAL_REFUSED = "Bij een voordracht met status '{state}' kunt u niet {action}."


def vacancy_guard(state: str, action: str) -> Transition[VacancyState, VacancyAction]:
    st, act = VacancyState(state), VacancyAction(action)
    message = _VACANCY_REFUSED.format(state=VACANCY_STATE_NL[st], action=VACANCY_ACTION_NL[act])
    return _guard(VACANCY_WORKFLOW, st, act, message)


def proposal_guard(state: str, action: str) -> Transition[ProposalState, ProposalAction]:
    st, act = ProposalState(state), ProposalAction(action)
    message = _PROPOSAL_REFUSED.format(state=PROPOSAL_STATE_NL[st], action=PROPOSAL_ACTION_NL[act])
    return _guard(PROPOSAL_WORKFLOW, st, act, message)
