"""R-SEC-4: the audit trail has its own term — whole days older than it are removed with
their chain heads (the rest still verifies), and the removal itself is audited (a count,
no content). SQLite here; on PostgreSQL it needs the owner role (docs/retention.md)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from opstap.audit.models import AuditChainHead, AuditRecord
from opstap.audit.services import audit_log
from opstap.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _record(org: Organisation, day: dt.date) -> None:
    moment = dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        audit_log(action="read", organisation_id=org.pk, object_type="x", object_id=day.day)


def test_purge_removes_whole_days_before_the_term(
    org: Organisation, other_org: Organisation
) -> None:
    for day in (
        dt.date(2015, 3, 1),
        dt.date(2016, 12, 2),
        dt.date(2016, 12, 3),
        dt.date(2020, 1, 1),
    ):
        _record(org, day)
    _record(other_org, dt.date(2015, 3, 1))
    # Dry: counts only.
    call_command("retention_purge_audit", today="2026-12-03")
    assert AuditRecord.objects.filter(organisation_id=org.pk).count() == 4
    call_command("retention_purge_audit", today="2026-12-03", yes=True)  # cutoff 2016-12-03
    left = AuditRecord.objects.filter(organisation_id=org.pk).exclude(object_type="audit_trail")
    assert sorted(r.timestamp.date() for r in left) == [dt.date(2016, 12, 3), dt.date(2020, 1, 1)]
    assert not AuditChainHead.objects.filter(
        chain__in=[f"{org.pk}:2015-03-01", f"{org.pk}:2016-12-02"]
    ).exists()
    assert AuditChainHead.objects.filter(chain=f"{org.pk}:2016-12-03").exists()
    note = AuditRecord.objects.get(organisation_id=org.pk, object_type="audit_trail")
    assert note.changes == {"records": 2, "days": 2}
    # The other organisation's own term applies to its own records.
    assert not AuditRecord.objects.filter(organisation_id=other_org.pk, object_type="x").exists()
    call_command("audit_verify")
