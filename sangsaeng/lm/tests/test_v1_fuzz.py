"""Fuzzing the OpenAI-compatible /v1 API with its own request shapes: chat/completions, completions
and embeddings bodies with random types and lengths, the stream flag, max_tokens extremes, random
bearers, and the models endpoints.

The bundled model answers through the real LM server. No request gives a 5xx; every refusal is
OpenAI's `{"error": {message, type, param, code}}`; a refused request meters nothing; and a good
request is still served after the fuzzing. FUZZ_PROTOCOL_EXAMPLES sets the examples (25 here;
`make fuzz` runs many more, not derandomized).
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sangsaeng.lm.models import UsageDay
from sangsaeng.lm.tests.conftest import error_of, v1_post

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_PROTOCOL_EXAMPLES", "25")),
    deadline=None,
    derandomize=os.environ.get("FUZZ_LONG", "") != "1",
    suppress_health_check=list(HealthCheck),
    database=None,
)
MODEL = "sangsaeng-ko-mini"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
# generation stays short: only small max_tokens can be valid, the extremes must be refused
max_tokens = st.one_of(
    st.integers(1, 3), st.sampled_from([0, -1, 2**31, 2**63, 10**30]), st.floats(allow_nan=False), json_values
)
korean = st.text(alphabet="가나다라마바사아자차카타파하 국민은헌법", max_size=20)
messages = st.one_of(
    st.lists(
        st.fixed_dictionaries(
            {
                "role": st.sampled_from(["user", "system", "assistant"]) | st.text(max_size=8),
                "content": korean | json_values,
            },
            optional={"name": json_values},
        ),
        max_size=3,
    ),
    json_values,
)
model = st.sampled_from([MODEL, MODEL, MODEL, "gpt-4o", ""]) | json_values
common = {
    "stream": st.booleans() | json_values,
    "temperature": st.sampled_from([0, 0.7]) | st.floats(allow_nan=False, allow_infinity=False) | json_values,
    "top_p": st.floats(allow_nan=False) | json_values,
    "n": st.integers(-1, 3) | json_values,
    "stop": st.lists(st.text(max_size=4), max_size=5) | json_values,
    "seed": st.integers() | json_values,
    "user": json_values,
    "stream_options": json_values,
}


def _bodies(path):
    if path == "chat/completions":
        return (
            st.fixed_dictionaries({"model": model, "messages": messages, "max_tokens": max_tokens}, optional=common)
            | json_values
        )
    if path == "completions":
        return (
            st.fixed_dictionaries(
                {"model": model, "prompt": korean | json_values, "max_tokens": max_tokens},
                optional=common,
            )
            | json_values
        )
    return (
        st.fixed_dictionaries(
            {"model": model, "input": korean | st.lists(korean, max_size=3) | json_values},
            optional={
                "encoding_format": st.sampled_from(["float", "base64", "x"]) | json_values,
            },
        )
        | json_values
    )


def _read(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@FUZZ
@given(data=st.data(), path=st.sampled_from(["chat/completions", "completions", "embeddings"]))
def test_v1_answers_in_openai_shape(client, lm_local, alice_key, data, path):
    body = data.draw(_bodies(path))
    metered_before = sum(UsageDay.objects.values_list("requests", flat=True))
    response = v1_post(client, path, body, alice_key.secret)
    content = _read(response)
    assert response.status_code < 500 or response.status_code == 503, (body, response.status_code, content[:300])
    if response.status_code == 200:
        if response["Content-Type"].startswith("text/event-stream"):
            events = [line[6:] for line in content.decode().splitlines() if line.startswith("data: ")]
            assert events[-1] == "[DONE]"
            for event in events[:-1]:
                assert "error" not in json.loads(event), event
        else:
            assert json.loads(content)["object"] in {"chat.completion", "text_completion", "list"}
    else:
        error = error_of(response)
        assert error["type"] and error["message"], error
        if response.status_code == 503:
            # the only tolerated 5xx: the model process is busy or down, said in OpenAI's shape
            assert error["code"] == "model_unavailable", error
        assert sum(UsageDay.objects.values_list("requests", flat=True)) == metered_before


@FUZZ
@given(
    token=st.text(max_size=60) | st.sampled_from(["sk-", "sk-" + "a" * 48]),
    path=st.sampled_from(["models", f"models/{MODEL}", "chat/completions", "completions", "embeddings"]),
)
def test_v1_refuses_random_keys_in_openai_shape(client, alice_key, token, path):
    headers = {"Authorization": f"Bearer {token}"}
    if path.startswith("models"):
        response = client.get(f"/v1/{path}", headers=headers)
    else:
        response = client.post(f"/v1/{path}", {"model": MODEL}, content_type="application/json", headers=headers)
    assert response.status_code == 401, (token, response.status_code)
    assert error_of(response)["type"]


@FUZZ
@given(model=st.text(max_size=30))
def test_models_lookup_never_fails(client, alice_key, model):
    from urllib.parse import quote

    response = client.get(
        f"/v1/models/{quote(model, safe='')}", headers={"Authorization": f"Bearer {alice_key.secret}"}
    )
    assert response.status_code in {200, 404}, (model, response.status_code)
    if response.status_code == 404:
        assert error_of(response)["code"] in {"model_not_found", "unknown_url"}


def test_a_path_v1_does_not_serve_is_openais_json_404(client):
    for path in ("/v1/models/", "/v1/nothing/here", "/v1/"):
        response = client.post(path) if path.endswith("here") else client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json"), path
        assert error_of(response)["code"] == "unknown_url", path


def test_after_the_fuzzing_a_good_request_is_served(client, lm_local, alice_key):
    for bad in ({"model": MODEL, "max_tokens": 2**63, "prompt": "가"}, {"model": MODEL, "stream": "yes", "prompt": []}):
        assert v1_post(client, "completions", bad, alice_key.secret).status_code == 400
    response = v1_post(client, "completions", {"model": MODEL, "prompt": "국민은", "max_tokens": 2}, alice_key.secret)
    assert response.status_code == 200 and response.json()["usage"]["completion_tokens"] <= 2
    assert UsageDay.objects.get().requests == 1
