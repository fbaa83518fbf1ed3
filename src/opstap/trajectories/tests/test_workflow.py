"""The trajectory workflow table (R-TRJ-1, R-TRJ-2, R-TRJ-5)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opstap.core.roles import RoleCode
from opstap.trajectories.workflow import (
    ACTION_LABELS_NL,
    ALL_PRODUCT_CODES,
    DIRECT_ORDER_PRODUCT_CODES,
    ENDED_STATES,
    INITIAL_STATE,
    QUOTE_PRODUCT_CODES,
    STATE_LABELS_NL,
    TERMINAL_STATES,
    TRANSITIONS,
    Action,
    IllegalTransition,
    RefusalReason,
    State,
    Transition,
    available_actions,
    check_transition,
    reachable_states,
)

CM = RoleCode.CASE_MANAGER
PROVIDER = RoleCode.PROVIDER_STAFF
WORKFLOW_ROLES = frozenset({CM, PROVIDER})

ROW_CASES = [
    pytest.param(t, role, code, id=f"{t.from_state}-{t.action}-{role}-code{code}")
    for t in TRANSITIONS
    for role in sorted(t.roles)
    for code in sorted(t.product_codes)
]


@pytest.mark.parametrize(("transition", "role", "code"), ROW_CASES)
def test_every_row_is_allowed_for_its_roles_and_codes(
    transition: Transition, role: RoleCode, code: int
) -> None:
    """R-TRJ-2: every row of the table is a legal transition for its roles and codes."""
    found = check_transition(
        state=transition.from_state, action=transition.action, role_codes={role}, product_code=code
    )
    assert found == transition
    assert transition in available_actions(transition.from_state, {role}, code)


REFUSED_ROLE_CASES = [
    pytest.param(t, role, id=f"{t.from_state}-{t.action}-{role}")
    for t in TRANSITIONS
    for role in sorted(frozenset(RoleCode) - t.roles)
]


@pytest.mark.parametrize(("transition", "role"), REFUSED_ROLE_CASES)
def test_every_row_refuses_other_roles(transition: Transition, role: RoleCode) -> None:
    """R-TRJ-2: a role the row does not name is refused, with the reason `wrong_role`."""
    code = min(transition.product_codes)
    with pytest.raises(IllegalTransition) as refused:
        check_transition(
            state=transition.from_state,
            action=transition.action,
            role_codes={role},
            product_code=code,
        )
    assert refused.value.reason is RefusalReason.WRONG_ROLE
    assert transition.action.label in str(refused.value)


REFUSED_CODE_CASES = [
    pytest.param(t, code, id=f"{t.from_state}-{t.action}-code{code}")
    for t in TRANSITIONS
    for code in sorted(ALL_PRODUCT_CODES - t.product_codes)
]


@pytest.mark.parametrize(("transition", "code"), REFUSED_CODE_CASES)
def test_every_row_refuses_other_product_codes(transition: Transition, code: int) -> None:
    """R-TRJ-1: rows limited to some product codes refuse the others."""
    with pytest.raises(IllegalTransition) as refused:
        check_transition(
            state=transition.from_state,
            action=transition.action,
            role_codes=transition.roles,
            product_code=code,
        )
    assert refused.value.reason is RefusalReason.WRONG_PRODUCT_CODE
    assert f"code {code}" in str(refused.value)


def test_the_table_is_deterministic_and_complete() -> None:
    """R-TRJ-2: one row per (state, action, product code); every state and action used."""
    keys = Counter((t.from_state, t.action, code) for t in TRANSITIONS for code in t.product_codes)
    assert max(keys.values()) == 1
    assert {t.from_state for t in TRANSITIONS} | {t.to_state for t in TRANSITIONS} == set(State)
    assert {t.action for t in TRANSITIONS} == set(Action)
    assert all(t.roles and t.roles <= WORKFLOW_ROLES for t in TRANSITIONS)
    assert all(t.rule.startswith("R-") for t in TRANSITIONS)
    assert set(STATE_LABELS_NL) == set(State)
    assert set(ACTION_LABELS_NL) == set(Action)
    # Nothing leads back to "ordered": the history is never rewritten.
    assert all(t.to_state is not INITIAL_STATE for t in TRANSITIONS)
    # Terminal states have no way out; every other state has one.
    assert {t.from_state for t in TRANSITIONS} == set(State) - TERMINAL_STATES


def test_refusals_and_decisions_require_a_reason() -> None:
    """R-TRJ-2: every event has a reason where it matters — refusals, early endings, requests."""
    needs_reason = {(t.from_state, t.action) for t in TRANSITIONS if t.reason_required}
    for action in (
        Action.REJECT_QUOTE,
        Action.RETURN_PLAN,
        Action.REQUEST_EXTENSION,
        Action.REFUSE_EXTENSION,
        Action.REQUEST_RETURN,
        Action.REFUSE_RETURN,
        Action.TERMINATE_EARLY,
        Action.NOT_STARTED_AFTER_KLIKGESPREK,
        Action.NOT_STARTED_AFTER_INTAKE,
    ):
        rows = [t for t in TRANSITIONS if t.action is action]
        assert rows
        assert all((t.from_state, t.action) in needs_reason for t in rows), action
    assert not check_transition(
        state=State.PLAN_SUBMITTED, action=Action.APPROVE_PLAN, role_codes={CM}, product_code=3
    ).reason_required


# --------------------------------------------------------------------------------------------
# Illegal transitions and their messages
# --------------------------------------------------------------------------------------------


def test_final_report_before_the_start_is_refused() -> None:
    """R-TRJ-2: a final report before the trajectory ended is refused, naming the states."""
    with pytest.raises(IllegalTransition) as refused:
        check_transition(
            state=State.PLAN_APPROVED,
            action=Action.RECEIVE_FINAL_REPORT,
            role_codes={PROVIDER},
            product_code=3,
        )
    message = str(refused.value)
    assert refused.value.reason is RefusalReason.WRONG_STATE
    assert "'Eindrapportage ontvangen' kan niet in de status 'Plan van aanpak goedgekeurd'" in (
        message
    )
    assert "'Beëindigd: afgerond'" in message


def test_a_provider_cannot_approve_its_own_plan() -> None:
    """R-TRJ-2: only the case manager approves the plan of approach."""
    with pytest.raises(IllegalTransition) as refused:
        check_transition(
            state=State.PLAN_SUBMITTED,
            action=Action.APPROVE_PLAN,
            role_codes={PROVIDER},
            product_code=3,
        )
    assert refused.value.reason is RefusalReason.WRONG_ROLE
    assert str(refused.value) == (
        "'Plan van aanpak goedkeuren' mag alleen een klantmanager / regisseur doen: "
        "een aanbieder kan zijn eigen plan niet goedkeuren."
    )


def test_a_quote_for_a_code_1_product_is_refused() -> None:
    """R-TRJ-1: codes 1 and 3 are ordered directly, without a quote."""
    with pytest.raises(IllegalTransition) as refused:
        check_transition(
            state=State.ORDERED,
            action=Action.SUBMIT_QUOTE,
            role_codes={PROVIDER},
            product_code=1,
        )
    assert refused.value.reason is RefusalReason.WRONG_PRODUCT_CODE
    assert str(refused.value) == (
        "'Offerte indienen' in de status 'Besteld' geldt niet voor producten met code 1, "
        "alleen voor code 2, 4 en 5; producten met code 1 en 3 worden direct besteld, "
        "zonder offerte."
    )


@pytest.mark.parametrize("code", sorted(QUOTE_PRODUCT_CODES))
def test_quote_products_cannot_skip_the_quote(code: int) -> None:
    """R-TRJ-1: codes 2, 4 and 5 start with a quote; planning the intake first is refused."""
    with pytest.raises(IllegalTransition, match="beginnen met een offerte") as refused:
        check_transition(
            state=State.ORDERED, action=Action.PLAN_INTAKE, role_codes={PROVIDER}, product_code=code
        )
    assert refused.value.reason is RefusalReason.WRONG_PRODUCT_CODE


def test_a_provider_cannot_return_a_candidate_without_the_case_managers_agreement() -> None:
    """R-TRJ-5: the provider only requests the return; the case manager agrees."""
    with pytest.raises(IllegalTransition, match="pas na akkoord van de klantmanager"):
        check_transition(
            state=State.RETURN_REQUESTED,
            action=Action.APPROVE_RETURN,
            role_codes={PROVIDER},
            product_code=3,
        )
    # And without a request there is nothing to approve.
    with pytest.raises(IllegalTransition) as refused:
        check_transition(
            state=State.RUNNING, action=Action.APPROVE_RETURN, role_codes={CM}, product_code=3
        )
    assert refused.value.reason is RefusalReason.WRONG_STATE


def test_other_roles_cannot_move_a_trajectory() -> None:
    """R-TRJ-2: only case managers and provider staff take workflow actions."""
    others = frozenset(RoleCode) - WORKFLOW_ROLES
    for state in State:
        for code in ALL_PRODUCT_CODES:
            assert available_actions(state, others, code) == ()


def test_a_user_with_several_roles_may_use_any_of_them() -> None:
    """R-TRJ-2: the role check passes when one of the user's roles is allowed."""
    transition = check_transition(
        state=State.PLAN_SUBMITTED,
        action=Action.APPROVE_PLAN,
        role_codes=[RoleCode.POLICY_OFFICER, CM],
        product_code=4,
    )
    assert transition.to_state is State.PLAN_APPROVED


