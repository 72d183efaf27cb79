"""Serving blobs over HTTP with single Range requests (video seeking), decrypting only the
segments a range touches."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from sangsaeng.core.errors import not_found
from sangsaeng.drawer.blobs import blob_iter
from sangsaeng.drawer.models import Blob, Item

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(start, end exclusive) for a satisfiable single range, None for no range, False for 416."""
    match = _RANGE.match(header.strip()) if header else None
    if header and match is None:
        return None  # multiple or odd ranges: answer with the whole body, as RFC 9110 allows
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return False
    if not first:
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size
    start = int(first)
    end = min(size, int(last) + 1) if last else size
    if start >= size or end <= start:
        return False
    return start, end


def blob_response(
    request: HttpRequest, blob: Blob, *, content_type: str, filename: str = "", attachment: bool = False
) -> HttpResponseBase:
    wanted = _range(request.headers.get("Range", ""), blob.size)
    response: HttpResponseBase
    etag = f'"{blob.sha256[:32]}"'
    if request.headers.get("If-None-Match") == etag and wanted is None:
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{blob.size}"
        return response
    if wanted is None or wanted is True:
        response = StreamingHttpResponse(blob_iter(blob), content_type=content_type)
        response["Content-Length"] = str(blob.size)
    else:
        start, end = wanted
        response = StreamingHttpResponse(blob_iter(blob, start, end), content_type=content_type, status=206)
        response["Content-Length"] = str(end - start)
        response["Content-Range"] = f"bytes {start}-{end - 1}/{blob.size}"
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=86400"
    if filename:
        disposition = "attachment" if attachment else "inline"
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response


RENDITIONS = ("thumb", "preview", "poster", "video", "original")


def item_rendition(request: HttpRequest, item: Item, rendition: str) -> HttpResponseBase:
    """One of an item's files: thumb (WebP), preview (JPEG), poster (JPEG), video (720p or the
    original), original (download)."""
    if rendition == "thumb" and item.thumbnail:
        return blob_response(request, item.thumbnail, content_type="image/webp")
    if rendition == "preview" and item.preview:
        return blob_response(request, item.preview, content_type="image/jpeg")
    if rendition == "poster" and item.poster:
        return blob_response(request, item.poster, content_type="image/jpeg")
    if rendition == "video" and item.kind == Item.Kind.VIDEO:
        if item.transcode:
            return blob_response(request, item.transcode, content_type="video/mp4")
        # the original only plays inline as a video type, never as whatever the uploader claimed
        inline_type = item.content_type if item.content_type.startswith("video/") else "application/octet-stream"
        return blob_response(request, item.blob, content_type=inline_type)
    if rendition == "original":
        return blob_response(request, item.blob, content_type=item.content_type, filename=item.name, attachment=True)
    raise not_found("file")
