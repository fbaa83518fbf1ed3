"""Tables of retention (R-SEC-4): the terms per kind of record (reference data per
organisation), legal holds, the runs of the daily job (and dry runs), and what was done per
client and kind (which makes the job idempotent and resumable). Changes go through
`services.py`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.clients.models import client_reference
from opstap.core.model_fields import optional_datetime, optional_user, status_field, user_reference
from opstap.organisations.models import OrganisationOwned

from .terms import ACTION_LABELS_NL, KIND_LABELS_NL

KIND_CHOICES = [(k.value, label) for k, label in KIND_LABELS_NL.items()]
ACTION_CHOICES = [(a.value, label) for a, label in ACTION_LABELS_NL.items()]


class RetentionTerm(OrganisationOwned):
    """The organisation's term for one kind of record (defaults in `terms.DEFAULT_TERMS`)."""

    kind = models.CharField(
        _("soort gegevens"), max_length=20, choices=KIND_CHOICES, help_text=_("Soort.")
    )
    years = models.PositiveSmallIntegerField(
        _("bewaartermijn (jaren)"), help_text=_("Jaren na het sluiten van het dossier.")
    )
    action = models.CharField(
        _("daarna"), max_length=10, choices=ACTION_CHOICES, help_text=_("Wat er dan gebeurt.")
    )
    source = models.TextField(
        _("grondslag"), blank=True, help_text=_("Categorie van de selectielijst of besluit.")
    )
    updated_by = user_reference(
        _("gewijzigd door"), _("Wie de termijn vastlegde."), related_name="+"
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("bewaartermijn")
        verbose_name_plural = _("bewaartermijnen")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="uniq_retention_kind")
        ]


class LegalHold(OrganisationOwned):
    """A legal hold (bewaarplicht) on one client: while it stands, nothing of the client is
    anonymised or deleted (a procedure, an objection, a claim)."""

    client = client_reference(_("De klant."), related_name="legal_holds", on_delete=models.PROTECT)
    reason = models.CharField(_("reden"), max_length=300, help_text=_("Waarom (zaaknummer)."))
    placed_by = user_reference(
        _("geplaatst door"), _("Wie de bewaarplicht vastlegde."), related_name="+"
    )
    placed_at = models.DateTimeField(_("geplaatst op"))
    lifted_by = optional_user(_("opgeheven door"), _("Wie de bewaarplicht ophief."))
    lifted_at = optional_datetime(_("opgeheven op"))

    class Meta:
        verbose_name = _("bewaarplicht")
        verbose_name_plural = _("bewaarplichten")
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["client", "lifted_at"], name="legal_hold_client")]


class RunStatus(models.TextChoices):
    RUNNING = "running", _("bezig")
    DONE = "done", _("klaar")
    FAILED = "failed", _("mislukt")


class RetentionRun(OrganisationOwned):
    """One run of the retention job, or a dry run that lists what would happen."""

    dry_run = models.BooleanField(_("proefrun"), default=False)
    reference_date = models.DateField(
        _("peildatum"), help_text=_("De dag waarop de termijnen worden getoetst.")
    )
    status = status_field(RunStatus.RUNNING)
    started_by = optional_user(_("gestart door"), _("Leeg: de dagelijkse taak."))
    started_at = models.DateTimeField(_("gestart op"))
    finished_at = optional_datetime(_("klaar op"))
    last_client_id = models.BigIntegerField(
        _("laatst verwerkte klant"), default=0, help_text=_("Hervatpunt van de batches.")
    )
    counts = models.JSONField(_("aantallen"), default=dict, blank=True)
    items = models.JSONField(
        _("voorgenomen handelingen"),
        default=list,
        blank=True,
        help_text=_("Bij een proefrun: de eerste handelingen (klantnummer-loos)."),
    )
    failure_message = models.CharField(_("foutmelding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bewaartermijnrun")
        verbose_name_plural = _("bewaartermijnruns")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["organisation", "started_at"], name="retention_run_org")]


class RetentionDone(OrganisationOwned):
    """One kind of record of one client has been anonymised or deleted (never twice)."""

    client = client_reference(_("De klant."), related_name="+", on_delete=models.PROTECT)
    kind = models.CharField(_("soort gegevens"), max_length=20, choices=KIND_CHOICES)
    action = models.CharField(_("handeling"), max_length=10, choices=ACTION_CHOICES)
    rows = models.PositiveIntegerField(_("rijen"), default=0)
    run = models.ForeignKey(
        RetentionRun,
        on_delete=models.PROTECT,
        related_name="done",
        verbose_name=_("run"),
        help_text=_("De run die het deed."),
    )
    done_at = models.DateTimeField(_("uitgevoerd op"))

    class Meta:
        verbose_name = _("uitgevoerde bewaartermijn")
        verbose_name_plural = _("uitgevoerde bewaartermijnen")
        constraints = [
            models.UniqueConstraint(fields=["client", "kind"], name="uniq_retention_done")
        ]
