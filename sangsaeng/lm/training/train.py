"""Train the bundled model: a byte-level BPE tokenizer and a small GPT-J on the offline corpus.

The result is an ordinary transformers checkpoint directory (config.json, model.safetensors,
tokenizer.json, tokenizer_config.json with KoGPT's special tokens and a chat template), so the
serving code loads it exactly like a real KoGPT or Polyglot-Ko directory.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sangsaeng.lm.provenance import card_build, card_write
from sangsaeng.lm.training.corpus import Corpus

# KoGPT's own special tokens, so prompts written for KoGPT tokenise the same way here.
SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[BOS]", "[EOS]", "[MASK]", "<|system|>", "<|user|>", "<|assistant|>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


@dataclass
class TrainConfig:
    vocab_size: int = 4000
    n_layer: int = 4
    n_embd: int = 256
    n_head: int = 8
    rotary_dim: int = 32
    n_positions: int = 512
    seq_len: int = 64
    batch_size: int = 8
    steps: int = 200
    lr: float = 1e-3
    warmup: int = 60
    weight_decay: float = 0.1
    dropout: float = 0.1
    eval_every: int = 20
    seed: int = 1117


@dataclass
class TrainResult:
    out: Path
    held_out_perplexity: float
    best_step: int
    parameters: int
    seconds: float
    train_tokens: int
    held_out_tokens: int
    sha256: str


def bos_prefix(tokenizer: Any) -> None:
    """Encoding a prompt starts it with [BOS], as every training document does."""
    from tokenizers.processors import TemplateProcessing

    bos = tokenizer.token_to_id("[BOS]")
    tokenizer.post_processor = TemplateProcessing(
        single="[BOS] $A", pair="[BOS] $A $B", special_tokens=[("[BOS]", bos)]
    )


def tokenizer_train(*, corpus: Corpus, vocab_size: int) -> Any:
    from tokenizers import ByteLevelBPETokenizer
    from transformers import PreTrainedTokenizerFast

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(corpus.train, vocab_size=vocab_size, min_frequency=2, special_tokens=SPECIAL_TOKENS)
    bos_prefix(bpe)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        bos_token="[BOS]",
        eos_token="[EOS]",
        unk_token="[UNK]",
        pad_token="[PAD]",
        mask_token="[MASK]",
        additional_special_tokens=SPECIAL_TOKENS[5:],
        model_max_length=512,
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


def _stream(tokenizer: Any, lines: list[str]) -> list[int]:
    ids: list[int] = []
    for encoded in tokenizer(lines, add_special_tokens=False)["input_ids"]:
        ids += [tokenizer.bos_token_id, *encoded, tokenizer.eos_token_id]
    return ids


def perplexity(*, model: Any, ids: list[int], seq_len: int) -> float:
    """exp(mean token NLL) over consecutive windows of the held-out token stream."""
    import torch

    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, max(1, len(ids) - 1), seq_len):
            window = ids[start : start + seq_len + 1]
            if len(window) < 2:
                break
            x = torch.tensor([window])
            loss = model(input_ids=x, labels=x).loss
            total += float(loss) * (len(window) - 1)
            count += len(window) - 1
    model.train()
    return math.exp(total / max(count, 1))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _save(model: Any, tokenizer: Any, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    (out / "model.safetensors").chmod(0o644)


def model_train(
    *,
    corpus: Corpus,
    out: Path,
    config: TrainConfig,
    progress: Callable[[int, int, str], None] | None = None,
    snapshot: dict[str, Any] | None = None,
) -> TrainResult:
    """Train tokenizer and model, keep the weights with the best held-out perplexity, save to `out`
    with a model card (`model_card.json`, `MODEL_CARD.md`) naming `snapshot` when one was used."""
    import torch
    from transformers import GPTJConfig, GPTJForCausalLM

    started = time.monotonic()
    random.seed(config.seed)
    torch.manual_seed(config.seed)
    tokenizer = tokenizer_train(corpus=corpus, vocab_size=config.vocab_size)
    train_ids = _stream(tokenizer, corpus.train)
    held_ids = _stream(tokenizer, corpus.held_out)
    model_config = GPTJConfig(
        vocab_size=len(tokenizer),
        n_positions=config.n_positions,
        n_embd=config.n_embd,
        n_layer=config.n_layer,
        n_head=config.n_head,
        rotary_dim=config.rotary_dim,
        resid_pdrop=config.dropout,
        embd_pdrop=config.dropout,
        attn_pdrop=config.dropout,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=False,
    )
    model = GPTJForCausalLM(model_config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)

    def lr_at(step: int) -> float:
        if step < config.warmup:
            return (step + 1) / config.warmup
        progress_ratio = (step - config.warmup) / max(1, config.steps - config.warmup)
        return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress_ratio))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_at)
    data = torch.tensor(train_ids)
    span = config.seq_len + 1
    best = (float("inf"), 0)
    best_state: dict[str, Any] = {}
    model.train()
    for step in range(1, config.steps + 1):
        starts = torch.randint(0, max(1, len(data) - span), (config.batch_size,))
        batch = torch.stack([data[s : s + span] for s in starts.tolist()])
        loss = model(input_ids=batch, labels=batch).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        if step % config.eval_every == 0 or step == config.steps:
            ppl = perplexity(model=model, ids=held_ids, seq_len=config.seq_len)
            if ppl < best[0]:
                best = (ppl, step)
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
                _save(model, tokenizer, out)  # a run stopped early still leaves its best weights
        if progress:
            progress(step, config.steps, f"loss {loss.item():.3f} best ppl {best[0]:.1f}")
    model.load_state_dict(best_state)
    model.eval()
    _save(model, tokenizer, out)
    parameters = sum(p.numel() for p in model.parameters())
    result = TrainResult(
        out=out,
        held_out_perplexity=round(best[0], 2),
        best_step=best[1],
        parameters=parameters,
        seconds=round(time.monotonic() - started, 1),
        train_tokens=len(train_ids),
        held_out_tokens=len(held_ids),
        sha256=sha256_file(out / "model.safetensors"),
    )
    meta = {**asdict(result), "out": str(out.name), "config": asdict(config), "sources": corpus.sources}
    (out / "training.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    card = card_build(
        name=out.name,
        result={**asdict(result), "out": str(out.name)},
        config=asdict(config),
        corpus={
            "sources": corpus.sources,
            "train_lines": len(corpus.train),
            "held_out_lines": len(corpus.held_out),
            "chars": corpus.chars,
        },
        snapshot=snapshot,
    )
    card_write(out=out, card=card)
    return result
