"""What the right-of-access export contains (R-SEC-5): one `Section` per kind of record about
the client, read through the other apps' selectors only.

Each section yields the client's rows lazily (`.iterator()`), so compiling an export keeps
memory bounded however long a history is. A column is an attribute path on the row
(`provider.name`); the JSON gets the stored value (codes, ISO dates), the summary the Dutch
label of a choice and Dutch date formats.

`COLLECTED_MODELS` and `EXCLUDED_MODELS` together must name every model that points to a
client (directly, through a trajectory or invoice, or by a plain `client_id`): the
completeness test fails when a new model is in neither, so a future model cannot be
forgotten.

Deliberately left out of the rows (see docs/access-requests.md): the organisation's internal
user accounts (who is named by role and organisation in the audit section instead), the
provider's internal invoice data (hourly rates, logbooks, the payment-rule verdicts), and
the trajectory price agreed between organisation and provider.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from opstap.audit import selectors as audit_selectors
from opstap.clients import selectors as client_selectors
from opstap.clients.models import SITUATION_FIELDS
from opstap.core.dutch import format_date, format_datetime, format_number
from opstap.core.roles import ROLE_NAMES_NL, RoleCode
from opstap.finance import selectors as finance_selectors
from opstap.finance.models import OUTFLOW_PREMIUM_DETERMINED, OUTFLOW_PREMIUM_FACTS
from opstap.invoices import selectors as invoice_selectors
from opstap.providers import selectors as provider_selectors
from opstap.trajectories import selectors as trajectory_selectors
from opstap.trajectories.models import OUTCOME_FACT_FIELDS

CHUNK = 500

#: Document kinds whose files the client receives in the export: plan, reports, requests
#: about them, the handover note. A quote is the provider's commercial offer to the
#: organisation: its data are in the JSON, its file is not.
CLIENT_DOCUMENT_KINDS = frozenset(
    {
        "plan",
        "progress_report",
        "extension_request",
        "return_request",
        "final_report",
        "handover_note",
    }
)


@dataclass(frozen=True)
class Subject:
    """The client the export is about."""

    client_id: int
    organisation_id: int
    organisation_name: str


@dataclass(frozen=True)
class Column:
    path: str
    label: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    model: str  # app_label.ModelName of the rows
    intro: str
    columns: tuple[Column, ...]
    rows: Callable[[Subject], Iterable[Any]]


def _label(model: type[models.Model], path: str) -> str:
    first = path.split(".")[0]
    try:
        field = model._meta.get_field(first)
    except FieldDoesNotExist:
        return first
    return str(getattr(field, "verbose_name", first))


def _columns(model_label: str, *paths: str | tuple[str, str]) -> tuple[Column, ...]:
    model = apps.get_model(model_label)
    out = []
    for item in paths:
        path, label = item if isinstance(item, tuple) else (item, _label(model, item))
        out.append(Column(path, label[:1].upper() + label[1:]))
    return tuple(out)


def _rows_of(label: str, subject: Subject, *related: str) -> Iterator[Any]:
    """Rows of a model with a `client` key, read by label: these models live in apps at or
    above this one's layer (kpis, portal), which the export may read but not import."""
    qs = apps.get_model(label).objects.filter(client_id=subject.client_id)
    if related:
        qs = qs.select_related(*related)
    return _lazy(qs.order_by("pk"))


def _lazy(qs: Any) -> Iterator[Any]:
    return qs.iterator(chunk_size=CHUNK)


# --- Values -------------------------------------------------------------------------------


def raw_value(obj: Any, path: str) -> Any:
    value = obj
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
        if callable(value):
            value = value()
    return value


def display_value(obj: Any, path: str) -> Any:
    """Like `raw_value`, but a choice field gives its Dutch label."""
    parts = path.split(".")
    owner = obj
    for part in parts[:-1]:
        if owner is None:
            return None
        owner = getattr(owner, part)
    if owner is None:
        return None
    display = getattr(owner, f"get_{parts[-1]}_display", None)
    if display is not None:
        return display()
    return raw_value(owner, parts[-1])


