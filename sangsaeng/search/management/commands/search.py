"""sangsaeng search reindex [--kind K]: rebuild the index from every provider, with progress.
sangsaeng search eval --corpus FILE.jsonl --qrels FILE.tsv: nDCG@10 of sangsaeng and two
baselines (LIKE, FTS5 trigram) on any judged query set, as one JSON line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Search operator commands: reindex, eval."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="Rebuild the search index from every provider.")
        reindex.add_argument("--kind", action="append", default=[], help="Only this kind (repeatable).")
        reindex.add_argument("--quiet", action="store_true", help="No progress bar.")
        evaluate = sub.add_parser("eval", help="nDCG@10 against LIKE and FTS5 trigram baselines.")
        evaluate.add_argument("--corpus", required=True, help="JSON lines with id, title, text")
        evaluate.add_argument("--qrels", required=True, help="query<TAB>doc_id<TAB>grade per line")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "eval":
            self._eval(Path(options["corpus"]), Path(options["qrels"]))
        else:
            self._reindex(options["kind"], options["quiet"])

    def _eval(self, corpus: Path, qrels: Path) -> None:
        from sangsaeng.search.evaluation import corpus_load, evaluate, qrels_load

        for path in (corpus, qrels):
            if not path.is_file():
                raise CommandError(f"no such file: {path}")
        try:
            docs, judged = corpus_load(corpus), qrels_load(qrels)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        if not judged.queries:
            raise CommandError(f"{qrels} judges no query")
        self.stdout.write(json.dumps(evaluate(docs, judged), ensure_ascii=False))

    def _reindex(self, kinds: list[str], quiet: bool) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from sangsaeng.search.registry import providers
        from sangsaeng.search.services import reindex

        unknown = [k for k in kinds if k not in providers()]
        if unknown:
            raise CommandError(f"unknown kind {unknown[0]!r}; known: {', '.join(sorted(providers()))}")
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, disable=quiet) as bar:
            tasks: dict[str, Any] = {}

            def progress(kind: str, done: int, total: int | None) -> None:
                if kind not in tasks:
                    tasks[kind] = bar.add_task(kind, total=total)
                bar.update(tasks[kind], completed=done, total=total if total is not None else None)

            result = reindex(kinds=kinds or None, progress=progress)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
