"""camelCase JSON for the API (R-INT-1: camelCase fields), with the key conversion memoised.

djangorestframework-camel-case converts every key of every object with a regular expression
and builds an `OrderedDict` per object. For a page of 100 trajectories (35 fields each) that
cost more than serialising the page itself (issue 6: the provider's list at national scale).
This renderer gives exactly the same output (a property test compares it with the library's
`camelize` on generated data) from a cached key conversion and plain dicts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any
from uuid import UUID

from django.utils.encoding import force_str
from django.utils.functional import Promise
from djangorestframework_camel_case.util import camelize_re, underscore_to_camel
from rest_framework.renderers import JSONRenderer

_SCALARS = (str, int, float, bool, type(None), Decimal, dt.date, dt.time, dt.timedelta, UUID)
#: Values that `camelize` returns as they are, by exact type: most values of a page, passed
#: over without a call of `camelize` each (issue 18: 3,300 calls for a page of 100 rows).
_AS_IS = frozenset({str, int, float, bool, type(None)})


@lru_cache(maxsize=8192)
def camel_key(key: str) -> str:
    """`snake_case` → `snakeCase`, as the library does it (bounded cache: keys of JSON
    payloads are not all ours)."""
    return camelize_re.sub(underscore_to_camel, key) if "_" in key else key


def camelize(data: Any) -> Any:
    """Every dictionary key in `data` in camelCase; values unchanged (lazy strings forced)."""
    if isinstance(data, Promise):
        return force_str(data)
    if isinstance(data, _SCALARS):
        return data
    if isinstance(data, dict):
        result: dict[Any, Any] = {}
        for key, value in data.items():
            if type(key) is str:
                key = camel_key(key)
            else:
                if isinstance(key, Promise):
                    key = force_str(key)
                if isinstance(key, str):
                    key = camel_key(key)
            result[key] = value if type(value) in _AS_IS else camelize(value)
        return result
    if isinstance(data, list | tuple):
        return [item if type(item) in _AS_IS else camelize(item) for item in data]
    try:
        iterator = iter(data)
    except TypeError:
        return data
    return [camelize(item) for item in iterator]


class CamelCaseJSONRenderer(JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return super().render(camelize(data), accepted_media_type, renderer_context)
