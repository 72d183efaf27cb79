"""tus 1.0 resumable upload at /files/: core, creation, creation-with-upload, termination,
checksum (sha256) and expiration.

The state of an upload is its row (length, name, owner, expiry) plus a file under the scratch
directory whose size is the offset. Both survive a restart, so a client that lost its connection
(or the server that crashed) asks HEAD for the offset and sends the rest. A file lock serialises
concurrent PATCHes of one upload. Once the last byte arrives, the file becomes an item.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from sangsaeng.accounts.selectors import User
from sangsaeng.core.errors import Problem, not_found, problem_response, unauthenticated
from sangsaeng.drawer.app_passwords import request_user
from sangsaeng.drawer.models import Upload
from sangsaeng.drawer.services import folder_clean, item_create, name_clean, quota_check
from sangsaeng.drawer.storage import scratch_dir

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,creation-with-upload,termination,checksum,expiration"
OFFSET_TYPE = "application/offset+octet-stream"
CHUNK = 1 << 20


def _problem(code: str, status: int, ko: str, en: str, **extra: Any) -> Problem:
    return Problem(code=code, status=status, ko=ko, en=en, extra=extra)


def _part(upload: Upload) -> Path:
    return scratch_dir() / "tus" / f"{upload.public_id}.part"


def _offset(upload: Upload) -> int:
    if upload.completed_at is not None:
        return upload.length
    try:
        return _part(upload).stat().st_size
    except FileNotFoundError:
        return 0


def _metadata(header: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _, value = pair.partition(" ")
        try:
            result[key] = base64.b64decode(value.strip(), validate=True).decode() if value else ""
        except ValueError as exc:  # binascii.Error, non-ASCII text, UnicodeDecodeError
            raise _problem(
                "bad_metadata", 400, "Upload-Metadata를 읽을 수 없습니다.", "Upload-Metadata is not valid base64."
            ) from exc
    return result


def _checksum(header: str) -> tuple[str, bytes] | None:
    if not header:
        return None
    algorithm, _, value = header.strip().partition(" ")
    if algorithm.lower() != "sha256":
        raise _problem(
            "checksum_algorithm", 400, "지원하지 않는 체크섬 알고리즘입니다.", "Only sha256 checksums are supported."
        )
    try:
        return "sha256", base64.b64decode(value.strip(), validate=True)
    except ValueError as exc:  # binascii.Error, or non-ASCII text
        raise _problem(
            "bad_checksum", 400, "Upload-Checksum 값이 올바르지 않습니다.", "Upload-Checksum is malformed."
        ) from exc


def _headers(response: HttpResponse, upload: Upload | None = None) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    if upload is not None:
        response["Upload-Offset"] = str(_offset(upload))
        response["Upload-Expires"] = http_date(upload.expires_at.timestamp())
        if upload.item_id:
            response["Drawer-Item"] = str(upload.item.public_id) if upload.item else ""
    return response


def _append(request: HttpRequest, upload: Upload, offset: int) -> None:
    """Append the request body at `offset`, verifying Upload-Checksum over it when given."""
    if request.content_type != OFFSET_TYPE:
        raise _problem(
            "bad_content_type", 415, "Content-Type이 올바르지 않습니다.", f"Content-Type must be {OFFSET_TYPE}."
        )
    checksum = _checksum(request.headers.get("Upload-Checksum", ""))
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    part = _part(upload)
    part.parent.mkdir(parents=True, exist_ok=True)
    with open(part, "ab") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise _problem(
                "upload_locked",
                423,
                "다른 요청이 이 업로드를 쓰고 있습니다.",
                "Another request is writing this upload.",
            ) from exc
        current = fh.seek(0, os.SEEK_END)
        if current != offset:
            raise _problem(
                "offset_mismatch", 409, "업로드 위치가 맞지 않습니다.", "Upload-Offset does not match.", offset=current
            )
        remaining = upload.length - current
        if declared > remaining:
            raise _problem(
                "too_long", 413, "업로드 길이를 넘었습니다.", "The body goes past Upload-Length.", remaining=remaining
            )
        if checksum is None:
            while remaining > 0 and (chunk := request.read(min(CHUNK, remaining))):
                fh.write(chunk)
                fh.flush()
                remaining -= len(chunk)
            return
        # With a checksum the chunk is held aside, verified, and only then appended.
        digest = hashlib.sha256()
        with tempfile.TemporaryFile(dir=part.parent) as side:
            while remaining > 0 and (chunk := request.read(min(CHUNK, remaining))):
                digest.update(chunk)
                side.write(chunk)
                remaining -= len(chunk)
            if digest.digest() != checksum[1]:
                raise _problem("checksum_mismatch", 460, "체크섬이 맞지 않습니다.", "Checksum mismatch.")
            side.seek(0)
            while chunk := side.read(CHUNK):
                fh.write(chunk)
            fh.flush()


def _finish(upload: Upload) -> None:
    part = _part(upload)
    if upload.completed_at is not None or part.stat().st_size != upload.length:
        return
    item = item_create(
        owner=upload.owner,
        path=part,
        name=upload.filename,
        folder=upload.folder,
        content_type=upload.content_type,
        source="tus",
    )
    with transaction.atomic():
        upload.item = item
        upload.completed_at = timezone.now()
        upload.save(update_fields=["item", "completed_at", "updated_at"])
    part.unlink(missing_ok=True)


def _access_upload(actor: User, upload_id: str) -> Upload:
    try:
        public_id = UUID(upload_id)
    except ValueError:
        raise not_found("upload") from None
    upload = Upload.objects.select_related("owner", "item").filter(owner=actor, public_id=public_id).first()
    if upload is None:
        raise not_found("upload")
    if upload.completed_at is None and upload.expires_at <= timezone.now():
        raise _problem("upload_expired", 410, "업로드가 만료되었습니다.", "The upload has expired.")
    return upload


def _create(request: HttpRequest, user: User) -> HttpResponse:
    if request.headers.get("Upload-Defer-Length"):
        raise _problem("defer_length", 400, "길이를 미리 알려야 합니다.", "Upload-Defer-Length is not supported.")
    try:
        length = int(request.headers.get("Upload-Length", ""))
    except ValueError as exc:
        raise _problem("bad_length", 400, "Upload-Length가 필요합니다.", "Upload-Length is required.") from exc
    if length < 0:
        raise _problem("bad_length", 400, "Upload-Length가 올바르지 않습니다.", "Upload-Length is negative.")
    if length > int(settings.DRAWER_MAX_UPLOAD_BYTES):
        raise _problem(
            "too_large",
            413,
            "파일이 너무 큽니다.",
            "The upload is larger than Tus-Max-Size.",
            limit=int(settings.DRAWER_MAX_UPLOAD_BYTES),
        )
    meta = _metadata(request.headers.get("Upload-Metadata", ""))
    name = name_clean(meta.get("filename") or meta.get("name") or "", field="filename")
    folder = folder_clean(meta.get("folder", ""))
    quota_check(owner=user, adding=length)
    upload = Upload.objects.create(
        owner=user,
        length=length,
        filename=name,
        folder=folder,
        content_type=(meta.get("filetype") or meta.get("type") or "")[:100],
        metadata=meta,
        expires_at=timezone.now() + timedelta(hours=int(settings.DRAWER_UPLOAD_EXPIRY_HOURS)),
    )
    part = _part(upload)
    part.parent.mkdir(parents=True, exist_ok=True)
    part.touch()
    if request.content_type == OFFSET_TYPE:
        _append(request, upload, 0)
    if length == _offset(upload):
        _finish(upload)
    response = _headers(HttpResponse(status=201), upload)
    response["Location"] = request.build_absolute_uri(f"/files/{upload.public_id}")
    return response


def _guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if request.method != "OPTIONS" and request.headers.get("Tus-Resumable") != TUS_VERSION:
                response = HttpResponse(status=412)
                response["Tus-Version"] = TUS_VERSION
                return response
            user = request_user(request)
            if user is None and request.method != "OPTIONS":
                raise unauthenticated()
            return view(request, user, *args, **kwargs)
        except Problem as problem:
            return _headers(problem_response(request, problem))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(wrapped)


@_guard
def collection(request: HttpRequest, user: User | None) -> HttpResponse:
    """OPTIONS: what this server supports. POST: create an upload."""
    if request.method == "OPTIONS":
        response = _headers(HttpResponse(status=204))
        response["Tus-Version"] = TUS_VERSION
        response["Tus-Extension"] = EXTENSIONS
        response["Tus-Max-Size"] = str(settings.DRAWER_MAX_UPLOAD_BYTES)
        response["Tus-Checksum-Algorithm"] = "sha256"
        return response
    if request.method == "POST" and user is not None:
        return _create(request, user)
    return _headers(HttpResponse(status=405))


@_guard
def resource(request: HttpRequest, user: User | None, upload_id: str) -> HttpResponse:
    """HEAD: the offset. PATCH: append. DELETE: terminate."""
    if request.method == "OPTIONS":
        return collection(request)
    assert user is not None
    upload = _access_upload(user, upload_id)
    if request.method == "HEAD":
        response = _headers(HttpResponse(status=200), upload)
        response["Upload-Length"] = str(upload.length)
        return response
    if request.method == "PATCH":
        if upload.completed_at is not None:
            raise _problem(
                "offset_mismatch", 409, "이미 끝난 업로드입니다.", "The upload is complete.", offset=upload.length
            )
        try:
            offset = int(request.headers.get("Upload-Offset", ""))
        except ValueError as exc:
            raise _problem("bad_offset", 400, "Upload-Offset이 필요합니다.", "Upload-Offset is required.") from exc
        _append(request, upload, offset)
        _finish(upload)
        upload.refresh_from_db()
        return _headers(HttpResponse(status=204), upload)
    if request.method == "DELETE":
        _part(upload).unlink(missing_ok=True)
        upload.delete()
        return _headers(HttpResponse(status=204))
    return _headers(HttpResponse(status=405))


def uploads_expire() -> int:
    """Remove unfinished uploads past their expiry, and finished ones after a day."""
    now = timezone.now()
    count = 0
    stale = Upload.objects.filter(completed_at__isnull=True, expires_at__lte=now) | Upload.objects.filter(
        completed_at__lte=now - timedelta(days=1)
    )
    for upload in stale:
        _part(upload).unlink(missing_ok=True)
        upload.delete()
        count += 1
    return count
