"""Render benchmark JSON lines as the Markdown table in bench/RESULTS.md and the README."""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from typing import Any


def machine() -> str:
    import os

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
            cpu = names[0] if names else cpu
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def render(results: list[dict[str, Any]]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "Each row is a ratio to a baseline measured in the same run (see each benchmark's module in `bench/`).",
        "",
        "| benchmark | measure | ratio | details |",
        "|---|---|---|---|",
    ]
    for result in results:
        name = result.get("name", "?")
        if "error" in result:
            lines.append(f"| {name} | failed | | {result['error']} |")
            continue
        details = ", ".join(f"{k} {v}" for k, v in result.get("rps", {}).items())
        for measure, ratio in result.get("ratio", {}).items():
            lines.append(f"| {name} | {measure} | {ratio} | {details} |")
    lines.append("")
    lines.append("Raw lines:")
    lines.append("")
    lines.append("```")
    lines.extend(json.dumps(r, ensure_ascii=False) for r in results)
    lines.append("```")
    return "\n".join(lines) + "\n"
