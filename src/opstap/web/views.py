"""Pages of the site frame: home, accessibility statement, health check, error pages."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from opstap.core.access import permission_required, public_view
from opstap.core.actor import Actor
from opstap.core.request_memo import request_memo
from opstap.core.roles import Perm

from .panels import panels_for


def role_home_url(user: Actor | AnonymousUser) -> str:
    """Where "home" is for this user: the portal for residents, the start page for staff,
    the login page for anyone not signed in (the way out of every error page)."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return reverse("accounts:login")
    if not user.has_opstap_perm(Perm.HOME_VIEW) and user.has_opstap_perm(Perm.PORTAL_VIEW):
        return reverse("portal:home")
    return reverse("web:home")


def _residents_to_portal(view: Any) -> Any:
    """Residents have no staff start page: "/" (the logo, a login's `next=/`) is their
    portal, so they never land on a 403 with a link back to itself."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user  # may be anonymous here: the view itself sends them to log in
        if user.is_authenticated and role_home_url(user) != reverse("web:home"):
            return redirect(role_home_url(user))
        return view(request, *args, **kwargs)

    wrapper.opstap_role_home_redirect = True  # type: ignore[attr-defined]
    return wrapper


@_residents_to_portal
@permission_required(Perm.HOME_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    """Start page; each role's panels are registered by the apps (`opstap.core.panels`).
    The panels share one request memo: the user's client scope (it reads the ladder mapping)
    is computed once for all of them, not once per panel (issue 18)."""
    with request_memo():
        panels = panels_for(request)
        return render(request, "web/home.html", {"page_title": "Start", "panels": panels})


@public_view
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html", {"page_title": "Toegankelijkheidsverklaring"})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def _cache_ok() -> bool:
    """The shared cache (Redis in production) answers a write and a read."""
    from django.core.cache import cache

    try:
        cache.set("opstap:readyz", "ok", timeout=10)
        return cache.get("opstap:readyz") == "ok"
    except Exception:  # any backend error means "not ready"
        return False


def _broker_ok() -> bool | None:
    """The Celery broker accepts a connection; None when work runs in-process (no broker)."""
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        return None
    from opstap.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # an unreachable broker in any form means "not ready"
        return False
    return True


@public_view
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness + database check for load balancers: 200 or 503."""
    if not _database_ok():
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@public_view
def livez(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. No dependency is checked, so a database outage does not
    make an orchestrator restart every web worker."""
    return JsonResponse({"status": "ok"})


@public_view
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for the monitoring network only: the addresses in
    OPSTAP_METRICS_ALLOWED_IPS (default loopback), others get 404 as if it did not exist."""
    from django.conf import settings
    from django.http import Http404

    from .metrics import exposition

    if request.META.get("REMOTE_ADDR") not in settings.OPSTAP_METRICS_ALLOWED_IPS:
        raise Http404
    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type)


@public_view
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database, the shared cache and the broker answer; 503 names what fails."""
    checks: dict[str, str] = {
        "database": "ok" if _database_ok() else "error",
        "cache": "ok" if _cache_ok() else "error",
    }
    broker = _broker_ok()
    checks["broker"] = "in-process" if broker is None else ("ok" if broker else "error")
    ready = "error" not in checks.values()
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503
    )


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        from opstap.core.problems import problem_response

        return problem_response(
            404,
            "Niet gevonden",
            "De gevraagde resource bestaat niet of u heeft er geen toegang toe.",
            instance=request.path,
        )
    return render(
        request,
        "404.html",
        {"page_title": "Pagina niet gevonden", "home_url": role_home_url(request.user)},
        status=404,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        from opstap.core.problems import problem_response

        return problem_response(
            400, "Ongeldige invoer", "Het verzoek is ongeldig.", instance=request.path
        )
    return render(request, "400.html", {"page_title": "Ongeldig verzoek"}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        from opstap.core.problems import problem_response

        return problem_response(
            403, "Geen toegang", "U heeft geen recht op deze handeling.", instance=request.path
        )
    return render(
        request,
        "403.html",
        {"page_title": "Geen toegang", "home_url": role_home_url(request.user)},
        status=403,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        from opstap.core.problems import problem_response

        return problem_response(
            500,
            "Interne fout",
            "Er ging iets mis aan onze kant. Er is niets half opgeslagen.",
            instance=request.path,
        )
    return render(request, "500.html", {"page_title": "Er ging iets mis"}, status=500)
