"""Bad requests get OpenAI-style errors with the right status, nothing is metered, and the server
keeps serving the next request."""

from __future__ import annotations

import pytest

from sangsaeng.lm.models import UsageDay
from sangsaeng.lm.tests.conftest import error_of, v1_post

MODEL = "sangsaeng-ko-mini"


@pytest.mark.parametrize(
    ("path", "body", "param", "code"),
    [
        ("completions", {"model": MODEL, "prompt": "가", "temperature": -1}, "temperature", "invalid_value"),
        ("completions", {"model": MODEL, "prompt": "가", "temperature": 1e9}, "temperature", "invalid_value"),
        ("completions", {"model": MODEL, "prompt": "가", "top_p": 1.5}, "top_p", "invalid_value"),
        ("completions", {"model": MODEL, "prompt": "가", "max_tokens": -5}, "max_tokens", "invalid_value"),
        ("completions", {"model": MODEL, "prompt": "가", "max_tokens": 10**9}, "max_tokens", "invalid_value"),
        ("completions", {"model": MODEL, "prompt": "가", "n": 3}, "n", "invalid_value"),
        ("completions", {"model": MODEL, "prompt": "가", "stop": [1, 2]}, "stop", "invalid_value"),
        ("completions", {"model": MODEL, "prompt": "가", "seed": "x"}, "seed", "invalid_value"),
        ("completions", {"model": MODEL, "prompt": 42}, "prompt", "invalid_value"),
        ("completions", {"prompt": "가"}, "model", None),
        ("chat/completions", {"model": MODEL, "messages": "안녕"}, "messages", "invalid_value"),
        ("chat/completions", {"model": MODEL, "messages": []}, "messages", "invalid_value"),
        ("chat/completions", {"model": MODEL, "messages": [{"content": "안녕"}]}, "messages[0].role", "invalid_value"),
        (
            "chat/completions",
            {"model": MODEL, "messages": [{"role": "robot", "content": "안녕"}]},
            "messages[0].role",
            "invalid_value",
        ),
        (
            "chat/completions",
            {"model": MODEL, "messages": [{"role": "user", "content": {"x": 1}}]},
            "messages[0].content",
            "invalid_value",
        ),
        (
            "chat/completions",
            {"model": MODEL, "messages": [{"role": "user", "content": [{"type": "image_url"}]}]},
            "messages[0].content",
            "invalid_value",
        ),
        ("embeddings", {"model": MODEL, "input": []}, "input", "invalid_value"),
    ],
)
def test_invalid_values_are_400_invalid_request_error(client, lm_local, alice_key, path, body, param, code):
    response = v1_post(client, path, body, alice_key.secret)
    assert response.status_code == 400
    error = error_of(response)
    assert (error["type"], error["param"], error["code"]) == ("invalid_request_error", param, code)
    assert not UsageDay.objects.exists()


def test_malformed_json_is_400(client, lm_local, alice_key):
    response = client.post(
        "/v1/chat/completions",
        b"{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {alice_key.secret}"},
    )
    assert response.status_code == 400
    assert error_of(response)["type"] == "invalid_request_error"


def test_unknown_model_is_404_model_not_found(client, lm_local, alice_key):
    response = v1_post(
        client,
        "chat/completions",
        {"model": "gpt-4o", "messages": [{"role": "user", "content": "안녕"}]},
        alice_key.secret,
    )
    assert response.status_code == 404
    assert error_of(response) | {"message": ""} == {
        "message": "",
        "type": "invalid_request_error",
        "param": "model",
        "code": "model_not_found",
    }
    assert client.get("/v1/models/gpt-4o", headers={"Authorization": f"Bearer {alice_key.secret}"}).status_code == 404


def test_a_prompt_over_the_context_length_is_refused_and_others_still_served(client, lm_local, lm_engine, alice_key):
    # given a prompt of more tokens than the model's context
    long_prompt = "대한민국 헌법 제1조 " * lm_engine.runtime.context_length
    # when it is sent
    response = v1_post(
        client, "completions", {"model": MODEL, "prompt": long_prompt, "max_tokens": 4}, alice_key.secret
    )
    # then it is a 400 context_length_exceeded, not metered
    assert response.status_code == 400
    assert error_of(response)["code"] == "context_length_exceeded"
    assert error_of(response)["param"] == "prompt"
    # and the same is true when the prompt fits but prompt + max_tokens does not
    fits = "대한민국 " * 10
    response = v1_post(client, "completions", {"model": MODEL, "prompt": fits, "max_tokens": 512}, alice_key.secret)
    assert response.status_code == 400
    assert error_of(response)["code"] == "context_length_exceeded"
    assert not UsageDay.objects.exists()
    # and the next good request is served
    response = v1_post(
        client, "completions", {"model": MODEL, "prompt": "국민은", "max_tokens": 3, "temperature": 0}, alice_key.secret
    )
    assert response.status_code == 200
    assert response.json()["usage"]["completion_tokens"] <= 3
    assert UsageDay.objects.get().requests == 1


def test_wrong_method_is_refused_in_openai_shape(client, alice_key):
    response = client.get("/v1/chat/completions", headers={"Authorization": f"Bearer {alice_key.secret}"})
    assert response.status_code == 405
    error_of(response)


def test_the_lm_process_down_is_503_in_openai_shape(client, settings, alice_key):
    settings.LM_SERVER_PORT = 9  # nothing listens on the discard port
    response = v1_post(client, "completions", {"model": MODEL, "prompt": "가", "max_tokens": 2}, alice_key.secret)
    assert response.status_code == 503
    assert error_of(response)["code"] == "model_unavailable"
