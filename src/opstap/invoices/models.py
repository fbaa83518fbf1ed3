"""Tables of the invoices app: invoices with their lines and history, credit notes, payment
batches, placement-fee claims and travel claims (R-BILL-1..11).

State changes happen only through `services.py` (one transition helper on top of the
workflow table in `workflow.py`); these models hold no business rules. The database itself
guarantees that a claim can be alive only once (R-BILL-10): partial unique constraints on the
claim key and on the provider's invoice number, one payment batch per invoice.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.clients.models import client_reference
from opstap.core.model_fields import (
    amount_field,
    optional_date,
    optional_datetime,
    optional_decimal,
    optional_user,
    status_field,
    user_reference,
    vat_code_field,
)
from opstap.organisations.models import HistoryEvent, OrganisationOwned
from opstap.providers.models import provider_reference
from opstap.trajectories.models import trajectory_reference

from .money import VAT_CODE_LABELS_NL
from .payment_rules import MILESTONE_LABELS_NL, Status
from .rules.travel import TravelDecision
from .workflow import (
    ACTION_LABELS_NL,
    LIVE_STATUSES,
    STATUS_LABELS_NL,
    InvoiceAction,
    InvoiceStatus,
    credit_note_refusal,
)

STATUS_CHOICES = [(s.value, label) for s, label in STATUS_LABELS_NL.items()]
MILESTONE_CHOICES = [(k.value, label) for k, label in MILESTONE_LABELS_NL.items()]
VAT_CODE_CHOICES = [(c.value, label) for c, label in VAT_CODE_LABELS_NL.items()]
_LIVE = sorted(s.value for s in LIVE_STATUSES)


class Verdict(models.TextChoices):
    """Traffic light of the payment-rules check (payment_rules.Status)."""

    GREEN = Status.GREEN.value, _("groen: volgens de regels")
    ORANGE = Status.ORANGE.value, _("oranje: beoordelen")
    RED = Status.RED.value, _("rood: niet toegestaan")


class InvoiceSource(models.TextChoices):
    PORTAL = "portal", _("portaal aanbieder")
    API = "api", _("API (gestructureerd)")
    PAPER = "paper", _("ingevoerd door administratie")


def _private_path(prefix: str, instance: models.Model, filename: str) -> str:
    # Private storage (no MEDIA_URL): files are served only by access-checked views.
    org = getattr(instance, "organisation_id", "x")
    return f"{prefix}/{org}/{filename}"


def invoice_pdf_path(instance: Invoice, filename: str) -> str:
    return _private_path("facturen", instance, filename)


def contract_path(instance: PlacementFeeClaim, filename: str) -> str:
    return _private_path("arbeidscontracten", instance, filename)


def batch_export_path(instance: PaymentBatch, filename: str) -> str:
    return _private_path("betaalbatches", instance, filename)


class PaymentBatch(OrganisationOwned):
    """A set of approved invoices (and open credit notes) paid together (R-BILL-10).

    Exporting is idempotent: the first export freezes the file and its checksum; exporting
    again returns the same bytes and changes nothing."""

    class BatchStatus(models.TextChoices):
        OPEN = "open", _("open")
        EXPORTED = "exported", _("geëxporteerd")
        PAID = "paid", _("betaald")

    reference = models.CharField(
        _("kenmerk"), max_length=40, help_text=_("Uniek kenmerk van de batch, bijv. BB-2026-0001.")
    )
    status = status_field(BatchStatus.OPEN, _("Open, geëxporteerd of betaald."))
    created_by = user_reference(
        _("aangemaakt door"),
        _("De medewerker administratie die de batch samenstelde."),
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), help_text=_("Tijdstip van samenstellen."))
    total_incl = models.DecimalField(
        _("totaal incl. btw"),
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text=_("Netto te betalen (na credits)."),
    )
    invoice_count = models.PositiveIntegerField(
        _("aantal facturen"), default=0, help_text=_("Aantal facturen in de batch.")
    )
    exported_at = optional_datetime(_("geëxporteerd op"), _("Eerste (en enige) export."))
    exported_by = optional_user(_("geëxporteerd door"), _("Wie de batch exporteerde."))
    export_xlsx = models.FileField(
        _("export (Excel)"), upload_to=batch_export_path, blank=True, help_text=_("Privé.")
    )
    export_csv = models.FileField(
        _("export (CSV)"), upload_to=batch_export_path, blank=True, help_text=_("Privé.")
    )
    export_sha256 = models.CharField(
        _("controlegetal export"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 van de CSV-export; bewijst dat een tweede export gelijk is."),
    )
    paid_on = optional_date(_("betaald op"), _("Datum waarop de bank betaalde."))
    export_pain001 = models.FileField(
        _("SEPA-betaalbestand (pain.001)"),
        upload_to=batch_export_path,
        blank=True,
        help_text=_("Privé. Eén keer gemaakt; een tweede export geeft hetzelfde bestand."),
    )
    pain001_message_id = models.CharField(
        _("berichtkenmerk SEPA"),
        max_length=35,
        blank=True,
        help_text=_("MsgId van het pain.001-bericht; vast per batch."),
    )
    pain001_schema = models.CharField(
        _("pain.001-versie"), max_length=20, blank=True, help_text=_("Bijv. pain.001.001.09.")
    )
    pain001_sha256 = models.CharField(
        _("controlegetal SEPA-bestand"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 van het pain.001-bestand."),
    )
    pain001_created_at = optional_datetime(
        _("SEPA-bestand gemaakt op"),
        _("Tijdstip van de eerste export naar SEPA; de aanmaaktijd in het bestand."),
    )
    pain001_execution_date = optional_date(
        _("gevraagde uitvoerdatum"),
        _("Dag waarop de bank moet betalen: exportdag of volgende bankwerkdag."),
    )

    class Meta:
        verbose_name = _("betaalbatch")
        verbose_name_plural = _("betaalbatches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="inv_batch_reference_per_org"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="inv_batch_org_status")]

    def __str__(self) -> str:
        return self.reference


class Invoice(OrganisationOwned):
    """An invoice of a provider for one client and one trajectory milestone (R-BILL-2)."""

    provider = provider_reference(
        _("De aanbieder die factureert."), related_name="invoices", on_delete=models.PROTECT
    )
    trajectory = trajectory_reference(
        _("Het traject waarvan een mijlpaal wordt gefactureerd."),
        related_name="invoices",
        on_delete=models.PROTECT,
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("klant"),
        # R-BILL-2
        help_text=_("De klant op wie de factuur betrekking heeft."),
    )
    invoice_number = models.CharField(
        _("factuurnummer"), max_length=60, help_text=_("Factuurnummer van de aanbieder.")
    )
    invoice_date = models.DateField(_("factuurdatum"), help_text=_("Datum op de factuur."))
    received_at = models.DateTimeField(
        _("ontvangen op"), help_text=_("Tijdstip van ontvangst; start van de betaaltermijn.")
    )
    due_on = models.DateField(
        _("uiterste betaaldatum"),
        # R-TRJ-3
        help_text=_("30 werkdagen na ontvangst volgens de Algemene termijnenwet."),
    )
    milestone = models.CharField(
        _("mijlpaal"),
        max_length=30,
        choices=MILESTONE_CHOICES,
        # R-BILL-1
        help_text=_("Waarvoor gefactureerd wordt."),
    )
    period_start = optional_date(_("periode van"), _("Begin van de gefactureerde periode."))
    period_end = optional_date(_("periode tot en met"), _("Einde van de periode."))
    stated_client_number = models.CharField(
        _("cliëntnummer op factuur"), max_length=30, help_text=_("Zoals vermeld op de factuur.")
    )
    stated_client_surname = models.CharField(
        _("achternaam op factuur"), max_length=150, help_text=_("Zoals vermeld op de factuur.")
    )
    hourly_rate = optional_decimal(
        _("uurtarief"), _("Gefactureerd uurtarief (jobcoaching, intake), excl. btw."), max_digits=8
    )
    logbook = models.JSONField(
        _("urenlogboek"),
        default=list,
        blank=True,
        # R-BILL-7
        help_text=_("Jobcoaching: [{'date': 'JJJJ-MM-DD', 'hours': '1.5'}]."),
    )
    amount_excl = amount_field(_("bedrag excl. btw"), _("Totaal exclusief btw."))
    vat = amount_field(_("btw"), _("Totaal btw."))
    amount_incl = amount_field(_("bedrag incl. btw"), _("Totaal inclusief btw."))
    pdf = models.FileField(
        _("factuur (PDF)"),
        upload_to=invoice_pdf_path,
        blank=True,
        help_text=_("De digitale factuur, privé opgeslagen."),
    )
    pdf_name = models.CharField(
        _("bestandsnaam"), max_length=255, blank=True, help_text=_("Oorspronkelijke naam.")
    )
    structured_data = models.JSONField(
        _("gestructureerde gegevens"),
        default=dict,
        blank=True,
        help_text=_("De factuurgegevens zoals aangeleverd (portaal of API)."),
    )
    source = models.CharField(
        _("bron"), max_length=10, choices=InvoiceSource.choices, help_text=_("Hoe ontvangen.")
    )
    submitted_by = user_reference(
        _("ingediend door"), _("Wie de factuur indiende."), related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=STATUS_CHOICES,
        default=InvoiceStatus.RECEIVED.value,
        help_text=_("Status in de workflow; alleen via de services te wijzigen."),
    )
    verdict = models.CharField(
        _("oordeel"),
        max_length=6,
        choices=Verdict.choices,
        blank=True,
        help_text=_("Groen, oranje of rood volgens de betalingsregels."),
    )
    reasons = models.JSONField(
        _("redenen"),
        default=list,
        blank=True,
        help_text=_("Redenen van het oordeel: [{'code': ..., 'message': ...}]."),
    )
    allowed_excl = optional_decimal(
        _("toegestaan excl. btw"),
        _("Wat de regels voor deze mijlpaal toestaan (leeg: niets)."),
        max_digits=12,
    )
    checked_at = optional_datetime(_("gecontroleerd op"), _("Laatste controle."))
    needs_substance = models.BooleanField(
        _("inhoudelijke bevestiging nodig"),
        default=False,
        help_text=_("Voortijdige beëindiging of bemiddelingsfee: de klantmanager bevestigt."),
    )
    substance = models.JSONField(
        _("inhoudelijke gegevens"),
        default=dict,
        blank=True,
        help_text=_("Door de klantmanager bevestigde feiten (reden beëindiging, aanpassing...)."),
    )
    claim_key = models.CharField(
        _("claimsleutel"),
        max_length=120,
        # R-BILL-10
        help_text=_("Traject, mijlpaal en periode: dezelfde claim kan maar één keer."),
    )
    # R-BILL-8/10: a wrongly paid invoice credited in full no longer claims its milestone, so
    # the corrected invoice for it is not held as a duplicate. Kept by the credit-note service.
    fully_credited = models.BooleanField(
        _("volledig gecrediteerd"),
        default=False,
        help_text=_(
            "Het hele bedrag is met creditnota's teruggedraaid; een nieuwe factuur voor "
            "dezelfde mijlpaal is dan geen dubbele."
        ),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("dubbel van"),
        help_text=_("De eerdere factuur waarvan dit een dubbele is."),
    )
    approved_by = optional_user(_("goedgekeurd door"), _("Medewerker administratie."))
    approved_at = optional_datetime(_("goedgekeurd op"), _("Tijdstip van goedkeuring."))
    decision_note = models.TextField(
        _("toelichting besluit"), blank=True, help_text=_("Toelichting bij goedkeuren/afwijzen.")
    )
    payment_batch = models.ForeignKey(
        PaymentBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("betaalbatch"),
        help_text=_("De batch waarin de factuur betaald wordt (hooguit één)."),
    )
    paid_on = optional_date(_("betaald op"), _("Betaaldatum."))
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("factuur")
        verbose_name_plural = _("facturen")
        ordering = ["-received_at", "-id"]
        constraints = [
            # R-BILL-10: one live invoice per claim (a fully credited one no longer claims
            # it, R-BILL-8), and per provider invoice number (numbers are never reused).
            models.UniqueConstraint(
                fields=["organisation", "claim_key"],
                condition=models.Q(status__in=_LIVE, fully_credited=False),
                name="inv_one_live_claim",
            ),
            models.UniqueConstraint(
                fields=["provider", "invoice_number"],
                condition=models.Q(status__in=_LIVE),
                name="inv_one_live_number",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in InvoiceStatus]),
                name="inv_status_valid",
            ),
            # In a batch exactly when the workflow says so: never paid outside a batch.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status__in=[InvoiceStatus.IN_BATCH.value, InvoiceStatus.PAID.value],
                        payment_batch__isnull=False,
                    )
                    | (
                        ~models.Q(
                            status__in=[InvoiceStatus.IN_BATCH.value, InvoiceStatus.PAID.value]
                        )
                        & models.Q(payment_batch__isnull=True)
                    )
                ),
                name="inv_batch_iff_in_batch",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "due_on"], name="inv_org_status_due"),
            models.Index(fields=["provider", "period_start"], name="inv_provider_period"),
            models.Index(fields=["provider", "invoice_date"], name="inv_provider_date"),
            models.Index(fields=["organisation", "invoice_date"], name="inv_org_date"),
            models.Index(fields=["trajectory", "milestone"], name="inv_trajectory_milestone"),
            models.Index(fields=["client"], name="inv_client"),
            models.Index(fields=["organisation", "claim_key"], name="inv_claim_key"),
        ]

    def __str__(self) -> str:
        return f"Factuur {self.invoice_number} ({self.provider_id})"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS_NL[InvoiceStatus(self.status)]

    @property
    def may_take_credit_note(self) -> bool:
        """R-BILL-8: a credit note may be made on this invoice (approved, batched or paid, and
        not yet credited in full); the rule is `workflow.credit_note_refusal`."""
        return credit_note_refusal(self.status, fully_credited=self.fully_credited) is None


class InvoiceLine(models.Model):
    """One line of an invoice with its own VAT code and rate (R-BILL-11)."""

    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("factuur"),
        help_text=_("De factuur."),
    )
    position = models.PositiveSmallIntegerField(
        _("regel"), validators=[MaxValueValidator(999)], help_text=_("Volgnummer.")
    )
    description = models.CharField(
        _("omschrijving"), max_length=255, help_text=_("Omschrijving van de regel.")
    )
    vat_code = models.CharField(
        _("btw-code"), max_length=10, choices=VAT_CODE_CHOICES, help_text=_("Btw-categorie.")
    )
    vat_percentage = models.DecimalField(
        _("btw-percentage"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Percentage geldig op de regeldatum."),
    )
    amount_excl = amount_field(_("bedrag excl. btw"), _("Excl."))
    vat = amount_field(_("btw"), _("Btw, per regel afgerond."))
    amount_incl = amount_field(_("bedrag incl. btw"), _("Incl."))

    class Meta:
        verbose_name = _("factuurregel")
        verbose_name_plural = _("factuurregels")
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="inv_line_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.description}"


class InvoiceEvent(HistoryEvent):
    """Append-only history of an invoice: who did what, when and why."""

    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("factuur"),
        help_text=_("De factuur."),
    )
    # Its own help text: the API document shows it.
    occurred_at = models.DateTimeField(_("tijdstip"), help_text=_("Wanneer."))
    action = models.CharField(_("handeling"), max_length=30, help_text=_("Wat er gebeurde."))
    from_status = models.CharField(_("van status"), max_length=20, blank=True, help_text=_("Van."))
    to_status = models.CharField(_("naar status"), max_length=20, blank=True, help_text=_("Naar."))
    reason = models.TextField(_("reden"), blank=True, help_text=_("Reden of toelichting."))
    payload = models.JSONField(_("gegevens"), default=dict, blank=True, help_text=_("Details."))

    class Meta(HistoryEvent.Meta):
        verbose_name = _("factuurgebeurtenis")
        verbose_name_plural = _("factuurgebeurtenissen")
        indexes = [models.Index(fields=["invoice", "occurred_at"], name="inv_event_ts")]

    #: Events that are not workflow transitions (issue 14: shown in Dutch, never as a code).
    OTHER_ACTION_LABELS_NL = {"submit": "Ingediend", "credit_note": "Creditnota verwerkt"}

    @property
    def action_label(self) -> str:
        if self.action in InvoiceAction._value2member_map_:
            return ACTION_LABELS_NL[InvoiceAction(self.action)]
        return self.OTHER_ACTION_LABELS_NL.get(self.action, "Gewijzigd")

    @staticmethod
    def _status_label(value: str) -> str:
        if value in InvoiceStatus._value2member_map_:
            return STATUS_LABELS_NL[InvoiceStatus(value)]
        return "—"

    @property
    def from_status_label(self) -> str:
        return self._status_label(self.from_status)

    @property
    def to_status_label(self) -> str:
        return self._status_label(self.to_status)


class CreditNote(OrganisationOwned):
    """A (partial) credit note linked to the invoice it corrects (R-BILL-8)."""

    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("factuur"),
        help_text=_("De gecorrigeerde factuur."),
    )
    provider = provider_reference(
        _("De aanbieder (gelijk aan die van de factuur)."),
        related_name="credit_notes",
        on_delete=models.PROTECT,
    )
    number = models.CharField(
        _("nummer creditnota"), max_length=60, help_text=_("Nummer van de creditnota.")
    )
    credit_date = models.DateField(_("datum"), help_text=_("Datum van de creditnota."))
    reason = models.TextField(_("reden"), help_text=_("Waarom de factuur wordt gecrediteerd."))
    amount_excl = amount_field(_("bedrag excl. btw"), _("Positief."))
    vat = amount_field(_("btw"), _("Positief."))
    amount_incl = amount_field(_("bedrag incl. btw"), _("Positief."))
    created_by = user_reference(
        _("vastgelegd door"), _("Medewerker administratie."), related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    payment_batch = models.ForeignKey(
        PaymentBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("betaalbatch"),
        help_text=_("De batch waarin de creditnota is verrekend."),
    )

    class Meta:
        verbose_name = _("creditnota")
        verbose_name_plural = _("creditnota's")
        ordering = ["-credit_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="inv_credit_number"),
            models.CheckConstraint(
                condition=models.Q(amount_excl__gte=0, vat__gte=0, amount_incl__gte=0),
                name="inv_credit_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "credit_date"], name="inv_credit_provider_date"),
            models.Index(fields=["organisation", "payment_batch"], name="inv_credit_batch"),
        ]

    def __str__(self) -> str:
        return f"Creditnota {self.number}"


class PlacementFeeClaim(OrganisationOwned):
    """A claim for the one-off placement fee (R-BILL-6), with the employment contract."""

    trajectory = trajectory_reference(
        _("Het traject tijdens of direct na welk de plaatsing volgde."),
        related_name="placement_fee_claims",
        on_delete=models.PROTECT,
    )
    provider = provider_reference(
        _("De aanbieder."), related_name="placement_fee_claims", on_delete=models.PROTECT
    )
    client = client_reference(
        _("De geplaatste klant."), related_name="placement_fee_claims", on_delete=models.PROTECT
    )
    invoice = models.OneToOneField(
        Invoice,
        on_delete=models.PROTECT,
        related_name="placement_claim",
        verbose_name=_("factuur"),
        help_text=_("De factuur voor de fee."),
    )
    employer = models.CharField(_("werkgever"), max_length=200, help_text=_("Werkgever."))
    placement_start = models.DateField(_("start plaatsing"), help_text=_("Eerste werkdag."))
    contract_months = models.PositiveSmallIntegerField(
        _("contractduur (maanden)"), null=True, blank=True, help_text=_("Leeg = onbepaalde tijd.")
    )
    hours_per_week = models.DecimalField(
        _("uren per week"), max_digits=5, decimal_places=2, help_text=_("Contracturen per week.")
    )
    probation_end = optional_date(_("einde proeftijd"), _("Laatste dag van de proeftijd."))
    client_hour_restriction = optional_decimal(
        _("urenbeperking klant"),
        _("Urenbeperking onder 24 uur per week, als die er is."),
        max_digits=5,
    )
    contract = models.FileField(
        _("arbeidscontract"),
        upload_to=contract_path,
        blank=True,
        help_text=_("Het arbeidscontract (PDF), privé opgeslagen."),
    )
    contract_name = models.CharField(
        _("bestandsnaam contract"), max_length=255, blank=True, help_text=_("Oorspronkelijk.")
    )
    submitted_at = models.DateTimeField(_("ingediend op"), help_text=_("Tijdstip van indienen."))

    class Meta:
        verbose_name = _("declaratie bemiddelingsfee")
        verbose_name_plural = _("declaraties bemiddelingsfee")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # R-BILL-6: one fee per placement.
            models.UniqueConstraint(
                fields=["trajectory", "placement_start"], name="inv_one_fee_per_placement"
            ),
        ]
        indexes = [models.Index(fields=["provider", "placement_start"], name="inv_fee_provider")]


class TravelClaim(OrganisationOwned):
    """Travel costs of a candidate, entered by the case manager (R-BILL-9)."""

    client = client_reference(
        _("De kandidaat die declareert."), related_name="travel_claims", on_delete=models.PROTECT
    )
    trajectory = trajectory_reference(
        _("Het traject waarvoor gereisd is."),
        related_name="travel_claims",
        on_delete=models.PROTECT,
    )
    entered_by = user_reference(_("ingevoerd door"), _("Klantmanager."), related_name="+")
    entered_at = models.DateTimeField(_("ingevoerd op"), help_text=_("Tijdstip."))
    attendance_source = models.CharField(
        _("bron aanwezigheid"),
        max_length=20,
        help_text=_("'register' (afspraken van het traject) of 'claim' (opgegeven data)."),
    )
    organisation_pays = amount_field(_("te vergoeden"), _("Door de organisatie te betalen."))
    provider_pays = amount_field(_("voor rekening aanbieder"), _("Enkele ritten boven 50 km."))
    refused = amount_field(_("afgewezen"), _("Geen aanwezigheid."))

    class Meta:
        verbose_name = _("reiskostendeclaratie")
        verbose_name_plural = _("reiskostendeclaraties")
        ordering = ["-entered_at", "-id"]
        indexes = [models.Index(fields=["trajectory", "entered_at"], name="inv_travel_traj")]


class TravelTrip(models.Model):
    """One trip of a travel claim with its decision (R-BILL-9)."""

    claim = models.ForeignKey(
        TravelClaim,
        on_delete=models.CASCADE,
        related_name="trips",
        verbose_name=_("declaratie"),
        help_text=_("De reiskostendeclaratie."),
    )
    trip_date = models.DateField(_("datum rit"), help_text=_("Datum van de reis."))
    single_trip_km = models.DecimalField(
        _("enkele reis (km)"), max_digits=6, decimal_places=1, help_text=_("Afstand enkele reis.")
    )
    amount = amount_field(_("bedrag"), _("Gedeclareerd bedrag."))
    decision = models.CharField(
        _("besluit"),
        max_length=20,
        choices=[(d.value, d.value) for d in TravelDecision],
        help_text=_("Vergoed, voor rekening aanbieder of afgewezen."),
    )
    reason = models.CharField(_("reden"), max_length=255, blank=True, help_text=_("Waarom."))

    class Meta:
        verbose_name = _("rit")
        verbose_name_plural = _("ritten")
        ordering = ["claim", "trip_date", "id"]

    def __str__(self) -> str:
        return f"Rit {self.trip_date:%d-%m-%Y} ({self.single_trip_km} km)"


class VatRateRow(models.Model):
    """VAT reference data (R-BILL-11): from `valid_from` the `code` has `percentage`.

    Rows are never edited in place when the law changes: add a row with the new date, so
    invoices keep the rate of their own date. Seeded by a data migration from
    `money.DEFAULT_VAT_RATES`; editable by the application administrator.
    """

    code = vat_code_field(_("Vrijgesteld (0%), laag of hoog tarief."), default=None)
    valid_from = models.DateField(_("geldig vanaf"), help_text=_("Eerste dag van dit tarief."))
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=5,
        decimal_places=2,
        validators=[MaxValueValidator(100)],
        help_text=_("Het btw-percentage, bijvoorbeeld 21,00."),
    )

    class Meta:
        verbose_name = _("btw-tarief")
        verbose_name_plural = _("btw-tarieven")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="uniq_vat_rate_per_date"),
            models.CheckConstraint(
                condition=models.Q(percentage__gte=0), name="vat_rate_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.percentage}% vanaf {self.valid_from:%d-%m-%Y}"
