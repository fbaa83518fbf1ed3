"""Issue 14, "Dutch only, one format": every page a role can open in the demo, and every
export offered there, shows Dutch — no rule ids, no English workflow codes or internal codes,
money as `€ 1.500,00`, dates as `03-12-2026`.

The pages are discovered, not listed: for each role, every page without parameters the role
holds the permission for (from the URL conf and the views' access declarations, like the access
matrix), then every link on those pages, breadth first, a few per URL pattern. Pages that other
apps add are walked once they are in the URL conf or linked. Exports (CSV, xlsx, PDF) reached
that way are opened and checked the same way (openpyxl for xlsx, the PDF's own text for PDF).
Every form on those pages is posted with impossible input too (rolled back after), and must
answer in Dutch, never with a server error.

The demo is built once for the module on DEMO_TODAY with the clock stopped there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import Resolver404, resolve

from opstap.accounts.models import User
from opstap.accounts.tests.endpoints import url_endpoints
from opstap.conftest import DEMO_TODAY
from opstap.core.access import check_perm

from .dutch_checks import cell_findings, findings, visible_text

#: One demo user per role (the team lead combines two roles).
ROLE_USERS = (
    "klantmanager",
    "teamleider",
    "inkomenscoach",
    "contractmanager",
    "beleid",
    "administratie",
    "beheerder",
    "auditor",
    "socialreturn",
    "werkgeversadviseur",
    "privacy",
    "aanbieder-a",
    "inwoner",
)
PER_PATTERN = 3  # distinct paths walked per URL pattern (list pages with filters, details)
MAX_PAGES = 400  # per role; a guard against an endless link space, never reached in the demo
SKIP_PREFIXES = ("/api/", "/beheer/", "/static/", "/media/", "/account/uitloggen")
_HREF = re.compile(r"""<a\b[^>]*\bhref=["']([^"'#][^"']*)["']""", re.I)
pytestmark = pytest.mark.django_db  # the test database; the demo is built once per module

EXPORT_TYPES = {
    "text/csv": "csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/pdf": "pdf",
}


@pytest.fixture(autouse=True)
def _private_storage() -> None:
    """The walk opens the files its demo site stored once for the module (payment batches,
    SRG deliveries, plans): they stay in the session's temporary directory, so the root
    conftest's per-test directory is not used here (it would hide them)."""


