"""drf-spectacular extensions: document our bearer-token authentication."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "opstap.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token uitgegeven via beheer of `manage.py api_token`.",
        }


# Storage limits of integer columns differ per database (SQLite reports 64-bit for every
# integer type, PostgreSQL the real smallint/integer/bigint ranges). They are not business
# rules, so the committed schema leaves them out and is the same on every database.
_STORAGE_LIMITS = {32767, 2147483647, 9223372036854775807}


def _strip_storage_limits(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "integer" and node.get("maximum") in _STORAGE_LIMITS:
            limit = node.pop("maximum")
            if node.get("minimum") == -limit - 1:
                node.pop("minimum")
            if node.get("format") == "int64":
                node.pop("format")
        for value in node.values():
            _strip_storage_limits(value)
    elif isinstance(node, list):
        for value in node:
            _strip_storage_limits(value)


def strip_database_integer_limits(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook (see SPECTACULAR_SETTINGS)."""
    _strip_storage_limits(result)
    return result
