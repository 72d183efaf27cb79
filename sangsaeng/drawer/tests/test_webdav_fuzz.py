"""Fuzzing WebDAV at /dav/ with its own request shapes: PROPFIND bodies and Depth headers, MKCOL, PUT,
MOVE and COPY with random (and traversing) Destination headers, LOCK bodies, random paths.

No request gives a 5xx; nothing escapes alice's tree (no item of hers ever has `..` or a backslash
in its folder or name, and bob's tree stays as it was); and alice's existing file keeps its bytes
unless a request that names it succeeded. FUZZ_PROTOCOL_EXAMPLES sets the examples (25 here;
`make fuzz` runs many more, not derandomized).
"""

from __future__ import annotations

import base64
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sangsaeng.drawer.app_passwords import app_password_create
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
WITNESS = "/dav/keep/원본.txt"


def _basic(email, secret):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{email}:{secret}".encode()).decode()}


segment = st.one_of(
    st.sampled_from(["..", ".", "%2e%2e", "..%2F..", "a%5Cb", "%00", "keep", "여행", "x.txt", "", "~", "%"]),
    st.text(alphabet="abc가나.-_ %/\\", min_size=1, max_size=8),
)
paths = st.lists(segment, min_size=0, max_size=4).map(lambda parts: "/dav/" + "/".join(parts))
destinations = st.one_of(
    paths.map(lambda p: "http://testserver" + p),
    paths,
    st.sampled_from(["http://evil.example/dav/x", "file:///etc/passwd", "", "http://testserver/etc/passwd"]),
    st.text(max_size=30),
)
xml_bodies = st.one_of(
    st.just(b""),
    st.sampled_from(
        [
            b'<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>',
            b'<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>',
            b'<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>'
            b"<D:locktype><D:write/></D:locktype></D:lockinfo>",
            b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><D:propfind xmlns:D="DAV:">&e;</D:propfind>',
            b"<D:propfind",
        ]
    ),
    st.binary(max_size=60),
)
requests = st.tuples(
    st.sampled_from(["PROPFIND", "PROPFIND", "MKCOL", "PUT", "MOVE", "COPY", "LOCK", "DELETE", "GET", "PROPPATCH"]),
    paths,
    xml_bodies,
    st.sampled_from(["0", "1", "infinity", "", "2", "-1", "one"]),
    destinations,
    st.sampled_from(["T", "F", ""]),
)


@pytest.fixture
def dav(client, alice, bob):
    alice_auth = _basic(alice.email, app_password_create(owner=alice, label="phone")[1])
    bob_auth = _basic(bob.email, app_password_create(owner=bob, label="phone")[1])
    assert client.generic("MKCOL", "/dav/keep/", b"", **alice_auth).status_code == 201
    assert (
        client.generic("PUT", WITNESS, "지킬 내용".encode(), content_type="text/plain", **alice_auth).status_code == 201
    )
    assert client.generic("PUT", "/dav/bob.txt", b"bob's", content_type="text/plain", **bob_auth).status_code == 201
    return alice_auth, {"witness_touched": False}


def _tree(owner):
    return sorted((i.folder, i.name, i.blob_id, i.trashed_at) for i in Item.objects.filter(owner=owner))


@FUZZ
@given(plan=st.lists(requests, min_size=1, max_size=4))
def test_webdav_stays_inside_the_users_tree(client, alice, bob, dav, plan):
    auth, state = dav
    bob_before = _tree(bob)
    for method, path, body, depth, destination, overwrite in plan:
        headers = {"HTTP_DEPTH": depth, "HTTP_DESTINATION": destination}
        if overwrite:
            headers["HTTP_OVERWRITE"] = overwrite
        response = client.generic(method, path, body, content_type="application/xml", **headers, **auth)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        if response.status_code == 502:
            # RFC 4918 9.8.5/9.9.4: a COPY or MOVE whose Destination is another server is a 502
            assert method in {"COPY", "MOVE"} and not destination.startswith(("http://testserver/", "/")), destination
        else:
            assert response.status_code < 500, (method, path, destination, response.status_code)
        if response.status_code < 300 and method in {"PUT", "MOVE", "DELETE", "COPY", "MKCOL"}:
            # a successful write may legitimately have moved or replaced the witness (or its folder)
            state["witness_touched"] = state["witness_touched"] or method != "MKCOL"
    for folder, name, _blob, _trashed in _tree(alice):
        assert ".." not in folder.split("/") and "\\" not in folder + name and name not in {"", ".", ".."}
    assert _tree(bob) == bob_before
    if not state["witness_touched"]:
        witness = Item.objects.get(owner=alice, folder="keep", name="원본.txt")
        assert witness.trashed_at is None and blob_read(witness.blob) == "지킬 내용".encode()
