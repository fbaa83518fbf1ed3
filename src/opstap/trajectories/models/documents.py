"""Documents of a trajectory: plans, reports and requests (privately stored files)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import optional_user
from opstap.organisations.models import OrganisationOwned

from .trajectories import trajectory_reference

if TYPE_CHECKING:
    pass


def _document_path(instance: TrajectoryDocument, filename: str) -> str:
    # Private storage: no public URL; served by an access-checked view only.
    return f"trajecten/{instance.organisation_id}/{instance.trajectory_id}/{filename}"


class DocumentKind(models.TextChoices):
    QUOTE = "quote", _("offerte")
    PLAN = "plan", _("plan van aanpak")
    PROGRESS_REPORT = "progress_report", _("voortgangsrapportage")
    EXTENSION_REQUEST = "extension_request", _("verlengingsaanvraag")
    RETURN_REQUEST = "return_request", _("terugmelding")
    FINAL_REPORT = "final_report", _("eindrapportage")
    HANDOVER_NOTE = "handover_note", _("notitie warme overdracht")


#: What a submitted document holds (its kind, text, goals and agreements, signature and file
#: name); the API and the client's access-request export both show these, in this order.
DOCUMENT_CONTENT_FIELDS = (
    "kind",
    "title",
    "text",
    "goals",
    "result_agreements",
    "signed_by_candidate",
    "file_name",
)


class TrajectoryDocument(OrganisationOwned):
    """A quote, plan, report or note of a trajectory, with an optional private upload."""

    trajectory = trajectory_reference(
        _("Het traject."), related_name="documents", on_delete=models.CASCADE
    )
    kind = models.CharField(
        _("soort"), max_length=30, choices=DocumentKind.choices, help_text=_("Soort document.")
    )
    title = models.CharField(_("titel"), max_length=200, help_text=_("Titel."))
    text = models.TextField(_("inhoud"), blank=True, help_text=_("Samenvatting of inhoud."))
    goals = models.JSONField(
        _("doelen"), default=list, blank=True, help_text=_("Gestructureerde doelen (plan).")
    )
    result_agreements = models.JSONField(
        _("resultaatafspraken"), default=list, blank=True, help_text=_("Resultaatafspraken.")
    )
    signed_by_candidate = models.BooleanField(
        _("getekend door kandidaat"), default=False, help_text=_("Plan getekend door kandidaat.")
    )
    file = models.FileField(
        _("bestand"),
        upload_to=_document_path,
        blank=True,
        help_text=_("PDF, DOCX, ODT of afbeelding, maximaal 10 MB (privé opgeslagen)."),
    )
    file_name = models.CharField(
        _("bestandsnaam"), max_length=255, blank=True, help_text=_("Oorspronkelijke naam.")
    )
    content_type = models.CharField(
        _("bestandstype"), max_length=100, blank=True, help_text=_("MIME-type.")
    )
    size = models.PositiveIntegerField(_("grootte"), default=0, help_text=_("Bytes."))
    submitted_by = optional_user(
        _("ingediend door"), _("Wie het document indiende."), on_delete=models.SET_NULL
    )
    submitted_at = models.DateTimeField(_("ingediend op"), help_text=_("Tijdstip van indienen."))
    shared_with_client = models.BooleanField(
        _("gedeeld met de klant"),
        default=False,
        help_text=_("De klantmanager deelt dit document met de klant in Mijn Opstap (R-POR)."),
    )

    class Meta:
        verbose_name = _("trajectdocument")
        verbose_name_plural = _("trajectdocumenten")
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["trajectory", "kind"], name="trj_document_kind")]

    def __str__(self) -> str:
        return self.title
