"""Errors as application/problem+json (RFC 9457, Logius API Design Rules): the ONE translator
of errors to the API.

Fields: type, title, status, detail, instance, and for validation errors `invalidParams`
(name, code, reason) — camelCase like the rest of the API. A `DomainError` raised by a
service reaches the client without a per-view translation: its class (or code, see
`opstap.core.errors.status_of`) gives the status; a 400 names the field in `invalidParams`,
other statuses carry the Dutch message as `detail`.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .errors import DomainError, status_of

__all__ = [
    "PROBLEM_CONTENT_TYPE",
    "as_api_exception",
    "problem_body",
    "problem_exception_handler",
    "problem_response",
]

PROBLEM_CONTENT_TYPE = "application/problem+json"

_TITLES = {
    400: "Ongeldige invoer",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Niet acceptabel",
    409: "Conflict",
    415: "Mediatype niet ondersteund",
    429: "Te veel verzoeken",
    500: "Interne fout",
}


class _Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Deze handeling is niet toegestaan."
    default_code = "conflict"


def _type_uri(status_code: int) -> str:
    return f"https://opstap.example.org/problems/{status_code}"


def problem_body(
    status_code: int,
    title: str,
    detail: str,
    *,
    instance: str = "",
    invalid_params: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": _type_uri(status_code),
        "title": title,
        "status": status_code,
        "detail": detail,
        "instance": instance,
    }
    if invalid_params is not None:
        body["invalidParams"] = invalid_params
    return body


def problem_response(status_code: int, title: str, detail: str, **extra: Any) -> JsonResponse:
    """A problem+json answer outside DRF (middleware, Django's error views); `extra` as in
    `problem_body` (instance, invalid_params)."""
    response = JsonResponse(
        problem_body(status_code, title, detail, **extra),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    response["API-Version"] = settings.API_VERSION
    return response


#: Django REST framework's Dutch catalogue leaves some field messages in English and writes
#: others half-English; an API user reads Dutch (R-SEC-6). Each pattern is matched against
#: the whole message; the replacement may use its named groups.
_DUTCH_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"Not a valid string\.", "Geef een tekst op."),
        (r"Must be a valid boolean\.", "Geef true of false op."),
        (r"Must be a valid UUID\.", "Geef een geldige UUID op."),
        (
            r"Ensure this field has no more than (?P<n>\d+) elements\.",
            "Geef hoogstens {n} waarden op.",
        ),
        (r"Ensure this field has at least (?P<n>\d+) elements\.", "Geef minstens {n} waarden op."),
        (r"This dictionary may not be empty\.", "Dit object mag niet leeg zijn."),
        (r"Verwachtte een dictionary van items, maar kreeg type .*", "Geef een object (JSON) op."),
        (r"Ongeldige data\. Verwacht een dictionary, kreeg een .*", "Geef een object (JSON) op."),
        (r"Date heeft het verkeerde formaat.*", "Geef een bestaande datum op als JJJJ-MM-DD."),
        (
            r"Datetime heeft een ongeldig formaat.*",
            "Geef een tijdstip op als JJJJ-MM-DDTUU:MM:SS met tijdzone (bijv. +01:00).",
        ),
        (r"Verwachtte een date, maar kreeg een datetime\.", "Geef een datum op zonder tijd."),
        (r"Verwachtte een datetime, maar kreeg een date\.", "Geef een tijdstip op, met tijd."),
        (r"Invalid datetime for the timezone .*", "Dit tijdstip bestaat niet in deze tijdzone."),
        (r"Datetime value out of range\.", "Dit tijdstip valt buiten het bereik."),
        (r"Integer value too large to convert to float", "Het getal is te groot."),
        (
            r'Ongeldige pk "(?P<v>.*)" - object bestaat niet\.',
            "Onbekend id {v}: het bestaat niet of u heeft er geen toegang toe.",
        ),
        (r"Ongeldig type\. Verwacht een pk-waarde, .*", "Geef een id op (een geheel getal)."),
        (r"Enter a valid \"slug\".*", "Geef letters, cijfers, liggende streepjes of streepjes op."),
    ]
]


def _dutch(reason: str) -> str:
    for pattern, replacement in _DUTCH_REASONS:
        match = pattern.fullmatch(reason)
        if match:
            return replacement.format(**match.groupdict())
    return reason


def _camel(name: str) -> str:
    head, *tail = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in tail)


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = _camel(str(key)) if key != "non_field_errors" else "nonFieldErrors"
            params.extend(_flatten(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, dict | list):
                params.extend(_flatten(item, f"{prefix}.{index}"))
            else:
                params.extend(_flatten(item, prefix))
    else:
        code = getattr(detail, "code", "invalid")
        params.append(
            {"name": prefix or "nonFieldErrors", "code": str(code), "reason": _dutch(str(detail))}
        )
    return params


def as_api_exception(error: DomainError) -> exceptions.APIException:
    """The DRF exception a domain refusal becomes: 400 with the field in `invalidParams` (one
    entry per problem when the refusal stands for several, `DomainError.of_all`), otherwise
    403/404/409 with the (first) Dutch message as detail."""
    code = status_of(error)
    if code == status.HTTP_404_NOT_FOUND:
        return exceptions.NotFound(error.message or None)
    if code == status.HTTP_403_FORBIDDEN:
        return exceptions.PermissionDenied(error.message or None)
    if code == status.HTTP_409_CONFLICT:
        return _Conflict(error.message or None, code=error.code)
    detail: dict[str, list[ErrorDetail]] = {}
    for problem in error.problems:
        detail.setdefault(problem.field or "nonFieldErrors", []).append(
            ErrorDetail(problem.message, code=problem.code)
        )
    return exceptions.ValidationError(detail)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error of the API as problem+json."""
    if isinstance(exc, DomainError):
        exc = as_api_exception(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(
            "De gevraagde resource bestaat niet of u heeft er geen toegang toe."
        )
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    request = context.get("request")
    instance = request.path if request is not None else ""
    if response is None:
        return None
    status_code = response.status_code
    title = _TITLES.get(status_code, "Fout")
    invalid_params = None
    if isinstance(exc, exceptions.ValidationError):
        invalid_params = _flatten(exc.detail)
        detail = "De invoer is ongeldig; zie invalidParams."
    else:
        raw = getattr(exc, "detail", str(exc))
        detail = str(raw)
        if isinstance(exc, exceptions.ParseError):
            # The parser's message is English ("JSON parse error - Expecting …").
            detail = "De inhoud is geen geldige JSON (of niet in het gevraagde formaat)."
        if status_code == status.HTTP_401_UNAUTHORIZED:
            detail = "Authenticatie is vereist: log in of stuur een geldig bearer-token."
    response.data = problem_body(
        status_code, title, detail, instance=instance, invalid_params=invalid_params
    )
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
