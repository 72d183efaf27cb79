"""Where blob bytes live: local files under DRAWER_FILES_DIR, or an S3-compatible bucket
when STORAGE_URL is set (s3://KEY:SECRET@HOST:PORT/BUCKET?region=R&secure=0)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlparse

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class Storage(Protocol):
    def put_file(self, key: str, path: Path) -> None: ...

    def read_range(self, key: str, start: int, end: int) -> bytes:
        """Bytes [start, end) of the stored object."""
        ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...

    def check(self) -> dict[str, str]:
        """Raise when the storage can't be reached; /healthz calls it."""
        ...


def _safe_key(key: str) -> str:
    parts = key.split("/")
    if not key or any(part in ("", ".", "..") for part in parts) or "\\" in key or "\0" in key:
        raise ValueError(f"bad storage key {key!r}")
    return key


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / _safe_key(key)

    def put_file(self, key: str, path: Path) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)

    def read_range(self, key: str, start: int, end: int) -> bytes:
        with open(self._path(key), "rb") as fh:
            fh.seek(start)
            return fh.read(end - start)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def check(self) -> dict[str, str]:
        self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK):
            raise PermissionError(f"{self.root} is not writable")
        return {"backend": "local"}


class S3Storage:
    def __init__(self, url: str) -> None:
        import boto3
        from botocore.config import Config

        parsed = urlparse(url)
        query = parse_qs(parsed.query)
        self.bucket = parsed.path.strip("/")
        if not self.bucket:
            raise ImproperlyConfigured("STORAGE_URL needs a bucket: s3://KEY:SECRET@HOST/BUCKET")
        secure = query.get("secure", ["1"])[0] not in ("0", "false")
        endpoint = f"{'https' if secure else 'http'}://{parsed.hostname}" + (f":{parsed.port}" if parsed.port else "")
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=unquote(parsed.username or ""),
            aws_secret_access_key=unquote(parsed.password or ""),
            region_name=query.get("region", ["us-east-1"])[0],
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}),
        )

    def put_file(self, key: str, path: Path) -> None:
        self.client.upload_file(str(path), self.bucket, _safe_key(key))
        path.unlink(missing_ok=True)

    def read_range(self, key: str, start: int, end: int) -> bytes:
        if end <= start:
            return b""
        answer = self.client.get_object(Bucket=self.bucket, Key=_safe_key(key), Range=f"bytes={start}-{end - 1}")
        return bytes(answer["Body"].read())

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=_safe_key(key))

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=_safe_key(key))
        except ClientError:
            return False
        return True

    def check(self) -> dict[str, str]:
        self.client.head_bucket(Bucket=self.bucket)
        return {"backend": "s3", "bucket": self.bucket}


@cache
def _storage_for(url: str, root: str) -> Storage:
    if url.startswith("s3://"):
        return S3Storage(url)
    if url:
        raise ImproperlyConfigured("STORAGE_URL must start with s3://")
    return LocalStorage(Path(root))


def storage() -> Storage:
    return _storage_for(settings.STORAGE_URL, str(settings.DRAWER_FILES_DIR))


def storage_health() -> dict[str, str]:
    return storage().check()


def scratch_dir() -> Path:
    """Local working space: tus uploads in progress and files being encrypted."""
    path = Path(settings.DRAWER_FILES_DIR) / "scratch"
    path.mkdir(parents=True, exist_ok=True)
    return path
