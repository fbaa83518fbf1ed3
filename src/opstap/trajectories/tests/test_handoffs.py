"""Hand-offs notify the other side (issue 12): every step that gives the other party work
sends a notification — in-app always, e-mail at once or in the daily digest — driven by the
table in `handoffs.py`, once only, visible only to the recipient, in Dutch, with a link."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client as WebClient
from django.urls import reverse

from opstap.accounts.models import User
from opstap.core.roles import RoleCode
from opstap.notifications import services as notification_services
from opstap.notifications.models import Notification
from opstap.providers.models import Product, Provider
from opstap.trajectories import handoffs, services
from opstap.trajectories.models import Trajectory
from opstap.trajectories.workflow import TRANSITIONS, Action

D = dt.date

# --- The table (pure) ---------------------------------------------------------------------


def test_every_action_is_classified_once() -> None:
    """R-TRJ-2: each workflow action either hands work over (a row of HANDOFFS) or, with a
    reason, does not (NO_HANDOFF); a new action must be placed in one of the two."""
    for action in Action:
        assert (action.value in handoffs.HANDOFFS) != (action.value in handoffs.NO_HANDOFF), action


def test_the_notified_side_is_never_the_only_side_that_may_act() -> None:
    """R-TRJ-2: a step only the case manager may take tells the provider, and vice versa."""
    for transition in TRANSITIONS:
        row = handoffs.handoff_for(transition.action.value)
        if row is None:
            continue
        if transition.roles == {RoleCode.CASE_MANAGER}:
            assert row.notify is handoffs.Party.PROVIDER, transition.action
        elif transition.roles == {RoleCode.PROVIDER_STAFF}:
            assert row.notify is handoffs.Party.CASE_MANAGER, transition.action
        else:
            assert row.notify is handoffs.Party.OTHER, transition.action


@pytest.mark.parametrize(
    ("event", "actor_is_provider", "expected"),
    [
        (handoffs.ORDER, False, {handoffs.Party.PROVIDER}),
        (Action.SUBMIT_QUOTE.value, True, {handoffs.Party.CASE_MANAGER}),
        (Action.APPROVE_QUOTE.value, False, {handoffs.Party.PROVIDER}),
        (Action.COMPLETE.value, True, {handoffs.Party.CASE_MANAGER}),  # the other side
        (Action.COMPLETE.value, False, {handoffs.Party.PROVIDER}),
        (handoffs.INVOICE_REJECTED, False, {handoffs.Party.PROVIDER}),
        (Action.START.value, True, set()),
    ],
)
def test_parties_to_notify(event: str, actor_is_provider: bool, expected: set[object]) -> None:
    assert handoffs.parties_to_notify(event, actor_is_provider=actor_is_provider) == expected


def test_texts_are_dutch_templates_with_known_keys() -> None:
    keys = {"product", "provider", "client", "trajectory", "reason", "invoice", "state"}
    for row in handoffs.HANDOFFS.values():
        for text in (row.title_nl, row.body_nl):
            used = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            assert used <= keys, row.event
            assert "R-" not in text and "_" not in text.replace("{", "").replace("}", "")
        assert len(row.title_nl.format(**dict.fromkeys(keys, "x" * 30))) <= 200


# --- Through the services -----------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def _titles(user: User) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("id").values_list("title", flat=True)
    )


@pytestmark_db
@time_machine.travel(dt.datetime(2026, 9, 10, 12, 0, tzinfo=dt.UTC), tick=False)
def test_the_chain_notifies_each_hand_off_once(
    order: Callable[..., Trajectory],
    contracted_a: Provider,
    make_product: Callable[..., Product],
    provider_user_a: User,
    case_manager: User,
) -> None:
    """Issue 12 'hand-offs notify the other side': order → provider; quote → case manager;
    approval → provider; plan → case manager; plan returned/approved → provider; extension
    requested → case manager, decided → provider; the end → the other side; the final report
    → the other side. The actor is never notified of their own step."""
    product = make_product(contracted_a, 4, name="Maatwerk")
    trajectory = order(product, on=D(2026, 4, 21))
    assert _titles(provider_user_a) == [f"Nieuwe opdracht: Maatwerk (traject {trajectory.pk})"]

    def step(actor: User, action: str, on: dt.date, reason: str = "", **payload: str) -> None:
        services.trajectory_transition(
            actor=actor,
            trajectory=trajectory,
            action=action,
            reason=reason,
            payload=payload,
            on=on,
        )

    services.trajectory_document_submit(
        actor=provider_user_a,
        trajectory=trajectory,
        kind="quote",
        title="Offerte",
        text="Offerte met plan",
        payload={"amount": "1800.00"},
        on=D(2026, 4, 22),
    )
    step(case_manager, "approve_quote", D(2026, 4, 23))
    step(provider_user_a, "plan_intake", D(2026, 4, 23), intake_date="2026-04-28")
    step(provider_user_a, "hold_intake", D(2026, 4, 28), held_on="2026-04-28")
    step(provider_user_a, "submit_plan", D(2026, 4, 29))
    step(case_manager, "return_plan", D(2026, 4, 30), reason="Doelen te vaag")
    step(provider_user_a, "submit_plan", D(2026, 5, 1))
    step(case_manager, "approve_plan", D(2026, 5, 4))
    step(provider_user_a, "start", D(2026, 5, 6), start_date="2026-05-06")
    step(provider_user_a, "request_extension", D(2026, 9, 1), reason="Meer tijd nodig")
    step(case_manager, "refuse_extension", D(2026, 9, 2), reason="Niet nodig")
    step(case_manager, "terminate_early", D(2026, 9, 3), reason="Werk gevonden")
    step(provider_user_a, "receive_final_report", D(2026, 9, 10))

    n = trajectory.pk
    assert _titles(case_manager) == [
        f"Offerte ontvangen: Maatwerk (traject {n})",
        f"Plan van aanpak ontvangen: Maatwerk (traject {n})",
        f"Plan van aanpak ontvangen: Maatwerk (traject {n})",
        f"Verlenging aangevraagd: Maatwerk (traject {n})",
        f"Eindrapportage ontvangen: Maatwerk (traject {n})",
    ]
    assert _titles(provider_user_a) == [
        f"Nieuwe opdracht: Maatwerk (traject {n})",
        f"Offerte goedgekeurd: Maatwerk (traject {n})",
        f"Plan van aanpak teruggestuurd: Maatwerk (traject {n})",
        f"Plan van aanpak goedgekeurd: Maatwerk (traject {n})",
        f"Verlenging geweigerd: Maatwerk (traject {n})",
        f"Traject voortijdig beëindigd: Maatwerk (traject {n})",
    ]
    returned = Notification.objects.get(recipient=provider_user_a, title__contains="terug")
    assert "Doelen te vaag" in returned.body
    assert returned.url == f"/trajecten/{n}/"
    assert "Kees Klant" in returned.body


@pytestmark_db
def test_same_notification_twice_is_impossible(
    case_manager: User, django_capture_on_commit_callbacks
) -> None:
    """Issue 12: sending with the same key again returns the stored one and mails nothing;
    the database itself refuses a second row with that key for that user."""
    case_manager.email = "km@example.org"
    case_manager.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_services.notification_send(
            recipient=case_manager, title="Offerte ontvangen", body="", dedupe_key="k-1"
        )
        again = notification_services.notification_send(
            recipient=case_manager, title="Offerte ontvangen", body="", dedupe_key="k-1"
        )
    assert again.pk == first.pk
    assert len(mail.outbox) == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            organisation_id=case_manager.organisation_id,
            recipient=case_manager,
            title="dubbel",
            dedupe_key="k-1",
        )
    # Without a key (the older signals) notifications are not deduplicated.
    for _ in range(2):
        notification_services.notification_send(recipient=case_manager, title="x", body="")
    assert Notification.objects.filter(recipient=case_manager, dedupe_key="").count() == 2


@pytestmark_db
def test_replayed_transition_event_notifies_once(
    order: Callable[..., Trajectory], product3: Product, provider_user_a: User
) -> None:
    """Issue 12: a hand-off sent again for the same event (a retried job) adds nothing."""
    trajectory = order(product3)
    event = trajectory.events.get(action="order")
    again = services.handoff_notify(
        event=handoffs.ORDER,
        actor=trajectory.case_manager,
        trajectory=trajectory,
        dedupe_key=f"trajectory-event:{event.pk}",
    )
    assert again == 1  # the user was addressed ...
    assert Notification.objects.filter(recipient=provider_user_a).count() == 1  # ... once


@pytestmark_db
def test_only_the_recipient_sees_a_hand_off(
    order: Callable[..., Trajectory],
    product3: Product,
    provider_user_a: User,
    provider_user_b: User,
) -> None:
    """R-SEC-1: provider B's staff never see provider A's new order, not in the list and not
    by id."""
    order(product3)
    note = Notification.objects.get(recipient=provider_user_a)
    other = WebClient()
    other.force_login(provider_user_b)
    assert "Nieuwe opdracht" not in other.get(reverse("notifications:list")).content.decode()
    assert other.post(reverse("notifications:open", args=[note.pk])).status_code == 404
    own = WebClient()
    own.force_login(provider_user_a)
    assert "Nieuwe opdracht" in own.get(reverse("notifications:list")).content.decode()
    assert own.post(reverse("notifications:open", args=[note.pk]))["Location"] == note.url


@pytestmark_db
def test_inactive_staff_and_the_actor_are_not_notified(
    order: Callable[..., Trajectory],
    product3: Product,
    provider_user_a: User,
    make_user: Callable[..., User],
    provider_a: Provider,
) -> None:
    from opstap.providers.services import provider_add_staff

    gone = make_user(RoleCode.PROVIDER_STAFF, username="oud")
    provider_add_staff(provider=provider_a, user=gone)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    trajectory = order(product3)
    assert Notification.objects.filter(recipient=gone).count() == 0
    assert Notification.objects.filter(recipient=trajectory.case_manager).count() == 0


@pytestmark_db
def test_a_lost_race_returns_the_stored_notification(
    case_manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12 (never twice): another process stores the same notification between our
    read and our insert. The unique constraint refuses the second row; the sender reads the
    stored one and sends no second e-mail."""
    from django.db.models.query import QuerySet

    case_manager.email = "km@example.org"
    case_manager.save(update_fields=["email"])
    real_get = QuerySet.get
    raced = {"done": False}

    def get_after_the_other_process(
        self: QuerySet[object], *args: object, **kwargs: object
    ) -> object:
        if self.model is Notification and not raced["done"]:
            raced["done"] = True
            Notification.objects.create(  # the other process wins the race
                organisation_id=case_manager.organisation_id,
                recipient=case_manager,
                title="Offerte ontvangen",
                dedupe_key="race-1",
            )
            raise Notification.DoesNotExist
        return real_get(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "get", get_after_the_other_process)
    note = notification_services.notification_send(
        recipient=case_manager, title="Offerte ontvangen", body="", dedupe_key="race-1"
    )
    assert raced["done"]
    assert Notification.objects.filter(dedupe_key="race-1").count() == 1
    assert note.dedupe_key == "race-1"
    assert mail.outbox == []
