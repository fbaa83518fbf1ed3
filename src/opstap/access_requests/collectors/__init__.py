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

One module per group of sections (`dossier`, `trajectories`, `money`, `work`); `base` has the
shapes and `values` the formatting. Other modules import from this package.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from opstap.trajectories import selectors as trajectory_selectors

from . import dossier, money, trajectories, work
from .base import CHUNK, CLIENT_DOCUMENT_KINDS, Column, Section, Subject, _lazy
from .dossier import ROLE_LABELS, AuditRow
from .values import display_value, raw_value, row_json, row_text, to_json, to_text

__all__ = [
    "CHUNK",
    "CLIENT_DOCUMENT_KINDS",
    "COLLECTED_MODELS",
    "EXCLUDED_MODELS",
    "ROLE_LABELS",
    "SECTIONS",
    "SECTION_ORDER",
    "AuditRow",
    "Column",
    "Section",
    "Subject",
    "display_value",
    "document_files",
    "raw_value",
    "row_json",
    "row_text",
    "to_json",
    "to_text",
]

#: The order of the sections in the export (the summary follows it).
SECTION_ORDER: tuple[str, ...] = (
    "personalData",
    "ladderHistory",
    "timeline",
    "handovers",
    "customBudget",
    "trajectories",
    "trajectoryEvents",
    "deadlines",
    "documents",
    "appointments",
    "absences",
    "outcomes",
    "outflowPremiums",
    "travelClaims",
    "travelTrips",
    "invoices",
    "invoiceLines",
    "creditNotes",
    "placementFees",
    "providerSignals",
    "accessRequests",
    "incomeCoaches",
    "importChanges",
    "quotes",
    "satisfaction",
    "uploads",
    "socialReturnBlocks",
    "workProfile",
    "proposals",
    "placements",
    "auditTrail",
)
_BY_KEY = {s.key: s for m in (dossier, trajectories, money, work) for s in m.SECTIONS}
if set(_BY_KEY) != set(SECTION_ORDER):  # a section defined but not placed, or vice versa
    raise RuntimeError(f"Export sections out of order: {sorted(set(_BY_KEY) ^ set(SECTION_ORDER))}")
SECTIONS: tuple[Section, ...] = tuple(_BY_KEY[key] for key in SECTION_ORDER)

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
    "kpis.KpiClientMonth": (
        "Afgeleide telgegevens voor de sturingscijfers (dagen met een traject of een "
        "vastgelegde activiteit); de trajecten en de tijdlijn waaruit ze volgen staan in "
        "'trajectories' en 'timeline'."
    ),
    "kpis.KpiFactQueue": (
        "Interne wachtrij om de sturingscijfers van een klant bij te werken; bevat alleen het "
        "klantnummer in de database, geen gegevens over de klant."
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
