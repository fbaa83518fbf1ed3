"""Reference data with validity periods: tiles, product codes, promoted modules and the rate
ceiling (R-NET-4, R-NET-6)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import Validity
from opstap.organisations.models import organisation_or_default

__all__ = [
    "OrderingMode",
    "PriceType",
    "ProductCode",
    "PromotedModule",
    "RateCeiling",
    "Tile",
    "TileKind",
    "Validity",
]


# --- Reference data (R-NET-1, R-BILL-1): rows with validity, editable in the admin ----------


class TileKind(models.TextChoices):
    WORK = "work", _("werklandschap (EVA)")
    EMPLOYER = "employer", _("werkgeversinstrument (Dennis)")


class Tile(Validity):
    """A tile of VNG's work landscape (EW02-EW09) or an employer instrument (DW01-DW10)."""

    code = models.CharField(
        _("code"), max_length=4, unique=True, help_text=_("EVA/Dennis-code, bijv. EW02 of DW05.")
    )
    kind = models.CharField(
        _("soort"),
        max_length=10,
        choices=TileKind.choices,
        help_text=_("Werklandschap (kandidaat) of werkgeversinstrument."),
    )
    number = models.PositiveSmallIntegerField(
        _("volgorde"), help_text=_("Volgorde in de UI (tegel 1..8 volgens de bronnen).")
    )
    name = models.CharField(_("naam"), max_length=100, help_text=_("Naam van de tegel."))
    purchasable = models.BooleanField(
        _("inkoopbaar"), default=True, help_text=_("EW01 Melding is niet inkoopbaar.")
    )

    class Meta:
        verbose_name = _("tegel")
        verbose_name_plural = _("tegels")
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="uniq_tile_kind_number"),
        ]

    def __str__(self) -> str:
        if self.kind == TileKind.WORK:
            return f"{self.number}. {self.name}"
        return f"{self.code} {self.name}"


class PriceType(models.TextChoices):
    FIXED = "fixed", _("vaste prijs")
    VARIABLE = "variable", _("variabele prijs (offerte)")
    HOURLY = "hourly", _("uurtarief")


class OrderingMode(models.TextChoices):
    DIRECT = "direct", _("direct bestellen")
    QUOTE = "quote", _("eerst offerte")


class ProductCode(Validity):
    """Payment regime 1-5 (spec section 5, R-BILL-1)."""

    code = models.PositiveSmallIntegerField(
        _("productcode"), unique=True, help_text=_("Code 1 tot en met 5.")
    )
    name = models.CharField(_("naam"), max_length=100, help_text=_("Korte omschrijving."))
    duration_class = models.CharField(
        _("duur"), max_length=100, help_text=_("Bijv. 'korter dan 3 maanden'.")
    )
    price_type = models.CharField(
        _("prijssoort"), max_length=10, choices=PriceType.choices, help_text=_("Vast/variabel/uur.")
    )
    ordering_mode = models.CharField(
        _("bestellen"),
        max_length=10,
        choices=OrderingMode.choices,
        help_text=_("Direct bestellen of eerst een offerte."),
    )
    reporting = models.CharField(
        _("rapportage"), max_length=200, help_text=_("Wanneer de aanbieder rapporteert.")
    )
    invoicing = models.CharField(
        _("facturatie"), max_length=200, help_text=_("Wanneer de aanbieder factureert.")
    )

    class Meta:
        verbose_name = _("productcode")
        verbose_name_plural = _("productcodes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class PromotedModule(Validity):
    """A module the organisation itself promotes (R-NET-4); organisation empty = all."""

    organisation = organisation_or_default(_("Leeg: geldt voor alle organisaties."))
    name = models.CharField(_("naam"), max_length=100, help_text=_("Naam van de module."))
    description = models.TextField(_("omschrijving"), blank=True, help_text=_("Toelichting."))
    tiles = models.ManyToManyField(
        Tile, related_name="promoted_modules", verbose_name=_("tegels"), help_text=_("Tegels.")
    )

    class Meta:
        verbose_name = _("gepromote module")
        verbose_name_plural = _("gepromote modules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RateCeiling(Validity):
    """Maximum hourly rate for jobfinding and jobcoaching (R-NET-7). Rows without an
    organisation are the regional default; an organisation's indexation adds its own rows."""

    organisation = organisation_or_default(_("Leeg: regionale standaard."))
    amount = models.DecimalField(
        _("maximum uurtarief"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Euro per uur, exclusief btw."),
    )
    indexation = models.ForeignKey(
        "CpiIndexation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ceilings",
        verbose_name=_("indexatie"),
        help_text=_("De indexatie die dit plafond opleverde."),
    )

    class Meta:
        verbose_name = _("maximum uurtarief")
        verbose_name_plural = _("maximum uurtarieven")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_from"], name="uniq_ceiling_org_from"
            ),
        ]

    def __str__(self) -> str:
        return f"EUR {self.amount} vanaf {self.valid_from:%d-%m-%Y}"
