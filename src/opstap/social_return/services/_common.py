"""What the social-return services share (not public): the conflict error, the checks of who
may act (same organisation, own provider, coordinator, administrator), the model validation
and the upload rule as Dutch refusals, and the event + audit record of every change (R-SEC-2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.core.access import check_perm
from opstap.core.actor import Actor
from opstap.core.errors import ConflictError
from opstap.core.roles import Perm
from opstap.documents import services as uploads
from opstap.providers.models import Provider
from opstap.providers.selectors import is_provider_staff, provider_id_of
from opstap.social_return.models import RealisedBlock, SocialReturnEvent, SocialReturnPlan
from opstap.social_return.rules import SocialReturnError

MAX_TEXT = 20_000


class SocialReturnConflict(SocialReturnError, ConflictError):  # noqa: N818 (like its base)
    """The state does not allow this (409)."""


def _not_found(what: str) -> SocialReturnError:
    return SocialReturnError(f"{what} is niet gevonden.", code="not_found")


def _same_org(actor: Actor, organisation_id: int) -> None:
    if actor.organisation_id != organisation_id:
        raise _not_found("Deze aanbieder")


def _own_provider(actor: Actor, provider: Provider) -> None:
    """Provider staff act for their own provider only (indistinguishable from absent)."""
    _same_org(actor, provider.organisation_id)
    if not check_perm(actor, Perm.SOCIAL_RETURN_REPORT) or not is_provider_staff(actor):
        raise SocialReturnError(
            "Alleen een medewerker van de aanbieder kan dit doen.", code="forbidden"
        )
    if provider_id_of(actor) != provider.pk:
        raise _not_found("Deze aanbieder")


def _coordinator(actor: Actor, organisation_id: int) -> None:
    _same_org(actor, organisation_id)
    if not check_perm(actor, Perm.SOCIAL_RETURN_COORDINATE):
        raise SocialReturnError(
            "Alleen de social-return-coördinator kan dit doen.", code="forbidden"
        )


def _admin(actor: Actor | None, organisation_id: int) -> None:
    """The administrator changes reference data; `actor` None is the system (demo, installation)."""
    if actor is None:
        return
    _same_org(actor, organisation_id)
    if not check_perm(actor, Perm.ADMIN_CONFIGURE):
        raise SocialReturnError("Alleen de beheerder kan dit doen.", code="forbidden")


def _validated(obj: Any) -> None:
    """The model's own checks (field limits, clean()) as a Dutch refusal naming the field."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise SocialReturnError(
            str(errors[0]), field=None if field == "__all__" else field
        ) from exc


def _check_upload(upload: File[Any] | None, *, field: str) -> None:
    """The one upload rule (`documents.services.check_upload`) as a refusal naming `field`;
    no file passes."""
    if upload is None:
        return
    try:
        uploads.check_upload(upload)
    except uploads.UploadRefusedError as exc:
        raise SocialReturnError(str(exc), field=field) from exc


def _record(
    *,
    actor: Actor | None,
    provider: Provider,
    action: str,
    description: str,
    object_type: str,
    object_id: object,
    plan: SocialReturnPlan | None = None,
    block: RealisedBlock | None = None,
    remarks: str = "",
    client_id: int | None = None,
    changes: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
    audit_action: AuditAction = AuditAction.UPDATE,
) -> None:
    SocialReturnEvent.objects.create(
        organisation_id=provider.organisation_id,
        provider=provider,
        plan=plan,
        block=block,
        action=action,
        description=description[:300],
        remarks=remarks,
        actor=actor,
        occurred_at=now or timezone.now(),
    )
    audit_log(
        action=audit_action,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        client_id=client_id,
        purpose=f"Social return: {description}"[:200],
        changes=changes,
        organisation_id=provider.organisation_id,
    )
