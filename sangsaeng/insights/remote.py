"""The Parquet layout on S3-compatible storage, for web and worker processes on several machines.

With INSIGHTS_PARQUET_URL=s3://KEY:SECRET@HOST:PORT/BUCKET/PREFIX?secure=0&region=R, compaction
uploads each partner-day file it rewrites (same keys as the local layout, under PREFIX), and a
process about to query a partner first mirrors that partner's folder into its local
INSIGHTS_PARQUET_DIR, fetching only objects whose ETag changed. DuckDB then reads local files, so it
never needs its httpfs extension (which it would download at run time).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _target(url: str) -> tuple[Any, str, str]:
    import boto3
    from botocore.config import Config

    parsed = urlparse(url)
    if parsed.scheme != "s3":
        raise ImproperlyConfigured("INSIGHTS_PARQUET_URL must start with s3://")
    bucket, _, prefix = parsed.path.strip("/").partition("/")
    if not bucket:
        raise ImproperlyConfigured("INSIGHTS_PARQUET_URL needs a bucket: s3://KEY:SECRET@HOST/BUCKET[/PREFIX]")
    query = parse_qs(parsed.query)
    secure = query.get("secure", ["1"])[0] not in ("0", "false")
    endpoint = f"{'https' if secure else 'http'}://{parsed.hostname}" + (f":{parsed.port}" if parsed.port else "")
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=unquote(parsed.username or ""),
        aws_secret_access_key=unquote(parsed.password or ""),
        region_name=query.get("region", ["us-east-1"])[0],
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}),
    )
    return client, bucket, prefix.strip("/")


def enabled() -> bool:
    return bool(getattr(settings, "INSIGHTS_PARQUET_URL", ""))


def _key(prefix: str, relative: str) -> str:
    return f"{prefix}/{relative}" if prefix else relative


def upload(local: Path, relative: str) -> None:
    client, bucket, prefix = _target(settings.INSIGHTS_PARQUET_URL)
    client.upload_file(str(local), bucket, _key(prefix, relative))


def remove(relative: str) -> None:
    client, bucket, prefix = _target(settings.INSIGHTS_PARQUET_URL)
    client.delete_object(Bucket=bucket, Key=_key(prefix, relative))


def mirror(root: Path, folder: str) -> int:
    """Bring root/folder up to date with the bucket; returns how many files were fetched."""
    client, bucket, prefix = _target(settings.INSIGHTS_PARQUET_URL)
    start = _key(prefix, folder) + "/"
    local_dir = root / folder
    manifest_path = local_dir / ".etags.json"
    try:
        known: dict[str, str] = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        known = {}
    seen: dict[str, str] = {}
    fetched = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=start):
        for item in page.get("Contents", []):
            relative = item["Key"][len(start) :]
            if not relative.endswith(".parquet") or ".." in relative.split("/"):
                continue
            seen[relative] = item["ETag"]
            target = local_dir / relative
            if known.get(relative) == item["ETag"] and target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".download")
            client.download_file(bucket, item["Key"], str(partial))
            partial.replace(target)
            fetched += 1
    for relative in set(known) - set(seen):
        (local_dir / relative).unlink(missing_ok=True)
    local_dir.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(seen))
    return fetched
