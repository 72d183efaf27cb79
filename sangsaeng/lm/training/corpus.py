"""Korean text that is already on this machine, so `sangsaeng lm train` needs no download.

Sources, in order:
- the Korean catalogues (`locale/ko/**/*.po`) shipped inside installed packages: Django and its
  contrib apps, django-allauth, and any other package that carries one (BSD/MIT licensed);
- sangsaeng's own Korean message ids (the UI is written in Korean first);
- konlpy's statute and bill corpora (`kolaw`, `kobill`) when konlpy happens to be installed;
- any `--corpus FILE` given: one document per line;
- with `--snapshot ID`, the accepted documents of that LM commons snapshot (each line of a
  document is a line here). `--snapshot-only` leaves the offline sources above out.

Placeholders (`%(name)s`, `{0}`), HTML tags and lines without Hangul are dropped; the rest is
deduplicated. A stable 5 % of lines, chosen by hash, is held out for perplexity.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sysconfig
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HANGUL = re.compile(r"[\uac00-\ud7a3]")
_PLACEHOLDER = re.compile(r"%\([^)]*\)[sdfr]|%[sdfr]|\{[^}]*\}|<[^>]+>|&[a-z]+;")
_SPACES = re.compile(r"\s+")


@dataclass
class Corpus:
    train: list[str] = field(default_factory=list)
    held_out: list[str] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)

    @property
    def chars(self) -> int:
        return sum(len(line) for line in self.train) + sum(len(line) for line in self.held_out)


def clean(text: str) -> str:
    return _SPACES.sub(" ", _PLACEHOLDER.sub("", text)).strip()


def _po_strings(path: Path, *, want: str) -> Iterator[str]:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        values: Any = message.id if want == "id" else message.string
        for value in values if isinstance(values, tuple | list) else [values]:
            if value:
                yield str(value)


def site_packages_catalogues() -> list[Path]:
    root = Path(sysconfig.get_paths()["purelib"])
    return sorted(p for p in root.glob("**/locale/ko/LC_MESSAGES/*.po") if p.is_file())


def project_catalogues() -> list[Path]:
    root = Path(__file__).resolve().parents[2]
    return sorted(root.glob("*/locale/en/LC_MESSAGES/django.po"))


def _konlpy_texts() -> Iterator[tuple[str, str]]:
    # Located without importing konlpy, whose import starts looking for a JVM.
    spec = importlib.util.find_spec("konlpy")
    if spec is None or not spec.submodule_search_locations:
        return
    base = Path(next(iter(spec.submodule_search_locations))) / "data" / "corpus"
    for name in ("kolaw", "kobill"):
        for path in sorted((base / name).glob("*.txt")):
            for line in path.read_text(encoding="utf-8", errors="ignore").splitlines():
                yield f"konlpy:{name}", line


def _offline_lines() -> Iterator[tuple[str, str]]:
    for path in site_packages_catalogues():
        package = path.parts[path.parts.index("locale") - 1]
        for text in _po_strings(path, want="str"):
            for line in text.splitlines():
                yield f"po:{package}", line
    for path in project_catalogues():
        for text in _po_strings(path, want="id"):
            for line in text.splitlines():
                yield "sangsaeng", line
    yield from _konlpy_texts()


def _raw_lines(
    extra: Iterable[Path], documents: Iterable[tuple[str, str]], *, offline_sources: bool
) -> Iterator[tuple[str, str]]:
    if offline_sources:
        yield from _offline_lines()
    for source, text in documents:
        for line in text.splitlines():
            yield source, line
    for path in extra:
        for line in path.read_text(encoding="utf-8").splitlines():
            yield f"file:{path.name}", line


def is_held_out(line: str, *, percent: int = 5) -> bool:
    return int(hashlib.sha256(line.encode()).hexdigest()[:8], 16) % 100 < percent


def corpus_collect(
    *, extra: Iterable[Path] = (), documents: Iterable[tuple[str, str]] = (), offline_sources: bool = True
) -> Corpus:
    """Every Korean line found, cleaned, deduplicated and split into train and held-out.

    `documents` are (source, text) pairs, e.g. ("snapshot:<root>", text) for an LM commons snapshot."""
    corpus = Corpus()
    seen: set[str] = set()
    for source, raw in _raw_lines(extra, documents, offline_sources=offline_sources):
        line = clean(raw)
        if len(line) < 2 or not HANGUL.search(line) or line in seen:
            continue
        seen.add(line)
        corpus.sources[source] = corpus.sources.get(source, 0) + len(line)
        (corpus.held_out if is_held_out(line) else corpus.train).append(line)
    if not corpus.held_out and len(corpus.train) >= 2:
        # A small corpus (a young snapshot alone) may have no line in the 5 %: hold out the line with
        # the lowest hash, so perplexity is still measured on text the model never trained on.
        first = min(corpus.train, key=lambda text: hashlib.sha256(text.encode()).hexdigest())
        corpus.train.remove(first)
        corpus.held_out.append(first)
    return corpus
