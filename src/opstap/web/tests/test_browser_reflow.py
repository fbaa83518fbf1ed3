"""WCAG 1.4.10 reflow (issue 14): at 320 px the daily pages of every role fit the viewport,
with no sideways scrolling of the page. Tables that need two dimensions scroll inside their
own focusable region (`opstap.js`), which the criterion allows. On the same walk: every text
on those pages is set in the one font stack (issue 14); the start page's panels had
paragraphs in the Utrecht tokens' Arial next to lists in the document's system font.

The demo organisation is built on DEMO_TODAY (explicit today); the pages are each role's start
page, every item of its menu (so pages that other apps add to the menu are covered), and the
first detail page linked from each list. No sleeps: every step waits for the page's load.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from opstap.conftest import DEMO_TODAY, browser_login
from opstap.demo import generator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROLES = (
    "klantmanager",
    "inkomenscoach",
    "contractmanager",
    "beleid",
    "administratie",
    "beheerder",
    "auditor",
    "aanbieder-a",
    "inwoner",
)
WIDTH = 320
DETAIL = re.compile(r"^/(klanten|trajecten|facturen|aanbieders|inzageverzoeken)/\d+/$")

_WIDEST = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && r.width > 0) {
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.clientWidth < p.scrollWidth) {
          inScroller = true; break;
        }
      }
      if (!inScroller) out.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.')
        + ' (' + Math.round(r.right) + ' px)');
    }
  }
  return out.slice(0, 6);
}"""


_FONTS = """() => {
  const seen = {};
  for (const el of document.querySelectorAll('body *')) {
    if (['CODE', 'PRE', 'KBD', 'SAMP', 'SCRIPT', 'STYLE'].includes(el.tagName)) continue;
    if (el.closest('svg')) continue;
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const family = getComputedStyle(el).fontFamily;
    if (!(family in seen)) {
      seen[family] = el.tagName.toLowerCase() + '.' + [...el.classList].join('.');
    }
  }
  return seen;
}"""


@pytest.fixture
def demo_moment() -> Iterator[None]:
    import time_machine

    moment = dt.datetime.combine(DEMO_TODAY, dt.time(10, 0), tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(moment, tick=True):  # time moves in a browser test
        yield


def _paths(page: object) -> list[str]:
    nav = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "nav.opstap-nav a", "els => els.map(e => e.getAttribute('href'))"
    )
    return list(dict.fromkeys(nav))


def test_daily_pages_of_every_role_reflow_at_320_px(page, live_server, demo_moment) -> None:  # type: ignore[no-untyped-def]
    generator.build(scale="demo", today=DEMO_TODAY, log=lambda _msg: None)
    page.set_default_timeout(60_000)
    problems: list[str] = []
    fonts: dict[str, str] = {}
    checked = 0
    for username in ROLES:
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1366, "height": 900})
        browser_login(page, username, generator.DEMO_PASSWORD)
        page.wait_for_load_state()
        home = page.url.removeprefix(live_server.url)
        paths = [home, *_paths(page)]
        details: list[str] = []
        page.set_viewport_size({"width": WIDTH, "height": 800})
        for path in dict.fromkeys(paths):
            page.goto(path)
            page.wait_for_load_state()
            checked += 1
            links = page.eval_on_selector_all(
                "main a", "els => els.map(e => e.getAttribute('href'))"
            )
            details.extend(h for h in links if h and DETAIL.match(h) and h not in details)
            problems.extend(_overflow(page, username, path))
            for family, where in page.evaluate(_FONTS).items():
                fonts.setdefault(family, f"{username} {path}: {where}")
        for path in details[:4]:
            page.goto(path)
            page.wait_for_load_state()
            checked += 1
            problems.extend(_overflow(page, username, path))
        page.set_viewport_size({"width": 1366, "height": 900})
    assert checked >= len(ROLES) * 3
    assert problems == [], "\n".join(problems)
    assert len(fonts) == 1, "more than one font stack:\n" + "\n".join(
        f"{family}: first at {where}" for family, where in fonts.items()
    )


def _overflow(page: object, username: str, path: str) -> list[str]:
    width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    if width <= WIDTH:
        return []
    widest = page.evaluate(_WIDEST)  # type: ignore[attr-defined]
    return [f"{username} {path}: {width} px wide at {WIDTH} px; {', '.join(widest)}"]
