"""Load a causal LM checkpoint from a local directory, once per LM process.

Any transformers causal-LM directory works: a GPT-J (KoGPT), a GPT-NeoX (Polyglot-Ko), or the
project's own bundled model. Nothing is ever downloaded: the hub is switched offline before
transformers is imported, and `local_files_only=True` is passed everywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BUNDLED_MODEL_DIR = Path(__file__).resolve().parent.parent / "model"
BUNDLED_MODEL_NAME = "sangsaeng-ko-mini"

# KoGPT's tokenizer has these in its vocabulary but its config does not name them; the model card
# tells users to pass them by hand, so we do it when they are present and unset.
KOGPT_SPECIAL_TOKENS = {
    "bos_token": "[BOS]",
    "eos_token": "[EOS]",
    "unk_token": "[UNK]",
    "pad_token": "[PAD]",
    "mask_token": "[MASK]",
}
DEFAULT_CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


def offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@dataclass
class Runtime:
    model: Any
    tokenizer: Any
    name: str
    device: str
    dtype: str
    context_length: int


def _dtype(name: str, device: str) -> Any:
    import torch

    choice = (name or "auto").lower()
    if choice == "auto":
        if device.startswith("cuda"):
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return torch.float32
    table = {"float32": torch.float32, "fp32": torch.float32, "float16": torch.float16, "fp16": torch.float16}
    table |= {"bfloat16": torch.bfloat16, "bf16": torch.bfloat16}
    if choice not in table:
        raise ValueError(f"LM_DTYPE must be auto, float32, float16 or bfloat16, not {name!r}")
    return table[choice]


def tokenizer_prepare(tokenizer: Any) -> Any:
    """Fill in KoGPT's special tokens, a pad token and a chat template where the checkpoint lacks them."""
    vocab = tokenizer.get_vocab()
    for attribute, token in KOGPT_SPECIAL_TOKENS.items():
        if getattr(tokenizer, attribute, None) is None and token in vocab:
            setattr(tokenizer, attribute, token)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
    if not getattr(tokenizer, "chat_template", None):
        tokenizer.chat_template = DEFAULT_CHAT_TEMPLATE
    tokenizer.padding_side = "left"
    return tokenizer


def runtime_load(*, model_dir: str = "", dtype: str = "auto", device: str = "", name: str = "") -> Runtime:
    """Load tokenizer and model from `model_dir` (the bundled model when empty), in eval mode."""
    offline()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = Path(model_dir) if model_dir else BUNDLED_MODEL_DIR
    if not (path / "config.json").exists():
        raise FileNotFoundError(f"no transformers checkpoint in {path} (config.json missing)")
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    torch_dtype = _dtype(dtype, device)
    tokenizer = tokenizer_prepare(AutoTokenizer.from_pretrained(path, local_files_only=True))
    model = AutoModelForCausalLM.from_pretrained(path, local_files_only=True, dtype=torch_dtype)
    model.to(device)
    model.eval()
    config = model.config
    context = int(
        getattr(config, "n_positions", 0) or getattr(config, "max_position_embeddings", 0) or tokenizer.model_max_length
    )
    return Runtime(
        model=model,
        tokenizer=tokenizer,
        name=name or (BUNDLED_MODEL_NAME if not model_dir else path.name),
        device=device,
        dtype=str(torch_dtype).removeprefix("torch."),
        context_length=context,
    )
