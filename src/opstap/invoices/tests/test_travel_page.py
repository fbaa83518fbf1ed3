"""The travel-claim page (R-BILL-9) answers a successful claim with redirect-after-post: it
rendered the outcome as the POST's answer, so a reload offered to send the claim again."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.invoices.models import TravelClaim
from opstap.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def test_a_travel_claim_redirects_to_the_page_with_its_outcome(
    code3_done: Trajectory, case_manager: User
) -> None:
    """R-BILL-9: the trip of 61 km is for the provider; the claim is entered once."""
    web = WebClient()
    web.force_login(case_manager)
    response = web.post(
        "/facturen/reiskosten/",
        {
            "trajectory": code3_done.pk,
            "trips": "11-05-2026 12 6,40\n12-05-2026 61 30,00",
            "attended_on": "11-05-2026 12-05-2026",
        },
    )
    claim = TravelClaim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/facturen/reiskosten/?declaratie={claim.pk}"
    page = web.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "De reiskostendeclaratie is ingevoerd en gecontroleerd." in html
    assert 'id="travel-result"' in html
    assert "voor rekening aanbieder €\u00a030,00" in html
    again = web.get(response["Location"])  # a reload shows the outcome, enters nothing
    assert again.status_code == 200
    assert "De reiskostendeclaratie is ingevoerd" not in again.content.decode()
    assert TravelClaim.objects.count() == 1


@pytest.mark.parametrize("shown", ["abc", "²", "0", "-1"])
def test_an_unreadable_or_unknown_claim_number_shows_the_page_without_outcome(
    case_manager: User, shown: str
) -> None:
    """R-SEC-6: no input gives a 5xx; an unknown number shows no outcome (a number beyond 64
    bits is answered 400 by `api.middleware` before the page)."""
    web = WebClient()
    web.force_login(case_manager)
    page = web.get("/facturen/reiskosten/", {"declaratie": shown})
    assert page.status_code == 200
    assert 'id="travel-result"' not in page.content.decode()
