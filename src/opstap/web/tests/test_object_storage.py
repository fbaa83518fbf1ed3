"""Uploads and exports go to S3-compatible object storage when a bucket is configured
(issue 18: stateless web workers). The test starts a local server that speaks the S3
protocol (moto's server) on loopback; django-storages talks to it exactly as to a real store."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.base import ContentFile


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        yield endpoint
    finally:
        # moto keeps its buckets in the process, not in the server: start the next test
        # (in this pytest worker) with none.
        import requests

        requests.post(f"{endpoint}/moto-api/reset", timeout=10)
        server.stop()


def _settings_with_bucket(endpoint: str) -> dict[str, Any]:
    """The STORAGES the settings module builds from the OPSTAP_S3_* variables."""
    names = {
        "OPSTAP_S3_BUCKET": "opstap-private",
        "OPSTAP_S3_ENDPOINT_URL": endpoint,
        "OPSTAP_S3_ACCESS_KEY": "testing",
        "OPSTAP_S3_SECRET_KEY": "testing",
    }
    saved = {k: os.environ.get(k) for k in names}
    os.environ.update(names)
    try:
        import opstap.conf.settings as base

        return importlib.reload(base).STORAGES
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        importlib.reload(base)


def bucket_client(endpoint: str) -> Any:
    """A boto3 client of the local server, with the settings' bucket created in it."""
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="eu-west-1",
    )
    s3.create_bucket(
        Bucket="opstap-private", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    return s3


def test_documents_are_stored_in_the_bucket_and_read_back(
    s3_endpoint: str, settings: Any, tmp_path: Any
) -> None:
    storages = _settings_with_bucket(s3_endpoint)
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
