"""Providers (aanbieders, LEON network): providers and staff, evidence, contracts, products,
prices, the rate ceiling, indexations, signals, evaluations and change proposals (spec
section 3, R-NET-1..9), plus the reference data (tiles, product codes, promoted modules)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.organisations.models import Organisation, OrganisationOwned


class ProviderStatus(models.TextChoices):
    ACTIVE = "active", _("actief")
    SUSPENDED = "suspended", _("geschorst")
    ENDED = "ended", _("beëindigd")


class Provider(OrganisationOwned):
    name = models.CharField(_("naam"), max_length=200, help_text=_("Naam van de aanbieder."))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProviderStatus.choices,
        default=ProviderStatus.ACTIVE,
        help_text=_("Actief, geschorst of beëindigd."),
    )
    contract_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_providers",
        verbose_name=_("contractmanager"),
        help_text=_("De vaste contractmanager van deze LEON-partner."),
    )
    kvk_number = models.CharField(
        _("KvK-nummer"), max_length=8, blank=True, help_text=_("Inschrijving Kamer van Koophandel.")
    )
    city = models.CharField(
        _("vestigingsplaats"), max_length=100, blank=True, help_text=_("Plaats van vestiging.")
    )
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Algemeen e-mailadres."))
    phone = models.CharField(_("telefoon"), max_length=30, blank=True, help_text=_("Telefoon."))
    website = models.URLField(_("website"), blank=True, help_text=_("Website van de aanbieder."))
    is_roc = models.BooleanField(
        _("ROC"),
        default=False,
        help_text=_("Een ROC is vrijgesteld van de referentie-eis (R-NET-2)."),
    )
    joined_on = models.DateField(
        _("toegetreden op"),
        null=True,
        blank=True,
        help_text=_("Datum van toetreding tot het netwerk (LEON)."),
    )
    last_activity_on = models.DateField(
        _("laatste activiteit"),
        null=True,
        blank=True,
        help_text=_("Laatste dag met activiteit voor een kandidaat (R-NET-8)."),
    )
    inactivity_flagged_on = models.DateField(
        _("inactief gesignaleerd op"),
        null=True,
        blank=True,
        help_text=_("Wanneer het systeem 12 maanden inactiviteit signaleerde."),
    )
    ended_on = models.DateField(
        _("deelname beëindigd op"), null=True, blank=True, help_text=_("Einde van de deelname.")
    )
    end_reason = models.TextField(
        _("reden beëindiging"), blank=True, help_text=_("Waarom de deelname eindigde.")
    )

    class Meta:
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="uniq_provider_name_per_org"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="provider_org_status_idx"),
            models.Index(fields=["contract_manager"], name="provider_cm_idx"),
            models.Index(fields=["last_activity_on"], name="provider_activity_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class ProviderMembership(models.Model):
    """Links a provider-staff user to exactly one provider (R-SEC-1 scope)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="provider_membership",
        verbose_name=_("gebruiker"),
        help_text=_("Medewerker van de aanbieder."),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("aanbieder"),
        help_text=_("De aanbieder waarvoor deze gebruiker werkt."),
    )

    class Meta:
        verbose_name = _("medewerker aanbieder")
        verbose_name_plural = _("medewerkers aanbieders")

    def __str__(self) -> str:
        return f"{self.user} @ {self.provider}"


# --- Reference data (R-NET-1, R-BILL-1): rows with validity, editable in the admin ----------


class Validity(models.Model):
    valid_from = models.DateField(
        _("geldig vanaf"), help_text=_("Eerste dag waarop dit gegeven geldt.")
    )
    valid_until = models.DateField(
        _("geldig tot en met"),
        null=True,
        blank=True,
        help_text=_("Laatste dag waarop dit gegeven geldt; leeg = onbeperkt."),
    )

    class Meta:
        abstract = True


