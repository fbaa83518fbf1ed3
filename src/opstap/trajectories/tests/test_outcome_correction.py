"""Correcting a recorded result (R-TRJ-7) from the trajectory page changes only what the user
changed. The form used to open empty: adding a last working day posted the unticked boxes
too, and took the loonkostensubsidie off the placement (which the SRG delivery and the KPIs
count)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
import time_machine
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.providers.models import Product
from opstap.trajectories import services
from opstap.trajectories.models import Outcome, Trajectory

pytestmark = pytest.mark.django_db


class _FormValues(HTMLParser):
    """What a browser posts for the form with `data-action="<action>"`: text inputs and
    dates as shown, ticked boxes only, the selected option of each select."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.select: str | None = None
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("data-action") == self.action
        elif self.inside and tag == "input" and a.get("name"):
            kind = a.get("type") or "text"
            if kind == "checkbox":
                if "checked" in a:
                    self.values[str(a["name"])] = a.get("value") or "on"
            elif kind != "submit":
                self.values[str(a["name"])] = a.get("value") or ""
        elif self.inside and tag == "select":
            self.select = a.get("name")
        elif self.inside and tag == "option" and self.select and "selected" in a:
            self.values[self.select] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def _posted(page: str, action: str) -> dict[str, str]:
    parser = _FormValues(action)
    parser.feed(page)
    return parser.values


def test_correcting_the_result_keeps_what_the_user_did_not_change(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-TRJ-7: the correction form shows the stored result; adding the last working day
    keeps the employer, hours and the loonkostensubsidie; emptying a field clears it."""
    trajectory = walk(order(product3), "running")
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC), tick=False):
        services.outcome_record(
            actor=provider_user_a,
            trajectory=trajectory,
            werkfit=True,
            employer="Bakkerij De Korf",
            placement_start="2026-06-01",
            hours_per_week="24",
            contract_type="fixed",
            lks=True,
            care_referral="schuldhulp",
        )
        web = WebClient()
        web.force_login(provider_user_a)
        page = web.get(f"/trajecten/{trajectory.pk}/").content.decode()
        shown = _posted(page, "outcome")
        assert shown["outcome-employer"] == "Bakkerij De Korf"
        # A date picker keeps only an ISO value: "01-06-2026" was dropped by the browser, so
        # the correction posted the placement start back empty.
        assert shown["outcome-placement_start"] == "2026-06-01"
        assert shown["outcome-werkfit"] == "true"
        assert "outcome-lks" in shown
        assert "outcome-garantiebaan" not in shown

        shown["outcome-last_day_of_employment"] = "2026-08-28"
        shown["outcome-care_referral"] = ""
        response = web.post(f"/trajecten/{trajectory.pk}/resultaat/", shown)
        assert response.status_code == 302
    outcome = Outcome.objects.get(trajectory=trajectory)
    assert outcome.last_day_of_employment == dt.date(2026, 8, 28)
    assert outcome.lks is True
    assert outcome.werkfit is True
    assert (outcome.employer, outcome.contract_type) == ("Bakkerij De Korf", "fixed")
    assert outcome.placement_start == dt.date(2026, 6, 1)
    assert str(outcome.hours_per_week) in {"24", "24.0", "24.00"}
    assert outcome.care_referral == ""


def test_a_first_result_starts_from_an_empty_form(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """Without a stored result the form is empty and werkfit is 'Onbekend'."""
    trajectory = walk(order(product3), "running")
    web = WebClient()
    web.force_login(provider_user_a)
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC), tick=False):
        shown = _posted(web.get(f"/trajecten/{trajectory.pk}/").content.decode(), "outcome")
    assert shown.get("outcome-employer", "") == ""
    assert shown.get("outcome-werkfit", "unknown") == "unknown"
    assert "outcome-lks" not in shown


def test_the_result_form_waits_for_the_start(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
) -> None:
    """R-TRJ-7: walked in the demo, the page of an ordered trajectory (and one with its
    intake planned) offered 'Resultaat vastleggen' to the provider; its thirteen fields,
    once filled in, were refused with 'Een resultaat kan pas vastgelegd worden als het traject
    loopt.' The form now appears when the rules allow a result: once the trajectory runs."""
    ordered = order(product3)
    web = WebClient()
    web.force_login(provider_user_a)
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC), tick=False):
        page = web.get(f"/trajecten/{ordered.pk}/").content.decode()
        assert "Resultaat vastleggen" not in page
        assert 'id="form-outcome"' not in page
        # a result posted anyway is refused with the rule's words, in the alert
        refused = web.post(f"/trajecten/{ordered.pk}/resultaat/", {"outcome-werkfit": "true"})
        assert refused.status_code == 400
        assert "kan pas vastgelegd worden als het traject loopt" in refused.content.decode()
    running = walk(order(product3), "running")
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC), tick=False):
        assert 'id="form-outcome"' in web.get(f"/trajecten/{running.pk}/").content.decode()


