"""In-app notifications for one user (moved from the providers app; same table)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.organisations.models import OrganisationOwned


class Notification(OrganisationOwned):
    """An in-app notification for one user: shown on the start page and under "Meldingen",
    and sent by e-mail. Apps create them through `notifications.services.notification_send`
    (provider signals for contract managers R-NET-9, deadlines R-TRJ-3, absence alerts
    R-ABS-1, durability checks R-TRJ-7)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="provider_notifications",
        verbose_name=_("ontvanger"),
        help_text=_("Voor wie de melding is."),
    )
    title = models.CharField(_("titel"), max_length=200, help_text=_("Korte titel."))
    body = models.TextField(_("tekst"), blank=True, help_text=_("Toelichting."))
    url = models.CharField(_("link"), max_length=300, blank=True, help_text=_("Pagina."))
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True, help_text=_("Gelezen."))

    class Meta:
        db_table = "providers_notification"  # kept from the providers app (no data moved)
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]
