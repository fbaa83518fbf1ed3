"""BRP lookups (Haal Centraal "BRP bevragen", R-INT-3): the prefill when a client is
registered and the periodic check for clients who moved out or died. Each lookup is audited
with its purpose; the HTTP client is `opstap.clients.brp`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log, audit_log_many
from opstap.clients import brp
from opstap.clients.models import Client, ClientEvent, ClientEventKind
from opstap.core.actor import Actor
from opstap.core.errors import PermissionDeniedError
from opstap.core.roles import Perm
from opstap.notifications.services import notification_send
from opstap.organisations.models import Municipality, Organisation

from .clients import client_create, client_event_record
from .validation import ClientError, bsn_clean

__all__ = [
    "BRP_PURPOSE_CHECK",
    "BRP_PURPOSE_REGISTER",
    "BrpCheckResult",
    "brp_check_organisation",
    "brp_lookup",
    "client_register",
]


BRP_PURPOSE_REGISTER = "Klant inschrijven"
BRP_PURPOSE_CHECK = "Controle verhuizing en overlijden"


def brp_lookup(*, actor: Actor, bsn: str, purpose: str = BRP_PURPOSE_REGISTER) -> brp.BrpPerson:
    """Look one person up in the BRP for `purpose`; audited with the purpose, also when the
    BRP fails or does not know the BSN. Raises `ClientError` (invalid BSN, not found) or
    `brp.BrpError` (not configured, timeout, outage) with a Dutch message."""
    from django.conf import settings

    if actor is None or not actor.has_opstap_perm(Perm.BRP_LOOKUP):
        raise PermissionDeniedError("U mag geen gegevens in de BRP opvragen.")
    bsn = bsn_clean(bsn)
    config = brp.config_from_settings(settings)
    result = "ok"
    try:
        people = brp.raadpleeg(config, [bsn], verwerking=purpose, gebruiker=actor.get_username())
        if not people:
            result = "niet gevonden"
            raise ClientError(
                "De BRP kent geen persoon met dit BSN.", field="bsn", code="not_found"
            )
        return people[0]
    except brp.BrpInvalidRequestError:
        result = "geweigerd"
        raise
    except brp.BrpError:
        result = "storing"
        raise
    finally:
        audit_log(
            action=AuditAction.SEARCH,
            actor=actor,
            object_type="brp_persoon",
            object_id=bsn,
            purpose=f"BRP-bevraging: {purpose}",
            result=result,
        )


@transaction.atomic
def client_register(
    *,
    actor: Actor,
    organisation: Organisation,
    brp_values: dict[str, str] | None,
    differences_shown: Sequence[str] = (),
    **fields: Any,
) -> Client:
    """Register a client (`client_create`) and, when the form was prefilled from the BRP,
    record on the timeline which fields came from the BRP, which typed values the BRP
    corrected (`differences_shown`: the fields shown as different before saving, now saved
    as the BRP has them) and which were changed by hand (facts from the record). All or
    nothing: one transaction."""
    client = client_create(actor=actor, organisation=organisation, **fields)
    if brp_values:
        saved = {
            "first_name": client.first_name,
            "last_name_prefix": client.last_name_prefix,
            "last_name": client.last_name,
            "date_of_birth": client.date_of_birth.isoformat(),
            "street_address": client.street_address,
            "postcode": client.postcode,
            "city": client.city,
            "municipality": client.municipality.cbs_code if client.municipality else "",
        }
        changed = brp.differences(saved, brp_values)
        kept = {d.field for d in changed}
        corrected = [f for f in brp.PREFILL_LABELS if f in set(differences_shown) and f not in kept]
        summary = "Persoonsgegevens overgenomen uit de BRP"
        if corrected:
            labels = ", ".join(brp.PREFILL_LABELS[f] for f in corrected)
            summary += f"; verbeterd volgens de BRP: {labels}"
        if changed:
            summary += f"; afwijkend ingevuld: {', '.join(d.label for d in changed)}"
        client_event_record(
            client=client,
            kind=ClientEventKind.UPDATED,
            summary=summary,
            actor=actor,
            data={"bron": "BRP", "afwijkend": [d.field for d in changed], "verbeterd": corrected},
            source="brp",
        )
    return client


@dataclass(frozen=True)
class BrpCheckResult:
    checked: int
    signals: int


def brp_check_organisation(
    *, organisation: Organisation, on: dt.date, batch_size: int = brp.MAX_BSNS
) -> BrpCheckResult:
    """The periodic check (R-INT-3): every client whose benefit still runs on `on` is looked
    up in the BRP (20 per request); a client who died or is registered outside the
    organisation's municipalities is signalled once to the case manager (notification) and
    on the timeline. Every lookup is audited per client with its purpose."""
    from django.conf import settings

    config = brp.config_from_settings(settings)
    own = set(
        Municipality.objects.filter(organisation=organisation).values_list("cbs_code", flat=True)
    )
    clients = (
        Client.objects.filter(organisation=organisation)
        .filter(Q(benefit_end_date__isnull=True) | Q(benefit_end_date__gte=on))
        .select_related("case_manager")
        .order_by("pk")
    )
    checked = signals = 0
    chunk: list[Client] = []

    def run(batch: list[Client]) -> int:
        found = brp.raadpleeg(
            config,
            [c.bsn for c in batch],
            verwerking=BRP_PURPOSE_CHECK,
            gebruiker="systeem",
        )
        now = timezone.now()
        audit_log_many(
            [
                {
                    "timestamp": now,
                    "organisation_id": organisation.pk,
                    "action": AuditAction.SEARCH.value,
                    "object_type": "brp_persoon",
                    "object_id": str(c.pk),
                    "client_id": c.pk,
                    "purpose": f"BRP-bevraging: {BRP_PURPOSE_CHECK}",
                }
                for c in batch
            ]
        )
        by_bsn = {p.bsn: p for p in found}
        sent = 0
        for client in batch:
            person = by_bsn.get(client.bsn)
            signal = brp.signal_for(person, own) if person is not None else None
            if signal is None:
                continue
            key = f"brp:{client.pk}:{signal.key}"
            if ClientEvent.objects.filter(client=client, source="brp", data__key=key).exists():
                continue
            with transaction.atomic():
                client_event_record(
                    client=client,
                    kind=ClientEventKind.OTHER,
                    summary=signal.summary,
                    data={"key": key, "signaal": signal.kind},
                    source="brp",
                    is_open=True,
                )
                if client.case_manager is not None:
                    notification_send(
                        recipient=client.case_manager,
                        title=(
                            "Klant overleden volgens de BRP"
                            if signal.kind == "died"
                            else "Klant verhuisd buiten de gemeenten"
                        ),
                        body=f"{client.client_number}: {signal.summary}",
                        url=f"/klanten/{client.pk}/",
                        dedupe_key=key,
                    )
            sent += 1
        return sent

    for client in clients.iterator(chunk_size=500):
        chunk.append(client)
        if len(chunk) == batch_size:
            signals += run(chunk)
            checked += len(chunk)
            chunk = []
    if chunk:
        signals += run(chunk)
        checked += len(chunk)
    return BrpCheckResult(checked=checked, signals=signals)
