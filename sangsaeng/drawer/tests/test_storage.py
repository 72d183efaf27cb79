"""Blobs: content-addressed, stored once per user, encrypted in segments, readable by range."""

import os
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from sangsaeng.core.errors import Problem
from sangsaeng.drawer.blobs import blob_read, blob_store
from sangsaeng.drawer.models import Blob, Item
from sangsaeng.drawer.services import drawer_usage, file_save_from


def _file(tmp_path: Path, data: bytes, name: str = "f.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_blob_reads_back_whole_and_by_any_range(alice, tmp_path, settings):
    # given bytes spanning several 64 KiB segments
    data = os.urandom(200_000)
    blob, created = blob_store(owner=alice, path=_file(tmp_path, data))
    # then
    assert created
    assert blob_read(blob) == data
    for start, end in [(0, 1), (65_535, 65_537), (100, 199_999), (131_072, 200_000), (199_999, 200_000)]:
        assert blob_read(blob, start, end) == data[start:end]


def test_blobs_are_encrypted_at_rest(alice, tmp_path, settings):
    data = b"plain secret photo bytes " * 5000
    blob, _ = blob_store(owner=alice, path=_file(tmp_path, data))
    stored = (Path(settings.DRAWER_FILES_DIR) / blob.storage_key).read_bytes()
    assert b"plain secret photo" not in stored
    assert len(stored) == len(data) + 16 * 2  # two segments, one GCM tag each


def test_a_tampered_segment_fails_to_decrypt(alice, tmp_path, settings):
    blob, _ = blob_store(owner=alice, path=_file(tmp_path, b"x" * 1000))
    stored = Path(settings.DRAWER_FILES_DIR) / blob.storage_key
    raw = bytearray(stored.read_bytes())
    raw[10] ^= 1
    stored.write_bytes(bytes(raw))
    with pytest.raises(InvalidTag):
        blob_read(blob)


def test_identical_content_is_stored_once_per_user(alice, bob, tmp_path, django_capture_on_commit_callbacks):
    data = os.urandom(5000)
    with django_capture_on_commit_callbacks(execute=True):
        a1 = file_save_from(owner=alice, name="a.bin", data=data, source="test")
        a2 = file_save_from(owner=alice, name="b.bin", data=data, source="test")
        b1 = file_save_from(owner=bob, name="a.bin", data=data, source="test")
    assert a1.blob_id == a2.blob_id
    assert b1.blob_id != a1.blob_id
    assert Blob.objects.filter(owner=alice).count() == 1
    assert drawer_usage(owner=alice) == 5000


def test_a_file_over_quota_is_refused_with_413_and_nothing_stored(alice, settings):
    settings.DRAWER_QUOTA_BYTES = 10_000
    file_save_from(owner=alice, name="first.bin", data=os.urandom(8000), source="test")
    with pytest.raises(Problem) as refused:
        file_save_from(owner=alice, name="second.bin", data=os.urandom(4000), source="test")
    assert refused.value.status == 413
    assert refused.value.code == "quota_exceeded"
    assert Item.objects.filter(owner=alice).count() == 1
    assert Blob.objects.filter(owner=alice).count() == 1


def test_a_name_taken_in_the_folder_gets_a_number(alice):
    first = file_save_from(owner=alice, name="memo.txt", data=b"1", source="test")
    second = file_save_from(owner=alice, name="memo.txt", data=b"2", source="test")
    assert (first.name, second.name) == ("memo.txt", "memo (2).txt")


@pytest.mark.parametrize("name", ["../etc/passwd", "a/b.jpg", "..", "x\\y.jpg", "bad\x00.jpg", ""])
def test_path_traversal_in_names_is_refused(alice, name):
    with pytest.raises(Problem) as refused:
        file_save_from(owner=alice, name=name, data=b"x", source="test")
    assert refused.value.code == "bad_name"
    assert Item.objects.count() == 0


def test_each_user_can_have_their_own_quota(alice, bob, settings, capsys):
    from django.core.management import call_command

    settings.DRAWER_QUOTA_BYTES = 1_000_000
    call_command("drawer", "quota", "--email", alice.email, "--bytes", "3000")
    assert capsys.readouterr().out.strip() == f"{alice.email}: 3000 bytes"
    with pytest.raises(Problem) as refused:
        file_save_from(owner=alice, name="a.bin", data=os.urandom(4000), source="test")
    assert refused.value.extra["quota"] == 3000
    file_save_from(owner=bob, name="b.bin", data=os.urandom(4000), source="test")  # bob keeps the default
    call_command("drawer", "quota", "--email", alice.email, "--default")
    file_save_from(owner=alice, name="a.bin", data=os.urandom(4000), source="test")
