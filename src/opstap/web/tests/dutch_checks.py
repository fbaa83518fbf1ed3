"""What users read is Dutch, not code (issue 14): the checks over the visible text of a page or
an export. Used by the page walk (`test_dutch_not_code.py`) and the export tests.

A finding is a short Dutch-free description: `(kind, snippet)`. The kinds:

- ``rule-id``: a requirement id such as R-KPI-1 (they stay in code and docs);
- ``code``: an internal code, a workflow state or action, a role code or an English model name
  with a number ("trajectory 311"), collected from every `StrEnum` and every model field with
  choices in the project, so new apps are covered without editing this list;
- ``money``: an amount not written `€ 1.500,00`, or a decimal point in a number;
- ``date``: a date in another style than the house style `03-12-2026`;
- ``source``: a path into the source tree (`docs/kpis.md`, `clients/importer/files.py`): the
  developers' documentation is not where a user can look.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from functools import cache
from html.parser import HTMLParser

RULE_ID = re.compile(r"\bR-[A-Z]{2,5}-\d+[a-z]?\b")
EURO = re.compile(r"€\s?-?[\d.,]*\d(?:[\d.,]*\d)?")
# cents may be left out (`€ 100`, chart ticks `€ 496.000`), thousands are always grouped
# on pages the space after € is a no-break space (`euro_html`: no wrap at 320 px)
EURO_OK = re.compile(r"^€[ \u00a0]-?\d{1,3}(?:\.\d{3})*(?:,\d{2})?$")
EURO_MLN = re.compile(r"€[ \u00a0]-?\d+(?:,\d)? mln\b")  # an axis tick in millions: `€ 1,5 mln`
# 28.39, 1255.00 — a decimal point; not 1.500 (thousands) and not 2.1 (WCAG 2.1, versions)
DECIMAL_POINT = re.compile(r"(?<![\w.,/-])-?\d+\.\d{2}(?![\w.,/-]|\.\d)")
ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")
SLASH_DATE = re.compile(r"(?<![\w/])\d{1,2}/\d{1,2}/\d{2,4}(?![\w/])")
#: A date written out ("1 december 2026") where the house style is 01-12-2026; a weekday in
#: front ("vrijdag 22 mei 2026", the residents' appointments) is a deliberate long form.
LONG_DATE = re.compile(
    r"(?<!maandag )(?<!dinsdag )(?<!woensdag )(?<!donderdag )(?<!vrijdag )(?<!zaterdag )"
    r"(?<!zondag )\b\d{1,2} (?:januari|februari|maart|april|mei|juni|juli|augustus|september|"
    r"oktober|november|december) \d{4}\b"
)
ENGLISH_DATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d{1,2}(?:st|nd|rd|th)?,"
    r" \d{4}\b"
)
SOURCE_PATH = re.compile(r"(?<![\w/.-])(?:docs|src)/[\w./-]+|\b[\w-]+(?:/[\w-]+)*\.(?:md|py)\b")
#: What stays behind when a rule id or code is cut out of a sentence: "vangnetuitkering ()".
EMPTY_PARENS = re.compile(r"\(\s*\)")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

#: Code values that are also ordinary Dutch (or international) words in running text.
DUTCH_WORDS = frozenset(
    [
        "absolute",
        "api",
        "beschut",
        "budget",
        "complete",
        "direct",
        "document",
        "download",
        "dubbel",
        "forecast",
        "import",
        "jobcoach",
        "ladder",
        "met",
        "score",
        "training",
        "uea",
        "vog",
        "weekend",
        "werkfit",
        "open",
        "actief",
        "nee",
        "ja",
        "pdf",
        "csv",
        "xlsx",
        "intake",
        "start",
        "digid",
        "email",
        "post",
        "web",
        "zzp",
        "euro",
        "uur",
        "week",
        "plan",
        "status",
        "tarief",
        "product",
        "traject",
        "contract",
        "signaal",
        "concept",
        "totaal",
        "code",
        "die",
        "tegel",
        "scenario",
        "social",
        "dossier",
        "return",  # "social return" is the Dutch policy term (R-NET-10)
    ]
)


class _Visible(HTMLParser):
    """Collects what a person reads or hears: text outside script/style, and the attributes
    a screen reader speaks (aria-label, title, alt, placeholder, button values).

    A single word inside `<code>` is a literal the user types (a column header of an import
    file such as `lks`): it is passed over, as it is no code leaking into the text."""

    # a textarea holds what a user typed, like an input's value (which is not read either)
    SKIP = {"script", "style", "template", "noscript", "textarea"}
    LITERAL = re.compile(r"[a-z][a-z0-9_]*")
    SPOKEN = ("aria-label", "title", "alt", "placeholder", "aria-description")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
            return
        if tag == "code":
            self._code += 1
        values = dict(attrs)
        for name in self.SPOKEN:
            if values.get(name):
                self.parts.append(str(values[name]))
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.parts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        if tag == "code" and self._code:
            self._code -= 1

    def handle_data(self, data: str) -> None:
        if self._code and self.LITERAL.fullmatch(data.strip()):
            return
        if not self._skip and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def _project_enums() -> Iterator[type[enum.Enum]]:
    seen: set[type] = set()
    stack: list[type] = [enum.Enum]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub in seen:
                continue
            seen.add(sub)
            stack.append(sub)
            if sub.__module__.startswith("opstap."):
                yield sub


@cache
def internal_codes() -> frozenset[str]:
    """Every lowercase code the project defines (StrEnum values, model choices whose label
    differs) that is not also a Dutch word people read."""
    from django.apps import apps

    values: set[str] = set()
    labels: set[str] = set()
    for cls in _project_enums():
        for member in cls:
            if isinstance(member.value, str):
                values.add(member.value)
                label = getattr(member, "label", None)
                if isinstance(label, str):
                    labels.add(label.lower())
    for model in apps.get_models():
        if not model.__module__.startswith("opstap."):
            continue
        for fld in model._meta.get_fields():
            for value, label in getattr(fld, "flatchoices", None) or ():
                if isinstance(value, str):
                    values.add(value)
                    labels.add(str(label).lower())
    return frozenset(
        v
        for v in values
        if re.fullmatch(r"[a-z][a-z0-9_]*", v)
        and len(v) > 2
        and v not in DUTCH_WORDS
        and v not in labels
    )


@cache
def english_model_names() -> re.Pattern[str]:
    from django.apps import apps

    names = sorted(
        {m._meta.model_name or "" for m in apps.get_models() if m.__module__.startswith("opstap.")},
        key=len,
        reverse=True,
    )
    names = [n for n in names if n and n not in DUTCH_WORDS]
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r") #?\d+\b")


#: on a page the space after € is a no-break space (`euro_html`): a plain one lets the amount
#: wrap at 320 px; exports, e-mails and stored text keep the plain space
EURO_PAGE_OK = re.compile(r"^€\u00a0-?\d{1,3}(?:\.\d{3})*(?:,\d{2})?$")


def findings(text: str, *, page: bool = False) -> list[tuple[str, str]]:
    """The problems in a piece of text people read; `page`: the visible text of a page."""
    euro_ok = EURO_PAGE_OK if page else EURO_OK
    out: list[tuple[str, str]] = [("rule-id", m.group()) for m in RULE_ID.finditer(text)]
    codes = internal_codes()
    out.extend(("code", _around(text, m)) for m in _WORD.finditer(text) if m.group() in codes)
    out.extend(("code", m.group()) for m in english_model_names().finditer(text))
    out.extend(
        ("money", _around(text, m))
        for m in EURO.finditer(EURO_MLN.sub("", text))
        if not euro_ok.match(m.group().rstrip(".,"))
    )
    out.extend(("money", _around(text, m)) for m in DECIMAL_POINT.finditer(text))
    for pattern in (ISO_DATE, SLASH_DATE, ENGLISH_DATE, LONG_DATE):
        out.extend(("date", _around(text, m)) for m in pattern.finditer(text))
    out.extend(("source", m.group()) for m in SOURCE_PATH.finditer(text))
    out.extend(("leftover", _around(text, m)) for m in EMPTY_PARENS.finditer(text))
    return out


def _around(text: str, m: re.Match[str], width: int = 30) -> str:
    start, end = max(0, m.start() - width), min(len(text), m.end() + width)
    return " ".join(text[start:end].split())


def cell_findings(values: Iterable[object]) -> list[tuple[str, str]]:
    """Findings in exported text cells (numbers and dates in typed cells are fine)."""
    return [f for value in values if isinstance(value, str) for f in findings(value)]
