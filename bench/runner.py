"""`sangsaeng bench --all`: every registered benchmark, each in its own process, then the report.

Each benchmark runs as `python -m sangsaeng.cli bench NAME --option KEY=VALUE ...` in a child process
(a fresh interpreter and Django setup each, a timeout each, and a crash stays that benchmark's),
with SANGSAENG_BENCH_SAMPLES pointing at a file where `bench.harness.record_samples` puts its raw
latency samples. Its one JSON line is read from the child's stdout; a child that fails becomes a
`{"name", "error"}` line and the run goes on. Then bench/results/<name>.json (the samples),
bench/plots/<name>.png and bench/plots/ratios.png, and RESULTS.md are written from what came back.
The list is `bench.BENCHMARKS` as it is when the run starts: a benchmark registered there is run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from bench.harness import SAMPLES_ENV


def child_argv(name: str, options: dict[str, Any]) -> list[str]:
    argv = [sys.executable, "-m", "sangsaeng.cli", "bench", name]
    for key, value in options.items():
        argv += ["--option", f"{key}={value}"]  # not `--key value`: argparse would take `--n` for `--no-color`
    return argv


def read_series(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    series = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            series.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return series


def _last_json_line(text: str) -> dict[str, Any] | None:
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                parsed = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(parsed, dict):
                return parsed
    return None


def _error_from(stderr: str, rc: int) -> str:
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    # the exception line of a traceback is its last line; keep it and the line before for context
    tail = lines[-1] if lines else ""
    return f"exit {rc}: {tail}" if tail else f"exit {rc}"


class Progress:
    """A bar per benchmark on stderr: rich's when stderr is a terminal, plain lines otherwise.

    The bar's length is the benchmark's wall time in the previous run with the same options
    (bench/results/<name>.json), or a spinner when there is none."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.rich: Any = None
        if self.stream.isatty():
            try:
                from rich.console import Console
                from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

                self.rich = Progress(
                    TextColumn("{task.description:<34}"),
                    BarColumn(),
                    TextColumn("{task.fields[note]}"),
                    TimeElapsedColumn(),
                    console=Console(file=self.stream),
                )
                self.rich.start()
            except ImportError:
                self.rich = None
        self.task: Any = None
        self.started = 0.0
        self.expected: float | None = None
        self.last_note = 0.0

    def start(self, index: int, name: str, expected: float | None) -> None:
        self.started, self.expected, self.last_note = time.monotonic(), expected, time.monotonic()
        label = f"[{index + 1}/{self.total}] {name}"
        hint = f"~{expected:.0f} s last time" if expected else "first run"
        if self.rich is not None:
            self.task = self.rich.add_task(label, total=expected or None, note=hint)
        else:
            self.stream.write(f"{label}: started ({hint})\n")
            self.stream.flush()

    def tick(self) -> None:
        elapsed = time.monotonic() - self.started
        if self.rich is not None:
            if self.expected:
                self.rich.update(self.task, completed=min(elapsed, self.expected * 0.99))
        elif time.monotonic() - self.last_note >= 30:
            self.last_note = time.monotonic()
            done = f" ({min(99, 100 * elapsed / self.expected):.0f}%)" if self.expected else ""
            self.stream.write(f"    ... {elapsed:.0f} s{done}\n")
            self.stream.flush()

    def finish(self, name: str, result: dict[str, Any]) -> None:
        elapsed = time.monotonic() - self.started
        note = "FAILED" if "error" in result else "ok"
        if self.rich is not None:
            self.rich.update(self.task, total=1, completed=1, note=f"{note} in {elapsed:.0f} s")
        else:
            self.stream.write(f"    {name}: {note} in {elapsed:.0f} s\n")
            self.stream.flush()

    def close(self) -> None:
        if self.rich is not None:
            self.rich.stop()


