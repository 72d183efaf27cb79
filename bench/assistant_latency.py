"""`sangsaeng bench assistant [--rounds 3] [--cards 200] [--lm-url URL]`: the assistant's latency per turn.

Runs in a child process on a fresh SQLite file. A user with `cards` saved business cards and a few
Drawer files asks every utterance of the checked-in set (sangsaeng/assistant/tests/utterances.jsonl)
`rounds` times. Reported: p50/p99 of planning (intent parser), tools (the audited calls) and
generation (templates, or the OpenAI-compatible model at --lm-url), and the whole turn. The baseline
is Kiwi's tokenisation alone of the same utterances, so `planning_vs_kiwi` says what the parser costs
beyond the morphological analysis it rests on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from typing import Any

from bench.harness import record_samples

NAME = "assistant"

CHILD = r"""
import json, sys, time
import django
django.setup()
from pathlib import Path
from django.conf import settings
from sangsaeng.accounts.services import user_create
from sangsaeng.assistant import loop
from sangsaeng.business_cards import services as cards
from sangsaeng.search.analysis import kiwi

rounds, n_cards, lm_url = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
settings.ASSISTANT_LM_URL = lm_url
SET = Path("sangsaeng/assistant/tests/utterances.jsonl")
rows = [json.loads(l) for l in SET.read_text(encoding="utf-8").splitlines() if l]
me = user_create(email="bench-assistant@example.com", password="bench-password-2026", verified=True, validate=False)
owner = user_create(email="bench-cards@example.com", password="bench-password-2026", verified=True, validate=False)
surnames = "김이박최정강조윤장임"
given = ["민준", "서연", "지훈", "하늘", "유나", "동원", "서준", "채원", "지민", "소희"]
for i in range(n_cards):
    name = surnames[i % 10] + given[(i // 10) % 10]
    card = cards.card_create(owner=owner, data={"name": name, "company": f"회사{i}", "title": "팀장"})
    cards.book_add(holder=me, card_id=card.public_id)
k = kiwi(); k.tokenize("준비")
timings = {"planning_ms": [], "tools_ms": [], "generation_ms": [], "turn_ms": [], "kiwi_ms": []}
for _ in range(rounds):
    for row in rows:
        start = time.perf_counter()
        k.tokenize(row["text"])
        timings["kiwi_ms"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        answer = loop.ask(user=me, message=row["text"], remember=False)
        timings["turn_ms"].append((time.perf_counter() - start) * 1000)
        for key, value in answer.timings.items():
            timings[key].append(value)
print(json.dumps({"timings": timings, "utterances": len(rows), "by_model": bool(lm_url)}))
"""


def _pct(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))], 3)


def run(options: dict[str, Any]) -> dict[str, Any]:
    rounds = int(options.get("rounds", 3))
    n_cards = int(options.get("cards", 200))
    lm_url = str(options.get("lm-url", options.get("lm_url", "")))
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "SANGSAENG_VAR_DIR": var, "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "sangsaeng.settings"}
        for name in ("STORAGE_URL", "REDIS_URL", "DATABASE_URL"):
            env.pop(name, None)
        subprocess.run([sys.executable, "-m", "sangsaeng.cli", "migrate", "--noinput", "-v", "0"], env=env, check=True)
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(rounds), str(n_cards), lm_url],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    t = data["timings"]
    result: dict[str, Any] = {
        "bench": NAME,
        "utterances": data["utterances"],
        "turns": len(t["turn_ms"]),
        "cards": n_cards,
        "generation": "model" if data["by_model"] else "template",
    }
    for key in ("planning_ms", "tools_ms", "generation_ms", "turn_ms", "kiwi_ms"):
        stem = key[:-3]
        result[f"{stem}_p50_ms"] = _pct(t[key], 50)
        result[f"{stem}_p99_ms"] = _pct(t[key], 99)
    for key in ("turn_ms", "planning_ms", "tools_ms", "generation_ms", "kiwi_ms"):
        record_samples(key[:-3], t[key], baseline=key == "kiwi_ms")
    result["planning_vs_kiwi"] = round(result["planning_p50_ms"] / max(result["kiwi_p50_ms"], 1e-6), 2)
    return result
