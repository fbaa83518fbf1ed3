"""The audit trail (R-SEC-2): who processed which personal data, when, why and from where.

Append-only: no view, form, API or admin changes or deletes a record, and on PostgreSQL a
trigger (migration 0003) refuses UPDATE and DELETE at the database. The client concerned is
kept as a plain id (not a foreign key) so that the trail survives anonymisation (R-SEC-4).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    READ = "read", _("inzien")
    LIST = "list", _("lijst")
    SEARCH = "search", _("zoeken")
    EXPORT = "export", _("export")
    CREATE = "create", _("aanmaken")
    UPDATE = "update", _("wijzigen")
    DELETE = "delete", _("verwijderen")
    LOGIN = "login", _("inloggen")
    LOGIN_FAILED = "login_failed", _("mislukte inlogpoging")
    LOCKOUT = "lockout", _("account geblokkeerd")
    LOGOUT = "logout", _("uitloggen")
    IMPERSONATE = "impersonate", _("handelen als andere gebruiker")
    DENIED = "denied", _("geweigerde inzage")


class AuditTrailImmutableError(Exception):
    """Raised when code tries to change or delete an audit record (R-SEC-2)."""


class AuditRecordQuerySet(models.QuerySet["AuditRecord"]):
    """Second layer next to the database trigger: bulk update/delete are refused."""

    def update(self, **kwargs: object) -> int:
        raise AuditTrailImmutableError("De audittrail kan niet worden gewijzigd.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditTrailImmutableError("De audittrail kan niet worden verwijderd.")


class AuditRecord(models.Model):
    timestamp = models.DateTimeField(
        _("tijdstip"),
        default=timezone.now,
        db_index=True,
        help_text=_("Moment van de verwerking."),
    )
    organisation_id = models.BigIntegerField(
        _("organisatie"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Tenant waarbinnen dit gebeurde."),
    )
    actor_id = models.BigIntegerField(
        _("gebruiker-id"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Id van de gebruiker die handelde."),
    )
    actor_username = models.CharField(
        _("gebruikersnaam"),
        max_length=150,
        blank=True,
        help_text=_("Gebruikersnaam op het moment van handelen."),
    )
    actor_roles = models.CharField(
        _("rollen"),
        max_length=255,
        blank=True,
        help_text=_("Rollen van de gebruiker op dat moment."),
    )
    action = models.CharField(
        _("handeling"), max_length=20, choices=AuditAction.choices, help_text=_("Soort verwerking.")
    )
    object_type = models.CharField(
        _("objecttype"),
        max_length=100,
        blank=True,
        help_text=_("Soort gegeven, bijv. client of trajectory."),
    )
    object_id = models.CharField(
        _("object-id"), max_length=64, blank=True, help_text=_("Id van het verwerkte object.")
    )
    client_id = models.BigIntegerField(
        _("betrokken klant"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Id van de klant over wie het gaat."),
    )
    purpose = models.CharField(
        _("doel"), max_length=200, blank=True, help_text=_("Doel van de verwerking (doelbinding).")
    )
    result = models.CharField(
        _("resultaat"), max_length=20, default="ok", help_text=_("ok, geweigerd of fout.")
    )
    ip_address = models.GenericIPAddressField(
        _("IP-adres"), null=True, blank=True, help_text=_("Herkomst van het verzoek.")
    )
    real_actor_id = models.BigIntegerField(
        _("werkelijke gebruiker-id"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Bij 'handelen als': id van de beheerder die werkelijk handelde namens de gebruiker."
        ),
    )
    real_actor_username = models.CharField(
        _("werkelijke gebruikersnaam"),
        max_length=150,
        blank=True,
        help_text=_("Bij 'handelen als': gebruikersnaam van de beheerder die werkelijk handelde."),
    )
    changes = models.JSONField(
        _("wijzigingen"),
        null=True,
        blank=True,
        help_text=_("Oude en nieuwe waarden van gewijzigde velden."),
    )

    # Hash chain (R-SEC-2, audit/chain.py): one chain per organisation and day.
    chain = models.CharField(
        _("keten"), max_length=40, blank=True, help_text=_("Organisatie en dag van de hashketen.")
    )
    chain_position = models.PositiveBigIntegerField(
        _("positie"), null=True, blank=True, help_text=_("Plaats in de keten (1, 2, …).")
    )
    prev_hash = models.CharField(
        _("vorige hash"), max_length=64, blank=True, help_text=_("Hash van de vorige regel.")
    )
    row_hash = models.CharField(
        _("hash"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 over de vorige hash en de inhoud van deze regel."),
    )

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("audittrail")
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(
                fields=["organisation_id", "client_id", "timestamp"], name="audit_org_client_ts"
            ),
            models.Index(
                fields=["organisation_id", "actor_id", "timestamp"], name="audit_org_actor_ts"
            ),
            models.Index(
                fields=["organisation_id", "action", "timestamp"], name="audit_org_action_ts"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "chain_position"],
                condition=~models.Q(chain=""),
                name="audit_chain_position_unique",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_username} {self.action} "
            f"{self.object_type}:{self.object_id}"
        )

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AuditTrailImmutableError("Een auditregel kan niet worden gewijzigd.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AuditTrailImmutableError("Een auditregel kan niet worden verwijderd.")

    @property
    def roles_label(self) -> str:
        from .labels import roles_label

        return roles_label(self.actor_roles)

    @property
    def object_type_label(self) -> str:
        from .labels import object_type_label

        return object_type_label(self.object_type)


class AuditChainHead(models.Model):
    """The end of one hash chain (R-SEC-2): its length and last hash. Locked while a record
    is appended, so the chain never forks; `audit_verify` compares it with the records."""

    chain = models.CharField(
        _("keten"), max_length=40, primary_key=True, help_text=_("Organisatie en dag.")
    )
    length = models.PositiveBigIntegerField(_("lengte"), default=0, help_text=_("Aantal regels."))
    last_hash = models.CharField(
        _("laatste hash"), max_length=64, help_text=_("Hash van de laatste regel.")
    )

    class Meta:
        verbose_name = _("kop van de auditketen")
        verbose_name_plural = _("koppen van de auditketens")

    def __str__(self) -> str:
        return f"{self.chain} ({self.length})"
