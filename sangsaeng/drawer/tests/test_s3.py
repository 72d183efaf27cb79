"""The S3 path: blobs in an S3-compatible bucket (moto's standalone server), Range reads included."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import httpx
import pytest

from sangsaeng.drawer.blobs import blob_read
from sangsaeng.drawer.models import Item
from sangsaeng.drawer.services import file_save_from
from sangsaeng.drawer.tests import media


@pytest.fixture(scope="module")
def s3_endpoint():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(url, timeout=1)
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.2)
    boto3.client(
        "s3", endpoint_url=url, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    ).create_bucket(Bucket="drawer")
    yield port
    proc.terminate()
    proc.wait(timeout=10)


def test_blobs_go_to_the_bucket_encrypted_and_read_back_by_range(
    alice, settings, s3_endpoint, django_capture_on_commit_callbacks
):
    # given STORAGE_URL pointing at the S3 server
    settings.STORAGE_URL = f"s3://test:test@127.0.0.1:{s3_endpoint}/drawer?region=us-east-1&secure=0"
    data = os.urandom(150_000)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        item = file_save_from(owner=alice, name="clip.bin", data=data, source="test")
        photo = file_save_from(owner=alice, name="p.jpg", data=media.jpeg(), source="test")
    # then the bytes are in the bucket, sealed, and ranges read back
    bucket = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{s3_endpoint}",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    stored = bucket.get_object(Bucket="drawer", Key=item.blob.storage_key)["Body"].read()
    assert data[:1000] not in stored
    assert blob_read(item.blob) == data
    assert blob_read(item.blob, 65_000, 140_000) == data[65_000:140_000]
    photo.refresh_from_db()
    assert photo.status == Item.Status.READY and photo.thumbnail is not None
    assert not (Path(settings.DRAWER_FILES_DIR) / item.blob.storage_key).exists()
