"""The trajectory overview reads its rows as values (issue 18): what each row shows, and what
its audit records, equal what the page showed when it read model instances (the ORM's
select_related rows with `mark_overdue` and the models' own name rules), for a case manager,
provider staff and every filter, on the same data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.services import case_manager_set_unit
from opstap.clients.tests.factories import make_client
from opstap.core import dutch
from opstap.core.links import pk_links
from opstap.core.roles import RoleCode
from opstap.organisations.models import Organisation
from opstap.providers.models import Product
from opstap.trajectories import selectors
from opstap.trajectories.models import Trajectory

from .conftest import AMS

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def _old_rows(
    user: User, query: dict[str, Any], *, for_provider: bool
) -> tuple[list[dict[str, Any]], list[tuple[str, int]]]:
    """The rows as the page computed them from model instances before (same filters, order
    and page of 50), and the (trajectory, client) pairs its audit recorded."""
    filters = selectors.TrajectoryFilters(
        provider=query.get("provider"),
        product=query.get("product"),
        state=query.get("state", ""),
        overdue=bool(query.get("overdue")),
        running_only=not query.get("state"),
    )
    trajectories = selectors.mark_overdue(
        list(selectors.trajectory_list(user=user, filters=filters, on=TODAY)[:50]), on=TODAY
    )
    role = RoleCode.PROVIDER_STAFF.value if for_provider else None
    due = selectors.next_due_by_trajectory([t.pk for t in trajectories], role=role)
    link = pk_links("trajectories:detail")
    rows = []
    for t in trajectories:
        next_due = due.get(t.pk)
        rows.append(
            {
                "url": link(t.pk),
                "client_name": t.client.sort_name,
                "client_number": t.client.client_number,
                "product": t.product.name,
                "provider": t.provider.name,
                "state": str(t.get_state_display()),
                "overdue": t.is_overdue,  # type: ignore[attr-defined]
                "ordered": dutch.format_date(t.order_date),
                "next_step": selectors.next_step_label(t, for_provider=for_provider),
                "next_due": dutch.format_date(next_due.on) if next_due else "",
                "responsible": next_due.responsible_label if next_due else "",
                "case_manager": t.case_manager.display_name,
            }
        )
    return rows, [(str(t.pk), t.client_id) for t in trajectories]


@pytest.fixture
def varied(
    org: Organisation,
    case_manager: User,
    make_user: Callable[..., User],
    product3: Product,
    contracted_b: Any,
    make_product: Callable[..., Product],
    order: Callable[..., Trajectory],
) -> list[Trajectory]:
    """Trajectories of two providers and products, clients with and without a name prefix,
    a case manager with and one without a full name, overdue and not, in several states
    (one that waits for the case manager, one handed over, one rejected)."""
    other_product = make_product(contracted_b, 3)
    bare = make_user(RoleCode.CASE_MANAGER, username="km-zonder-naam")
    User.objects.filter(pk=bare.pk).update(first_name="", last_name="")
    made = []
    case_manager_set_unit(user=case_manager, unit="work")  # sees bare's step-4 clients too
    for n in range(9):
        actor = case_manager if n % 4 else bare
        client = make_client(
            org,
            case_manager=actor,
            ladder_step="4",
            first_name=f"Jan{n}",
            last_name="Vries" if n % 2 else f"Klant{n}",
            last_name_prefix="de" if n % 2 else "",
        )
        made.append(
            order(
                product3 if n % 3 else other_product,
                client=client,
                actor=actor,
                on=dt.date(2026, 6, 1) - dt.timedelta(days=20 * n),
            )
        )
    for trajectory, state in zip(
        made, ["plan_submitted", "running", "handed_over", "quote_rejected"], strict=False
    ):
        Trajectory.objects.filter(pk=trajectory.pk).update(state=state)
    return made


QUERIES: list[dict[str, Any]] = [
    {},
    {"overdue": "on"},
    {"state": "running"},
    {"state": "handed_over"},
    {"state": "plan_submitted", "overdue": "on"},
]


@pytest.mark.parametrize("username", ["klantmanager", "aanbieder-a"])
def test_rows_equal_the_model_rows(
    varied: list[Trajectory], provider_user_a: User, time_machine: Any, username: str
) -> None:
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    user = User.objects.get(username=username)
    http = HttpClient()
    http.force_login(user)
    product = varied[1].product_id
    provider = varied[1].provider_id
    for query in [*QUERIES, {"product": product}, {"provider": provider, "overdue": "on"}]:
        last = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = http.get(reverse("trajectories:list"), query)
        assert response.status_code == 200
        expected, items = _old_rows(user, query, for_provider=username != "klantmanager")
        assert response.context["rows"] == expected, query
        if not query:
            assert len(expected) >= 4  # the data exercises the rows
        audited = AuditRecord.objects.filter(id__gt=last, purpose="Trajectenoverzicht")
        assert list(audited.order_by("id").values_list("object_id", "client_id")) == items


#: The template loop the rows replaced (issue 18), kept next to this test to compare with.
OLD_LOOP = (Path(__file__).parent / "overview_rows_loop.html").read_text(encoding="utf-8")


def _folded(html: str) -> str:
    """White space between tags folded, as `bench/pages_snapshot.py` compares pages."""
    import re

    return re.sub(r">\s+<", "><", html.strip())


def _old_loop_html(rows: list[dict[str, Any]], *, for_provider: bool) -> str:
    from django.template import Context, Engine

    engine = Engine.get_default()
    return engine.from_string(OLD_LOOP).render(
        Context({"rows": rows, "for_provider": for_provider})
    )


ODD_ROW = {
    "url": "/trajecten/7/?a=1&b=<2>",
    "client_name": "Dijk, Anna <b>van</b> & 'Zn'",
    "client_number": '"200001"',
    "product": "Werkfit <script>",
    "provider": "A & B",
    "state": "Lopend",
    "overdue": True,
    "ordered": "03-12-2026",
    "next_step": "",
    "next_due": "14-12-2026",
    "responsible": "Aanbieder & co",
    "case_manager": "Karin <de> Vries",
}


@pytest.mark.parametrize("for_provider", [False, True])
def test_rows_html_equals_the_template_loop(for_provider: bool) -> None:
    """The overview's rows written in the view are the template loop's HTML, every value
    escaped: with and without a badge, a next step, a due date and its party, and none."""
    from opstap.trajectories.views import overview_rows_html

    plain = {**ODD_ROW, "overdue": False, "next_step": "Intake houden", "next_due": ""}
    rows = [ODD_ROW, plain]
    html = str(overview_rows_html(rows, for_provider=for_provider))
    assert _folded(html) == _folded(_old_loop_html(rows, for_provider=for_provider))
    assert "<script>" not in html and "&lt;script&gt;" in html
    empty = str(overview_rows_html([], for_provider=for_provider))
    assert _folded(empty) == _folded(_old_loop_html([], for_provider=for_provider))


@pytest.mark.parametrize("username", ["klantmanager", "aanbieder-a"])
def test_page_rows_equal_the_template_loop(
    varied: list[Trajectory], provider_user_a: User, time_machine: Any, username: str
) -> None:
    """On the page itself: the table body is what the loop wrote for the page's rows."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    http = HttpClient()
    http.force_login(User.objects.get(username=username))
    for_provider = username != "klantmanager"
    for query in QUERIES:
        response = http.get(reverse("trajectories:list"), query)
        body = response.content.decode()
        tbody = body[body.index("<tbody>") + len("<tbody>") : body.index("</tbody>")]
        old = _old_loop_html(response.context["rows"], for_provider=for_provider)
        assert _folded(tbody) == _folded(old), query


