"""`audited_save`: the add-or-change of a row that services of reference data (SRG codes,
equated days) share: a new row is created, an existing one is locked and changed, and one
`audit_saved` record notes the fields that changed."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from opstap.accounts.models import User
from opstap.audit.models import AuditAction, AuditRecord
from opstap.audit.services import audited_save
from opstap.organisations.models import Municipality, Organisation


def _audited(row: Municipality) -> dict[str, Any]:
    return {"name": row.name, "cbs_code": row.cbs_code}


def _save(actor: User, row: Municipality | None, **values: Any) -> Municipality:
    with transaction.atomic():
        return audited_save(
            actor=actor,
            model=Municipality,
            row=row,
            values=values,
            audited=_audited,
            object_type="municipality",
            purpose="Gemeente beheerd",
        )


def test_a_new_row_is_created_and_audited_as_create(org: Organisation, case_manager: User) -> None:
    row = _save(case_manager, None, organisation=org, name="Teststad", cbs_code="GM9998")

    assert Municipality.objects.get(pk=row.pk).name == "Teststad"
    record = AuditRecord.objects.get(object_type="municipality", object_id=str(row.pk))
    assert record.action == AuditAction.CREATE
    assert record.purpose == "Gemeente beheerd"
    assert record.actor_id == case_manager.pk
    assert record.changes == {"name": [None, "Teststad"], "cbs_code": [None, "GM9998"]}


def test_an_existing_row_is_read_again_changed_and_only_its_changes_audited(
    org: Organisation, case_manager: User
) -> None:
    row = Municipality.objects.create(organisation=org, name="Teststad", cbs_code="GM9998")
    stale = Municipality.objects.get(pk=row.pk)
    Municipality.objects.filter(pk=row.pk).update(cbs_code="GM9999")  # changed meanwhile

    saved = _save(case_manager, stale, name="Teststad (gem.)")

    assert saved.pk == row.pk
    fresh = Municipality.objects.get(pk=row.pk)
    assert (fresh.name, fresh.cbs_code) == ("Teststad (gem.)", "GM9999")
    record = AuditRecord.objects.get(object_type="municipality", object_id=str(row.pk))
    assert record.action == AuditAction.UPDATE
    assert record.changes == {"name": ["Teststad", "Teststad (gem.)"]}
