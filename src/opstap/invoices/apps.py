from django.utils.translation import gettext_lazy as _

from opstap.core import app_config


class InvoicesConfig(app_config.RegisteringAppConfig):
    name = "opstap.invoices"
    verbose_name = _("Facturen")
    registers = ("access", "anonymisers", "home")

    def ready(self) -> None:
        super().ready()
        from opstap.trajectories.services import price_terms_changed

        from .services import on_price_terms_changed

        # New price terms (an approved (revised) quote): open invoices are checked again.
        price_terms_changed.connect(
            on_price_terms_changed, dispatch_uid="invoices.recheck_on_price_terms"
        )
