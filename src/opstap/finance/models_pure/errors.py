"""The domain exception of the finance models: a Dutch message the UI and API show as is."""

from __future__ import annotations


class FinanceInputError(ValueError):
    """Input the model cannot compute with; `field` names the input (for problem+json)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
