"""One request's generation state: sampling settings, streamed text, stop strings, cancellation."""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class GenerationRequest:
    prompt_ids: list[int]
    max_tokens: int
    temperature: float = 1.0
    top_p: float = 1.0
    stop: list[str] = field(default_factory=list)
    seed: int | None = None
    timeout: float = 120.0
    ignore_eos: bool = False


@dataclass
class Event:
    kind: str  # "text" or "done"
    text: str = ""
    finish_reason: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Sequence:
    """Fed one token at a time by the batch loop; the request thread reads `events`.

    Text is decoded from all generated ids each step, so a Hangul syllable split over several
    byte-level tokens is only sent once complete, and text that could still become a stop string
    is held back until it can't.
    """

    def __init__(self, request: GenerationRequest, *, tokenizer: Any, eos_ids: set[int]) -> None:
        import torch

        self.request = request
        self.tokenizer = tokenizer
        self.eos_ids = eos_ids
        self.events: queue.Queue[Event] = queue.Queue()
        self.generated: list[int] = []
        self.sent = 0
        self.finished = False
        self.finish_reason = ""
        self.deadline = time.monotonic() + request.timeout
        self._cancelled = threading.Event()
        self.generator = torch.Generator()
        if request.seed is not None:
            self.generator.manual_seed(int(request.seed) & 0xFFFF_FFFF_FFFF)
        else:
            self.generator.seed()
        self._hold = max((len(s) for s in request.stop), default=1) - 1

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def sample(self, logits: Any) -> int:
        import torch

        row = logits.float().cpu()
        temperature = self.request.temperature
        if temperature <= 0:
            return int(torch.argmax(row))
        probs = torch.softmax(row / temperature, dim=-1)
        if self.request.top_p < 1.0:
            ordered, index = torch.sort(probs, descending=True)
            cumulative = torch.cumsum(ordered, dim=-1)
            ordered[(cumulative - ordered) > self.request.top_p] = 0.0
            choice = torch.multinomial(ordered / ordered.sum(), 1, generator=self.generator)
            return int(index[choice])
        return int(torch.multinomial(probs, 1, generator=self.generator))

    def _emit(self, upto: int, text: str) -> None:
        if upto > self.sent:
            self.events.put(Event(kind="text", text=text[self.sent : upto]))
            self.sent = upto

    def finish(self, reason: str, text: str | None = None) -> None:
        if self.finished:
            return
        if text is not None:
            self._emit(len(text), text)
        self.finished = True
        self.finish_reason = reason
        self.events.put(
            Event(
                kind="done",
                finish_reason=reason,
                prompt_tokens=len(self.request.prompt_ids),
                completion_tokens=len(self.generated),
            )
        )

    def accept(self, token_id: int) -> None:
        """Take one sampled token; emit what text is now certain; finish on EOS, stop or length."""
        if token_id in self.eos_ids and not self.request.ignore_eos:
            self.finish("stop", self._text())
            return
        self.generated.append(token_id)
        text = self._text()
        for stop in self.request.stop:
            at = text.find(stop, max(0, self.sent - len(stop)))
            if at != -1:
                self.finish("stop", text[:at])
                return
        if len(self.generated) >= self.request.max_tokens:
            self.finish("length", text.rstrip("\ufffd"))
            return
        if time.monotonic() > self.deadline:
            self.finish("length", text.rstrip("\ufffd"))
            return
        if text.endswith("\ufffd"):
            return
        self._emit(len(text) - self._hold, text)

    def _text(self) -> str:
        return str(self.tokenizer.decode(self.generated, skip_special_tokens=True))
