"""One family of domain errors (pure: no Django).

A refusal of the domain is a `DomainError`: a Dutch `message` meant for the user, optionally
the `field` of the input it concerns and a machine `code`. The subclass says what kind of
refusal it is, and so which HTTP status the API answers with:

    DomainError            400  (the base: invalid input unless a subclass says otherwise)
    ├── InvalidInputError  400  validation: the input breaks a rule
    ├── NotFoundError      404  the object does not exist or the caller may not know it does
    ├── PermissionDeniedError 403  the caller is known but may not do this
    └── ConflictError      409  the state changed or does not allow this (lost race, workflow)

Each app keeps its own subclass (``TrajectoryError``, ``InvoiceError``, ...) for `except`
clauses and readable tracebacks; the translation to problem+json (`opstap.core.problems`) and
to form errors (`opstap.core.forms`) happens once, here in core.

Some app errors predate the family and signal their kind with a `code` instead of a class
(``InvoiceError(..., code="not_found")``); `status_of` honours those codes so their API
answers do not change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Self

__all__ = [
    "STATUS_BY_CODE",
    "ConflictError",
    "DomainError",
    "InvalidInputError",
    "NotFoundError",
    "PermissionDeniedError",
    "WorkflowError",
    "status_of",
]

#: Codes that name a kind of refusal on their own (kept for errors raised with a code).
STATUS_BY_CODE: Mapping[str, int] = MappingProxyType(
    {"not_found": 404, "forbidden": 403, "conflict": 409}
)


class DomainError(Exception):
    """A refusal of the domain; `message` is Dutch and shown to the user as is.

    `field` names the input it concerns (a form field or API member, snake_case), or is
    empty/None for the request as a whole; `code` is a short machine code for the API.
    `problems` is every problem the refusal stands for: itself, or all the problems of an
    input refused at once (`of_all`), which the API lists in `invalidParams` and a form shows
    each at its field.
    """

    status: int = 400
    default_code: str = "invalid"

    def __init__(self, message: str = "", *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code or self.default_code

    #: Set by `of_all`; a class attribute, so a subclass with its own constructor has it too.
    _all: tuple[DomainError, ...] = ()

    @property
    def problems(self) -> tuple[DomainError, ...]:
        return self._all or (self,)

    @classmethod
    def of_all(cls, problems: Sequence[DomainError]) -> Self:
        """One refusal for every problem of an input (each naming its own field), so the
        answer names them all at once instead of one per attempt. Its message, field and
        code are the first problem's (a caller that shows one message shows that one);
        `problems` holds them all. `problems` must not be empty."""
        first = problems[0]
        error = cls(first.message, field=first.field, code=first.code)
        error._all = tuple(problems)
        return error

    def __str__(self) -> str:
        return self.message


class InvalidInputError(DomainError):
    """The input breaks a rule (400)."""


class NotFoundError(DomainError):
    """Not there, or not visible to the caller (404: we do not say which)."""

    status = 404
    default_code = "not_found"


class PermissionDeniedError(DomainError):
    """The caller may not do this (403)."""

    status = 403
    default_code = "forbidden"


class ConflictError(DomainError):
    """The current state does not allow this, or another user changed it first (409)."""

    status = 409
    default_code = "conflict"


class WorkflowError(ConflictError):
    """A step a workflow table does not allow (`opstap.core.workflow.guard`); `state` and
    `action` name the refused transition."""

    default_code = "illegal_transition"

    def __init__(
        self,
        message: str = "",
        *,
        state: object = None,
        action: object = None,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message, field=field, code=code)
        self.state = state
        self.action = action


def status_of(error: DomainError) -> int:
    """The HTTP status of a refusal: the subclass's, unless a base-class error names its kind
    with a code (`code="not_found"`)."""
    if type(error).status == DomainError.status:
        return STATUS_BY_CODE.get(error.code, error.status)
    return error.status
