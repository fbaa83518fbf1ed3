"""The hand-offs in the demo (issue 12, 'Done when'): the provider ('aanbieder-a') finds a new
order under "Meldingen", and the case manager ('klantmanager') finds there the quote that the
provider then sent; the durability question about a placement via the WSP (R-TRJ-7) went to
the client's case manager on the demo's day. Builds the whole demo organisation on a fixed
day (about a minute)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as WebClient

from opstap.accounts.models import User
from opstap.conftest import DEMO_TODAY
from opstap.demo import generator
from opstap.matching.models import Placement
from opstap.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _meldingen(username: str) -> str:
    web = WebClient()
    web.force_login(User.objects.get(username=username))
    return web.get("/meldingen/").content.decode()


def test_demo_shows_the_new_order_and_the_quote(demo_today: dt.date) -> None:
    """Hand-offs: the order went to the provider's staff, the quote back to the case manager;
    both are unread, dated on the demo's days, and each seen only by its recipient."""
    generator.build(scale="demo", today=DEMO_TODAY, log=lambda _msg: None)

    # The generated history was dealt with (read); what is new is the showcase.
    unread = Notification.objects.exclude(dedupe_key="").filter(read_at__isnull=True)
    # The BRP check of the demo (R-INT-3, docs/brp.md) signals two clients to klantmanager.
    brp_signals = Notification.objects.filter(dedupe_key__startswith="brp:")
    assert sorted(brp_signals.values_list("recipient__username", "title")) == [
        ("klantmanager", "Klant overleden volgens de BRP"),
        ("klantmanager", "Klant verhuisd buiten de gemeenten"),
    ]
    unread = unread.exclude(pk__in=brp_signals)
    order = unread.get(recipient__username="aanbieder-a")
    quote = unread.get(recipient__username="klantmanager")
    assert order.title.startswith("Nieuwe opdracht:")
    assert quote.title.startswith("Offerte ontvangen:")
    assert order.url == quote.url  # the same trajectory: ordered, then quoted
    assert order.created_at.date() == DEMO_TODAY - dt.timedelta(days=2)
    assert quote.created_at.date() == DEMO_TODAY - dt.timedelta(days=1)

    provider_page = _meldingen("aanbieder-a")
    assert order.title in provider_page
    assert quote.title not in provider_page
    case_manager_page = _meldingen("klantmanager")
    assert quote.title in case_manager_page
    assert order.title not in case_manager_page

    # R-TRJ-7, R-KPI-4: placements via the WSP older than 6 months, decided by the case
    # manager's answer (on the demo's day), and one whose question awaits the client's case
    # manager.
    wsp = Placement.objects.filter(via="wsp", start_date__lte=DEMO_TODAY - dt.timedelta(days=200))
    assert sorted(wsp.values_list("durability", flat=True)) == [
        "",
        "durable",
        "durable",
        "not_durable",
    ]
    waiting = wsp.get(durability="")
    asked = Notification.objects.get(dedupe_key=f"placement-durability:{waiting.pk}")
    assert asked.recipient == waiting.client.case_manager
    assert asked.created_at.date() == DEMO_TODAY == waiting.durability_asked_on
