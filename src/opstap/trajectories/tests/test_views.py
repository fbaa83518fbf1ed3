"""Pages of the trajectories app: overview, portal, detail with actions, order form,
'Mijn termijnen', document download (R-TRJ-1..3, R-SEC-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils.html import escape

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import Client
from opstap.clients.tests.factories import make_client
from opstap.organisations.models import Organisation
from opstap.providers.models import Product, Provider
from opstap.trajectories import services
from opstap.trajectories.models import Trajectory

from .conftest import AMS, ORDER_DAY

pytestmark = pytest.mark.django_db

# The overview's queries for a case manager (issue 18: this budget may only go down), with
# its "at most 1,000" count in the counts cache (the view after a write counts it: one more).
# 10 before the organisation data cache (the unit, the ladder mapping).
OVERVIEW_QUERIES = 8


def _login(user: User) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_order_form_places_order(
    case_manager: User, client_k: Client, product3: Product, time_machine: Any
) -> None:
    """R-TRJ-1: the order form (client, product, aim, exit, start wish, risk, budget). The
    form orders today; today is explicit: a day within the provider's contract."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    http = _login(case_manager)
    url = reverse("trajectories:order") + f"?client={client_k.pk}&product={product3.pk}"
    assert http.get(url).status_code == 200
    response = http.post(
        url,
        {
            "rotonde_exit": "regular",
            "aim_tiles": ["EW04"],
            "aim_description": "Werkritme opbouwen",
            "absence_risk": "elevated",
            "budget": "2500.00",
        },
    )
    trajectory = Trajectory.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("trajectories:detail", args=[trajectory.pk])
    assert trajectory.absence_risk == "elevated"


def test_order_form_shows_rotonde_reason_error(
    case_manager: User, client_k: Client, product3: Product
) -> None:
    """R-LAD-4: the order form refuses a skipped exit without reason, in Dutch."""
    http = _login(case_manager)
    url = reverse("trajectories:order") + f"?client={client_k.pk}&product={product3.pk}"
    response = http.post(url, {"rotonde_exit": "activating", "absence_risk": "none"})
    assert response.status_code == 400
    assert "participatierotonde" in response.content.decode()
    assert not Trajectory.objects.exists()


def test_detail_shows_only_allowed_buttons(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    case_manager: User,
    provider_user_a: User,
) -> None:
    """R-TRJ-2: the page offers the transitions the user may take (from the table)."""
    trajectory = walk(order(product3), "plan_submitted")
    url = reverse("trajectories:detail", args=[trajectory.pk])
    cm_page = _login(case_manager).get(url).content.decode()
    provider_page = _login(provider_user_a).get(url).content.decode()
    assert 'data-action="approve_plan"' in cm_page
    assert 'data-action="approve_plan"' not in provider_page
    assert AuditRecord.objects.filter(
        object_type="trajectory", action="read", client_id=trajectory.client_id
    ).exists()


