"""Excel export of the audit trail: typed cells, dates as dates, written row by row
(openpyxl write-only mode) into a spooled temporary file."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import IO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from opstap.core.export_safety import write_only_text

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
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Audittrail")
    for index, (_title, width) in enumerate(HEADERS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title, _width in HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for record in records:
        if count >= MAX_ROWS:
            break
        when = WriteOnlyCell(sheet, value=timezone.localtime(record.timestamp).replace(tzinfo=None))
        when.number_format = "yyyy-mm-dd hh:mm:ss"
        raw_id = record.object_id
        object_id: int | str = int(raw_id) if raw_id.isdigit() and len(raw_id) < 16 else raw_id
        values = [
            record.actor_username,
            record.actor_roles,
            record.real_actor_username,
            str(_ACTION_LABELS.get(record.action, record.action)),
            record.object_type,
            object_id,
            record.client_id,
            record.purpose,
            record.result,
            record.ip_address,
        ]
        # User text (purposes, object ids) stays text (R-SEC-6: formula injection).
        sheet.append([when, *(write_only_text(sheet, v) for v in values)])
        count += 1
    output = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output, count
