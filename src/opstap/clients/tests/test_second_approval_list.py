"""Spendings beyond the custom budget wait for a second approver (R-CLI-4): the colleagues who
may decide find them in one list, instead of only in the dossier of each client."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client as HttpClient

from opstap.audit.models import AuditRecord
from opstap.clients.models import CustomBudgetConfig
from opstap.clients.services import budget_spending_record, case_manager_set_unit
from opstap.core.roles import RoleCode

from .factories import make_client

pytestmark = pytest.mark.django_db


def test_spendings_over_budget_are_listed_for_the_second_approver(
    org, case_manager, make_user
) -> None:
    """R-CLI-4, R-SEC-1: the list shows the pending spendings of clients the colleague sees,
    not the recorder's own (they cannot approve them), not approved ones, and not those of a
    client outside the colleague's scope."""
    CustomBudgetConfig.objects.create(
        organisation=org, yearly_amount=Decimal("500.00"), valid_from=dt.date(2020, 1, 1)
    )
    case_manager_set_unit(user=case_manager, unit="work")
    colleague = make_user(RoleCode.CASE_MANAGER, username="km-collega")
    case_manager_set_unit(user=colleague, unit="work")
    care_cm = make_user(RoleCode.CASE_MANAGER, username="km-zorg")
    case_manager_set_unit(user=care_cm, unit="care")
    mine = make_client(org, case_manager=case_manager, ladder_step="4", last_name="Boven")
    hidden = make_client(org, case_manager=care_cm, ladder_step="1", last_name="Verborgen")
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)):
        within = budget_spending_record(
            actor=case_manager, client=mine, amount="100", purpose="Fiets"
        )
        over = budget_spending_record(
            actor=case_manager, client=mine, amount="900,00", purpose="Rijbewijs"
        )
        budget_spending_record(actor=care_cm, client=hidden, amount="900", purpose="Geheim")
    assert within.status == "approved" and over.status == "pending"

    http = HttpClient()
    http.force_login(colleague)
    html = http.get("/klanten/budget/wacht-op-goedkeuring/").content.decode()
    assert "Rijbewijs" in html and "€\u00a0900,00" in html and f"/klanten/{mine.pk}/" in html
    assert "Fiets" not in html and "Geheim" not in html and "Verborgen" not in html
    assert AuditRecord.objects.filter(action="list", client_id=mine.pk).exists()

    http.force_login(case_manager)  # the recorder: nothing to decide
    html = http.get("/klanten/budget/wacht-op-goedkeuring/").content.decode()
    assert "Er wachten geen uitgaven op uw goedkeuring." in html
    assert "/klanten/budget/wacht-op-goedkeuring/" in http.get("/klanten/").content.decode()


def test_budget_form_reads_a_dutch_amount(org, case_manager) -> None:
    """R-CLI-4: the spending form is typed as our pages write money. Its localised number
    field refused `1.500,00` ("Vul een geldig bedrag in") and took `1e3` as € 1.000,00."""
    client = make_client(org, case_manager=case_manager)
    http = HttpClient()
    http.force_login(case_manager)
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)):
        refused = http.post(f"/klanten/{client.pk}/budget/", {"amount": "1e3", "purpose": "x"})
        assert "Vul een geldig bedrag in" in refused.content.decode()
        response = http.post(
            f"/klanten/{client.pk}/budget/", {"amount": "1.500,00", "purpose": "Laptop"}
        )
    assert response.status_code == 302
    assert client.budget_spendings.get().amount == Decimal("1500.00")


def test_team_leads_who_see_the_client_are_told_of_a_spending_to_approve(
    org, case_manager, make_user
) -> None:
    """R-CLI-4 (docs/notifications.md: whoever gets work is told): a spending beyond the
    budget waits for a second approver, and nobody was told; the team leads of the
    organisation who see the client now get a notification with the amount, the purpose and
    a link to the dossier. Not the recorder, not a team lead who does not see the client,
    and nothing for a spending within the budget."""
    from opstap.notifications.models import Notification

    CustomBudgetConfig.objects.create(
        organisation=org, yearly_amount=Decimal("500.00"), valid_from=dt.date(2020, 1, 1)
    )
    case_manager_set_unit(user=case_manager, unit="work")
    lead = make_user(RoleCode.CASE_MANAGER, RoleCode.POLICY_OFFICER, username="teamleider")
    case_manager_set_unit(user=lead, unit="work")
    care_lead = make_user(RoleCode.CASE_MANAGER, RoleCode.POLICY_OFFICER, username="tl-zorg")
    case_manager_set_unit(user=care_lead, unit="care")
    mine = make_client(org, case_manager=case_manager, ladder_step="4", last_name="Boven")
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)):
        budget_spending_record(actor=case_manager, client=mine, amount="100", purpose="Fiets")
        assert not Notification.objects.exists()
        budget_spending_record(
            actor=case_manager, client=mine, amount="900,00", purpose="Rijbewijs"
        )
    told = Notification.objects.get()
    assert told.recipient == lead
    assert mine.full_name in told.title
    assert "Rijbewijs" in told.body and "900,00" in told.body
    assert told.url == f"/klanten/{mine.pk}/"
