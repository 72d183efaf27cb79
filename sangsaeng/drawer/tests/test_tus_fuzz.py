"""Fuzzing tus 1.0 at /files/ with its own request shapes: random Upload-Length, Upload-Metadata and
Tus-Resumable headers at creation, then a random sequence of PATCHes (right and wrong offsets,
random checksums and content types), HEADs and DELETEs.

No request gives a 5xx; every refusal with a body is problem+json; the server's offset is always
what a model of the protocol says (a refused PATCH writes nothing); a finished upload is exactly the
bytes accepted, in order; and alice's existing item is untouched. FUZZ_PROTOCOL_EXAMPLES sets the
examples (25 here; `make fuzz` runs many more, not derandomized).
"""

from __future__ import annotations

import base64
import hashlib
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sangsaeng.drawer.blobs import blob_read
from sangsaeng.drawer.models import Item

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_PROTOCOL_EXAMPLES", "25")),
    deadline=None,
    derandomize=os.environ.get("FUZZ_LONG", "") != "1",
    suppress_health_check=list(HealthCheck),
    database=None,
)
TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}
OCTETS = "application/offset+octet-stream"
PROBLEM = "application/problem+json"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


header_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
metadata = st.one_of(
    st.dictionaries(
        st.sampled_from(["filename", "filetype", "name", "folder", "x"]),
        st.text(max_size=30).map(_b64) | header_text,
        max_size=3,
    ).map(lambda pairs: ",".join(f"{k} {v}" for k, v in pairs.items())),
    header_text,
)
lengths = st.one_of(st.integers(0, 64), st.integers(-5, 2**70).map(str), header_text).map(str)
chunk = st.binary(max_size=48)
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("patch"),
            chunk,
            st.sampled_from(["right", "right", "ahead", "behind", "text", "negative"]),
            st.sampled_from([OCTETS, OCTETS, "application/octet-stream", "text/plain"]),
            st.sampled_from([None, None, "good", "bad", "md5 AAAA", "sha256"]),
        ),
        st.tuples(st.just("head")),
        st.tuples(st.just("delete")),
    ),
    max_size=6,
)


def _problem_or_empty(response):
    assert response.status_code < 500, (response.status_code, response.content[:300])
    if response.status_code >= 400 and response.content:
        assert response["Content-Type"] == PROBLEM, (response.status_code, response["Content-Type"])
        assert response.json()["code"]


@pytest.fixture
def witness(client, alice):
    client.force_login(alice)
    data = b"alice's photo"
    created = client.post(
        "/files/",
        data=data,
        content_type=OCTETS,
        HTTP_UPLOAD_LENGTH=str(len(data)),
        HTTP_UPLOAD_METADATA="filename " + _b64("원본.jpg"),
        **TUS,
    )
    assert created.status_code == 201, created.content
    return Item.objects.get(owner=alice), data


@FUZZ
@given(
    length=lengths,
    meta=metadata,
    version=st.sampled_from(["1.0.0", "1.0.0", "1.0.0", "0.2.2", ""]),
    with_upload=st.booleans(),
    first=chunk,
    plan=steps,
)
def test_tus_keeps_its_offsets_and_stored_files(
    client, alice, witness, length, meta, version, with_upload, first, plan
):
    item, data = witness
    items_before = Item.objects.filter(owner=alice).count()
    headers = {"HTTP_UPLOAD_LENGTH": length, "HTTP_UPLOAD_METADATA": meta}
    if version:
        headers["HTTP_TUS_RESUMABLE"] = version
    body = first if with_upload else b""
    created = client.post("/files/", data=body, content_type=OCTETS if with_upload else "", **headers)
    _problem_or_empty(created)
    accepted = b""
    if created.status_code == 201:
        url = created["Location"]
        total = int(length)
        accepted = body[: int(created["Upload-Offset"])] if created.has_header("Upload-Offset") else b""
        assert len(accepted) <= total
        gone = False
        for step in plan:
            offset = len(accepted)
            if step[0] == "patch":
                _, piece, where, content_type, checksum = step
                sent_offset = {
                    "right": str(offset),
                    "ahead": str(offset + 1),
                    "behind": str(offset - 1),
                    "text": "abc",
                    "negative": "-1",
                }[where]
                extra = {}
                if checksum == "good":
                    extra["HTTP_UPLOAD_CHECKSUM"] = (
                        "sha256 " + base64.b64encode(hashlib.sha256(piece).digest()).decode()
                    )
                elif checksum == "bad":
                    extra["HTTP_UPLOAD_CHECKSUM"] = (
                        "sha256 " + base64.b64encode(hashlib.sha256(b"x" + piece).digest()).decode()
                    )
                elif checksum:
                    extra["HTTP_UPLOAD_CHECKSUM"] = checksum
                response = client.generic(
                    "PATCH", url, piece, content_type=content_type, HTTP_UPLOAD_OFFSET=sent_offset, **TUS, **extra
                )
                _problem_or_empty(response)
                if response.status_code == 204:
                    assert not gone and where == "right" and content_type == OCTETS
                    assert checksum in {None, "good"} and offset + len(piece) <= total
                    accepted += piece
                    assert response["Upload-Offset"] == str(len(accepted))
            elif step[0] == "head":
                response = client.head(url, **TUS)
                assert response.status_code < 500
                if not gone and len(accepted) < total:
                    assert (response.status_code, response["Upload-Offset"]) == (200, str(len(accepted)))
            else:
                response = client.delete(url, **TUS)
                _problem_or_empty(response)
                gone = gone or response.status_code == 204
        if len(accepted) == total:
            finished = Item.objects.filter(owner=alice).exclude(pk=item.pk).order_by("-id").first()
            assert finished is not None and blob_read(finished.blob) == accepted
    else:
        assert Item.objects.filter(owner=alice).count() == items_before
    item.refresh_from_db()
    assert item.trashed_at is None and blob_read(item.blob) == data
