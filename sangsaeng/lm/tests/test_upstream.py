"""LM_BASE_URL: /v1 forwards to an OpenAI-compatible server (vLLM); here a small real HTTP server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from openai import OpenAI

from sangsaeng.lm.models import UsageDay
from sangsaeng.lm.tests.conftest import error_of, v1_post

UPSTREAM_MODEL = "EleutherAI/polyglot-ko-1.3b"


class FakeVLLM(BaseHTTPRequestHandler):
    received: list[tuple[str, dict, str]] = []

    def log_message(self, *args):
        pass

    def _send(self, status, body):
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        FakeVLLM.received.append((self.path, {}, self.headers.get("Authorization", "")))
        self._send(
            200,
            {"object": "list", "data": [{"id": UPSTREAM_MODEL, "object": "model", "created": 0, "owned_by": "vllm"}]},
        )

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeVLLM.received.append((self.path, body, self.headers.get("Authorization", "")))
        if body.get("model") != UPSTREAM_MODEL:
            self._send(
                404,
                {
                    "error": {
                        "message": "no such model",
                        "type": "NotFoundError",
                        "param": "model",
                        "code": "model_not_found",
                    }
                },
            )
            return
        words = ["안녕", "하세요", "!"]
        if not body.get("stream"):
            self._send(
                200,
                {
                    "id": "chatcmpl-up",
                    "object": "chat.completion",
                    "created": 1,
                    "model": UPSTREAM_MODEL,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": "".join(words)},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10},
                },
            )
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for i, word in enumerate(words):
            delta = {"role": "assistant", "content": word} if i == 0 else {"content": word}
            chunk = {
                "id": "c",
                "object": "chat.completion.chunk",
                "created": 1,
                "model": UPSTREAM_MODEL,
                "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
            }
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
        if (body.get("stream_options") or {}).get("include_usage"):
            usage = {
                "id": "c",
                "object": "chat.completion.chunk",
                "created": 1,
                "model": UPSTREAM_MODEL,
                "choices": [],
                "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10},
            }
            self.wfile.write(f"data: {json.dumps(usage)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")


@pytest.fixture
def upstream(settings):
    FakeVLLM.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeVLLM)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.LM_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}/v1"
    settings.LM_API_KEY = "upstream-secret"
    yield FakeVLLM.received
    server.shutdown()
    server.server_close()


def test_chat_is_forwarded_with_the_upstream_key_and_metered(client, upstream, alice_key):
    body = {"model": UPSTREAM_MODEL, "messages": [{"role": "user", "content": "안녕?"}], "max_tokens": 5}
    response = v1_post(client, "chat/completions", body, alice_key.secret)
    assert response.status_code == 200
    assert response.json()["choices"][0]["message"]["content"] == "안녕하세요!"
    assert upstream == [("/v1/chat/completions", body, "Bearer upstream-secret")]
    row = UsageDay.objects.get()
    assert (row.requests, row.prompt_tokens, row.completion_tokens) == (1, 7, 3)


def test_streaming_is_forwarded_and_metered_even_without_include_usage(client, upstream, alice_key):
    body = {"model": UPSTREAM_MODEL, "messages": [{"role": "user", "content": "안녕?"}], "stream": True}
    response = v1_post(client, "chat/completions", body, alice_key.secret)
    assert response.status_code == 200
    events = b"".join(response.streaming_content).decode().split("\n\n")
    data = [e.removeprefix("data: ") for e in events if e]
    assert data[-1] == "[DONE]"
    chunks = [json.loads(d) for d in data[:-1]]
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks) == "안녕하세요!"
    assert all(c["choices"] for c in chunks)  # the usage chunk we asked for is not passed on
    assert upstream[0][1]["stream_options"] == {"include_usage": True}
    row = UsageDay.objects.get()
    assert (row.prompt_tokens, row.completion_tokens) == (7, 3)


def test_upstream_errors_pass_through_in_openai_shape(client, upstream, alice_key):
    response = v1_post(
        client, "chat/completions", {"model": "nope", "messages": [{"role": "user", "content": "x"}]}, alice_key.secret
    )
    assert response.status_code == 404
    assert error_of(response)["code"] == "model_not_found"
    assert not UsageDay.objects.filter(completion_tokens__gt=0).exists()


@pytest.mark.django_db(transaction=True)
def test_the_openai_sdk_streams_through_the_forwarder(live_server, upstream, alice_key):
    sdk = OpenAI(base_url=f"{live_server.url}/v1", api_key=alice_key.secret, max_retries=0)
    assert [m.id for m in sdk.models.list().data] == [UPSTREAM_MODEL]
    stream = sdk.chat.completions.create(
        model=UPSTREAM_MODEL,
        messages=[{"role": "user", "content": "안녕?"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "안녕하세요!"
    usage = chunks[-1].usage
    assert usage is not None and usage.total_tokens == 10
