"""Writing the index: documents from providers, analysed by Kiwi in batches, with their audience,
their full-text row and the vocabulary counts that typo tolerance reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import F

from sangsaeng.search.analysis import Analysis, analyse
from sangsaeng.search.backends import backend
from sangsaeng.search.backends.base import Row
from sangsaeng.search.hangul import initials_of_text
from sangsaeng.search.models import Audience, Document, Term
from sangsaeng.search.registry import PUBLIC, Doc, provider_get, providers

MAX_TEXT_CHARS = 10_000
BATCH = 200

Progress = Callable[[str, int, int | None], None]


def _terms(doc: Document) -> set[str]:
    return set(doc.title_terms.split()) | set(doc.text_terms.split())


def _vocabulary_apply(delta: Counter[str]) -> None:
    """Add the document-frequency changes to the vocabulary (rows are created on first sight)."""
    by_change: dict[int, list[str]] = {}
    for term, change in delta.items():
        if change:
            by_change.setdefault(change, []).append(term)
    new = [t for change, terms in by_change.items() if change > 0 for t in terms]
    for chunk in _chunks(new, 500):
        Term.objects.bulk_create([Term(term=t, rev=t[::-1], df=0) for t in chunk], ignore_conflicts=True)
    for change, terms in by_change.items():
        for chunk in _chunks(terms, 500):
            Term.objects.filter(term__in=chunk).update(df=F("df") + change)


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def index_documents(docs: Sequence[Doc], *, analyser: Callable[[Sequence[str]], list[Analysis]] = analyse) -> int:
    """Insert or update these documents in the index (one Kiwi batch for all of them).

    `analyser` is Kiwi's analysis; the benchmark passes one that reuses analyses of the sentences
    its synthetic documents are made of, to fill 100,000 documents in minutes, not hours."""
    docs = list({(d.kind, d.id): d for d in docs}.values())
    if not docs:
        return 0
    texts = [d.text[:MAX_TEXT_CHARS] for d in docs]
    analyses = analyser([d.title[:300] for d in docs] + texts)
    titles, bodies = analyses[: len(docs)], analyses[len(docs) :]
    delta: Counter[str] = Counter()
    with transaction.atomic():
        existing = {
            (row.kind, row.key): row
            for kind in {d.kind for d in docs}
            for row in Document.objects.filter(kind=kind, key__in=[d.id for d in docs if d.kind == kind])
        }
        fresh: list[Document] = []
        changed: list[Document] = []
        for doc, text, title_a, body_a in zip(docs, texts, titles, bodies, strict=True):
            row = existing.get((doc.kind, doc.id))
            before = _terms(row) if row is not None else set()
            if row is None:
                row = Document(kind=doc.kind, key=doc.id)
                fresh.append(row)
            else:
                changed.append(row)
            row.owner_id = doc.owner_id
            row.visibility = PUBLIC if doc.visibility == PUBLIC else Document.Visibility.PRIVATE
            row.title = doc.title[:300]
            row.text = text
            row.date = doc.date
            row.price = doc.price
            row.url = doc.url[:500]
            row.extra = doc.extra
            row.title_terms = " ".join(title_a.terms)
            row.text_terms = " ".join(body_a.terms)
            row.initials = " ".join(initials_of_text(doc.title))
            row.spans = {"title": title_a.spans, "text": body_a.spans}
            after = _terms(row)
            delta.update({t: 1 for t in after - before})
            delta.update({t: -1 for t in before - after})
        Document.objects.bulk_create(fresh, batch_size=500)
        if any(r.pk is None for r in fresh):  # a database that can't return ids from bulk inserts
            ids = dict(
                ((k, key), pk)
                for k, key, pk in Document.objects.filter(key__in=[r.key for r in fresh]).values_list(
                    "kind", "key", "pk"
                )
            )
            for r in fresh:
                r.pk = ids[(r.kind, r.key)]
        fields = [
            "owner",
            "visibility",
            "title",
            "text",
            "date",
            "price",
            "url",
            "extra",
            "title_terms",
            "text_terms",
            "initials",
            "spans",
        ]
        Document.objects.bulk_update(changed, fields, batch_size=500)
        rows = fresh + changed
        Audience.objects.filter(document__in=changed).delete()
        by_key = {(r.kind, r.key): r for r in rows}
        audience: list[Audience] = []
        for doc in docs:
            members = set(doc.audience)
            if doc.owner_id is not None:
                members.add(doc.owner_id)
            audience.extend(Audience(document_id=by_key[(doc.kind, doc.id)].pk, user_id=u) for u in members)
        Audience.objects.bulk_create(audience, batch_size=1000)
        backend().write([Row(r.pk, r.title_terms, r.text_terms, r.initials) for r in rows])
        _vocabulary_apply(delta)
    return len(docs)


def index_remove(*, kind: str, ids: Iterable[str]) -> int:
    """Take these documents out of the index."""
    keys = [str(i) for i in ids]
    with transaction.atomic():
        rows = list(Document.objects.filter(kind=kind, key__in=keys))
        if not rows:
            return 0
        delta: Counter[str] = Counter()
        for row in rows:
            delta.update({t: -1 for t in _terms(row)})
        backend().delete([r.pk for r in rows])
        Document.objects.filter(pk__in=[r.pk for r in rows]).delete()
        _vocabulary_apply(delta)
    return len(rows)


def index_refresh(*, kind: str, ids: Sequence[str]) -> None:
    """Re-read these documents from their provider: changed ones are re-indexed, gone ones removed."""
    provider = provider_get(kind)
    if provider is None:
        return
    docs = list(provider.documents(list(ids)))
    index_documents(docs)
    found = {d.id for d in docs}
    index_remove(kind=kind, ids=[i for i in ids if i not in found])


def _batches(docs: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    iterator = iter(docs)
    while batch := list(islice(iterator, size)):
        yield batch


def reindex(*, kinds: Sequence[str] | None = None, progress: Progress | None = None) -> dict[str, Any]:
    """Rebuild the index from every provider (or the kinds named); documents no provider yields
    any more are removed. Safe to run while searches run: each batch is its own transaction."""
    counts: dict[str, int] = {}
    for kind, provider in sorted(providers().items()):
        if kinds and kind not in kinds:
            continue
        total_of = getattr(provider, "count", None)
        total = int(total_of()) if callable(total_of) else None
        seen: set[str] = set()
        done = 0
        for batch in _batches(provider.documents(None), BATCH):
            index_documents(batch)
            seen.update(d.id for d in batch)
            done += len(batch)
            if progress:
                progress(kind, done, total)
        stale = [k for k in Document.objects.filter(kind=kind).values_list("key", flat=True) if k not in seen]
        for chunk in _chunks(stale, 500):
            index_remove(kind=kind, ids=chunk)
        if progress:
            progress(kind, done, done)
        counts[kind] = done
    Term.objects.filter(df__lte=0).delete()
    orphans = backend().vacuum()
    return {"documents": counts, "orphans_removed": orphans}
