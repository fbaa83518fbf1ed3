"""Clients, their participation ladder, caseload, events, custom budget and imports.

Derived facts are never stored (R-CLI-2): age and target groups are computed from the date of
birth and the other fields; unit and track come from the configurable ladder mappings
(`LadderMapping`, R-LAD-2/3) valid on the reference date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.dutch import format_date
from opstap.core.model_fields import (
    Validity,
    optional_date,
    optional_datetime,
    optional_user,
    status_field,
    user_reference,
)
from opstap.core.money import format_euro
from opstap.organisations.models import (
    HistoryEvent,
    Municipality,
    OrganisationOwned,
    organisation_or_default,
)

# The ladder and target-group vocabulary (keys and their Dutch labels) is part of the clients'
# public face: other apps import it from here, never from the pure modules themselves.
from .ladder import LADDER_STEP_LABELS_NL as LADDER_STEP_LABELS_NL
from .ladder import ROTONDE_LABELS_NL as ROTONDE_LABELS_NL
from .ladder import ROTONDE_ORDER as ROTONDE_ORDER
from .ladder import SUB_STATUS_LABELS_NL
from .ladder import UNIT_LABELS_NL as UNIT_LABELS_NL
from .ladder import LadderStep as LadderStep
from .ladder import LadderSubStatus as LadderSubStatus
from .ladder import RotondeExit as RotondeExit
from .ladder import UnitCode as UnitCode
from .target_groups import TARGET_GROUP_LABELS_NL as TARGET_GROUP_LABELS_NL
from .target_groups import TargetGroupCode as TargetGroupCode

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise

LADDER_STEP_CHOICES = [(s.value, LADDER_STEP_LABELS_NL[s]) for s in LadderStep]
SUB_STATUS_CHOICES = [(s.value, SUB_STATUS_LABELS_NL[s]) for s in LadderSubStatus]
UNIT_CHOICES = [(u.value, UNIT_LABELS_NL[u]) for u in UnitCode]


#: The client's benefit and labour-market situation, in the order forms, the API and the
#: right-of-access export show them (one list, so the three cannot drift apart).
SITUATION_FIELDS: tuple[str, ...] = (
    "benefit_type",
    "benefit_start_date",
    "benefit_end_date",
    "exempt_from_labour_obligation",
    "exemption_end_date",
    "ldr_registered",
    "nbw_indication",
    "lks_status",
    "hour_restriction",
    "migration_background",
    "obstacles",
)


class BenefitType(models.TextChoices):
    PW = "pw", _("Participatiewet algemene bijstand")
    IOAW = "ioaw", _("IOAW")
    IOAZ = "ioaz", _("IOAZ")
    BBZ = "bbz", _("Bbz")
    NONE = "none", _("Geen uitkering")


class LksStatus(models.TextChoices):
    NONE = "none", _("Geen")
    REQUESTED = "requested", _("Aangevraagd")
    ACTIVE = "active", _("Lopend")
    ENDED = "ended", _("Beëindigd")


class Obstacle(models.TextChoices):
    """Structured obstacles (belemmeringen), never free text."""

    DEBTS = "debts", _("Schulden")
    LANGUAGE = "language", _("Taal / geletterdheid")
    DIGITAL = "digital", _("Digitale vaardigheden")
    HEALTH = "health", _("Gezondheid")
    CARE_DUTIES = "care_duties", _("Mantelzorg / zorgtaken")
    CHILD_CARE = "child_care", _("Kinderopvang")


class Client(OrganisationOwned):
    """A resident served by the organisation (R-CLI-1)."""

    bsn = models.CharField(
        _("BSN"), max_length=9, help_text=_("Burgerservicenummer (9 cijfers, elfproef).")
    )
    client_number = models.CharField(
        _("klantnummer"), max_length=30, help_text=_("Klantnummer van de sociale dienst.")
    )
    first_name = models.CharField(_("voornaam"), max_length=100, help_text=_("Roepnaam."))
    last_name_prefix = models.CharField(
        _("tussenvoegsel"), max_length=20, blank=True, help_text=_("Bijv. 'van der'.")
    )
    last_name = models.CharField(_("achternaam"), max_length=150, help_text=_("Achternaam."))
    date_of_birth = models.DateField(_("geboortedatum"), help_text=_("Geboortedatum."))
    street_address = models.CharField(
        _("adres"), max_length=200, blank=True, help_text=_("Straat en huisnummer.")
    )
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, help_text=_("Postcode, bijv. 6921 AB.")
    )
    city = models.CharField(_("woonplaats"), max_length=100, blank=True, help_text=_("Plaats."))
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("gemeente"),
        help_text=_("Gemeente van de klant (van dezelfde organisatie)."),
    )
    benefit_type = models.CharField(
        _("uitkering"),
        max_length=10,
        choices=BenefitType.choices,
        default=BenefitType.PW,
        help_text=_("Soort uitkering; 'geen' bij bijv. werk-naar-werk of jongeren."),
    )
    benefit_start_date = optional_date(_("ingang uitkering"), _("Begindatum van de uitkering."))
    benefit_end_date = optional_date(
        _("einde uitkering"), _("Einddatum van de uitkering (leeg = lopend).")
    )
    exempt_from_labour_obligation = models.BooleanField(
        _("ontheffing arbeidsverplichting"),
        default=False,
        help_text=_("Tijdelijk ontheven van de arbeidsverplichting."),
    )
    exemption_end_date = optional_date(_("einde ontheffing"), _("Einddatum van de ontheffing."))
    ldr_registered = models.BooleanField(
        _("doelgroepregister"), default=False, help_text=_("Ingeschreven in het doelgroepregister.")
    )
    nbw_indication = models.BooleanField(
        _("indicatie Nieuw Beschut Werk"), default=False, help_text=_("Indicatie NBW.")
    )
    lks_status = models.CharField(
        _("loonkostensubsidie"),
        max_length=10,
        choices=LksStatus.choices,
        default=LksStatus.NONE,
        help_text=_("Status van de loonkostensubsidie."),
    )
    hour_restriction = models.PositiveSmallIntegerField(
        _("urenbeperking"),
        null=True,
        blank=True,
        # An explicit ceiling also keeps the API schema the same on every database.
        validators=[MaxValueValidator(60)],
        help_text=_("Maximaal aantal uren per week (leeg = geen beperking)."),
    )
    migration_background = models.BooleanField(
        _("migratieachtergrond / statushouder"),
        default=False,
        help_text=_("Hoort bij de doelgroep migratieachtergrond / statushouder."),
    )
    obstacles = models.JSONField(
        _("belemmeringen"),
        default=list,
        blank=True,
        help_text=_("Lijst van codes: schulden, taal, digitaal, gezondheid, zorgtaken, opvang."),
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("klantmanager"),
        # R-CLI-3
        help_text=_("De huidige klantmanager."),
    )
    ladder_step = models.CharField(
        _("trede"),
        max_length=2,
        choices=LADDER_STEP_CHOICES,
        help_text=_("Huidige trede op de participatieladder."),
    )
    ladder_sub_status = models.CharField(
        _("substatus trede 6"),
        max_length=20,
        choices=SUB_STATUS_CHOICES,
        blank=True,
        help_text=_("Alleen bij trede 6."),
    )
    ladder_step_since = optional_date(_("trede sinds"), _("Ingangsdatum van de huidige trede."))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client",
        verbose_name=_("portaalaccount"),
        help_text=_("Account van de inwoner voor het klantportaal."),
    )
    #: How many trajectories this client has: a counter kept by the trajectories app (one
    #: `F()` update per trajectory created or deleted, `services.client_trajectories_counted`),
    #: so the exact total of a case manager's trajectory list is a sum over the clients they
    #: see, read from the scope index, instead of a count of a million joined rows (issue 18).
    #: Never written from a loaded instance: see `save`.
    trajectory_count = models.PositiveIntegerField(
        _("aantal trajecten"),
        default=0,
        editable=False,
        help_text=_("Aantal trajecten van de klant (wordt bijgehouden)."),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    #: Columns kept by `UPDATE … SET n = n + 1` only. A save of a loaded client leaves them
    #: alone: the value in memory may be older than a trajectory ordered meanwhile.
    COUNTER_FIELDS = frozenset({"trajectory_count"})

    class Meta:
        verbose_name = _("klant")
        verbose_name_plural = _("klanten")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "bsn"], name="uniq_client_bsn_per_org"),
            models.UniqueConstraint(
                fields=["organisation", "client_number"], name="uniq_client_number_per_org"
            ),
        ]
        indexes = [
            # Every column of the case manager's scope (own caseload OR the unit's ladder
            # positions) and of the step filter: the per-step counts of the caseload chart
            # and the list size are index-only scans (issue 4). Also serves "org + step".
            # It carries the trajectory counter (PostgreSQL INCLUDE), so the total of a case
            # manager's trajectory list is an index-only sum as well (issue 18).
            models.Index(
                fields=["organisation", "ladder_step", "ladder_sub_status", "case_manager"],
                include=["trajectory_count"],
                name="client_org_scope",
            ),
            # Step filter + default sort: the first page comes straight from the index.
            models.Index(
                fields=["organisation", "ladder_step", "last_name", "first_name", "id"],
                name="client_org_step_name",
            ),
            # Municipality filter, and the KPI populations per municipality and step: the
            # counts are index-only scans (issue 18).
            models.Index(
                fields=["organisation", "municipality", "ladder_step", "ladder_sub_status"],
                name="client_org_mun_step",
            ),
            models.Index(
                fields=["organisation", "last_name", "first_name", "id"], name="client_org_sortname"
            ),
            # "Mijn caseload" + default sort (also serves organisation + case manager alone).
            models.Index(
                fields=["organisation", "case_manager", "last_name", "first_name", "id"],
                name="client_org_cm_name",
            ),
            models.Index(fields=["organisation", "date_of_birth"], name="client_org_dob"),
            # The KPI breakdown by target group (R-KPI-1/5, `kpis.selectors.breakdowns`): the
            # population of the guided-share KPIs by step with every column a target group
            # reads, so the breakdown is an index-only scan (24 MB at 500,000 clients) instead
            # of a scan of the whole table (205 MB; docs/performance.md, "KPI pages").
            # `kpis/tests/test_target_group_index.py` holds it to `target_group_q`.
            models.Index(
                fields=["organisation", "ladder_step"],
                include=[
                    "id",
                    "date_of_birth",
                    "migration_background",
                    "ldr_registered",
                    "nbw_indication",
                    "lks_status",
                    "benefit_type",
                ],
                name="client_org_step_groups",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.client_number})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """An update of a loaded client writes every column except the counters, unless the
        caller names them in `update_fields` (a lost update would make totals wrong)."""
        if not self._state.adding and kwargs.get("update_fields") is None and not args:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.COUNTER_FIELDS
            ]
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return full_name_of(self.first_name, self.last_name_prefix, self.last_name)

    @property
    def sort_name(self) -> str:
        return sort_name_of(self.last_name, self.first_name, self.last_name_prefix)


def sort_name_of(last_name: str, first_name: str, last_name_prefix: str) -> str:
    """How a client is listed: "Vries, Jan de" (`Client.sort_name`). From the three columns,
    for lists that read rows as values instead of clients."""
    prefix = f" {last_name_prefix}" if last_name_prefix else ""
    return f"{last_name}, {first_name}{prefix}"


def full_name_of(first_name: str, last_name_prefix: str, last_name: str) -> str:
    """A client's name as pages show it (`Client.full_name`), for rows read as values."""
    return " ".join(p for p in (first_name, last_name_prefix, last_name) if p)


