"""State changes of the client portal (R-POR). One function per change, keyword-only,
validated, atomic, with a timeline event and an audit line. Domain errors are `PortalError`
with a Dutch message meant for the resident."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.clients.models import Client
from opstap.clients.services import client_event_record
from opstap.core.actor import Actor
from opstap.core.errors import InvalidInputError
from opstap.documents.services import UploadRefusedError, check_upload
from opstap.notifications.services import notification_send

from .models import ClientUpload


class PortalError(InvalidInputError):
    """A refusal of the portal (400); the message is Dutch and meant for the resident, `field`
    names the input."""


@transaction.atomic
def client_upload_submit(
    *, actor: Actor | None, client: Client, title: str, upload: UploadedFile[Any] | None
) -> ClientUpload:
    """A resident sends a document to their case manager (R-POR). The one upload rule
    decides (type by content, size); the case manager gets a notification."""
    if actor is None or client.user_id != actor.pk:
        raise PortalError("U kunt alleen voor uzelf een document sturen.")
    if not title.strip():
        raise PortalError("Schrijf kort waar het document over gaat.", field="title")
    if upload is None:
        raise PortalError("Kies het bestand dat u wilt sturen.", field="file")
    try:
        content_type = check_upload(upload)
    except UploadRefusedError as exc:
        raise PortalError(str(exc), field="file") from exc
    document = ClientUpload(
        organisation_id=client.organisation_id,
        client=client,
        title=title.strip()[:200],
        file_name=(upload.name or "document")[:255],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    document.file.save(upload.name or "document", upload, save=False)
    document.save()
    client_event_record(
        client=client,
        kind="other",
        summary=f"Document ontvangen via Mijn Opstap: {document.title}",
        actor=actor,
        source="portal",
        data={"client_upload": document.pk},
    )
    if client.case_manager is not None:
        notification_send(
            recipient=client.case_manager,
            title=f"{client.full_name} stuurde een document",
            body=f"Via Mijn Opstap: {document.title} ({document.file_name}).",
            url=reverse("portal:upload_staff", args=[document.pk]),
        )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="client_upload",
        object_id=document.pk,
        client_id=client.pk,
        purpose="Document geüpload via het klantportaal",
        organisation_id=client.organisation_id,
    )
    return document
