"""sangsaeng bench NAME [--seconds N] [--FLAG VALUE ...] | --list | --all [--results FILE]: JSON lines.

Flags a benchmark names in its issue (`--clients 500`, `--buyers 200`) are passed to it as options:
`sangsaeng bench fanout --clients 500 --conversations 50` gives `{"clients": "500", ...}`.

`--all` runs every benchmark of `bench.BENCHMARKS`, each in its own process (bench/runner.py), with
`--preset NAME` (bench/presets.py) and `--set NAME.KEY=VALUE` for one benchmark's options; with
`--results FILE` it writes the report there, the raw samples under results/ and the PNG plots under
plots/ next to it. It exits non-zero when a benchmark failed, after writing the report.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import time
from importlib import import_module
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


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
        parser.add_argument("--seconds", type=int, default=None, help="Load duration per measurement (5).")
        parser.add_argument("--option", action="append", default=[], help="KEY=VALUE passed to the benchmark.")
        parser.add_argument("--preset", help="With --all: per-benchmark options from bench/presets.py.")
        parser.add_argument(
            "--set", dest="overrides", action="append", default=[], help="With --all: NAME.KEY=VALUE for one benchmark."
        )
        parser.add_argument("--only", help="With --all: these benchmarks (comma-separated) instead of every one.")
        parser.add_argument(
            "--resume",
            action="store_true",
            help="With --all: keep what bench/results/ holds from a run with the same options.",
        )
        parser.add_argument("--timeout", type=float, default=None, help="With --all: seconds per benchmark.")
        parser.add_argument("--samples", type=Path, help="Append the raw latency samples (JSON lines) to this file.")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # a benchmark's own flag (`--n 100`) must not be read as an abbreviation of one of ours (--no-color)
        parser.allow_abbrev = False

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
        bench_options: dict[str, Any] = {}
        if options["seconds"] is not None:
            bench_options["seconds"] = options["seconds"]
        for item in options["option"]:
            key, _, value = item.partition("=")
            bench_options[key] = value
        bench_options.update(options.get("bench_flags") or {})
        if options["all"]:
            self._all(BENCHMARKS, bench_options, options)
            return
        name = options["name"]
        if not name or name not in BENCHMARKS:
            raise CommandError(f"unknown benchmark {name!r}; choose one of: {', '.join(sorted(BENCHMARKS))}")
        if options["samples"]:
            from bench.harness import SAMPLES_ENV

            os.environ[SAMPLES_ENV] = str(options["samples"].resolve())
        bench_options.setdefault("seconds", 5)
        self.stdout.write(json.dumps(self._run(BENCHMARKS[name], name, bench_options, strict=True), ensure_ascii=False))

    def _all(self, benchmarks: dict[str, str], common: dict[str, Any], options: dict[str, Any]) -> None:
        from bench import runner
        from bench.presets import PRESETS

        if options["preset"] and options["preset"] not in PRESETS:
            raise CommandError(f"unknown preset {options['preset']!r}; choose one of: {', '.join(PRESETS)}")
        preset = PRESETS.get(options["preset"] or "", {})
        overrides: dict[str, dict[str, str]] = {}
        for item in options["overrides"]:
            target, eq, value = item.partition("=")
            bench, dot, key = target.partition(".")
            if not (eq and dot and key) or bench not in benchmarks:
                raise CommandError(f"--set wants NAME.KEY=VALUE with NAME one of the benchmarks, not {item!r}")
            overrides.setdefault(bench, {})[key.replace("-", "_")] = value
        names = list(benchmarks)
        if options["only"]:
            names = [n.strip() for n in options["only"].split(",") if n.strip()]
            unknown = [n for n in names if n not in benchmarks]
            if unknown:
                raise CommandError(f"unknown benchmark(s) {', '.join(unknown)}; see `sangsaeng bench --list`")
        settings = {name: {**common, **preset.get(name, {}), **overrides.get(name, {})} for name in names}
        results_file: Path | None = options["results"]
        results_dir = (results_file.parent if results_file else Path("bench")) / "results"
        results: list[dict[str, Any]] = []
        samples: dict[str, list[dict[str, Any]]] = {}
        command = "sangsaeng bench " + " ".join(shlex.quote(a) for a in sys.argv[2:]) if len(sys.argv) > 2 else ""
        progress = runner.Progress(len(names))
        started = time.monotonic()
        drawn: dict[str, str] = {}
        from bench.table import git_commit

        commit = git_commit()  # the code measured, whatever HEAD is when the run ends

        def write(pending: list[str], total_s: float | None) -> None:
            nonlocal drawn
            if results_file:
                drawn = runner.write_outputs(
                    results,
                    samples,
                    settings,
                    dict(benchmarks),
                    results_file,
                    command=command or "sangsaeng bench --all",
                    total_s=total_s,
                    drawn=drawn,
                    pending=pending,
                    commit=commit,
                )

        try:
            for i, name in enumerate(names):
                previous = runner.load_previous(results_dir, name, settings[name]) if options["resume"] else None
                if previous:
                    line, series = previous
                else:
                    progress.start(i, name, runner.previous_wall(results_dir, name, settings[name]))
                    line, series = runner.run_one(name, settings[name], timeout=options["timeout"], tick=progress.tick)
                    progress.finish(name, line)
                line["_key"] = name
                results.append(line)
                samples[name] = series
                self.stdout.write(json.dumps(runner.public(line), ensure_ascii=False))
                write(names[i + 1 :], None)  # the report is whole after every benchmark
        finally:
            progress.close()
        total_s = time.monotonic() - started
        write([], total_s)
        if results_file:
            self.stdout.write(f"wrote {results_file} ({total_s / 60:.1f} min)")
        failed = [r["_key"] for r in results if "error" in r]
        if failed:
            raise CommandError(f"{len(failed)} of {len(names)} benchmarks failed: {', '.join(failed)}")

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
