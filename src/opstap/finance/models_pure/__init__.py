"""Pure finance models (R-FIN-1..5, R-PREM-1, R-INT-5): typed computations without the ORM.

Each module is a small, documented rule set with frozen dataclasses for input and output.
Money is `Decimal` rounded to cents with ROUND_HALF_UP by the foundation (`opstap.core.money`).
"""