def client_reference(
    help_text: StrOrPromise, *, related_name: str, on_delete: Any
) -> models.ForeignKey[Client | Combinable, Client]:
    """The client a row is about ("klant"), always filled in. `on_delete` stays the caller's
    choice: CASCADE for what is part of the client's own file, PROTECT for what must outlive
    it (trajectories, invoices, claims)."""
    return models.ForeignKey(
        Client,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=_("klant"),
        help_text=help_text,
    )


class LadderStepChange(OrganisationOwned):
    """The dated history of a client's ladder step (R-LAD-1): who, when, why."""

    client = client_reference(
        _("De klant."), related_name="ladder_changes", on_delete=models.CASCADE
    )
    step = models.CharField(
        _("trede"), max_length=2, choices=LADDER_STEP_CHOICES, help_text=_("Nieuwe trede.")
    )
    sub_status = models.CharField(
        _("substatus"),
        max_length=20,
        choices=SUB_STATUS_CHOICES,
        blank=True,
        help_text=_("Substatus bij trede 6."),
    )
    previous_step = models.CharField(
        _("vorige trede"), max_length=2, blank=True, help_text=_("Trede vóór de wijziging.")
    )
    previous_sub_status = models.CharField(
        _("vorige substatus"), max_length=20, blank=True, help_text=_("Substatus vóór.")
    )
    effective_date = models.DateField(_("ingangsdatum"), help_text=_("Datum waarop dit geldt."))
    changed_at = models.DateTimeField(_("vastgelegd op"), help_text=_("Moment van vastleggen."))
    changed_by = optional_user(
        _("gewijzigd door"), _("Wie de trede wijzigde."), on_delete=models.SET_NULL
    )
    reason = models.TextField(_("reden"), help_text=_("Waarom de trede is gewijzigd."))

    class Meta:
        verbose_name = _("tredewijziging")
        verbose_name_plural = _("tredewijzigingen")
        ordering = ["-effective_date", "-changed_at", "-id"]
        indexes = [models.Index(fields=["client", "effective_date"], name="ladder_client_date")]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.previous_step or '-'} → {self.step}"


