"""What the audit trail calls a kind of object (R-SEC-2): ONE naming rule for every path that
writes a record. Pure: no database.

The object type of a record about a model's row is the model's class name in snake_case:
`Client` → `client`, `AccessRequest` → `access_request`, `PlacementFeeClaim` →
`placement_fee_claim`. The services, the pages, the API viewsets (`audit_object_type`), the
denied reads of `core.access.get_object_for_user` and the default of `audit_read` all follow
it through `object_type_for`. Django's `_meta.model_name` squashes the words
(`accessrequest`): the denied reads used it, and a page wrote `accessrequest` beside the
services' `access_request`, so the same kind of object had two names in the trail.

A record about something that is no row of a model (a page, an import, the facts of a
month, a document of a row) names it with a snake_case word of its own (`page`,
`client_import`, `invoice_pdf`), never a model's name in another spelling.

Records already written keep the name they were written with (the trail is append-only);
`audit.labels` shows both spellings with the same Dutch label.
"""

from __future__ import annotations

import re
from typing import Any

#: A word boundary inside a class name: before a capital that follows a lower-case letter or
#: digit, and before the last capital of an acronym that starts a new word (`BRPPerson`).
_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake_case(class_name: str) -> str:
    """`AccessRequest` → `access_request`, `KpiTarget` → `kpi_target`."""
    return _BOUNDARY.sub("_", class_name).lower()


def object_type_for(model: Any) -> str:
    """The audit object type of a model (its class or one of its rows): the class name in
    snake_case."""
    cls = model if isinstance(model, type) else type(model)
    return snake_case(cls.__name__)