def run_one(
    name: str, options: dict[str, Any], *, timeout: float | None, tick: Callable[[], None] = lambda: None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the JSON line, the recorded sample series) of one benchmark run in a child process."""
    with tempfile.TemporaryDirectory(prefix="ssg-bench-run-") as tmp:
        samples = Path(tmp) / "samples.jsonl"
        out_path, err_path = Path(tmp) / "stdout", Path(tmp) / "stderr"
        env = {**os.environ, SAMPLES_ENV: str(samples)}
        started = time.monotonic()
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(child_argv(name, options), env=env, stdout=out, stderr=err, start_new_session=True)
            timed_out = False
            while proc.poll() is None:
                tick()
                if timeout and time.monotonic() - started > timeout:
                    timed_out = True
                    os.killpg(proc.pid, signal.SIGTERM)
                    try:
                        proc.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        os.killpg(proc.pid, signal.SIGKILL)
                        proc.wait()
                    break
                time.sleep(0.5)
        wall = round(time.monotonic() - started, 1)
        stdout = out_path.read_text(errors="replace")
        stderr = err_path.read_text(errors="replace")
        line = _last_json_line(stdout) if proc.returncode == 0 else None
        if timed_out:
            result: dict[str, Any] = {"name": name, "error": f"timed out after {timeout:.0f} s", "wall_s": wall}
        elif line is None:
            result = {"name": name, "error": _error_from(stderr, proc.returncode), "wall_s": wall}
        else:
            result = line
        result["_wall"] = wall  # the child's whole life, start-up included (the line's wall_s is run() alone)
        return result, read_series(samples)


def public(line: dict[str, Any]) -> dict[str, Any]:
    """The JSON line as the benchmark printed it, without the runner's own `_` keys."""
    return {k: v for k, v in line.items() if not k.startswith("_")}


def previous_wall(results_dir: Path, name: str, options: dict[str, Any]) -> float | None:
    try:
        previous = json.loads((results_dir / f"{name}.json").read_text())
    except (OSError, json.JSONDecodeError):
        return None
    if previous.get("options") != {k: str(v) for k, v in options.items()}:
        return None
    wall = previous.get("wall_s")
    return float(wall) if isinstance(wall, int | float) else None


def load_previous(results_dir: Path, name: str, options: dict[str, Any]) -> tuple[dict[str, Any], list[Any]] | None:
    """(line, series) of an earlier passing run of `name` with the same options (for --resume)."""
    try:
        previous = json.loads((results_dir / f"{name}.json").read_text())
    except (OSError, json.JSONDecodeError):
        return None
    if previous.get("failed") or not previous.get("line"):
        return None
    if previous.get("options") != {k: str(v) for k, v in options.items()}:
        return None
    line = dict(previous["line"])
    line["_wall"] = previous.get("wall_s")
    line["_reused"] = previous.get("finished", "an earlier run")
    return line, list(previous.get("series", []))


def write_outputs(
    results: list[dict[str, Any]],
    samples: dict[str, list[dict[str, Any]]],
    settings: dict[str, dict[str, Any]],
    modules: dict[str, str],
    results_file: Path,
    *,
    command: str,
    total_s: float | None = None,
    details: dict[str, str] | None = None,
    drawn: dict[str, str] | None = None,
    pending: list[str] | None = None,
    commit: str | None = None,
) -> dict[str, str]:
    """Sidecars, plots and the Markdown report next to `results_file`; returns the plot links.

    Called after every benchmark, so the report is whole at any moment: `drawn` (the links this
    call returns, passed back in) skips what an earlier call already wrote; `pending` lists the
    benchmarks still to run."""
    from bench import plots
    from bench.table import machine_details, ratios, render

    base = results_file.parent
    (base / "results").mkdir(parents=True, exist_ok=True)
    links: dict[str, str] = dict(drawn or {})
    for result in results:
        key = str(result.get("_key") or result.get("name"))
        if key in links or f"{key}:done" in links:
            continue
        sidecar = {
            "name": key,
            "options": {k: str(v) for k, v in settings.get(key, {}).items()},
            "wall_s": result.get("_wall", result.get("wall_s")),
            "failed": "error" in result,
            "finished": result.get("_reused")
            or result.get("_finished")
            or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "line": public(result),
            "series": samples.get(key, []),
        }
        (base / "results" / f"{key}.json").write_text(json.dumps(sidecar, ensure_ascii=False) + "\n")
        if samples.get(key) and plots.latency_plot(key, samples[key], base / "plots" / f"{key}.png"):
            links[key] = f"plots/{key}.png"
        else:
            links[f"{key}:done"] = ""
    rows = [
        (str(r.get("_key") or r.get("name")), measure, value)
        for r in results
        if "error" not in r
        for measure, value in ratios(r).items()
    ]
    if plots.ratio_plot(rows, base / "plots" / "ratios.png"):
        links["ratios"] = "plots/ratios.png"
    (base / "results" / "lines.jsonl").write_text(
        "".join(json.dumps(public(r), ensure_ascii=False) + "\n" for r in results)
    )
    results_file.write_text(
        render(
            results,
            samples=samples,
            plots={k: v for k, v in links.items() if v},
            modules=modules,
            settings=settings,
            details=details or machine_details(commit=commit),
            command=command,
            total_s=total_s,
            pending=pending,
        )
    )
    return links
