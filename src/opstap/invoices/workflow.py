"""Status workflow of an invoice as a table (R-BILL-2, R-BILL-10).

::

    received ──check──▶ checked ──confirm_substance──▶ substance_confirmed ──approve──▶ approved
        │                  │  └───────────────approve (no substance needed)──────────▶ approved
        └──check (dup)──▶ held                                                           │
                                                                       add_to_batch ▼
    received/checked/substance_confirmed/held ──reject──▶ rejected     in_batch ──pay──▶ paid

* ``check`` runs the payment rules (``payment_rules.check_claim``); a duplicate of an invoice
  that is still alive (same trajectory, milestone and period, or the same invoice number of the
  provider) goes to ``held`` and can never be approved (R-BILL-10).
* ``recheck`` runs the rules again (e.g. after the final report arrived); a held invoice whose
  original was rejected comes back to ``checked``.
* ``confirm_substance``: the case manager confirms the facts only a person can judge (early
  termination reason, reporting and handover, an adjusted pro-rata amount, placement facts).
* ``approve`` is refused unless the rules allow the claim at that moment (verdict not red).

The table is core's workflow-table type (`opstap.core.workflow`); `next_status` is its
guard. Pure module: no ORM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from opstap.core.errors import WorkflowError
from opstap.core.workflow import Refusal, WorkflowTable, guard
from opstap.core.workflow import Transition as _Transition


class InvoiceStatus(StrEnum):
    RECEIVED = "received"
    CHECKED = "checked"
    SUBSTANCE_CONFIRMED = "substance_confirmed"
    APPROVED = "approved"
    IN_BATCH = "in_batch"
    PAID = "paid"
    HELD = "held"
    REJECTED = "rejected"


STATUS_LABELS_NL: Mapping[InvoiceStatus, str] = MappingProxyType(
    {
        InvoiceStatus.RECEIVED: "Ontvangen",
        InvoiceStatus.CHECKED: "Gecontroleerd",
        InvoiceStatus.SUBSTANCE_CONFIRMED: "Inhoudelijk bevestigd",
        InvoiceStatus.APPROVED: "Goedgekeurd",
        InvoiceStatus.IN_BATCH: "In betaalbatch",
        InvoiceStatus.PAID: "Betaald",
        InvoiceStatus.HELD: "Aangehouden (dubbel)",
        InvoiceStatus.REJECTED: "Afgewezen",
    }
)


class InvoiceAction(StrEnum):
    CHECK = "check"
    HOLD = "hold"
    RECHECK = "recheck"
    CONFIRM_SUBSTANCE = "confirm_substance"
    APPROVE = "approve"
    REJECT = "reject"
    ADD_TO_BATCH = "add_to_batch"
    PAY = "pay"


ACTION_LABELS_NL: Mapping[InvoiceAction, str] = MappingProxyType(
    {
        InvoiceAction.CHECK: "Gecontroleerd op de betalingsregels",
        InvoiceAction.HOLD: "Aangehouden als dubbele factuur",
        InvoiceAction.RECHECK: "Opnieuw gecontroleerd",
        InvoiceAction.CONFIRM_SUBSTANCE: "Inhoudelijk bevestigd",
        InvoiceAction.APPROVE: "Goedgekeurd",
        InvoiceAction.REJECT: "Afgewezen",
        InvoiceAction.ADD_TO_BATCH: "Opgenomen in betaalbatch",
        InvoiceAction.PAY: "Betaald",
    }
)

_S = InvoiceStatus
_A = InvoiceAction

Transition = _Transition[InvoiceStatus, InvoiceAction]

#: One row per (from, action) -> to. Everything not in this table is refused.
TRANSITIONS: tuple[Transition, ...] = (
    Transition(_S.RECEIVED, _A.CHECK, _S.CHECKED, rule="R-BILL-2"),
    Transition(_S.RECEIVED, _A.HOLD, _S.HELD, rule="R-BILL-10: duplicates are held, never paid"),
    Transition(_S.CHECKED, _A.RECHECK, _S.CHECKED, rule="R-BILL-2"),
    Transition(_S.SUBSTANCE_CONFIRMED, _A.RECHECK, _S.SUBSTANCE_CONFIRMED, rule="R-BILL-2"),
    Transition(
        _S.HELD,
        _A.RECHECK,
        _S.CHECKED,
        rule="R-BILL-10: a held invoice is released only when its original is gone (rejected)",
    ),
    Transition(_S.CHECKED, _A.CONFIRM_SUBSTANCE, _S.SUBSTANCE_CONFIRMED, rule="R-BILL-2"),
    Transition(
        _S.SUBSTANCE_CONFIRMED, _A.CONFIRM_SUBSTANCE, _S.SUBSTANCE_CONFIRMED, rule="R-BILL-2"
    ),
    # Approval needs substance confirmation where the rules need a person's judgement;
    # the service checks that, the table only allows both starting points.
    Transition(_S.CHECKED, _A.APPROVE, _S.APPROVED, rule="R-BILL-2"),
    Transition(_S.SUBSTANCE_CONFIRMED, _A.APPROVE, _S.APPROVED, rule="R-BILL-2"),
    Transition(_S.RECEIVED, _A.REJECT, _S.REJECTED, rule="R-BILL-2"),
    Transition(_S.CHECKED, _A.REJECT, _S.REJECTED, rule="R-BILL-2"),
    Transition(_S.SUBSTANCE_CONFIRMED, _A.REJECT, _S.REJECTED, rule="R-BILL-2"),
    Transition(_S.HELD, _A.REJECT, _S.REJECTED, rule="R-BILL-10"),
    Transition(_S.APPROVED, _A.ADD_TO_BATCH, _S.IN_BATCH, rule="R-BILL-10"),
    Transition(_S.IN_BATCH, _A.PAY, _S.PAID, rule="R-BILL-10"),
)
TABLE: WorkflowTable[Transition] = WorkflowTable(TRANSITIONS)

#: Statuses of an invoice that still counts (may be or was paid): duplicates are judged
#: against these, and the database allows only one per claim key (R-BILL-10). `received` is
#: transient (the submit transaction checks at once); leaving it out lets two racing
#: submissions both be stored, after which only one can become `checked`, the other is held.
LIVE_STATUSES: frozenset[InvoiceStatus] = frozenset(
    set(InvoiceStatus) - {InvoiceStatus.RECEIVED, InvoiceStatus.HELD, InvoiceStatus.REJECTED}
)
#: Statuses from which the finance clerk can still act (work list).
OPEN_STATUSES: frozenset[InvoiceStatus] = frozenset(
    {
        InvoiceStatus.RECEIVED,
        InvoiceStatus.CHECKED,
        InvoiceStatus.SUBSTANCE_CONFIRMED,
        InvoiceStatus.HELD,
    }
)
#: R-BILL-8: only an approved (or batched, or paid) invoice can get a credit note; a wrong
#: invoice that is still open is rejected instead.
CREDITABLE_STATUSES: frozenset[InvoiceStatus] = frozenset(
    {InvoiceStatus.APPROVED, InvoiceStatus.IN_BATCH, InvoiceStatus.PAID}
)
#: Why no credit note can be made (R-BILL-8), per refused case; see `credit_note_refusal`.
NOT_CREDITABLE_NL = (
    "Alleen een goedgekeurde of betaalde factuur kan worden gecrediteerd; wijs een "
    "onjuiste factuur anders af."
)
FULLY_CREDITED_NL = "Deze factuur is al volledig gecrediteerd; er kan geen creditnota meer bij."


def credit_note_refusal(status: InvoiceStatus | str, *, fully_credited: bool) -> str | None:
    """R-BILL-8: why no credit note may be made on an invoice (Dutch), or None when one may:
    only on an approved, batched or paid invoice, and not on one already credited in full.
    The one place that decides it: the credit-note service refuses with this message, the
    invoice page offers the form only when it is None (`Invoice.may_take_credit_note`)."""
    if InvoiceStatus(status) not in CREDITABLE_STATUSES:
        return NOT_CREDITABLE_NL
    if fully_credited:
        return FULLY_CREDITED_NL
    return None


#: Approved but not yet paid: counts for "overdue for payment".
UNPAID_STATUSES: frozenset[InvoiceStatus] = frozenset(
    {
        InvoiceStatus.RECEIVED,
        InvoiceStatus.CHECKED,
        InvoiceStatus.SUBSTANCE_CONFIRMED,
        InvoiceStatus.APPROVED,
        InvoiceStatus.IN_BATCH,
    }
)


def is_overdue_for_payment(status: InvoiceStatus | str, due_on: dt.date, on: dt.date) -> bool:
    """Overdue for payment on `on`: not yet paid (nor rejected or held) and past its due date
    (the payment term of R-TRJ-3: 30 working days). The work list's "achterstallig" tab and
    the badge on each row both follow this rule."""
    return InvoiceStatus(status) in UNPAID_STATUSES and due_on < on


class IllegalInvoiceTransition(WorkflowError):  # noqa: N818 (a domain term)
    """A step the workflow table does not allow; the message is Dutch."""


def next_status(status: InvoiceStatus | str, action: InvoiceAction | str) -> InvoiceStatus:
    """The status after ``action``, or :class:`IllegalInvoiceTransition` naming both."""
    current, act = InvoiceStatus(status), InvoiceAction(action)

    def refuse(_why: Refusal, rows: tuple[Transition, ...]) -> WorkflowError:
        if any(row.to_state == current for row in rows):
            # The step already happened: a colleague (or another window) was first.
            message = (
                f"Deze factuur heeft al de status '{STATUS_LABELS_NL[current]}': iemand anders "
                "heeft haar net behandeld. Vernieuw de pagina om de huidige stand te zien."
            )
        else:
            message = (
                f"'{ACTION_LABELS_NL[act]}' kan niet bij een factuur met status "
                f"'{STATUS_LABELS_NL[current]}'."
            )
        return IllegalInvoiceTransition(message, state=current, action=act)

    return guard(TABLE, state=current, action=act, refuse=refuse).to_state


def allowed_actions(status: InvoiceStatus | str) -> tuple[InvoiceAction, ...]:
    return tuple(row.action for row in TABLE.from_state(InvoiceStatus(status)))
