"""Export sections about the client's own record: personal data, the ladder, the timeline,
the budget, income coaching, imports, access requests, portal input and the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from opstap.audit import selectors as audit_selectors
from opstap.clients import selectors as client_selectors
from opstap.clients.models import SITUATION_FIELDS
from opstap.core.roles import ROLE_NAMES_NL, RoleCode
from opstap.providers import selectors as provider_selectors

from .base import (
    CHUNK,
    Column,
    Section,
    Subject,
    _columns,
    _lazy,
    _rows_of,
)


def _client_rows(subject: Subject) -> Iterator[Any]:
    return _lazy(client_selectors.client_record(subject.client_id))


def _handover_rows(subject: Subject) -> Iterator[Any]:
    return _lazy(client_selectors.client_events_all(subject.client_id).filter(kind="handover"))


def _access_request_rows(subject: Subject) -> Iterator[Any]:
    from opstap.access_requests.selectors import access_requests_of_client

    return _lazy(access_requests_of_client(subject.client_id))


ROLE_LABELS = {code.value: name for code, name in ROLE_NAMES_NL.items()}


class AuditRow:
    """An audit record as the client sees it: role(s) and organisation, not the username."""

    def __init__(self, record: Any, organisation: str) -> None:
        self.timestamp = record.timestamp
        self.action = record.action
        self.action_label = record.get_action_display()
        self.object_type = record.object_type
        self.object_type_label = record.object_type_label  # "trajectory" → Dutch
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
        "auditTrail",
        "Wie uw gegevens heeft ingezien of gewijzigd",
        "audit.AuditRecord",
        "Elke keer dat iemand uw gegevens bekeek of wijzigde: wanneer, in welke rol, bij welke "
        "organisatie en met welk doel.",
        (
            Column("timestamp", "Tijdstip"),
            Column("action", "Handeling"),
            Column("object_type", "Soort gegeven", text=lambda row: row.object_type_label),
            Column("purpose", "Doel"),
            Column("roles", "Rol"),
            Column("organisation", "Organisatie"),
            Column("result", "Resultaat"),
        ),
        _audit_rows,
    ),
)
