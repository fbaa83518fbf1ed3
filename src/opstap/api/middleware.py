"""Adds the `API-Version` header to every API response (Logius ADR, API-57); refuses
integers beyond 64 bits and turns a lost database race into a 409 (R-SEC-6: no 5xx)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import get_resolver, get_urlconf

logger = logging.getLogger(__name__)


class APIVersionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            response["API-Version"] = settings.API_VERSION
        return response


# --- No input gives a 5xx (R-SEC-6) ----------------------------------------------------------

#: The range of a database integer (bigint): ids and integer filters beyond it cannot match.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
_INTEGER = re.compile(r"^[+-]?\d+$")


def _out_of_range(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not INT_MIN <= value <= INT_MAX
    if isinstance(value, str) and len(value) < 5000 and _INTEGER.match(value.strip()):
        return not INT_MIN <= int(value.strip()) <= INT_MAX
    return False


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class InputRangeMiddleware:
    """An integer beyond 64 bits in a path id or a query parameter is refused before a view
    runs: the database would raise (SQLite OverflowError, PostgreSQL out of range), and such
    an id or filter can never match. API: 400 problem+json naming the parameter; pages: the
    Dutch 404 (a path id) or 400 (a query parameter) page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        bad = [("path", k) for k, v in view_kwargs.items() if _out_of_range(v)]
        bad += [
            ("query", k) for k, values in request.GET.lists() for v in values if _out_of_range(v)
        ]
        if not bad:
            return None
        where, name = bad[0]
        if _is_api(request):
            from opstap.core.problems import problem_response

            camel = name if where == "query" else _camel_name(name)
            return problem_response(
                400,
                "Ongeldige invoer",
                "De invoer is ongeldig; zie invalidParams.",
                instance=request.path,
                invalid_params=[
                    {
                        "name": camel,
                        "code": "max_value",
                        "reason": "Vul een geheel getal in tussen -9223372036854775808 en "
                        "9223372036854775807.",
                    }
                ],
            )
        if where == "path":
            raise Http404("Deze pagina bestaat niet.")
        # The site's own 400 page, answered here rather than raised: a raised BadRequest is
        # logged by Django with its traceback, which is noise for an input the user typed.
        logger.warning("Bad request (query parameter %s out of range): %s", name, request.path)
        handler: Callable[..., HttpResponse] = get_resolver(get_urlconf()).resolve_error_handler(
            400
        )
        return handler(request, BadRequest(f"De waarde van '{name}' is te groot."))


def _camel_name(name: str) -> str:
    head, *tail = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in tail)


#: Messages of a lost race for the database (SQLite's lock, PostgreSQL's lock timeout or
#: serialisation failure / deadlock).
_BUSY = (
    "database is locked",
    "database table is locked",
    "could not obtain lock",
    "could not serialize access",
    "deadlock detected",
    "lock timeout",
)
BUSY_MESSAGE_NL = (
    "Iemand anders wijzigde tegelijk dezelfde gegevens; er is niets opgeslagen. "
    "Probeer het opnieuw."
)


def is_busy_error(exc: BaseException) -> bool:
    """A database error that means: another write won the race (try again)."""
    from django.db import OperationalError

    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return any(marker in text for marker in _BUSY)


class DatabaseBusyMiddleware:
    """A write that loses the race for the database gets a clear 409 (R-SEC-6), not a 500:
    API: problem+json; pages: the Dutch 409 page. The transaction was rolled back, so
    nothing is half saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy_error(exception):
            return None
        logger.warning("Database busy (409): %s %s: %s", request.method, request.path, exception)
        if _is_api(request):
            from opstap.core.problems import problem_response

            return problem_response(409, "Conflict", BUSY_MESSAGE_NL, instance=request.path)
        from django.shortcuts import render

        return render(request, "409.html", {"page_title": "Tegelijk gewijzigd"}, status=409)


class MethodNotAllowedPageMiddleware:
    """A page address opened with the wrong method (a bookmarked report button, a link to a
    form's action) answered an empty 405. Pages now get the Dutch 405 page that says the
    address works through its button; the `Allow` header stays. The API keeps its
    problem+json answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or _is_api(request) or response.content:
            return response
        from django.shortcuts import render

        page = render(request, "405.html", {"page_title": "Deze pagina opent u met een knop"})
        page.status_code = 405
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page
