"""The trajectory workflow as one table (R-TRJ-1, R-TRJ-2, R-TRJ-5), pure and typed.

Every allowed step of a trajectory is one row of `TRANSITIONS` (core's workflow-table type,
`opstap.core.workflow`, with two columns of its own): from which state, by which action, to
which state, who may take it (case manager or provider staff), which rule allows
it, whether a reason is required, and for which product codes it applies. Anything not in the
table is refused by `check_transition` with a Dutch message that names the transition and says
why (wrong state, wrong role, or not for this product code). The service layer calls
`check_transition` inside its transaction, stores the new state and writes one event (actor,
time, action, reason); the history is never rewritten (R-TRJ-2).

The path (R-TRJ-2)::

    ordered ─(codes 2, 4, 5)→ quote submitted → quote approved | quote rejected
       │ (codes 1, 3)              │
       └──────────────→ intake planned ←┘
                          → intake held → plan submitted ⇄ plan returned
                          → plan approved → running ⇄ extension requested
                          → completed | terminated early | returned
                            | not started after klikgesprek | not started after intake
                          → final report received → handed over

Choices a reader may question (see `docs/decisions/0003-workflow-as-table.md`):

- "Extension approved" and "extension refused" are *events*, not resting states: either way the
  trajectory is running again; the decision and the new end date live in the event.
- The return of a candidate (R-TRJ-5) is requested by the provider and needs the case
  manager's agreement; once agreed, the trajectory has ended as `returned`. Before the
  trajectory runs, a provider whose candidate does not start uses "not started after intake".
- Every ended state, including "not started", goes through "final report received" (for a
  non-start, the organisation's feedback format or the call/mail of R-BILL-3 is that report)
  and "handed over", so the history of every trajectory ends the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from opstap.core.errors import WorkflowError
from opstap.core.roles import ROLE_NAMES_NL, RoleCode
from opstap.core.workflow import Refusal, WorkflowTable, guard
from opstap.core.workflow import Transition as _Transition

__all__ = [
    "ACTION_LABELS_NL",
    "ALL_PRODUCT_CODES",
    "DIRECT_ORDER_PRODUCT_CODES",
    "ENDED_STATES",
    "INITIAL_STATE",
    "OUTCOME_STATES",
    "QUOTE_PRODUCT_CODES",
    "STATE_LABELS_NL",
    "TERMINAL_STATES",
    "TRANSITIONS",
    "Action",
    "IllegalTransition",
    "RefusalReason",
    "State",
    "Transition",
    "available_actions",
    "check_transition",
    "reachable_states",
    "starts_with_quote",
]

#: Product codes (R-BILL-1, section 5).
ALL_PRODUCT_CODES: frozenset[int] = frozenset({1, 2, 3, 4, 5})
#: Codes 1 and 3 are ordered directly, without a quote (R-TRJ-1).
DIRECT_ORDER_PRODUCT_CODES: frozenset[int] = frozenset({1, 3})
#: Codes 2, 4 and 5 need a quote first; for 5 (jobcoaching) a justification of necessity.
QUOTE_PRODUCT_CODES: frozenset[int] = frozenset({2, 4, 5})


def starts_with_quote(product_code: int) -> bool:
    """R-TRJ-1: does an order for a product with this code start with a quote? (Codes 2, 4
    and 5; codes 1 and 3 are ordered directly.) Pages show this flag, they never decide it."""
    return product_code in QUOTE_PRODUCT_CODES


class State(StrEnum):
    """The states of a trajectory (R-TRJ-2). Dutch label: `state.label`."""

    ORDERED = "ordered"
    QUOTE_SUBMITTED = "quote_submitted"
    QUOTE_APPROVED = "quote_approved"
    QUOTE_REJECTED = "quote_rejected"
    INTAKE_PLANNED = "intake_planned"
    INTAKE_HELD = "intake_held"
    PLAN_SUBMITTED = "plan_submitted"
    PLAN_RETURNED = "plan_returned"
    PLAN_APPROVED = "plan_approved"
    RUNNING = "running"
    EXTENSION_REQUESTED = "extension_requested"
    RETURN_REQUESTED = "return_requested"
    COMPLETED = "completed"
    TERMINATED_EARLY = "terminated_early"
    RETURNED = "returned"
    NOT_STARTED_AFTER_KLIKGESPREK = "not_started_after_klikgesprek"
    NOT_STARTED_AFTER_INTAKE = "not_started_after_intake"
    FINAL_REPORT_RECEIVED = "final_report_received"
    HANDED_OVER = "handed_over"

    @property
    def label(self) -> str:
        return STATE_LABELS_NL[self]


STATE_LABELS_NL: Mapping[State, str] = MappingProxyType(
    {
        State.ORDERED: "Besteld",
        State.QUOTE_SUBMITTED: "Offerte ingediend",
        State.QUOTE_APPROVED: "Offerte goedgekeurd",
        State.QUOTE_REJECTED: "Offerte afgewezen",
        State.INTAKE_PLANNED: "Intake gepland",
        State.INTAKE_HELD: "Intake gehouden",
        State.PLAN_SUBMITTED: "Plan van aanpak ingediend",
        State.PLAN_RETURNED: "Plan van aanpak teruggestuurd",
        State.PLAN_APPROVED: "Plan van aanpak goedgekeurd",
        State.RUNNING: "Lopend",
        State.EXTENSION_REQUESTED: "Verlenging aangevraagd",
        State.RETURN_REQUESTED: "Terugmelding aangevraagd",
        State.COMPLETED: "Beëindigd: afgerond",
        State.TERMINATED_EARLY: "Beëindigd: voortijdig gestopt",
        State.RETURNED: "Beëindigd: teruggemeld",
        State.NOT_STARTED_AFTER_KLIKGESPREK: "Beëindigd: niet gestart na klikgesprek",
        State.NOT_STARTED_AFTER_INTAKE: "Beëindigd: niet gestart na intake",
        State.FINAL_REPORT_RECEIVED: "Eindrapportage ontvangen",
        State.HANDED_OVER: "Warm overgedragen",
    }
)

INITIAL_STATE = State.ORDERED

#: The "ended" states of R-TRJ-2 (plus `returned`, R-TRJ-5).
ENDED_STATES: frozenset[State] = frozenset(
    {
        State.COMPLETED,
        State.TERMINATED_EARLY,
        State.RETURNED,
        State.NOT_STARTED_AFTER_KLIKGESPREK,
        State.NOT_STARTED_AFTER_INTAKE,
    }
)

#: Progress reports (R-TRJ-4) are written while the trajectory runs, also while an
#: extension request is pending (the trajectory keeps running until it is decided).
REPORTING_STATES: frozenset[State] = frozenset({State.RUNNING, State.EXTENSION_REQUESTED})

#: A result (R-TRJ-7) is recorded once the trajectory runs, and corrected after its end; before
#: the start there is none (the page offered the form on an ordered trajectory, and a provider
#: who filled in its thirteen fields was refused).
OUTCOME_STATES: frozenset[State] = ENDED_STATES | {
    State.RUNNING,
    State.EXTENSION_REQUESTED,
    State.FINAL_REPORT_RECEIVED,
    State.HANDED_OVER,
}

#: No action leads out of these states.
TERMINAL_STATES: frozenset[State] = frozenset({State.QUOTE_REJECTED, State.HANDED_OVER})


class Action(StrEnum):
    """What a user does to move a trajectory. Dutch label: `action.label`."""

    SUBMIT_QUOTE = "submit_quote"
    APPROVE_QUOTE = "approve_quote"
    REJECT_QUOTE = "reject_quote"
    PLAN_INTAKE = "plan_intake"
    HOLD_INTAKE = "hold_intake"
    SUBMIT_PLAN = "submit_plan"
    APPROVE_PLAN = "approve_plan"
    RETURN_PLAN = "return_plan"
    START = "start"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    REFUSE_EXTENSION = "refuse_extension"
    REQUEST_RETURN = "request_return"
    APPROVE_RETURN = "approve_return"
    REFUSE_RETURN = "refuse_return"
    COMPLETE = "complete"
    TERMINATE_EARLY = "terminate_early"
    NOT_STARTED_AFTER_KLIKGESPREK = "not_started_after_klikgesprek"
    NOT_STARTED_AFTER_INTAKE = "not_started_after_intake"
    RECEIVE_FINAL_REPORT = "receive_final_report"
    HAND_OVER = "hand_over"

    @property
    def label(self) -> str:
        return ACTION_LABELS_NL[self]


ACTION_LABELS_NL: Mapping[Action, str] = MappingProxyType(
    {
        Action.SUBMIT_QUOTE: "Offerte indienen",
        Action.APPROVE_QUOTE: "Offerte goedkeuren",
        Action.REJECT_QUOTE: "Offerte afwijzen",
        Action.PLAN_INTAKE: "Intake plannen",
        Action.HOLD_INTAKE: "Intake gehouden",
        Action.SUBMIT_PLAN: "Plan van aanpak indienen",
        Action.APPROVE_PLAN: "Plan van aanpak goedkeuren",
        Action.RETURN_PLAN: "Plan van aanpak terugsturen",
        Action.START: "Traject starten",
        Action.REQUEST_EXTENSION: "Verlenging aanvragen",
        Action.APPROVE_EXTENSION: "Verlenging goedkeuren",
        Action.REFUSE_EXTENSION: "Verlenging weigeren",
        Action.REQUEST_RETURN: "Terugmelding aanvragen",
        Action.APPROVE_RETURN: "Terugmelding akkoord geven",
        Action.REFUSE_RETURN: "Terugmelding weigeren",
        Action.COMPLETE: "Traject afronden",
        Action.TERMINATE_EARLY: "Traject voortijdig beëindigen",
        Action.NOT_STARTED_AFTER_KLIKGESPREK: "Niet gestart na klikgesprek",
        Action.NOT_STARTED_AFTER_INTAKE: "Niet gestart na intake",
        Action.RECEIVE_FINAL_REPORT: "Eindrapportage ontvangen",
        Action.HAND_OVER: "Warme overdracht vastleggen",
    }
)


@dataclass(frozen=True)
class Transition(_Transition[State, Action]):
    """One allowed step: `action` by one of `roles` moves `from_state` to `to_state`; for
    the trajectory also whether a reason is required and for which product codes."""

    roles: frozenset[RoleCode] = frozenset()
    reason_required: bool = False
    product_codes: frozenset[int] = ALL_PRODUCT_CODES

    @property
    def label(self) -> str:
        return self.action.label


CM = frozenset({RoleCode.CASE_MANAGER})
PROVIDER = frozenset({RoleCode.PROVIDER_STAFF})
BOTH = CM | PROVIDER

_S = State
_A = Action

#: The workflow. One row per (from_state, action); read top to bottom as a trajectory runs.
# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    # --- Ordering (R-TRJ-1, section 5) ---------------------------------------------------
    # Codes 2, 4 and 5 start with a quote (with a re-integration plan, or for jobcoaching a
    # justification of necessity); the case manager approves or rejects it.
    Transition(_S.ORDERED, _A.SUBMIT_QUOTE, _S.QUOTE_SUBMITTED, PROVIDER, "R-TRJ-1",
               product_codes=QUOTE_PRODUCT_CODES),
    Transition(_S.QUOTE_SUBMITTED, _A.APPROVE_QUOTE, _S.QUOTE_APPROVED, CM, "R-TRJ-1",
               product_codes=QUOTE_PRODUCT_CODES),
    Transition(_S.QUOTE_SUBMITTED, _A.REJECT_QUOTE, _S.QUOTE_REJECTED, CM, "R-TRJ-1",
               reason_required=True, product_codes=QUOTE_PRODUCT_CODES),
    # Codes 1 and 3 are direct orders: the provider plans the intake (confirms the start
    # date) straight away. Quote products only after the quote was approved.
    Transition(_S.ORDERED, _A.PLAN_INTAKE, _S.INTAKE_PLANNED, PROVIDER, "R-TRJ-1",
               product_codes=DIRECT_ORDER_PRODUCT_CODES),
    Transition(_S.QUOTE_APPROVED, _A.PLAN_INTAKE, _S.INTAKE_PLANNED, PROVIDER, "R-TRJ-1",
               product_codes=QUOTE_PRODUCT_CODES),
    # The free klikgesprek happens before the intake; if the candidate does not start,
    # the trajectory ends and nothing may be invoiced (R-BILL-3). Either party records it.
    Transition(_S.ORDERED, _A.NOT_STARTED_AFTER_KLIKGESPREK, _S.NOT_STARTED_AFTER_KLIKGESPREK,
               BOTH, "R-BILL-3", reason_required=True),
    Transition(_S.QUOTE_APPROVED, _A.NOT_STARTED_AFTER_KLIKGESPREK,
               _S.NOT_STARTED_AFTER_KLIKGESPREK, BOTH, "R-BILL-3", reason_required=True,
               product_codes=QUOTE_PRODUCT_CODES),
    Transition(_S.INTAKE_PLANNED, _A.NOT_STARTED_AFTER_KLIKGESPREK,
               _S.NOT_STARTED_AFTER_KLIKGESPREK, BOTH, "R-BILL-3", reason_required=True),
    # --- Intake phase (R-TRJ-2, lead times R-TRJ-3) -----------------------------------------
    Transition(_S.INTAKE_PLANNED, _A.HOLD_INTAKE, _S.INTAKE_HELD, PROVIDER, "R-TRJ-2"),
    Transition(_S.INTAKE_HELD, _A.SUBMIT_PLAN, _S.PLAN_SUBMITTED, PROVIDER, "R-TRJ-2"),
    # The case manager has the say over the plan: only they approve or return it.
    Transition(_S.PLAN_SUBMITTED, _A.APPROVE_PLAN, _S.PLAN_APPROVED, CM, "R-TRJ-2"),
    Transition(_S.PLAN_SUBMITTED, _A.RETURN_PLAN, _S.PLAN_RETURNED, CM, "R-TRJ-2",
               reason_required=True),
    # A returned plan is revised and submitted again (a loop, as often as needed).
    Transition(_S.PLAN_RETURNED, _A.SUBMIT_PLAN, _S.PLAN_SUBMITTED, PROVIDER, "R-TRJ-2"),
    # After a targeted intake the candidate may still not start; the provider reports it in
    # the organisation's format and may invoice at most 5 hours (R-BILL-4).
    Transition(_S.INTAKE_HELD, _A.NOT_STARTED_AFTER_INTAKE, _S.NOT_STARTED_AFTER_INTAKE,
               BOTH, "R-BILL-4", reason_required=True),
    Transition(_S.PLAN_SUBMITTED, _A.NOT_STARTED_AFTER_INTAKE, _S.NOT_STARTED_AFTER_INTAKE,
               BOTH, "R-BILL-4", reason_required=True),
    Transition(_S.PLAN_RETURNED, _A.NOT_STARTED_AFTER_INTAKE, _S.NOT_STARTED_AFTER_INTAKE,
               BOTH, "R-BILL-4", reason_required=True),
    Transition(_S.PLAN_APPROVED, _A.NOT_STARTED_AFTER_INTAKE, _S.NOT_STARTED_AFTER_INTAKE,
               BOTH, "R-BILL-4", reason_required=True),
    # --- Running --------------------------------------------------------------------------
    Transition(_S.PLAN_APPROVED, _A.START, _S.RUNNING, PROVIDER, "R-TRJ-2"),
    # Extension: requested in writing with reasons, at the latest 1 month before the
    # planned end (R-TRJ-3); only after the case manager agrees. Approved or refused, the
    # trajectory runs on; the decision (and a new end date) is recorded in the event.
    Transition(_S.RUNNING, _A.REQUEST_EXTENSION, _S.EXTENSION_REQUESTED, PROVIDER, "R-TRJ-2",
               reason_required=True),
    Transition(_S.EXTENSION_REQUESTED, _A.APPROVE_EXTENSION, _S.RUNNING, CM, "R-TRJ-2"),
    Transition(_S.EXTENSION_REQUESTED, _A.REFUSE_EXTENSION, _S.RUNNING, CM, "R-TRJ-2",
               reason_required=True),
    # Return of a candidate: only after the case manager agrees, with a return report
    # (the reason) (R-TRJ-5). Refused, the trajectory runs on.
    Transition(_S.RUNNING, _A.REQUEST_RETURN, _S.RETURN_REQUESTED, PROVIDER, "R-TRJ-5",
               reason_required=True),
    Transition(_S.RETURN_REQUESTED, _A.APPROVE_RETURN, _S.RETURNED, CM, "R-TRJ-5"),
    Transition(_S.RETURN_REQUESTED, _A.REFUSE_RETURN, _S.RUNNING, CM, "R-TRJ-5",
               reason_required=True),
    # --- Ending (R-TRJ-2) -------------------------------------------------------------------
    Transition(_S.RUNNING, _A.COMPLETE, _S.COMPLETED, BOTH, "R-TRJ-2"),
    # Early termination: move, drop-out, accepted job (R-BILL-5), or the case manager stops
    # the trajectory on insufficient progress (R-TRJ-4). Also while an extension is pending.
    Transition(_S.RUNNING, _A.TERMINATE_EARLY, _S.TERMINATED_EARLY, BOTH, "R-BILL-5",
               reason_required=True),
    Transition(_S.EXTENSION_REQUESTED, _A.TERMINATE_EARLY, _S.TERMINATED_EARLY, BOTH,
               "R-BILL-5", reason_required=True),
    # --- After the end (R-TRJ-6) --------------------------------------------------------------
    # The provider submits the final report; the case manager may register one received by
    # mail. Every way of ending needs it (for a non-start it is the feedback of R-BILL-3/4).
    Transition(_S.COMPLETED, _A.RECEIVE_FINAL_REPORT, _S.FINAL_REPORT_RECEIVED, BOTH,
               "R-TRJ-6"),
    Transition(_S.TERMINATED_EARLY, _A.RECEIVE_FINAL_REPORT, _S.FINAL_REPORT_RECEIVED, BOTH,
               "R-TRJ-6"),
    Transition(_S.RETURNED, _A.RECEIVE_FINAL_REPORT, _S.FINAL_REPORT_RECEIVED, BOTH,
               "R-TRJ-6"),
    Transition(_S.NOT_STARTED_AFTER_KLIKGESPREK, _A.RECEIVE_FINAL_REPORT,
               _S.FINAL_REPORT_RECEIVED, BOTH, "R-TRJ-6"),
    Transition(_S.NOT_STARTED_AFTER_INTAKE, _A.RECEIVE_FINAL_REPORT, _S.FINAL_REPORT_RECEIVED,
               BOTH, "R-TRJ-6"),
    # Warm handover of the candidate with a personal explanation of the report.
    Transition(_S.FINAL_REPORT_RECEIVED, _A.HAND_OVER, _S.HANDED_OVER, BOTH, "R-TRJ-6"),
)
# fmt: on
TABLE: WorkflowTable[Transition] = WorkflowTable(TRANSITIONS)


# --------------------------------------------------------------------------------------------
# Checking transitions
# --------------------------------------------------------------------------------------------


class RefusalReason(StrEnum):
    WRONG_STATE = "wrong_state"
    WRONG_PRODUCT_CODE = "wrong_product_code"
    WRONG_ROLE = "wrong_role"


class IllegalTransition(WorkflowError):  # noqa: N818 (a domain term, not an "...Error")
    """A transition the workflow table does not allow; `str(exc)` is a Dutch message."""

    def __init__(
        self,
        message: str,
        *,
        state: State,
        action: Action,
        reason: RefusalReason,
    ) -> None:
        super().__init__(message, state=state, action=action)
        self.reason = reason


# Why a role may not take an action, in words a user recognises.
_ROLE_REFUSAL_NL: Mapping[Action, str] = MappingProxyType(
    {
        Action.APPROVE_PLAN: "een aanbieder kan zijn eigen plan niet goedkeuren",
        Action.RETURN_PLAN: "alleen de klantmanager beoordeelt het plan van aanpak",
        Action.APPROVE_QUOTE: "een aanbieder kan zijn eigen offerte niet goedkeuren",
        Action.REJECT_QUOTE: "alleen de klantmanager beoordeelt de offerte",
        Action.APPROVE_EXTENSION: "een aanbieder kan zijn eigen verlenging niet goedkeuren",
        Action.REFUSE_EXTENSION: "alleen de klantmanager beslist over een verlenging",
        Action.APPROVE_RETURN: "een terugmelding kan pas na akkoord van de klantmanager",
        Action.REFUSE_RETURN: "alleen de klantmanager beslist over een terugmelding",
        Action.SUBMIT_QUOTE: "de aanbieder dient de offerte in",
        Action.SUBMIT_PLAN: "de aanbieder dient het plan van aanpak in",
        Action.REQUEST_EXTENSION: "de aanbieder vraagt een verlenging aan",
        Action.REQUEST_RETURN: "de aanbieder meldt een kandidaat terug",
    }
)


def _labels(states: Iterable[State]) -> str:
    names = sorted({f"'{s.label}'" for s in states})
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " of " + names[-1]


def _codes(codes: Iterable[int]) -> str:
    numbers = [str(code) for code in sorted(codes)]
    if len(numbers) == 1:
        return numbers[0]
    return ", ".join(numbers[:-1]) + " en " + numbers[-1]


def _role_names(roles: Iterable[RoleCode]) -> str:
    names = sorted(ROLE_NAMES_NL[role].lower() for role in roles)
    return " of ".join(names)


def check_transition(
    *,
    state: State,
    action: Action,
    role_codes: Iterable[RoleCode],
    product_code: int,
) -> Transition:
    """The row of `TRANSITIONS` that allows `action` in `state`, or `IllegalTransition`.

    Checked in this order, so the message names the most basic problem: the state, then the
    product code, then the role (R-TRJ-2: illegal transitions are refused with a clear error).
    """
    state = State(state)
    action = Action(action)
    name = f"'{action.label}'"

    def refuse(why: Refusal, rows: tuple[Transition, ...]) -> WorkflowError:
        if why is Refusal.WRONG_STATE:
            return IllegalTransition(
                f"{name} kan niet in de status '{state.label}'; dat kan alleen vanuit "
                f"{_labels(t.from_state for t in rows)}.",
                state=state,
                action=action,
                reason=RefusalReason.WRONG_STATE,
            )
        if why is Refusal.NOT_APPLICABLE:
            codes = frozenset().union(*(t.product_codes for t in rows))
            message = (
                f"{name} in de status '{state.label}' geldt niet voor producten met code "
                f"{product_code}, alleen voor code {_codes(codes)}"
            )
            if product_code in DIRECT_ORDER_PRODUCT_CODES and codes <= QUOTE_PRODUCT_CODES:
                message += "; producten met code 1 en 3 worden direct besteld, zonder offerte"
            elif product_code in QUOTE_PRODUCT_CODES:
                message += "; producten met code 2, 4 en 5 beginnen met een offerte"
            return IllegalTransition(
                message + ".",
                state=state,
                action=action,
                reason=RefusalReason.WRONG_PRODUCT_CODE,
            )
        allowed_roles: frozenset[RoleCode] = frozenset().union(*(t.roles for t in rows))
        message = f"{name} mag alleen een {_role_names(allowed_roles)} doen"
        if hint := _ROLE_REFUSAL_NL.get(action):
            message += f": {hint}"
        return IllegalTransition(
            message + ".",
            state=state,
            action=action,
            reason=RefusalReason.WRONG_ROLE,
        )

    return guard(
        TABLE,
        state=state,
        action=action,
        roles=frozenset(role_codes),
        applies=lambda t: product_code in t.product_codes,
        refuse=refuse,
    )


def available_actions(
    state: State, role_codes: Iterable[RoleCode], product_code: int
) -> tuple[Transition, ...]:
    """The transitions a user with `role_codes` may take now, in table order (for buttons)."""
    roles = frozenset(role_codes)
    return tuple(
        t
        for t in TRANSITIONS
        if t.from_state is state and product_code in t.product_codes and t.roles & roles
    )


def reachable_states(product_code: int) -> frozenset[State]:
    """Every state a trajectory of `product_code` can reach from `INITIAL_STATE`."""
    seen = {INITIAL_STATE}
    todo = [INITIAL_STATE]
    while todo:
        state = todo.pop()
        for t in TRANSITIONS:
            if t.from_state is state and product_code in t.product_codes and t.to_state not in seen:
                seen.add(t.to_state)
                todo.append(t.to_state)
    return frozenset(seen)
