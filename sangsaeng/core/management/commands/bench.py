"""sangsaeng bench NAME [--seconds N] | --list | --all [--results FILE]: benchmarks as JSON lines."""

from __future__ import annotations

import json
import sys
import time
from importlib import import_module
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def _progress(done: int, total: int, label: str) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label:<24}")
    sys.stderr.flush()


class Command(BaseCommand):
    help = "Run a benchmark and print one JSON line with its ratio to the same run's baseline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?")
        parser.add_argument("--list", action="store_true")
        parser.add_argument("--all", action="store_true", help="Run every benchmark.")
        parser.add_argument("--results", type=Path, help="With --all: write the Markdown table here.")
        parser.add_argument("--seconds", type=int, default=5, help="Load duration per measurement.")
        parser.add_argument("--option", action="append", default=[], help="KEY=VALUE passed to the benchmark.")

    def handle(self, *args: Any, **options: Any) -> None:
        from bench import BENCHMARKS

        if options["list"]:
            self.stdout.write("\n".join(sorted(BENCHMARKS)))
            return
        bench_options: dict[str, Any] = {"seconds": options["seconds"]}
        for item in options["option"]:
            key, _, value = item.partition("=")
            bench_options[key] = value
        if options["all"]:
            results = []
            names = sorted(BENCHMARKS)
            for i, name in enumerate(names):
                _progress(i, len(names), name)
                results.append(self._run(BENCHMARKS[name], name, bench_options, strict=False))
                self.stdout.write(json.dumps(results[-1], ensure_ascii=False))
            _progress(len(names), len(names), "done")
            sys.stderr.write("\n")
            from bench.table import render

            table = render(results)
            self.stdout.write(table)
            if options["results"]:
                options["results"].write_text(table)
                self.stdout.write(f"wrote {options['results']}")
            return
        name = options["name"]
        if not name or name not in BENCHMARKS:
            raise CommandError(f"unknown benchmark {name!r}; choose one of: {', '.join(sorted(BENCHMARKS))}")
        self.stdout.write(json.dumps(self._run(BENCHMARKS[name], name, bench_options, strict=True), ensure_ascii=False))

    def _run(self, module: str, name: str, options: dict[str, Any], *, strict: bool) -> dict[str, Any]:
        started = time.monotonic()
        try:
            result: dict[str, Any] = import_module(module).run(options)
        except Exception as exc:
            if strict:
                raise
            result = {"name": name, "error": f"{type(exc).__name__}: {exc}"}
        result.setdefault("name", name)
        result["wall_s"] = round(time.monotonic() - started, 1)
        if "ratio" not in result:
            # Benchmarks that name their ratios flat (`exchanges_per_s_vs_asgi`) get them gathered,
            # so every JSON line carries a `ratio` object and the table shows every one.
            gathered = {k: v for k, v in result.items() if isinstance(v, int | float) and ("_vs_" in k or "_x_" in k)}
            if gathered:
                result["ratio"] = gathered
        return result