def test_available_actions_per_role_and_code() -> None:
    """R-TRJ-1/R-TRJ-2: what each party sees as buttons at the start."""

    def actions(state: State, role: RoleCode, code: int) -> list[Action]:
        return [t.action for t in available_actions(state, {role}, code)]

    assert actions(State.ORDERED, PROVIDER, 1) == [
        Action.PLAN_INTAKE,
        Action.NOT_STARTED_AFTER_KLIKGESPREK,
    ]
    assert actions(State.ORDERED, PROVIDER, 4) == [
        Action.SUBMIT_QUOTE,
        Action.NOT_STARTED_AFTER_KLIKGESPREK,
    ]
    assert actions(State.QUOTE_SUBMITTED, PROVIDER, 4) == []
    assert actions(State.QUOTE_SUBMITTED, CM, 4) == [Action.APPROVE_QUOTE, Action.REJECT_QUOTE]
    assert actions(State.PLAN_SUBMITTED, CM, 3) == [
        Action.APPROVE_PLAN,
        Action.RETURN_PLAN,
        Action.NOT_STARTED_AFTER_INTAKE,
    ]


# --------------------------------------------------------------------------------------------
# Reachability and random walks
# --------------------------------------------------------------------------------------------


def test_quote_states_are_reachable_only_for_quote_products() -> None:
    """R-TRJ-1: direct orders (codes 1, 3) never pass through the quote states."""
    quote_states = {State.QUOTE_SUBMITTED, State.QUOTE_APPROVED, State.QUOTE_REJECTED}
    for code in DIRECT_ORDER_PRODUCT_CODES:
        assert not reachable_states(code) & quote_states
        assert reachable_states(code) == set(State) - quote_states
    for code in QUOTE_PRODUCT_CODES:
        assert reachable_states(code) == set(State)