@pytest.mark.parametrize(
    ("facts", "field", "message"),
    [
        ({"employer": "B" * 201}, "employer", "Werkgever is te lang: hoogstens 200 tekens."),
        ({"contract_type": "x" * 101}, "contract_type", "Kies een soort contract uit de lijst."),
        ({"care_referral": "z" * 201}, "care_referral", "hoogstens 200 tekens"),
        ({"contract_months": "40000"}, "contract_months", "tussen 0 en 600 maanden"),
        ({"contract_months": "-1"}, "contract_months", "tussen 0 en 600 maanden"),
        ({"contract_months": "twaalf"}, "contract_months", "als een aantal maanden"),
    ],
)
def test_a_result_that_does_not_fit_is_refused_at_its_field(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    facts: dict[str, str],
    field: str,
    message: str,
) -> None:
    """R-TRJ-7, "no input may produce a 5xx": an employer of 201 characters or a contract of
    40,000 months reached the database, which PostgreSQL refused with an error page (seen by
    the bad-input walk of every role's forms once the result form showed on running
    trajectories); SQLite stored them. The service refuses them at the field, for the page,
    the API and the matching app alike, and nothing is stored."""
    from opstap.trajectories.services import TrajectoryError

    trajectory = walk(order(product3), "running")
    with (
        time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC), tick=False),
        pytest.raises(TrajectoryError) as refused,
    ):
        services.outcome_record(actor=provider_user_a, trajectory=trajectory, **facts)
    assert refused.value.field == field
    assert message in str(refused.value)
    assert not Outcome.objects.filter(trajectory=trajectory).exists()


@pytest.mark.parametrize(
    ("name", "length", "message"),
    [
        ("employer", 201, "Werkgever is te lang: hoogstens 200 tekens."),
        ("education_result", 201, "Opleidingsresultaat is te lang: hoogstens 200 tekens."),
        ("participation", 201, "Participatie is te lang: hoogstens 200 tekens."),
        ("care_referral", 201, "Toeleiding zorg is te lang: hoogstens 200 tekens."),
    ],
)
def test_a_text_too_long_is_named_by_the_models_label(
    order: Callable[..., Trajectory],
    product3: Product,
    walk: Callable[..., Trajectory],
    provider_user_a: User,
    name: str,
    length: int,
    message: str,
) -> None:
    """R-TRJ-7: each text fact refused for its length is named by the label the model gives
    it (its verbose_name), not by a second list of labels in the service, which had drifted
    ("De toeleiding naar zorg" for the model's "toeleiding zorg")."""
    from opstap.trajectories.services import TrajectoryError

    assert Outcome._meta.get_field(name).verbose_name.lower() in message.lower()
    trajectory = walk(order(product3), "running")
    with (
        time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC), tick=False),
        pytest.raises(TrajectoryError) as refused,
    ):
        services.outcome_record(
            actor=provider_user_a, trajectory=trajectory, **{name: "x" * length}
        )
    assert refused.value.field == name
    assert str(refused.value) == message


def test_the_result_form_holds_its_fields_to_their_columns() -> None:
    """The form says it first, with the browser's own limit: each text box has the
    column's length and the contract duration its bounds."""
    from opstap.trajectories.forms import OutcomeForm

    html = str(OutcomeForm())
    for name, limit in {"employer": 200, "education_result": 200}.items():
        assert f'name="outcome-{name}" maxlength="{limit}"' in html
    # The contract type is a choice (R-MAT, R-TRJ-7), no free text.
    assert '<select name="outcome-contract_type"' in html
    assert 'max="600"' in html
