"""In-app notifications for one user (moved from the providers app; same table), and each
user's choice how notifications reach them by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import optional_datetime, user_reference
from opstap.organisations.models import OrganisationOwned


class Notification(OrganisationOwned):
    """An in-app notification for one user: shown on the start page and under "Meldingen",
    and sent by e-mail at once or in the daily digest (the user's `NotificationPreference`).
    Apps create them through `notifications.services.notification_send` (hand-offs of the
    order-to-payment chain, provider signals R-NET-9, deadlines R-TRJ-3, absence alerts
    R-ABS-1, durability checks R-TRJ-7).

    `dedupe_key` names what the notification is about (e.g. one trajectory event); with the
    recipient it is unique in the database, so the same notification cannot be sent twice,
    not even by two processes at once."""

    recipient = user_reference(
        _("ontvanger"),
        _("Voor wie de melding is."),
        related_name="provider_notifications",
        on_delete=models.CASCADE,
    )
    title = models.CharField(_("titel"), max_length=200, help_text=_("Korte titel."))
    body = models.TextField(_("tekst"), blank=True, help_text=_("Toelichting."))
    url = models.CharField(_("link"), max_length=300, blank=True, help_text=_("Pagina."))
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    read_at = optional_datetime(_("gelezen op"), _("Gelezen."))
    dedupe_key = models.CharField(
        _("sleutel"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Waar de melding over gaat; per ontvanger uniek (nooit twee keer)."),
    )
    in_digest = models.BooleanField(
        _("in dagoverzicht"),
        default=False,
        help_text=_("De e-mail gaat mee in het dagelijkse overzicht in plaats van direct."),
    )
    emailed_at = optional_datetime(_("gemaild op"), _("Wanneer de e-mail is verstuurd."))

    class Meta:
        db_table = "providers_notification"  # kept from the providers app (no data moved)
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_digest_idx",
                condition=Q(in_digest=True, emailed_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_dedupe_uniq",
            )
        ]


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Direct per melding")
    DAILY = "daily", _("Eén keer per dag een overzicht")


class NotificationPreference(models.Model):
    """How one user wants notifications by e-mail (in the app they always appear). No row
    means the default: direct."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("gebruiker"),
        help_text=_("Wiens voorkeur dit is."),
    )
    email_frequency = models.CharField(
        _("e-mail"),
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
        help_text=_("Direct per melding, of één keer per dag een overzicht."),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("meldingsvoorkeur")
        verbose_name_plural = _("meldingsvoorkeuren")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.get_email_frequency_display()}"
