"""The tenant: an organisation (sociale dienst) serving one or more municipalities.

Every table that holds organisation data inherits `OrganisationOwned`, so that it carries the
organisation and its default manager offers `.for_organisation(org)`: the scoped query is the
easy one. Access by role (need-to-know, R-SEC-1) is layered on top by `opstap.core.access`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import optional_user

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise


class Organisation(models.Model):
    name = models.CharField(
        _("naam"),
        max_length=200,
        unique=True,
        help_text=_("Naam van de sociale dienst, bijv. RSD de Liemers."),
    )
    slug = models.SlugField(
        _("korte naam"),
        max_length=50,
        unique=True,
        help_text=_("Korte unieke naam voor URL's en exports."),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    data_version = models.PositiveBigIntegerField(
        _("versie van de organisatiegegevens"),
        default=0,
        editable=False,
        help_text=_(
            "Telt op bij elke wijziging van gegevens die pagina's onthouden (gemeenten, "
            "klantmanagers en hun unit, tredekoppelingen)."
        ),
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A saved organisation (its name, in the admin) never writes `data_version` back:
        an instance read before a bump would set the counter back, and make data cached
        under the old version reachable again (`data_cache`). Only
        `organisation_data_changed` changes it."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "data_version"
            ]
        super().save(*args, **kwargs)


class OrganisationScopedQuerySet(models.QuerySet[Any]):
    def for_organisation(self, organisation: Organisation | int) -> Self:
        """Rows of one organisation (tenant) only."""
        org_id = organisation if isinstance(organisation, int) else organisation.pk
        return self.filter(organisation_id=org_id)


def organisation_or_default(
    help_text: StrOrPromise,
) -> models.ForeignKey[Organisation | Combinable | None, Organisation | None]:
    """The organisation a row of reference data holds for; left empty, the row is the default
    for all organisations (the region's). Goes with its organisation."""
    return models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisatie"),
        help_text=help_text,
    )


class OrganisationOwned(models.Model):
    """Abstract base for every table holding data of one organisation."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        verbose_name=_("organisatie"),
        help_text=_("De sociale dienst (tenant) waartoe dit gegeven hoort."),
        related_name="+",
    )

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class HistoryEvent(OrganisationOwned):
    """Abstract base of the append-only history tables ("Events" in docs/architecture.md): one
    row per thing that happened, with when it happened and who did it (empty: the system),
    oldest first. A subclass adds the row it belongs to, what happened, and its own Meta
    (`class Meta(HistoryEvent.Meta)`, to keep the ordering) with its names and indexes."""

    occurred_at = models.DateTimeField(_("tijdstip"), help_text=_("Wanneer het gebeurde."))
    actor = optional_user(
        _("door"), _("Wie het deed (leeg: het systeem)."), on_delete=models.SET_NULL
    )

    class Meta:
        abstract = True
        ordering = ["occurred_at", "id"]


class StateEvent(HistoryEvent):
    """A history row that records a step of a workflow: the action, and the state before
    (empty when the row was created) and after it."""

    action = models.CharField(_("handeling"), max_length=40, help_text=_("Wat er gebeurde."))
    from_state = models.CharField(
        _("van status"), max_length=40, blank=True, help_text=_("Status vóór de handeling.")
    )
    to_state = models.CharField(
        _("naar status"), max_length=40, help_text=_("Status na de handeling.")
    )

    class Meta(HistoryEvent.Meta):
        abstract = True


class Municipality(OrganisationOwned):
    name = models.CharField(_("naam"), max_length=100, help_text=_("Naam van de gemeente."))
    cbs_code = models.CharField(
        _("CBS-gemeentecode"),
        max_length=6,
        help_text=_("Gemeentecode van het CBS, bijv. GM0226 voor Duiven."),
    )

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "cbs_code"], name="uniq_municipality_cbs_per_org"
            ),
            models.UniqueConstraint(
                fields=["organisation", "name"], name="uniq_municipality_name_per_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MunicipalityPopulation(models.Model):
    """Inhabitants of a municipality on a reference date (input of the cost-split key)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="populations",
        verbose_name=_("gemeente"),
    )
    reference_date = models.DateField(
        _("peildatum"), help_text=_("Datum waarop het inwonertal geldt.")
    )
    inhabitants = models.PositiveIntegerField(
        _("inwoners"), help_text=_("Aantal inwoners op de peildatum.")
    )

    class Meta:
        verbose_name = _("inwonertal")
        verbose_name_plural = _("inwonertallen")
        ordering = ["municipality", "-reference_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference_date"], name="uniq_population_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.inhabitants} ({self.reference_date})"
