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


# Every error of the API is problem+json (`opstap.core.problems`); the document says so in
# one uniform way: one `Problem` schema and the same error responses on every operation
# (401/403 always; 404 where the path names an object or a list is paged — a page beyond the
# last —; 400 where the caller sends input — a body, a query parameter or a path id — and on
# every write, which a service may refuse; 409 where the call changes state).
_PROBLEM = {
    "type": "object",
    "description": "Foutmelding volgens RFC 9457 (application/problem+json).",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/InvalidParam"},
        },
    },
    "required": ["type", "title", "status", "detail", "instance"],
}
_INVALID_PARAM = {
    "type": "object",
    "description": "Een veld dat niet klopt, met de reden in het Nederlands.",
    "properties": {
        "name": {"type": "string"},
        "code": {"type": "string"},
        "reason": {"type": "string"},
    },
    "required": ["name", "code", "reason"],
}
_ERROR_DESCRIPTIONS = {
    "400": "Ongeldige invoer (zie invalidParams).",
    "401": "Niet geauthenticeerd.",
    "403": "Geen toegang.",
    "404": "Niet gevonden, of u heeft er geen toegang toe.",
    "409": "Conflict: de huidige status staat dit niet toe of een ander was u voor.",
}
_PAGE_NOT_FOUND = "De gevraagde pagina bestaat niet (voorbij de laatste)."
_WRITES = {"post", "put", "patch", "delete"}


def _error_codes(method: str, path: str, operation: dict[str, Any]) -> list[str]:
    codes = ["401", "403"]
    parameters = operation.get("parameters", [])
    if "{" in path or any(p.get("in") == "query" and p.get("name") == "page" for p in parameters):
        codes.append("404")
    has_input = "requestBody" in operation or any(
        p.get("in") in ("query", "path") for p in parameters
    )
    if has_input or method in _WRITES:
        codes.append("400")
    if method in _WRITES:
        codes.append("409")
    return sorted(codes)


def _description(code: str, path: str) -> str:
    if code == "404" and "{" not in path:
        return _PAGE_NOT_FOUND
    return _ERROR_DESCRIPTIONS[code]


def add_problem_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: uniform problem+json error responses. An
    operation may name a further error status itself (`extend_schema(responses={404:
    OpenApiResponse(description=...)})`); it gets the same Problem body."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = _PROBLEM
    schemas["InvalidParam"] = _INVALID_PARAM
    problem_content = {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code in _error_codes(method, path, operation):
                responses.setdefault(
                    code, {"content": problem_content, "description": _description(code, path)}
                )
            for code, response in responses.items():
                if code.startswith(("4", "5")) and "content" not in response:
                    response["content"] = problem_content
                    response.setdefault("description", _description(code, path))
            operation["responses"] = dict(sorted(responses.items()))
    return result
