"""Network settings of an organisation: the thresholds of R-NET-8 and R-NET-9."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.organisations.models import OrganisationOwned

__all__ = ["NetworkSettings"]


class NetworkSettings(OrganisationOwned):
    """Configurable numbers of the provider network per organisation."""

    evidence_warning_days = models.PositiveSmallIntegerField(
        _("signaaltermijn bewijsstukken (dagen)"),
        default=60,
        # R-NET-2
        help_text=_("Zoveel dagen voor het verlopen verschijnt een bewijsstuk."),
    )
    extension_notice_days = models.PositiveSmallIntegerField(
        _("signaaltermijn verlenging (dagen)"),
        default=60,
        # R-NET-3
        help_text=_("Zoveel dagen voor de beslisdatum verschijnt een verlenging."),
    )
    inactivity_months = models.PositiveSmallIntegerField(
        _("inactiviteit (maanden)"),
        default=12,
        # R-NET-8
        help_text=_("Zonder activiteit zo lang vervalt de deelname."),
    )
    signal_threshold = models.PositiveSmallIntegerField(
        _("drempel signalen"),
        default=3,
        # R-NET-9
        help_text=_("Zoveel signalen binnen de periode openen een evaluatie."),
    )
    signal_window_months = models.PositiveSmallIntegerField(
        _("periode signalen (maanden)"),
        default=12,
        # R-NET-9
        help_text=_("Periode waarover signalen worden geteld."),
    )
    public_guide_enabled = models.BooleanField(
        _("openbare instrumentengids"),
        default=False,
        # R-NET-5
        help_text=_("Toon de gids zonder prijzen aan inwoners en werkgevers."),
    )

    class Meta:
        verbose_name = _("instellingen netwerk")
        verbose_name_plural = _("instellingen netwerk")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="uniq_network_settings_org"),
        ]

    def __str__(self) -> str:
        return f"Instellingen netwerk ({self.organisation_id})"
