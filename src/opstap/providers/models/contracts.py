"""Contracts with a provider and their extensions (R-NET-3)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import optional_date, status_field, user_reference
from opstap.organisations.models import OrganisationOwned
from opstap.providers.rules import contracts as contract_rules

from .providers import provider_reference

__all__ = ["Contract", "ContractExtension", "ContractStatus"]


# --- Contracts (R-NET-3) --------------------------------------------------------------------


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("lopend")
    ENDED = "ended", _("beëindigd")


class Contract(OrganisationOwned):
    provider = provider_reference(
        _("De aanbieder met wie de raamovereenkomst is gesloten."),
        related_name="contracts",
        on_delete=models.PROTECT,
    )
    reference = models.CharField(
        _("kenmerk"), max_length=50, help_text=_("Kenmerk van de raamovereenkomst.")
    )
    start_date = models.DateField(_("ingangsdatum"), help_text=_("Begin van de eerste termijn."))
    terms_granted = models.PositiveSmallIntegerField(
        _("termijnen"),
        default=1,
        help_text=_("Aantal termijnen van een jaar inclusief het eerste (1+1+1+1, max. 4)."),
    )
    end_date = models.DateField(
        _("einddatum"), help_text=_("Laatste dag van de huidige termijn (berekend).")
    )
    status = status_field(
        ContractStatus.ACTIVE, _("Lopend of beëindigd; beëindigde contracten blijven bewaard.")
    )
    ended_on = optional_date(_("beëindigd op"), _("Einde."))
    end_reason = models.TextField(_("reden einde"), blank=True, help_text=_("Waarom het eindigde."))

    # Set by the 'extension due' selector (rules.contracts); not stored.
    decision_due: dt.date | None = None

    class Meta:
        verbose_name = _("raamovereenkomst")
        verbose_name_plural = _("raamovereenkomsten")
        ordering = ["provider", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="uniq_contract_reference"
            ),
            models.CheckConstraint(
                condition=models.Q(terms_granted__gte=1, terms_granted__lte=4),
                name="contract_terms_1_to_4",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "end_date"], name="contract_due_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    #: The most terms a contract can have (R-NET-3: 1+1+1+1 years), for pages to show.
    max_terms = contract_rules.MAX_TERMS

    @property
    def can_extend(self) -> bool:
        """R-NET-3: an active contract below the maximum number of terms can be extended."""
        return self.status == ContractStatus.ACTIVE and contract_rules.can_extend(
            self.terms_granted
        )


class ContractExtension(models.Model):
    """One recorded extension decision, with both parties' consent (R-NET-3)."""

    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("contract"),
        help_text=_("Het verlengde contract."),
    )
    term_number = models.PositiveSmallIntegerField(
        _("termijn"), help_text=_("Het nummer van de nieuwe termijn (2, 3 of 4).")
    )
    new_end_date = models.DateField(_("nieuwe einddatum"), help_text=_("Einde nieuwe termijn."))
    decided_on = models.DateField(_("besloten op"), help_text=_("Datum van het besluit."))
    provider_consent = models.BooleanField(
        _("instemming aanbieder"), help_text=_("De aanbieder stemt in.")
    )
    organisation_consent = models.BooleanField(
        _("instemming organisatie"), help_text=_("De organisatie stemt in.")
    )
    note = models.TextField(_("toelichting"), blank=True, help_text=_("Schriftelijke vastlegging."))
    recorded_by = user_reference(
        _("vastgelegd door"), _("Contractmanager die het besluit vastlegde."), related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("contractverlenging")
        verbose_name_plural = _("contractverlengingen")
        ordering = ["contract", "term_number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "term_number"], name="uniq_extension_term"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id}: termijn {self.term_number}"
