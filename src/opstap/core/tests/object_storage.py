"""Object storage in tests (issue 18): the STORAGES for a bucket on the local S3 server that
the root conftest's `s3_endpoint` fixture starts (moto's server on loopback; django-storages
talks to it exactly as to a real store), and a client of that server with the bucket made."""

from __future__ import annotations

import importlib
import os
from typing import Any


def settings_with_bucket(endpoint: str) -> dict[str, Any]:
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