class MappingKind(models.TextChoices):
    UNIT = "unit", _("Unit")
    TRACK = "track", _("Spoor")


class LadderMapping(Validity):
    """Configurable mapping of ladder positions to unit (R-LAD-2) or track (R-LAD-3), with
    validity. Rows without organisation are the defaults; an organisation's own rows for a
    kind replace the defaults for that organisation."""

    organisation = organisation_or_default(_("Leeg = standaard voor alle organisaties."))
    kind = models.CharField(
        _("soort"), max_length=10, choices=MappingKind.choices, help_text=_("Unit of spoor.")
    )
    step = models.CharField(
        _("trede"), max_length=2, choices=LADDER_STEP_CHOICES, help_text=_("Trede.")
    )
    sub_status = models.CharField(
        _("substatus"),
        max_length=20,
        choices=SUB_STATUS_CHOICES,
        blank=True,
        help_text=_("Leeg = elke substatus."),
    )
    value = models.CharField(
        _("waarde"), max_length=20, help_text=_("Unitcode (care/work) of spoornummer (1-3).")
    )

    class Meta:
        verbose_name = _("tredekoppeling")
        verbose_name_plural = _("tredekoppelingen")
        ordering = ["kind", "step", "sub_status", "valid_from"]
        indexes = [models.Index(fields=["kind", "valid_from"], name="ladder_mapping_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.step}{self.sub_status and '/' + self.sub_status} → {self.value}"


class RotondeExitReference(Validity):
    """Participatierotonde exits as reference data (R-LAD-4)."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        choices=[(e.value, ROTONDE_LABELS_NL[e]) for e in RotondeExit],
        help_text=_("Vaste code van de afslag."),
    )
    order = models.PositiveSmallIntegerField(
        _("volgorde"), help_text=_("Volgorde waarin de afslag wordt gezocht.")
    )
    name = models.CharField(_("naam"), max_length=100, help_text=_("Naam van de afslag."))
    description = models.TextField(_("omschrijving"), blank=True, help_text=_("Toelichting."))

    class Meta:
        verbose_name = _("afslag participatierotonde")
        verbose_name_plural = _("afslagen participatierotonde")
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class CaseManagerProfile(models.Model):
    """The unit a case manager works in (R-SEC-1 scope: own unit plus own caseload)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="case_manager_profile",
        verbose_name=_("klantmanager"),
        help_text=_("De klantmanager."),
    )
    unit = models.CharField(
        _("unit"), max_length=10, choices=UNIT_CHOICES, help_text=_("Unit van de klantmanager.")
    )

    class Meta:
        verbose_name = _("klantmanagerprofiel")
        verbose_name_plural = _("klantmanagerprofielen")

    def __str__(self) -> str:
        return f"{self.user} ({self.unit})"


class ClientEventKind(models.TextChoices):
    CREATED = "created", _("Klant aangemaakt")
    UPDATED = "updated", _("Gegevens gewijzigd")
    LADDER = "ladder", _("Trede gewijzigd")
    HANDOVER = "handover", _("Overdracht klantmanager")
    AGREEMENT = "agreement", _("Afspraak")
    BUDGET = "budget", _("Maatwerkbudget")
    IMPORT = "import", _("Import")
    TRAJECTORY = "trajectory", _("Traject")
    MATCHING = "matching", _("Passend werk")
    ACCESS_REQUEST = "access_request", _("Inzageverzoek")
    OTHER = "other", _("Overig")


class ClientEvent(HistoryEvent):
    """The client's timeline: one row per thing that happened (any app may append one via
    `services.client_event_record`), newest first."""

    client = client_reference(_("De klant."), related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(
        _("soort"), max_length=20, help_text=_("Soort gebeurtenis (zie ClientEventKind).")
    )
    summary = models.CharField(
        _("samenvatting"), max_length=300, help_text=_("Korte omschrijving voor de tijdlijn.")
    )
    note = models.TextField(_("toelichting"), blank=True, help_text=_("Toelichting of reden."))
    data = models.JSONField(
        _("gegevens"), default=dict, blank=True, help_text=_("Gestructureerde details.")
    )
    source = models.CharField(
        _("bron"), max_length=40, default="clients", help_text=_("App die dit vastlegde.")
    )
    is_open = models.BooleanField(
        _("openstaand"),
        default=False,
        help_text=_("Een openstaande afspraak die de (nieuwe) klantmanager moet zien."),
    )

    class Meta(HistoryEvent.Meta):
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["client", "occurred_at"], name="client_event_ts"),
            models.Index(fields=["client", "is_open"], name="client_event_open"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.summary}"

    @property
    def kind_label(self) -> str:
        """Dutch label of the kind. Every kind is a ClientEventKind (`client_event_record`
        refuses others); a row from before that rule reads "Overig", never its code."""
        if self.kind in ClientEventKind.values:
            return str(ClientEventKind(self.kind).label)
        return str(ClientEventKind.OTHER.label)


class CustomBudgetConfig(OrganisationOwned, Validity):
    """Yearly custom budget per client (R-CLI-4, configurable per organisation and period)."""

    yearly_amount = models.DecimalField(
        _("bedrag per jaar"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("Maatwerkbudget per klant per kalenderjaar in euro."),
    )

    class Meta:
        verbose_name = _("maatwerkbudget-instelling")
        verbose_name_plural = _("maatwerkbudget-instellingen")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_from"], name="uniq_budget_config_from"
            )
        ]

    def __str__(self) -> str:
        return f"{format_euro(self.yearly_amount)} vanaf {format_date(self.valid_from)}"


