"""State changes of the provider network (spec section 3, R-NET-1..9).

One function per state change, keyword-only arguments, validated with the pure rules in
`providers.rules`, written inside `transaction.atomic()`, recording a `ProviderEvent`. Domain
errors raise `ProviderError` with a Dutch message for the user.

One module per aggregate; other apps import from this package (`opstap.providers.services`),
never from its modules.
"""

from __future__ import annotations

from opstap.providers.selectors import product_price_on, rate_ceiling_on

from ._common import ProviderError
from .bank_accounts import bank_account_confirm, bank_account_propose, bank_account_reject
from .contracts import contract_create, contract_end, contract_extend
from .evaluations import evaluation_close, evaluation_open, evaluation_record, signal_register
from .evidence import evidence_register
from .indexation import (
    IndexationPlan,
    PlannedPrice,
    cpi_indexation_apply,
    cpi_indexation_enter,
    indexation_plan,
)
from .network import network_settings_update
from .products import (
    EDITABLE_FIELDS,
    PROPOSABLE_FIELDS,
    LocationInput,
    product_create,
    product_end,
    product_orderability,
    product_price_set,
    product_update,
)
from .proposals import product_change_approve, product_change_propose, product_change_reject
from .providers import (
    provider_add_staff,
    provider_create,
    provider_end_participation,
    provider_record_activity,
    provider_set_contract_manager,
    provider_set_status,
    providers_flag_inactive,
)

__all__ = [
    "EDITABLE_FIELDS",
    "PROPOSABLE_FIELDS",
    "IndexationPlan",
    "LocationInput",
    "PlannedPrice",
    "ProviderError",
    "bank_account_confirm",
    "bank_account_propose",
    "bank_account_reject",
    "contract_create",
    "contract_end",
    "contract_extend",
    "cpi_indexation_apply",
    "cpi_indexation_enter",
    "evaluation_close",
    "evaluation_open",
    "evaluation_record",
    "evidence_register",
    "indexation_plan",
    "network_settings_update",
    "product_change_approve",
    "product_change_propose",
    "product_change_reject",
    "product_create",
    "product_end",
    "product_orderability",
    "product_price_on",
    "product_price_set",
    "product_update",
    "provider_add_staff",
    "provider_create",
    "provider_end_participation",
    "provider_record_activity",
    "provider_set_contract_manager",
    "provider_set_status",
    "providers_flag_inactive",
    "rate_ceiling_on",
    "signal_register",
]
