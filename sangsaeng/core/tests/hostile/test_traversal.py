"""Path traversal names at every way a name reaches the Drawer: the upload page's multipart file
name, tus Upload-Metadata (filename and folder), WebDAV PUT, MKCOL and MOVE paths. Each is refused
or stored as a plain name inside the user's own tree; no byte is ever written outside the storage
root, and blobs are stored under content-derived names, never under the name the client gave."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from sangsaeng.accounts.services import user_create
from sangsaeng.core.tests.hostile.conftest import assert_healthy

pytestmark = pytest.mark.django_db

NAMES = [
    "../../../../tmp/escaped-1.txt",
    "..\\..\\..\\escaped-2.txt",
    "/etc/escaped-3",
    "..",
    ".",
    "a/../../escaped-4.txt",
    "%2e%2e%2fescaped-5.txt",
    "escaped-6.txt\x00.jpg",
    "\u202eescaped-7.txt",
    "CON",
    "escaped-8.txt\r\nX-Injected: 1",
    "~/.ssh/escaped-9",
]
TUS: dict[str, Any] = {"HTTP_TUS_RESUMABLE": "1.0.0"}


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _upload_page(client: Client, name: str, body: bytes):
    """A multipart POST with the file name exactly as given (SimpleUploadedFile would refuse "..")."""
    boundary = "hostileboundary"
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    payload = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{quoted}"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + body
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.generic("POST", "/drawer/upload", payload, content_type=f"multipart/form-data; boundary={boundary}")


def _files_outside(root: Path, base: Path) -> list[Path]:
    return [p for p in base.rglob("*escaped*") if root not in p.parents]


def _assert_plain(item) -> None:
    for part in [item.name, *item.folder.split("/")] if item.folder else [item.name]:
        assert part not in ("", ".", ".."), item.name
        assert "/" not in part and "\\" not in part and "\x00" not in part, part
        assert not any(ord(ch) < 32 for ch in part), part


def test_traversal_names_are_refused_or_kept_plain_and_nothing_escapes(db, settings, tmp_path):
    from sangsaeng.drawer.app_passwords import app_password_create
    from sangsaeng.drawer.models import Item

    root = Path(settings.DRAWER_FILES_DIR)
    alice = user_create(email="alice@example.com", password=PASSWORD, display_name="앨리스", verified=True)
    web = Client()
    web.force_login(alice)
    secret = app_password_create(owner=alice, label="p")[1]
    dav: dict[str, Any] = {"HTTP_AUTHORIZATION": "Basic " + _b64(f"{alice.email}:{secret}")}
    answers: list[int] = []
    for i, name in enumerate(NAMES):
        body = f"payload {i}".encode()
        # the upload page
        answers.append(_upload_page(web, name, body).status_code)
        # tus: the name, and the folder
        for meta in (f"filename {_b64(name)}", f"filename {_b64('ok.txt')},folder {_b64(name)}"):
            created = web.post(
                "/files/", b"", content_type="", HTTP_UPLOAD_LENGTH=str(len(body)), HTTP_UPLOAD_METADATA=meta, **TUS
            )
            answers.append(created.status_code)
            if created.status_code == 201:
                done = web.generic(
                    "PATCH",
                    created["Location"],
                    body,
                    content_type="application/offset+octet-stream",
                    HTTP_UPLOAD_OFFSET="0",
                    **TUS,
                )
                assert done.status_code == 204
            else:
                assert created.status_code == 400 and created.json()["code"] in {"bad_name", "bad_metadata"}
        # WebDAV: PUT at the path, MKCOL, and MOVE a good file to it
        quoted = name.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace("\x00", "%00")
        moves: tuple[tuple[str, str, dict[str, Any]], ...] = (
            ("PUT", f"/dav/{quoted}", {}),
            ("MKCOL", f"/dav/{quoted}", {}),
            ("PUT", f"/dav/good-{i}.txt", {}),
            ("MOVE", f"/dav/good-{i}.txt", {"HTTP_DESTINATION": f"http://testserver/dav/{quoted}"}),
        )
        for method, path, extra in moves:
            answer = web.generic(method, path, body, content_type="text/plain", **dav, **extra)
            # RFC 4918: a MOVE whose Destination leaves the share is 502 Bad Gateway, the protocol's own answer
            allowed = answer.status_code < 500 or (method == "MOVE" and answer.status_code == 502)
            assert allowed, (method, name, answer.status_code)
            answers.append(answer.status_code)
    items = list(Item.objects.filter(owner=alice))
    assert items, "nothing was stored at all: the test would prove nothing"
    for item in items:
        _assert_plain(item)
    assert not _files_outside(root, tmp_path), _files_outside(root, tmp_path)
    assert not list(Path("/tmp").glob("escaped-*"))
    assert any(400 <= code < 500 for code in answers)  # some are refused outright
    assert_healthy(web)
