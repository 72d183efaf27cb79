"""The model the project ships: loads offline, is small, matches its card, and writes Korean."""

from __future__ import annotations

import re

from sangsaeng.lm.engine.runtime import BUNDLED_MODEL_DIR
from sangsaeng.lm.engine.sequence import Event, GenerationRequest
from sangsaeng.lm.training.train import sha256_file

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _generate(engine, prompt: str, **kwargs) -> tuple[str, Event]:
    sequence = engine.submit(GenerationRequest(prompt_ids=engine.encode(prompt=prompt), **kwargs))
    text: list[str] = []
    while True:
        event = sequence.events.get(timeout=60)
        if event.kind == "done":
            return "".join(text), event
        text.append(event.text)


def test_it_is_committed_under_30_mb_and_matches_its_model_card():
    files = {p.name: p.stat().st_size for p in BUNDLED_MODEL_DIR.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "MODEL_CARD.md"} <= set(
        files
    )
    assert sum(files.values()) < 30 * 1024 * 1024
    card = (BUNDLED_MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert sha256_file(BUNDLED_MODEL_DIR / "model.safetensors") in card


def test_a_korean_prompt_yields_hangul(lm_engine):
    text, done = _generate(lm_engine, "대한민국 헌법", max_tokens=24, temperature=0.0)
    assert HANGUL.search(text), text
    assert done.completion_tokens > 0


def test_it_has_kogpt_special_tokens_and_a_chat_template(lm_engine):
    tokenizer = lm_engine.runtime.tokenizer
    assert (tokenizer.bos_token, tokenizer.eos_token, tokenizer.pad_token) == ("[BOS]", "[EOS]", "[PAD]")
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": "안녕"}], add_generation_prompt=True, tokenize=False
    )
    assert prompt == "<|user|>\n안녕\n<|assistant|>\n"
    assert lm_engine.runtime.model.config.model_type == "gptj"
    assert lm_engine.runtime.dtype == "float32"


def test_the_same_seed_gives_the_same_text(lm_engine):
    first, _ = _generate(lm_engine, "국민은", max_tokens=12, temperature=1.0, seed=7)
    second, _ = _generate(lm_engine, "국민은", max_tokens=12, temperature=1.0, seed=7)
    assert first == second


def test_stop_sequences_end_the_text_before_them(lm_engine):
    text, done = _generate(lm_engine, "대한민국 헌법", max_tokens=40, temperature=0.0)
    assert len(text) > 3
    stop = text[2:4]
    cut, done = _generate(lm_engine, "대한민국 헌법", max_tokens=40, temperature=0.0, stop=[stop])
    assert cut == text[: text.index(stop)]
    assert done.finish_reason == "stop"