def test_provider_approving_own_plan_refused_in_ui(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-TRJ-2: an illegal transition posted anyway is refused with a clear message."""
    trajectory = walk(order(product3), "plan_submitted")
    response = _login(provider_user_a).post(
        reverse("trajectories:action", args=[trajectory.pk]), {"action": "approve_plan"}
    )
    assert response.status_code == 400
    assert "een aanbieder kan zijn eigen plan niet goedkeuren" in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.state == "plan_submitted"


def test_final_report_before_start_refused_in_ui(
    order: Callable[..., Trajectory], product3: Product, provider_user_a: User
) -> None:
    """R-TRJ-6: a final report before the trajectory ended is refused with the reason."""
    trajectory = order(product3)
    response = _login(provider_user_a).post(
        reverse("trajectories:action", args=[trajectory.pk]),
        {"action": "receive_final_report", "receive_final_report-title": "Eindrapport"},
    )
    assert response.status_code == 400
    assert "kan niet in de status" in response.content.decode()


def test_other_provider_gets_404(
    order: Callable[..., Trajectory], product3: Product, provider_user_b: User
) -> None:
    """R-SEC-1: another provider's trajectory does not exist for provider B."""
    trajectory = order(product3)
    http = _login(provider_user_b)
    assert http.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 404
    response = http.post(
        reverse("trajectories:action", args=[trajectory.pk]), {"action": "plan_intake"}
    )
    assert response.status_code == 404


def test_document_download_access_checked(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    provider_user_b: User,
    case_manager: User,
) -> None:
    """Uploads are private: served only through the access-checked view."""
    trajectory = walk(order(product3), "intake_held")
    document = services.trajectory_document_submit(
        actor=provider_user_a,
        trajectory=trajectory,
        kind="plan",
        title="Plan",
        goals=["Doel"],
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"),
    )
    url = reverse("trajectories:document", args=[trajectory.pk, document.pk])
    response = _login(case_manager).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert _login(provider_user_b).get(url).status_code == 404


def test_overview_query_count_constant(
    org: Organisation,
    case_manager: User,
    product3: Product,
) -> None:
    """The overview costs the same number of queries for 3 or 20 rows (no N+1)."""
    http = _login(case_manager)
    url = reverse("trajectories:list")

    def make(n: int) -> None:
        for _ in range(n):
            client = make_client(org, case_manager=case_manager)
            services.trajectory_order(
                actor=case_manager,
                client=client,
                product=product3,
                rotonde_exit="regular",
                on=ORDER_DAY,
            )

    make(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    http.get(url)  # warm the per-user caches

    with CaptureQueriesContext(connection) as small:
        assert http.get(url).status_code == 200
    make(17)
    http.get(url)  # the writes made the count stale: counted again here, as before `small`
    with CaptureQueriesContext(connection) as large:
        response = http.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('href="/trajecten/') >= 20
    assert len(large.captured_queries) == len(small.captured_queries)
    # Session, user, organisation and roles; the provider and product choices; the scope;
    # the page and the due dates; the audit chain and its insert.
    assert len(large.captured_queries) <= OVERVIEW_QUERIES, [
        q["sql"][:80] for q in large.captured_queries
    ]


def test_overview_row_shows_the_trajectory(
    order: Callable[..., Trajectory], product3: Product, case_manager: User, time_machine: Any
) -> None:
    """Each row: the client's name (linked to the trajectory) and number, product, provider,
    state (overdue: the intake was due on 06-05-2026), order date, next step, the next due
    date and who owes it, the case manager."""
    trajectory = order(product3)
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    client = trajectory.client
    body = _login(case_manager).get(reverse("trajectories:list")).content.decode()
    row = body[body.index(f'href="/trajecten/{trajectory.pk}/"') :]
    row = row[: row.index("</tr>")]
    expected = [
        f'">{escape(client.sort_name)}</a>',
        f'<span class="opstap-muted">{escape(client.client_number)}</span>',
        f"<td>{escape(product3.name)}</td>",
        f"<td>{escape(product3.provider.name)}</td>",
        f"<td>{escape(trajectory.get_state_display())} "
        '<span class="opstap-badge opstap-badge--danger">termijn verlopen</span></td>',
        f"<td>{trajectory.order_date:%d-%m-%Y}</td>",
        "<td>—</td>",  # nothing for the case manager to do while the provider plans the intake
        '<td>06-05-2026 <span class="opstap-muted">(aanbieder)</span></td>',
        f"<td>{escape(case_manager.get_full_name() or case_manager.username)}</td>",
    ]
    for part in expected:
        assert part in row, (part, row.splitlines())


def test_filters_and_overdue(
    order: Callable[..., Trajectory],
    product3: Product,
    case_manager: User,
) -> None:
    """R-TRJ-3: the overview filters on overdue due dates."""
    order(product3, on=dt.date(2025, 1, 6))  # intake long overdue
    http = _login(case_manager)
    body = http.get(reverse("trajectories:list") + "?overdue=on").content.decode()
    assert "termijn verlopen" in body
    assert "1 trajecten gevonden" in body


def test_one_unreadable_filter_keeps_the_others(
    order: Callable[..., Trajectory],
    product3: Product,
    contracted_b: Provider,
    make_product: Callable[..., Product],
    case_manager: User,
) -> None:
    """An unknown state in the URL (an old link, an edited address) listed every trajectory:
    the whole filter form was dropped. The provider filter now keeps applying and the field
    says what was wrong."""
    order(product3)
    order(make_product(contracted_b, 3, name="Werkfit B"))
    http = _login(case_manager)
    url = reverse("trajectories:list")
    assert "2 trajecten gevonden" in http.get(url).content.decode()
    provider_a = product3.provider_id
    body = http.get(f"{url}?provider={provider_a}&state=bogus").content.decode()
    assert "1 trajecten gevonden" in body
    assert "geldige keuze" in body


def test_trajectory_page_names_the_aim_tiles(
    order: Callable[..., Trajectory], product3: Product, provider_user_a: User
) -> None:
    """R-NET-1: the page said "EW04"; it names the tile as the order form does."""
    from opstap.providers.models import Tile

    trajectory = order(product3)
    name = Tile.objects.get(code="EW04").name
    body = _login(provider_user_a).get(f"/trajecten/{trajectory.pk}/").content.decode()
    assert f"{name} (EW04)" in body


def test_my_deadlines_per_role(
    order: Callable[..., Trajectory],
    product3: Product,
    case_manager: User,
    provider_user_a: User,
    provider_user_b: User,
) -> None:
    """R-TRJ-3: 'Mijn termijnen' shows due and overdue deadlines per role."""
    order(product3, on=dt.date(2025, 1, 6))
    url = reverse("trajectories:deadlines")
    assert "Intake gehouden binnen 14 dagen" in _login(case_manager).get(url).content.decode()
    assert "Intake gehouden binnen 14 dagen" in _login(provider_user_a).get(url).content.decode()
    assert (
        "Intake gehouden binnen 14 dagen" not in _login(provider_user_b).get(url).content.decode()
    )


def test_provider_portal_shows_next_step(
    order: Callable[..., Trajectory], product3: Product, provider_user_a: User
) -> None:
    """The provider portal says what to do next and by when."""
    order(product3)
    body = _login(provider_user_a).get(reverse("trajectories:list")).content.decode()
    assert "Mijn trajecten" in body
    assert "Intake plannen" in body
    assert "06-05-2026" in body


def test_overview_counts_at_most_the_cap(
    order: Callable[..., Trajectory],
    product3: Product,
    case_manager: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 6: the overview counts at most OVERVIEW_COUNT_CAP rows and says "meer dan"."""
    from opstap.trajectories import views

    for _ in range(3):
        order(product3)
    http = _login(case_manager)
    assert "3 trajecten gevonden" in http.get(reverse("trajectories:list")).content.decode()
    monkeypatch.setattr(views, "OVERVIEW_COUNT_CAP", 2)
    body = http.get(reverse("trajectories:list")).content.decode()
    assert "Meer dan 2 trajecten gevonden" in body
    assert body.count('href="/trajecten/') - body.count('href="/trajecten/termijnen') >= 3


def test_overdue_filter_lists_longest_overdue_first(
    order: Callable[..., Trajectory], product3: Product, case_manager: User
) -> None:
    """R-TRJ-3: with the overdue filter the most overdue trajectory comes first."""
    recent = order(product3, on=dt.date(2025, 6, 2))
    oldest = order(product3, on=dt.date(2025, 1, 6))
    body = _login(case_manager).get(reverse("trajectories:list") + "?overdue=on").content.decode()
    assert body.index(f"/trajecten/{oldest.pk}/") < body.index(f"/trajecten/{recent.pk}/")


def test_overview_due_column_says_who_owes_it(
    order: Callable[..., Trajectory],
    product3: Product,
    case_manager: User,
    provider_user_a: User,
) -> None:
    """R-TRJ-3: case managers see the next due date of the trajectory and who owes it; the
    provider sees its own due date without that note."""
    order(product3)
    cm_body = _login(case_manager).get(reverse("trajectories:list")).content.decode()
    assert "Eerstvolgende termijn" in cm_body
    assert "06-05-2026</span>" not in cm_body
    assert "06-05-2026 <span" in cm_body and "(aanbieder)" in cm_body
    provider_body = _login(provider_user_a).get(reverse("trajectories:list")).content.decode()
    assert "Uiterlijk" in provider_body and "06-05-2026" in provider_body
    assert "(aanbieder)" not in provider_body


def test_client_dossier_include(
    order: Callable[..., Trajectory], product3: Product, case_manager: User, client_k: Client
) -> None:
    """The trajectories section for the client dossier renders through the template tag."""
    from django.template import Context, Template
    from django.test import RequestFactory

    order(product3)
    request = RequestFactory().get("/")
    request.user = case_manager
    html = Template("{% load trajectories %}{% client_trajectories client %}").render(
        Context({"request": request, "client": client_k})
    )
    assert product3.name in html
    assert "Traject bestellen" in html


def test_my_deadlines_query_count_constant(
    org: Organisation, case_manager: User, product3: Product
) -> None:
    """'Mijn termijnen' costs the same number of queries for 2 or 12 due dates."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    http = _login(case_manager)
    url = reverse("trajectories:deadlines")

    def make(n: int) -> None:
        for _ in range(n):
            client = make_client(org, case_manager=case_manager)
            services.trajectory_order(
                actor=case_manager,
                client=client,
                product=product3,
                rotonde_exit="regular",
                on=dt.date(2025, 1, 6),
            )

    make(2)
    http.get(url)
    with CaptureQueriesContext(connection) as small:
        http.get(url)
    make(10)
    with CaptureQueriesContext(connection) as large:
        body = http.get(url).content.decode()
    assert body.count("Intake gehouden binnen 14 dagen") == 12
    assert len(large.captured_queries) == len(small.captured_queries)


def test_order_from_the_guide_chooses_client_first(
    case_manager: User, client_k: Client, product3: Product
) -> None:
    """R-TRJ-1: ordering from the instrument guide (product only) asks for the client."""
    http = _login(case_manager)
    body = http.get(reverse("trajectories:order") + f"?product={product3.pk}").content.decode()
    assert "kies de klant" in body
    # nothing listed or preselected until the case manager searches (issue 14)
    assert client_k.client_number not in body and "<select" not in body
    body = http.get(
        reverse("trajectories:order") + f"?product={product3.pk}&q={client_k.last_name}"
    ).content.decode()
    assert client_k.client_number in body


def test_order_choose_client_list_is_audited(
    case_manager: User, client_k: Client, product3: Product
) -> None:
    """R-SEC-2: the clients found on the order form (names, client numbers) are audited, one
    `search` record per client shown."""
    _login(case_manager).get(
        reverse("trajectories:order_client_options") + f"?q={client_k.client_number}"
    )
    assert AuditRecord.objects.filter(
        action="search", object_type="client", client_id=client_k.pk, actor_id=case_manager.pk
    ).exists()


def test_order_choices_are_searchable_and_nothing_is_preselected(
    case_manager: User, client_k: Client, product3: Product
) -> None:
    """Issue 14: client and product are searched (htmx combobox, ARIA listbox options),
    never a long drop-down with the first option already selected."""
    http = _login(case_manager)
    page = http.get(reverse("trajectories:order")).content.decode()
    assert 'role="combobox"' in page and 'aria-controls="client-options"' in page
    assert 'name="client" value=""' in page and "selected" not in page
    options = http.get(
        reverse("trajectories:order_client_options") + f"?q={client_k.last_name[:4]}"
    ).content.decode()
    assert f'data-value="{client_k.pk}"' in options and 'role="option"' in options
    nothing = http.get(reverse("trajectories:order_client_options") + "?q=zzzz")
    assert 'role="option"' not in nothing.content.decode()
    page = http.get(reverse("trajectories:order") + f"?client={client_k.pk}").content.decode()
    assert 'aria-controls="product-options"' in page and "<select" not in page
    options = http.get(
        reverse("trajectories:order_product_options") + "?q=werkfit"
    ).content.decode()
    assert f'data-value="{product3.pk}"' in options


def test_product_step_does_not_inherit_the_client_search(
    case_manager: User, client_k: Client, product3: Product
) -> None:
    """The client step submits its search text as `q`; the product step that follows starts
    with an empty search of its own (it once searched products for the client's name, and
    the list said "Niets gevonden")."""
    http = _login(case_manager)
    label = f"Klant, Kees ({client_k.client_number})"
    page = http.get(
        reverse("trajectories:order"), {"q": label, "client": client_k.pk}
    ).content.decode()
    assert 'name="q_product" value=""' in page
    assert "Gevonden producten" not in page
    found = http.get(
        reverse("trajectories:order"), {"q_product": "werkfit", "client": client_k.pk}
    ).content.decode()
    assert f"product={product3.pk}" in found
    options = http.get(
        reverse("trajectories:order_product_options"), {"q_product": "werkfit"}
    ).content.decode()
    assert f'data-value="{product3.pk}"' in options


def test_a_missing_reason_says_what_to_give(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    case_manager: User,
    time_machine: Any,
) -> None:
    """R-TRJ-2: every transition records its reason; ending a trajectory early without one
    answered Django's bare "Dit veld is vereist." beside the field. The message now says what
    to give and why, and nothing changes."""
    trajectory = walk(order(product3), "running")
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False)
    response = _login(case_manager).post(
        reverse("trajectories:action", args=[trajectory.pk]),
        {"action": "terminate_early", "terminate_early-reason": "  "},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Geef de reden op; die wordt bij deze stap in de tijdlijn vastgelegd." in html
    assert "Dit veld is vereist." not in html
    trajectory.refresh_from_db()
    assert trajectory.state == "running"


@pytest.mark.parametrize(
    ("budget", "warned"),
    [(Decimal("3000.00"), True), (Decimal("5000.00"), False), (None, False)],
)
def test_a_quote_above_the_order_budget_is_pointed_out(
    contracted_a: Any,
    make_product: Callable[..., Product],
    order: Callable[..., Trajectory],
    case_manager: User,
    provider_user_a: User,
    time_machine: Any,
    budget: Decimal | None,
    warned: bool,
) -> None:
    """R-TRJ-1: the case manager judges a quote against the order's budget. A quote of
    € 4.800,00 on an order with a budget of € 3.000,00 was shown without a word; the page
    now says by how much it exceeds the budget (approving stays possible)."""
    time_machine.move_to(dt.datetime(2026, 4, 24, 10, 0, tzinfo=AMS), tick=False)
    trajectory = order(make_product(contracted_a, 2), budget=budget)
    services.trajectory_transition(
        actor=provider_user_a, trajectory=trajectory, action="submit_quote",
        on=dt.date(2026, 4, 23), reason="Analyse en advies",
        payload={"amount": "4800.00"},
    )  # fmt: skip
    html = _login(case_manager).get(reverse("trajectories:detail", args=[trajectory.pk]))
    page = html.content.decode()
    warning = (
        "De offerte (€\u00a04.800,00) is €\u00a01.800,00 hoger dan het budget van de bestelling "
        "(€\u00a03.000,00)."
    )
    assert (warning in page) is warned
    assert ('id="quote-budget-warning"' in page) is warned
    assert 'data-action="approve_quote"' in page