class TileKind(models.TextChoices):
    WORK = "work", _("werklandschap (EVA)")
    EMPLOYER = "employer", _("werkgeversinstrument (Dennis)")


class Tile(Validity):
    """A tile of VNG's work landscape (EW02-EW09) or an employer instrument (DW01-DW10)."""

    code = models.CharField(
        _("code"), max_length=4, unique=True, help_text=_("EVA/Dennis-code, bijv. EW02 of DW05.")
    )
    kind = models.CharField(
        _("soort"),
        max_length=10,
        choices=TileKind.choices,
        help_text=_("Werklandschap (kandidaat) of werkgeversinstrument."),
    )
    number = models.PositiveSmallIntegerField(
        _("volgorde"), help_text=_("Volgorde in de UI (tegel 1..8 volgens de bronnen).")
    )
    name = models.CharField(_("naam"), max_length=100, help_text=_("Naam van de tegel."))
    purchasable = models.BooleanField(
        _("inkoopbaar"), default=True, help_text=_("EW01 Melding is niet inkoopbaar.")
    )

    class Meta:
        verbose_name = _("tegel")
        verbose_name_plural = _("tegels")
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="uniq_tile_kind_number"),
        ]

    def __str__(self) -> str:
        if self.kind == TileKind.WORK:
            return f"{self.number}. {self.name}"
        return f"{self.code} {self.name}"


class PriceType(models.TextChoices):
    FIXED = "fixed", _("vaste prijs")
    VARIABLE = "variable", _("variabele prijs (offerte)")
    HOURLY = "hourly", _("uurtarief")


class OrderingMode(models.TextChoices):
    DIRECT = "direct", _("direct bestellen")
    QUOTE = "quote", _("eerst offerte")


class ProductCode(Validity):
    """Payment regime 1-5 (spec section 5, R-BILL-1)."""

    code = models.PositiveSmallIntegerField(
        _("productcode"), unique=True, help_text=_("Code 1 tot en met 5.")
    )
    name = models.CharField(_("naam"), max_length=100, help_text=_("Korte omschrijving."))
    duration_class = models.CharField(
        _("duur"), max_length=100, help_text=_("Bijv. 'korter dan 3 maanden'.")
    )
    price_type = models.CharField(
        _("prijssoort"), max_length=10, choices=PriceType.choices, help_text=_("Vast/variabel/uur.")
    )
    ordering_mode = models.CharField(
        _("bestellen"),
        max_length=10,
        choices=OrderingMode.choices,
        help_text=_("Direct bestellen of eerst een offerte."),
    )
    reporting = models.CharField(
        _("rapportage"), max_length=200, help_text=_("Wanneer de aanbieder rapporteert.")
    )
    invoicing = models.CharField(
        _("facturatie"), max_length=200, help_text=_("Wanneer de aanbieder factureert.")
    )

    class Meta:
        verbose_name = _("productcode")
        verbose_name_plural = _("productcodes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class PromotedModule(Validity):
    """A module the organisation itself promotes (R-NET-4); organisation empty = all."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisatie"),
        help_text=_("Leeg: geldt voor alle organisaties."),
    )
    name = models.CharField(_("naam"), max_length=100, help_text=_("Naam van de module."))
    description = models.TextField(_("omschrijving"), blank=True, help_text=_("Toelichting."))
    tiles = models.ManyToManyField(
        Tile, related_name="promoted_modules", verbose_name=_("tegels"), help_text=_("Tegels.")
    )

    class Meta:
        verbose_name = _("gepromote module")
        verbose_name_plural = _("gepromote modules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RateCeiling(Validity):
    """Maximum hourly rate for jobfinding and jobcoaching (R-NET-7). Rows without an
    organisation are the regional default; an organisation's indexation adds its own rows."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisatie"),
        help_text=_("Leeg: regionale standaard."),
    )
    amount = models.DecimalField(
        _("maximum uurtarief"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Euro per uur, exclusief btw."),
    )
    indexation = models.ForeignKey(
        "CpiIndexation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ceilings",
        verbose_name=_("indexatie"),
        help_text=_("De indexatie die dit plafond opleverde."),
    )

    class Meta:
        verbose_name = _("maximum uurtarief")
        verbose_name_plural = _("maximum uurtarieven")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_from"], name="uniq_ceiling_org_from"
            ),
        ]

    def __str__(self) -> str:
        return f"EUR {self.amount} vanaf {self.valid_from:%d-%m-%Y}"


