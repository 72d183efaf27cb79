"""sangsaeng commons: check | snapshot | export | distribute.

sangsaeng commons check FILE        run the pipeline on a txt/md/jsonl file, store nothing, one JSON line per document
sangsaeng commons snapshot          freeze the accepted corpus (Merkle root of document hashes)
sangsaeng commons export ROOT       JSONL of a snapshot's accepted documents
sangsaeng commons distribute --period YYYY-MM
                                    pay a closed KST month's LM revenue share to share holders
                                    (reads balances from the chain, with a progress bar); one JSON line
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.core.errors import Problem


class Command(BaseCommand):
    help = "LM commons: check | snapshot | export | distribute"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="Run the pipeline on a file without storing anything.")
        check.add_argument("file")
        sub.add_parser("snapshot", help="Freeze the accepted corpus.")
        export = sub.add_parser("export", help="JSONL of a snapshot's documents.")
        export.add_argument("root")
        distribute = sub.add_parser("distribute", help="Distribute a closed month's LM revenue share.")
        distribute.add_argument("--period", required=True, help="YYYY-MM, a calendar month in Asia/Seoul")
        distribute.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except Problem as exc:
            raise CommandError(f"{exc.code}: {exc.en}") from exc

    def _check(self, options: dict[str, Any]) -> None:
        from sangsaeng.contributions import documents, pipeline

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        text = documents.decode(path.read_bytes())
        corpus = pipeline.Corpus()  # only the file's own documents: nothing is read from or written to the database
        for doc in documents.split(text, documents.kind_of(path.name)):
            result = pipeline.run(doc.text, corpus)
            line = {"index": doc.index, **result.as_json()}
            self.stdout.write(json.dumps(line, ensure_ascii=False))

    def _snapshot(self, options: dict[str, Any]) -> None:
        from sangsaeng.contributions.services import snapshot_create

        snap = snapshot_create()
        self.stdout.write(
            json.dumps(
                {
                    "merkle_root": snap.merkle_root,
                    "documents": snap.document_count,
                    "tokens": snap.token_count,
                    "anchored": snap.anchored,
                }
            )
        )

    def _export(self, options: dict[str, Any]) -> None:
        from sangsaeng.contributions.selectors import snapshot_export_lines

        for line in snapshot_export_lines(root=options["root"]):
            self.stdout.write(line)

    def _distribute(self, options: dict[str, Any]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from sangsaeng.contributions.services import revenue_distribute

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        labels = {"holders": "지분 조회 (chain)", "payouts": "배분 (Pay)"}
        with Progress(*columns, console=Console(stderr=True), disable=options["quiet"]) as bar:
            tasks: dict[str, Any] = {}

            def progress(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(labels.get(step, step), total=total)
                bar.update(tasks[step], completed=done, total=total)

            d = revenue_distribute(period=options["period"], progress=progress)
        self.stdout.write(
            json.dumps(
                {
                    "period": d.period,
                    "distribution": str(d.public_id),
                    "tokens": d.tokens,
                    "revenue_won": d.revenue_won,
                    "share_bps": d.share_bps,
                    "pool_won": d.pool_won,
                    "holders": d.holders,
                    "paid_won": sum(s.amount_won for s in d.statements.all()),
                    "eligible_shares": str(d.eligible_shares),
                    "excluded_frozen_shares": str(d.excluded_frozen_shares),
                }
            )
        )
