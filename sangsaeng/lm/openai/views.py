"""`/v1/`: the OpenAI-compatible API (models, completions, chat completions, embeddings).

Each view: authenticate the key (401), parse the body (400), check the model (404), admit the
request against the key's limits (429), then generate through the local LM process or forward
to LM_BASE_URL. Errors always have OpenAI's shape, so the official SDKs raise the right class.
"""

from __future__ import annotations

import base64
import struct
import time
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from sangsaeng.lm import limits
from sangsaeng.lm.keys import key_authenticate
from sangsaeng.lm.models import ApiKey
from sangsaeng.lm.openai import upstream
from sangsaeng.lm.openai.backends import local_embed, served_model_name
from sangsaeng.lm.openai.errors import OpenAIError, invalid
from sangsaeng.lm.openai.generation import Generation, sse_response, usage_body
from sangsaeng.lm.openai.validation import (
    body_parse,
    embedding_input_parse,
    messages_parse,
    model_name,
    prompt_parse,
    sampling_parse,
)
from sangsaeng.lm.provenance import provenance
from sangsaeng.lm.usage import usage_record

View = Callable[..., HttpResponseBase]


def _authenticate(request: HttpRequest) -> ApiKey:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise OpenAIError(
            401,
            "You didn't provide an API key. Send it as 'Authorization: Bearer sk-ss-…'. API 키가 필요합니다.",
            code="invalid_api_key",
        )
    key = key_authenticate(secret=secret.strip())
    if key is None:
        shown = secret.strip()[:10] + "…"
        raise OpenAIError(
            401, f"Incorrect API key provided: {shown}. 올바르지 않거나 폐기된 API 키입니다.", code="invalid_api_key"
        )
    return key


def openai_view(method: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                if request.method != method:
                    raise OpenAIError(405, f"Use {method} for this endpoint.", code="method_not_allowed")
                key = _authenticate(request)
                return view(request, key, *args, **kwargs)
            except OpenAIError as exc:
                return exc.response()
            except RequestDataTooBig:
                limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
                message = f"The request body is larger than {limit:,} bytes."
                return OpenAIError(413, message, code="request_too_large").response()

        return wrapper

    return decorate


def _check_model(model: str) -> None:
    if model != served_model_name():
        raise OpenAIError(
            404,
            f"The model '{model}' does not exist or you do not have access to it.",
            param="model",
            code="model_not_found",
        )


def _admit(key: ApiKey) -> None:
    try:
        limits.admit(key=key)
    except limits.LimitExceeded as exc:
        error = OpenAIError(
            429,
            exc.message,
            type="insufficient_quota" if exc.kind == "insufficient_quota" else "requests",
            code=exc.kind,
        )
        error.headers["Retry-After"] = str(exc.retry_after)
        raise error from None


def _settler(key: ApiKey) -> Callable[[int, int], None]:
    def settle(prompt_tokens: int, completion_tokens: int) -> None:
        try:
            if prompt_tokens or completion_tokens:  # refused before generating: nothing to meter
                usage_record(key=key, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
        finally:
            limits.release(key=key)

    return settle


def _forward(key: ApiKey, path: str, body: dict[str, Any]) -> HttpResponseBase:
    """LM_BASE_URL mode: the upstream validates the request and owns the model list."""
    _admit(key)
    settle = _settler(key)
    if body.get("stream") is True:
        try:
            lines = upstream.upstream_stream(path, body, on_usage=settle)
        except OpenAIError:
            limits.release(key=key)
            raise
        return sse_response(_closing(lines))
    try:
        data = upstream.upstream_post(
            path, body, on_usage=lambda p, c: usage_record(key=key, prompt_tokens=p, completion_tokens=c)
        )
    finally:
        limits.release(key=key)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _closing(lines: Iterator[bytes]) -> Iterator[bytes]:
    try:
        yield from lines
    finally:
        close = getattr(lines, "close", None)
        if close:
            close()


def _generate(request: HttpRequest, key: ApiKey, *, chat: bool) -> HttpResponseBase:
    body = body_parse(request.body)
    if settings.LM_BASE_URL:
        return _forward(key, "/chat/completions" if chat else "/completions", body)
    model = model_name(body)
    _check_model(model)
    sampling = sampling_parse(body, default_max_tokens=settings.LM_DEFAULT_MAX_TOKENS if chat else 16)
    payload: dict[str, Any] = {"messages": messages_parse(body)} if chat else {"prompt": prompt_parse(body)}
    _admit(key)
    generation = Generation(chat=chat, model=model, payload=payload, sampling=sampling, settle=_settler(key))
    return generation.response()


@openai_view("POST")
def completions(request: HttpRequest, key: ApiKey) -> HttpResponseBase:
    return _generate(request, key, chat=False)


@openai_view("POST")
def chat_completions(request: HttpRequest, key: ApiKey) -> HttpResponseBase:
    return _generate(request, key, chat=True)


@openai_view("POST")
def embeddings(request: HttpRequest, key: ApiKey) -> HttpResponseBase:
    body = body_parse(request.body)
    if settings.LM_BASE_URL:
        return _forward(key, "/embeddings", body)
    model = model_name(body)
    _check_model(model)
    texts = embedding_input_parse(body)
    encoding = body.get("encoding_format") or "float"
    if encoding not in ("float", "base64"):
        raise invalid("encoding_format must be 'float' or 'base64'.", param="encoding_format")
    _admit(key)
    tokens = 0
    try:
        vectors, tokens = local_embed(texts)
    finally:
        _settler(key)(tokens, 0)
    data = [{"object": "embedding", "index": i, "embedding": _encode(v, encoding)} for i, v in enumerate(vectors)]
    usage = usage_body(tokens, 0)
    return JsonResponse(
        {
            "object": "list",
            "data": data,
            "model": model,
            "usage": {"prompt_tokens": tokens, "total_tokens": usage["total_tokens"]},
        }
    )


def _encode(vector: list[float], encoding: str) -> list[float] | str:
    """base64 is little-endian float32, as OpenAI sends it (the openai SDK asks for it by default)."""
    if encoding == "base64":
        return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
    return vector


def _model_card(name: str) -> dict[str, Any]:
    """OpenAI's model object, plus `sangsaeng`: the LM commons snapshot that trained the model and
    the checkpoint's SHA-256, from the served folder's model_card.json (null when it has none).
    OpenAI's SDKs keep unknown fields (`model.model_extra`)."""
    card = {"id": name, "object": "model", "created": int(time.time()) // 86400 * 86400, "owned_by": "sangsaeng"}
    return card | {"sangsaeng": provenance()}


@openai_view("GET")
def models(request: HttpRequest, key: ApiKey) -> HttpResponse:
    if settings.LM_BASE_URL:
        return JsonResponse(upstream.upstream_get("/models"))
    return JsonResponse({"object": "list", "data": [_model_card(served_model_name())]})


@openai_view("GET")
def model_detail(request: HttpRequest, key: ApiKey, model: str) -> HttpResponse:
    if settings.LM_BASE_URL:
        return JsonResponse(upstream.upstream_get(f"/models/{model}"))
    _check_model(model)
    return JsonResponse(_model_card(model))


@csrf_exempt
def unknown_url(request: HttpRequest) -> HttpResponse:
    """What OpenAI answers for a path it does not serve: 404 in its error shape, before any key check."""
    return OpenAIError(404, f"Invalid URL ({request.method} {request.path})", code="unknown_url").response()
