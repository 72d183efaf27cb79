"""Parse and check OpenAI request bodies before anything is forwarded or counted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from sangsaeng.core.json_bounded import loads_bounded
from sangsaeng.lm.openai.errors import invalid

ROLES = ("system", "user", "assistant", "developer")


@dataclass
class Sampling:
    max_tokens: int
    temperature: float
    top_p: float
    stop: list[str] = field(default_factory=list)
    seed: int | None = None
    stream: bool = False
    include_usage: bool = False
    ignore_eos: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "stop": self.stop,
            "seed": self.seed,
            "timeout": settings.LM_REQUEST_TIMEOUT,
            "ignore_eos": self.ignore_eos,
        }


def body_parse(raw: bytes) -> dict[str, Any]:
    try:
        body = loads_bounded(raw or b"")
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested thousands deep
        raise invalid("We could not parse the JSON body of your request.", param=None, code=None) from None
    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object.", param=None, code=None)
    return body


def _number(body: dict[str, Any], name: str, default: float, low: float, high: float) -> float:
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise invalid(
            f"{value!r} is not a valid value for '{name}': expected a number from {low} to {high}.", param=name
        )
    return float(value)


def _integer(body: dict[str, Any], name: str, default: int | None, low: int, high: int) -> int | None:
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise invalid(
            f"{value!r} is not a valid value for '{name}': expected an integer from {low} to {high}.", param=name
        )
    return value


def model_name(body: dict[str, Any]) -> str:
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise invalid("you must provide a model parameter", param="model", code=None)
    return model


def sampling_parse(body: dict[str, Any], *, default_max_tokens: int) -> Sampling:
    limit = settings.LM_MAX_TOKENS
    max_tokens = _integer(body, "max_completion_tokens", None, 1, limit)
    max_tokens = _integer(body, "max_tokens", max_tokens or default_max_tokens, 1, limit)
    n = _integer(body, "n", 1, 1, 1)
    del n  # one choice per request; anything else is refused above
    stop = body.get("stop")
    if stop is None:
        stops: list[str] = []
    elif isinstance(stop, str):
        stops = [stop]
    elif isinstance(stop, list) and len(stop) <= 4 and all(isinstance(s, str) for s in stop):
        stops = list(stop)
    else:
        raise invalid("'stop' must be a string or a list of up to 4 strings.", param="stop")
    if any(len(s) > 200 for s in stops):
        raise invalid("Each stop sequence must be at most 200 characters.", param="stop")
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise invalid("'stream' must be a boolean.", param="stream")
    ignore_eos = body.get("ignore_eos", False)  # vLLM's extension: generate exactly max_tokens
    if not isinstance(ignore_eos, bool):
        raise invalid("'ignore_eos' must be a boolean.", param="ignore_eos")
    options = body.get("stream_options") or {}
    if not isinstance(options, dict):
        raise invalid("'stream_options' must be an object.", param="stream_options")
    return Sampling(
        max_tokens=int(max_tokens or default_max_tokens),
        temperature=_number(body, "temperature", 1.0, 0.0, 2.0),
        top_p=_number(body, "top_p", 1.0, 0.0, 1.0) or 1.0,
        stop=[s for s in stops if s],
        seed=_integer(body, "seed", None, -(2**63), 2**63 - 1),
        stream=stream,
        include_usage=bool(options.get("include_usage")),
        ignore_eos=ignore_eos,
    )


def prompt_parse(body: dict[str, Any]) -> str:
    prompt = body.get("prompt")
    if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], str):
        prompt = prompt[0]
    if not isinstance(prompt, str):
        raise invalid("'prompt' must be a string (one prompt per request).", param="prompt")
    if len(prompt) > settings.LM_MAX_PROMPT_CHARS:
        raise invalid(
            f"'prompt' is longer than {settings.LM_MAX_PROMPT_CHARS} characters, "
            "more than this model's context length.",
            param="prompt",
            code="context_length_exceeded",
        )
    return prompt


def _content(value: Any, index: int) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for part in value:
            if not isinstance(part, dict) or part.get("type") != "text" or not isinstance(part.get("text"), str):
                raise invalid(
                    f"messages[{index}].content: only text parts are supported.", param=f"messages[{index}].content"
                )
            parts.append(part["text"])
        return "".join(parts)
    raise invalid(
        f"messages[{index}].content must be a string or a list of text parts.", param=f"messages[{index}].content"
    )


def messages_parse(body: dict[str, Any]) -> list[dict[str, str]]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise invalid("'messages' must be a non-empty array of messages.", param="messages")
    parsed = []
    total = 0
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            raise invalid(f"messages[{index}] must be an object with 'role' and 'content'.", param=f"messages[{index}]")
        role = message.get("role")
        if role not in ROLES:
            raise invalid(f"messages[{index}].role must be one of {', '.join(ROLES)}.", param=f"messages[{index}].role")
        content = _content(message.get("content"), index)
        total += len(content)
        parsed.append({"role": "system" if role == "developer" else str(role), "content": content})
    if total > settings.LM_MAX_PROMPT_CHARS:
        raise invalid(
            f"The messages are longer than {settings.LM_MAX_PROMPT_CHARS} characters, "
            "more than this model's context length.",
            param="messages",
            code="context_length_exceeded",
        )
    return parsed


def embedding_input_parse(body: dict[str, Any]) -> list[str]:
    value = body.get("input")
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) and t for t in texts) or len(texts) > 64:
        raise invalid("'input' must be a non-empty string or an array of 1 to 64 non-empty strings.", param="input")
    if sum(len(t) for t in texts) > settings.LM_MAX_PROMPT_CHARS * 4:
        raise invalid("'input' is too long.", param="input", code="context_length_exceeded")
    return texts
