"""HTTP responses for snapshot downloads, shared by the API and the pages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from sangsaeng.contributions import selectors


def jsonl_response(*, root: str) -> HttpResponseBase:
    snap = selectors.snapshot_get(root=root)  # 404 before the stream starts

    def lines() -> Iterator[str]:
        for line in selectors.snapshot_export_lines(root=snap.merkle_root):
            yield line + "\n"

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="snapshot-{snap.merkle_root[:16]}.jsonl"'
    return response


class _CleanupFile:
    """A read-only file whose temporary folder goes away when the response closes it."""

    def __init__(self, path: str) -> None:
        self._fh = open(path, "rb")  # noqa: SIM115  (closed by the response)
        self._dir = path.rsplit("/", 1)[0]

    def read(self, size: int = -1) -> bytes:
        return self._fh.read(size)

    def close(self) -> None:
        self._fh.close()
        shutil.rmtree(self._dir, ignore_errors=True)


def parquet_response(*, root: str) -> HttpResponseBase:
    snap = selectors.snapshot_get(root=root)
    path = selectors.snapshot_export_parquet(root=snap.merkle_root)
    return FileResponse(
        _CleanupFile(str(path)),  # type: ignore[arg-type]
        as_attachment=True,
        filename=path.name,
        content_type="application/vnd.apache.parquet",
    )
