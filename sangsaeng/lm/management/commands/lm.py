"""sangsaeng lm: keys create | train | server.

sangsaeng lm keys create --email E [--quota TOKENS] [--label L] [--partner P]   prints a new API key
sangsaeng lm train [--snapshot ID [--snapshot-only]] [--corpus FILE] [--steps N] [--out DIR]
                                                                                 trains the bundled model
sangsaeng lm server [--host H] [--port P]                                       the LM process (serve starts it)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.core.errors import Problem


def _bar(done: int, total: int, label: str) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label:<32}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


# Model size flags, mostly for tests and quick runs; unset ones keep TrainConfig's defaults.
_SIZE_FLAGS = {
    "--vocab-size": "vocab_size",
    "--layers": "n_layer",
    "--embd": "n_embd",
    "--heads": "n_head",
    "--rotary-dim": "rotary_dim",
    "--seq-len": "seq_len",
    "--batch-size": "batch_size",
    "--eval-every": "eval_every",
}


def _snapshot_for_training(ref: str) -> tuple[dict[str, Any], list[str]]:
    """The card's snapshot entry and the texts to train on. An unknown id raises Problem (404)."""
    from sangsaeng.contributions.selectors import snapshot_documents, snapshot_get

    snap = snapshot_get(ref=ref)
    texts = list(snapshot_documents(snapshot=snap))
    info = {
        "id": str(snap.public_id),
        "merkle_root": snap.merkle_root,
        "document_count": snap.document_count,
        "token_count": snap.token_count,
        "documents_used": len(texts),
        "created_at": snap.created_at.isoformat(),
    }
    return info, texts


class Command(BaseCommand):
    help = "Korean LM: keys create | train | server"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        keys = sub.add_parser("keys", help="API keys.")
        keys_sub = keys.add_subparsers(dest="keys_action", required=True)
        create = keys_sub.add_parser("create", help="Create an API key and print it (shown once).")
        create.add_argument("--email", required=True)
        create.add_argument("--quota", type=int, help="Monthly token quota.")
        create.add_argument("--rpm", type=int, help="Requests per minute.")
        create.add_argument("--concurrency", type=int, help="Requests at a time.")
        create.add_argument("--label", default="CLI")
        create.add_argument("--partner", default="")
        train = sub.add_parser("train", help="Train the bundled tokenizer and model on offline Korean text.")
        train.add_argument("--corpus", type=Path, action="append", default=[], help="Extra text, one document a line.")
        train.add_argument(
            "--snapshot", help="Also train on this LM commons snapshot (Merkle root or id); named in the model card."
        )
        train.add_argument(
            "--snapshot-only", action="store_true", help="Train on the snapshot alone, without the offline corpus."
        )
        train.add_argument("--steps", type=int)
        for flag, field in _SIZE_FLAGS.items():
            train.add_argument(flag, type=int, dest=field, help=f"TrainConfig.{field}")
        train.add_argument("--out", type=Path, help="Default: the bundled model folder.")
        server = sub.add_parser("server", help="Run the LM process: load the model once, serve the web workers.")
        server.add_argument("--host", default=settings.LM_SERVER_HOST)
        server.add_argument("--port", type=int, default=settings.LM_SERVER_PORT)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "keys":
                self._keys_create(options)
            elif action == "train":
                self._train(options)
            else:
                self._server(options)
        except Problem as exc:
            raise CommandError(exc.en) from exc

    def _keys_create(self, options: dict[str, Any]) -> None:
        from sangsaeng.accounts.selectors import user_get_by_email
        from sangsaeng.lm.services import key_create

        user = user_get_by_email(email=options["email"])
        if user is None:
            raise CommandError(f"no user with email {options['email']}")
        created = key_create(
            owner=user,
            label=options["label"],
            partner=options["partner"],
            monthly_token_quota=options["quota"],
            requests_per_minute=options["rpm"],
            max_concurrent=options["concurrency"],
        )
        self.stdout.write(created.secret)

    def _train(self, options: dict[str, Any]) -> None:
        from sangsaeng.lm.engine.runtime import BUNDLED_MODEL_DIR, offline
        from sangsaeng.lm.training.corpus import corpus_collect
        from sangsaeng.lm.training.train import TrainConfig, model_train

        offline()
        for path in options["corpus"]:
            if not path.is_file():
                raise CommandError(f"--corpus {path}: no such file")
        if options["snapshot_only"] and not options["snapshot"]:
            raise CommandError("--snapshot-only needs --snapshot ID")
        snapshot, documents = None, []
        if options["snapshot"]:
            snapshot, texts = _snapshot_for_training(options["snapshot"])  # unknown: Problem, nothing written
            if not texts:
                raise CommandError(f"snapshot {snapshot['merkle_root']} has no accepted documents left")
            documents = [(f"snapshot:{snapshot['merkle_root'][:12]}", text) for text in texts]
            self.stderr.write(
                f"snapshot {snapshot['merkle_root']}: {len(texts):,} of {snapshot['document_count']:,} documents"
            )
        corpus = corpus_collect(
            extra=options["corpus"], documents=documents, offline_sources=not options["snapshot_only"]
        )
        if len(corpus.train) < 2 or not corpus.held_out:
            raise CommandError("too little text to train on (need at least two distinct Korean lines)")
        self.stderr.write(
            f"corpus: {corpus.chars:,} characters, {len(corpus.train):,} lines to train, "
            f"{len(corpus.held_out):,} held out"
        )
        config = TrainConfig()
        for field in _SIZE_FLAGS.values():
            if options.get(field):
                setattr(config, field, options[field])
        if options["steps"]:
            config.steps = options["steps"]
        config.eval_every = max(1, min(config.eval_every, config.steps))
        config.warmup = min(config.warmup, config.steps)
        out = options["out"] or BUNDLED_MODEL_DIR
        started = time.monotonic()
        result = model_train(corpus=corpus, out=out, config=config, progress=_bar, snapshot=snapshot)
        if snapshot:
            self.stdout.write(f"model card: snapshot {snapshot['merkle_root']} -> {out / 'model_card.json'}")
        self.stdout.write(
            f"held-out perplexity {result.held_out_perplexity} (step {result.best_step}), "
            f"{result.parameters:,} parameters, {time.monotonic() - started:.0f} s, saved to {out}\n"
            f"model.safetensors sha256 {result.sha256}"
        )

    def _server(self, options: dict[str, Any]) -> None:
        from sangsaeng.lm.engine.process import lm_server_run

        if settings.LM_BASE_URL:
            raise CommandError("LM_BASE_URL is set: /v1 forwards there, no LM process is needed")
        lm_server_run(
            host=options["host"],
            port=options["port"],
            model_dir=settings.LM_MODEL_DIR,
            dtype=settings.LM_DTYPE,
            name=settings.LM_MODEL_NAME,
            max_batch=settings.LM_MAX_BATCH,
        )
