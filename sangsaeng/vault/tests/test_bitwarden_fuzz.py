"""Fuzzing the Bitwarden protocol with its own request shapes: the token endpoint's form bodies, sync
with random bearers, ciphers and folders with random and malformed EncStrings.

No request may give a 5xx; each refusal is the protocol's own error (OAuth JSON on the identity
endpoint, Bitwarden's error model on /api); a refused write changes nothing stored, and after the run
alice's vault still syncs with every stored string a valid EncString. FUZZ_PROTOCOL_EXAMPLES sets
the examples per test (25 here; `make fuzz` runs many more, not derandomized).
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sangsaeng.vault.encstring import is_encstring
from sangsaeng.vault.models import Cipher, Folder
from sangsaeng.vault.tests.conftest import BitwardenClient
from sangsaeng.vault.tests.test_ciphers import login_item

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_PROTOCOL_EXAMPLES", "25")),
    deadline=None,
    derandomize=os.environ.get("FUZZ_LONG", "") != "1",
    suppress_health_check=list(HealthCheck),
    database=None,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
b64 = st.binary(max_size=40).map(lambda raw: __import__("base64").b64encode(raw).decode())
malformed_encstrings = st.one_of(
    st.builds(lambda k, iv, ct, mac: f"{k}.{iv}|{ct}|{mac}", st.integers(-1, 9), b64, b64, b64),
    st.builds(lambda k, body: f"{k}.{body}", st.text(max_size=3), st.text(max_size=40)),
    st.text(max_size=30),
    json_values,
)


def _body(response):
    assert response.status_code < 500, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


def _bitwarden_error(response):
    body = _body(response)
    assert body["object"] == "error" and body["message"] and body["errorModel"]["object"] == "error", body
    assert body["code"], body


def _stored():
    return [
        (
            c.public_id,
            c.type,
            c.name,
            c.notes,
            json.dumps([c.data, c.fields], sort_keys=True),
            c.folder_id,
            c.deleted_at,
            c.updated_at,
        )
        for c in Cipher.objects.order_by("id")
    ] + [(f.public_id, f.name, f.updated_at) for f in Folder.objects.order_by("id")]


@pytest.fixture
def item(bw_alice, alice_keys):
    created = bw_alice.post("/vault/api/ciphers", login_item(alice_keys, name="지켜야 할 항목"))
    assert created.status_code == 200
    return created.json()


def _vault_is_intact(bw_alice, alice_keys, item):
    synced = bw_alice.get("/vault/api/sync")
    assert synced.status_code == 200
    data = synced.json()
    names = [c["name"] for c in data["ciphers"]] + [f["name"] for f in data["folders"]]
    assert all(is_encstring(name) for name in names)
    witness = next(c for c in data["ciphers"] if c["id"] == item["id"])
    assert alice_keys.open(witness["name"]) == "지켜야 할 항목"
    assert alice_keys.open(witness["login"]["password"]) == "pw-1"


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "grant_type": st.sampled_from(["password", "refresh_token", "client_credentials", "authorization_code"])
            | st.text(max_size=20)
        },
        optional={
            "username": st.sampled_from(["alice@example.com", "ALICE@example.com ", ""]) | st.text(max_size=30),
            "password": st.text(max_size=60),
            "refresh_token": st.text(max_size=60),
            "scope": st.sampled_from(["api offline_access", "api", ""]) | st.text(max_size=20),
            "client_id": st.sampled_from(["cli", "web", "browser", "mobile"]) | st.text(max_size=20),
            "deviceType": st.integers(-5, 99).map(str) | st.text(max_size=5),
            "deviceIdentifier": st.uuids().map(str) | st.text(max_size=40),
            "deviceName": st.text(max_size=40),
            "twoFactorToken": st.text(max_size=10),
            "twoFactorProvider": st.text(max_size=3),
        },
    ),
    as_json=st.booleans(),
)
def test_the_token_endpoint_answers_oauth_errors(alice_keys, form, as_json):
    from django.test import Client

    client = Client()
    if as_json:
        response = client.post("/vault/identity/connect/token", form, content_type="application/json")
    else:
        response = client.post("/vault/identity/connect/token", form)
    body = _body(response)
    if response.status_code == 200:
        # only the real password grant or a real refresh token can succeed, neither of which is drawn
        pytest.fail(f"a fuzzed grant was accepted: {form}")
    assert response.status_code in {400, 401, 429}, (response.status_code, body)
    assert isinstance(body["error"], str) and body["error"], body


@FUZZ
@given(
    token=st.text(max_size=80) | st.builds(lambda a, b, c: f"{a}.{b}.{c}", b64, b64, b64),
    query=st.dictionaries(st.sampled_from(["excludeDomains", "excludeSubdomains", "x"]), st.text(max_size=8)),
)
def test_sync_with_a_random_bearer_is_refused(alice_keys, token, query):
    response = BitwardenClient(token).get("/vault/api/sync", query)
    assert response.status_code == 401, response.content[:200]


@FUZZ
@given(
    body=st.fixed_dictionaries(
        {"type": st.sampled_from([1, 2, 3, 4, 5]) | st.integers(-3, 12) | json_values, "name": malformed_encstrings},
        optional={
            "notes": malformed_encstrings,
            "folderId": st.none() | st.uuids().map(str) | st.text(max_size=10),
            "favorite": json_values,
            "reprompt": json_values,
            "login": st.fixed_dictionaries(
                {},
                optional={
                    "username": malformed_encstrings,
                    "password": malformed_encstrings,
                    "totp": malformed_encstrings,
                    "uris": st.lists(
                        st.fixed_dictionaries({"uri": malformed_encstrings, "match": json_values}), max_size=2
                    )
                    | json_values,
                },
            )
            | json_values,
            "fields": st.lists(st.fixed_dictionaries({"type": json_values, "name": malformed_encstrings}), max_size=2)
            | json_values,
            "card": json_values,
            "secureNote": json_values,
            "lastKnownRevisionDate": st.text(max_size=30) | json_values,
        },
    ),
    target=st.sampled_from(["create", "create-wrapped", "update", "partial"]),
)
def test_cipher_writes_refuse_bad_encstrings_and_keep_the_vault(bw_alice, alice_keys, item, body, target):
    before = _stored()
    if target == "create":
        response = bw_alice.post("/vault/api/ciphers", body)
    elif target == "create-wrapped":
        response = bw_alice.post("/vault/api/ciphers/create", {"cipher": body, "collectionIds": []})
    elif target == "update":
        response = bw_alice.put(f"/vault/api/ciphers/{item['id']}", body)
    else:
        response = bw_alice.put(f"/vault/api/ciphers/{item['id']}/partial", body)
    if response.status_code == 200:
        # accepted writes can only have stored EncStrings
        assert all(is_encstring(name) for name in Cipher.objects.values_list("name", flat=True))
        if target in {"update"}:
            # the fuzz run may replace the witness; put it back so the next example sees it intact
            bw_alice.put(f"/vault/api/ciphers/{item['id']}", login_item(alice_keys, name="지켜야 할 항목"))
    else:
        _bitwarden_error(response)
        assert _stored() == before
    _vault_is_intact(bw_alice, alice_keys, item)


@FUZZ
@given(
    name=malformed_encstrings,
    method=st.sampled_from(["post", "put", "put-missing", "delete-missing"]),
    folder_id=st.text(alphabet="abcdef0123456789-xyz가", min_size=1, max_size=40),
)
def test_folder_writes_refuse_bad_input(bw_alice, alice_keys, item, name, method, folder_id):
    folder = Folder.objects.first() or Folder.objects.get(
        public_id=bw_alice.post("/vault/api/folders", {"name": alice_keys.seal("업무")}).json()["id"]
    )
    before = _stored()
    if method == "post":
        response = bw_alice.post("/vault/api/folders", {"name": name})
    elif method == "put":
        response = bw_alice.put(f"/vault/api/folders/{folder.public_id}", {"name": name})
    elif method == "put-missing":
        response = bw_alice.put(f"/vault/api/folders/{folder_id.replace('/', '')}", {"name": name})
    else:
        response = bw_alice.delete(f"/vault/api/folders/{folder_id.replace('/', '')}")
    if response.status_code != 200:
        _bitwarden_error(response)
        assert _stored() == before
    _vault_is_intact(bw_alice, alice_keys, item)