class SpendingStatus(models.TextChoices):
    APPROVED = "approved", _("Goedgekeurd")
    PENDING = "pending", _("Wacht op tweede goedkeuring")
    REJECTED = "rejected", _("Afgewezen")


class BudgetSpending(OrganisationOwned):
    """One spending line of the custom budget (R-CLI-4)."""

    client = client_reference(
        _("De klant."), related_name="budget_spendings", on_delete=models.CASCADE
    )
    spent_on = models.DateField(_("datum"), help_text=_("Datum van de uitgave."))
    amount = models.DecimalField(
        _("bedrag"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("Bedrag in euro."),
    )
    purpose = models.CharField(_("doel"), max_length=200, help_text=_("Waarvoor het geld is."))
    status = status_field(
        SpendingStatus.APPROVED, _("Boven het budget is een tweede goedkeuring nodig.")
    )
    created_by = user_reference(
        _("vastgelegd door"), _("Wie de uitgave vastlegde."), related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    decided_by = optional_user(
        _("tweede beoordelaar"), _("Wie de overschrijding goedkeurde of afwees.")
    )
    decided_at = optional_datetime(_("beoordeeld op"))

    class Meta:
        verbose_name = _("uitgave maatwerkbudget")
        verbose_name_plural = _("uitgaven maatwerkbudget")
        ordering = ["-spent_on", "-id"]
        indexes = [models.Index(fields=["client", "spent_on"], name="budget_client_date")]

    def __str__(self) -> str:
        return f"{format_date(self.spent_on)}: {format_euro(self.amount)} ({self.purpose})"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("In de wachtrij")
    VALIDATING = "validating", _("Controleren")
    PREVIEW = "preview", _("Klaar om te bevestigen (nog niets opgeslagen)")
    IMPORTING = "importing", _("Importeren")
    DONE = "done", _("Klaar")
    REJECTED = "rejected", _("Afgekeurd (niets opgeslagen)")
    FAILED = "failed", _("Mislukt")
    UNDONE = "undone", _("Teruggedraaid")


class ImportJob(OrganisationOwned):
    """A client import from the benefit administration (R-SEC-6), with its progress."""

    created_by = optional_user(
        _("gestart door"),
        _("Wie de import startte (leeg = commandoregel)."),
        on_delete=models.SET_NULL,
    )
    file_name = models.CharField(_("bestandsnaam"), max_length=255, help_text=_("Naam."))
    file_path = models.CharField(
        _("pad"), max_length=500, help_text=_("Privé-opslag van het bestand.")
    )
    only_valid_rows = models.BooleanField(
        _("alleen geldige regels"),
        default=False,
        help_text=_("Bewuste keuze: geldige regels importeren en fouten rapporteren."),
    )
    status = status_field(ImportStatus.PENDING, _("Voortgang van de import."), max_length=12)
    total_rows = models.PositiveIntegerField(_("regels"), default=0, help_text=_("Aantal."))
    processed_rows = models.PositiveIntegerField(
        _("verwerkt"), default=0, help_text=_("Aantal verwerkte regels.")
    )
    created_count = models.PositiveIntegerField(_("nieuw"), default=0, help_text=_("Nieuw."))
    updated_count = models.PositiveIntegerField(
        _("gewijzigd"), default=0, help_text=_("Gewijzigd.")
    )
    unchanged_count = models.PositiveIntegerField(
        _("ongewijzigd"), default=0, help_text=_("Ongewijzigd.")
    )
    error_count = models.PositiveIntegerField(_("fouten"), default=0, help_text=_("Fouten."))
    errors = models.JSONField(
        _("fouten"),
        default=list,
        blank=True,
        help_text=_("Eerste fouten: regel, veld en melding."),
    )
    message = models.CharField(_("melding"), max_length=500, blank=True, help_text=_("Uitkomst."))
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    finished_at = optional_datetime(_("klaar op"))
    undone_at = optional_datetime(_("teruggedraaid op"), _("Wanneer de import is teruggedraaid."))
    undone_by = optional_user(
        _("teruggedraaid door"), _("Wie de import terugdraaide."), on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("klantimport")
        verbose_name_plural = _("klantimports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0 if self.status not in (ImportStatus.DONE,) else 100
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def finished(self) -> bool:
        """No background work is running (the page stops polling)."""
        return self.status in (
            ImportStatus.PREVIEW,
            ImportStatus.DONE,
            ImportStatus.REJECTED,
            ImportStatus.FAILED,
            ImportStatus.UNDONE,
        )


class ImportChangeKind(models.TextChoices):
    CREATE = "create", _("Nieuw")
    UPDATE = "update", _("Gewijzigd")


class ImportChange(OrganisationOwned):
    """One client an import creates or changes (R-SEC-6): the preview shows these before
    anything is written, the commit applies them, and undo restores `before` — but only when
    the client still holds `after` (nobody changed it since)."""

    job = models.ForeignKey(
        ImportJob,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("import"),
        help_text=_("De import waar deze wijziging bij hoort."),
    )
    line = models.PositiveIntegerField(_("regel"), help_text=_("Regel in het bestand."))
    kind = models.CharField(
        _("soort"),
        max_length=6,
        choices=ImportChangeKind.choices,
        help_text=_("Nieuw of gewijzigd."),
    )
    client_number = models.CharField(_("klantnummer"), max_length=30, help_text=_("Sleutel."))
    client = models.ForeignKey(
        Client,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("klant"),
        help_text=_("De klant (na bevestigen ook bij een nieuwe klant)."),
    )
    before = models.JSONField(
        _("vóór"), default=dict, blank=True, help_text=_("Oude waarden van de gewijzigde velden.")
    )
    after = models.JSONField(
        _("na"), default=dict, blank=True, help_text=_("Nieuwe waarden uit het bestand.")
    )

    class Meta:
        verbose_name = _("importwijziging")
        verbose_name_plural = _("importwijzigingen")
        ordering = ["job", "id"]
        indexes = [models.Index(fields=["job", "id"], name="importchange_job_idx")]

    def __str__(self) -> str:
        return f"{self.client_number} ({self.kind})"


class IncomeCoachAssignment(OrganisationOwned):
    """An income coach assigned to a client (R-SEC-1: income coaches see only the clients
    assigned to them, while the assignment runs). Made and ended by the client's case manager
    or a team lead (`services.income_coach_assign` / `income_coach_assignment_end`); the rows
    are never deleted, so the history of who could read the dossier when stays."""

    client = client_reference(
        _("De klant."), related_name="income_coach_assignments", on_delete=models.CASCADE
    )
    coach = user_reference(
        _("inkomenscoach"),
        _("De toegewezen inkomenscoach."),
        related_name="income_coach_assignments",
    )
    valid_from = models.DateField(
        _("vanaf"), help_text=_("Eerste dag waarop de inkomenscoach het dossier mag inzien.")
    )
    valid_until = optional_date(
        _("tot en met"), _("Laatste dag (leeg = tot de toewijzing wordt beëindigd).")
    )
    reason = models.CharField(
        _("reden"), max_length=300, help_text=_("Waarom de inkomenscoach is toegewezen.")
    )
    assigned_by = user_reference(
        _("toegewezen door"), _("De klantmanager of teamleider die toewees."), related_name="+"
    )
    assigned_at = models.DateTimeField(_("toegewezen op"), help_text=_("Tijdstip."))
    ended_by = optional_user(_("beëindigd door"), _("Wie de toewijzing beëindigde."))
    ended_at = optional_datetime(_("beëindigd op"))

    class Meta:
        verbose_name = _("toewijzing inkomenscoach")
        verbose_name_plural = _("toewijzingen inkomenscoach")
        ordering = ["-valid_from", "-id"]
        indexes = [
            # The coach's scope: "my clients today" is a range scan on this index.
            models.Index(
                fields=["organisation", "coach", "valid_from", "valid_until"],
                name="ic_assign_coach",
            ),
            models.Index(fields=["client", "valid_from"], name="ic_assign_client"),
        ]
        constraints = [
            # A running assignment ends on or after its start; only an ended (withdrawn)
            # one may end before it started (it then never ran).
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(ended_at__isnull=False)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="ic_assign_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coach} → {self.client_id} vanaf {self.valid_from}"

    def runs_on(self, day: object) -> bool:
        return bool(
            self.valid_from <= day  # type: ignore[operator]
            and (self.valid_until is None or day <= self.valid_until)  # type: ignore[operator]
        )
