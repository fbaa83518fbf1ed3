"""Before/after check for work that must not change what a page shows (issues 13 and 18).

    .venv/bin/python bench/pages_snapshot.py save DIR        # the daily pages, as their users
    .venv/bin/python bench/pages_snapshot.py compare DIR_A DIR_B

`save` fetches every daily list (with and without its filters) and every role's start page
through Django's test client as the demo account of that role, against the database of
DATABASE_URL (the demo organisation must be loaded: `bench/run.py` or `make demo`), and writes
each answer to DIR with its status code. CSRF tokens are masked, and so is the counts' time
of day ("Stand van hh:mm:ss"), which changes between two fetches. Run it from the checkout
before a change and from the checkout after it, against the same database, then `compare`:
it folds white space between tags (a template that no longer leaves a newline before a
`</td>` is not a change a user sees) and lists every page whose HTML differs, exiting 1 if
any does. Reading pages writes audit records (as any read does); nothing else is changed.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opstap.conf.settings")
os.environ.setdefault("OPSTAP_BENCH", "1")

PAGES: list[tuple[str, str]] = [
    ("klantmanager", "/"),
    ("klantmanager", "/klanten/"),
    ("klantmanager", "/klanten/?trede=4"),
    ("klantmanager", "/klanten/?klantmanager="),
    ("klantmanager", "/klanten/?klantmanager=&q=sandra+berg"),
    ("klantmanager", "/klanten/?klantmanager=&sort=-trede&per=50&pagina=2"),
    ("klantmanager", "/instrumentengids/"),
    ("klantmanager", "/instrumentengids/?q=jobcoaching&trede=5"),
    ("klantmanager", "/aanbieders/"),
    ("klantmanager", "/trajecten/"),
    ("klantmanager", "/trajecten/?overdue=on"),
    ("klantmanager", "/trajecten/?page=2"),
    ("administratie", "/"),
    ("administratie", "/facturen/"),
    ("contractmanager", "/"),
    ("contractmanager", "/indicatoren/"),
    ("beleid", "/"),
    ("teamleider", "/"),
    ("teamleider", "/trajecten/"),
    ("aanbieder-a", "/"),
    ("aanbieder-a", "/trajecten/"),
    ("inkomenscoach", "/"),
    ("werkgeversadviseur", "/"),
    ("socialreturn", "/"),
    # The KPI pages (issue 18): both variants of the dashboard, its filters, a year before,
    # a detail page; as the policy officer and as the team lead (counts not suppressed
    # within her own unit). "{gemeente}" is the organisation's first municipality.
    ("beleid", "/sturing/"),
    ("beleid", "/sturing/?gemeente={gemeente}"),
    ("beleid", "/sturing/?doelgroep=youth&unit=work"),
    ("beleid", "/sturing/?jaar=2025&gemeente={gemeente}"),
    ("beleid", "/sturing/?jaar=1800"),
    ("beleid", "/sturing/kpi/actieve-begeleiding-naar-werk/"),
    ("beleid", "/sturing/kpi/plaatsingen/?gemeente={gemeente}"),
    ("teamleider", "/sturing/?unit=work"),
]

_MASKS = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'"X-CSRFToken": "[^"]+"'), '"X-CSRFToken"'),
    (re.compile(r"Stand van \d\d:\d\d:\d\d"), "Stand van hh:mm:ss"),
    # A chart's title id is the chart object's id() (unique on the page, not across fetches).
    (re.compile(r'"chart-\d+"'), '"chart-N"'),
]


def _file_name(username: str, path: str) -> str:
    return re.sub(r"[^A-Za-z0-9=-]+", "_", f"{username}{path}").strip("_") + ".html"


def save(directory: Path) -> int:
    import django

    django.setup()
    from django.test import Client

    from opstap.accounts.models import User
    from opstap.demo.generator import DEMO_ORG_SLUG
    from opstap.organisations.models import Municipality

    directory.mkdir(parents=True, exist_ok=True)
    missing = 0
    first = Municipality.objects.filter(organisation__slug=DEMO_ORG_SLUG).order_by("id")
    gemeente = str(first.values_list("id", flat=True).first() or 0)
    for username, path in PAGES:
        path = path.replace("{gemeente}", gemeente)
        user = User.objects.filter(username=username).first()
        if user is None:
            print(f"no account {username}: run it against a database with the demo organisation")
            missing += 1
            continue
        client = Client()
        client.force_login(user)
        response = client.get(path, follow=True)
        html = response.content.decode()
        for pattern, replacement in _MASKS:
            html = pattern.sub(replacement, html)
        (directory / _file_name(username, path)).write_text(
            f"<!-- {response.status_code} -->\n{html}", encoding="utf-8"
        )
        print(f"{response.status_code} {username:20} {path}")
    return 1 if missing else 0


def _folded(html: str) -> str:
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    return re.sub(r"\s+", " ", html)


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.glob("*.html")} | {p.name for p in after.glob("*.html")})
    differ = []
    for name in names:
        a, b = before / name, after / name
        if not (a.exists() and b.exists()):
            differ.append(f"{name}: only in {'the first' if a.exists() else 'the second'}")
        elif _folded(a.read_text(encoding="utf-8")) != _folded(b.read_text(encoding="utf-8")):
            differ.append(f"{name}: the HTML differs")
    for line in differ:
        print(line)
    print(f"{len(names) - len(differ)} of {len(names)} pages the same")
    return 1 if differ else 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "save":
        return save(Path(argv[1]))
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