class NetworkSettings(OrganisationOwned):
    """Configurable numbers of the provider network per organisation."""

    evidence_warning_days = models.PositiveSmallIntegerField(
        _("signaaltermijn bewijsstukken (dagen)"),
        default=60,
        help_text=_("Zoveel dagen voor het verlopen verschijnt een bewijsstuk (R-NET-2)."),
    )
    extension_notice_days = models.PositiveSmallIntegerField(
        _("signaaltermijn verlenging (dagen)"),
        default=60,
        help_text=_("Zoveel dagen voor de beslisdatum verschijnt een verlenging (R-NET-3)."),
    )
    inactivity_months = models.PositiveSmallIntegerField(
        _("inactiviteit (maanden)"),
        default=12,
        help_text=_("Zonder activiteit zo lang vervalt de deelname (R-NET-8)."),
    )
    signal_threshold = models.PositiveSmallIntegerField(
        _("drempel signalen"),
        default=3,
        help_text=_("Zoveel signalen binnen de periode openen een evaluatie (R-NET-9)."),
    )
    signal_window_months = models.PositiveSmallIntegerField(
        _("periode signalen (maanden)"),
        default=12,
        help_text=_("Periode waarover signalen worden geteld (R-NET-9)."),
    )
    public_guide_enabled = models.BooleanField(
        _("openbare instrumentengids"),
        default=False,
        help_text=_("Toon de gids zonder prijzen aan inwoners en werkgevers (R-NET-5)."),
    )

    class Meta:
        verbose_name = _("instellingen netwerk")
        verbose_name_plural = _("instellingen netwerk")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="uniq_network_settings_org"),
        ]

    def __str__(self) -> str:
        return f"Instellingen netwerk ({self.organisation_id})"


# --- Evidence (R-NET-2) ---------------------------------------------------------------------


class EvidenceKind(models.TextChoices):
    CERTIFICATE = "certificate", _("certificering beroepsgroep")
    REFERENCE = "reference", _("referentie")
    COMPLAINTS = "complaints", _("klachtenregeling")
    INSURANCE = "insurance", _("beroeps- en aansprakelijkheidsverzekering")
    UEA = "uea", _("ondertekend UEA")
    VOG = "vog", _("VOG medewerker")


class CertificateKind(models.TextChoices):
    JOBCOACH = "jobcoach", _("jobcoach: NOLOC/NVS")
    MEDICAL = "medical", _("medisch adviseur: BIG/NIP")
    TRAINING = "training", _("opleider: Erkend Leerbedrijf")


