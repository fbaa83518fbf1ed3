"""Tables of the indicators app. Indicators themselves are computed, never stored (R-PI-1);
the one fact with no other home is the receipt of a provider's quarterly overview of
candidates, duration, activities and costs (R-PI-1 item 7)."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.model_fields import optional_datetime, optional_user
from opstap.organisations.models import OrganisationOwned
from opstap.providers.models import provider_reference


class QuarterlyOverview(OrganisationOwned):
    """That a provider delivered its overview for one calendar quarter (R-PI-1 item 7)."""

    provider = provider_reference(
        _("De aanbieder die het overzicht leverde."),
        related_name="quarterly_overviews",
        on_delete=models.PROTECT,
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Jaar van het kwartaal."),
    )
    quarter = models.PositiveSmallIntegerField(
        _("kwartaal"),
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Kwartaal 1-4."),
    )
    received_on = models.DateField(
        _("ontvangen op"), help_text=_("Datum waarop het overzicht binnenkwam.")
    )
    note = models.CharField(
        _("toelichting"),
        max_length=300,
        blank=True,
        help_text=_("Bijv. waar het overzicht staat; geen persoonsgegevens."),
    )
    recorded_by = optional_user(
        _("vastgelegd door"), _("Wie de ontvangst vastlegde."), on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("kwartaaloverzicht")
        verbose_name_plural = _("kwartaaloverzichten")
        ordering = ["provider", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "year", "quarter"], name="uniq_quarterly_overview"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarterly_overview_q"
            ),
        ]

    def __str__(self) -> str:
        return f"Kwartaaloverzicht {self.year}-K{self.quarter}"


# --- The indicator facts per provider, product and day (issue 18) ----------------------------


def _count(label: Any, help_text: Any) -> models.IntegerField[int, int]:
    return models.IntegerField(label, default=0, help_text=help_text)


#: The sums of an `IndicatorDay`, in the order of its index (`uniq_indicator_day` includes
#: them, so the page reads the index alone).
SUM_FIELDS = (
    "plans_approved",
    "plans_signed",
    "progress_reports_due",
    "progress_reports_on_time",
    "lead_times_due",
    "lead_times_on_time",
    "ended",
    "ended_with_term",
    "ended_within_term",
    "in_work",
    "werkfit",
    "successful",
    "placements_decided",
    "placements_durable",
    "cost_paid",
    "invoices_paid",
)


class IndicatorDay(OrganisationOwned):
    """The trajectory-based facts of R-PI-1 for one provider, product and day, so that the
    indicators of a period are a sum over its days (`selectors._base_facts`). Plans count on
    the day the plan was approved; the ended cohort, its outcomes and its paid invoices on its
    end date; due dates on their due day. Derived data: maintained by the indicators services
    from the trajectories, due dates, outcomes, documents and invoices (queued on every write,
    `IndicatorQueue`), rebuilt by `manage.py indicator_facts_rebuild`. No personal data."""

    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique key starts with the organisation and provider
        verbose_name=_("aanbieder"),
        help_text=_("De aanbieder."),
    )
    product = models.ForeignKey(
        "providers.Product",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("product"),
        help_text=_("Het product."),
    )
    day = models.DateField(_("dag"), help_text=_("De dag waarop de feiten vallen."))
    plans_approved = _count(_("plannen goedgekeurd"), _("Plannen goedgekeurd op deze dag."))
    plans_signed = _count(
        _("plannen ondertekend"), _("Daarvan met resultaatafspraken, getekend door de kandidaat.")
    )
    progress_reports_due = _count(
        _("voortgangsrapportages verwacht"), _("Voortgangsrapportages die deze dag verliepen.")
    )
    progress_reports_on_time = _count(
        _("voortgangsrapportages op tijd"), _("Daarvan op tijd ontvangen.")
    )
    lead_times_due = _count(_("doorlooptijden"), _("Termijnen van de aanbieder op deze dag."))
    lead_times_on_time = _count(_("doorlooptijden op tijd"), _("Daarvan op tijd gehaald."))
    ended = _count(_("beëindigd"), _("Gestarte trajecten die deze dag eindigden."))
    ended_with_term = _count(_("beëindigd met einddatum"), _("Daarvan met een geplande einddatum."))
    ended_within_term = _count(_("binnen de termijn"), _("Daarvan niet na de geplande einddatum."))
    in_work = _count(_("naar werk"), _("Daarvan met een plaatsing."))
    werkfit = _count(_("werkfit"), _("Daarvan werkfit."))
    successful = _count(_("succesvol"), _("Daarvan met een plaatsing of werkfit."))
    placements_decided = _count(
        _("plaatsingen beoordeeld"), _("Plaatsingen waarvan de duurzaamheid vaststaat.")
    )
    placements_durable = _count(_("plaatsingen duurzaam"), _("Daarvan duurzaam."))
    cost_paid = models.DecimalField(
        _("betaald"),
        max_digits=14,
        decimal_places=2,
        default=0,
        help_text=_("Betaalde facturen (excl. btw, na creditnota's) van de hier beëindigde."),
    )
    invoices_paid = _count(_("betaalde facturen"), _("Aantal betaalde facturen."))

    class Meta:
        verbose_name = _("indicatorfeit per dag")
        verbose_name_plural = _("indicatorfeiten per dag")
        constraints = [
            # The page reads one organisation's providers over a period, per provider or
            # product: on PostgreSQL from this index alone (the counts are included).
            models.UniqueConstraint(
                fields=["organisation", "provider", "day", "product"],
                include=list(SUM_FIELDS),
                name="uniq_indicator_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}/{self.product_id} {self.day:%Y-%m-%d}"


class IndicatorQueue(models.Model):
    """The transactional outbox of the indicator facts: a trajectory whose dates, due dates,
    outcome, documents or invoices changed, written in the same transaction as the change; the
    background refresh recomputes the days it counts on and removes the row."""

    organisation_id = models.BigIntegerField(_("organisatie"), db_index=True)
    trajectory_id = models.BigIntegerField(_("traject"), unique=True)
    queued_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("indicatorfeiten: wachtrij")
        verbose_name_plural = _("indicatorfeiten: wachtrij")

    def __str__(self) -> str:
        return str(self.trajectory_id)


class IndicatorContribution(models.Model):
    """Where a trajectory counted in the facts when they were last computed: its provider,
    product and days (plan approval, end, due dates). A refresh recomputes these days and the
    trajectory's current ones, so a moved date or product leaves no stale count behind. No
    foreign key: the row outlives a deleted trajectory until the refresh clears its days."""

    trajectory_id = models.BigIntegerField(_("traject"), primary_key=True)
    organisation_id = models.BigIntegerField(_("organisatie"))
    provider_id = models.BigIntegerField(_("aanbieder"))
    product_id = models.BigIntegerField(_("product"))
    days = models.TextField(_("dagen"), blank=True, help_text=_("JJJJ-MM-DD, door komma's."))

    class Meta:
        verbose_name = _("indicatorfeiten: bijdrage van een traject")
        verbose_name_plural = _("indicatorfeiten: bijdragen van trajecten")

    def __str__(self) -> str:
        return str(self.trajectory_id)


class IndicatorFactState(OrganisationOwned):
    """Whether the indicator facts of an organisation are in use. Without a row, or before the
    first rebuild is done (`ready`), the indicators are computed live from the trajectories (the
    same numbers, slower). The queued refresh keeps the facts current from the moment the row
    exists, also while a rebuild runs; refreshes and rebuild steps take this row's lock, one at
    a time per organisation."""

    rebuilt_at = optional_datetime(_("opnieuw opgebouwd op"))
    rows = models.PositiveIntegerField(_("rijen"), default=0)
    ready = models.BooleanField(
        _("in gebruik"),
        default=False,
        help_text=_("De indicatoren lezen de feiten zodra de eerste volledige opbouw klaar is."),
    )

    class Meta:
        verbose_name = _("indicatorfeiten: stand")
        verbose_name_plural = _("indicatorfeiten: stand")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="uniq_indicator_fact_state")
        ]

    def __str__(self) -> str:
        return "klaar" if self.ready else "in opbouw"
