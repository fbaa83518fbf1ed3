"""The domain exception of the finance models: a Dutch message the UI and API show as is."""

from __future__ import annotations

from opstap.core.errors import InvalidInputError


class FinanceInputError(InvalidInputError, ValueError):
    """Input the model cannot compute with; `field` names the input (for problem+json)."""