@pytest.mark.parametrize("code", sorted(ALL_PRODUCT_CODES))
def test_every_reachable_state_has_a_way_forward_to_an_end(code: int) -> None:
    """R-TRJ-2: from every non-terminal state some action exists, and a terminal state can
    always be reached (no trap)."""
    reachable = reachable_states(code)
    for state in reachable - TERMINAL_STATES:
        assert available_actions(state, WORKFLOW_ROLES, code), state
        # Breadth-first search to a terminal state.
        seen, frontier = {state}, [state]
        while frontier:
            frontier = [
                t.to_state
                for s in frontier
                for t in available_actions(s, WORKFLOW_ROLES, code)
                if t.to_state not in seen
            ]
            seen.update(frontier)
        assert seen & TERMINAL_STATES, state


@given(
    code=st.sampled_from(sorted(ALL_PRODUCT_CODES)),
    choices=st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=60),
)
def test_random_legal_walks_stay_in_reachable_states(code: int, choices: list[int]) -> None:
    """R-TRJ-2 (property): any sequence of legal actions only visits reachable states, and a
    walk stops only in a terminal state."""
    reachable = reachable_states(code)
    state = INITIAL_STATE
    for choice in choices:
        options = available_actions(state, WORKFLOW_ROLES, code)
        if not options:
            assert state in TERMINAL_STATES
            break
        chosen = options[choice % len(options)]
        role = sorted(chosen.roles)[0]
        assert (
            check_transition(
                state=state, action=chosen.action, role_codes={role}, product_code=code
            )
            == chosen
        )
        state = chosen.to_state
        assert state in reachable
    assert state in reachable


