from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicesConfig(AppConfig):
    name = "opstap.invoices"
    verbose_name = _("Facturen")

    def ready(self) -> None:
        from opstap.trajectories.services import price_terms_changed

        from . import (  # noqa: F401  (scope policies and home panel)
            access,
            anonymisers,
            home,
        )
        from .services import on_price_terms_changed

        # New price terms (an approved (revised) quote): open invoices are checked again.
        price_terms_changed.connect(
            on_price_terms_changed, dispatch_uid="invoices.recheck_on_price_terms"
        )
