"""The LM process: loads the model once and serves the web workers over loopback HTTP.

`sangsaeng serve` starts it as a child process (see apps.py); the /v1 views in every WSGI worker
forward to it. Routes (internal, JSON in, JSON or NDJSON out):
- GET  /info      model name, context length, device, dtype
- POST /generate  {"prompt" | "messages", "max_tokens", "temperature", "top_p", "stop", "seed"}
                  -> NDJSON lines {"prompt_tokens": n}, {"text": ...}, ...,
                     then {"done": true, "finish_reason", "usage": {...}}
- POST /embed     {"input": [str, ...]} -> {"data": [[float, ...]], "prompt_tokens": n}
- POST /tokenize  {"prompt" | "messages"} -> {"count": n}

A client that closes its connection cancels its sequence: the handler watches the socket while it
waits for tokens and tells the batch loop to stop generating for that row.
"""

from __future__ import annotations

import json
import logging
import select
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sangsaeng.lm.engine.batching import Engine
from sangsaeng.lm.engine.sequence import GenerationRequest

log = logging.getLogger(__name__)


class LMServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], engine: Engine) -> None:
        super().__init__(address, LMHandler)
        self.engine = engine


class BadInput(Exception):
    def __init__(self, message: str, *, param: str | None = None, code: str = "invalid_value") -> None:
        super().__init__(message)
        self.param = param
        self.code = code


def _client_gone(connection: socket.socket) -> bool:
    readable, _, _ = select.select([connection], [], [], 0)
    if not readable:
        return False
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


class LMHandler(BaseHTTPRequestHandler):
    server: LMServer
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug(format, *args)

    def _json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, exc: BadInput) -> None:
        self._json(
            status,
            {"error": {"message": str(exc), "type": "invalid_request_error", "param": exc.param, "code": exc.code}},
        )

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError as exc:
            raise BadInput("body is not JSON") from exc
        if not isinstance(body, dict):
            raise BadInput("body must be a JSON object")
        return body

    def do_GET(self) -> None:
        runtime = self.server.engine.runtime
        if self.path == "/info":
            self._json(
                200,
                {
                    "model": runtime.name,
                    "context_length": runtime.context_length,
                    "device": runtime.device,
                    "dtype": runtime.dtype,
                    "max_batch": self.server.engine.max_batch,
                    "batches": self.server.engine.batches,
                    "batched_sequences": self.server.engine.batched_sequences,
                },
            )
        else:
            self._json(
                404,
                {"error": {"message": "no such route", "type": "invalid_request_error", "param": None, "code": None}},
            )

    def do_POST(self) -> None:
        try:
            body = self._body()
            if self.path == "/generate":
                self._generate(body)
            elif self.path == "/embed":
                self._embed(body)
            elif self.path == "/tokenize":
                self._json(200, {"count": len(self._prompt_ids(body))})
            else:
                raise BadInput("no such route")
        except BadInput as exc:
            self._error(400, exc)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _prompt_ids(self, body: dict[str, Any]) -> list[int]:
        engine = self.server.engine
        try:
            return engine.encode(prompt=body.get("prompt"), messages=body.get("messages"))
        except Exception as exc:  # a template that can't render these messages
            raise BadInput(f"could not build the prompt: {exc}", param="messages") from exc

    def _generate(self, body: dict[str, Any]) -> None:
        engine = self.server.engine
        ids = self._prompt_ids(body)
        max_tokens = int(body.get("max_tokens") or 16)
        context = engine.runtime.context_length
        if len(ids) + max_tokens > context:
            raise BadInput(
                f"This model's maximum context length is {context} tokens. However, you requested "
                f"{len(ids) + max_tokens} tokens ({len(ids)} in the prompt, {max_tokens} for the completion). "
                "Please reduce the length of the prompt or max_tokens.",
                param="messages" if body.get("messages") is not None else "prompt",
                code="context_length_exceeded",
            )
        sequence = engine.submit(
            GenerationRequest(
                prompt_ids=ids,
                max_tokens=max_tokens,
                temperature=float(body.get("temperature", 1.0)),
                top_p=float(body.get("top_p", 1.0)),
                stop=[str(s) for s in body.get("stop") or [] if s],
                seed=body.get("seed"),
                timeout=float(body.get("timeout", 120)),
                ignore_eos=bool(body.get("ignore_eos", False)),
            )
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.end_headers()
        try:
            self.wfile.write(json.dumps({"prompt_tokens": len(ids)}).encode() + b"\n")
            self.wfile.flush()
            while True:
                try:
                    event = sequence.events.get(timeout=0.25)
                except Exception:  # queue.Empty: check the client is still there
                    if _client_gone(self.connection):
                        sequence.cancel()
                        return
                    continue
                if event.kind == "text":
                    line: dict[str, Any] = {"text": event.text}
                else:
                    line = {
                        "done": True,
                        "finish_reason": event.finish_reason,
                        "usage": {"prompt_tokens": event.prompt_tokens, "completion_tokens": event.completion_tokens},
                    }
                self.wfile.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")
                self.wfile.flush()
                if event.kind == "done":
                    return
        except OSError:
            sequence.cancel()

    def _embed(self, body: dict[str, Any]) -> None:
        texts = body.get("input")
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise BadInput("input must be a list of strings", param="input")
        vectors, tokens = self.server.engine.embed(texts)
        self._json(200, {"data": vectors, "prompt_tokens": tokens})


def server_make(*, engine: Engine, host: str, port: int) -> LMServer:
    return LMServer((host, port), engine)


def server_start_thread(server: LMServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    return thread
