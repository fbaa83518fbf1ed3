"""R-SEC-4 page: only holders of retention.manage; a dry run from the page lists client ids
and dates (no names) and changes nothing; terms and holds with Dutch messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.core.roles import RoleCode
from opstap.retention.models import LegalHold, RetentionRun, RetentionTerm

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(admin_user: User) -> WebClient:
    client = WebClient()
    client.force_login(admin_user)
    return client


def test_dry_run_from_the_page(web: WebClient, dossier: Callable[..., Client]) -> None:
    closed = dossier(ended=dt.date(2026, 6, 1), name="Anna")
    page = web.get("/bewaartermijnen/")
    assert page.status_code == 200 and "Selectielijst 2020" in page.content.decode()
    bad = web.post("/bewaartermijnen/proefrun", {"reference_date": "morgen"})
    assert "Vul de peildatum in als dd-mm-jjjj" in bad.content.decode()
    response = web.post("/bewaartermijnen/proefrun", {"reference_date": "01-01-2037"}, follow=True)
    body = response.content.decode()
    assert RetentionRun.objects.get().dry_run
    assert "peildatum 01-01-2037" in body and f"<td>{closed.pk}</td>" in body
    assert "Anna" not in body and closed.bsn not in body
    closed.refresh_from_db()
    assert closed.first_name == "Anna"


def test_terms_and_holds_from_the_page(web: WebClient, dossier: Callable[..., Client]) -> None:
    closed = dossier(ended=dt.date(2026, 6, 1), name="Anna")
    refused = web.post(
        "/bewaartermijnen/termijn", {"kind": "audit_trail", "years": "5", "action": "anonymise"}
    )
    assert "niet geanonimiseerd" in refused.content.decode()
    web.post("/bewaartermijnen/termijn", {"kind": "dossier", "years": "12", "action": "anonymise"})
    assert RetentionTerm.objects.get(kind="dossier").years == 12
    unknown = web.post(
        "/bewaartermijnen/bewaarplicht", {"client_number": "X-1", "reason": "Beroep"}
    )
    assert "geen klant met dit klantnummer" in unknown.content.decode()
    web.post(
        "/bewaartermijnen/bewaarplicht", {"client_number": closed.client_number, "reason": "Beroep"}
    )
    hold = LegalHold.objects.get(client=closed)
    web.post(f"/bewaartermijnen/bewaarplicht/{hold.pk}/opheffen")
    hold.refresh_from_db()
    assert hold.lifted_at is not None


def test_a_refused_term_is_shown_open_and_a_hold_by_its_client_number(
    web: WebClient, dossier: Callable[..., Client]
) -> None:
    """R-SEC-4 page, walked as the functional administrator: the term form sits in a folded
    "Termijn wijzigen"; a refused term (0 years) came back folded, so the page showed no
    message at all and the term seemed saved. And a hold placed by client number was listed
    by the internal id, which the administrator cannot match to the number typed."""
    closed = dossier(ended=dt.date(2026, 6, 1), name="Anna")
    refused = web.post(
        "/bewaartermijnen/termijn", {"kind": "dossier", "years": "0", "action": "anonymise"}
    ).content.decode()
    assert "<details open>" in refused
    assert "minstens 1 is" in refused
    assert "<details>" in web.get("/bewaartermijnen/").content.decode()  # folded otherwise
    web.post(
        "/bewaartermijnen/bewaarplicht", {"client_number": closed.client_number, "reason": "Beroep"}
    )
    holds = web.get("/bewaartermijnen/").content.decode().split('id="retention-holds"')[1]
    assert f"<td>{closed.client_number}</td>" in holds
    assert f"<td>{closed.pk}</td>" not in holds


def test_page_needs_the_permission(make_user: Callable[..., User]) -> None:
    for role in (RoleCode.CASE_MANAGER, RoleCode.POLICY_OFFICER, RoleCode.AUDITOR):
        other = WebClient()
        other.force_login(make_user(role, username=f"u-{role.value}"))
        assert other.get("/bewaartermijnen/").status_code == 403
        assert (
            other.post("/bewaartermijnen/proefrun", {"reference_date": "01-01-2037"}).status_code
            == 403
        )


@pytest.mark.parametrize("day", ["01-01-0001", "31-12-1899", "01-01-9999"])
def test_an_implausible_reference_date_is_refused_at_its_field(
    web: WebClient, dossier: Callable[..., Client], day: str
) -> None:
    """R-SEC-4, R-SEC-6: a dry run's reference date of year 1 answered 500 ('year 0 is out
    of range' subtracting a term); year 9999 ran. A date more than 100 years from today is
    refused at the field in Dutch; nothing is recorded."""
    dossier(ended=dt.date(2026, 6, 1), name="Anna")
    response = web.post("/bewaartermijnen/proefrun", {"reference_date": day})
    assert response.status_code == 400  # the page again, with the refusal at the field
    assert "Kies een peildatum van" in response.content.decode()
    assert not RetentionRun.objects.exists()
