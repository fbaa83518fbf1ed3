"""Test data through the services (architecture guide)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from opstap.clients.bsn import random_bsn
from opstap.clients.models import Client
from opstap.clients.services import client_create
from opstap.organisations.models import Municipality, Organisation

_counter = itertools.count(1)
_rng = random.Random(4)


def make_client(
    organisation: Organisation,
    *,
    actor: Any = None,
    municipality: Municipality | None = None,
    ladder_step: str = "4",
    **kwargs: Any,
) -> Client:
    n = next(_counter)
    defaults: dict[str, Any] = {
        "bsn": random_bsn(_rng),
        "client_number": f"K{n:06d}",
        "first_name": "Jan",
        "last_name": f"Jansen{n}",
        "date_of_birth": dt.date(1980, 1, 1),
        "municipality": municipality
        or Municipality.objects.filter(organisation=organisation).order_by("name").first(),
    }
    defaults.update(kwargs)
    return client_create(
        actor=actor, organisation=organisation, ladder_step=ladder_step, **defaults
    )


def a_case_manager(organisation: Organisation) -> Any:
    """An active case manager of `organisation`, for setups where who it is does not matter
    (a client of another organisation): every client has one (R-CLI-3). Made once per
    organisation, username `km-<slug>`."""
    from opstap.accounts.models import User
    from opstap.accounts.services import user_create
    from opstap.core.roles import RoleCode

    username = f"km-{organisation.slug}"
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    return user_create(
        username=username,
        organisation=organisation,
        roles=(RoleCode.CASE_MANAGER,),
        password="Test-wachtwoord-123",
        first_name="Klant",
        last_name=f"Manager {organisation.name}",
        validate=False,
    )
