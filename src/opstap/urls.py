"""Root URLconf: people's pages per app, the API under /api/v1/, health and admin."""

from django.contrib import admin
from django.urls import include, path

handler400 = "opstap.web.views.bad_request"
handler403 = "opstap.web.views.permission_denied"
handler404 = "opstap.web.views.page_not_found"
handler500 = "opstap.web.views.server_error"

admin.site.site_header = "Opstap — functioneel beheer"
admin.site.site_title = "Opstap beheer"

urlpatterns = [
    path("", include("opstap.web.health_urls")),
    path("api/v1/", include("opstap.api.urls")),
    path("account/", include("opstap.accounts.urls")),
    path("klanten/", include("opstap.clients.urls")),
    path("audit/", include("opstap.audit.urls")),
    path("aanbieders/", include("opstap.providers.urls")),
    path("instrumentengids/", include("opstap.providers.guide_urls")),
    path("trajecten/", include("opstap.trajectories.urls")),
    path("meldingen/", include("opstap.notifications.urls")),
    path("financien/", include("opstap.finance.urls")),
    path("", include("opstap.access_requests.urls")),  # mijn/gegevens/, inzageverzoeken/
    path("sturing/", include("opstap.kpis.urls")),
    path("werk/", include("opstap.matching.urls")),
    path("mijn/", include("opstap.portal.urls")),
    path("facturen/", include("opstap.invoices.urls")),
    path("indicatoren/", include("opstap.indicators.urls")),
    path("rapportages/", include("opstap.reporting.urls")),
    path("social-return/", include("opstap.social_return.urls")),
    path("gebruikers/", include("opstap.accounts.user_urls")),
    path("bewaartermijnen/", include("opstap.retention.urls")),
    path("beheer/", admin.site.urls),
    path("", include("opstap.web.urls")),
]