class Evidence(OrganisationOwned, Validity):
    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("aanbieder"),
        help_text=_("De aanbieder die dit bewijs levert."),
    )
    kind = models.CharField(
        _("soort"), max_length=20, choices=EvidenceKind.choices, help_text=_("Soort bewijsstuk.")
    )
    certificate_kind = models.CharField(
        _("beroepsgroep"),
        max_length=20,
        choices=CertificateKind.choices,
        blank=True,
        help_text=_("Alleen bij certificering: voor welke beroepsgroep."),
    )
    staff_name = models.CharField(
        _("medewerker"),
        max_length=200,
        blank=True,
        help_text=_("Alleen bij een VOG: de medewerker waarvoor deze geldt."),
    )
    description = models.CharField(
        _("omschrijving"), max_length=300, blank=True, help_text=_("Bijv. nummer of referent.")
    )
    document = models.FileField(
        _("document"),
        upload_to="providers/evidence/%Y/",
        blank=True,
        help_text=_("Privé opgeslagen; alleen via een gecontroleerde pagina te downloaden."),
    )
    registered_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)

    # Set by pages that show the state on a date (rules.network.evidence_state); not stored.
    state: str = ""

    class Meta:
        verbose_name = _("bewijsstuk")
        verbose_name_plural = _("bewijsstukken")
        ordering = ["provider", "kind", "-valid_from"]
        indexes = [
            models.Index(fields=["organisation", "valid_until"], name="evidence_org_until_idx"),
            models.Index(fields=["provider", "kind"], name="evidence_provider_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.provider_id}"


# --- Contracts (R-NET-3) --------------------------------------------------------------------


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("lopend")
    ENDED = "ended", _("beëindigd")


class Contract(OrganisationOwned):
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("aanbieder"),
        help_text=_("De aanbieder met wie de raamovereenkomst is gesloten."),
    )
    reference = models.CharField(
        _("kenmerk"), max_length=50, help_text=_("Kenmerk van de raamovereenkomst.")
    )
    start_date = models.DateField(_("ingangsdatum"), help_text=_("Begin van de eerste termijn."))
    terms_granted = models.PositiveSmallIntegerField(
        _("termijnen"),
        default=1,
        help_text=_("Aantal termijnen van een jaar inclusief het eerste (1+1+1+1, max. 4)."),
    )
    end_date = models.DateField(
        _("einddatum"), help_text=_("Laatste dag van de huidige termijn (berekend).")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ContractStatus.choices,
        default=ContractStatus.ACTIVE,
        help_text=_("Lopend of beëindigd; beëindigde contracten blijven bewaard."),
    )
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True, help_text=_("Einde."))
    end_reason = models.TextField(_("reden einde"), blank=True, help_text=_("Waarom het eindigde."))

    # Set by the 'extension due' selector (rules.contracts); not stored.
    decision_due: dt.date | None = None

    class Meta:
        verbose_name = _("raamovereenkomst")
        verbose_name_plural = _("raamovereenkomsten")
        ordering = ["provider", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="uniq_contract_reference"
            ),
            models.CheckConstraint(
                condition=models.Q(terms_granted__gte=1, terms_granted__lte=4),
                name="contract_terms_1_to_4",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "end_date"], name="contract_due_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class ContractExtension(models.Model):
    """One recorded extension decision, with both parties' consent (R-NET-3)."""

    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("contract"),
        help_text=_("Het verlengde contract."),
    )
    term_number = models.PositiveSmallIntegerField(
        _("termijn"), help_text=_("Het nummer van de nieuwe termijn (2, 3 of 4).")
    )
    new_end_date = models.DateField(_("nieuwe einddatum"), help_text=_("Einde nieuwe termijn."))
    decided_on = models.DateField(_("besloten op"), help_text=_("Datum van het besluit."))
    provider_consent = models.BooleanField(
        _("instemming aanbieder"), help_text=_("De aanbieder stemt in.")
    )
    organisation_consent = models.BooleanField(
        _("instemming organisatie"), help_text=_("De organisatie stemt in.")
    )
    note = models.TextField(_("toelichting"), blank=True, help_text=_("Schriftelijke vastlegging."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
        help_text=_("Contractmanager die het besluit vastlegde."),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("contractverlenging")
        verbose_name_plural = _("contractverlengingen")
        ordering = ["contract", "term_number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "term_number"], name="uniq_extension_term"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id}: termijn {self.term_number}"


# --- Products and prices (R-NET-4, R-NET-6, R-NET-7) ---------------------------------------


class ServiceKind(models.TextChoices):
    GENERAL = "general", _("overig")
    JOBCOACHING = "jobcoaching", _("jobcoaching")
    JOBFINDING = "jobfinding", _("jobfinding")


class ProductStatus(models.TextChoices):
    ACTIVE = "active", _("actief")
    ENDED = "ended", _("beëindigd")


class Product(OrganisationOwned):
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("aanbieder"),
        help_text=_("De aanbieder die het product levert."),
    )
    name = models.CharField(_("naam"), max_length=200, help_text=_("Naam van het product."))
    description = models.TextField(_("omschrijving"), blank=True, help_text=_("Inhoud en doel."))
    product_code = models.ForeignKey(
        ProductCode,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("productcode"),
        help_text=_("Betaalregime 1-5 (R-BILL-1)."),
    )
    tiles = models.ManyToManyField(
        Tile,
        related_name="products",
        verbose_name=_("tegels"),
        help_text=_("Eén tegel, meerdere (module) of alle acht (integraal aanbod)."),
    )
    price_type = models.CharField(
        _("prijssoort"),
        max_length=10,
        choices=PriceType.choices,
        help_text=_("Vaste prijs, variabel (offerte) of uurtarief."),
    )
    service_kind = models.CharField(
        _("dienst"),
        max_length=20,
        choices=ServiceKind.choices,
        default=ServiceKind.GENERAL,
        help_text=_("Jobcoaching en jobfinding vallen onder het maximum uurtarief (R-NET-7)."),
    )
    nominal_duration_days = models.PositiveIntegerField(
        _("nominale duur (dagen)"), help_text=_("Nominale looptijd in kalenderdagen.")
    )
    required_certificate = models.CharField(
        _("vereiste certificering"),
        max_length=20,
        choices=CertificateKind.choices,
        blank=True,
        help_text=_("Zonder geldige certificering kan het product niet worden besteld."),
    )
    capacity = models.PositiveIntegerField(
        _("capaciteit"), null=True, blank=True, help_text=_("Aantal plaatsen; leeg = onbeperkt.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProductStatus.choices,
        default=ProductStatus.ACTIVE,
        help_text=_("Beëindigde producten blijven bewaard maar zijn niet te bestellen."),
    )
    search_text = models.TextField(
        _("zoektekst"),
        blank=True,
        editable=False,
        help_text=_("Naam, omschrijving, aanbieder en plaatsen, voor de instrumentengids."),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("producten")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="product_org_status_idx"),
            models.Index(fields=["provider", "status"], name="product_provider_idx"),
            models.Index(fields=["nominal_duration_days"], name="product_duration_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class ProductTargetGroup(models.Model):
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="target_groups",
        verbose_name=_("product"),
        help_text=_("Het product."),
    )
    code = models.CharField(
        _("doelgroep"), max_length=30, help_text=_("Code uit clients.target_groups.")
    )

    class Meta:
        verbose_name = _("doelgroep van product")
        verbose_name_plural = _("doelgroepen van producten")
        constraints = [
            models.UniqueConstraint(fields=["product", "code"], name="uniq_product_target_group"),
        ]
        indexes = [models.Index(fields=["code", "product"], name="ptg_code_idx")]

    def __str__(self) -> str:
        return self.code


class ProductLadderStep(models.Model):
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="ladder_steps",
        verbose_name=_("product"),
        help_text=_("Het product."),
    )
    step = models.CharField(
        _("trede"), max_length=3, help_text=_("Trede uit clients.ladder (1, 2a … 6).")
    )

    class Meta:
        verbose_name = _("trede van product")
        verbose_name_plural = _("treden van producten")
        constraints = [
            models.UniqueConstraint(fields=["product", "step"], name="uniq_product_ladder_step"),
        ]
        indexes = [models.Index(fields=["step", "product"], name="pls_step_idx")]

    def __str__(self) -> str:
        return self.step


class ProductLocation(models.Model):
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="locations",
        verbose_name=_("product"),
        help_text=_("Het product."),
    )
    address = models.CharField(_("adres"), max_length=200, blank=True, help_text=_("Straat."))
    city = models.CharField(_("plaats"), max_length=100, help_text=_("Plaats van uitvoering."))
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
        help_text=_("Gemeente van de organisatie; leeg als buiten het werkgebied (Arnhem)."),
    )

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ["city"]
        indexes = [models.Index(fields=["municipality", "product"], name="ploc_muni_idx")]

    def __str__(self) -> str:
        return f"{self.address}, {self.city}" if self.address else self.city


