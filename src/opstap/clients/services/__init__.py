"""State changes of clients: one function per change, validated, atomic, with an event on
the client's timeline and an audit record of the change (R-SEC-2, R-SEC-6).

One module per aggregate; other apps import from this package (`opstap.clients.services`),
never from its modules.
"""

from __future__ import annotations

from .brp import (
    BRP_PURPOSE_CHECK,
    BRP_PURPOSE_REGISTER,
    BrpCheckResult,
    brp_check_organisation,
    brp_lookup,
    client_register,
)
from .budgets import budget_spending_decide, budget_spending_record
from .clients import (
    case_manager_set_unit,
    client_change_ladder_step,
    client_create,
    client_event_close,
    client_event_record,
    client_handover,
    client_import_start,
    client_link_user,
    client_read_audit,
    client_update,
)
from .import_files import client_import_files_remove_stale
from .income_coaches import (
    income_coach_assign,
    income_coach_assignment_end,
    may_assign_income_coach,
)
from .retention import ANONYMISED_NAME, clients_anonymise
from .tallies import client_trajectories_counted, client_trajectory_counts_set
from .validation import (
    ClientError,
    bsn_clean,
    client_field_errors,
    has_visible_letter,
    obstacles_clean,
)

__all__ = [
    "ANONYMISED_NAME",
    "BRP_PURPOSE_CHECK",
    "BRP_PURPOSE_REGISTER",
    "BrpCheckResult",
    "ClientError",
    "brp_check_organisation",
    "brp_lookup",
    "bsn_clean",
    "budget_spending_decide",
    "budget_spending_record",
    "case_manager_set_unit",
    "client_change_ladder_step",
    "client_create",
    "client_event_close",
    "client_event_record",
    "client_field_errors",
    "client_handover",
    "client_import_files_remove_stale",
    "client_import_start",
    "client_link_user",
    "client_read_audit",
    "client_register",
    "client_trajectories_counted",
    "client_trajectory_counts_set",
    "client_update",
    "clients_anonymise",
    "has_visible_letter",
    "income_coach_assign",
    "income_coach_assignment_end",
    "may_assign_income_coach",
    "obstacles_clean",
]
