"""The /api/v1/ router. Each app contributes its viewsets in `<app>/api/`; no trailing
slashes (a trailing slash is a 404, not a redirect)."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from opstap.accounts.access import public_view
from opstap.organisations.api.views import MunicipalityViewSet

router = SimpleRouter(trailing_slash=False)
router.register("municipalities", MunicipalityViewSet, basename="municipality")

app_name = "api"
urlpatterns = [
    path("openapi.json", public_view(SpectacularJSONAPIView.as_view()), name="schema"),
    *router.urls,
]
