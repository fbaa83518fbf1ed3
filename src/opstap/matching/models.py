"""Tables of matching (R-MAT, spec section 11; issue 15): reference data (ISCO-08
occupations, PC4 centroids), employers with locations and contacts, vacancies, the client's
work profile, the organisation's weights, proposals (match → proposal → introduction) and
placements. Every state change goes through `services`."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.clients.models import Client, client_reference
from opstap.core.contract_types import ContractType
from opstap.core.model_fields import optional_date, optional_datetime, optional_user
from opstap.organisations.models import OrganisationOwned, StateEvent
from opstap.providers.models import Provider
from opstap.trajectories.models import DurabilityCheck, Trajectory

from .scoring import EDUCATION_NAMES_NL, WORK_DEMAND_NAMES_NL, Education, VacancyExit, WorkDemand
from .workflow import PROPOSAL_STATE_NL, VACANCY_STATE_NL, ProposalState, VacancyState

__all__ = [
    "EDUCATION_CHOICES",
    "ContractType",
    "Employer",
    "EmployerContact",
    "EmployerLocation",
    "MatchWeights",
    "Occupation",
    "Pc4Centroid",
    "Placement",
    "PlacementVia",
    "Proposal",
    "ProposalEvent",
    "Vacancy",
    "VacancyEvent",
    "WorkProfile",
]

EDUCATION_CHOICES = [(e.value, EDUCATION_NAMES_NL[e]) for e in Education]
DEMAND_CHOICES = [(d.value, WORK_DEMAND_NAMES_NL[d]) for d in WorkDemand]
EXIT_CHOICES = [
    (VacancyExit.REGULAR.value, "Regulier werk"),
    (VacancyExit.GARANTIEBAAN.value, "Garantiebaan (doelgroepregister)"),
    (VacancyExit.BESCHUT.value, "Beschut werk"),
]


class PlacementVia(models.TextChoices):
    WSP = "wsp", _("Werkgeversservicepunt")
    PROVIDER = "provider", _("Aanbieder (traject)")


# --- Reference data --------------------------------------------------------------------------


class Occupation(models.Model):
    """An occupation of ISCO-08 (unit group, 4 digits), national reference data loaded with
    `manage.py matching_load_reference`."""

    code = models.CharField(
        _("ISCO-08-code"), max_length=4, unique=True, help_text=_("Beroepsklasse (4 cijfers).")
    )
    title = models.CharField(_("beroep"), max_length=200, help_text=_("Nederlandse naam."))

    class Meta:
        verbose_name = _("beroep (ISCO-08)")
        verbose_name_plural = _("beroepen (ISCO-08)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Pc4Centroid(models.Model):
    """The centre of a four-digit postcode area (PC4), reference data for distances."""

    pc4 = models.CharField(_("postcode (PC4)"), max_length=4, unique=True, help_text=_("1234."))
    place = models.CharField(_("plaats"), max_length=100, help_text=_("Woonplaats."))
    municipality = models.CharField(_("gemeente"), max_length=100, help_text=_("Gemeente."))
    latitude = models.FloatField(_("breedtegraad"), help_text=_("WGS84."))
    longitude = models.FloatField(_("lengtegraad"), help_text=_("WGS84."))

    class Meta:
        verbose_name = _("postcodegebied (PC4)")
        verbose_name_plural = _("postcodegebieden (PC4)")
        ordering = ["pc4"]

    def __str__(self) -> str:
        return f"{self.pc4} {self.place}"


# --- Employers -------------------------------------------------------------------------------


class Employer(OrganisationOwned):
    kvk_number = models.CharField(
        _("KvK-nummer"), max_length=8, help_text=_("8 cijfers (Handelsregister).")
    )
    name = models.CharField(_("naam"), max_length=200, help_text=_("Handelsnaam."))
    offers_garantiebanen = models.BooleanField(
        _("biedt garantiebanen"), default=False, help_text=_("Banenafspraak.")
    )
    offers_beschut_werk = models.BooleanField(
        _("biedt beschut werk"), default=False, help_text=_("Plekken voor beschut werk.")
    )
    account_manager = optional_user(
        _("werkgeversadviseur"), _("Accountmanager van het WSP."), on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("werkgever")
        verbose_name_plural = _("werkgevers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kvk_number"], name="matching_employer_kvk_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EmployerLocation(OrganisationOwned):
    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="locations",
        verbose_name=_("werkgever"),
        help_text=_("De werkgever."),
    )
    name = models.CharField(_("naam"), max_length=200, help_text=_("Bijv. 'Magazijn Duiven'."))
    vestigingsnummer = models.CharField(
        _("vestigingsnummer"), max_length=12, blank=True, help_text=_("12 cijfers (KvK).")
    )
    street_address = models.CharField(_("adres"), max_length=200, blank=True, help_text=_("."))
    postcode = models.CharField(_("postcode"), max_length=7, help_text=_("1234 AB."))
    city = models.CharField(_("plaats"), max_length=100, help_text=_("Plaats."))

    class Meta:
        verbose_name = _("vestiging")
        verbose_name_plural = _("vestigingen")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"


class EmployerContact(OrganisationOwned):
    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("werkgever"),
        help_text=_("De werkgever."),
    )
    name = models.CharField(_("naam"), max_length=200, help_text=_("Naam."))
    function = models.CharField(_("functie"), max_length=100, blank=True, help_text=_("Functie."))
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Zakelijk e-mailadres."))
    phone = models.CharField(_("telefoon"), max_length=20, blank=True, help_text=_("Telefoon."))

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- Vacancies -------------------------------------------------------------------------------


class Vacancy(OrganisationOwned):
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        related_name="vacancies",
        verbose_name=_("werkgever"),
        help_text=_("De werkgever."),
    )
    location = models.ForeignKey(
        EmployerLocation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vestiging"),
        help_text=_("Waar het werk is."),
    )
    title = models.CharField(_("functie"), max_length=200, help_text=_("Titel van de vacature."))
    occupation = models.ForeignKey(
        Occupation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beroep (ISCO-08)"),
        help_text=_("Beroep volgens ISCO-08."),
    )
    description = models.TextField(_("omschrijving"), blank=True, help_text=_("Het werk."))
    required_skills = models.JSONField(
        _("vereiste vaardigheden"), default=list, blank=True, help_text=_("Lijst.")
    )
    desired_skills = models.JSONField(
        _("gewenste vaardigheden"), default=list, blank=True, help_text=_("Lijst.")
    )
    education = models.CharField(
        _("opleidingsniveau"),
        max_length=10,
        choices=EDUCATION_CHOICES,
        default=Education.NONE.value,
        help_text=_("Minimaal gevraagd niveau."),
    )
    hours_min = models.PositiveSmallIntegerField(
        _("uren per week (minimaal)"),
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Ondergrens."),
    )
    hours_max = models.PositiveSmallIntegerField(
        _("uren per week (maximaal)"),
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Bovengrens."),
    )
    postcode = models.CharField(_("postcode werkplek"), max_length=7, help_text=_("1234 AB."))
    pc4 = models.CharField(_("PC4"), max_length=4, help_text=_("Uit de postcode."))
    contract_type = models.CharField(
        _("soort contract"),
        max_length=10,
        choices=ContractType.choices,
        default=ContractType.FIXED,
        help_text=_("Soort dienstverband."),
    )
    contract_months = models.PositiveSmallIntegerField(
        _("contractduur (maanden)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text=_("Leeg = onbepaalde tijd."),
    )
    start_date = optional_date(_("startdatum"), _("Per."))
    exit = models.CharField(
        _("soort plek"),
        max_length=15,
        choices=EXIT_CHOICES,
        default=VacancyExit.REGULAR.value,
        # R-LAD-4
        help_text=_("Afslag van de participatierotonde."),
    )
    offers_lks = models.BooleanField(
        _("loonkostensubsidie mogelijk"), default=False, help_text=_("Werkgever werkt met LKS.")
    )
    requires_driving_licence = models.BooleanField(
        _("rijbewijs vereist"), default=False, help_text=_("Rijbewijs B nodig.")
    )
    demands = models.JSONField(
        _("werkbelasting"), default=list, blank=True, help_text=_("Codes van WorkDemand.")
    )
    state = models.CharField(
        _("status"),
        max_length=10,
        choices=[(s.value, VACANCY_STATE_NL[s]) for s in VacancyState],
        default=VacancyState.OPEN.value,
        help_text=_("open → vervuld / ingetrokken."),
    )
    source = models.CharField(
        _("bron"), max_length=10, default="page", help_text=_("page, api of import.")
    )
    created_by = optional_user(
        _("aangemaakt door"), _("Wie de vacature invoerde."), on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("aangemaakt op"), help_text=_("Tijdstip."))
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("vacature")
        verbose_name_plural = _("vacatures")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "state", "-created_at"], name="vacancy_state"),
            models.Index(fields=["organisation", "employer"], name="vacancy_employer"),
            # Matching: the open vacancies in an occupation (`matching.ranking` slices).
            models.Index(
                fields=["organisation", "state", "occupation"], name="vacancy_state_occupation"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_max__gte=models.F("hours_min")),
                name="vacancy_hours_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer})"

    @property
    def is_open(self) -> bool:
        return self.state == VacancyState.OPEN.value

    @property
    def state_label(self) -> str:
        return VACANCY_STATE_NL[VacancyState(self.state)]


class VacancyEvent(StateEvent):
    vacancy = models.ForeignKey(
        Vacancy,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("vacature"),
        help_text=_("De vacature."),
    )
    reason = models.CharField(_("reden"), max_length=300, blank=True, help_text=_("Waarom."))

    LABELS_NL = {
        "create": "Vacature aangemaakt",
        "update": "Vacature gewijzigd",
        "fill": "Vervuld",
        "withdraw": "Ingetrokken",
        "reopen": "Heropend",
    }

    @property
    def label(self) -> str:
        return self.LABELS_NL.get(self.action, "Gewijzigd")

    class Meta(StateEvent.Meta):
        verbose_name = _("vacaturegebeurtenis")
        verbose_name_plural = _("vacaturegebeurtenissen")


# --- The client's work profile ---------------------------------------------------------------


class WorkProfile(OrganisationOwned):
    """What a client wants and can do (R-MAT), kept by the case manager and optionally
    confirmed by the resident. LDR, NBW, LKS and the hour restriction are read from the
    client record, never typed here."""

    client = models.OneToOneField(
        Client,
        on_delete=models.CASCADE,
        related_name="work_profile",
        verbose_name=_("klant"),
        help_text=_("De klant."),
    )
    desired_occupations = models.ManyToManyField(
        Occupation,
        related_name="+",
        blank=True,
        verbose_name=_("gewenste beroepen"),
        help_text=_("Wat de klant graag wil doen."),
    )
    possible_occupations = models.ManyToManyField(
        Occupation,
        related_name="+",
        blank=True,
        verbose_name=_("mogelijke beroepen"),
        help_text=_("Wat de klant ook kan doen."),
    )
    skills = models.JSONField(_("vaardigheden"), default=list, blank=True, help_text=_("Lijst."))
    education = models.CharField(
        _("opleidingsniveau"),
        max_length=10,
        choices=EDUCATION_CHOICES,
        blank=True,
        help_text=_("Hoogst afgeronde opleiding."),
    )
    hours_available = models.PositiveSmallIntegerField(
        _("beschikbare uren per week"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(60)],
        help_text=_("De urenbeperking uit het dossier geldt daarbovenop."),
    )
    max_distance_km = models.PositiveSmallIntegerField(
        _("maximale reisafstand (km)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Hemelsbreed."),
    )
    max_travel_minutes = models.PositiveSmallIntegerField(
        _("maximale reistijd (minuten)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Enkele reis."),
    )
    driving_licence = models.BooleanField(_("rijbewijs"), default=False, help_text=_("B."))
    own_transport = models.BooleanField(
        _("eigen vervoer"), default=False, help_text=_("Auto, scooter of fiets.")
    )
    restrictions = models.JSONField(
        _("beperkingen in werk"),
        default=list,
        blank=True,
        help_text=_("Categorieën (geen medische gegevens)."),
    )
    shared_with_wsp = models.BooleanField(
        _("gedeeld met het WSP"),
        default=False,
        help_text=_("De werkgeversadviseur mag deze klant als kandidaat zien."),
    )
    confirmed_at = optional_datetime(_("bevestigd door de inwoner op"), _("Via Mijn Opstap."))
    updated_by = optional_user(_("gewijzigd door"), _("Wie."), on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(_("gewijzigd op"), help_text=_("Tijdstip."))

    class Meta:
        verbose_name = _("werkprofiel")
        verbose_name_plural = _("werkprofielen")
        indexes = [
            models.Index(fields=["organisation", "shared_with_wsp"], name="work_profile_wsp"),
        ]

    def __str__(self) -> str:
        return f"Werkprofiel {self.client_id}"

    @property
    def occupations_text(self) -> str:
        """Desired and possible occupations in words (for the right-of-access export)."""
        desired = ", ".join(o.title for o in self.desired_occupations.all())
        possible = ", ".join(o.title for o in self.possible_occupations.all())
        return f"gewenst: {desired or '—'}; mogelijk: {possible or '—'}"


class MatchWeights(OrganisationOwned):
    """The weight of every criterion for one organisation (R-MAT); changed only through
    `services.match_weights_update` (audited)."""

    weights = models.JSONField(_("gewichten"), default=dict, help_text=_("Criterium → 0..100."))
    updated_by = optional_user(_("gewijzigd door"), _("Wie."), on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(_("gewijzigd op"), help_text=_("Tijdstip."))

    class Meta:
        verbose_name = _("gewichten matching")
        verbose_name_plural = _("gewichten matching")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="match_weights_one_per_org")
        ]


# --- Proposal → introduction → placement -----------------------------------------------------


class Proposal(OrganisationOwned):
    vacancy = models.ForeignKey(
        Vacancy,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("vacature"),
        help_text=_("De vacature."),
    )
    client = client_reference(
        _("De voorgedragen klant."), related_name="proposals", on_delete=models.CASCADE
    )
    state = models.CharField(
        _("status"),
        max_length=25,
        choices=[(s.value, PROPOSAL_STATE_NL[s]) for s in ProposalState],
        default=ProposalState.PROPOSED.value,
        help_text=_("Voordracht → kennismaking → plaatsing."),
    )
    score = models.PositiveSmallIntegerField(
        _("matchscore (%)"), help_text=_("Score bij het voordragen.")
    )
    explanation = models.JSONField(
        _("uitleg"), default=list, blank=True, help_text=_("De criteria bij het voordragen.")
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True, help_text=_("Waarom."))
    proposed_by = optional_user(_("voorgedragen door"), _("Wie."), on_delete=models.SET_NULL)
    proposed_at = models.DateTimeField(_("voorgedragen op"), help_text=_("Tijdstip."))
    introduction_on = optional_date(_("kennismaking op"), _("Datum van de kennismaking."))
    introduction_outcome = models.CharField(
        _("uitkomst kennismaking"), max_length=300, blank=True, help_text=_("Kort.")
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), help_text=_("Tijdstip."))

    class Meta:
        verbose_name = _("voordracht")
        verbose_name_plural = _("voordrachten")
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["client", "state"], name="proposal_client"),
            models.Index(fields=["vacancy", "state"], name="proposal_vacancy"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "client"],
                condition=~models.Q(state__in=["withdrawn", "not_suitable"]),
                name="proposal_one_active_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"Voordracht {self.pk}"

    @property
    def state_label(self) -> str:
        return PROPOSAL_STATE_NL[ProposalState(self.state)]


class ProposalEvent(StateEvent):
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("voordracht"),
        help_text=_("De voordracht."),
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True, help_text=_("Kort."))

    class Meta(StateEvent.Meta):
        verbose_name = _("gebeurtenis voordracht")
        verbose_name_plural = _("gebeurtenissen voordracht")


class Placement(OrganisationOwned, DurabilityCheck):
    """A placement from a proposal (R-MAT → R-TRJ-7). Via a provider it is also recorded as
    the outcome of the client's trajectory at that provider (durability check, placement fee,
    KPIs); via the WSP it is counted by the KPIs from here and gets its own durability check
    6 months after the start (R-TRJ-7, R-KPI-4; `services.placements_check_durability`): the
    same fields as a trajectory's outcome (`DurabilityCheck`); via a provider they stay empty
    here and the outcome is checked."""

    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.PROTECT,
        related_name="placement",
        verbose_name=_("voordracht"),
        help_text=_("De voordracht."),
    )
    client = client_reference(
        _("De klant."), related_name="matching_placements", on_delete=models.CASCADE
    )
    vacancy = models.ForeignKey(
        Vacancy,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("vacature"),
        help_text=_("De vacature."),
    )
    start_date = models.DateField(_("startdatum"), help_text=_("Eerste werkdag."))
    hours_per_week = models.PositiveSmallIntegerField(
        _("uren per week"), validators=[MaxValueValidator(60)], help_text=_("Contracturen.")
    )
    contract_type = models.CharField(
        _("soort contract"), max_length=10, choices=ContractType.choices, help_text=_("Soort.")
    )
    contract_months = models.PositiveSmallIntegerField(
        _("contractduur (maanden)"), null=True, blank=True, help_text=_("Leeg = onbepaald.")
    )
    lks = models.BooleanField(_("loonkostensubsidie"), default=False, help_text=_("LKS ja/nee."))
    garantiebaan = models.BooleanField(_("garantiebaan"), default=False, help_text=_("Ja/nee."))
    beschut_werk = models.BooleanField(_("beschut werk"), default=False, help_text=_("Ja/nee."))
    via = models.CharField(
        _("via"), max_length=10, choices=PlacementVia.choices, help_text=_("WSP of aanbieder.")
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aanbieder"),
        help_text=_("Bij plaatsing via een aanbieder."),
    )
    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traject"),
        help_text=_("Het traject waarvan dit het resultaat is."),
    )
    recorded_by = optional_user(_("vastgelegd door"), _("Wie."), on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(_("vastgelegd op"), help_text=_("Tijdstip."))

    class Meta:
        verbose_name = _("plaatsing")
        verbose_name_plural = _("plaatsingen")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "via", "start_date"], name="placement_kpi"),
            models.Index(fields=["durability_check_on"], name="placement_durability_check"),
        ]

    def __str__(self) -> str:
        return f"Plaatsing {self.pk}"

    @property
    def durability_open(self) -> bool:
        """A placement via the WSP whose durability is not decided yet (R-TRJ-7): the case
        manager may record the last working day or, after 6 months, that it lasted."""
        return self.via == PlacementVia.WSP.value and not self.durability