def to_json(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return str(value)


def to_text(value: Any) -> str:
    """Dutch presentation for the summary."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        return format_number(value, 2)
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return format_datetime(local)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(to_text(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {to_text(v)}" for k, v in value.items()) or "—"
    return str(value)


def row_json(section: Section, obj: Any) -> dict[str, Any]:
    return {c.path.replace(".", "_"): to_json(raw_value(obj, c.path)) for c in section.columns}


def row_text(section: Section, obj: Any) -> list[str]:
    return [to_text(display_value(obj, c.path)) for c in section.columns]


# --- Rows of each section -----------------------------------------------------------------


def _client_rows(subject: Subject) -> Iterator[Any]:
    return _lazy(client_selectors.client_record(subject.client_id))


def _handover_rows(subject: Subject) -> Iterator[Any]:
    return _lazy(client_selectors.client_events_all(subject.client_id).filter(kind="handover"))


def _access_request_rows(subject: Subject) -> Iterator[Any]:
    from .selectors import access_requests_of_client

    return _lazy(access_requests_of_client(subject.client_id))


ROLE_LABELS = {code.value: name for code, name in ROLE_NAMES_NL.items()}


class AuditRow:
    """An audit record as the client sees it: role(s) and organisation, not the username."""

    def __init__(self, record: Any, organisation: str) -> None:
        self.timestamp = record.timestamp
        self.action = record.action
        self.action_label = record.get_action_display()
        self.object_type = record.object_type
        self.purpose = record.purpose
        self.result = record.result
        codes = [c for c in record.actor_roles.split(",") if c]
        self.roles = ", ".join(ROLE_LABELS.get(c, c) for c in codes) or "systeem"
        self.organisation = organisation

    def get_action_display(self) -> str:
        return str(self.action_label)


def _audit_rows(subject: Subject) -> Iterator[AuditRow]:
    records = audit_selectors.audit_records_about_client(
        organisation_id=subject.organisation_id, client_id=subject.client_id
    )
    actor_ids = [a for a in records.order_by().values_list("actor_id", flat=True).distinct() if a]
    providers = provider_selectors.provider_names_by_user(actor_ids)
    for record in records.iterator(chunk_size=CHUNK):
        provider = providers.get(record.actor_id) if record.actor_id else None
        is_provider = RoleCode.PROVIDER_STAFF.value in record.actor_roles.split(",")
        organisation = provider if (provider and is_provider) else subject.organisation_name
        yield AuditRow(record, organisation)


SECTIONS: tuple[Section, ...] = (
    Section(
        "personalData",
        "Persoonsgegevens",
        "clients.Client",
        "De gegevens die de sociale dienst over u heeft vastgelegd.",
        _columns(
            "clients.Client",
            "bsn",
            "client_number",
            "first_name",
            "last_name_prefix",
            "last_name",
            "date_of_birth",
            "street_address",
            "postcode",
            "city",
            ("municipality.name", "Gemeente"),
            *SITUATION_FIELDS,
            ("case_manager.display_name", "Klantmanager"),
            "ladder_step",
            "ladder_sub_status",
            "ladder_step_since",
            "created_at",
            "updated_at",
        ),
        _client_rows,
    ),
    Section(
        "ladderHistory",
        "Participatieladder: geschiedenis",
        "clients.LadderStepChange",
        "Elke wijziging van uw trede op de participatieladder, met de reden.",
        _columns(
            "clients.LadderStepChange",
            "effective_date",
            "previous_step",
            "step",
            "sub_status",
            "reason",
            "changed_at",
        ),
        lambda s: _lazy(client_selectors.client_ladder_changes_all(s.client_id)),
    ),
    Section(
        "timeline",
        "Tijdlijn van uw dossier",
        "clients.ClientEvent",
        "Alles wat in uw dossier is gebeurd, van oud naar nieuw.",
        _columns(
            "clients.ClientEvent",
            "occurred_at",
            ("kind_label", "Soort"),
            "summary",
            "note",
            "data",
            "source",
            "is_open",
        ),
        lambda s: _lazy(client_selectors.client_events_all(s.client_id)),
    ),
    Section(
        "handovers",
        "Overdrachten naar een andere klantmanager",
        "clients.ClientEvent",
        "Wanneer uw dossier aan een andere klantmanager is overgedragen, en waarom.",
        _columns("clients.ClientEvent", "occurred_at", "summary", "note"),
        _handover_rows,
    ),
    Section(
        "customBudget",
        "Maatwerkbudget",
        "clients.BudgetSpending",
        "Uitgaven uit uw maatwerkbudget.",
        _columns(
            "clients.BudgetSpending",
            "spent_on",
            "amount",
            "purpose",
            "status",
            "created_at",
            "decided_at",
        ),
        lambda s: _lazy(client_selectors.client_budget_spendings_all(s.client_id)),
    ),
    Section(
        "trajectories",
        "Trajecten",
        "trajectories.Trajectory",
        "De trajecten die voor u zijn ingekocht, bij welke aanbieder en hoe ze verliepen.",
        _columns(
            "trajectories.Trajectory",
            ("id", "Trajectnummer"),
            ("product.name", "Product"),
            ("provider.name", "Aanbieder"),
            "state",
            "aim_description",
            "rotonde_exit",
            "wished_start",
            "absence_risk",
            "order_date",
            "intake_date",
            "intake_held_on",
            "plan_approved_on",
            "start_date",
            "planned_end_date",
            "actual_end_date",
            "end_reason",
            "final_report_on",
            "handed_over_on",
        ),
        lambda s: _lazy(trajectory_selectors.client_trajectories_all(s.client_id)),
    ),
    Section(
        "trajectoryEvents",
        "Trajecten: gebeurtenissen",
        "trajectories.TrajectoryEvent",
        "Elke stap in uw trajecten, met de reden.",
        _columns(
            "trajectories.TrajectoryEvent",
            ("trajectory_id", "Trajectnummer"),
            "occurred_at",
            "action",
            "from_state",
            "to_state",
            "reason",
            "payload",
        ),
        lambda s: _lazy(trajectory_selectors.client_trajectory_events_all(s.client_id)),
    ),
    Section(
        "deadlines",
        "Trajecten: termijnen",
        "trajectories.Deadline",
        "De termijnen die bij uw trajecten horen en of ze gehaald zijn.",
        _columns(
            "trajectories.Deadline",
            ("trajectory_id", "Trajectnummer"),
            "kind",
            "label",
            "due_on",
            "met_on",
            "cancelled_on",
            "rule",
        ),
        lambda s: _lazy(trajectory_selectors.client_deadlines_all(s.client_id)),
    ),
    Section(
        "documents",
        "Trajecten: documenten",
        "trajectories.TrajectoryDocument",
        "Plannen, rapportages en andere documenten. De bestanden die voor u bedoeld zijn, "
        "staan in de map 'documenten'.",
        _columns(
            "trajectories.TrajectoryDocument",
            ("trajectory_id", "Trajectnummer"),
            ("id", "Documentnummer"),
            "kind",
            "title",
            "text",
            "goals",
            "result_agreements",
            "signed_by_candidate",
            "file_name",
            "submitted_at",
        ),
        lambda s: _lazy(trajectory_selectors.client_documents_all(s.client_id)),
    ),
    Section(
        "appointments",
        "Trajecten: afspraken en aanwezigheid",
        "trajectories.Appointment",
        "Afspraken bij de aanbieder en of u aanwezig was.",
        _columns(
            "trajectories.Appointment",
            ("trajectory_id", "Trajectnummer"),
            "starts_at",
            "description",
            "attendance",
            "recorded_at",
        ),
        lambda s: _lazy(trajectory_selectors.client_appointments_all(s.client_id)),
    ),
    Section(
        "absences",
        "Trajecten: verzuim",
        "trajectories.Absence",
        "Gemeld verzuim en hoe het is beoordeeld.",
        _columns(
            "trajectories.Absence",
            ("trajectory_id", "Trajectnummer"),
            "occurred_at",
            "reason",
            "reported_at",
            "risk_at_report",
            "late",
            "problematic",
        ),
        lambda s: _lazy(trajectory_selectors.client_absences_all(s.client_id)),
    ),
    Section(
        "outcomes",
        "Trajecten: resultaten",
        "trajectories.Outcome",
        "Het resultaat van uw trajecten, zoals werk of een opleiding.",
        _columns(
            "trajectories.Outcome",
            ("trajectory_id", "Trajectnummer"),
            *OUTCOME_FACT_FIELDS,
            "durability_check_on",
            "durability",
            "recorded_at",
        ),
        lambda s: _lazy(trajectory_selectors.client_outcomes_all(s.client_id)),
    ),
    Section(
        "outflowPremiums",
        "Uitstroompremie",
        "finance.OutflowPremium",
        "Een premie omdat u uit de uitkering bent gegaan, en wanneer die is betaald.",
        _columns(
            "finance.OutflowPremium",
            *OUTFLOW_PREMIUM_FACTS,
            *OUTFLOW_PREMIUM_DETERMINED,
        ),
        lambda s: _lazy(
            finance_selectors.client_outflow_premiums_all(
                organisation_id=s.organisation_id, client_id=s.client_id
            )
        ),
    ),
    Section(
        "travelClaims",
        "Reiskosten: declaraties",
        "invoices.TravelClaim",
        "Uw declaraties van reiskosten en wie welk deel betaalt.",
        _columns(
            "invoices.TravelClaim",
            ("id", "Declaratienummer"),
            ("trajectory_id", "Trajectnummer"),
            "entered_at",
            "organisation_pays",
            "provider_pays",
            "refused",
        ),
        lambda s: _lazy(invoice_selectors.client_travel_claims_all(s.client_id)),
    ),
    Section(
        "travelTrips",
        "Reiskosten: ritten",
        "invoices.TravelTrip",
        "De ritten per declaratie en het besluit per rit.",
        _columns(
            "invoices.TravelTrip",
            ("claim_id", "Declaratienummer"),
            "trip_date",
            "single_trip_km",
            "amount",
            "decision",
            "reason",
        ),
        lambda s: _lazy(invoice_selectors.client_travel_trips_all(s.client_id)),
    ),
    Section(
        "invoices",
        "Facturen over uw trajecten",
        "invoices.Invoice",
        "Wat aanbieders voor uw trajecten in rekening brachten: bedragen en data.",
        _columns(
            "invoices.Invoice",
            ("id", "Factuurnummer (intern)"),
            ("provider.name", "Aanbieder"),
            ("trajectory_id", "Trajectnummer"),
            "invoice_date",
            "milestone",
            "period_start",
            "period_end",
            "amount_excl",
            "vat",
            "amount_incl",
            "status",
            "paid_on",
        ),
        lambda s: _lazy(invoice_selectors.client_invoices_all(s.client_id)),
    ),
    Section(
        "invoiceLines",
        "Facturen: regels",
        "invoices.InvoiceLine",
        "De regels van die facturen.",
        _columns(
            "invoices.InvoiceLine",
            ("invoice_id", "Factuurnummer (intern)"),
            "description",
            "amount_excl",
            "vat",
            "amount_incl",
        ),
        lambda s: _lazy(invoice_selectors.client_invoice_lines_all(s.client_id)),
    ),
    Section(
        "creditNotes",
        "Facturen: creditnota's",
        "invoices.CreditNote",
        "Bedragen die aanbieders hebben teruggeboekt.",
        _columns(
            "invoices.CreditNote",
            ("invoice_id", "Factuurnummer (intern)"),
            "credit_date",
            "amount_excl",
            "vat",
            "amount_incl",
        ),
        lambda s: _lazy(invoice_selectors.client_credit_notes_all(s.client_id)),
    ),
    Section(
        "placementFees",
        "Bemiddelingsfee",
        "invoices.PlacementFeeClaim",
        "Aanvragen van een aanbieder voor een fee omdat u aan het werk ging.",
        _columns(
            "invoices.PlacementFeeClaim",
            ("trajectory_id", "Trajectnummer"),
            ("provider.name", "Aanbieder"),
            "employer",
            "placement_start",
            "contract_months",
            "hours_per_week",
            "submitted_at",
        ),
        lambda s: _lazy(
            invoice_selectors.client_placement_fee_claims_all(s.client_id).select_related(
                "provider"
            )
        ),
    ),
    Section(
        "providerSignals",
        "Signalen over een aanbieder in uw traject",
        "providers.Signal",
        "Klachten van uw klantmanager over een aanbieder waarbij uw traject genoemd is.",
        _columns(
            "providers.Signal",
            "registered_on",
            ("provider.name", "Aanbieder"),
            ("product.name", "Product"),
            "description",
        ),
        lambda s: _lazy(
            provider_selectors.client_signals_all(
                organisation_id=s.organisation_id, client_id=s.client_id
            )
        ),
    ),
    Section(
        "accessRequests",
        "Uw inzageverzoeken",
        "access_requests.AccessRequest",
        "Uw verzoeken om inzage, ook dit verzoek.",
        _columns(
            "access_requests.AccessRequest",
            "requested_at",
            "channel",
            "state",
            "due_on",
            "ready_at",
            "first_downloaded_at",
            "expired_at",
        ),
        _access_request_rows,
    ),
    Section(
        "incomeCoaches",
        "Uw inkomenscoach",
        "clients.IncomeCoachAssignment",
        "Welke inkomenscoach u hielp, van wanneer tot wanneer en waarom.",
        _columns(
            "clients.IncomeCoachAssignment",
            ("coach.get_full_name", "Inkomenscoach"),
            "valid_from",
            "valid_until",
            "reason",
        ),
        lambda s: _rows_of("clients.IncomeCoachAssignment", s, "coach"),
    ),
    Section(
        "importChanges",
        "Wijzigingen door een bestandsimport",
        "clients.ImportChange",
        "Gegevens die via een bestand (import) zijn vastgelegd of gewijzigd: de waarde ervoor "
        "en erna.",
        _columns("clients.ImportChange", "kind", "before", "after"),
        lambda s: _rows_of("clients.ImportChange", s),
    ),
    Section(
        "quotes",
        "Offertes voor uw trajecten",
        "trajectories.Quote",
        "De offertes die een aanbieder voor uw traject stuurde, en het besluit erover.",
        _columns(
            "trajectories.Quote",
            ("trajectory_id", "Trajectnummer"),
            "version",
            "amount",
            "hourly_rate",
            "hours",
            "text",
            "status",
            "submitted_on",
            "decided_on",
            "decision_reason",
        ),
        lambda s: _lazy(
            apps.get_model("trajectories.Quote")
            .objects.filter(trajectory__client_id=s.client_id)
            .order_by("trajectory_id", "version")
        ),
    ),
    Section(
        "satisfaction",
        "Uw antwoorden op de tevredenheidsvragen",
        "kpis.SatisfactionResponse",
        "Het cijfer en de opmerking die u gaf.",
        _columns("kpis.SatisfactionResponse", "score", "remark", "answered_on"),
        lambda s: _rows_of("kpis.SatisfactionResponse", s),
    ),
    Section(
        "uploads",
        "Documenten die u zelf stuurde",
        "portal.ClientUpload",
        "De documenten die u via Mijn Opstap naar uw klantmanager stuurde.",
        _columns("portal.ClientUpload", "title", "file_name", "size", "uploaded_at"),
        lambda s: _rows_of("portal.ClientUpload", s),
    ),
    Section(
        "socialReturnBlocks",
        "Werk of begeleiding als social return van een aanbieder",
        "social_return.RealisedBlock",
        "Een aanbieder telde uw baan, stage, opleiding of begeleiding mee voor zijn social "
        "return: welk bouwblok, vanaf wanneer, hoeveel uur en of het is gecontroleerd.",
        _columns(
            "social_return.RealisedBlock",
            ("provider.name", "Aanbieder"),
            "block_name",
            "start_date",
            "hours_per_week",
            "contract_months",
            "status",
            "registered_at",
            "verified_at",
        ),
        lambda s: _rows_of("social_return.RealisedBlock", s, "provider"),
    ),
    Section(
        "workProfile",
        "Uw werkprofiel",
        "matching.WorkProfile",
        "Wat u wilt en kunt in werk, zoals uw klantmanager het vastlegde (passend werk).",
        _columns(
            "matching.WorkProfile",
            ("occupations_text", "Gewenste en mogelijke beroepen"),
            "skills",
            "education",
            "hours_available",
            "max_distance_km",
            "max_travel_minutes",
            "driving_licence",
            "own_transport",
            "restrictions",
            "shared_with_wsp",
            "confirmed_at",
            "updated_at",
        ),
        lambda s: _rows_of("matching.WorkProfile", s),
    ),
    Section(
        "proposals",
        "Voordrachten voor vacatures",
        "matching.Proposal",
        "De vacatures waarvoor u bent voorgedragen, met de score en de uitleg ervan, en de "
        "kennismaking met de werkgever.",
        _columns(
            "matching.Proposal",
            ("vacancy.title", "Vacature"),
            ("vacancy.employer.name", "Werkgever"),
            "state",
            "score",
            "explanation",
            "proposed_at",
            "introduction_on",
            "introduction_outcome",
        ),
        lambda s: _rows_of("matching.Proposal", s, "vacancy__employer"),
    ),
    Section(
        "placements",
        "Plaatsingen in werk",
        "matching.Placement",
        "Het werk waarin u via een voordracht bent geplaatst.",
        _columns(
            "matching.Placement",
            ("vacancy.employer.name", "Werkgever"),
            ("vacancy.title", "Functie"),
            "start_date",
            "hours_per_week",
            "contract_type",
            "contract_months",
            "lks",
            "garantiebaan",
            "beschut_werk",
            "via",
        ),
        lambda s: _rows_of("matching.Placement", s, "vacancy__employer"),
    ),
    Section(
        "auditTrail",
        "Wie uw gegevens heeft ingezien of gewijzigd",
        "audit.AuditRecord",
        "Elke keer dat iemand uw gegevens bekeek of wijzigde: wanneer, in welke rol, bij welke "
        "organisatie en met welk doel.",
        (
            Column("timestamp", "Tijdstip"),
            Column("action", "Handeling"),
            Column("object_type", "Soort gegeven"),
            Column("purpose", "Doel"),
            Column("roles", "Rol"),
            Column("organisation", "Organisatie"),
            Column("result", "Resultaat"),
        ),
        _audit_rows,
    ),
)

#: Models whose rows about the client are in the export (label → section keys).
COLLECTED_MODELS: dict[str, tuple[str, ...]] = {}
for _section in SECTIONS:
    COLLECTED_MODELS.setdefault(_section.model, ())
    COLLECTED_MODELS[_section.model] += (_section.key,)

#: Models that point to a client but are deliberately not in the export, with the reason.
EXCLUDED_MODELS: dict[str, str] = {
    "matching.ProposalEvent": (
        "Interne stappen van een voordracht; elke stap staat ook in de tijdlijn van het dossier "
        "('timeline') en de stand in 'proposals'."
    ),
    "trajectories.DeadlineNotification": (
        "Interne herinnering aan een medewerker over een termijn; de termijn zelf staat in "
        "'deadlines'."
    ),
    "social_return.SocialReturnEvent": (
        "Interne verwerkingsgeschiedenis van een social-returnbouwblok (registratie, "
        "verificatie); het bouwblok en zijn status staan in 'socialReturnBlocks'."
    ),
    "invoices.InvoiceEvent": (
        "Interne verwerking van een factuur door de administratie (controle, goedkeuring); "
        "bedragen, status en betaaldatum staan in 'invoices'."
    ),
    "retention.LegalHold": (
        "Interne registratie van een bewaarplicht bij een lopende procedure; de "
        "procedure zelf loopt via de behandelaar, die de klant daarover informeert."
    ),
    "retention.RetentionDone": (
        "Interne vastlegging dat gegevens na hun bewaartermijn zijn geanonimiseerd; bevat "
        "zelf geen gegevens over de klant."
    ),
}


def document_files(subject: Subject) -> Iterator[Any]:
    """The trajectory documents with a file the client may receive."""
    return _lazy(
        trajectory_selectors.client_documents_all(subject.client_id)
        .filter(kind__in=sorted(CLIENT_DOCUMENT_KINDS))
        .exclude(file="")
    )
