"""R-SEC-4: the retention run anonymises closed dossiers past their term, in resumable
batches, never twice, never under a legal hold; a dry run changes nothing; the audit lines
carry no personal data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.storage import default_storage

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import Client
from opstap.core.errors import ConflictError, DomainError, PermissionDeniedError
from opstap.core.retention import PLACEHOLDER
from opstap.retention import services
from opstap.retention.models import RetentionDone, RetentionRun, RunStatus
from opstap.trajectories.models import Outcome, Trajectory, TrajectoryDocument

pytestmark = pytest.mark.django_db

D = dt.date
FAR = D(2037, 1, 1)  # ten years after every closing below


def _run(org_id: int, **kw: object) -> RetentionRun:
    return services.retention_run(organisation_id=org_id, today=FAR, **kw)  # type: ignore[arg-type]


def test_closed_dossier_is_anonymised_open_and_held_ones_are_not(
    dossier: Callable[..., Client], admin_user: User
) -> None:
    closed = dossier(ended=D(2026, 6, 1), name="Anna")
    still_open = dossier(ended=None, name="Bert")
    held = dossier(ended=D(2026, 6, 1), name="Carla")
    services.legal_hold_place(actor=admin_user, client=held, reason="Beroep loopt, zaak 12")
    bsn, document = closed.bsn, TrajectoryDocument.objects.get(trajectory__client=closed)
    path = document.file.name
    assert default_storage.exists(path)

    dry = _run(closed.organisation_id, dry_run=True)
    assert {(i["client_id"], i["kind"]) for i in dry.items} == {
        (closed.pk, "dossier"),
        (closed.pk, "documents"),
        (closed.pk, "financial"),
    }
    assert dry.counts["held"] == 1
    closed.refresh_from_db()
    assert closed.bsn == bsn and default_storage.exists(path)  # a dry run changes nothing
    assert not RetentionDone.objects.exists()

    run = _run(closed.organisation_id)
    assert run.status == RunStatus.DONE
    closed.refresh_from_db()
    assert closed.bsn != bsn and not closed.bsn.isdigit()
    assert (closed.first_name, closed.last_name) == ("Geanonimiseerd", str(closed.pk))
    assert (closed.street_address, closed.postcode, closed.city) == ("", "", "")
    assert closed.municipality_id and closed.date_of_birth  # statistics keep these
    trajectory = Trajectory.objects.get(client=closed)
    assert trajectory.aim_description == PLACEHOLDER and trajectory.end_reason == PLACEHOLDER
    assert trajectory.actual_end_date == D(2026, 6, 1) and trajectory.state == "completed"
    assert Outcome.objects.get(trajectory=trajectory).employer == PLACEHOLDER
    document.refresh_from_db()
    assert not document.file and document.title == PLACEHOLDER and document.goals == []
    assert not default_storage.exists(path)
    for untouched in (still_open, held):
        before = untouched.bsn
        untouched.refresh_from_db()
        assert untouched.bsn == before and untouched.first_name in {"Bert", "Carla"}
        assert Trajectory.objects.get(client=untouched).aim_description.startswith("Doel van")
    # Audited without personal data: kind and run, never a name, BSN or address.
    lines = AuditRecord.objects.filter(object_type="retention", client_id=closed.pk)
    assert lines.count() == 3
    for line in AuditRecord.objects.filter(object_type__in=["retention", "retention_run"]):
        text = f"{line.purpose} {line.changes}"
        for secret in (bsn, "Anna", "Jansen", "Kerkstraat"):
            assert secret not in text
    # Never twice.
    again = _run(closed.organisation_id)
    assert not any(k.startswith("done_") and v for k, v in again.counts.items())
    assert RetentionDone.objects.filter(client=closed).count() == 3


def test_lifting_the_hold_lets_the_next_run_proceed(
    dossier: Callable[..., Client], admin_user: User
) -> None:
    held = dossier(ended=D(2026, 6, 1), name="Carla")
    hold = services.legal_hold_place(actor=admin_user, client=held, reason="Bezwaar")
    with pytest.raises(ConflictError):
        services.legal_hold_place(actor=admin_user, client=held, reason="Nog een")
    _run(held.organisation_id)
    assert not RetentionDone.objects.filter(client=held).exists()
    services.legal_hold_lift(actor=admin_user, hold=hold)
    _run(held.organisation_id)
    assert RetentionDone.objects.filter(client=held).count() == 3


def test_not_before_the_term(dossier: Callable[..., Client]) -> None:
    closed = dossier(ended=D(2026, 6, 1), name="Anna")
    run = services.retention_run(organisation_id=closed.organisation_id, today=D(2036, 5, 31))
    assert {d.kind for d in RetentionDone.objects.filter(run=run)} == {"financial"}
    closed.refresh_from_db()
    assert closed.first_name == "Anna"


def test_batches_resume_after_an_interruption(dossier: Callable[..., Client]) -> None:
    """R-SEC-4: a run stopped after one batch is picked up by the next run where it
    stopped (the same run), and nothing is done twice."""
    clients = [dossier(ended=D(2026, 6, 1), name=f"K{i}") for i in range(3)]
    org_id = clients[0].organisation_id
    first = _run(org_id, batch_size=1, max_batches=1)
    assert first.status == RunStatus.RUNNING and first.last_client_id == clients[0].pk
    assert RetentionDone.objects.filter(kind="dossier").count() == 1
    resumed = _run(org_id, batch_size=1)
    assert resumed.pk == first.pk and resumed.status == RunStatus.DONE
    assert RetentionDone.objects.filter(kind="dossier").count() == 3
    assert resumed.counts["done_dossier"] == 3


def test_terms_are_reference_data(
    dossier: Callable[..., Client], admin_user: User, case_manager: User
) -> None:
    closed = dossier(ended=D(2026, 6, 1), name="Anna")
    with pytest.raises(DomainError) as too_short:
        services.retention_term_save(actor=admin_user, kind="dossier", years=0, action="anonymise")
    assert too_short.value.field == "years"
    with pytest.raises(DomainError) as audit_anon:
        services.retention_term_save(
            actor=admin_user, kind="audit_trail", years=5, action="anonymise"
        )
    assert audit_anon.value.field == "action"
    with pytest.raises(PermissionDeniedError):
        services.retention_term_save(
            actor=case_manager, kind="dossier", years=2, action="anonymise"
        )
    services.retention_term_save(actor=admin_user, kind="dossier", years=2, action="anonymise")
    run = services.retention_run(organisation_id=closed.organisation_id, today=D(2028, 6, 1))
    assert run.counts["done_dossier"] == 1
    with pytest.raises(PermissionDeniedError):
        services.retention_run(
            organisation_id=closed.organisation_id, today=FAR, actor=case_manager
        )


def test_change_logs_lose_identifying_keys_and_agreements_stay_non_empty(
    dossier: Callable[..., Client],
) -> None:
    """R-SEC-4 with the aggregates: the hour-restriction history (used by the invoice
    checks, R-BILL-6) and "the plan has result agreements" (indicator R-PI-1) survive."""
    from django.utils import timezone

    from opstap.clients.models import ClientEvent

    closed = dossier(ended=D(2026, 6, 1), name="Anna")
    event = ClientEvent.objects.create(
        organisation_id=closed.organisation_id,
        client=closed,
        kind="updated",
        occurred_at=timezone.now(),
        summary="Gegevens gewijzigd",
        data={
            "last_name": {"old": "Jansen", "new": "Pietersen"},
            "hour_restriction": {"old": None, "new": 20},
        },
    )
    TrajectoryDocument.objects.filter(trajectory__client=closed).update(
        result_agreements=["Elke week solliciteren bij Bakkerij De Korenschoof"]
    )
    _run(closed.organisation_id)
    event.refresh_from_db()
    assert event.data == {"hour_restriction": {"old": None, "new": 20}}
    document = TrajectoryDocument.objects.get(trajectory__client=closed)
    assert document.result_agreements == [PLACEHOLDER]


def test_the_daily_task_runs_every_organisation(dossier: Callable[..., Client]) -> None:
    """The beat task (eager here) applies the terms on its own day, per organisation."""
    import time_machine

    from opstap.retention.tasks import apply_retention_task

    closed = dossier(ended=D(2026, 6, 1), name="Anna")
    with time_machine.travel(dt.datetime(2037, 1, 2, 3, 0, tzinfo=dt.UTC), tick=False):
        assert apply_retention_task.apply().get() == 3
    closed.refresh_from_db()
    assert closed.first_name == "Geanonimiseerd"
    assert RetentionRun.objects.get(dry_run=False).started_by is None
