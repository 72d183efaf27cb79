"""WebDAV at /dav/: Basic auth by app password, per-user trees, and real clients (litmus, rclone)."""

import base64
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from sangsaeng.drawer.app_passwords import app_password_create, app_password_revoke
from sangsaeng.drawer.blobs import blob_read
from sangsaeng.drawer.models import Item


def _basic(email, secret):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{email}:{secret}".encode()).decode()}


@pytest.fixture
def alice_dav(alice):
    return _basic(alice.email, app_password_create(owner=alice, label="phone")[1])


def test_put_propfind_get_and_delete(client, alice, alice_dav, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        put = client.generic("PUT", "/dav/memo.txt", b"hello dav", content_type="text/plain", **alice_dav)
    assert put.status_code == 201
    item = Item.objects.get(owner=alice, name="memo.txt")
    assert blob_read(item.blob) == b"hello dav"
    listing = client.generic("PROPFIND", "/dav/", b"", HTTP_DEPTH="1", **alice_dav)
    assert listing.status_code == 207
    assert b"memo.txt" in b"".join(listing.streaming_content)
    got = client.get("/dav/memo.txt", **alice_dav)
    assert b"".join(got.streaming_content) == b"hello dav"
    assert got["Content-Security-Policy"] == "sandbox; default-src 'none'"
    ranged = client.get("/dav/memo.txt", HTTP_RANGE="bytes=6-8", **alice_dav)
    assert ranged.status_code == 206 and b"".join(ranged.streaming_content) == b"dav"
    assert client.delete("/dav/memo.txt", **alice_dav).status_code == 204
    item.refresh_from_db()
    assert item.trashed_at is not None  # restorable from the trash


def test_without_a_valid_app_password_it_is_401(client, alice, alice_dav):
    assert client.generic("PROPFIND", "/dav/", b"", HTTP_DEPTH="0").status_code == 401
    assert (
        client.generic("PROPFIND", "/dav/", b"", HTTP_DEPTH="0", **_basic(alice.email, "dav_x_wrong")).status_code
        == 401
    )


def test_a_revoked_app_password_stops_working(client, alice):
    row, secret = app_password_create(owner=alice, label="old phone")
    app_password_revoke(actor=alice, id=row.public_id)
    assert client.generic("PROPFIND", "/dav/", b"", HTTP_DEPTH="0", **_basic(alice.email, secret)).status_code == 401


def test_another_users_files_are_invisible_and_unchanged(client, alice, bob, alice_dav):
    client.generic("PUT", "/dav/secret.txt", b"alice only", content_type="text/plain", **alice_dav)
    bob_dav = _basic(bob.email, app_password_create(owner=bob, label="x")[1])
    assert client.get("/dav/secret.txt", **bob_dav).status_code == 404
    assert client.delete("/dav/secret.txt", **bob_dav).status_code == 404
    listing = b"".join(client.generic("PROPFIND", "/dav/", b"", HTTP_DEPTH="1", **bob_dav).streaming_content)
    assert b"secret.txt" not in listing
    # alice's password with bob's email is refused
    secret = alice_dav["HTTP_AUTHORIZATION"].split()[1]
    _, password = base64.b64decode(secret).decode().split(":", 1)
    assert client.get("/dav/secret.txt", **_basic(bob.email, password)).status_code == 401
    assert Item.objects.get(name="secret.txt").trashed_at is None


@pytest.mark.parametrize(
    ("path", "status"),
    [("/dav/..%2F..%2Fetc%2Fpasswd", 400), ("/dav/../../etc/passwd", 400), ("/dav/bad%5Cname.txt", 400)],
)
def test_path_traversal_in_webdav_is_refused(client, alice, alice_dav, path, status):
    response = client.generic("PUT", path, b"x", content_type="text/plain", **alice_dav)
    assert response.status_code == status
    assert Item.objects.filter(owner=alice).count() == 0


def test_the_operator_command_prints_an_app_password(alice, capsys):
    call_command("drawer", "app-password", "--email", alice.email, "--label", "rclone")
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("dav_")
    from sangsaeng.drawer.app_passwords import app_password_authenticate

    assert app_password_authenticate(email=alice.email, secret=secret) == alice


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    shutil.which("litmus") is None and os.environ.get("CI") != "true",
    reason="Debian package litmus is not installed (make test installs it; under CI=true a missing one fails)",
)
def test_litmus_passes(live_server, alice, settings, tmp_path):
    settings.DRAWER_FILES_DIR = tmp_path / "files"
    _, secret = app_password_create(owner=alice, label="litmus")
    done = subprocess.run(
        ["litmus", f"{live_server.url}/dav/", alice.email, secret],
        capture_output=True,
        text=True,
        timeout=300,
        env={"TESTS": "basic copymove props locks http", "HOME": str(tmp_path)},
        cwd=tmp_path,  # litmus writes its debug.log into the working directory
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert "FAIL" not in report, report
    for suite in ("basic", "copymove", "props", "locks", "http"):
        assert f"summary for `{suite}': of" in report, report
    print(report)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    shutil.which("rclone") is None and os.environ.get("CI") != "true",
    reason="Debian package rclone is not installed (make test installs it; under CI=true a missing one fails)",
)
def test_rclone_syncs_a_folder_up_and_back_byte_for_byte(live_server, alice, settings, tmp_path):
    import os

    settings.DRAWER_FILES_DIR = tmp_path / "files"
    _, secret = app_password_create(owner=alice, label="rclone")
    source = tmp_path / "phone"
    (source / "DCIM" / "Camera").mkdir(parents=True)
    files = {"DCIM/Camera/IMG_1.jpg": os.urandom(300_000), "DCIM/메모.txt": "안녕 서랍".encode(), "empty.bin": b""}
    for name, data in files.items():
        (source / name).write_bytes(data)
    obscured = subprocess.run(["rclone", "obscure", secret], capture_output=True, text=True, check=True).stdout.strip()
    remote = f":webdav,url='{live_server.url}/dav/',vendor=other,user='{alice.email}',pass='{obscured}':backup"
    env = {"HOME": str(tmp_path), "RCLONE_CONFIG": str(tmp_path / "rclone.conf"), "PATH": os.environ["PATH"]}
    # one transfer at a time: the test database is SQLite in memory, which has no busy timeout
    serial = ["--transfers", "1", "--checkers", "1"]
    up = subprocess.run(
        ["rclone", "sync", *serial, str(source), remote], capture_output=True, text=True, env=env, timeout=120
    )
    assert up.returncode == 0, up.stderr
    back = tmp_path / "back"
    down = subprocess.run(
        ["rclone", "sync", *serial, remote, str(back)], capture_output=True, text=True, env=env, timeout=120
    )
    assert down.returncode == 0, down.stderr
    for name, data in files.items():
        assert (back / name).read_bytes() == data, name
    assert Path(back / "DCIM").is_dir()
    assert Item.objects.get(owner=alice, name="IMG_1.jpg").folder == "backup/DCIM/Camera"


