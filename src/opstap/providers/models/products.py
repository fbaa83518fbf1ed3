"""Products of the catalogue, their target groups, ladder steps and locations, and change
proposals by provider staff (R-NET-4, R-NET-5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import (
    optional_datetime,
    optional_user,
    status_field,
    user_reference,
    vat_code_field,
)
from opstap.organisations.models import OrganisationOwned

from .evidence import CertificateKind
from .providers import provider_reference
from .reference import PriceType, ProductCode, Tile

__all__ = [
    "Product",
    "ProductChangeProposal",
    "ProductLadderStep",
    "ProductLocation",
    "ProductStatus",
    "ProductTargetGroup",
    "ProposalStatus",
    "ServiceKind",
]


# --- Products and prices (R-NET-4, R-NET-6, R-NET-7) ---------------------------------------


class ServiceKind(models.TextChoices):
    GENERAL = "general", _("overig")
    JOBCOACHING = "jobcoaching", _("jobcoaching")
    JOBFINDING = "jobfinding", _("jobfinding")


class ProductStatus(models.TextChoices):
    ACTIVE = "active", _("actief")
    ENDED = "ended", _("beëindigd")


class Product(OrganisationOwned):
    provider = provider_reference(
        _("De aanbieder die het product levert."), related_name="products", on_delete=models.PROTECT
    )
    name = models.CharField(_("naam"), max_length=200, help_text=_("Naam van het product."))
    description = models.TextField(_("omschrijving"), blank=True, help_text=_("Inhoud en doel."))
    product_code = models.ForeignKey(
        ProductCode,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("productcode"),
        # R-BILL-1
        help_text=_("Betaalregime 1-5."),
    )
    tiles = models.ManyToManyField(
        Tile,
        related_name="products",
        verbose_name=_("tegels"),
        help_text=_("Eén tegel, meerdere (module) of alle acht (integraal aanbod)."),
    )
    price_type = models.CharField(
        _("prijssoort"),
        max_length=10,
        choices=PriceType.choices,
        help_text=_("Vaste prijs, variabel (offerte) of uurtarief."),
    )
    service_kind = models.CharField(
        _("dienst"),
        max_length=20,
        choices=ServiceKind.choices,
        default=ServiceKind.GENERAL,
        # R-NET-7
        help_text=_("Jobcoaching en jobfinding vallen onder het maximum uurtarief."),
    )
    nominal_duration_days = models.PositiveIntegerField(
        _("nominale duur (dagen)"), help_text=_("Nominale looptijd in kalenderdagen.")
    )
    # R-BILL-11: the contract's VAT category, recorded by the contract manager; the invoice
    # rules expect this VAT, not the one the provider types on an invoice.
    vat_code = vat_code_field(_("Btw-tarief van de dienst volgens het contract."))
    required_certificate = models.CharField(
        _("vereiste certificering"),
        max_length=20,
        choices=CertificateKind.choices,
        blank=True,
        help_text=_("Zonder geldige certificering kan het product niet worden besteld."),
    )
    capacity = models.PositiveIntegerField(
        _("capaciteit"), null=True, blank=True, help_text=_("Aantal plaatsen; leeg = onbeperkt.")
    )
    status = status_field(
        ProductStatus.ACTIVE, _("Beëindigde producten blijven bewaard maar zijn niet te bestellen.")
    )
    search_text = models.TextField(
        _("zoektekst"),
        blank=True,
        editable=False,
        help_text=_("Naam, omschrijving, aanbieder en plaatsen, voor de instrumentengids."),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("producten")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="product_org_status_idx"),
            models.Index(fields=["provider", "status"], name="product_provider_idx"),
            models.Index(fields=["nominal_duration_days"], name="product_duration_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class ProductTargetGroup(models.Model):
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="target_groups",
        verbose_name=_("product"),
        help_text=_("Het product."),
    )
    code = models.CharField(
        _("doelgroep"), max_length=30, help_text=_("Code uit clients.target_groups.")
    )

    class Meta:
        verbose_name = _("doelgroep van product")
        verbose_name_plural = _("doelgroepen van producten")
        constraints = [
            models.UniqueConstraint(fields=["product", "code"], name="uniq_product_target_group"),
        ]
        indexes = [models.Index(fields=["code", "product"], name="ptg_code_idx")]

    def __str__(self) -> str:
        return self.code


class ProductLadderStep(models.Model):
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="ladder_steps",
        verbose_name=_("product"),
        help_text=_("Het product."),
    )
    step = models.CharField(
        _("trede"), max_length=3, help_text=_("Trede uit clients.ladder (1, 2a … 6).")
    )

    class Meta:
        verbose_name = _("trede van product")
        verbose_name_plural = _("treden van producten")
        constraints = [
            models.UniqueConstraint(fields=["product", "step"], name="uniq_product_ladder_step"),
        ]
        indexes = [models.Index(fields=["step", "product"], name="pls_step_idx")]

    def __str__(self) -> str:
        return self.step


class ProductLocation(models.Model):
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="locations",
        verbose_name=_("product"),
        help_text=_("Het product."),
    )
    address = models.CharField(_("adres"), max_length=200, blank=True, help_text=_("Straat."))
    city = models.CharField(_("plaats"), max_length=100, help_text=_("Plaats van uitvoering."))
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
        help_text=_("Gemeente van de organisatie; leeg als buiten het werkgebied (Arnhem)."),
    )

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ["city"]
        indexes = [models.Index(fields=["municipality", "product"], name="ploc_muni_idx")]

    def __str__(self) -> str:
        return f"{self.address}, {self.city}" if self.address else self.city


# --- Change proposals and events -----------------------------------------------------------


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("ter beoordeling")
    APPROVED = "approved", _("goedgekeurd")
    REJECTED = "rejected", _("afgewezen")


class ProductChangeProposal(OrganisationOwned):
    """A provider's proposed change of one of its products; the contract manager decides."""

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="change_proposals",
        verbose_name=_("product"),
        help_text=_("Het product dat wijzigt."),
    )
    changes = models.JSONField(
        _("wijzigingen"),
        help_text=_(
            "Voorgestelde waarden: name, description, nominal_duration_days, capacity, "
            "price, price_valid_from."
        ),
    )
    motivation = models.TextField(_("toelichting"), blank=True, help_text=_("Waarom."))
    proposed_by = user_reference(
        _("voorgesteld door"), _("Medewerker van de aanbieder."), related_name="+"
    )
    proposed_at = models.DateTimeField(_("voorgesteld op"), auto_now_add=True)
    status = status_field(ProposalStatus.PENDING, _("Ter beoordeling, goedgekeurd of afgewezen."))
    decided_by = optional_user(_("beoordeeld door"), _("Contractmanager."))
    decided_at = optional_datetime(_("beoordeeld op"))
    decision_reason = models.TextField(_("motivering"), blank=True, help_text=_("Motivering."))

    class Meta:
        verbose_name = _("wijzigingsvoorstel")
        verbose_name_plural = _("wijzigingsvoorstellen")
        ordering = ["-proposed_at"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="proposal_status_idx"),
        ]
