"""The foundation under every Opstap app (see `docs/core.md`).

Only what two or more apps use lives here, each thing once: the `DomainError` family and its
two translators (problem+json, Dutch form errors), money and cent rounding, Dutch number and
date formats (also as template filters), the workflow-table type, the report/export and chart
kit, the counts cache, the home-panel registry and the `Actor` type. It imports no Opstap app
and holds no domain models.
"""
