"""Forwarding to an OpenAI-compatible server (vLLM, another sangsaeng) set in LM_BASE_URL.

The request body goes upstream unchanged except that streaming asks for the usage chunk
(`stream_options.include_usage`), so every request is metered even when the client did not ask
for usage; that chunk is dropped again before the client sees it unless the client asked.
Upstream errors pass through with their status and body.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from django.conf import settings

from sangsaeng.lm.openai.backends import unavailable
from sangsaeng.lm.openai.errors import OpenAIError

UsageSink = Callable[[int, int], None]


def _headers() -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if settings.LM_API_KEY:
        headers["Authorization"] = f"Bearer {settings.LM_API_KEY}"
    return headers


def _url(path: str) -> str:
    return settings.LM_BASE_URL.rstrip("/") + path


def _timeout() -> httpx.Timeout:
    return httpx.Timeout(connect=5.0, read=float(settings.LM_REQUEST_TIMEOUT), write=10.0, pool=5.0)


def _raise_for(response: httpx.Response) -> None:
    if response.status_code < 400:
        return
    response.read()
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        error = {"message": response.text[:300] or "upstream error", "type": "server_error"}
    raise OpenAIError(
        response.status_code,
        str(error.get("message")),
        type=str(error.get("type") or "server_error"),
        param=error.get("param"),
        code=error.get("code"),
    )


def upstream_get(path: str) -> dict[str, Any]:
    try:
        response = httpx.get(_url(path), headers=_headers(), timeout=_timeout())
    except httpx.TransportError as exc:
        raise unavailable(exc) from exc
    _raise_for(response)
    return dict(response.json())


def upstream_post(path: str, body: dict[str, Any], *, on_usage: UsageSink) -> dict[str, Any]:
    try:
        response = httpx.post(_url(path), json=body, headers=_headers(), timeout=_timeout())
    except httpx.TransportError as exc:
        raise unavailable(exc) from exc
    _raise_for(response)
    data = dict(response.json())
    usage = data.get("usage") or {}
    on_usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))
    return data


def upstream_stream(path: str, body: dict[str, Any], *, on_usage: UsageSink) -> Iterator[bytes]:
    """Open the upstream stream (errors raise before the first byte) and yield SSE lines."""
    wants_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    sent = {**body, "stream_options": {**(body.get("stream_options") or {}), "include_usage": True}}
    client = httpx.Client(timeout=_timeout())
    try:
        context = client.stream("POST", _url(path), json=sent, headers=_headers())
        response = context.__enter__()
    except httpx.TransportError as exc:
        client.close()
        raise unavailable(exc) from exc
    try:
        _raise_for(response)
    except OpenAIError:
        context.__exit__(None, None, None)
        client.close()
        raise

    def lines() -> Iterator[bytes]:
        counted = False
        chunks = 0
        try:
            for line in response.iter_lines():
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data != "[DONE]":
                    chunk = json.loads(data)
                    usage = chunk.get("usage")
                    if usage and not chunk.get("choices"):
                        on_usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))
                        counted = True
                        if not wants_usage:
                            continue
                    elif chunk.get("choices"):
                        chunks += 1
                yield f"data: {data}\n\n".encode()
        finally:
            if not counted:  # an upstream without usage chunks: count one token per content chunk
                on_usage(0, chunks)
            context.__exit__(None, None, None)
            client.close()

    return lines()
