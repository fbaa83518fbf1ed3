"""The workflow of a right-of-access request (inzageverzoek, R-SEC-5) as one table, pure.

    requested ─start→ compiling ─complete→ ready ─download→ downloaded
        ↑  │              │                  │                  │
        │  │              │                  └──────expire──────┴→ expired
        └──retry── failed ←┘fail
           └─answer_no_data→ no_data   (a person of whom we hold no dossier)

Every allowed step is one row of `TRANSITIONS` (core's workflow-table type,
`opstap.core.workflow`); `check_transition` is the only gate (core's `guard`) and refuses
anything else with a Dutch message. A download of an export that was already
downloaded stays `downloaded` (the resident may fetch it again until it expires). Expiry
deletes the file; the request row, its dates and its audit records remain.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from opstap.core.errors import WorkflowError
from opstap.core.workflow import Refusal, WorkflowTable, guard
from opstap.core.workflow import Transition as _Transition


class State(StrEnum):
    REQUESTED = "requested"
    COMPILING = "compiling"
    READY = "ready"
    DOWNLOADED = "downloaded"
    EXPIRED = "expired"
    FAILED = "failed"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return STATE_LABELS_NL[self]


STATE_LABELS_NL: Mapping[State, str] = MappingProxyType(
    {
        State.REQUESTED: "Aangevraagd",
        State.COMPILING: "Wordt samengesteld",
        State.READY: "Klaar om te downloaden",
        State.DOWNLOADED: "Gedownload",
        State.EXPIRED: "Verlopen (bestand verwijderd)",
        State.FAILED: "Mislukt",
        State.NO_DATA: "Beantwoord: geen gegevens",
    }
)

#: (value, label) pairs, for the model field and the API schema.
STATE_CHOICES: tuple[tuple[str, str], ...] = tuple((s.value, STATE_LABELS_NL[s]) for s in State)


class Action(StrEnum):
    START = "start"
    COMPLETE = "complete"
    FAIL = "fail"
    RETRY = "retry"
    DOWNLOAD = "download"
    EXPIRE = "expire"
    ANSWER_NO_DATA = "answer_no_data"

    @property
    def label(self) -> str:
        return ACTION_LABELS_NL[self]


ACTION_LABELS_NL: Mapping[Action, str] = MappingProxyType(
    {
        Action.START: "samenstellen starten",
        Action.COMPLETE: "samenstellen afronden",
        Action.FAIL: "als mislukt markeren",
        Action.RETRY: "opnieuw proberen",
        Action.DOWNLOAD: "downloaden",
        Action.EXPIRE: "laten verlopen",
        Action.ANSWER_NO_DATA: "beantwoorden dat wij geen gegevens hebben",
    }
)


Transition = _Transition[State, Action]


TRANSITIONS: tuple[Transition, ...] = (
    Transition(State.REQUESTED, Action.START, State.COMPILING),
    Transition(State.COMPILING, Action.COMPLETE, State.READY),
    Transition(State.COMPILING, Action.FAIL, State.FAILED),
    # A request that could not even start (e.g. the worker crashed before it began).
    Transition(State.REQUESTED, Action.FAIL, State.FAILED),
    Transition(State.FAILED, Action.RETRY, State.REQUESTED),
    Transition(State.READY, Action.DOWNLOAD, State.DOWNLOADED),
    # Fetching it again before it expires (e.g. the first download broke off).
    Transition(State.DOWNLOADED, Action.DOWNLOAD, State.DOWNLOADED),
    Transition(State.READY, Action.EXPIRE, State.EXPIRED),
    Transition(State.DOWNLOADED, Action.EXPIRE, State.EXPIRED),
    # A person without a dossier: the answer is that we hold no data on them (AVG art. 15).
    Transition(State.REQUESTED, Action.ANSWER_NO_DATA, State.NO_DATA),
)

TABLE: WorkflowTable[Transition] = WorkflowTable(TRANSITIONS)

#: States in which the export file exists.
FILE_STATES: frozenset[State] = frozenset({State.READY, State.DOWNLOADED})
#: States in which the request is still being worked on (shown with progress).
OPEN_STATES: frozenset[State] = frozenset({State.REQUESTED, State.COMPILING})
#: Not yet answered: the one-month term (AVG art. 12(3)) is running. A failed request is
#: not answered (someone has to retry), so its term runs on; the rest are answered.
UNANSWERED_STATES: tuple[State, ...] = (State.REQUESTED, State.COMPILING, State.FAILED)
#: States from which nothing happens any more except by a person (retry) or never.
FINISHED_STATES: frozenset[State] = frozenset(
    {State.READY, State.DOWNLOADED, State.EXPIRED, State.FAILED, State.NO_DATA}
)


class IllegalTransitionError(WorkflowError):
    """The step is not in the table; the message is Dutch and meant for the user. `state`
    and `action` name the refused step."""


def check_transition(*, state: State | str, action: Action | str) -> Transition:
    """The row that allows `action` in `state`, or `IllegalTransitionError` (Dutch message)."""
    current = State(state)
    act = Action(action)

    def refuse(_why: Refusal, rows: tuple[Transition, ...]) -> WorkflowError:
        allowed = sorted({row.from_state.label.lower() for row in rows})
        return IllegalTransitionError(
            f"'{act.label}' kan niet bij een inzageverzoek met status "
            f"'{current.label.lower()}'; dat kan alleen bij status {' of '.join(allowed)}.",
            state=current,
            action=act,
        )

    return guard(TABLE, state=current, action=act, refuse=refuse)


def available_actions(state: State | str) -> tuple[Action, ...]:
    return tuple(row.action for row in TABLE.from_state(State(state)))
