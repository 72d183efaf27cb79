"""Write bench/RESULTS.md from the JSON lines of a `sangsaeng bench --all` run.

The report holds the machine's details, one table row per ratio of every benchmark (with the
baseline it is measured against, and p50/p99 of the latency samples where the benchmark kept
them), a link to each benchmark's plot, the settings of the run, the raw JSON lines, and how to
reproduce it. A benchmark that failed gets a `failed` row with its error: the report is still
written. Everything here reads plain dicts, so a benchmark registered later needs nothing here.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import sqlite3
import subprocess
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from typing import Any

from bench.harness import percentile

RATIO_KEY = re.compile(r"(_vs_|_x_|^ratio_)")


def machine() -> str:
    """One line: CPU model, cores, Python, kernel (kept for callers of the old table)."""
    details = machine_details()
    return f"{details['CPU']}, {details['cores']} cores, Python {details['Python']}, Linux {details['kernel']}"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
            if names:
                return names[0]
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def git_commit(root: Path | None = None) -> str:
    root = root or Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        # the report's own outputs do not count: a run rewrites them
        outputs = [":(exclude)bench/RESULTS.md", ":(exclude)bench/plots", ":(exclude)bench/results"]
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", *outputs],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} (with uncommitted changes)" if dirty else commit


def _postgres_version(url: str) -> str | None:
    if not url.startswith("postgres"):
        return None
    try:
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else "unknown"
    except Exception as exc:
        return f"unreachable ({type(exc).__name__})"


def _redis_version(url: str) -> str | None:
    if not url:
        return None
    try:
        import redis

        info = redis.Redis.from_url(url, socket_connect_timeout=3).info("server")
        return str(info.get("redis_version", "unknown"))
    except Exception as exc:
        return f"unreachable ({type(exc).__name__})"


def machine_details(root: Path | None = None, commit: str | None = None) -> dict[str, str]:
    """What the numbers were measured on; the databases only when the environment configures them.

    `commit`: the code's commit when the run started (HEAD may move while a long run goes on)."""
    root = root or Path(__file__).resolve().parents[1]
    details = {
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count()),
        "RAM": _memory(),
        "kernel": platform.release(),
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
    }
    database_url = os.environ.get("DATABASE_URL", "")
    postgres = _postgres_version(database_url)
    details["database"] = f"PostgreSQL {postgres}" if postgres else "SQLite (DATABASE_URL unset)"
    redis_version = _redis_version(os.environ.get("REDIS_URL", ""))
    details["Redis"] = redis_version or "not used (REDIS_URL unset)"
    details["git commit"] = commit or git_commit(root)
    details["date"] = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    with contextlib.suppress(OSError):
        details["load average at the end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return details


def ratios(line: dict[str, Any]) -> dict[str, Any]:
    """Every ratio a JSON line carries: its `ratio` object (or number) and flat `_vs_`/`_x_`/`ratio_` keys."""
    found: dict[str, Any] = {}
    ratio = line.get("ratio")
    if isinstance(ratio, dict):
        found.update(ratio)
    elif isinstance(ratio, int | float) and not isinstance(ratio, bool):
        found["ratio"] = ratio
    for key, value in line.items():
        if (
            key not in found
            and isinstance(value, int | float)
            and not isinstance(value, bool)
            and RATIO_KEY.search(key)
        ):
            found[key] = value
    return found


def baseline_of(measure: str, series: list[dict[str, Any]] | None = None) -> str:
    """`api_read_vs_bare_django` → `bare_django`; `userinfo_p50_ms_x_asgi` → `asgi`; else the series the
    benchmark marked as its baseline (`ratio_1000` of vault-sync → `raw_1000_ciphers`)."""
    for sep in ("_vs_", "_x_"):
        if sep in measure:
            return measure.split(sep, 1)[1]
    marked = [entry["series"] for entry in series or [] if entry.get("baseline")]
    return ", ".join(marked) if marked else "see the benchmark's module"


def describe(module: str | None) -> str:
    """The first sentence of a benchmark module's docstring: what it measures against what."""
    if not module:
        return ""
    try:
        doc = import_module(module).__doc__ or ""
    except Exception:
        return ""
    first = " ".join(doc.strip().split("\n\n")[0].split())
    first = re.sub(r"^`sangsaeng bench [^`]*`:\s*", "", first)  # the row already names the benchmark
    return first.replace("|", "\\|")


def series_stats(series: list[dict[str, Any]]) -> list[tuple[str, bool, int, float, float]]:
    """(name, is baseline, sample count, p50 ms, p99 ms) per series; wrk's CDF is read at 50 and 99."""
    out = []
    for entry in series:
        if "samples" in entry:
            values = entry["samples"]
            if not values:
                continue
            out.append(
                (
                    entry["series"],
                    bool(entry.get("baseline")),
                    len(values),
                    percentile(values, 50),
                    percentile(values, 99),
                )
            )
        elif entry.get("cdf"):
            points = {float(p): float(ms) for p, ms in entry["cdf"]}
            out.append((entry["series"], bool(entry.get("baseline")), 0, points.get(50.0, 0.0), points.get(99.0, 0.0)))
    return out


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _ms(value: float) -> str:
    return f"{value:.3g}" if value < 100 else f"{value:,.0f}"


def render(
    results: list[dict[str, Any]],
    *,
    samples: dict[str, list[dict[str, Any]]] | None = None,
    plots: dict[str, str] | None = None,
    modules: dict[str, str] | None = None,
    settings: dict[str, dict[str, Any]] | None = None,
    details: dict[str, str] | None = None,
    command: str = "make bench",
    total_s: float | None = None,
    pending: list[str] | None = None,
) -> str:
    """The Markdown of bench/RESULTS.md. Each result is one JSON line; `key` (the registry name) is
    read from `_key` when the runner set it, else from `name`. Links are relative to bench/."""
    samples, plots, modules, settings = samples or {}, plots or {}, modules or {}, settings or {}
    details = details or machine_details()
    failed = [r for r in results if "error" in r]
    lines = ["# Benchmark results", ""]
    lines.append(
        f"`{command}` wrote this file on {details.get('date', '?')}: {len(results)} benchmarks, "
        f"{len(results) - len(failed)} passed, {len(failed)} failed"
        + (f", {total_s / 60:.1f} minutes in all." if total_s is not None else ".")
    )
    if pending:
        lines.append(f"**The run is not finished**: still to run: {', '.join(pending)}.")
    reused = [str(r.get("_key") or r.get("name")) for r in results if r.get("_reused")]
    if reused:
        lines.append(f"Taken over from an earlier run with the same options (`--resume`): {', '.join(reused)}.")
    lines += [
        "Each ratio compares a measurement with a baseline measured in the same run on the same machine",
        "(named in the table and in each benchmark's module in `bench/`): absolute numbers move with the",
        "machine's load, ratios much less. p50/p99 are of the latency samples each benchmark kept (ms).",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in details.items()]
    lines += ["", "## Ratios", ""]
    if "ratios" in plots:
        lines += [f"![every ratio]({plots['ratios']})", ""]
    lines += [
        "| benchmark | what, against what | measure | ratio | baseline | p50 / p99 ms (series) | plot | process s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        key = str(result.get("_key") or result.get("name", "?"))
        about = describe(modules.get(key))
        wall = _fmt(result.get("_wall", result.get("wall_s", "")))
        if result.get("_reused"):
            wall += f" ({result['_reused']})"
        plot = f"[plot]({plots[key]})" if key in plots else ""
        if "error" in result:
            error = str(result["error"]).replace("|", "\\|").replace("\n", " ")[:300]
            lines.append(f"| {key} | {about} | **failed** | | | {error} | | {wall} |")
            continue
        stats = series_stats(samples.get(key, []))
        latency = "<br>".join(
            f"{_ms(p50)} / {_ms(p99)} ({name}{', baseline' if base else ''})" for name, base, _n, p50, p99 in stats
        )
        found = ratios(result)
        if not found:
            lines.append(f"| {key} | {about} | (no ratio) | | | {latency} | {plot} | {wall} |")
            continue
        for i, (measure, value) in enumerate(found.items()):
            first = i == 0
            lines.append(
                f"| {key if first else ''} | {about if first else ''} | `{measure}` | {_fmt(value)} | "
                f"{baseline_of(measure, samples.get(key))} | {latency if first else ''} | {plot if first else ''} | "
                f"{wall if first else ''} |"
            )
    if failed:
        lines += ["", "Failed: " + ", ".join(str(r.get("_key") or r.get("name")) for r in failed) + "."]
    lines += ["", "## Settings of this run", ""]
    if settings:
        lines += ["| benchmark | options |", "|---|---|"]
        for key, options in settings.items():
            shown = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in options.items()) or "(defaults)"
            lines.append(f"| {key} | `{shown}` |")
    else:
        lines.append("Every benchmark at its defaults.")
    lines += ["", "## Raw JSON lines", "", "```"]
    lines += [json.dumps({k: v for k, v in r.items() if not k.startswith("_")}, ensure_ascii=False) for r in results]
    lines += [
        "```",
        "",
        "The raw latency samples behind the plots are in `bench/results/<benchmark>.json`.",
        "",
        "## How to reproduce",
        "",
        "```",
        "make bench                                   # every benchmark at its defaults (long: hours on 2 cores)",
        "make bench BENCH_ARGS='--preset quick'       # the settings above (process times in the table)",
        "sangsaeng bench --list                       # the benchmarks",
        "sangsaeng bench NAME [--option value ...]    # one benchmark, one JSON line",
        "sangsaeng bench --all --preset quick --set search.docs=20000 --results bench/RESULTS.md",
        "```",
        "",
        "`--set NAME.KEY=VALUE` overrides one benchmark's option, `--only NAME,...` runs some of them,",
        "`--resume` keeps the passing results bench/results/ holds for the same options, `--timeout S`",
        "bounds each benchmark. `DATABASE_URL` and `REDIS_URL` select PostgreSQL and Redis for the",
        "benchmarks that use the configured database. The report is rewritten after every benchmark.",
        "",
    ]
    return "\n".join(lines)