class CpiIndexation(OrganisationOwned):
    """The CPI percentage for one year, entered by the contract manager (R-NET-6)."""

    year = models.PositiveSmallIntegerField(
        _("jaar"), help_text=_("Nieuwe prijzen gelden vanaf 1 januari van dit jaar.")
    )
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=5,
        decimal_places=2,
        help_text=_("CBS CPI alle huishoudens, jaarmutatie september van het jaar ervoor."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ingevoerd door"),
        help_text=_("Contractmanager."),
    )
    entered_at = models.DateTimeField(_("ingevoerd op"), auto_now_add=True)
    applied_at = models.DateTimeField(
        _("toegepast op"), null=True, blank=True, help_text=_("Wanneer de prijzen zijn aangepast.")
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("toegepast door"),
        help_text=_("Wie de indexatie toepaste."),
    )

    class Meta:
        verbose_name = _("indexatie")
        verbose_name_plural = _("indexaties")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="uniq_indexation_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.percentage}%"


class PriceSource(models.TextChoices):
    ENTRY = "entry", _("invoer")
    INDEXATION = "indexation", _("indexatie")
    PROPOSAL = "proposal", _("wijzigingsvoorstel")


class ProductPrice(Validity):
    """A price of a product with its validity; history is never rewritten (R-NET-6)."""

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="prices",
        verbose_name=_("product"),
        help_text=_("Het product."),
    )
    amount = models.DecimalField(
        _("bedrag"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Vaste prijs of uurtarief (bij variabel: richtprijs), excl. btw."),
    )
    source = models.CharField(
        _("herkomst"),
        max_length=12,
        choices=PriceSource.choices,
        default=PriceSource.ENTRY,
        help_text=_("Invoer, indexatie of wijzigingsvoorstel."),
    )
    indexation = models.ForeignKey(
        CpiIndexation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prices",
        verbose_name=_("indexatie"),
        help_text=_("De indexatie die deze prijs opleverde."),
    )

    class Meta:
        verbose_name = _("productprijs")
        verbose_name_plural = _("productprijzen")
        ordering = ["product", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["product", "valid_from"], name="uniq_price_from"),
        ]
        indexes = [
            models.Index(fields=["product", "valid_from", "valid_until"], name="price_valid_idx"),
        ]

    def __str__(self) -> str:
        return f"EUR {self.amount} vanaf {self.valid_from:%d-%m-%Y}"


