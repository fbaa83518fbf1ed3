"""Tables of the client portal (R-POR): documents a resident sends to their case manager."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.clients.models import client_reference
from opstap.core.model_fields import optional_user
from opstap.organisations.models import OrganisationOwned


def _upload_path(instance: ClientUpload, filename: str) -> str:
    # Private storage: no public URL; served by an access-checked view only.
    return f"portaal/{instance.organisation_id}/{instance.client_id}/{filename}"


class ClientUpload(OrganisationOwned):
    """A document a resident uploaded in Mijn Opstap for their case manager (R-POR); checked
    by the one upload rule (`documents.uploads`) and stored privately."""

    client = client_reference(
        _("De klant die het document stuurde."), related_name="+", on_delete=models.CASCADE
    )
    title = models.CharField(_("omschrijving"), max_length=200, help_text=_("Waar het over gaat."))
    file = models.FileField(
        _("bestand"),
        upload_to=_upload_path,
        help_text=_("PDF, DOCX, ODT of afbeelding, maximaal 10 MB (privé opgeslagen)."),
    )
    file_name = models.CharField(
        _("bestandsnaam"), max_length=255, help_text=_("Oorspronkelijke naam.")
    )
    content_type = models.CharField(_("bestandstype"), max_length=100, help_text=_("MIME-type."))
    size = models.PositiveIntegerField(_("grootte"), default=0, help_text=_("Bytes."))
    uploaded_by = optional_user(
        _("geüpload door"),
        _("Het account waarmee het document is geüpload."),
        on_delete=models.SET_NULL,
    )
    uploaded_at = models.DateTimeField(_("geüpload op"), help_text=_("Tijdstip van uploaden."))

    class Meta:
        verbose_name = _("document van de klant")
        verbose_name_plural = _("documenten van klanten")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["client", "uploaded_at"], name="portal_upload_client")]

    def __str__(self) -> str:
        return self.title
