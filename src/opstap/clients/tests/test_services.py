"""Services: client registration, ladder changes, handover, events, custom budget."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine

from opstap.audit.models import AuditRecord
from opstap.clients import selectors
from opstap.clients.models import (
    Client,
    ClientEvent,
    CustomBudgetConfig,
    LadderMapping,
    LadderStepChange,
    SpendingStatus,
)
from opstap.clients.services import (
    ClientError,
    budget_spending_decide,
    budget_spending_record,
    client_change_ladder_step,
    client_event_record,
    client_handover,
    client_update,
)
from opstap.core.roles import RoleCode

from .factories import a_case_manager, make_client


def test_bsn_must_pass_the_11_check(org, case_manager) -> None:
    """R-CLI-1: a BSN failing the 11-check is refused with a Dutch message."""
    with pytest.raises(ClientError, match="elfproef") as info:
        make_client(org, actor=case_manager, bsn="123456780", case_manager=case_manager)
    assert info.value.field == "bsn"
    assert not Client.objects.exists()
    client = make_client(org, actor=case_manager, bsn="111222333", case_manager=case_manager)
    assert client.bsn == "111222333"


def test_bsn_and_client_number_unique_per_organisation(org, other_org, case_manager) -> None:
    """R-CLI-1: BSN and client number are unique within an organisation, not across."""
    make_client(
        org, actor=case_manager, bsn="111222333", client_number="A1", case_manager=case_manager
    )
    with pytest.raises(ClientError, match="al een klant met dit BSN"):
        make_client(
            org, actor=case_manager, bsn="111222333", client_number="A2", case_manager=case_manager
        )
    with pytest.raises(ClientError, match="al een klant met dit klantnummer"):
        make_client(org, actor=case_manager, client_number="A1", case_manager=case_manager)
    other = make_client(
        other_org, bsn="111222333", client_number="A1", case_manager=a_case_manager(other_org)
    )
    assert other.organisation == other_org


def test_municipality_must_belong_to_the_organisation(org, other_org, case_manager) -> None:
    """R-CLI-1: every client belongs to a municipality of its own organisation."""
    from opstap.organisations.models import Municipality

    foreign = Municipality.objects.get(organisation=other_org)
    with pytest.raises(ClientError, match="gemeente hoort niet"):
        make_client(org, actor=case_manager, municipality=foreign, case_manager=case_manager)


def test_obstacles_are_structured_codes(org, case_manager) -> None:
    """R-CLI-1: obstacles are a structured list, not free text."""
    client = make_client(
        org, actor=case_manager, obstacles=["debts", "language", "debts"], case_manager=case_manager
    )
    assert client.obstacles == ["debts", "language"]
    with pytest.raises(ClientError, match="Onbekende belemmering"):
        client_update(actor=case_manager, client=client, obstacles=["heeft het moeilijk"])


def test_age_and_target_groups_are_derived_not_stored(org, case_manager) -> None:
    """R-CLI-2: age and target groups follow from the data on the reference date."""
    client = make_client(
        org,
        actor=case_manager,
        date_of_birth=dt.date(2000, 6, 1),
        ladder_step="2a",
        ldr_registered=True,
        case_manager=case_manager,
    )
    field_names = {f.name for f in Client._meta.get_fields()}
    assert "age" not in field_names and "target_groups" not in field_names
    groups_2026 = selectors.client_target_groups(client, dt.date(2026, 5, 31))
    groups_2027 = selectors.client_target_groups(client, dt.date(2027, 6, 1))
    assert "youth" in groups_2026 and "youth" not in groups_2027
    assert {"care", "disability"} <= groups_2026
    # the same derivation as a query
    on = dt.date(2026, 5, 31)
    assert Client.objects.filter(selectors.target_group_q("youth", on)).count() == 1
    assert (
        Client.objects.filter(selectors.target_group_q("youth", dt.date(2027, 6, 1))).count() == 0
    )


def test_ladder_change_keeps_a_dated_history(org, case_manager) -> None:
    """R-LAD-1: one current step and a dated history: who, when, why."""
    client = make_client(org, actor=case_manager, ladder_step="2a", case_manager=case_manager)
    change = client_change_ladder_step(
        actor=case_manager, client=client, step="4", reason="Start traject taalcursus"
    )
    client.refresh_from_db()
    assert client.ladder_step == "4"
    history = list(LadderStepChange.objects.filter(client=client).order_by("id"))
    assert [(h.previous_step, h.step) for h in history] == [("", "2a"), ("2a", "4")]
    assert change.changed_by == case_manager and change.reason == "Start traject taalcursus"
    event = ClientEvent.objects.filter(client=client, kind="ladder").get()
    assert event.data["unit_before"] == "care" and event.data["unit_after"] == "work"
    assert "unit wordt Unit Werk" in event.summary
    audit = AuditRecord.objects.filter(client_id=client.pk, action="update").get()
    assert audit.changes["ladder_step"] == {"old": "2a", "new": "4"}


def test_ladder_change_needs_reason_and_sub_status(org, case_manager) -> None:
    """R-LAD-1: a change needs a reason; step 6 needs a sub-status."""
    client = make_client(org, actor=case_manager, ladder_step="5", case_manager=case_manager)
    with pytest.raises(ClientError, match="Geef een reden"):
        client_change_ladder_step(actor=case_manager, client=client, step="4", reason=" ")
    with pytest.raises(ClientError, match="substatus"):
        client_change_ladder_step(actor=case_manager, client=client, step="6", reason="Werk")
    with pytest.raises(ClientError, match="al op deze trede"):
        client_change_ladder_step(actor=case_manager, client=client, step="5", reason="x")
    client_change_ladder_step(
        actor=case_manager, client=client, step="6", sub_status="without_growth", reason="Werk"
    )
    client.refresh_from_db()
    assert (client.ladder_step, client.ladder_sub_status) == ("6", "without_growth")
    derived = selectors.DerivedResolver(organisation_id=org.pk, on=dt.date.today())(client)  # noqa: DTZ011
    assert derived.unit == "care" and derived.growth_potential is False


def test_unit_mapping_is_configurable_data_with_validity(org, case_manager) -> None:
    """R-LAD-2: the unit mapping is data; an organisation's rows valid on a date replace the
    defaults from that date on."""
    client = make_client(org, actor=case_manager, ladder_step="2b", case_manager=case_manager)
    before = selectors.DerivedResolver(organisation_id=org.pk, on=dt.date(2026, 1, 1))(client)
    assert before.unit == "work"
    for step, value in [
        ("1", "care"),
        ("2a", "care"),
        ("2b", "care"),
        ("3", "work"),
        ("4", "work"),
        ("5", "work"),
        ("6", "work"),
    ]:
        LadderMapping.objects.create(
            organisation=org, kind="unit", step=step, value=value, valid_from=dt.date(2026, 7, 1)
        )
    assert (
        selectors.DerivedResolver(organisation_id=org.pk, on=dt.date(2026, 6, 30))(client).unit
        == "work"
    )
    assert (
        selectors.DerivedResolver(organisation_id=org.pk, on=dt.date(2026, 7, 1))(client).unit
        == "care"
    )


def test_track_mapping_seeded_from_spec(db) -> None:
    """R-LAD-3 / R-LAD-4: tracks and rotonde exits are seeded reference data."""
    from opstap.clients.models import RotondeExitReference

    rows = selectors.mapping_rows(organisation_id=None, kind="track", on=dt.date(2026, 1, 1))
    assert {(r.step.value, r.value) for r in rows} == {
        ("1", "3"),
        ("2a", "3"),
        ("2b", "3"),
        ("3", "2"),
        ("4", "2"),
        ("5", "1"),
        ("6", "1"),
    }
    assert list(RotondeExitReference.objects.values_list("code", flat=True)) == [
        "regular",
        "supported",
        "sheltered",
        "activating",
    ]


def test_handover_is_an_event_with_a_note(org, case_manager, make_user) -> None:
    """R-CLI-3: exactly one current case manager; a change is a handover event with a note."""
    other_cm = make_user(RoleCode.CASE_MANAGER, username="km2")
    coach = make_user(RoleCode.INCOME_COACH)
    client = make_client(org, actor=case_manager, case_manager=case_manager)
    with pytest.raises(ClientError, match="overdrachtsnotitie"):
        client_handover(actor=case_manager, client=client, new_case_manager=other_cm, note="")
    with pytest.raises(ClientError, match="Kies een klantmanager"):
        client_handover(actor=case_manager, client=client, new_case_manager=coach, note="x")
    event = client_handover(
        actor=case_manager, client=client, new_case_manager=other_cm, note="Schulden in beeld"
    )
    client.refresh_from_db()
    assert client.case_manager == other_cm
    assert event.kind == "handover" and event.note == "Schulden in beeld"
    assert event.data == {"from_case_manager": case_manager.pk, "to_case_manager": other_cm.pk}


def test_client_event_record_for_other_apps(org, case_manager) -> None:
    client = make_client(org, actor=case_manager, case_manager=case_manager)
    event = client_event_record(
        client=client,
        kind="trajectory",
        summary="Traject besteld",
        source="trajectories",
        is_open=True,
    )
    assert event in selectors.client_open_agreements(client)
    with pytest.raises(ClientError):
        client_event_record(client=client, kind="other", summary="")


def test_client_event_kinds_are_known(org, case_manager) -> None:
    """R-SEC-5: a timeline row reaches the client's access export and the dossier with the
    Dutch label of its kind; an app's own code ('access_request') was shown as is. Unknown
    kinds are refused, and an old row with one reads 'Overig'."""
    client = make_client(org, actor=case_manager, case_manager=case_manager)
    with pytest.raises(ValueError, match="access_requests_own"):
        client_event_record(client=client, kind="access_requests_own", summary="Iets")
    event = client_event_record(client=client, kind="access_request", summary="Inzage")
    assert event.kind_label == "Inzageverzoek"
    event.kind = "legacy_code"
    assert event.kind_label == "Overig"


def test_custom_budget_with_second_approver(org, case_manager, make_user) -> None:
    """R-CLI-4: yearly amount from configuration; spending lines with a purpose; remaining
    visible; beyond the budget a different user with CLIENT_CHANGE must approve."""
    CustomBudgetConfig.objects.create(
        organisation=org, yearly_amount=Decimal("1000.00"), valid_from=dt.date(2020, 1, 1)
    )
    colleague = make_user(RoleCode.CASE_MANAGER)
    coach = make_user(RoleCode.INCOME_COACH)
    client = make_client(org, actor=case_manager, case_manager=case_manager)
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)):
        first = budget_spending_record(
            actor=case_manager, client=client, amount="750", purpose="Rijlessen"
        )
        assert first.status == SpendingStatus.APPROVED
        assert selectors.budget_summary(client, year=2026).remaining == Decimal("250.00")
        over = budget_spending_record(
            actor=case_manager, client=client, amount="300,00", purpose="Laptop"
        )
        assert over.status == SpendingStatus.PENDING
        summary = selectors.budget_summary(client, year=2026)
        assert (summary.spent, summary.pending, summary.remaining) == (
            Decimal("750.00"),
            Decimal("300.00"),
            Decimal("250.00"),
        )
        with pytest.raises(ClientError, match="andere medewerker"):
            budget_spending_decide(actor=case_manager, spending=over, approve=True)
        with pytest.raises(ClientError, match="niet beoordelen"):
            budget_spending_decide(actor=coach, spending=over, approve=True)
        budget_spending_decide(actor=colleague, spending=over, approve=True)
        assert selectors.budget_summary(client, year=2026).remaining == Decimal("-50.00")
    with pytest.raises(ClientError, match="groter zijn dan nul"):
        budget_spending_record(actor=case_manager, client=client, amount="0", purpose="x")
    with pytest.raises(ClientError, match="doel"):
        budget_spending_record(actor=case_manager, client=client, amount="5", purpose="")


def test_finance_selectors(org, case_manager) -> None:
    from opstap.organisations.models import Municipality

    duiven = Municipality.objects.get(organisation=org, name="Duiven")
    make_client(
        org, municipality=duiven, benefit_start_date=dt.date(2020, 1, 1), case_manager=case_manager
    )
    make_client(
        org,
        municipality=duiven,
        benefit_start_date=dt.date(2020, 1, 1),
        benefit_end_date=dt.date(2021, 6, 30),
        case_manager=case_manager,
    )
    make_client(org, municipality=duiven, benefit_type="none", case_manager=case_manager)
    assert selectors.client_file_counts_by_municipality(
        organisation=org, on=dt.date(2021, 1, 1)
    ) == {duiven.pk: 2}
    assert selectors.client_file_counts_by_municipality(
        organisation=org, on=dt.date(2021, 7, 1)
    ) == {duiven.pk: 1}
    line = selectors.client_counts_by_month(
        organisation=org, start=dt.date(2021, 5, 15), end=dt.date(2021, 8, 1)
    )
    assert line == [
        (dt.date(2021, 5, 1), 2),
        (dt.date(2021, 6, 1), 2),
        (dt.date(2021, 7, 1), 1),
        (dt.date(2021, 8, 1), 1),
    ]


def test_handover_notifies_the_new_case_manager(org, case_manager, make_user) -> None:
    """R-CLI-3: a handover gives a colleague work; the new case manager is told at once (in
    the app and by e-mail), with the note and a link to the dossier. Handing a client to
    oneself (a team lead taking it over) tells nobody."""
    from opstap.notifications.models import Notification

    other_cm = make_user(RoleCode.CASE_MANAGER, username="km2")
    client = make_client(org, actor=case_manager, case_manager=case_manager)
    # when: the case manager hands the client over
    client_handover(
        actor=case_manager, client=client, new_case_manager=other_cm, note="Schulden in beeld"
    )
    # then: exactly the new case manager has a notification that says what to do
    notification = Notification.objects.get(recipient=other_cm)
    assert client.full_name in notification.title
    assert "Schulden in beeld" in notification.body
    assert notification.url == f"/klanten/{client.pk}/"
    assert not Notification.objects.filter(recipient=case_manager).exists()
    # and taking a client over oneself sends nothing
    client_handover(actor=case_manager, client=client, new_case_manager=case_manager, note="Terug")
    assert Notification.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1.500,00", Decimal("1500.00")), ("125,50", Decimal("125.50")), ("80", Decimal("80.00"))],
)
def test_custom_budget_amount_typed_the_dutch_way(org, case_manager, typed, stored) -> None:
    """R-CLI-4: a spending is typed as our pages write money (`1.500,00`); the form's number
    field refused it ("Vul een geldig bedrag in")."""
    client = make_client(org, actor=case_manager, case_manager=case_manager)
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)):
        spending = budget_spending_record(
            actor=case_manager, client=client, amount=typed, purpose="Cursus"
        )
    assert spending.amount == stored


@pytest.mark.parametrize(
    ("amount", "spent_on", "field", "message"),
    [
        ("1e3", None, "amount", "geldig bedrag"),  # was stored as € 1.000,00
        ("2.500", None, "amount", "2.500,00 voor duizendtallen"),  # says how to write it
        ("99999999999", None, "amount", "niet hoger zijn dan € 99.999.999,99"),
        ("10", dt.date(2099, 1, 1), "spent_on", "later budgetjaar (2099)"),  # was stored
        ("10", dt.date(2027, 1, 1), "spent_on", "later budgetjaar (2027)"),
        ("10", dt.date(2000, 1, 1), "spent_on", "vóór vorig budgetjaar (2000)"),
    ],
)
def test_custom_budget_refuses_absurd_amounts_and_years(
    org, case_manager, amount, spent_on, field, message
) -> None:
    """R-CLI-4, R-SEC-6: the budget is per calendar year; a spending dated 2099 was stored
    against the 2099 budget (invisible in this year's figures) and 1e3 as € 1.000,00."""
    client = make_client(org, actor=case_manager, case_manager=case_manager)
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)):
        with pytest.raises(ClientError, match=re.escape(message)) as info:
            budget_spending_record(
                actor=case_manager, client=client, amount=amount, purpose="x", spent_on=spent_on
            )
        # a late booking of last year's spending is still possible
        budget_spending_record(
            actor=case_manager,
            client=client,
            amount="10",
            purpose="x",
            spent_on=dt.date(2025, 12, 20),
        )
    assert info.value.field == field
    assert client.budget_spendings.count() == 1