# --- Signals, evaluations, notifications (R-NET-9) -----------------------------------------


class Signal(OrganisationOwned):
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="signals",
        verbose_name=_("aanbieder"),
        help_text=_("De aanbieder waarover het signaal gaat."),
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("product"),
        help_text=_("Optioneel: het product waarover het signaal gaat."),
    )
    client_id = models.BigIntegerField(
        _("klant-id"),
        null=True,
        blank=True,
        help_text=_("Optioneel: de casus (klant) waarop het signaal betrekking heeft."),
    )
    description = models.TextField(_("omschrijving"), help_text=_("Wat ging er mis?"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geregistreerd door"),
        help_text=_("De klantmanager."),
    )
    registered_on = models.DateField(_("datum"), help_text=_("Datum van het signaal."))
    registered_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)
    evaluation = models.ForeignKey(
        "Evaluation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("evaluatie"),
        help_text=_("De evaluatie waarin dit signaal wordt besproken."),
    )

    class Meta:
        verbose_name = _("signaal van ontevredenheid")
        verbose_name_plural = _("signalen van ontevredenheid")
        ordering = ["-registered_on", "-id"]
        indexes = [
            models.Index(fields=["provider", "registered_on"], name="signal_provider_date_idx"),
            models.Index(fields=["registered_by"], name="signal_by_idx"),
        ]


class EvaluationStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("afgerond")


class EvaluationOutcome(models.TextChoices):
    NONE = "", _("nog geen")
    IMPROVED = "improved", _("verbeterd, samenwerking gaat door")
    PRODUCT_ENDED = "product_ended", _("product beëindigd")
    RELATIONSHIP_ENDED = "relationship_ended", _("relatie beëindigd")


class Evaluation(OrganisationOwned):
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("aanbieder"),
        help_text=_("De geëvalueerde aanbieder."),
    )
    opened_on = models.DateField(_("geopend op"), help_text=_("Datum van openen."))
    reason = models.TextField(_("aanleiding"), help_text=_("Waarom deze evaluatie er is."))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.OPEN,
        help_text=_("Open of afgerond."),
    )
    held_on = models.DateField(_("gesprek op"), null=True, blank=True, help_text=_("Gesprek."))
    report = models.TextField(
        _("verslag"), blank=True, help_text=_("Schriftelijke vastlegging van het gesprek.")
    )
    improvement_actions = models.TextField(
        _("verbeteracties"), blank=True, help_text=_("Afgesproken verbeteracties.")
    )
    outcome = models.CharField(
        _("uitkomst"),
        max_length=20,
        choices=EvaluationOutcome.choices,
        blank=True,
        default=EvaluationOutcome.NONE,
        help_text=_("Uitkomst bij afronden."),
    )
    closed_on = models.DateField(_("afgerond op"), null=True, blank=True, help_text=_("Afronding."))

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["provider", "status"], name="evaluation_provider_idx"),
        ]


# --- Change proposals and events -----------------------------------------------------------


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("ter beoordeling")
    APPROVED = "approved", _("goedgekeurd")
    REJECTED = "rejected", _("afgewezen")


class ProductChangeProposal(OrganisationOwned):
    """A provider's proposed change of one of its products; the contract manager decides."""

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="change_proposals",
        verbose_name=_("product"),
        help_text=_("Het product dat wijzigt."),
    )
    changes = models.JSONField(
        _("wijzigingen"),
        help_text=_(
            "Voorgestelde waarden: name, description, nominal_duration_days, capacity, "
            "price, price_valid_from."
        ),
    )
    motivation = models.TextField(_("toelichting"), blank=True, help_text=_("Waarom."))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voorgesteld door"),
        help_text=_("Medewerker van de aanbieder."),
    )
    proposed_at = models.DateTimeField(_("voorgesteld op"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
        help_text=_("Ter beoordeling, goedgekeurd of afgewezen."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
        help_text=_("Contractmanager."),
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    decision_reason = models.TextField(_("motivering"), blank=True, help_text=_("Motivering."))

    class Meta:
        verbose_name = _("wijzigingsvoorstel")
        verbose_name_plural = _("wijzigingsvoorstellen")
        ordering = ["-proposed_at"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="proposal_status_idx"),
        ]


class ProviderEvent(OrganisationOwned):
    """One row per state change in the provider network (who, when, what, why)."""

    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("aanbieder"),
        help_text=_("De betrokken aanbieder."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("Wie de wijziging deed (leeg: het systeem)."),
    )
    kind = models.CharField(_("soort"), max_length=50, help_text=_("Soort gebeurtenis."))
    description = models.TextField(_("omschrijving"), help_text=_("Wat er gebeurde en waarom."))
    data = models.JSONField(_("gegevens"), default=dict, blank=True, help_text=_("Details."))
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        verbose_name = _("gebeurtenis aanbieder")
        verbose_name_plural = _("gebeurtenissen aanbieders")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["provider", "created_at"], name="provider_event_idx")]
