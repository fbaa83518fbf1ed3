"""Product prices and the CPI indexation that moves them (R-NET-6, R-NET-7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import optional_datetime, optional_user, user_reference
from opstap.organisations.models import OrganisationOwned

from .products import Product
from .reference import Validity

__all__ = ["CpiIndexation", "PriceSource", "ProductPrice"]


class CpiIndexation(OrganisationOwned):
    """The CPI percentage for one year, entered by the contract manager (R-NET-6)."""

    year = models.PositiveSmallIntegerField(
        _("jaar"), help_text=_("Nieuwe prijzen gelden vanaf 1 januari van dit jaar.")
    )
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=5,
        decimal_places=2,
        help_text=_("CBS CPI alle huishoudens, jaarmutatie september van het jaar ervoor."),
    )
    entered_by = user_reference(_("ingevoerd door"), _("Contractmanager."), related_name="+")
    entered_at = models.DateTimeField(_("ingevoerd op"), auto_now_add=True)
    applied_at = optional_datetime(_("toegepast op"), _("Wanneer de prijzen zijn aangepast."))
    applied_by = optional_user(_("toegepast door"), _("Wie de indexatie toepaste."))

    class Meta:
        verbose_name = _("indexatie")
        verbose_name_plural = _("indexaties")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="uniq_indexation_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.percentage}%"


class PriceSource(models.TextChoices):
    ENTRY = "entry", _("invoer")
    INDEXATION = "indexation", _("indexatie")
    PROPOSAL = "proposal", _("wijzigingsvoorstel")


class ProductPrice(Validity):
    """A price of a product with its validity; history is never rewritten (R-NET-6)."""

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="prices",
        verbose_name=_("product"),
        help_text=_("Het product."),
    )
    amount = models.DecimalField(
        _("bedrag"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Vaste prijs of uurtarief (bij variabel: richtprijs), excl. btw."),
    )
    source = models.CharField(
        _("herkomst"),
        max_length=12,
        choices=PriceSource.choices,
        default=PriceSource.ENTRY,
        help_text=_("Invoer, indexatie of wijzigingsvoorstel."),
    )
    indexation = models.ForeignKey(
        CpiIndexation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prices",
        verbose_name=_("indexatie"),
        help_text=_("De indexatie die deze prijs opleverde."),
    )

    class Meta:
        verbose_name = _("productprijs")
        verbose_name_plural = _("productprijzen")
        ordering = ["product", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["product", "valid_from"], name="uniq_price_from"),
        ]
        indexes = [
            models.Index(fields=["product", "valid_from", "valid_until"], name="price_valid_idx"),
        ]

    def __str__(self) -> str:
        return f"EUR {self.amount} vanaf {self.valid_from:%d-%m-%Y}"
