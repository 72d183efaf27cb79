"""Dynamic batching: one thread owns the model and runs padded batches of concurrent requests.

Requests that arrive within `collect_ms` of each other (up to `max_batch`) are left-padded into
one batch and decoded together, one forward step for all of them per token, with the KV cache.
Each sequence samples with its own settings and seed, stops on its own, and is dropped from the
work (masked, no more events) as soon as its client goes away. On a CPU a step for 8 sequences
costs little more than a step for one, which is where the batching gain comes from.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Any

from sangsaeng.lm.engine.runtime import Runtime
from sangsaeng.lm.engine.sequence import GenerationRequest, Sequence

log = logging.getLogger(__name__)


class Engine:
    def __init__(self, runtime: Runtime, *, max_batch: int = 8, collect_ms: int = 10) -> None:
        self.runtime = runtime
        self.max_batch = max_batch
        self.collect = collect_ms / 1000
        self.lock = threading.Lock()
        self._queue: queue.Queue[Sequence] = queue.Queue()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        tokenizer = runtime.tokenizer
        eos = getattr(runtime.model.generation_config, "eos_token_id", None) or tokenizer.eos_token_id
        self.eos_ids = set(eos if isinstance(eos, list) else [eos]) - {None}
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        self.batches = 0
        self.batched_sequences = 0
        self.cancelled = 0

    def start(self) -> Engine:
        self._thread = threading.Thread(target=self._loop, name="lm-batcher", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread:
            self._thread.join(timeout=5)

    def submit(self, request: GenerationRequest) -> Sequence:
        sequence = Sequence(request, tokenizer=self.runtime.tokenizer, eos_ids=self.eos_ids)
        self._queue.put(sequence)
        return sequence

    def _collect(self) -> list[Sequence]:
        try:
            first = self._queue.get(timeout=0.2)
        except queue.Empty:
            return []
        batch = [first]
        until = time.monotonic() + self.collect
        while len(batch) < self.max_batch:
            remaining = until - time.monotonic()
            try:
                batch.append(self._queue.get(timeout=max(remaining, 0)) if remaining > 0 else self._queue.get_nowait())
            except queue.Empty:
                break
        for sequence in batch:
            if sequence.cancelled:  # its client left while it waited
                sequence.finish("cancelled")
                self.cancelled += 1
        return [s for s in batch if not s.finished]

    def _loop(self) -> None:
        while not self._stopping.is_set():
            batch = self._collect()
            if not batch:
                continue
            try:
                self.run_batch(batch)
            except Exception as exc:  # one bad batch must not kill the server
                log.exception("lm batch failed")
                for sequence in batch:
                    sequence.finish(f"error: {exc.__class__.__name__}")

    def run_batch(self, batch: list[Sequence]) -> None:
        import torch

        model, device = self.runtime.model, self.runtime.device
        self.batches += 1
        self.batched_sequences += len(batch)
        width = max(len(s.request.prompt_ids) for s in batch)
        ids = torch.full((len(batch), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, sequence in enumerate(batch):
            prompt = sequence.request.prompt_ids
            ids[row, width - len(prompt) :] = torch.tensor(prompt)
            mask[row, width - len(prompt) :] = 1
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        ids, mask, positions = ids.to(device), mask.to(device), positions.to(device)
        past = None
        steps = max(s.request.max_tokens for s in batch)
        with torch.inference_mode():
            for _ in range(steps):
                with self.lock:
                    out = model(
                        input_ids=ids, attention_mask=mask, position_ids=positions, past_key_values=past, use_cache=True
                    )
                past = out.past_key_values
                logits = out.logits[:, -1, :]
                next_ids = []
                for row, sequence in enumerate(batch):
                    if not sequence.finished and sequence.cancelled:
                        sequence.finish("cancelled")
                        self.cancelled += 1
                    if sequence.finished:
                        next_ids.append(self.pad_id)
                        continue
                    token = sequence.sample(logits[row])
                    sequence.accept(token)
                    next_ids.append(token)
                if all(s.finished for s in batch):
                    return
                ids = torch.tensor(next_ids, dtype=torch.long, device=device)[:, None]
                mask = torch.cat([mask, torch.ones((len(batch), 1), dtype=torch.long, device=device)], dim=1)
                positions = positions[:, -1:] + 1
        for sequence in batch:
            sequence.finish("length", sequence._text().rstrip("\ufffd"))

    def embed(self, texts: list[str]) -> tuple[list[list[float]], int]:
        """Mean of the last hidden layer over each input's tokens (padding excluded)."""
        import torch

        tokenizer = self.runtime.tokenizer
        encoded = tokenizer(
            texts, padding=True, truncation=True, max_length=self.runtime.context_length, return_tensors="pt"
        )
        mask = encoded["attention_mask"]
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        with torch.inference_mode(), self.lock:
            out = self.runtime.model(
                input_ids=encoded["input_ids"].to(self.runtime.device),
                attention_mask=mask.to(self.runtime.device),
                position_ids=positions.to(self.runtime.device),
                output_hidden_states=True,
            )
        hidden = out.hidden_states[-1].float().cpu()
        weights = mask.unsqueeze(-1).float()
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1)
        return pooled.tolist(), int(mask.sum())

    def encode(self, *, prompt: str | None = None, messages: list[dict[str, Any]] | None = None) -> list[int]:
        tokenizer = self.runtime.tokenizer
        if messages is not None:
            prompt = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        return list(tokenizer(prompt or "")["input_ids"])
