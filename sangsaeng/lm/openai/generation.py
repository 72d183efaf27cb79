"""Run one completion or chat request through the local LM process and answer as OpenAI does:
one JSON body, or a server-sent event stream ending in `data: [DONE]`.

Metering and the key's concurrency slot are settled in `finally`, so a stream the client drops
half-way is still counted (the tokens generated until then) and frees its slot; closing the
event iterator closes the loopback connection, which stops generation for that sequence.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse

from sangsaeng.lm.openai.backends import Event, local_generate
from sangsaeng.lm.openai.errors import OpenAIError
from sangsaeng.lm.openai.validation import Sampling

Settle = Callable[[int, int], None]


def _finish_reason(reason: str) -> str:
    if reason.startswith("error"):
        raise OpenAIError(500, f"The model failed while generating ({reason}).", type="server_error", code=None)
    return "length" if reason == "length" else "stop"


def usage_body(prompt: int, completion: int) -> dict[str, int]:
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


class Generation:
    """One request: `chat` selects the chat.completion shapes, else text_completion."""

    def __init__(self, *, chat: bool, model: str, payload: dict[str, Any], sampling: Sampling, settle: Settle) -> None:
        self.chat = chat
        self.model = model
        self.sampling = sampling
        self.settle = settle
        self.id = ("chatcmpl-" if chat else "cmpl-") + secrets.token_hex(12)
        self.created = int(time.time())
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.text_events = 0
        self.finished = False
        self.events = local_generate({**payload, **sampling.payload()})

    def open(self) -> None:
        """Start generating; a refusal from the LM process (context length) raises here."""
        try:
            first = next(self.events)
        except StopIteration:
            first = Event(kind="done", finish_reason="error: empty")
        except OpenAIError:
            self._settle()
            raise
        self.prompt_tokens = first.prompt_tokens

    def _settle(self) -> None:
        if not self.finished:
            self.finished = True
            self.settle(self.prompt_tokens, self.completion_tokens or self.text_events)

    def _chunk(self, *, text: str | None = None, finish: str | None = None, role: bool = False) -> bytes:
        if self.chat:
            delta: dict[str, Any] = {}
            if role:
                delta["role"] = "assistant"
            if text is not None:
                delta["content"] = text
            choice: dict[str, Any] = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
            body = {"id": self.id, "object": "chat.completion.chunk", "created": self.created, "model": self.model}
        else:
            choice = {"index": 0, "text": text or "", "logprobs": None, "finish_reason": finish}
            body = {"id": self.id, "object": "text_completion", "created": self.created, "model": self.model}
        return self._sse({**body, "choices": [choice]})

    @staticmethod
    def _sse(body: dict[str, Any]) -> bytes:
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n".encode()

    def stream(self) -> Iterator[bytes]:
        try:
            if self.chat:
                yield self._chunk(text="", role=True)
            for event in self.events:
                if event.kind == "text":
                    self.text_events += 1
                    yield self._chunk(text=event.text)
                elif event.kind == "done":
                    self.completion_tokens = event.completion_tokens
                    try:
                        reason = _finish_reason(event.finish_reason)
                    except OpenAIError as exc:
                        yield self._sse(exc.body())
                        break
                    yield self._chunk(finish=reason) if self.chat else self._chunk(text="", finish=reason)
                    if self.sampling.include_usage:
                        usage = usage_body(self.prompt_tokens, self.completion_tokens)
                        kind = "chat.completion.chunk" if self.chat else "text_completion"
                        yield self._sse(
                            {
                                "id": self.id,
                                "object": kind,
                                "created": self.created,
                                "model": self.model,
                                "choices": [],
                                "usage": usage,
                            }
                        )
            # metered before the end of the stream, so a client that has read [DONE] finds it counted
            _close(self.events)
            self._settle()
            yield b"data: [DONE]\n\n"
        finally:
            _close(self.events)
            self._settle()

    def collect(self) -> dict[str, Any]:
        text: list[str] = []
        reason = "stop"
        try:
            for event in self.events:
                if event.kind == "text":
                    text.append(event.text)
                    self.text_events += 1
                elif event.kind == "done":
                    self.completion_tokens = event.completion_tokens
                    reason = _finish_reason(event.finish_reason)
        finally:
            _close(self.events)
            self._settle()
        content = "".join(text)
        usage = usage_body(self.prompt_tokens, self.completion_tokens)
        if self.chat:
            choice: dict[str, Any] = {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "logprobs": None,
                "finish_reason": reason,
            }
            kind = "chat.completion"
        else:
            choice = {"index": 0, "text": content, "logprobs": None, "finish_reason": reason}
            kind = "text_completion"
        return {
            "id": self.id,
            "object": kind,
            "created": self.created,
            "model": self.model,
            "choices": [choice],
            "usage": usage,
        }

    def response(self) -> HttpResponse | StreamingHttpResponse:
        self.open()
        if self.sampling.stream:
            return sse_response(self.stream())
        return JsonResponse(self.collect(), json_dumps_params={"ensure_ascii": False})


def sse_response(chunks: Iterator[bytes]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


def _close(events: object) -> None:
    """Stop a generator early (a disconnected client cancels its sequence)."""
    close = getattr(events, "close", None)
    if close is not None:
        close()
