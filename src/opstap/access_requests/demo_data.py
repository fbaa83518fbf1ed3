"""The access requests of the demo organisation (R-SEC-5), so the privacy officer's deadline
overview and start-page panel and the case managers' work list have something to show.

All dated from the demo's `today` (never the real date) and built through the services, with
a copy of the demo's seeded PRNG (deterministic, and the steps after this one draw the same
numbers as without it). Unanswered:

- a request of a client of 'klantmanager2' received by letter 36 days ago whose compilation
  failed and was never retried: its term has passed;
- a request of a person without a dossier registered by 'klantmanager2' 26 days ago, not yet
  answered: due within a week;
- a request of a person without a dossier registered by 'klantmanager' 9 days ago;
- a request of a client of 'klantmanager' by phone 4 days ago whose compilation failed
  (handler 'klantmanager', who can retry it from the work list).

Answered: the resident 'inwoner' asked in the portal about three months ago, downloaded the
export the next day and it expired 30 days after it was ready (the file is deleted, the row
stays); and a person without a dossier was answered 'no data' about two months ago.

`deadline_notices` (run by the demo's last step, after the generated history was marked read)
is this morning's daily job: the handler and the privacy officer find the notices of the
overdue request and of the one due within a week unread under "Meldingen"."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from typing import Any

from django.core.files import File
from django.test.utils import override_settings
from django.utils import timezone
from stdnum.nl import bsn as stdnum_bsn

from opstap.clients.models import Client

from . import services
from .export import FAILURE_MESSAGE_NL, build_zip
from .models import AccessRequest
from .workflow import Action

#: Days before the demo's today on which each request was received.
_OVERDUE = 36
_SOON = 26
_NO_DOSSIER = 9
_RECENT = 4
_ANSWERED_PORTAL = 92
_ANSWERED_NO_DATA = 70


def _at(ctx: Any, days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
    day = ctx.today - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _free_bsn(ctx: Any, rng: random.Random) -> str:
    """A valid BSN (11-check) that no client of the demo organisation has."""
    while True:
        base = f"{rng.randint(10_000_000, 99_999_999)}"
        for last in range(10):
            candidate = f"{base}{last}"
            if (
                stdnum_bsn.is_valid(candidate)
                and not Client.objects.filter(organisation=ctx.organisation, bsn=candidate).exists()
            ):
                return candidate


def _client_of(ctx: Any, rng: random.Random, username: str, *, skip: set[int]) -> Client:
    clients = list(
        Client.objects.filter(
            organisation=ctx.organisation, case_manager=ctx.users[username], user__isnull=True
        )
        .exclude(pk__in=skip)
        .order_by("id")
        .only("id")[:200]
    )
    return Client.objects.get(pk=rng.choice(clients).pk)


def _failed(ctx: Any, request: AccessRequest, days_ago: int) -> AccessRequest:
    """The compilation started right after receipt and failed (nobody retried it)."""
    request = services.access_request_transition(
        actor=None, access_request=request, action=Action.START, now=_at(ctx, days_ago, 10, 1)
    )
    return services.access_request_transition(
        actor=None,
        access_request=request,
        action=Action.FAIL,
        failure_message=FAILURE_MESSAGE_NL,
        now=_at(ctx, days_ago, 10, 3),
    )


def _answered_by_export(ctx: Any, resident: Any, client: Client) -> AccessRequest:
    """The resident's request: compiled at once (the real export), downloaded the next day,
    expired (file deleted) when its retention ended."""
    request = services.access_request_create(
        actor=resident, client=client, now=_at(ctx, _ANSWERED_PORTAL, 20, 12)
    )
    request = services.access_request_transition(
        actor=None,
        access_request=request,
        action=Action.START,
        now=_at(ctx, _ANSWERED_PORTAL, 20, 13),
    )
    ready = _at(ctx, _ANSWERED_PORTAL, 20, 14)
    with tempfile.TemporaryFile() as tmp:
        build_zip(request, tmp, lambda _step, _label: None)
        tmp.seek(0)
        request = services.access_request_transition(
            actor=None,
            access_request=request,
            action=Action.COMPLETE,
            export_file=File(tmp, name=f"inzage-{client.client_number}-{ready:%Y%m%d}.zip"),
            now=ready,
        )
    request = services.access_request_transition(
        actor=resident,
        access_request=request,
        action=Action.DOWNLOAD,
        now=_at(ctx, _ANSWERED_PORTAL - 1, 8, 40),
    )
    expires_at = request.expires_at
    if expires_at is not None and expires_at.date() <= ctx.today:
        request = services.access_request_transition(
            actor=None, access_request=request, action=Action.EXPIRE, now=expires_at
        )
    return request


def build(ctx: Any) -> None:
    if ctx.scale != "demo":
        return  # the benchmark scales have no need of them
    rng = random.Random()  # noqa: S311 (demo data, not security)
    rng.setstate(ctx.rng.getstate())  # a copy: later steps draw what they drew before
    km, km2 = ctx.users["klantmanager"], ctx.users["klantmanager2"]
    taken: set[int] = set()

    overdue_client = _client_of(ctx, rng, "klantmanager2", skip=taken)
    taken.add(overdue_client.pk)
    overdue = services.access_request_create(
        actor=km2,
        client=overdue_client,
        note="Per brief ontvangen",
        now=_at(ctx, _OVERDUE, 10),
    )
    _failed(ctx, overdue, _OVERDUE)

    services.access_request_create_without_dossier(
        actor=km2,
        requester_name="Johan Verbeek",
        bsn=_free_bsn(ctx, rng),
        requester_contact="Kerkstraat 12, 6921 AB Duiven",
        note="Aan de balie",
        now=_at(ctx, _SOON, 11, 30),
    )
    services.access_request_create_without_dossier(
        actor=km,
        requester_name="Fatima Bouzid",
        bsn=_free_bsn(ctx, rng),
        requester_contact="f.bouzid@example.org",
        note="Per e-mail",
        now=_at(ctx, _NO_DOSSIER, 14, 5),
    )

    recent_client = _client_of(ctx, rng, "klantmanager", skip=taken)
    taken.add(recent_client.pk)
    recent = services.access_request_create(
        actor=km, client=recent_client, note="Telefonisch", now=_at(ctx, _RECENT, 10)
    )
    _failed(ctx, recent, _RECENT)

    resident = ctx.users["inwoner"]
    own = Client.objects.filter(organisation=ctx.organisation, user=resident).first()
    if own is not None:
        _answered_by_export(ctx, resident, own)
    answered = services.access_request_create_without_dossier(
        actor=km,
        requester_name="Gerrit Hendriksen",
        bsn=_free_bsn(ctx, rng),
        requester_contact="Postbus 40, 6900 AA Zevenaar",
        note="Per brief",
        now=_at(ctx, _ANSWERED_NO_DATA, 9, 15),
    )
    services.access_request_transition(
        actor=km,
        access_request=answered,
        action=Action.ANSWER_NO_DATA,
        now=_at(ctx, _ANSWERED_NO_DATA - 6, 16, 20),
    )
    ctx.log("Inzageverzoeken: 4 openstaand (1 verstreken, 1 binnen een week), 2 beantwoord.")


def deadline_notices(ctx: Any) -> None:
    """This morning's daily deadline job (AVG art. 12(3)), after the generated history was
    marked read: its notices are new."""
    if ctx.scale != "demo":
        return
    # Demo mail stays in memory, as the other showcases' does.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        sent = services.access_requests_send_deadline_notices(today=ctx.today)
    ctx.log(f"Inzageverzoeken: {sent} termijnmeldingen verstuurd.")
