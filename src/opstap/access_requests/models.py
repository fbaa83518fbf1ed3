"""A right-of-access request (inzageverzoek, R-SEC-5) and its export.

The state moves only through `services.access_request_transition` along the table in
`workflow.py`. The export ZIP lives in private storage (no public URL) and is served only by
access-checked views; it is deleted when it expires (`expires_at`), the row stays.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.clients.models import Client
from opstap.core.model_fields import optional_datetime, optional_user
from opstap.organisations.models import OrganisationOwned

from .workflow import STATE_CHOICES, STATE_LABELS_NL, UNANSWERED_STATES, State


class Channel(models.TextChoices):
    PORTAL = "portal", _("Klantportaal")
    STAFF = "staff", _("Namens de klant geregistreerd (balie, telefoon, post)")


def _export_path(instance: AccessRequest, filename: str) -> str:
    return f"inzageverzoeken/{instance.organisation_id}/{instance.pk}/{filename}"


class AccessRequest(OrganisationOwned):
    """One request of a client for all data about them (AVG art. 15)."""

    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        related_name="access_requests",
        null=True,
        blank=True,
        verbose_name=_("klant"),
        help_text=_("De klant die inzage vraagt; leeg bij iemand van wie wij geen dossier hebben."),
    )
    requester_name = models.CharField(
        _("naam verzoeker"),
        max_length=200,
        blank=True,
        help_text=_("Alleen zonder dossier: wie om inzage vroeg (voor het antwoord)."),
    )
    requester_contact = models.CharField(
        _("adres voor het antwoord"),
        max_length=300,
        blank=True,
        help_text=_("Alleen zonder dossier: post- of e-mailadres waarheen het antwoord gaat."),
    )
    answered_at = optional_datetime(
        _("beantwoord op"),
        _("Zonder dossier: wanneer geantwoord is dat wij geen gegevens hebben."),
    )
    channel = models.CharField(
        _("kanaal"),
        max_length=10,
        choices=Channel.choices,
        help_text=_("Via het portaal of door een medewerker namens de klant."),
    )
    state = models.CharField(
        _("status"),
        max_length=12,
        choices=STATE_CHOICES,
        default=State.REQUESTED.value,
        help_text=_("Stand van het verzoek (zie workflow.py)."),
    )
    requested_by = optional_user(
        _("aangevraagd door"),
        _("De inwoner zelf of de medewerker die het verzoek registreerde."),
        on_delete=models.SET_NULL,
    )
    requested_at = models.DateTimeField(_("ontvangen op"), help_text=_("Moment van ontvangst."))
    due_on = models.DateField(
        _("uiterste antwoorddatum"),
        help_text=_("Binnen één maand na ontvangst beantwoorden (AVG art. 12)."),
    )
    note = models.CharField(
        _("toelichting"),
        max_length=300,
        blank=True,
        help_text=_("Bijv. hoe het verzoek binnenkwam (telefoon, balie, brief)."),
    )
    progress = models.PositiveSmallIntegerField(
        _("voortgang"), default=0, help_text=_("Percentage van het samenstellen.")
    )
    progress_step = models.CharField(
        _("bezig met"), max_length=100, blank=True, help_text=_("Onderdeel dat nu wordt verzameld.")
    )
    started_at = optional_datetime(
        _("samenstellen gestart op"),
        _("Begin van de laatste poging (om een vastgelopen poging te herkennen)."),
    )
    attempts = models.PositiveSmallIntegerField(
        _("pogingen"), default=0, help_text=_("Aantal keren dat het samenstellen is gestart.")
    )
    failure_message = models.CharField(
        _("foutmelding"), max_length=300, blank=True, help_text=_("Waarom het mislukte.")
    )
    file = models.FileField(
        _("export"),
        upload_to=_export_path,
        blank=True,
        max_length=300,
        help_text=_("ZIP met samenvatting, JSON en documenten (privé opgeslagen)."),
    )
    size = models.PositiveBigIntegerField(_("grootte"), default=0, help_text=_("Bytes."))
    ready_at = optional_datetime(_("klaar op"))
    expires_at = optional_datetime(_("verloopt op"), _("Dan wordt de export verwijderd."))
    first_downloaded_at = optional_datetime(_("eerst gedownload op"))
    download_count = models.PositiveIntegerField(_("aantal downloads"), default=0)
    expired_at = optional_datetime(_("verwijderd op"))

    class Meta:
        verbose_name = _("inzageverzoek")
        verbose_name_plural = _("inzageverzoeken")
        ordering = ["-requested_at", "-id"]
        indexes = [
            # The staff overview: open requests by due date.
            models.Index(fields=["organisation", "state", "due_on"], name="access_req_org_state"),
            models.Index(fields=["client", "requested_at"], name="access_req_client"),
            # The expiry job: ready/downloaded exports past their date.
            models.Index(fields=["state", "expires_at"], name="access_req_expiry"),
        ]
        constraints = [
            # About a client with a dossier, or about a named person without one.
            models.CheckConstraint(
                condition=models.Q(client__isnull=False) | ~models.Q(requester_name=""),
                name="access_req_client_or_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"Inzageverzoek {self.pk} ({self.state})"

    @property
    def reference(self) -> str:
        """The request's reference (kenmerk) as staff quote it: on every staff page and in
        the deadline overview and its notifications."""
        return f"IV-{self.pk}"

    @property
    def handler(self) -> Any:
        """Who is expected to answer: the client's case manager; for a person without a
        dossier, the staff member who registered the request. None: nobody (a client without
        a case manager)."""
        if self.client_id is not None:
            return self.client.case_manager if self.client is not None else None
        return self.requested_by

    @property
    def has_dossier(self) -> bool:
        return self.client_id is not None

    @property
    def subject_name(self) -> str:
        """Who the request is about: the client, or the person without a dossier."""
        return self.client.full_name if self.client is not None else self.requester_name

    @property
    def state_label(self) -> str:
        return STATE_LABELS_NL[State(self.state)]

    @property
    def has_file(self) -> bool:
        return bool(self.file) and self.state in {State.READY.value, State.DOWNLOADED.value}

    @property
    def is_open(self) -> bool:
        """Being worked on (the page polls its progress)."""
        return self.state in {State.REQUESTED.value, State.COMPILING.value}

    @property
    def is_unanswered(self) -> bool:
        """Not yet answered, so the legal term still runs (a failed one too)."""
        return self.state in {s.value for s in UNANSWERED_STATES}
