"""Deep and huge JSON at every JSON API: /api/v1 (platform), /v1 (OpenAI-compatible), /vault
(Bitwarden). Each answers a clean 400 or 413 in its own error shape, never a RecursionError 500, and
quickly; the server stays healthy."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from conftest import PASSWORD, ApiClient
from sangsaeng.accounts.services import token_create, user_create
from sangsaeng.core.tests.hostile.conftest import assert_healthy, assert_problem

pytestmark = pytest.mark.django_db

DEEP_ARRAYS = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECTS = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
DEEP_UNDER_RECURSION = b"[" * 900 + b"]" * 900  # parses fine in Python, still far too deep for us
BODIES = {"deep_arrays": DEEP_ARRAYS, "deep_objects": DEEP_OBJECTS, "deep_900": DEEP_UNDER_RECURSION}


def _huge(limit: int) -> bytes:
    return json.dumps({"text": "가" * (limit // 3 + 1000)}).encode()


API_ENDPOINTS = [
    ("post", "/api/v1/cards"),
    ("post", "/api/v1/partners/channels"),
    ("post", "/api/v1/messaging/conversations"),
    ("post", "/api/v1/contributions"),
    ("post", "/api/v1/drawer/bulk-upload-check"),
    ("patch", "/api/v1/me"),
]


def test_platform_api_refuses_deep_and_huge_json_with_a_problem(db, settings):
    alice = user_create(email="alice@example.com", password=PASSWORD, display_name="앨리스", verified=True)
    api = ApiClient(token_create(user=alice, label="t")[1])
    for method, path in API_ENDPOINTS:
        for name, body in BODIES.items():
            started = time.monotonic()
            answer = getattr(api, method)(path, body)
            assert time.monotonic() - started < 2, (path, name)
            code = assert_problem(answer)["code"]
            assert (answer.status_code, code) in {(400, "json_too_deep"), (400, "malformed_json")}, (path, name, code)
        answer = getattr(api, method)(path, _huge(settings.API_MAX_BODY_BYTES))
        assert (answer.status_code, assert_problem(answer)["code"]) == (413, "body_too_large"), path
    assert_healthy(api)


def _openai_error(answer, status: int) -> dict:
    assert answer.status_code == status, (answer.status_code, answer.content[:300])
    error = answer.json()["error"]
    assert error["message"] and error["type"], error
    return error


def test_openai_api_refuses_deep_and_huge_json_in_the_openai_error_shape(db, settings):
    from sangsaeng.lm.keys import key_create

    alice = user_create(email="alice@example.com", password=PASSWORD, display_name="앨리스", verified=True)
    secret = key_create(owner=alice, label="hostile").secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for path in ("/v1/chat/completions", "/v1/completions", "/v1/embeddings"):
        for name, body in BODIES.items():
            if name == "deep_900":
                continue  # parses; the OpenAI shapes then refuse a list body as not an object
            started = time.monotonic()
            answer = client.post(path, body, content_type="application/json")
            assert time.monotonic() - started < 2, (path, name)
            _openai_error(answer, 400)
        huge = client.post(path, _huge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE), content_type="application/json")
        assert _openai_error(huge, 413)["code"] == "request_too_large"
    assert_healthy(client)


def test_bitwarden_api_refuses_deep_and_huge_json(db, settings):
    from sangsaeng.vault.tests.conftest import BitwardenClient, make_vault, token_login

    alice = user_create(email="alice@example.com", password=PASSWORD, display_name="앨리스", verified=True)
    keys = make_vault(alice)
    bw = BitwardenClient(token_login(keys).json()["access_token"])
    anon = Client()
    cases = [
        (bw, "post", "/vault/api/ciphers"),
        (bw, "post", "/vault/api/folders"),
        (bw, "put", "/vault/api/accounts/profile"),
        (anon, "post", "/vault/identity/accounts/prelogin"),
        (anon, "post", "/vault/identity/accounts/register"),
    ]
    for client, method, path in cases:
        for name, body in BODIES.items():
            started = time.monotonic()
            answer = getattr(client, method)(path, body, content_type="application/json")
            assert time.monotonic() - started < 2, (path, name)
            assert answer.status_code == 400, (path, name, answer.status_code, answer.content[:300])
            assert answer.json()  # a JSON error the clients can show
        huge = getattr(client, method)(
            path, _huge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE), content_type="application/json"
        )
        assert huge.status_code == 413, (path, huge.status_code, huge.content[:200])
        assert huge.json()
    assert_healthy(anon)


@pytest.mark.backend_free
def test_the_depth_is_measured_before_parsing_so_a_raised_recursion_limit_cannot_crash_the_process():
    """py_ecc raises the recursion limit to 100,000 when the app loads; json.loads of 100,000 nested
    arrays then overflows the C stack (a segmentation fault, not an exception). loads_bounded refuses
    it first. In a subprocess, so that a regression kills the child, not the test run."""
    import subprocess
    import sys

    script = (
        "import sys; sys.setrecursionlimit(100_000)\n"
        "from sangsaeng.core.json_bounded import JsonTooDeep, loads_bounded\n"
        "try:\n    loads_bounded(b'[' * 100_000 + b']' * 100_000)\nexcept JsonTooDeep:\n    print('refused')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "refused"), done.stderr[-500:]


@pytest.mark.backend_free
@pytest.mark.parametrize(
    ("raw", "limit", "deeper"),
    [
        (b'["[[[[", {"a": [1]}]', 2, True),  # depth 3; the brackets inside the string don't count
        (b'["[[[[", {"a": [1]}]', 3, False),
        (b'["\\"[[[["]', 1, False),  # an escaped quote doesn't end the string
        (b"[[[]]]", 2, True),
        (b"{}" * 1000, 1, False),  # wide, not deep
        (b"]]][[[", 1, False),  # unbalanced: json.loads refuses it, not the depth check
    ],
)
def test_nesting_depth_counts_only_real_nesting(raw, limit, deeper):
    from sangsaeng.core.json_bounded import nesting_depth

    assert (nesting_depth(raw, limit=limit) > limit) is deeper


def test_a_form_field_of_deeply_nested_json_is_refused_before_any_form_parses_it(db):
    """The passkey sign-in form takes the WebAuthn credential as JSON in a form field, parsed by
    Django's forms.JSONField with plain json.loads: anyone, signed in or not, could send one."""
    client = Client()
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    deep = "[" * 100_000 + "]" * 100_000
    answer = client.post("/accounts/2fa/webauthn/login/", {"credential": deep})
    assert answer.status_code == 400
    api = client.post("/api/v1/contributions/upload", {"title": deep}, HTTP_ACCEPT="application/json")
    assert (api.status_code, assert_problem(api)["code"]) == (400, "json_too_deep")
    fine = client.post("/accounts/2fa/webauthn/login/", {"credential": "[" * 50 + "]" * 50})
    assert fine.status_code != 500
    assert_healthy(client)