def test_rows_html_of_a_page_stays_within_its_budget() -> None:
    """Issue 18: the 50 rows of a page in at most 6,000 Python calls (9,760 with Django's
    `conditional_escape` per value until 7 December 2026; 4,810 with `escape_text`)."""
    import cProfile
    import pstats

    from opstap.trajectories.views import overview_rows_html

    rows = [{**ODD_ROW, "url": f"/trajecten/{n}/"} for n in range(50)]
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(5):
        overview_rows_html(rows, for_provider=False)
    profile.disable()
    calls = pstats.Stats(profile).total_calls / 5  # type: ignore[attr-defined]
    assert calls <= 6_000, calls


@pytest.mark.parametrize("username", ["klantmanager", "aanbieder-a"])
def test_page_filter_fields_are_what_the_include_wrote(
    varied: list[Trajectory], provider_user_a: User, time_machine: Any, username: str
) -> None:
    """Issue 18: the filter form's fields are written in Python (`described_field_html`),
    byte for byte what `core/_described_field.html` wrote for them, with their labels, help
    and error messages (WCAG 2.1 SC 1.3.1, 3.3.1), also for values that cannot be read."""
    from django.template.loader import render_to_string

    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    http = HttpClient()
    http.force_login(User.objects.get(username=username))
    bad = {"provider": "abc", "state": "nee", "overdue": "on", "product": "x"}
    for query in [*QUERIES, {"provider": varied[1].provider_id}, bad]:
        response = http.get(reverse("trajectories:list"), query)
        body = response.content.decode()
        form = response.context["form"]
        for name in ("provider", "state", "overdue"):
            included = render_to_string("core/_described_field.html", {"field": form[name]})
            assert included in body, (query, name)
    assert 'id="id_provider_error"' in body and 'id="id_state_error"' in body
