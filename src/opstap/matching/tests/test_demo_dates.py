"""Demo data of matching: work profiles are dated as a real organisation's would be."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from opstap.clients.models import Client, ClientEvent, ClientEventKind
from opstap.demo.generator import DemoContext
from opstap.matching import demo_data
from opstap.matching.models import WorkProfile

pytestmark = pytest.mark.django_db


def test_work_profiles_are_dated_between_registration_and_the_demos_proposals(
    org: Any, make_candidate: Callable[..., Client]
) -> None:
    """Every demo dossier's timeline said "Werkprofiel aangemaakt" on the minute the demo was
    generated (1,034 of them). Each profile, and its timeline entry, is now dated on one day
    in the year before today, a month before the proposals at the latest, and never before
    the client was registered."""
    today = dt.date(2026, 11, 22)
    clients = [make_candidate() for _ in range(6)]
    registered_on = {
        clients[0].pk: today - dt.timedelta(days=3000),  # long ago: within the last year
        clients[1].pk: today - dt.timedelta(days=100),  # recently: not before registration
        clients[2].pk: today - dt.timedelta(days=10),  # last week: the registration day
    }
    ClientEvent.objects.filter(client__in=clients, kind=ClientEventKind.CREATED).delete()
    for client_id, day in registered_on.items():
        ClientEvent.objects.create(
            organisation=org,
            client_id=client_id,
            kind=ClientEventKind.CREATED,
            summary="Klant ingeschreven",
            occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
        )
    ctx = DemoContext(
        organisation=org, scale="demo", rng=random.Random(1), today=today, log=lambda _m: None
    )
    demo_data._date_profiles(ctx, [c.pk for c in clients])
    latest = today - dt.timedelta(days=30)
    for client in clients:
        profile = WorkProfile.objects.get(client=client)
        entry = ClientEvent.objects.get(client=client, summary="Werkprofiel aangemaakt")
        assert entry.occurred_at == profile.updated_at
        day = timezone.localdate(profile.updated_at)
        since = registered_on.get(client.pk)
        if since is not None and since > latest:
            assert day == since
        else:
            assert latest - dt.timedelta(days=365) <= day <= latest
            assert since is None or day >= since
