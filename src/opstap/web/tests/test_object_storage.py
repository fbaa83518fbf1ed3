"""Uploads and exports go to S3-compatible object storage when a bucket is configured
(issue 18: stateless web workers). The test starts a local server that speaks the S3
protocol (moto's server) on loopback; django-storages talks to it exactly as to a real store."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from opstap.core.tests.object_storage import bucket_client, settings_with_bucket


def test_documents_are_stored_in_the_bucket_and_read_back(
    s3_endpoint: str, settings: Any, tmp_path: Any
) -> None:
    storages = settings_with_bucket(s3_endpoint)
    assert storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    s3 = bucket_client(s3_endpoint)
    settings.STORAGES = storages
    settings.MEDIA_ROOT = str(tmp_path)
    from django.core.files.storage import default_storage

    name = default_storage.save("trajecten/plan.pdf", ContentFile(b"%PDF-1.4 plan"))
    with default_storage.open(name) as handle:
        assert handle.read() == b"%PDF-1.4 plan"
    listed = s3.list_objects_v2(Bucket="opstap-private")["Contents"]
    assert [o["Key"] for o in listed] == [name]
    acl = s3.get_object_acl(Bucket="opstap-private", Key=name)
    assert all(g["Grantee"].get("URI", "").endswith("AllUsers") is False for g in acl["Grants"])
    assert list(tmp_path.iterdir()) == []  # nothing on the web machine's disk
    default_storage.delete(name)
    assert "Contents" not in s3.list_objects_v2(Bucket="opstap-private")
