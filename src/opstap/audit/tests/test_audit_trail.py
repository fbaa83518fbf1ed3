"""R-SEC-2: the audit trail is append-only (model guard everywhere, database trigger on
PostgreSQL), reads of dossier-like objects write exactly one record, and records made while
an administrator impersonates someone note the real administrator."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from rest_framework import serializers, viewsets
from rest_framework.test import APIRequestFactory, force_authenticate

from opstap.accounts.models import User
from opstap.audit.models import AuditAction, AuditRecord, AuditTrailImmutableError
from opstap.audit.services import RealActor, acting_as, audit_log, audit_read
from opstap.core.access import HasOpstapPermission, scoped
from opstap.core.api.audited import AuditedReadMixin
from opstap.core.roles import Perm
from opstap.providers.models import Provider


def _record(user: User | None = None) -> AuditRecord:
    return audit_log(
        action=AuditAction.READ, actor=user, object_type="client", object_id=7, client_id=7
    )


def test_model_refuses_change_and_delete(case_manager: User) -> None:
    """R-SEC-2: save() on an existing record, delete(), queryset update()/delete() raise."""
    record = _record(case_manager)
    record.purpose = "anders"
    with pytest.raises(AuditTrailImmutableError):
        record.save()
    with pytest.raises(AuditTrailImmutableError):
        record.delete()
    with pytest.raises(AuditTrailImmutableError):
        AuditRecord.objects.filter(pk=record.pk).update(purpose="anders")
    with pytest.raises(AuditTrailImmutableError):
        AuditRecord.objects.filter(pk=record.pk).delete()
    assert AuditRecord.objects.get(pk=record.pk).purpose == ""


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL-only: the UPDATE/DELETE trigger is tested where production runs (CI "
    "runs the suite on PostgreSQL too); SQLite has its own UPDATE trigger, tested below.",
)
def test_database_refuses_update_and_delete_on_postgresql(case_manager: User) -> None:
    """R-SEC-2: on PostgreSQL not even raw SQL through the ORM connection changes a record."""
    record = _record(case_manager)
    for sql in (
        "UPDATE audit_auditrecord SET purpose = 'weg' WHERE id = %s",
        "DELETE FROM audit_auditrecord WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="alleen-toevoegen"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [record.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk)._raw_delete(connection.alias)
    assert AuditRecord.objects.get(pk=record.pk).purpose == ""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite trigger only")
def test_database_refuses_update_on_sqlite(case_manager: User) -> None:
    """R-SEC-2: the SQLite trigger refuses UPDATE (demo and quick tests)."""
    record = _record(case_manager)
    with (
        pytest.raises(DatabaseError, match="alleen-toevoegen"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditrecord SET purpose = 'weg' WHERE id = %s", [record.pk])


def test_audit_log_masks_secrets_and_records_context(case_manager: User) -> None:
    record = audit_log(
        action=AuditAction.UPDATE,
        actor=case_manager,
        object_type="user",
        object_id=case_manager.pk,
        changes={"password": ["a", "b"], "email": ["x@y", "z@y"]},
    )
    assert record.changes == {"password": "***", "email": ["x@y", "z@y"]}
    assert record.organisation_id == case_manager.organisation_id
    assert record.actor_roles == "case_manager"


def test_acting_as_notes_real_user_also_without_request(case_manager: User) -> None:
    """R-SEC-2: service code without a request still notes the impersonating admin."""
    with acting_as(RealActor(user_id=4242, username="beheerder")):
        record = _record(case_manager)
    assert (record.real_actor_id, record.real_actor_username) == (4242, "beheerder")
    assert _record(case_manager).real_actor_id is None


def test_audit_read_helper_writes_one_record(
    rf: Any, case_manager: User, provider_a: Provider
) -> None:
    """R-SEC-2: audit_read() writes exactly one read record with purpose and origin."""
    request = rf.get("/x", REMOTE_ADDR="10.1.2.3")
    request.user = case_manager
    audit_read(request, provider_a, 99, "Dossier inzien")
    record = AuditRecord.objects.get()
    assert (record.action, record.object_type, record.object_id) == (
        "read",
        "provider",
        str(provider_a.pk),
    )
    assert (record.client_id, record.purpose, record.ip_address) == (
        99,
        "Dossier inzien",
        "10.1.2.3",
    )
    assert record.actor_username == "klantmanager"


class _ProviderSerializer(serializers.ModelSerializer[Provider]):
    class Meta:
        model = Provider
        fields = ["id", "name"]


class _DossierViewSet(AuditedReadMixin, viewsets.ReadOnlyModelViewSet[Provider]):
    """A dossier-like API in miniature, as another app would write it."""

    serializer_class = _ProviderSerializer
    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.PROVIDER_VIEW,)
    audit_object_type = "dossier"
    audit_purpose = "Dossier raadplegen via de API"
    audit_list = True

    def get_queryset(self) -> Any:
        return scoped(self.request.user, Provider.objects.all())

    def audit_client_id(self, obj: Provider) -> int | None:
        return obj.pk


def test_api_retrieve_of_dossier_writes_exactly_one_record(
    case_manager: User, provider_a: Provider, provider_b: Provider
) -> None:
    """R-SEC-2: reading a dossier-like object through the API creates exactly one record."""
    factory = APIRequestFactory()
    request = factory.get(f"/api/v1/dossiers/{provider_a.pk}")
    force_authenticate(request, user=case_manager)
    response = _DossierViewSet.as_view({"get": "retrieve"})(request, pk=provider_a.pk)
    assert response.status_code == 200
    record = AuditRecord.objects.get()
    assert (record.action, record.object_type, record.object_id, record.client_id) == (
        "read",
        "dossier",
        str(provider_a.pk),
        provider_a.pk,
    )
    assert record.actor_id == case_manager.pk


def test_api_list_writes_one_record_per_row(
    case_manager: User, provider_a: Provider, provider_b: Provider
) -> None:
    factory = APIRequestFactory()
    request = factory.get("/api/v1/dossiers")
    force_authenticate(request, user=case_manager)
    response = _DossierViewSet.as_view({"get": "list"})(request)
    assert response.status_code == 200
    assert AuditRecord.objects.filter(action=AuditAction.LIST).count() == 2


def test_forbidden_retrieve_writes_no_read_record(
    provider_user_a: User, provider_b: Provider
) -> None:
    factory = APIRequestFactory()
    request = factory.get(f"/api/v1/dossiers/{provider_b.pk}")
    force_authenticate(request, user=provider_user_a)
    response = _DossierViewSet.as_view({"get": "retrieve"})(request, pk=provider_b.pk)
    assert response.status_code == 404
    assert not AuditRecord.objects.filter(action=AuditAction.READ).exists()


def test_bulk_records_equal_what_bulk_create_writes(case_manager: User) -> None:
    """R-SEC-2: the fast multi-row insert of list reads writes exactly the rows that
    `bulk_create` would (every column, on SQLite and PostgreSQL), masks secrets in
    `changes`, and notes the real user while impersonating."""
    from opstap.audit.services import RealActor, acting_as, audit_log_many

    base = {
        "organisation_id": case_manager.organisation_id,
        "actor_id": case_manager.pk,
        "actor_username": case_manager.username,
        "actor_roles": "case_manager",
        "action": "list",
        "object_type": "trajectory",
        "purpose": "Trajectenlijst",
        "ip_address": "192.0.2.7",
    }
    records = [{**base, "object_id": str(i), "client_id": i if i % 2 else None} for i in range(5)]
    records.append({**base, "object_id": "x", "changes": {"password": "geheim", "naam": "A"}})
    with acting_as(RealActor(user_id=999, username="beheerder")):
        audit_log_many(records)
    fast = list(AuditRecord.objects.order_by("id").values())
    AuditRecord.objects.bulk_create(
        [AuditRecord(real_actor_id=999, real_actor_username="beheerder", **r) for r in records[:-1]]
        + [
            AuditRecord(
                real_actor_id=999,
                real_actor_username="beheerder",
                **{**records[-1], "changes": {"password": "***", "naam": "A"}},
            )
        ]
    )
    reference = list(AuditRecord.objects.order_by("id").values())[len(fast) :]
    assert len(fast) == len(reference) == 6
    for got, expected in zip(fast, reference, strict=True):
        for row in (got, expected):
            # id, time and the hash-chain columns differ by construction (the chain is
            # tested in test_hash_chain.py); every content column must be equal.
            for name in ("id", "timestamp", "chain", "chain_position", "prev_hash", "row_hash"):
                row.pop(name)
        assert got == expected
    assert fast[-1]["changes"] == {"password": "***", "naam": "A"}
    assert fast[0]["real_actor_username"] == "beheerder"


def test_audit_log_masks_dutch_secret_field_names(case_manager: User) -> None:
    """R-SEC-2 (the trail holds no secrets): a change recorded under a Dutch field name of a
    secret is masked as an English one is (before: stored as given). Also in a nested change.
    Personal data is no secret and stays (an IBAN is shown to those who may see it), and so
    do names that only contain a secret word (a cost-split key is no key to anything)."""
    record = audit_log(
        action=AuditAction.UPDATE,
        actor=case_manager,
        object_type="user",
        object_id=case_manager.pk,
        changes={
            "wachtwoord": ["oud", "nieuw"],
            "nieuw_wachtwoord": "Geheim-2026",
            "geheim": "x",
            "api_sleutel": "s3cr3t",
            "apiSleutel": "s3cr3t",
            "sleutel": "k",
            "pincode": "1234",
            "toegangscode": "9876",
            "verificatiecode": "123456",
            "after": {"wachtwoord": "genest", "woonplaats": "Duiven"},
            "iban": ["NL91ABNA0417164300", "NL02RABO0123456789"],
            "verdeelsleutel": {"Duiven": "28.39"},
            "claimsleutel": "T1:final_report",
            "geheimhouding_getekend": [False, True],
            "woonplaats": ["Zevenaar", "Duiven"],
        },
    )
    assert record.changes == {
        "wachtwoord": "***",
        "nieuw_wachtwoord": "***",
        "geheim": "***",
        "api_sleutel": "***",
        "apiSleutel": "***",
        "sleutel": "***",
        "pincode": "***",
        "toegangscode": "***",
        "verificatiecode": "***",
        "after": {"wachtwoord": "***", "woonplaats": "Duiven"},
        "iban": ["NL91ABNA0417164300", "NL02RABO0123456789"],
        "verdeelsleutel": {"Duiven": "28.39"},
        "claimsleutel": "T1:final_report",
        "geheimhouding_getekend": [False, True],
        "woonplaats": ["Zevenaar", "Duiven"],
    }