# --------------------------------------------------------------------------------------------
# Whole trajectories, end to end
# --------------------------------------------------------------------------------------------


def _walk(code: int, steps: list[tuple[RoleCode, Action]]) -> list[State]:
    state = INITIAL_STATE
    visited = [state]
    for role, action in steps:
        state = check_transition(
            state=state, action=action, role_codes={role}, product_code=code
        ).to_state
        visited.append(state)
    return visited


def test_a_code_3_trajectory_end_to_end() -> None:
    """R-TRJ-2: a direct order (code 3) from order to warm handover, with a returned plan and
    a refused extension on the way."""
    visited = _walk(
        3,
        [
            (PROVIDER, Action.PLAN_INTAKE),  # direct order: no quote (R-TRJ-1)
            (PROVIDER, Action.HOLD_INTAKE),
            (PROVIDER, Action.SUBMIT_PLAN),
            (CM, Action.RETURN_PLAN),  # the case manager sends the plan back
            (PROVIDER, Action.SUBMIT_PLAN),  # revised
            (CM, Action.APPROVE_PLAN),
            (PROVIDER, Action.START),
            (PROVIDER, Action.REQUEST_EXTENSION),
            (CM, Action.REFUSE_EXTENSION),  # runs on until the planned end
            (PROVIDER, Action.COMPLETE),
            (PROVIDER, Action.RECEIVE_FINAL_REPORT),
            (CM, Action.HAND_OVER),
        ],
    )
    assert visited == [
        State.ORDERED,
        State.INTAKE_PLANNED,
        State.INTAKE_HELD,
        State.PLAN_SUBMITTED,
        State.PLAN_RETURNED,
        State.PLAN_SUBMITTED,
        State.PLAN_APPROVED,
        State.RUNNING,
        State.EXTENSION_REQUESTED,
        State.RUNNING,
        State.COMPLETED,
        State.FINAL_REPORT_RECEIVED,
        State.HANDED_OVER,
    ]


def test_a_code_4_trajectory_with_a_quote_end_to_end() -> None:
    """R-TRJ-1/R-TRJ-2: a quote product (code 4): quote, approval, intake, plan, an approved
    extension, completion, final report, handover."""
    visited = _walk(
        4,
        [
            (PROVIDER, Action.SUBMIT_QUOTE),
            (CM, Action.APPROVE_QUOTE),
            (PROVIDER, Action.PLAN_INTAKE),
            (PROVIDER, Action.HOLD_INTAKE),
            (PROVIDER, Action.SUBMIT_PLAN),
            (CM, Action.APPROVE_PLAN),
            (PROVIDER, Action.START),
            (PROVIDER, Action.REQUEST_EXTENSION),
            (CM, Action.APPROVE_EXTENSION),
            (CM, Action.COMPLETE),
            (PROVIDER, Action.RECEIVE_FINAL_REPORT),
            (PROVIDER, Action.HAND_OVER),
        ],
    )
    assert visited[1:3] == [State.QUOTE_SUBMITTED, State.QUOTE_APPROVED]
    assert visited[-1] is State.HANDED_OVER


