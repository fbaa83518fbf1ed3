"""The access requests of the demo organisation (R-SEC-5), built as on DEMO_TODAY with the
clock stopped there. Finding: the demo held no access request, so the privacy officer's
deadline overview and start-page panel were empty. Now it holds four unanswered requests
(one overdue, one due within a week, one of a person without a dossier, one recent with its
case manager as handler) and two answered ones, dated from the demo's today. Builds the whole
demo organisation (about a minute)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client as WebClient

from opstap.access_requests import selectors
from opstap.access_requests.models import AccessRequest
from opstap.accounts.models import User
from opstap.conftest import DEMO_TODAY
from opstap.demo import generator
from opstap.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_demo_has_open_and_answered_access_requests(demo_today: dt.date) -> None:
    generator.build(scale="demo", today=DEMO_TODAY, log=lambda _msg: None)
    privacy = User.objects.get(username="privacy")

    # R-SEC-5: what the overview and the panel count on the demo's day.
    assert selectors.deadline_counts_for(privacy, today=DEMO_TODAY) == {
        "open": 4,
        "overdue": 1,
        "soon": 1,
    }
    rows = list(selectors.deadline_overview_for(privacy, today=DEMO_TODAY))
    overdue, soon, no_dossier, recent = rows
    assert overdue.due_on < DEMO_TODAY and overdue.state == "failed" and overdue.has_dossier
    assert overdue.handler.username == "klantmanager2"
    assert DEMO_TODAY <= soon.due_on <= DEMO_TODAY + dt.timedelta(days=7)
    assert not soon.has_dossier and soon.handler.username == "klantmanager2"
    assert not no_dossier.has_dossier and no_dossier.handler.username == "klantmanager"
    assert recent.has_dossier and recent.handler.username == "klantmanager"
    # Dated from the demo's today, never the real date.
    received = sorted(r.requested_at.date() for r in AccessRequest.objects.all())
    assert received == sorted(DEMO_TODAY - dt.timedelta(days=d) for d in (92, 70, 36, 26, 9, 4))
    answered = AccessRequest.objects.exclude(pk__in=[r.pk for r in rows])
    assert sorted(answered.values_list("state", flat=True)) == ["expired", "no_data"]
    expired = answered.get(state="expired")
    assert expired.client.user.username == "inwoner" and expired.channel == "portal"
    assert not expired.file and expired.download_count == 1
    assert expired.expired_at is not None and expired.expired_at.date() <= DEMO_TODAY

    # This morning's deadline job: the notices are new for the handler and the officer, and
    # not for 'klantmanager' (nothing of theirs is due within a week).
    notices = Notification.objects.filter(dedupe_key__startswith="access-request:")
    assert sorted(notices.values_list("recipient__username", "read_at")) == [
        ("klantmanager2", None),
        ("klantmanager2", None),
        ("privacy", None),
        ("privacy", None),
    ]

    web = WebClient()
    web.force_login(privacy)
    home = _text(web.get("/").content.decode())
    assert (
        "4 inzageverzoeken zijn nog niet beantwoord: 1 met verstreken termijn, "
        "1 binnen 7 dagen." in home
    )
    assert f"Inzageverzoek IV-{overdue.pk}: termijn verstreken" in home
    page = web.get("/inzageverzoeken/termijnen/")
    assert page.status_code == 200
    assert page.content.decode().count("<tr data-urgency") == 4
