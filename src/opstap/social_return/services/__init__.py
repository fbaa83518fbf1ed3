"""Every state change of social return (R-NET-10) goes through this package.

Keyword-only functions `<thing>_<action>(*, actor, ...)`: each checks who may do it and the
input (values from `rules.py`, facts from the record), writes in one transaction, records a
`SocialReturnEvent` and an audit line (R-SEC-2). Errors are `SocialReturnError` (400, names
the field), `SocialReturnConflict` (409) or a not-found (404) with a Dutch message.

One module per aggregate; other modules import from this package, never its modules:

- `reference`: `block_period_seed`, `block_period_update`, `building_block_update` (the
  building-block table of a period, the Liemers table);
- `agreements`: `agreement_set` (award date, percentage and threshold of a contract);
- `plans`: `plan_submit`, `plan_decide` (the plan of approach and its assessment, `workflow.py`);
- `blocks`: `block_register` (also pre-filled from a placement), `block_evidence_add`,
  `block_verify`;
- `years`: `year_close` (fixes every provider's obligation of a finished calendar year);
- `monitor`: `monitor_shown` (a provider's monitor as shown or handed out, audited),
  `blocks_shown` (the audit of blocks whose person is shown).
"""

from __future__ import annotations

from opstap.social_return.rules import SocialReturnError

from ._common import SocialReturnConflict
from .agreements import agreement_set
from .blocks import (
    block_evidence_add,
    block_register,
    block_register_from_placement,
    block_verify,
)
from .monitor import blocks_shown, monitor_shown
from .plans import PlannedInput, plan_decide, plan_submit
from .reference import (
    BLOCK_FIELDS,
    block_period_seed,
    block_period_update,
    building_block_update,
)
from .years import year_close

__all__ = [
    "BLOCK_FIELDS",
    "PlannedInput",
    "SocialReturnConflict",
    "SocialReturnError",
    "agreement_set",
    "block_evidence_add",
    "block_period_seed",
    "block_period_update",
    "block_register",
    "block_register_from_placement",
    "block_verify",
    "blocks_shown",
    "building_block_update",
    "monitor_shown",
    "plan_decide",
    "plan_submit",
    "year_close",
]
