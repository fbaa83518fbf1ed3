"""R-TRJ-7 with R-MAT: a trajectory outcome's contract type is the choice that matching's
vacancies and placements have (`core.contract_types.ContractType`), and a permanent contract
has no duration (`core.contract_rules`). Before, the contract type was free text ("Bijv.
bepaalde tijd.") and a provider stored "onbepaalde tijd" with 12 months, or "onbepaalde tijd,
12 maanden", on the page, through the API and through a placement."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.core.contract_rules import PERMANENT_WITH_DURATION_NL, UNKNOWN_CONTRACT_TYPE_NL
from opstap.providers.models import Product
from opstap.trajectories import services
from opstap.trajectories.models import Outcome, Trajectory
from opstap.trajectories.services import TrajectoryError

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)
PLACEMENT: dict[str, Any] = {
    "employer": "Bakkerij De Korf",
    "placement_start": "2026-06-01",
    "hours_per_week": "24",
}


@pytest.fixture
def running(
    order: Callable[..., Trajectory], product3: Product, walk: Callable[..., Trajectory]
) -> Trajectory:
    return walk(order(product3), "running")


@pytest.mark.parametrize(
    ("facts", "field", "message"),
    [
        (
            {"contract_type": "onbepaalde tijd, 12 maanden"},
            "contract_type",
            UNKNOWN_CONTRACT_TYPE_NL,
        ),
        ({"contract_type": "bepaalde tijd"}, "contract_type", UNKNOWN_CONTRACT_TYPE_NL),
        (
            {"contract_type": "permanent", "contract_months": 12},
            "contract_months",
            PERMANENT_WITH_DURATION_NL,
        ),
    ],
)
def test_r_trj_7_the_contract_type_is_a_choice_and_permanent_has_no_duration(
    running: Trajectory,
    provider_user_a: User,
    facts: dict[str, Any],
    field: str,
    message: str,
) -> None:
    with time_machine.travel(NOW, tick=False), pytest.raises(TrajectoryError) as refused:
        services.outcome_record(actor=provider_user_a, trajectory=running, **PLACEMENT, **facts)
    assert refused.value.field == field
    assert str(refused.value) == message
    assert not Outcome.objects.filter(trajectory=running).exists()


def test_r_trj_7_a_duration_added_to_a_stored_permanent_contract_is_refused(
    running: Trajectory, provider_user_a: User
) -> None:
    """The rule holds for the stored result with the correction: only the fields sent change,
    so 12 months sent alone onto a permanent contract is the same contradiction."""
    with time_machine.travel(NOW, tick=False):
        services.outcome_record(
            actor=provider_user_a, trajectory=running, **PLACEMENT, contract_type="permanent"
        )
        with pytest.raises(TrajectoryError) as refused:
            services.outcome_record(actor=provider_user_a, trajectory=running, contract_months=12)
        assert refused.value.field == "contract_months"
        outcome = services.outcome_record(
            actor=provider_user_a, trajectory=running, contract_type="fixed", contract_months=12
        )
    assert (outcome.contract_type, outcome.contract_months) == ("fixed", 12)
    assert Outcome.objects.get(pk=outcome.pk).contract_months == 12


def test_r_trj_7_the_page_offers_the_choice_refuses_the_contradiction_and_shows_dutch(
    running: Trajectory, provider_user_a: User
) -> None:
    web = WebClient()
    web.force_login(provider_user_a)
    url = f"/trajecten/{running.pk}/resultaat/"
    base = {
        "outcome-werkfit": "true",
        "outcome-employer": "Bakkerij De Korf",
        "outcome-placement_start": "2026-06-01",
        "outcome-hours_per_week": "24",
    }
    with time_machine.travel(NOW, tick=False):
        page = web.get(f"/trajecten/{running.pk}/").content.decode()
        assert '<option value="permanent">Vast (onbepaalde tijd)</option>' in page
        refused = web.post(
            url, {**base, "outcome-contract_type": "permanent", "outcome-contract_months": "12"}
        )
        assert refused.status_code == 400
        assert "heeft geen contractduur" in refused.content.decode()
        free_text = web.post(url, {**base, "outcome-contract_type": "onbepaalde tijd"})
        assert free_text.status_code == 400
        assert not Outcome.objects.filter(trajectory=running).exists()
        saved = web.post(
            url, {**base, "outcome-contract_type": "fixed", "outcome-contract_months": "12"}
        )
        assert saved.status_code == 302
        page = web.get(f"/trajecten/{running.pk}/").content.decode()
    assert "uur/week, bepaalde tijd, 12 maanden" in page
    assert ", fixed" not in page


def test_r_trj_7_the_api_takes_the_choice_and_refuses_the_rest_at_the_field(
    running: Trajectory, api_as: Callable[[User], Any], provider_user_a: User
) -> None:
    api = api_as(provider_user_a)
    url = f"/api/v1/trajectories/{running.pk}/outcome"
    body = {"employer": "Bakkerij De Korf", "placementStart": "2026-06-01"}
    with time_machine.travel(NOW, tick=False):
        for extra, field in [
            ({"contractType": "onbepaalde tijd, 12 maanden"}, "contractType"),
            ({"contractType": "permanent", "contractMonths": 12}, "contractMonths"),
        ]:
            response = api.patch(url, {**body, **extra}, format="json")
            assert response.status_code == 400, extra
            assert response["Content-Type"] == "application/problem+json"
            assert [p["name"] for p in response.json()["invalidParams"]] == [field], extra
        assert not Outcome.objects.filter(trajectory=running).exists()
        saved = api.patch(url, {**body, "contractType": "permanent"}, format="json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["contractType"] == "permanent"
    assert saved.json()["contractTypeNote"] == ""


# --- the data migration ------------------------------------------------------------------------

MIGRATION = "opstap.trajectories.migrations.0019_outcome_contract_type_choice"


@pytest.mark.parametrize(
    ("text", "code", "note"),
    [
        ("", "", ""),
        ("Vast", "permanent", ""),
        ("onbepaalde tijd", "permanent", ""),
        ("Vast (onbepaalde tijd)", "permanent", ""),
        ("onbepaalde tijd, 12 maanden", "permanent", "onbepaalde tijd, 12 maanden"),
        ("ONBEPAALDE TIJD", "permanent", ""),
        ("bepaalde tijd", "fixed", ""),
        ("Bepaalde tijd", "fixed", ""),
        ("tijdelijk", "fixed", ""),
        ("Jaarcontract", "fixed", ""),
        ("bepaalde tijd (6 mnd)", "fixed", "bepaalde tijd (6 mnd)"),
        ("Uitzendwerk", "agency", ""),
        ("uitzendbureau fase A", "agency", "uitzendbureau fase A"),
        ("Proefplaatsing", "trial", ""),
        ("Beschut werk (dienstbetrekking)", "wsw", ""),
        ("stage", "", "stage"),
        ("0-urencontract", "", "0-urencontract"),
    ],
)
def test_r_trj_7_the_migration_maps_free_texts_and_keeps_what_it_cannot(
    text: str, code: str, note: str
) -> None:
    migration = importlib.import_module(MIGRATION)
    assert migration.contract_type_of(text) == (code, note)


def test_r_trj_7_the_migration_keeps_a_permanent_contracts_duration_in_the_note(
    running: Trajectory,
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """Rows stored before (short texts: the column is narrowed after the mapping, and on
    PostgreSQL the test database has the narrow column)."""
    migration = importlib.import_module(MIGRATION)
    other = walk(order(product3), "running")
    third = walk(order(product3), "running")
    with time_machine.travel(NOW, tick=False):
        rows = [
            services.outcome_record(actor=provider_user_a, trajectory=t, **PLACEMENT)
            for t in (running, other, third)
        ]
    for outcome, (text, months) in zip(
        rows, [("vast", 12), ("tijdelijk", 12), ("stage", None)], strict=True
    ):
        Outcome.objects.filter(pk=outcome.pk).update(contract_type=text, contract_months=months)
    migration.map_free_texts(apps, None)
    got = [
        Outcome.objects.values_list("contract_type", "contract_months", "contract_type_note").get(
            pk=o.pk
        )
        for o in rows
    ]
    assert got == [
        ("permanent", None, "vast; contractduur 12 maanden"),
        ("fixed", 12, ""),
        ("", None, "stage"),
    ]
    web = WebClient()
    web.force_login(provider_user_a)
    with time_machine.travel(NOW, tick=False):
        page = web.get(f"/trajecten/{third.pk}/").content.decode()
    assert "Contract (eerder vrij ingevuld)" in page and "stage" in page
