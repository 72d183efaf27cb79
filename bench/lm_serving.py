"""`sangsaeng bench lm`: the OpenAI-compatible API against `generate` in-process, on the same model.

Everything runs in a child process with its own SANGSAENG_VAR_DIR and a fresh SQLite database. It
starts the real LM process (`sangsaeng lm server`) and one granian WSGI worker, as `sangsaeng
serve` does, and measures in the same run:

- **tokens/s**: one non-streaming completion of `tokens` tokens (greedy, `ignore_eos`) through
  /v1/completions, against `model.generate(max_new_tokens=tokens, min_new_tokens=tokens)` called
  in-process on the same checkpoint: `api_vs_inprocess` (1.0 would be no serving overhead at all);
- **time to first token**: first streamed chunk through the API against a one-token `generate`
  in-process: `ttft_overhead_ms`;
- **batching gain**: 8 concurrent requests against the same 8 one after another:
  `concurrent8_x_sequential` (tokens/s ratio; > 1 means the dynamic batcher pays off).

Options: `tokens` (default 32), `repeat` (3).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.harness import record_samples

NAME = "lm"
ROOT = Path(__file__).resolve().parents[1]
PROMPT = "대한민국의 주권은 국민에게 있고,"


def _inprocess(tokens: int, repeat: int) -> dict[str, float]:
    import torch

    from sangsaeng.lm.engine.runtime import runtime_load

    runtime = runtime_load()
    ids = runtime.tokenizer(PROMPT, return_tensors="pt")["input_ids"]
    kwargs = {"do_sample": False, "pad_token_id": runtime.tokenizer.pad_token_id}
    with torch.inference_mode():
        runtime.model.generate(ids, max_new_tokens=2, **kwargs)  # warm-up
        full, first = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            out = runtime.model.generate(ids, max_new_tokens=tokens, min_new_tokens=tokens, **kwargs)
            full.append(time.perf_counter() - started)
            assert out.shape[1] - ids.shape[1] == tokens
            started = time.perf_counter()
            runtime.model.generate(ids, max_new_tokens=1, **kwargs)
            first.append(time.perf_counter() - started)
    record_samples(f"inprocess_generate_{tokens}_tokens", [x * 1000 for x in full], baseline=True)
    record_samples("inprocess_first_token", [x * 1000 for x in first], baseline=True)
    return {"tokens_per_s": tokens / statistics.median(full), "ttft_ms": 1000 * statistics.median(first)}


def _child(options: dict[str, Any]) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
    django.setup()
    import httpx
    from django.core.management import call_command

    from bench.harness import free_port, wait_http
    from sangsaeng.accounts.services import user_create
    from sangsaeng.lm.openai.backends import served_model_name
    from sangsaeng.lm.services import key_create

    tokens, repeat = int(options.get("tokens", 32)), int(options.get("repeat", 3))
    call_command("migrate", verbosity=0, interactive=False)
    user = user_create(email="bench@example.com", password="x", verified=True, validate=False)
    secret = key_create(owner=user, label="bench", requests_per_minute=10_000, max_concurrent=64).secret
    lm_port, web_port = free_port(), free_port()
    env = {**os.environ, "LM_SERVER_PORT": str(lm_port)}
    lm = subprocess.Popen(
        [sys.executable, "-m", "sangsaeng.cli", "lm", "server"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    web_argv = [str(Path(sys.executable).parent / "granian"), "--interface", "wsgi", "--host", "127.0.0.1"]
    web_argv += [
        "--port",
        str(web_port),
        "--workers",
        "1",
        "--blocking-threads",
        "12",
        "--no-ws",
        "--log-level",
        "error",
    ]
    web = subprocess.Popen([*web_argv, "sangsaeng.wsgi:application"], env=env, stdout=subprocess.DEVNULL)
    result: dict[str, Any] = {"name": NAME, "tokens": tokens}
    try:
        wait_http(f"http://127.0.0.1:{lm_port}/info", timeout=300)
        wait_http(f"http://127.0.0.1:{web_port}/healthz", timeout=60)
        base = f"http://127.0.0.1:{web_port}/v1"
        headers = {"Authorization": f"Bearer {secret}"}
        body = {
            "model": served_model_name(),
            "prompt": PROMPT,
            "max_tokens": tokens,
            "temperature": 0,
            "ignore_eos": True,
        }
        with httpx.Client(timeout=300, headers=headers) as http:

            def complete() -> int:
                response = http.post(f"{base}/completions", json=body)
                response.raise_for_status()
                return int(response.json()["usage"]["completion_tokens"])

            complete()  # warm-up
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                assert complete() == tokens
                times.append(time.perf_counter() - started)
            api_tps = tokens / statistics.median(times)
            firsts = []
            for _ in range(repeat):
                started = time.perf_counter()
                with http.stream("POST", f"{base}/completions", json={**body, "stream": True}) as response:
                    for line in response.iter_lines():
                        if line.startswith("data: {") and json.loads(line[6:])["choices"][0]["text"]:
                            firsts.append(time.perf_counter() - started)
                            break
            api_ttft = 1000 * statistics.median(firsts)
            record_samples(f"api_completion_{tokens}_tokens", [x * 1000 for x in times])
            record_samples("api_first_token", [x * 1000 for x in firsts])
            started = time.perf_counter()
            sequential = sum(complete() for _ in range(8))
            sequential_tps = sequential / (time.perf_counter() - started)
            counts: list[int] = []
            threads = [threading.Thread(target=lambda: counts.append(complete())) for _ in range(8)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            concurrent_tps = sum(counts) / (time.perf_counter() - started)
            info = httpx.get(f"http://127.0.0.1:{lm_port}/info").json()
    finally:
        for proc in (web, lm):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    base_line = _inprocess(tokens, repeat)
    result |= {
        "model": info["model"],
        "device": info["device"],
        "inprocess_tokens_per_s": round(base_line["tokens_per_s"], 1),
        "api_tokens_per_s": round(api_tps, 1),
        "api_vs_inprocess": round(api_tps / base_line["tokens_per_s"], 3),
        "inprocess_ttft_ms": round(base_line["ttft_ms"], 1),
        "api_ttft_ms": round(api_ttft, 1),
        "ttft_overhead_ms": round(api_ttft - base_line["ttft_ms"], 1),
        "sequential_tokens_per_s": round(sequential_tps, 1),
        "concurrent8_tokens_per_s": round(concurrent_tps, 1),
        "concurrent8_x_sequential": round(concurrent_tps / sequential_tps, 2),
        "mean_batch_size": round(info["batched_sequences"] / max(info["batches"], 1), 2),
    }
    return result


def run(options: dict[str, Any]) -> dict[str, Any]:
    """Run the benchmark in a child process with a throwaway var directory; return its JSON fields."""
    with tempfile.TemporaryDirectory(prefix="ssg-bench-lm-") as var:
        env = {**os.environ, "SANGSAENG_VAR_DIR": var, "DEBUG": "false", "SANGSAENG_PROFILE": "development"}
        env.pop("DATABASE_URL", None)
        env.pop("LM_BASE_URL", None)
        child = subprocess.run(
            [sys.executable, "-m", "bench.lm_serving", json.dumps({k: str(v) for k, v in options.items()})],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            raise RuntimeError(f"lm benchmark failed: {child.stderr[-2000:]}")
        return dict(json.loads(child.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    print(json.dumps(_child(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {})))
