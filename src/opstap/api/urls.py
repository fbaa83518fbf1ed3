"""The /api/v1/ router. Each app contributes its viewsets in `<app>/api/`; no trailing
slashes (a trailing slash is a 404, not a redirect)."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from opstap.access_requests.api.views import AccessRequestViewSet, ClientAccessRequestsView
from opstap.clients.api.views import ClientViewSet
from opstap.core.access import public_view
from opstap.finance.api.views import (
    BusinessCaseViewSet,
    CostSplitViewSet,
    ForecastViewSet,
    OutflowPremiumViewSet,
    SafetyNetViewSet,
)
from opstap.indicators.api.views import ProviderIndicatorsListView, ProviderIndicatorsView
from opstap.invoices.api.views import (
    CreditNoteViewSet,
    InvoiceViewSet,
    PaymentBatchViewSet,
    PaymentRulesViewSet,
    PlacementFeeClaimViewSet,
    TravelClaimViewSet,
)
from opstap.kpis.api.views import KpiView
from opstap.matching.api.views import (
    ClientMatchesView,
    EmployerViewSet,
    ProposalViewSet,
    VacancyViewSet,
)
from opstap.organisations.api.views import MunicipalityViewSet
from opstap.providers.api.views import (
    ProductChangeProposalViewSet,
    ProductViewSet,
    ProviderViewSet,
    TileViewSet,
)
from opstap.reporting.api.views import SrgDeliveryViewSet
from opstap.social_return.api.views import (
    SocialReturnBlocksView,
    SocialReturnBuildingBlocksView,
    SocialReturnMonitorView,
    SocialReturnProvidersView,
)
from opstap.trajectories.api.deadline_views import DeadlineComputeView
from opstap.trajectories.api.views import TrajectoryViewSet

router = SimpleRouter(trailing_slash=False)
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("providers", ProviderViewSet, basename="provider")
router.register("products", ProductViewSet, basename="product")
router.register("tiles", TileViewSet, basename="tile")
router.register(
    "product-change-proposals", ProductChangeProposalViewSet, basename="product-change-proposal"
)
router.register("clients", ClientViewSet, basename="client")
router.register("finance/cost-split", CostSplitViewSet, basename="finance-cost-split")
router.register("finance/business-cases", BusinessCaseViewSet, basename="finance-business-case")
router.register("finance/safety-net", SafetyNetViewSet, basename="finance-safety-net")
router.register("finance/forecasts", ForecastViewSet, basename="finance-forecast")
router.register("outflow-premiums", OutflowPremiumViewSet, basename="outflow-premium")
router.register("trajectories", TrajectoryViewSet, basename="trajectory")
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("srg-deliveries", SrgDeliveryViewSet, basename="srg-delivery")
router.register("credit-notes", CreditNoteViewSet, basename="credit-note")
router.register("payment-batches", PaymentBatchViewSet, basename="payment-batch")
router.register("placement-fee-claims", PlacementFeeClaimViewSet, basename="placement-fee-claim")
router.register("travel-claims", TravelClaimViewSet, basename="travel-claim")
router.register("payment-rules", PaymentRulesViewSet, basename="payment-rules")
router.register("access-requests", AccessRequestViewSet, basename="access-request")
router.register("vacancies", VacancyViewSet, basename="vacancy")
router.register("employers", EmployerViewSet, basename="employer")
router.register("proposals", ProposalViewSet, basename="proposal")

app_name = "api"
urlpatterns = [
    path("openapi.json", public_view(SpectacularJSONAPIView.as_view()), name="schema"),
    path(
        "providers/<int:pk>/indicators",
        ProviderIndicatorsView.as_view(),
        name="provider-indicators",
    ),
    path(
        "provider-indicators", ProviderIndicatorsListView.as_view(), name="provider-indicators-list"
    ),
    path(
        "clients/<int:id>/access-requests",
        ClientAccessRequestsView.as_view(),
        name="client-access-requests",
    ),
    path("clients/<int:id>/matches", ClientMatchesView.as_view(), name="client-matches"),
    path("kpis", KpiView.as_view(), name="kpis"),
    path(
        "social-return/providers",
        SocialReturnProvidersView.as_view(),
        name="social-return-providers",
    ),
    path(
        "social-return/providers/<int:pk>",
        SocialReturnMonitorView.as_view(),
        name="social-return-monitor",
    ),
    path("social-return/blocks", SocialReturnBlocksView.as_view(), name="social-return-blocks"),
    path(
        "social-return/building-blocks",
        SocialReturnBuildingBlocksView.as_view(),
        name="social-return-building-blocks",
    ),
    path("deadlines/_compute", DeadlineComputeView.as_view(), name="deadlines-compute"),
    *router.urls,
]
