"""`page` / `pageSize` pagination with links (Logius ADR)."""

from __future__ import annotations

import functools
from typing import Any, ClassVar

from rest_framework import pagination
from rest_framework.request import Request
from rest_framework.response import Response

from opstap.core.counts import CachedCountPaginator, CountsCache


class PageNumberPagination(pagination.PageNumberPagination):
    page_query_param = "page"
    page_size_query_param = "pageSize"
    max_page_size = 100

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
        )
        return super().paginate_queryset(queryset, request, view)
