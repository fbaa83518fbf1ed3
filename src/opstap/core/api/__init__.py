"""The API toolkit under every app (issue 13): what the apps' `api/` packages share
(serializer helpers, pagination with cached counts, audited reads). The router that wires the
apps' viewsets under /api/v1/ is `opstap.api`, at the top; the apps never import it."""
