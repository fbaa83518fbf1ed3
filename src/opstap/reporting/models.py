"""Tables of reporting: the SRG reference data (codes and the mapping of products and
placement types to them) and the monthly deliveries to CBS (R-INT-2).

A delivery is immutable once marked as sent: `save()` refuses to change a sent row and the
queryset refuses bulk updates of sent rows; a correction is a new delivery that references
the one it corrects. Changes go through `services.py`."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import optional_datetime, optional_user, status_field, user_reference
from opstap.organisations.models import OrganisationOwned, OrganisationScopedQuerySet

from .srg_format import PLACEMENT_LABELS_NL

PLACEMENT_CHOICES = [(p.value, label) for p, label in PLACEMENT_LABELS_NL.items()]


class SrgDeliveryImmutableError(Exception):
    """A sent delivery was about to change (R-INT-2: a correction is a new delivery)."""


class SrgCode(models.Model):
    """An SRG 'soort voorziening' code from the CBS guidelines: national reference data the
    application administrator keeps (through `services.srg_code_save`)."""

    code = models.CharField(
        _("code"), max_length=4, unique=True, help_text=_("Code uit de CBS-richtlijnen SRG.")
    )
    name = models.CharField(_("naam"), max_length=150, help_text=_("Soort voorziening."))
    description = models.TextField(_("toelichting"), blank=True, help_text=_("Uitleg."))
    active = models.BooleanField(
        _("in gebruik"), default=True, help_text=_("Alleen codes in gebruik zijn te koppelen.")
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("SRG-code")
        verbose_name_plural = _("SRG-codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class SrgProductMapping(OrganisationOwned):
    """Which SRG code a product of the catalogue is delivered under."""

    product = models.OneToOneField(
        "providers.Product",
        on_delete=models.CASCADE,
        related_name="srg_mapping",
        verbose_name=_("product"),
        help_text=_("Het product."),
    )
    srg_code = models.ForeignKey(
        SrgCode,
        on_delete=models.PROTECT,
        related_name="product_mappings",
        verbose_name=_("SRG-code"),
        help_text=_("Soort voorziening volgens de CBS-richtlijnen."),
    )

    class Meta:
        verbose_name = _("SRG-koppeling product")
        verbose_name_plural = _("SRG-koppelingen producten")
        indexes = [models.Index(fields=["organisation"], name="srg_prodmap_org")]

    def __str__(self) -> str:
        return f"{self.product} → {self.srg_code.code}"


class SrgPlacementMapping(OrganisationOwned):
    """Which SRG code a kind of placement is delivered under."""

    placement_type = models.CharField(
        _("soort plaatsing"),
        max_length=20,
        choices=PLACEMENT_CHOICES,
        help_text=_("Regulier, met loonkostensubsidie, garantiebaan of beschut werk."),
    )
    srg_code = models.ForeignKey(
        SrgCode,
        on_delete=models.PROTECT,
        related_name="placement_mappings",
        verbose_name=_("SRG-code"),
        help_text=_("Soort voorziening volgens de CBS-richtlijnen."),
    )

    class Meta:
        verbose_name = _("SRG-koppeling plaatsing")
        verbose_name_plural = _("SRG-koppelingen plaatsingen")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "placement_type"], name="uniq_srg_placement_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_placement_type_display()} → {self.srg_code.code}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("in de wachtrij")
    BUILDING = "building", _("wordt samengesteld")
    READY = "ready", _("klaar om te verzenden")
    FAILED = "failed", _("mislukt")
    SENT = "sent", _("verzonden")


class SrgDeliveryQuerySet(OrganisationScopedQuerySet):
    def update(self, **kwargs: Any) -> int:
        if self.filter(status=DeliveryStatus.SENT).exists():
            raise SrgDeliveryImmutableError("Een verzonden levering kan niet meer wijzigen.")
        return super().update(**kwargs)


def _delivery_path(instance: SrgDelivery, filename: str) -> str:
    # Private storage: served only by the access-checked download view.
    return f"srg/{instance.organisation_id}/{filename}"


class SrgDelivery(OrganisationOwned):
    """One monthly SRG delivery for one municipality (R-INT-2)."""

    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="srg_deliveries",
        verbose_name=_("gemeente"),
        help_text=_("De gemeente waarvoor geleverd wordt."),
    )
    month = models.DateField(_("verslagmaand"), help_text=_("Eerste dag van de maand."))
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrigeert"),
        help_text=_("De verzonden levering die deze levering corrigeert."),
    )
    status = status_field(
        DeliveryStatus.QUEUED, _("Wachtrij, samenstellen, klaar, mislukt of verzonden.")
    )
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    processed = models.PositiveBigIntegerField(_("verwerkte voorzieningen"), default=0)
    total = models.PositiveBigIntegerField(_("te verwerken voorzieningen"), default=0)
    counts = models.JSONField(
        _("aantallen"), default=dict, blank=True, help_text=_("Gestart, lopend, beëindigd, LKS.")
    )
    issues_sample = models.JSONField(
        _("bevindingen (eerste)"),
        default=list,
        blank=True,
        help_text=_("De eerste bevindingen van de controle, voor de pagina."),
    )
    file = models.FileField(
        _("bestand"), upload_to=_delivery_path, blank=True, max_length=300, help_text=_("SRG.")
    )
    report = models.FileField(
        _("validatierapport"),
        upload_to=_delivery_path,
        blank=True,
        max_length=300,
        help_text=_("Alle bevindingen (CSV)."),
    )
    checksum = models.CharField(
        _("controlesom (SHA-256)"), max_length=64, blank=True, help_text=_("Van het bestand.")
    )
    size = models.PositiveBigIntegerField(_("grootte"), default=0, help_text=_("Bytes."))
    layout_version = models.CharField(_("opmaak"), max_length=20, blank=True)
    failure_message = models.CharField(_("foutmelding"), max_length=300, blank=True)
    requested_by = user_reference(
        _("aangevraagd door"), _("Wie de levering liet samenstellen."), related_name="+"
    )
    requested_at = models.DateTimeField(_("aangevraagd op"))
    created_on = models.DateField(
        _("aanmaakdatum"), help_text=_("De datum waarop de levering is samengesteld.")
    )
    built_at = optional_datetime(_("samengesteld op"))
    sent_by = optional_user(_("verzonden door"), _("Wie de levering als verzonden markeerde."))
    sent_at = optional_datetime(_("verzonden op"))

    objects = SrgDeliveryQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("SRG-levering")
        verbose_name_plural = _("SRG-leveringen")
        ordering = ["-month", "-id"]
        indexes = [
            models.Index(fields=["organisation", "month", "municipality"], name="srg_del_month"),
            models.Index(fields=["status", "requested_at"], name="srg_del_status"),
        ]

    def __str__(self) -> str:
        return f"SRG {self.month:%Y-%m} {self.municipality}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True)
            if stored.first() == DeliveryStatus.SENT:
                raise SrgDeliveryImmutableError("Een verzonden levering kan niet meer wijzigen.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.status == DeliveryStatus.SENT:
            raise SrgDeliveryImmutableError("Een verzonden levering kan niet worden verwijderd.")
        return super().delete(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in {DeliveryStatus.QUEUED, DeliveryStatus.BUILDING}

    @property
    def is_sent(self) -> bool:
        return self.status == DeliveryStatus.SENT

    @property
    def issue_count(self) -> int:
        return sum(int(v) for v in (self.counts.get("issues") or {}).values())
