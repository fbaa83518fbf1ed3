"""Trajectory documents (quote, plan, reports, requests, final report, handover note): submitting
them and sharing them with the client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from opstap.core.actor import Actor
from opstap.core.roles import RoleCode
from opstap.trajectories.models import (
    PROGRESS_REPORT_KIND,
    Deadline,
    DocumentKind,
    Quote,
    QuoteStatus,
    Trajectory,
    TrajectoryDocument,
)
from opstap.trajectories.workflow import (
    REPORTING_STATES,
)

from ._common import (
    TrajectoryError,
    _check_visible,
    _next_due_refresh,
    _record,
    _today,
    _workflow_roles,
    check_upload,
)
from .transitions import trajectory_transition


def _clean_list(values: Iterable[Any] | None) -> list[str]:
    return [str(v).strip() for v in (values or []) if str(v).strip()]


@transaction.atomic
def trajectory_document_submit(
    *,
    actor: Actor,
    trajectory: Trajectory,
    kind: str,
    title: str,
    text: str = "",
    goals: Iterable[str] | None = None,
    result_agreements: Iterable[str] | None = None,
    signed_by_candidate: bool = False,
    upload: UploadedFile[Any] | None = None,
    reason: str = "",
    payload: Mapping[str, Any] | None = None,
    on: dt.date | None = None,
) -> TrajectoryDocument:
    """Submit a document; a quote, plan, extension or return request, final report or
    handover note also performs its transition (one transaction: both or neither). A
    progress report meets the earliest open progress-report due date (R-TRJ-4)."""
    from opstap.trajectories.selectors import document_action

    on = on or _today()
    if kind not in DocumentKind.values:
        raise TrajectoryError("Kies het soort document.", field="kind")
    if not title.strip():
        raise TrajectoryError("Geef het document een titel.", field="title")
    _check_visible(actor, trajectory)
    goal_list = _clean_list(goals)
    if kind == DocumentKind.PLAN and not goal_list:
        raise TrajectoryError("Een plan van aanpak bevat ten minste één doel.", field="goals")
    content_type = check_upload(upload) if upload is not None else ""
    action = document_action(kind)
    if action is not None:
        # A request or report carries its reason in the document text when none is given.
        trajectory = trajectory_transition(
            actor=actor,
            trajectory=trajectory,
            action=action,
            reason=reason or text,
            payload={**(payload or {}), "document_kind": kind},
            on=on,
            has_document=upload is not None,
        )
    elif kind == DocumentKind.PROGRESS_REPORT:
        if trajectory.state not in REPORTING_STATES:
            raise TrajectoryError(
                "Een voortgangsrapportage kan alleen bij een lopend traject.", field="kind"
            )
        if not _workflow_roles(actor, trajectory):
            raise TrajectoryError("Alleen de aanbieder of de klantmanager kan rapporteren.")
        first_open = (
            Deadline.objects.filter(
                trajectory=trajectory,
                kind=PROGRESS_REPORT_KIND,
                met_on__isnull=True,
                cancelled_on__isnull=True,
            )
            .order_by("due_on")
            .first()
        )
        if first_open is not None:
            first_open.met_on = on
            first_open.save(update_fields=["met_on"])
            _next_due_refresh(trajectory)
    document = TrajectoryDocument(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        kind=kind,
        title=title.strip()[:200],
        text=text.strip(),
        goals=goal_list,
        result_agreements=_clean_list(result_agreements),
        signed_by_candidate=bool(signed_by_candidate),
        submitted_by=actor,
        submitted_at=timezone.now(),
        content_type=content_type,
    )
    if upload is not None:
        document.file_name = (upload.name or "")[:255]
        document.size = upload.size or 0
        document.file.save(upload.name or "document", upload, save=False)
    document.save()
    if kind == DocumentKind.QUOTE:
        Quote.objects.filter(trajectory=trajectory, status=QuoteStatus.SUBMITTED).update(
            document=document
        )
    if action is None:
        _record(
            actor=actor,
            trajectory=trajectory,
            action="document",
            from_state=trajectory.state,
            reason="",
            payload={"document": document.pk, "kind": kind},
            summary=f"Traject {trajectory.product.name}: {DocumentKind(kind).label} ingediend",
        )
    return document


@transaction.atomic
def trajectory_document_share(
    *, actor: Actor, document: TrajectoryDocument, shared: bool
) -> TrajectoryDocument:
    """The case manager shares a plan or report with the client in Mijn Opstap (R-POR), or
    stops sharing it. Nothing is shared unless staff choose to (default: not shared)."""
    trajectory = document.trajectory
    _check_visible(actor, trajectory)
    if RoleCode.CASE_MANAGER not in _workflow_roles(actor, trajectory):
        raise TrajectoryError("Alleen de klantmanager kan documenten met de klant delen.")
    if document.kind not in SHAREABLE_KINDS:
        raise TrajectoryError("Alleen een plan of een rapportage kan worden gedeeld.", field="kind")
    document = TrajectoryDocument.objects.select_for_update().get(pk=document.pk)
    if document.shared_with_client == shared:
        return document
    document.shared_with_client = shared
    document.save(update_fields=["shared_with_client"])
    _record(
        actor=actor,
        trajectory=trajectory,
        action="document_share" if shared else "document_unshare",
        from_state=trajectory.state,
        reason="",
        payload={"document": document.pk},
        summary=(
            f"'{document.title}' gedeeld met de klant"
            if shared
            else f"'{document.title}' niet meer gedeeld met de klant"
        ),
        changes={"shared_with_client": [not shared, shared]},
    )
    return document


#: What a case manager may share with the client (R-POR: "plan, reports").
SHAREABLE_KINDS = frozenset(
    {DocumentKind.PLAN, DocumentKind.PROGRESS_REPORT, DocumentKind.FINAL_REPORT}
)