@pytest.fixture(scope="module")
def demo_site(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo organisation, built once for the walk and rolled back afterwards."""
    import time_machine

    from opstap.demo import generator

    moment = dt.datetime.combine(DEMO_TODAY, dt.time(10, 0), tzinfo=ZoneInfo("Europe/Amsterdam"))
    with (
        time_machine.travel(moment, tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        generator.build(scale="demo", today=DEMO_TODAY, log=lambda _msg: None)
        yield
        transaction.set_rollback(True)


@dataclass
class Walk:
    pages: int = 0
    exports: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def _seed_paths(user: User) -> list[str]:
    """Every parameterless page the role holds the permission for."""
    out = []
    for ep in url_endpoints():
        if ep.kind != "page" or ep.has_params or ep.path is None or ep.public:
            continue
        if ep.path.startswith(SKIP_PREFIXES) or ep.declaration is None:
            continue
        if check_perm(user, *ep.required):
            out.append(ep.path)
    return sorted(set(out))


def _route(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return None


def _check_export(kind: str, content: bytes, where: str) -> list[str]:
    problems: list[str] = []
    if kind == "csv":
        if not content.startswith(b"\xef\xbb\xbf"):
            problems.append(f"{where}: CSV without UTF-8 BOM")
        text = content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        if rows and len(rows[0]) < 2:
            problems.append(f"{where}: CSV not separated by ';'")
        found = cell_findings(cell for row in rows for cell in row)
    elif kind == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(content))
        found = cell_findings(
            cell.value for ws in wb.worksheets for row in ws.iter_rows() for cell in row
        )
        found += cell_findings(ws.title for ws in wb.worksheets)
    else:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError, PdfStreamError

        try:
            reader = PdfReader(io.BytesIO(content))
            producer = str((reader.metadata or {}).get("/Producer", ""))
        except (PdfReadError, PdfStreamError, ValueError) as exc:
            return [f"{where}: a PDF that does not open ({type(exc).__name__})"]
        if "WeasyPrint" not in producer:
            # a document someone uploaded (evidence, an invoice PDF): their words, not ours
            return []
        found = findings("\n".join(page.extract_text() or "" for page in reader.pages))
    problems.extend(f"{where}: {k}: {s!r}" for k, s in dict.fromkeys(found))
    return problems


class _Forms(HTMLParser):
    """The POST forms of a page that offer a download (a submit button `action=xlsx|pdf|csv`,
    as the finance models have), with the values the form would send as it stands."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str], list[str]]] = []
        self._form: tuple[str, dict[str, str], list[str]] | None = None
        self.kinds: list[dict[str, str]] = []  # per form: field name -> input type
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = (a.get("action", ""), {}, [])
            self.forms.append(self._form)
            self.kinds.append({})
        if self._form is None:
            return
        fields, buttons = self._form[1], self._form[2]
        name = a.get("name", "")
        if tag == "button" or (tag == "input" and a.get("type") == "submit"):
            if name == "action" and a.get("value") in {"xlsx", "pdf", "csv"}:
                buttons.append(a["value"])
        elif tag == "input" and name:
            kind = a.get("type", "text")
            self.kinds[-1][name] = kind
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    fields[name] = a.get("value", "on")
            elif kind not in {"file", "button", "reset"}:
                fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.kinds[-1][name] = "select"
        elif tag == "option" and self._select:
            if self._select not in fields or "selected" in a:
                fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.kinds[-1][name] = "textarea"
            fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form[1][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def export_forms(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    return [
        (action, {**fields, "action": button})
        for action, fields, buttons in parser.forms
        for button in buttons
    ]


#: What a person (or a script) may type where a number, a date, a text or a choice is asked:
#: beyond any range, impossible, overlong. Each set spoils one kind of field and fills the
#: others plausibly, so the spoilt value reaches the service rather than stopping at another
#: field's check. Each form is posted once with each set (R-SEC-6: no input gives a 5xx).
_SANE = {"number": "1", "date": DEMO_TODAY.isoformat(), "text": "Test", "select": None}
BAD_INPUT = (
    {"number": "1e309"},
    {"number": "-99999999999999999999"},
    {"number": "NaN"},
    {"date": "31-02-2026"},
    {"date": "9999-12-31"},
    {"date": "0001-01-01"},
    {"text": "x" * 5000},
    {"text": "\u00e9<b>&amp;</b>\u0000"},
    {"select": str(2**63)},
)
_TYPED = {
    "number": "number",
    "date": "date",
    "text": "text",
    "textarea": "text",
    "email": "text",
    "search": "text",
    "select": "select",
}


def bad_posts(html: str) -> list[tuple[str, list[dict[str, str]]]]:
    """Every POST form of the page that asks for a number, a date or a text, with its data
    once per set of BAD_INPUT (hidden fields and the CSRF token as the page has them)."""
    parser = _Forms()
    parser.feed(html)
    posts = []
    for (action, fields, _buttons), kinds in zip(parser.forms, parser.kinds, strict=True):
        typed = {name: _TYPED[kind] for name, kind in kinds.items() if kind in _TYPED}
        if not any(kind in {"number", "date", "text"} for kind in typed.values()):
            continue
        variants = []
        for bad in BAD_INPUT:
            if not any(kind in bad for kind in typed.values()):
                continue
            data = dict(fields)
            for name, kind in typed.items():
                value = bad.get(kind, _SANE[kind])
                if value is not None:  # a choice keeps its first option unless spoilt
                    data[name] = value
            variants.append(data)
        posts.append((action, variants))
    return posts


def _post_rolled_back(client: Client, path: str, data: dict[str, str]) -> Any:
    """Post and undo whatever it wrote: the walk goes on over the demo as it was."""
    with transaction.atomic():
        response = client.post(path, data)
        transaction.set_rollback(True)
    return response


def walk_role(username: str, *, bad_input: bool = False) -> Walk:
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    result = Walk()
    queue: deque[tuple[str, str]] = deque(("(startpagina)", p) for p in ["/", *_seed_paths(user)])
    seen: set[str] = set()
    per_route: Counter[str] = Counter()
    forms_posted: set[tuple[str | None, tuple[str, ...]]] = set()
    while queue and result.pages < MAX_PAGES:
        source, path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        route = _route(path)
        if route is None:
            continue
        per_route[route] += 1
        if per_route[route] > PER_PATTERN:
            continue
        response = client.get(path)
        where = f"{username} {path}"
        status = response.status_code
        if status >= 500:
            result.problems.append(f"{where}: server error {status}")
            continue
        if status in (401, 403) and source != "(startpagina)":
            result.problems.append(f"{where}: linked from {source} but refused ({status})")
            continue
        if status != 200:
            continue
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        kind = EXPORT_TYPES.get(content_type)
        if kind:
            result.exports[kind] += 1
            body = b"".join(response.streaming_content) if response.streaming else response.content
            result.problems.extend(_check_export(kind, body, where))
            continue
        if content_type != "text/html":
            continue
        result.pages += 1
        html = response.content.decode()
        page_findings = findings(visible_text(html), page=True)
        result.problems.extend(f"{where}: {k}: {s!r}" for k, s in dict.fromkeys(page_findings))
        title = html.split("<title>", 1)[-1].split("</title>", 1)[0]
        if title.count("— Opstap") > 1:  # the base template adds "— Opstap" itself
            result.problems.append(f"{where}: title names Opstap twice: {title.strip()!r}")
        for action, data in export_forms(html):
            # A report built in the background (R-INT-4) starts after the commit and answers
            # with its page, which offers the download: the walk follows it like a link.
            with (  # the setting must hold when the callbacks run, as the capture ends
                override_settings(OPSTAP_KPI_EXPORT_SYNC=True),
                TestCase.captureOnCommitCallbacks(execute=True),
            ):
                posted = client.post(action or path, data)
            if posted.status_code == 302:
                queue.appendleft((path, posted["Location"]))
                continue
            kind = EXPORT_TYPES.get(posted.get("Content-Type", "").split(";")[0].strip())
            if posted.status_code >= 500 or kind is None:
                result.problems.append(f"{where}: export {data.get('action')} gave {posted}")
                continue
            result.exports[kind] += 1
            result.problems.extend(_check_export(kind, posted.content, f"{where} ({kind})"))
        for action, variants in bad_posts(html) if bad_input else []:
            target = action or path
            form_key = (_route(target), tuple(sorted(variants[0])))
            if form_key in forms_posted:  # the same form on another page of the pattern
                continue
            forms_posted.add(form_key)
            for data in variants:
                posted = _post_rolled_back(client, target, data)
                if posted.status_code >= 500:
                    result.problems.append(
                        f"{where}: form to {target} with {data} gave {posted.status_code}"
                    )
                elif posted.status_code == 200 and "text/html" in posted["Content-Type"]:
                    text = visible_text(posted.content.decode())
                    result.problems.extend(
                        f"{where} (form to {target}): {k}: {s!r}"
                        for k, s in dict.fromkeys(findings(text, page=True))
                    )
        for href in _HREF.findall(html):
            target = urldefrag(href.replace("&amp;", "&"))[0]
            if not target.startswith("/") or target.startswith("//"):
                continue
            if target.startswith(SKIP_PREFIXES) or target in seen:
                continue
            queue.append((path, target))
    return result


@pytest.mark.parametrize("username", ROLE_USERS)
def test_every_page_and_export_of_a_role_speaks_dutch(demo_site: None, username: str) -> None:
    """Issue 14 (R-POR-3 plain language; house style of money and dates): walk every page
    and export the role can reach in the demo and report what is code, not Dutch. On the way,
    every form that asks for a number, a date or a text is posted with BAD_INPUT (R-SEC-6: no
    input gives a 5xx) and its answer is held to the same checks."""
    result = walk_role(username, bad_input=True)
    assert result.pages >= 3, f"{username}: only {result.pages} pages walked"
    assert result.problems == [], "\n".join(result.problems[:200])


def test_the_walk_reaches_the_exports(demo_site: None) -> None:
    """The walk really opens exports: the policy officer's reports offer xlsx and PDF (the KPI
    council report built in the background, the finance models by their buttons), and once the
    finance clerk has composed and exported a payment batch, its CSV and xlsx. So a broken
    export cannot hide; every one of them passes the same checks."""
    from opstap.invoices import services as invoice_services

    policy = walk_role("beleid")
    assert policy.exports["xlsx"] >= 5 and policy.exports["pdf"] >= 5, policy.exports
    assert policy.problems == [], "\n".join(policy.problems[:100])
    clerk_user = User.objects.get(username="administratie")
    batch = invoice_services.payment_batch_create(actor=clerk_user)
    invoice_services.payment_batch_export(actor=clerk_user, batch=batch)
    clerk = walk_role("administratie")
    assert clerk.exports["csv"] and clerk.exports["xlsx"], clerk.exports
    assert clerk.problems == [], "\n".join(clerk.problems[:100])


def test_the_checks_catch_code() -> None:
    """The checks themselves fail on what issue 14 found (so a green walk means something)."""
    bad = (
        "Status: submit / check / approve — geen_passende_mijlpaal; case_manager opende "
        "trajectory 311; zie R-KPI-1; € 1500,00 en € 1255.00 en 28.39; 2026-06-01; Dec. 3, 2026; "
        "volgens docs/kpis.md; zie clients/importer/files.py; een vangnetuitkering ( )."
    )
    kinds = Counter(kind for kind, _ in findings(bad))
    assert kinds["rule-id"] == 1
    assert kinds["code"] >= 3  # geen_passende_mijlpaal, case_manager, trajectory 311
    assert kinds["money"] >= 3
    assert kinds["date"] == 2
    assert kinds["source"] == 2
    assert kinds["leftover"] == 1  # the brackets a cut-out rule id left behind
    good = (
        "Goedgekeurd op 03-12-2026 14:05: € 1.500,00 en € -12,50 en €\u00a01.500,00; WCAG 2.1; "
        "1.035 klanten; "
        "bestand klanten.csv, www.opstap.nl/hulp"
    )
    assert findings(good) == []
    # on a page an amount keeps together (no-break space after €); in an export a plain
    # space is the norm
    assert [k for k, _ in findings("Totaal € 1.500,00.", page=True)] == ["money"]
    assert findings("Totaal €\u00a01.500,00.", page=True) == []
    # a column header the user types, marked as such, is no leak; the same word in text is
    assert findings(visible_text("<p>Kolom <code>lks</code>: ja of nee.</p>")) == []
    assert findings(visible_text("<p>Status lks, ja.</p>")) != []
    # one date style: a date written out is a finding, unless a weekday makes it the
    # residents' appointment form; a month and year alone (a period) is fine
    assert [k for k, _ in findings("Aangevraagd op 1 december 2026.")] == ["date"]
    assert findings("Afspraak op vrijdag 22 mei 2026 om 10:00.") == []
    assert findings("Periode: november 2026.") == []
