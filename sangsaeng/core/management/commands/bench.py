"""sangsaeng bench NAME [--seconds N] [--FLAG VALUE ...] | --list | --all [--results FILE]: JSON lines.

Flags a benchmark names in its issue (`--clients 500`, `--buyers 200`) are passed to it as options:
`sangsaeng bench fanout --clients 500 --conversations 50` gives `{"clients": "500", ...}`.
"""

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


def _bench_flags(extra: list[str], parser: CommandParser) -> dict[str, str]:
    """`--clients 500 --dry-run` → {"clients": "500", "dry_run": "1"}; anything else is an error."""
    flags: dict[str, str] = {}
    i = 0
    while i < len(extra):
        token = extra[i]
        if not token.startswith("--") or len(token) < 3:
            parser.error(f"unrecognized argument: {token}")
        key, eq, value = token[2:].partition("=")
        if not eq:
            if i + 1 < len(extra) and not extra[i + 1].startswith("--"):
                value = extra[i + 1]
                i += 1
            else:
                value = "1"
        flags[key.replace("-", "_")] = value
        i += 1
    return flags


class Command(BaseCommand):
    help = "Run a benchmark and print one JSON line with its ratio to the same run's baseline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?")
        parser.add_argument("--list", action="store_true")
        parser.add_argument("--all", action="store_true", help="Run every benchmark.")
        parser.add_argument("--results", type=Path, help="With --all: write the Markdown table here.")
        parser.add_argument("--seconds", type=int, default=5, help="Load duration per measurement.")
        parser.add_argument("--option", action="append", default=[], help="KEY=VALUE passed to the benchmark.")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def parse_with_bench_flags(args: Any = None, namespace: Any = None) -> Any:
            known, extra = parser.parse_known_args(args, namespace)
            known.bench_flags = _bench_flags(extra, parser)
            return known

        parser.parse_args = parse_with_bench_flags  # type: ignore[method-assign]
        return parser

    def handle(self, *args: Any, **options: Any) -> None:
        from bench import BENCHMARKS

        if options["list"]:
            self.stdout.write("\n".join(sorted(BENCHMARKS)))
            return
        bench_options: dict[str, Any] = {"seconds": options["seconds"]}
        for item in options["option"]:
            key, _, value = item.partition("=")
            bench_options[key] = value
        bench_options.update(options.get("bench_flags") or {})
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
