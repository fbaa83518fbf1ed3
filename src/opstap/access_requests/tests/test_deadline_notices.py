"""R-SEC-5 (AVG art. 12(3): answer within one month): people are told when an access request
is due soon and when it is overdue.

Finding: nobody was told. The due date stood on the case manager's work list, but a request
of an ill case manager's client, of a client without a case manager or of a person without a
dossier could pass the term unseen. Now a daily job (Celery beat, or the management command
in cron) notifies the handler and every privacy officer of the organisation through the
notifications app (in-app, e-mail or digest), once per request, stage and person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from opstap.access_requests import services
from opstap.access_requests.models import AccessRequest
from opstap.access_requests.workflow import Action
from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.clients.services import client_link_user
from opstap.clients.tests.factories import make_client
from opstap.core.atw import is_working_day
from opstap.core.roles import RoleCode
from opstap.notifications.models import Notification
from opstap.organisations.models import Organisation

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
#: The explicit "today" of these tests: a Saturday, so that every due date of the world below
#: (5 days ago to 20 days ahead, none of 4 days ago) is a working day, which a due date is
#: since the Atw roll-over (R-SEC-5): a term ending in a weekend ends on the Monday after.
TODAY = dt.date(2027, 3, 13)


def _received(due_in_days: int) -> dt.datetime:
    """A receipt moment whose due date (one month later) is `due_in_days` from TODAY."""
    due = TODAY + dt.timedelta(days=due_in_days)
    # One month back; days 29-31 do not occur in every month, the tests avoid them.
    month, year = (due.month - 1, due.year) if due.month > 1 else (12, due.year - 1)
    return dt.datetime(year, month, due.day, 10, 0, tzinfo=AMS)


@dataclass
class World:
    officer: User
    km: User
    km_ill: User
    soon: AccessRequest
    late_ill: AccessRequest
    orphan: AccessRequest
    no_dossier: AccessRequest
    far: AccessRequest
    answered: AccessRequest
    other_org: AccessRequest
    other_km: User
    names: list[str]


@pytest.fixture
def world(org: Organisation, other_org: Organisation, make_user: Callable[..., User]) -> World:
    officer = make_user(RoleCode.PRIVACY_OFFICER, username="privacy")
    km = make_user(RoleCode.CASE_MANAGER, username="km")
    km_ill = make_user(RoleCode.CASE_MANAGER, username="km-ziek")
    c_soon = make_client(org, case_manager=km, first_name="Sanne", last_name="Geheim")
    c_ill = make_client(org, case_manager=km_ill, first_name="Greet", last_name="Verborgen")
    # Registered before R-CLI-3 was enforced: a client without a case manager (legacy row).
    c_alone = make_client(org, case_manager=km, first_name="Ria", last_name="Zonderkm")
    Client.objects.filter(pk=c_alone.pk).update(case_manager=None)
    c_alone.refresh_from_db()
    c_far = make_client(org, case_manager=km)
    resident = make_user(RoleCode.RESIDENT, username="ria")
    client_link_user(client=c_alone, user=resident)

    soon = services.access_request_create(actor=km, client=c_soon, now=_received(5))
    late_ill = services.access_request_create(actor=km_ill, client=c_ill, now=_received(-3))
    orphan = services.access_request_create(actor=resident, client=c_alone, now=_received(2))
    no_dossier = services.access_request_create_without_dossier(
        actor=km,
        requester_name="Piet Privé",
        bsn="111222333",
        requester_contact="Dorpsstraat 1",
        now=_received(-1),
    )
    far = services.access_request_create(actor=km, client=c_far, now=_received(20))
    answered = services.access_request_create_without_dossier(
        actor=km, requester_name="Klaas Klaar", bsn="123456782", now=_received(-5)
    )
    services.access_request_transition(
        actor=km, access_request=answered, action=Action.ANSWER_NO_DATA, now=_received(-6)
    )
    other_km = make_user(RoleCode.CASE_MANAGER, organisation=other_org, username="km-elders")
    other = services.access_request_create(
        actor=other_km, client=make_client(other_org, case_manager=other_km), now=_received(-2)
    )
    # Each due date is a working day, so the roll-over (R-SEC-5) leaves it where it was meant.
    for request, due_in_days in ((soon, 5), (late_ill, -3), (orphan, 2), (no_dossier, -1)):
        assert request.due_on == TODAY + dt.timedelta(days=due_in_days)
        assert is_working_day(request.due_on)
    assert (far.due_on, other.due_on) == (TODAY + dt.timedelta(days=20), TODAY - dt.timedelta(2))
    km_ill.is_active = False
    km_ill.save(update_fields=["is_active"])
    return World(
        officer=officer,
        km=km,
        km_ill=km_ill,
        soon=soon,
        late_ill=late_ill,
        orphan=orphan,
        no_dossier=no_dossier,
        far=far,
        answered=answered,
        other_org=other,
        other_km=other_km,
        names=[c.full_name for c in (c_soon, c_ill, c_alone)] + ["Piet Privé", "Dorpsstraat"],
    )


def _keys(user: User) -> set[str]:
    return set(Notification.objects.filter(recipient=user).values_list("dedupe_key", flat=True))


def test_handler_and_privacy_officer_are_told_once(world: World) -> None:
    sent = services.access_requests_send_deadline_notices(today=TODAY, days_before=7)
    w = world
    assert _keys(w.km) == {
        f"access-request:{w.soon.pk}:soon",
        f"access-request:{w.no_dossier.pk}:overdue",  # registered it: handles it
    }
    # The privacy officer hears of every request of the organisation in the window, also
    # those nobody active handles.
    assert _keys(w.officer) == {
        f"access-request:{w.soon.pk}:soon",
        f"access-request:{w.late_ill.pk}:overdue",
        f"access-request:{w.orphan.pk}:soon",
        f"access-request:{w.no_dossier.pk}:overdue",
    }
    assert _keys(w.km_ill) == set()  # deactivated: not told, the officer is
    assert _keys(w.other_km) == {f"access-request:{w.other_org.pk}:overdue"}
    assert sent == 2 + 4 + 1

    # Idempotent: the same day again, and the day after, nothing new for the same stage.
    assert services.access_requests_send_deadline_notices(today=TODAY, days_before=7) == 0
    assert Notification.objects.count() == 7


def test_the_notice_says_what_to_chase_and_nothing_of_the_dossier(world: World) -> None:
    services.access_requests_send_deadline_notices(today=TODAY, days_before=7)
    late = Notification.objects.get(
        recipient=world.officer, dedupe_key=f"access-request:{world.late_ill.pk}:overdue"
    )
    assert late.title == f"Inzageverzoek IV-{world.late_ill.pk}: termijn verstreken"
    due = world.late_ill.due_on
    assert late.body == (
        f"De uiterste antwoorddatum was {due:%d-%m-%Y} (3 dagen geleden). "
        f"Behandelaar: {world.km_ill.display_name} (account niet actief)."
    )
    assert late.url == "/inzageverzoeken/termijnen/"
    orphan = Notification.objects.get(
        recipient=world.officer, dedupe_key=f"access-request:{world.orphan.pk}:soon"
    )
    assert orphan.title == f"Inzageverzoek IV-{world.orphan.pk}: termijn verloopt binnenkort"
    assert "(nog 2 dagen)" in orphan.body
    assert "Behandelaar: niemand (klant zonder klantmanager)." in orphan.body
    mine = Notification.objects.get(
        recipient=world.km, dedupe_key=f"access-request:{world.soon.pk}:soon"
    )
    assert mine.url == f"/inzageverzoeken/{world.soon.pk}/"
    assert "(nog 5 dagen). U behandelt dit verzoek." in mine.body
    for notification in Notification.objects.all():
        for name in world.names:
            assert name not in notification.title + notification.body, name


def test_overdue_follows_soon_once_the_term_passes(world: World) -> None:
    services.access_requests_send_deadline_notices(today=TODAY, days_before=7)
    after_due = TODAY + dt.timedelta(days=6)  # `soon` was due in 5 days
    services.access_requests_send_deadline_notices(today=after_due, days_before=7)
    services.access_requests_send_deadline_notices(today=after_due, days_before=7)
    assert (
        Notification.objects.filter(
            recipient=world.km, dedupe_key=f"access-request:{world.soon.pk}:overdue"
        ).count()
        == 1
    )
    assert f"access-request:{world.far.pk}:soon" not in _keys(world.km)  # due in 14 days
    # An answered request is never chased.
    assert not Notification.objects.filter(dedupe_key__contains=f":{world.answered.pk}:").exists()


def test_the_notice_days_are_a_setting_and_refused_when_negative(
    world: World, settings: Any
) -> None:
    settings.OPSTAP_ACCESS_REQUEST_NOTICE_DAYS = 1
    services.access_requests_send_deadline_notices(today=TODAY)
    assert f"access-request:{world.soon.pk}:soon" not in _keys(world.km)  # 5 days > 1
    with pytest.raises(services.AccessRequestError) as refused:
        services.access_requests_send_deadline_notices(today=TODAY, days_before=-1)
    assert refused.value.field == "days_before"
    assert "0 of meer" in refused.value.message


def test_the_command_and_the_beat_schedule_run_the_same_job(world: World) -> None:
    out = StringIO()
    call_command("send_access_request_notices", "--date", TODAY.isoformat(), stdout=out)
    assert "verstuurd: 7" in out.getvalue()
    call_command("send_access_request_notices", "--date", TODAY.isoformat(), stdout=out)
    assert "verstuurd: 0" in out.getvalue()
    with pytest.raises(CommandError, match="jjjj-mm-dd"):
        call_command("send_access_request_notices", "--date", "15-03-2027", stdout=out)
    with pytest.raises(CommandError, match="0 of meer"):
        call_command("send_access_request_notices", "--days-before", "-2", stdout=out)
    entry = settings.CELERY_BEAT_SCHEDULE["access-request-deadline-notices"]
    assert entry["task"] == "opstap.access_requests.send_deadline_notices"


def test_the_job_reads_the_requests_in_one_query(
    world: World, django_assert_max_num_queries: Any
) -> None:
    """No N+1: the candidates with their handlers in one query, the overseers per
    organisation, the keys already sent; then per notification only its own writes."""
    services.access_requests_send_deadline_notices(today=TODAY, days_before=7)
    # A second run sends nothing and reads: candidates, roles + users per organisation (2),
    # the keys already sent.
    with django_assert_max_num_queries(1 + 2 * 2 + 1):
        assert services.access_requests_send_deadline_notices(today=TODAY, days_before=7) == 0
