"""Providers' bank accounts for SEPA credit transfers, with the four-eyes rule (issue 16)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import optional_datetime, optional_user, status_field, user_reference
from opstap.organisations.models import OrganisationOwned

from .providers import provider_reference

__all__ = ["BankAccountStatus", "ProviderBankAccount"]


class BankAccountStatus(models.TextChoices):
    PENDING = "pending", _("wacht op bevestiging")
    ACTIVE = "active", _("in gebruik")
    REPLACED = "replaced", _("vervangen")
    REJECTED = "rejected", _("afgewezen")


class ProviderBankAccount(OrganisationOwned):
    """One bank account of a provider. A change is a new row, proposed by one person and
    confirmed by a second (then it becomes the one in use and the previous one is replaced)
    or rejected. Rows are never edited otherwise: the table is the account's history."""

    provider = provider_reference(
        _("De aanbieder die op deze rekening betaald wordt."),
        related_name="bank_accounts",
        on_delete=models.PROTECT,
    )
    iban = models.CharField(
        _("IBAN"), max_length=34, help_text=_("Compact en gecontroleerd, bijv. NL91ABNA0417164300.")
    )
    bic = models.CharField(
        _("BIC"),
        max_length=11,
        blank=True,
        help_text=_("Optioneel binnen SEPA; afgeleid of opgegeven."),
    )
    holder = models.CharField(
        _("rekeninghouder"), max_length=70, help_text=_("Naam van de rekeninghouder.")
    )
    status = status_field(
        BankAccountStatus.PENDING, _("Wacht op bevestiging, in gebruik, vervangen of afgewezen.")
    )
    reason = models.CharField(
        _("reden van de wijziging"),
        max_length=300,
        help_text=_("Waarom de rekening wijzigt, bijv. 'brief van de aanbieder van 3 maart'."),
    )
    proposed_by = user_reference(
        _("voorgesteld door"), _("De eerste medewerker."), related_name="+"
    )
    proposed_at = models.DateTimeField(
        _("voorgesteld op"), help_text=_("Tijdstip van het voorstel.")
    )
    decided_by = optional_user(
        _("besloten door"), _("De tweede medewerker, die bevestigde of afwees.")
    )
    decided_at = optional_datetime(_("besloten op"), _("Tijdstip van bevestigen of afwijzen."))
    decision_note = models.CharField(
        _("toelichting besluit"), max_length=300, blank=True, help_text=_("Reden van afwijzen.")
    )

    class Meta:
        verbose_name = _("bankrekening aanbieder")
        verbose_name_plural = _("bankrekeningen aanbieders")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider"],
                condition=models.Q(status="active"),
                name="prov_bank_one_active",
            ),
            models.UniqueConstraint(
                fields=["provider"],
                condition=models.Q(status="pending"),
                name="prov_bank_one_pending",
            ),
            models.CheckConstraint(
                # Four eyes: whoever confirmed an account is not who proposed it (the
                # proposer may withdraw, i.e. reject, their own proposal).
                condition=models.Q(status__in=["pending", "rejected"])
                | ~models.Q(decided_by=models.F("proposed_by")),
                name="prov_bank_four_eyes",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="prov_bank_org_status"),
            models.Index(fields=["provider", "status"], name="prov_bank_provider_status"),
        ]

    def __str__(self) -> str:
        return f"{self.iban} ({self.holder})"

    @property
    def iban_formatted(self) -> str:
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))
