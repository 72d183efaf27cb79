"""Model cards: what a checkpoint was trained on, and how to check it is that checkpoint.

`sangsaeng lm train` writes `model_card.json` (machine-readable) and `MODEL_CARD.md` next to the
weights. The web side reads `model_card.json` of the served model folder (LM_MODEL_DIR, else the
bundled one) for `/v1/models` and the playground page. Nothing here imports torch.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

CARD_JSON = "model_card.json"
CARD_MD = "MODEL_CARD.md"
CARD_VERSION = 1


def card_build(
    *,
    name: str,
    result: dict[str, Any],
    config: dict[str, Any],
    corpus: dict[str, Any],
    snapshot: dict[str, Any] | None,
    architecture: str = "GPTJForCausalLM",
) -> dict[str, Any]:
    """The card as a dict. `result` and `config` are TrainResult/TrainConfig as dicts; `snapshot`
    is {"id", "merkle_root", "document_count", "token_count", "documents_used"} or None."""
    return {
        "card_version": CARD_VERSION,
        "name": name,
        "architecture": architecture,
        "parameters": result["parameters"],
        "snapshot": snapshot,
        "corpus": corpus,
        "hyperparameters": config,
        "metrics": {
            "held_out_perplexity": result["held_out_perplexity"],
            "best_step": result["best_step"],
            "train_tokens": result["train_tokens"],
            "held_out_tokens": result["held_out_tokens"],
            "seconds": result["seconds"],
        },
        "checkpoint": {"file": "model.safetensors", "sha256": result["sha256"]},
    }


def card_markdown(card: dict[str, Any]) -> str:
    snap = card["snapshot"]
    metrics, corpus = card["metrics"], card["corpus"]
    hyper = ", ".join(f"{k} {v}" for k, v in card["hyperparameters"].items())
    rows = [
        ("architecture", f"{card['architecture']}, {card['parameters']:,} parameters"),
        ("sha256 of model.safetensors", f"`{card['checkpoint']['sha256']}`"),
        (
            "held-out perplexity",
            f"**{metrics['held_out_perplexity']}** (step {metrics['best_step']}, "
            f"{metrics['held_out_tokens']:,} held-out tokens)",
        ),
        ("training", f"{hyper}; {metrics['train_tokens']:,} training tokens, {metrics['seconds']} s"),
        ("corpus", f"{corpus['train_lines']:,} lines to train, {corpus['held_out_lines']:,} held out"),
    ]
    if snap:
        rows.insert(
            0,
            (
                "LM commons snapshot",
                f"`{snap['id']}`, Merkle root `{snap['merkle_root']}`, {snap['documents_used']:,} of "
                f"{snap['document_count']:,} documents still accepted",
            ),
        )
    else:
        rows.insert(0, ("LM commons snapshot", "none (offline corpus only)"))
    table = "\n".join(f"| {key} | {value} |" for key, value in rows)
    sources = "\n".join(f"| {src} | {chars:,} |" for src, chars in sorted(corpus["sources"].items()))
    return (
        f"# {card['name']}\n\n"
        "Written by `sangsaeng lm train`; the same facts are in `model_card.json`.\n\n"
        f"| | |\n|---|---|\n{table}\n\n"
        f"## Data\n\n| source | characters |\n|---|---|\n{sources}\n\n"
        "Check the weights: `sha256sum model.safetensors` must print the hash above. Check the data: "
        "`sangsaeng commons export <merkle root>` lists the snapshot's documents; their hashes give the root.\n"
    )


def card_write(*, out: Path, card: dict[str, Any]) -> None:
    (out / CARD_JSON).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / CARD_MD).write_text(card_markdown(card), encoding="utf-8")


def served_model_dir() -> Path:
    from sangsaeng.lm.engine.runtime import BUNDLED_MODEL_DIR  # module level is stdlib only

    return Path(settings.LM_MODEL_DIR) if settings.LM_MODEL_DIR else BUNDLED_MODEL_DIR


@lru_cache(maxsize=8)
def _card_cached(path: str, mtime_ns: int) -> dict[str, Any] | None:
    try:
        card = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return card if isinstance(card, dict) else None


def card_read(model_dir: Path | None = None) -> dict[str, Any] | None:
    """The served model's card, or None when its folder has none (a KoGPT or Polyglot-Ko download)."""
    path = (model_dir or served_model_dir()) / CARD_JSON
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    return _card_cached(str(path), mtime)


def provenance(model_dir: Path | None = None) -> dict[str, Any] | None:
    """The `sangsaeng` field of a `/v1/models` entry: which snapshot trained the model, and the
    checkpoint's hash. None when the served model has no card."""
    card = card_read(model_dir)
    if card is None:
        return None
    snap = card.get("snapshot") or None
    checkpoint = card.get("checkpoint") or {}
    metrics = card.get("metrics") or {}
    return {
        "snapshot": {"id": snap.get("id"), "merkle_root": snap.get("merkle_root")} if isinstance(snap, dict) else None,
        "checkpoint_sha256": checkpoint.get("sha256"),
        "held_out_perplexity": metrics.get("held_out_perplexity"),
    }
