"""The official openai SDK against a live server: completions, chat, streaming chat, embeddings,
with usage counts that match what was metered for the key."""

from __future__ import annotations

import re
import time

import pytest
from openai import OpenAI

from sangsaeng.lm.models import UsageDay

pytestmark = pytest.mark.django_db(transaction=True)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
MODEL = "sangsaeng-ko-mini"


@pytest.fixture
def client(live_server, lm_local, alice_key):
    return OpenAI(base_url=f"{live_server.url}/v1", api_key=alice_key.secret, max_retries=0, timeout=120)


def _metered(key) -> tuple[int, int, int]:
    # a stream is metered before its [DONE]; the wait only covers a server slower than the client
    deadline = time.monotonic() + 10
    while (row := UsageDay.objects.filter(key=key).first()) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert row is not None, "the request was never metered"
    return row.requests, row.prompt_tokens, row.completion_tokens


def test_models_lists_the_served_model(client):
    assert [m.id for m in client.models.list().data] == [MODEL]
    assert client.models.retrieve(MODEL).id == MODEL
    # provenance rides along as an extra field, which the SDK keeps (the bundled model: no snapshot)
    extra = client.models.retrieve(MODEL).model_extra["sangsaeng"]
    assert extra["snapshot"] is None and len(extra["checkpoint_sha256"]) == 64


def test_completion_returns_korean_text_and_usage(client, alice_key):
    result = client.completions.create(model=MODEL, prompt="대한민국 헌법", max_tokens=12, temperature=0, seed=1)
    choice = result.choices[0]
    assert HANGUL.search(choice.text)
    assert choice.finish_reason in ("stop", "length")
    assert result.usage.prompt_tokens > 0
    assert 0 < result.usage.completion_tokens <= 12
    assert result.usage.total_tokens == result.usage.prompt_tokens + result.usage.completion_tokens
    assert _metered(alice_key.key) == (1, result.usage.prompt_tokens, result.usage.completion_tokens)


def test_chat_completion_uses_the_chat_template(client, alice_key):
    result = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "system", "content": "친절하게 답하세요."}, {"role": "user", "content": "국회의 권한은?"}],
        max_tokens=10,
        temperature=0.7,
        top_p=0.9,
        seed=3,
    )
    assert result.object == "chat.completion"
    assert result.choices[0].message.role == "assistant"
    # <|system|>\n...\n<|user|>\n...\n<|assistant|>\n, with [BOS] in front: more tokens than the texts alone
    assert result.usage.prompt_tokens > 8
    assert _metered(alice_key.key) == (1, result.usage.prompt_tokens, result.usage.completion_tokens)


def test_streaming_chat_sends_deltas_then_usage(client, alice_key):
    stream = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "대한민국의 주권은"}],
        max_tokens=16,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    usage = chunks[-1].usage
    assert chunks[0].choices[0].delta.role == "assistant"
    assert finishes in (["stop"], ["length"])
    assert usage is not None and usage.completion_tokens > 0
    assert HANGUL.search(text) or usage.completion_tokens == 1
    assert _metered(alice_key.key) == (1, usage.prompt_tokens, usage.completion_tokens)


def test_streamed_and_plain_greedy_text_agree(client):
    plain = client.completions.create(model=MODEL, prompt="국민의 권리", max_tokens=10, temperature=0)
    streamed = "".join(
        c.choices[0].text
        for c in client.completions.create(model=MODEL, prompt="국민의 권리", max_tokens=10, temperature=0, stream=True)
        if c.choices
    )
    assert streamed == plain.choices[0].text


def test_embeddings_are_mean_pooled_hidden_states(client, lm_engine):
    result = client.embeddings.create(model=MODEL, input=["대한민국", "국회"])
    width = lm_engine.runtime.model.config.n_embd
    assert [len(d.embedding) for d in result.data] == [width, width]
    assert result.data[0].embedding != result.data[1].embedding
    assert result.usage.prompt_tokens > 0
