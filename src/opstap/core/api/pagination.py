"""`page` / `pageSize` pagination with links (Logius ADR)."""

from __future__ import annotations

import functools
import re
from typing import Any, ClassVar

from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from opstap.core.counts import CachedCountPaginator, CountsCache

_PAGE = re.compile(r"[0-9]{1,18}")


class PageNumberPagination(pagination.PageNumberPagination):
    page_query_param = "page"
    page_size_query_param = "pageSize"
    max_page_size = 100

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        """`page` is a whole number from 1 (or `last`); anything else is a 400 naming the
        parameter (R-SEC-6). A page beyond the last stays a 404 (documented in the schema)."""
        raw = request.query_params.get(self.page_query_param) or ""
        if not raw:
            return 1
        if raw in self.last_page_strings:
            return paginator.num_pages
        if not _PAGE.fullmatch(raw) or int(raw) < 1:
            raise ValidationError(
                {self.page_query_param: ["Vul een paginanummer in: een geheel getal vanaf 1."]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = "Paginanummer, vanaf 1 (of `last`)."
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Aantal resultaten per pagina (1 tot en met {self.max_page_size})."
                )
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }


class CachedCountPagination(PageNumberPagination):
    """page/pageSize as everywhere; the total is counted once per filter set and day, not on
    every page (a COUNT over tens of thousands of visible rows at national scale)."""

    counts_cache: ClassVar[CountsCache]

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        self.django_paginator_class = functools.partial(  # type: ignore[assignment]
            CachedCountPaginator,
            counts=self.counts_cache,
            organisation_id=getattr(request.user, "organisation_id", None),
            # A view may know its total another way (`list_total`: None = count the rows).
            total=getattr(view, "list_total", None),
        )
        return super().paginate_queryset(queryset, request, view)
