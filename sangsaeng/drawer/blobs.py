"""Content-addressed, segment-encrypted blobs.

Each blob has its own random AES-256 data key, wrapped with the platform's envelope encryption
(`sangsaeng.core.crypto`, context "drawer.Blob") and stored on the row. The plaintext is cut into
fixed-size segments; segment i is sealed with AES-GCM under nonce i (safe: the key is never
reused for another blob) and associated data "i:last", so segments can't be reordered or the blob
truncated without decryption failing; segments of another blob fail under this blob's key. As the
associated data doesn't need the SHA-256, one pass over the file both seals and hashes it. Because every segment has
the same sealed size, a byte range of the plaintext maps to a byte range of the stored object:
Range reads (video seeking) fetch and open only the segments they need, from disk or S3.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import IntegrityError, transaction

from sangsaeng.accounts.selectors import User
from sangsaeng.core import crypto
from sangsaeng.drawer.models import Blob, Item
from sangsaeng.drawer.storage import scratch_dir, storage

TAG = 16
KEY_CONTEXT = "drawer.Blob"
READ_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _aad(index: int, last: bool) -> bytes:
    return f"{index}:{int(last)}".encode()


def _nonce(index: int) -> bytes:
    return index.to_bytes(12, "big")


def _seal_file(source: Path, *, key: bytes, size: int, segment: int) -> tuple[Path, str]:
    """Seal `source` segment by segment into a scratch file; returns it and the plaintext's SHA-256."""
    count = max(1, -(-size // segment))
    aead = AESGCM(key)
    digest = hashlib.sha256()
    fd, name = tempfile.mkstemp(dir=scratch_dir(), suffix=".enc")
    with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
        for index in range(count):
            plain = src.read(segment)
            digest.update(plain)
            out.write(aead.encrypt(_nonce(index), plain, _aad(index, index == count - 1)))
    return Path(name), digest.hexdigest()


def blob_store(*, owner: User | None, path: Path, sha256: str | None = None) -> tuple[Blob, bool]:
    """Store the file at `path` for `owner`, or find the copy already stored. Returns (blob, created).

    Identical content is stored once per user, and once for everyone when `owner` is None (a
    shared blob): when the caller knows the SHA-256 it is looked up before any work; otherwise the
    file is sealed and hashed in one pass and the sealed copy dropped if those bytes are stored.
    """
    if sha256 is not None:
        existing = Blob.objects.filter(owner=owner, sha256=sha256).first()
        if existing is not None:
            return existing, False
    size = path.stat().st_size
    segment = int(settings.DRAWER_SEGMENT_SIZE)
    key = AESGCM.generate_key(bit_length=256)
    sealed, digest = _seal_file(path, key=key, size=size, segment=segment)
    existing = Blob.objects.filter(owner=owner, sha256=digest).first()
    if existing is not None:
        sealed.unlink(missing_ok=True)
        return existing, False
    prefix = owner.public_id if owner is not None else "shared"
    storage_key = f"{prefix}/{digest[:2]}/{digest}.{secrets.token_hex(4)}"
    storage().put_file(storage_key, sealed)
    try:
        with transaction.atomic():
            blob = Blob.objects.create(
                owner=owner,
                sha256=digest,
                size=size,
                storage_key=storage_key,
                data_key=crypto.encrypt(key, context=KEY_CONTEXT),
                segment_size=segment,
            )
    except IntegrityError:
        # Another upload of the same bytes won the race; keep its copy.
        storage().delete(storage_key)
        return Blob.objects.get(owner=owner, sha256=digest), False
    return blob, True


def blob_store_bytes(*, owner: User | None, data: bytes) -> Blob:
    fd, name = tempfile.mkstemp(dir=scratch_dir())
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    try:
        return blob_store(owner=owner, path=Path(name))[0]
    finally:
        Path(name).unlink(missing_ok=True)


def blob_iter(blob: Blob, start: int = 0, end: int | None = None) -> Iterator[bytes]:
    """Plaintext bytes [start, end) of a blob, one opened segment at a time."""
    end = blob.size if end is None else min(end, blob.size)
    if start >= end:
        return
    key = crypto.decrypt(blob.data_key, context=KEY_CONTEXT)
    aead = AESGCM(key)
    segment = blob.segment_size
    count = max(1, -(-blob.size // segment))
    first, last = start // segment, (end - 1) // segment
    sealed_segment = segment + TAG
    # fetch a few segments per storage round trip
    batch = max(1, (4 << 20) // sealed_segment)
    index = first
    while index <= last:
        upto = min(last, index + batch - 1)
        stored_end = min((upto + 1) * sealed_segment, blob.size + count * TAG)
        raw = storage().read_range(blob.storage_key, index * sealed_segment, stored_end)
        for offset, i in enumerate(range(index, upto + 1)):
            piece = raw[offset * sealed_segment : (offset + 1) * sealed_segment]
            plain = aead.decrypt(_nonce(i), piece, _aad(i, i == count - 1))
            lo = start - i * segment if i == first else 0
            hi = end - i * segment if i == last else len(plain)
            yield plain[lo:hi]
        index = upto + 1


def blob_read(blob: Blob, start: int = 0, end: int | None = None) -> bytes:
    return b"".join(blob_iter(blob, start, end))


def blob_to_file(blob: Blob, path: Path) -> None:
    with open(path, "wb") as fh:
        for chunk in blob_iter(blob):
            fh.write(chunk)


def blob_release(blob: Blob) -> None:
    """Delete a blob's row and bytes once no item uses it as an original or a rendition and no
    other app holds it. The row is locked first, so a concurrent hold on a shared blob either
    lands before the check (and keeps it) or finds the row gone (and stores the bytes again)."""
    with transaction.atomic():
        locked = Blob.objects.select_for_update().filter(pk=blob.pk).first()
        if locked is None:
            return
        used = (
            Item.objects.filter(blob=locked).exists()
            or Item.objects.filter(thumbnail=locked).exists()
            or Item.objects.filter(preview=locked).exists()
            or Item.objects.filter(poster=locked).exists()
            or Item.objects.filter(transcode=locked).exists()
            or locked.holds.exists()
        )
        if used:
            return
        key = locked.storage_key
        locked.delete()
        transaction.on_commit(lambda: storage().delete(key))
