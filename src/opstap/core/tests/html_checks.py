"""Checks on rendered HTML that several apps' tests share (WCAG 2.1: 1.3.1, 3.3.1, 4.1.2)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

#: Attributes whose value names other elements by id, one or more separated by spaces.
IDREF_ATTRIBUTES = ("aria-describedby", "aria-labelledby", "aria-controls", "aria-errormessage")


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1
            elif name in IDREF_ATTRIBUTES and value:
                self.refs.extend((tag, name, ref) for ref in value.split())


def idref_problems(html: str) -> list[str]:
    """What a screen reader would miss: an `aria-describedby` (or labelledby, controls,
    errormessage) naming an id the page does not have, and an id used twice."""
    parser = _Ids()
    parser.feed(html)
    missing = [
        f"<{tag} {attr}> names #{ref}, which is not on the page"
        for tag, attr, ref in parser.refs
        if ref not in parser.ids
    ]
    twice = [
        f"id {name!r} is used {count} times" for name, count in parser.ids.items() if count > 1
    ]
    return missing + twice
