"""Evidence and certificates a provider holds (R-NET-2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.organisations.models import OrganisationOwned

from .providers import provider_reference
from .reference import Validity

__all__ = ["CertificateKind", "Evidence", "EvidenceKind"]


# --- Evidence (R-NET-2) ---------------------------------------------------------------------


class EvidenceKind(models.TextChoices):
    CERTIFICATE = "certificate", _("certificering beroepsgroep")
    REFERENCE = "reference", _("referentie")
    COMPLAINTS = "complaints", _("klachtenregeling")
    INSURANCE = "insurance", _("beroeps- en aansprakelijkheidsverzekering")
    UEA = "uea", _("ondertekend UEA")
    VOG = "vog", _("VOG medewerker")


class CertificateKind(models.TextChoices):
    JOBCOACH = "jobcoach", _("jobcoach: NOLOC/NVS")
    MEDICAL = "medical", _("medisch adviseur: BIG/NIP")
    TRAINING = "training", _("opleider: Erkend Leerbedrijf")


class Evidence(OrganisationOwned, Validity):
    provider = provider_reference(
        _("De aanbieder die dit bewijs levert."), related_name="evidence", on_delete=models.CASCADE
    )
    kind = models.CharField(
        _("soort"), max_length=20, choices=EvidenceKind.choices, help_text=_("Soort bewijsstuk.")
    )
    certificate_kind = models.CharField(
        _("beroepsgroep"),
        max_length=20,
        choices=CertificateKind.choices,
        blank=True,
        help_text=_("Alleen bij certificering: voor welke beroepsgroep."),
    )
    staff_name = models.CharField(
        _("medewerker"),
        max_length=200,
        blank=True,
        help_text=_("Alleen bij een VOG: de medewerker waarvoor deze geldt."),
    )
    description = models.CharField(
        _("omschrijving"), max_length=300, blank=True, help_text=_("Bijv. nummer of referent.")
    )
    document = models.FileField(
        _("document"),
        upload_to="providers/evidence/%Y/",
        blank=True,
        help_text=_("Privé opgeslagen; alleen via een gecontroleerde pagina te downloaden."),
    )
    registered_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)

    # Set by pages that show the state on a date (rules.network.evidence_state); not stored.
    state: str = ""

    class Meta:
        verbose_name = _("bewijsstuk")
        verbose_name_plural = _("bewijsstukken")
        ordering = ["provider", "kind", "-valid_from"]
        indexes = [
            models.Index(fields=["organisation", "valid_until"], name="evidence_org_until_idx"),
            models.Index(fields=["provider", "kind"], name="evidence_provider_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.provider_id}"
