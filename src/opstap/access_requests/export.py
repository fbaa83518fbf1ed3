"""Compiling the right-of-access export (R-SEC-5): one ZIP with

- `samenvatting.html` — a human-readable, accessible summary in Dutch (one table per section,
  with caption and column headers);
- `gegevens.json` — every record of every section, machine-readable (stored values: codes,
  ISO dates, amounts as strings);
- `documenten/` — the files of the documents about the client that the client may receive.

Everything is streamed: rows come from the database in chunks and are written straight into
the ZIP entries in a temporary file, so memory stays bounded. The finished file is handed to
the `complete` step of the workflow, which stores it privately in the same transaction as the
state change; any error marks the request failed with a Dutch message (R-SEC-6).
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from typing import IO, Any

from django.core.files import File
from django.utils import timezone
from django.utils.html import escape

from . import collectors, services
from .models import AccessRequest
from .workflow import Action, IllegalTransitionError

log = logging.getLogger(__name__)

FAILURE_MESSAGE_NL = (
    "Het samenstellen van het overzicht is mislukt door een technische fout. "
    "Probeer het opnieuw; lukt het dan nog niet, neem contact op met uw klantmanager."
)
FORMAT = "opstap-inzage/1"
Progress = Callable[[int, str], None]

_CSS = (
    "body{font-family:sans-serif;line-height:1.5;max-width:75rem;margin:1rem auto;padding:0 1rem;"
    "color:#1a1a1a}table{border-collapse:collapse;margin-bottom:2rem;width:100%}"
    "caption{text-align:left;font-weight:bold;padding:.5rem 0}th,td{border:1px solid #666;"
    "padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#eee}"
    "a{color:#0b4f9e}"
)


def _safe_name(name: str) -> str:
    base = os.path.basename(name or "document")
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:120] or "document"


def _text_writer(zf: zipfile.ZipFile, name: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(zf.open(name, "w", force_zip64=True), encoding="utf-8", newline="\n")


def _write_json(zf: zipfile.ZipFile, subject: collectors.Subject, progress: Progress) -> None:
    sections = collectors.SECTIONS
    with _text_writer(zf, "gegevens.json") as out:
        header = {
            "format": FORMAT,
            "generatedAt": timezone.localtime().isoformat(),
            "organisation": subject.organisation_name,
            "clientId": subject.client_id,
        }
        out.write(json.dumps(header, ensure_ascii=False)[:-1])
        out.write(', "sections": {')
        for i, section in enumerate(sections):
            progress(i, f"Gegevens verzamelen: {section.title}")
            out.write(("," if i else "") + f"\n{json.dumps(section.key)}: ")
            out.write(f'{{"title": {json.dumps(section.title, ensure_ascii=False)}, "rows": [')
            for n, obj in enumerate(section.rows(subject)):
                out.write(("," if n else "") + "\n  ")
                out.write(json.dumps(collectors.row_json(section, obj), ensure_ascii=False))
            out.write("]}")
        out.write("\n}}\n")


def _write_summary(
    zf: zipfile.ZipFile,
    subject: collectors.Subject,
    client_name: str,
    documents: list[tuple[str, str]],
    progress: Progress,
    offset: int,
) -> None:
    sections = collectors.SECTIONS
    with _text_writer(zf, "samenvatting.html") as out:
        generated = timezone.localtime().strftime("%d-%m-%Y %H:%M")
        out.write(
            '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Uw gegevens bij {escape(subject.organisation_name)}</title>\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            f"<h1>Uw gegevens bij {escape(subject.organisation_name)}</h1>\n"
            f"<p>Dit overzicht is gemaakt op {generated} voor {escape(client_name)}, omdat u "
            "heeft gevraagd welke gegevens wij over u hebben (inzageverzoek, artikel 15 AVG). "
            "Alle gegevens staan ook in het bestand <code>gegevens.json</code>, zodat een "
            "computer ze kan lezen. Documenten die voor u bedoeld zijn staan in de map "
            "<code>documenten</code>.</p>\n"
            "<p>Klopt er iets niet? Dan kunt u vragen om het te verbeteren. Neem daarvoor "
            "contact op met uw klantmanager.</p>\n"
            '<nav aria-labelledby="toc"><h2 id="toc">Inhoud</h2>\n<ul>\n'
        )
        for section in sections:
            out.write(f'<li><a href="#{section.key}">{escape(section.title)}</a></li>\n')
        out.write('<li><a href="#documenten">Documenten</a></li>\n</ul>\n</nav>\n')
        for i, section in enumerate(sections):
            progress(offset + i, f"Overzicht maken: {section.title}")
            out.write(
                f'<section aria-labelledby="{section.key}">\n'
                f'<h2 id="{section.key}">{escape(section.title)}</h2>\n'
                f"<p>{escape(section.intro)}</p>\n"
            )
            count = 0
            for obj in section.rows(subject):
                if count == 0:
                    out.write(f"<table>\n<caption>{escape(section.title)}</caption>\n<thead><tr>")
                    for column in section.columns:
                        out.write(f'<th scope="col">{escape(column.label)}</th>')
                    out.write("</tr></thead>\n<tbody>\n")
                out.write(
                    "<tr>"
                    + "".join(f"<td>{escape(v)}</td>" for v in collectors.row_text(section, obj))
                    + "</tr>\n"
                )
                count += 1
            if count:
                out.write(f"</tbody>\n</table>\n<p>{count} regel(s).</p>\n")
            else:
                out.write("<p>Hierover hebben wij geen gegevens van u.</p>\n")
            out.write("</section>\n")
        out.write('<section aria-labelledby="documenten">\n<h2 id="documenten">Documenten</h2>\n')
        if documents:
            out.write("<ul>\n")
            for path, title in documents:
                out.write(f'<li><a href="{escape(path)}">{escape(title)}</a></li>\n')
            out.write("</ul>\n")
        else:
            out.write("<p>Er zijn geen documenten die voor u bedoeld zijn.</p>\n")
        out.write("</section>\n</main>\n</body>\n</html>\n")


def _write_documents(zf: zipfile.ZipFile, subject: collectors.Subject) -> list[tuple[str, str]]:
    written: list[tuple[str, str]] = []
    for document in collectors.document_files(subject):
        path = (
            f"documenten/traject-{document.trajectory_id}-document-{document.pk}-"
            f"{_safe_name(document.file_name or document.file.name)}"
        )
        with document.file.open("rb") as src, zf.open(path, "w", force_zip64=True) as dst:
            shutil.copyfileobj(src, dst, length=1024 * 1024)
        written.append((path, f"{document.get_kind_display()}: {document.title}"))
    return written


def build_zip(request: AccessRequest, target: IO[bytes], progress: Progress) -> None:
    """Write the export of `request.client` into the binary file `target`."""
    client = request.client
    if client is None:
        raise ValueError("Een inzageverzoek zonder dossier heeft geen export.")
    subject = collectors.Subject(
        client_id=client.pk,
        organisation_id=client.organisation_id,
        organisation_name=str(client.organisation.name),
    )
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        _write_json(zf, subject, progress)
        n = len(collectors.SECTIONS)
        progress(n, "Documenten toevoegen")
        documents = _write_documents(zf, subject)
        _write_summary(zf, subject, client.full_name, documents, progress, n + 1)


def compile_access_request(access_request_id: int) -> str:
    """The background job: start → build → complete, or fail with a Dutch message."""
    request = AccessRequest.objects.select_related("client", "client__organisation").get(
        pk=access_request_id
    )
    client = request.client
    if client is None:
        return request.state  # a person without a dossier: nothing to compile
    try:
        request = services.access_request_transition(
            actor=None, access_request=request, action=Action.START
        )
    except IllegalTransitionError:
        return request.state  # already started or finished (a duplicate task): nothing to do
    total = 2 * len(collectors.SECTIONS) + 1

    def progress(step: int, label: str) -> None:
        services.access_request_progress(
            access_request_id=request.pk, percent=round(100 * step / total), step=label
        )

    stamp = timezone.localtime().strftime("%Y%m%d")
    name = f"inzage-{client.client_number}-{stamp}.zip"
    try:
        with tempfile.TemporaryFile() as tmp:
            build_zip(request, tmp, progress)
            tmp.seek(0)
            request = services.access_request_transition(
                actor=None,
                access_request=request,
                action=Action.COMPLETE,
                export_file=File(tmp, name=_safe_name(name)),
            )
    except Exception:
        log.exception("access request %s: compilation failed", request.pk)
        request = services.access_request_transition(
            actor=None,
            access_request=request,
            action=Action.FAIL,
            failure_message=FAILURE_MESSAGE_NL,
        )
    return request.state


def zip_members(fh: IO[bytes]) -> dict[str, Any]:
    """Name → size of the members of an export (for tests and the admin)."""
    with zipfile.ZipFile(fh) as zf:
        return {info.filename: info.file_size for info in zf.infolist()}
