"""Excel export of the audit trail: typed cells, dates as dates, written row by row into a
spooled temporary file by core's export kit (user text stays text, R-SEC-6)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.utils import timezone

from opstap.core.exports import TIMESTAMP, Sheet, XCell, xlsx_file

from .labels import object_type_label, roles_label
from .models import AuditAction, AuditRecord

MAX_ROWS = 1_000_000  # Excel's limit is 1,048,576 rows

HEADERS = [
    ("Tijdstip", 20),
    ("Gebruiker", 18),
    ("Rollen", 24),
    ("Namens (werkelijke gebruiker)", 18),
    ("Handeling", 16),
    ("Objecttype", 14),
    ("Object-id", 12),
    ("Klant-id", 10),
    ("Doel", 40),
    ("Resultaat", 10),
    ("IP-adres", 16),
]
_ACTION_LABELS = dict(AuditAction.choices)


def write_audit_xlsx(records: Iterable[AuditRecord]) -> tuple[IO[bytes], int]:
    """Write records to an xlsx file; returns the (rewound) file and the number of rows."""
    count = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal count
        yield [XCell(title, bold=True) for title, _width in HEADERS]
        for record in records:
            if count >= MAX_ROWS:
                break
            when = timezone.localtime(record.timestamp).replace(tzinfo=None)
            raw_id = record.object_id
            object_id: int | str = int(raw_id) if raw_id.isdigit() and len(raw_id) < 16 else raw_id
            yield [
                XCell(when, TIMESTAMP),
                record.actor_username,
                roles_label(record.actor_roles),
                record.real_actor_username,
                str(_ACTION_LABELS.get(record.action, record.action)),
                object_type_label(record.object_type),
                object_id,
                record.client_id,
                record.purpose,
                record.result,
                record.ip_address,
            ]
            count += 1

    widths = {index: width for index, (_title, width) in enumerate(HEADERS, start=1)}
    output = xlsx_file([Sheet("Audittrail", rows(), widths=widths, freeze="A2")])
    return output, count
