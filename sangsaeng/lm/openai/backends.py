"""Where generation happens: the local LM process, or an OpenAI-compatible upstream (vLLM).

Both are reached over HTTP with httpx, so no web worker ever imports torch. The local process
streams NDJSON events; they are turned into `Event`s here. An upstream's OpenAI responses are
passed through as they are (see upstream.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from sangsaeng.lm.openai.errors import OpenAIError


@dataclass
class Event:
    kind: str  # "start", "text" or "done"
    text: str = ""
    finish_reason: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0


def served_model_name() -> str:
    """The id clients pass as `model`: LM_MODEL_NAME, else the checkpoint folder's name."""
    from pathlib import PurePath

    if settings.LM_MODEL_NAME:
        return str(settings.LM_MODEL_NAME)
    if settings.LM_MODEL_DIR:
        return PurePath(settings.LM_MODEL_DIR).name
    return "sangsaeng-ko-mini"


def local_url(path: str) -> str:
    return f"http://{settings.LM_SERVER_HOST}:{settings.LM_SERVER_PORT}{path}"


def unavailable(exc: Exception) -> OpenAIError:
    return OpenAIError(
        503,
        f"The language model server is not reachable ({exc.__class__.__name__}); it may still be loading. "
        "언어 모델 서버에 연결할 수 없습니다.",
        type="server_error",
        code="model_unavailable",
    )


def _timeout() -> httpx.Timeout:
    return httpx.Timeout(connect=5.0, read=float(settings.LM_REQUEST_TIMEOUT), write=10.0, pool=5.0)


def local_generate(payload: dict[str, Any]) -> Iterator[Event]:
    """Stream one generation from the LM process. Closing the iterator closes the connection,
    which the LM process takes as a cancellation of this sequence."""
    client = httpx.Client(timeout=_timeout())
    try:
        with client.stream("POST", local_url("/generate"), json=payload) as response:
            if response.status_code != 200:
                response.read()
                try:
                    error = response.json()["error"]
                except (ValueError, KeyError, TypeError):
                    error = {"message": response.text[:200], "type": "server_error"}
                raise OpenAIError(
                    response.status_code,
                    str(error.get("message")),
                    type=str(error.get("type") or "invalid_request_error"),
                    param=error.get("param"),
                    code=error.get("code"),
                )
            for line in response.iter_lines():
                if not line:
                    continue
                item = json.loads(line)
                if "prompt_tokens" in item:
                    yield Event(kind="start", prompt_tokens=int(item["prompt_tokens"]))
                elif item.get("done"):
                    usage = item.get("usage") or {}
                    yield Event(
                        kind="done",
                        finish_reason=str(item.get("finish_reason") or "stop"),
                        prompt_tokens=int(usage.get("prompt_tokens", 0)),
                        completion_tokens=int(usage.get("completion_tokens", 0)),
                    )
                    return
                else:
                    yield Event(kind="text", text=str(item.get("text", "")))
    except httpx.TransportError as exc:
        raise unavailable(exc) from exc
    finally:
        client.close()


def local_embed(texts: list[str]) -> tuple[list[list[float]], int]:
    try:
        response = httpx.post(local_url("/embed"), json={"input": texts}, timeout=_timeout())
    except httpx.TransportError as exc:
        raise unavailable(exc) from exc
    if response.status_code != 200:
        error = response.json().get("error", {})
        raise OpenAIError(
            response.status_code, str(error.get("message")), param=error.get("param"), code=error.get("code")
        )
    body = response.json()
    return body["data"], int(body["prompt_tokens"])


def local_info() -> dict[str, Any] | None:
    try:
        response = httpx.get(local_url("/info"), timeout=2.0)
        return dict(response.json()) if response.status_code == 200 else None
    except (httpx.TransportError, ValueError):
        return None
