"""Pages of the site frame: home, accessibility statement, health check, error pages."""

from __future__ import annotations

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from opstap.core.access import permission_required, public_view
from opstap.core.roles import Perm

from .home import panels_for


@permission_required(Perm.HOME_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    """Start page; each role's panels are registered by the apps (`web.home`)."""
    return render(request, "web/home.html", {"page_title": "Start", "panels": panels_for(request)})


@public_view
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html", {"page_title": "Toegankelijkheidsverklaring"})


@public_view
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness + database check for load balancers: 200 or 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        from opstap.api.errors import problem_response

        return problem_response(
            404,
            "Niet gevonden",
            "De gevraagde resource bestaat niet of u heeft er geen toegang toe.",
            instance=request.path,
        )
    return render(request, "404.html", {"page_title": "Pagina niet gevonden"}, status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        from opstap.api.errors import problem_response

        return problem_response(
            400, "Ongeldige invoer", "Het verzoek is ongeldig.", instance=request.path
        )
    return render(request, "400.html", {"page_title": "Ongeldig verzoek"}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        from opstap.api.errors import problem_response

        return problem_response(
            403, "Geen toegang", "U heeft geen recht op deze handeling.", instance=request.path
        )
    return render(request, "403.html", {"page_title": "Geen toegang"}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        from opstap.api.errors import problem_response

        return problem_response(
            500,
            "Interne fout",
            "Er ging iets mis aan onze kant. Er is niets half opgeslagen.",
            instance=request.path,
        )
    return render(request, "500.html", {"page_title": "Er ging iets mis"}, status=500)
