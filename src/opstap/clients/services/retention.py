"""Retention (R-SEC-4): what identifies a client is removed once the dossier is past its
term; the retention app calls this through the registry (`clients/anonymisers.py`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.hashers import make_password

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.organisations.services import organisation_data_changed

ANONYMISED_NAME = "Geanonimiseerd"


def clients_anonymise(client_ids: Sequence[int]) -> int:
    """Remove what identifies these clients once their dossier is past its retention term:
    BSN, client number, names, address, and the portal account's name, e-mail and access.
    What the statistics count stays (municipality, date of birth, benefit, ladder history,
    target groups). Called by the retention run inside its transaction, which also audits
    it (without any of the values). The BSN and client number become unique placeholders
    that can never be a valid BSN (a letter), so the uniqueness constraints still hold."""
    ids = list(client_ids)
    changed = 0
    rows = Client.objects.filter(pk__in=ids).exclude(first_name=ANONYMISED_NAME)
    user_ids = [u for u in rows.exclude(user__isnull=True).values_list("user_id", flat=True)]
    for pk in rows.values_list("pk", flat=True):
        changed += Client.objects.filter(pk=pk).update(
            bsn="A" + _base36(pk).rjust(8, "0"),
            client_number=f"ANON-{pk}",
            first_name=ANONYMISED_NAME,
            last_name_prefix="",
            last_name=str(pk),
            street_address="",
            postcode="",
            city="",
        )
    if user_ids:
        unusable = make_password(None)
        for user_id in user_ids:
            User.objects.filter(pk=user_id).update(
                username=f"geanonimiseerd-{user_id}",
                first_name="",
                last_name="",
                email="",
                is_active=False,
                password=unusable,
            )
        # `.update()` sends no signal: the organisations' cached data (the users of a list's
        # filter) is made unreachable here, in the same transaction (issue 18).
        for organisation_id in set(
            User.objects.filter(pk__in=user_ids).values_list("organisation_id", flat=True)
        ):
            organisation_data_changed(organisation_id)
    return changed


def _base36(n: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out