def test_a_rejected_quote_ends_the_trajectory() -> None:
    """R-TRJ-1: a rejected quote is final."""
    assert _walk(2, [(PROVIDER, Action.SUBMIT_QUOTE), (CM, Action.REJECT_QUOTE)])[-1] is (
        State.QUOTE_REJECTED
    )
    assert available_actions(State.QUOTE_REJECTED, WORKFLOW_ROLES, 2) == ()


def test_a_return_of_a_candidate_needs_the_case_managers_agreement() -> None:
    """R-TRJ-5: the provider requests the return with a return report; refused, the
    trajectory runs on; agreed, it has ended as 'returned' and needs a final report."""
    to_running = [
        (PROVIDER, Action.PLAN_INTAKE),
        (PROVIDER, Action.HOLD_INTAKE),
        (PROVIDER, Action.SUBMIT_PLAN),
        (CM, Action.APPROVE_PLAN),
        (PROVIDER, Action.START),
    ]
    visited = _walk(
        1,
        [
            *to_running,
            (PROVIDER, Action.REQUEST_RETURN),
            (CM, Action.REFUSE_RETURN),
            (PROVIDER, Action.REQUEST_RETURN),
            (CM, Action.APPROVE_RETURN),
            (PROVIDER, Action.RECEIVE_FINAL_REPORT),
            (CM, Action.HAND_OVER),
        ],
    )
    assert visited[-6:] == [
        State.RETURN_REQUESTED,
        State.RUNNING,
        State.RETURN_REQUESTED,
        State.RETURNED,
        State.FINAL_REPORT_RECEIVED,
        State.HANDED_OVER,
    ]
    assert State.RETURNED in ENDED_STATES


@pytest.mark.parametrize(
    ("steps", "ended"),
    [
        # R-BILL-3: the candidate does not start after the free klikgesprek.
        ([(PROVIDER, Action.NOT_STARTED_AFTER_KLIKGESPREK)], State.NOT_STARTED_AFTER_KLIKGESPREK),
        # R-BILL-4: the candidate does not start after a targeted intake.
        (
            [
                (PROVIDER, Action.PLAN_INTAKE),
                (PROVIDER, Action.HOLD_INTAKE),
                (PROVIDER, Action.NOT_STARTED_AFTER_INTAKE),
            ],
            State.NOT_STARTED_AFTER_INTAKE,
        ),
        # R-TRJ-4: the case manager stops the trajectory on insufficient progress.
        (
            [
                (PROVIDER, Action.PLAN_INTAKE),
                (PROVIDER, Action.HOLD_INTAKE),
                (PROVIDER, Action.SUBMIT_PLAN),
                (CM, Action.APPROVE_PLAN),
                (PROVIDER, Action.START),
                (CM, Action.TERMINATE_EARLY),
            ],
            State.TERMINATED_EARLY,
        ),
    ],
)
def test_the_ways_a_trajectory_can_end(steps: list[tuple[RoleCode, Action]], ended: State) -> None:
    """R-TRJ-2: ended (completed | terminated early | not started after klikgesprek | not
    started after intake) -> final report received -> handed over."""
    visited = _walk(3, [*steps, (PROVIDER, Action.RECEIVE_FINAL_REPORT), (CM, Action.HAND_OVER)])
    assert visited[-3:] == [ended, State.FINAL_REPORT_RECEIVED, State.HANDED_OVER]
    assert ended in ENDED_STATES
