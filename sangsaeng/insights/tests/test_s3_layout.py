"""At scale the Parquet layout sits in an S3-compatible bucket (moto's standalone server here):
one machine compacts, another with an empty local folder answers the same dashboard."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import boto3
import httpx
import pytest

from sangsaeng.insights import compaction, remote, selectors, services
from sangsaeng.insights.engine import Range
from sangsaeng.insights.tests.conftest import PARTNER_A

pytestmark = pytest.mark.django_db


@pytest.fixture
def bucket_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}", timeout=1)
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.2)
    boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{port}",
        aws_access_key_id="k",
        aws_secret_access_key="s",
        region_name="us-east-1",
    ).create_bucket(Bucket="insights")
    remote._target.cache_clear()
    yield f"s3://k:s@127.0.0.1:{port}/insights/parquet?secure=0"
    remote._target.cache_clear()
    proc.terminate()
    proc.wait(timeout=10)


def test_another_machine_reads_the_same_figures(staff, alice, settings, tmp_path, bucket_url) -> None:
    settings.INSIGHTS_PARQUET_URL = bucket_url
    settings.INSIGHTS_PARQUET_DIR = tmp_path / "worker"
    at = datetime(2026, 11, 2, 12, tzinfo=services.KST)
    services.events_record(
        [
            services.EventIn(
                name="order_paid", partner_ref=PARTNER_A, occurred_at=at, order_ref=f"o{i}", gross=1000 * i
            )
            for i in range(1, 5)
        ]
    )
    compaction.compact()
    day = Range(date(2026, 11, 2), date(2026, 11, 2))
    on_worker = selectors.dashboard(actor=alice, ref=PARTNER_A, r=day)["summary"]

    settings.INSIGHTS_PARQUET_DIR = tmp_path / "web"  # a web node with nothing on its disk
    on_web = selectors.dashboard(actor=alice, ref=PARTNER_A, r=day)["summary"]
    assert on_web == on_worker and on_web["gross"] == 10_000
    assert list((tmp_path / "web").rglob("events.parquet"))

    # a later compaction on the worker reaches the web node; unchanged files are not fetched again
    settings.INSIGHTS_PARQUET_DIR = tmp_path / "worker"
    services.event_record(name="order_paid", partner_ref=PARTNER_A, occurred_at=at, order_ref="o9", gross=500)
    compaction.compact()
    settings.INSIGHTS_PARQUET_DIR = tmp_path / "web"
    assert selectors.dashboard(actor=alice, ref=PARTNER_A, r=day)["summary"]["gross"] == 10_500
    assert remote.mirror(tmp_path / "web", compaction.partner_dir(PARTNER_A)) == 0
