"""What a case manager types on the order form (R-TRJ-1, R-SEC-6): a budget the Dutch way,
no absurd budget or start wish, and a refusal that keeps what was typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.providers.models import Product
from opstap.trajectories import date_rules, services
from opstap.trajectories.models import Trajectory

from .conftest import AMS, ORDER_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    """The form orders today: the order day (within the provider's contract)."""
    with time_machine.travel(dt.datetime.combine(ORDER_DAY, dt.time(10), tzinfo=AMS), tick=False):
        yield


def _post(case_manager: User, client_k: Client, product: Product, **fields: str) -> Any:
    http = HttpClient()
    http.force_login(case_manager)
    url = reverse("trajectories:order") + f"?client={client_k.pk}&product={product.pk}"
    data = {"rotonde_exit": "regular", "absence_risk": "none", "aim_tiles": ["EW04"]}
    data.update(fields)
    return http.post(url, data)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1.500,00", Decimal("1500.00")),  # as every amount on our pages is written
        ("1500,50", Decimal("1500.50")),
        ("€ 2.500,00", Decimal("2500.00")),
        ("1.500.000", Decimal("1500000.00")),  # several dots: thousands only
        ("2500.00", Decimal("2500.00")),
        ("", None),
    ],
)
def test_order_budget_typed_the_dutch_way(
    case_manager: User, client_k: Client, product3: Product, typed: str, stored: Decimal | None
) -> None:
    """R-TRJ-1: the budget on the order form reads Dutch notation; a number field refused
    `1.500,00` and `1500,50` ("Vul een getal in")."""
    response = _post(case_manager, client_k, product3, budget=typed)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Trajectory.objects.get().budget == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "groter zijn dan €\u00a00,00"),
        ("0,00", "groter zijn dan €\u00a00,00"),
        ("-5", "groter zijn dan €\u00a00,00"),
        ("abc", "bijv. 1.500,00"),
        ("1e3", "bijv. 1.500,00"),  # was stored as € 1.000,00
        # was stored, then 500:
        ("99999999999999999999", "niet hoger zijn dan €\u00a099.999.999,99"),
        ("12,345", "twee cijfers achter de komma"),
        ("2.500", "2.500,00 voor duizendtallen"),  # was stored as € 2,50
    ],
)
def test_order_budget_refused_with_what_to_do(
    case_manager: User,
    client_k: Client,
    product3: Product,
    typed: str,
    message: str,
) -> None:
    """R-TRJ-1, R-SEC-6: a budget of nothing, below nothing, text, an exponent or more than
    the column holds is refused beside the field, and the form keeps what was typed. Before,
    `99999999999999999999` was stored and the trajectory page and the client's whole dossier
    answered 500 from then on; `0` and `1e3` were stored as budgets."""
    response = _post(
        case_manager, client_k, product3, budget=typed, aim_description="Werkritme opbouwen"
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert f'value="{typed}"' in html
    assert "Werkritme opbouwen" in html
    assert not Trajectory.objects.exists()


@pytest.mark.parametrize(
    ("wished", "message"),
    [
        ("2020-01-01", "ligt vóór de besteldatum (21-04-2026)"),
        ("2026-04-20", "ligt vóór de besteldatum (21-04-2026)"),
        ("2099-01-01", "meer dan een jaar na de besteldatum; kies een datum tot en met 22-04-2027"),
    ],
)
def test_order_start_wish_in_the_past_or_far_ahead_is_refused(
    case_manager: User, client_k: Client, product3: Product, wished: str, message: str
) -> None:
    """R-TRJ-1: the start wish is a date the provider can still meet: not before the order
    and at most a year ahead. 2020-01-01 and 2099-01-01 were stored as start wishes."""
    response = _post(case_manager, client_k, product3, wished_start=wished)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Trajectory.objects.exists()


def test_order_start_wish_rule_table() -> None:
    """R-TRJ-1: order day itself and one year ahead are fine; a day earlier or later is not."""
    order_day = ORDER_DAY
    assert date_rules.wished_start_problem(order_day, order_day) is None
    assert date_rules.wished_start_problem(dt.date(2027, 4, 22), order_day) is None
    assert date_rules.wished_start_problem(dt.date(2027, 4, 23), order_day) is not None
    assert date_rules.wished_start_problem(dt.date(2026, 4, 20), order_day) is not None


def test_order_service_refuses_the_same_for_every_caller(
    case_manager: User, client_k: Client, product3: Product
) -> None:
    """R-TRJ-1: the rule sits in the service, so the API and the form agree."""
    with pytest.raises(services.TrajectoryError) as info:
        services.trajectory_order(
            actor=case_manager,
            client=client_k,
            product=product3,
            rotonde_exit="regular",
            budget=Decimal("0"),
            on=ORDER_DAY,
        )
    assert info.value.field == "budget"
    with pytest.raises(services.TrajectoryError) as info:
        services.trajectory_order(
            actor=case_manager,
            client=client_k,
            product=product3,
            rotonde_exit="regular",
            wished_start=dt.date(2099, 1, 1),
            on=ORDER_DAY,
        )
    assert info.value.field == "wished_start"


def test_order_form_lists_aim_tiles_in_the_sources_order(
    case_manager: User, client_k: Client, product3: Product
) -> None:
    """R-NET-1: the UI shows the work landscape in the sources' order (1 Diagnostiek ...
    3 Oriëntatie (EW05), 4 Werkfit (EW04) ... 8 Nazorg), then the employer instruments; EW01
    Melding is registration, not purchasable, so no aim. The form listed every tile by code:
    DW01-DW10 first, EW01 among them, EW04 before EW05."""
    http = HttpClient()
    http.force_login(case_manager)
    url = reverse("trajectories:order") + f"?client={client_k.pk}&product={product3.pk}"
    html = http.get(url).content.decode()
    orientation = html.index("3. Oriëntatie op de arbeidsmarkt (EW05)")
    werkfit = html.index("4. Werkfit (EW04)")
    assert html.index("1. Diagnostiek (intake) (EW02)") < orientation < werkfit
    assert werkfit < html.index("8. Nazorg (EW09)") < html.index("DW01")
    assert 'value="EW01"' not in html


def test_order_refuses_an_unpurchasable_aim(
    case_manager: User, client_k: Client, product3: Product
) -> None:
    """R-NET-1, R-TRJ-1: EW01 Melding cannot be bought, so the service refuses it as an aim
    (the API sends tiles without the form's choices)."""
    with pytest.raises(services.TrajectoryError, match="niet inkoopbare tegel") as info:
        services.trajectory_order(
            actor=case_manager,
            client=client_k,
            product=product3,
            rotonde_exit="regular",
            aim_tiles=["EW04", "EW01"],
            on=ORDER_DAY,
        )
    assert info.value.field == "aim_tiles"


def _field_error(html: str, field: str) -> str:
    marker = f'<span class="opstap-field-error" id="id_{field}_error">'
    return html.split(marker, 1)[1].split("</span>", 1)[0] if marker in html else ""


def test_order_names_every_mistake_in_one_answer(
    case_manager: User, client_k: Client, product3: Product
) -> None:
    """R-TRJ-1, R-SEC-6: a case manager with several mistakes saw them one after another: the
    form's own error (no absence risk chosen) first, the start wish in the past and the
    unreadable budget only after that was fixed, then the next. All are named at once, each
    at its field, and what was typed stays."""
    response = _post(
        case_manager,
        client_k,
        product3,
        absence_risk="",
        wished_start="2020-01-01",
        budget="veel",
        aim_description="Werkritme opbouwen",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert _field_error(html, "absence_risk")
    assert "ligt vóór de besteldatum (21-04-2026)" in _field_error(html, "wished_start")
    assert "Vul het budget in als bedrag" in _field_error(html, "budget")
    assert 'value="veel"' in html and "Werkritme opbouwen" in html
    assert not Trajectory.objects.exists()


def test_order_date_and_budget_are_named_together(
    case_manager: User, client_k: Client, product3: Product
) -> None:
    """R-TRJ-1: the service's own checks also come together (the budget stopped the start
    wish from being checked), and the service refuses with the first for the API."""
    response = _post(case_manager, client_k, product3, wished_start="2099-01-01", budget="0")
    assert response.status_code == 400
    html = response.content.decode()
    assert "meer dan een jaar na de besteldatum" in _field_error(html, "wished_start")
    assert "groter zijn dan" in _field_error(html, "budget")
    problems = services.trajectory_order_problems(
        client=client_k,
        rotonde_exit="regular",
        wished_start=dt.date(2099, 1, 1),
        budget="0",
        on=ORDER_DAY,
    )
    assert [p.field for p in problems] == ["budget", "wished_start"]


def test_the_absence_risk_is_chosen_not_preset(case_manager, client_k, product3) -> None:
    """R-TRJ-1, R-ABS-1: the order form preselected 'geen risico', so an order placed without
    a look told the provider to report absence only in the periodic report. The risk is now
    chosen: the form starts at 'Kies het verzuimrisico' and an order without one is refused
    at the field."""
    http = HttpClient()
    http.force_login(case_manager)
    url = reverse("trajectories:order") + f"?client={client_k.pk}&product={product3.pk}"
    page = http.get(url).content.decode()
    assert '<option value="" selected>Kies het verzuimrisico</option>' in page
    response = _post(case_manager, client_k, product3, absence_risk="")
    assert response.status_code == 400
    assert "Kies het verzuimrisico" in _field_error(response.content.decode(), "absence_risk")
    assert not Trajectory.objects.exists()