def test_a_put_over_quota_is_413_and_leaves_nothing(client, alice, alice_dav, settings):
    settings.DRAWER_QUOTA_BYTES = 100
    client.generic("PUT", "/dav/keep.txt", b"k" * 50, content_type="text/plain", **alice_dav)
    response = client.generic("PUT", "/dav/big.bin", b"x" * 500, content_type="application/octet-stream", **alice_dav)
    assert response.status_code == 413
    assert list(Item.objects.filter(owner=alice).values_list("name", flat=True)) == ["keep.txt"]


def test_locks_and_properties_are_shared_between_worker_processes(client, alice, alice_dav):
    from sangsaeng.drawer import dav_views

    client.generic("PUT", "/dav/shared.txt", b"v1", content_type="text/plain", **alice_dav)
    body = (
        '<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>'
        "<D:locktype><D:write/></D:locktype><D:owner>phone</D:owner></D:lockinfo>"
    )
    locked = client.generic("LOCK", "/dav/shared.txt", body.encode(), content_type="application/xml", **alice_dav)
    assert locked.status_code == 200
    token = locked["Lock-Token"]
    patch = (
        '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:x"><D:set><D:prop>'
        "<Z:album>여름</Z:album></D:prop></D:set></D:propertyupdate>"
    )
    client.generic(
        "PROPPATCH",
        "/dav/shared.txt",
        patch.encode(),
        content_type="application/xml",
        HTTP_IF=f"({token})",
        **alice_dav,
    )
    # another worker process: a fresh WsgiDAV app with nothing in memory
    dav_views.dav_app.cache_clear()
    assert client.generic("PUT", "/dav/shared.txt", b"v2", content_type="text/plain", **alice_dav).status_code == 423
    found = b"".join(client.generic("PROPFIND", "/dav/shared.txt", b"", HTTP_DEPTH="0", **alice_dav).streaming_content)
    assert "여름".encode() in found
    assert client.generic("UNLOCK", "/dav/shared.txt", b"", HTTP_LOCK_TOKEN=token, **alice_dav).status_code == 204
    assert client.generic("PUT", "/dav/shared.txt", b"v2", content_type="text/plain", **alice_dav).status_code == 204


def test_folders_move_with_their_items_and_copies_share_the_blob(client, alice, alice_dav):
    assert client.generic("MKCOL", "/dav/여행/", b"", **alice_dav).status_code == 201
    client.generic("PUT", "/dav/여행/a.jpg", b"photo", content_type="image/jpeg", **alice_dav)
    moved = client.generic("MOVE", "/dav/여행/", b"", HTTP_DESTINATION="http://testserver/dav/제주/", **alice_dav)
    assert moved.status_code == 201
    item = Item.objects.get(owner=alice, name="a.jpg")
    assert item.folder == "제주"
    copied = client.generic("COPY", "/dav/제주/a.jpg", b"", HTTP_DESTINATION="http://testserver/dav/b.jpg", **alice_dav)
    assert copied.status_code == 201
    copy = Item.objects.get(owner=alice, name="b.jpg", folder="")
    assert copy.blob_id == item.blob_id


@pytest.mark.parametrize("method", ["PUT", "MOVE", "COPY"])
def test_writing_over_the_root_itself_is_refused_not_a_crash(client, alice, alice_dav, method):
    # found by the WebDAV fuzzer: the root has no parent, and asking for it was a 500
    client.generic("PUT", "/dav/memo.txt", b"keep", content_type="text/plain", **alice_dav)
    before = sorted(Item.objects.filter(owner=alice).values_list("folder", "name", "trashed_at"))
    response = client.generic(
        method, "/dav/", b"x", content_type="text/plain", HTTP_DESTINATION="http://testserver/dav/", **alice_dav
    )
    assert 400 <= response.status_code < 500, response.status_code
    assert sorted(Item.objects.filter(owner=alice).values_list("folder", "name", "trashed_at")) == before
