"""Running a search: plan, index, the provider's final visibility check, highlights."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sangsaeng.core.errors import Problem
from sangsaeng.search.backends import backend
from sangsaeng.search.backends.base import Filters, Plan
from sangsaeng.search.highlight import Marks, marks_for_initials, marks_from_spans, matcher, snippet, to_html
from sangsaeng.search.models import Document
from sangsaeng.search.query import Parsed, parse
from sangsaeng.search.registry import provider_get, providers

MAX_LIMIT = 50
MAX_OFFSET = 1000


@dataclass
class Hit:
    kind: str
    id: str
    title: str
    url: str
    date: datetime | None
    price: int | None
    extra: dict[str, Any]
    score: float
    title_marks: Marks
    snippet: str
    snippet_marks: Marks
    matched: set[str] = field(default_factory=set)

    @property
    def title_html(self) -> str:
        return to_html(self.title, self.title_marks)

    @property
    def snippet_html(self) -> str:
        return to_html(self.snippet, self.snippet_marks)


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False
    terms: list[str] = field(default_factory=list)
    corrections: dict[str, list[str]] = field(default_factory=dict)


def _user_id(user: Any) -> int | None:
    return int(user.pk) if user is not None and getattr(user, "is_authenticated", False) else None


def filters_check(
    *,
    kinds: tuple[str, ...],
    date_from: datetime | None,
    date_to: datetime | None,
    price_min: int | None,
    price_max: int | None,
) -> Filters:
    unknown = [k for k in kinds if k not in providers()]
    if unknown:
        raise Problem(
            code="invalid_type",
            status=422,
            ko="알 수 없는 검색 유형입니다.",
            en=f"Unknown type: {unknown[0]}.",
            field="type",
        )
    if date_from and date_to and date_from >= date_to:
        raise Problem(
            code="invalid_range",
            status=422,
            ko="시작 날짜가 끝 날짜보다 늦습니다.",
            en="'from' must be before 'to'.",
            field="from",
        )
    for name, value in (("price_min", price_min), ("price_max", price_max)):
        if value is not None and value < 0:
            raise Problem(
                code="invalid_price",
                status=422,
                ko="가격은 0 이상이어야 합니다.",
                en="Prices are 0 or more.",
                field=name,
            )
    if price_min is not None and price_max is not None and price_min > price_max:
        raise Problem(
            code="invalid_range",
            status=422,
            ko="최소 가격이 최대 가격보다 큽니다.",
            en="price_min is above price_max.",
            field="price_min",
        )
    return Filters(kinds=kinds, date_from=date_from, date_to=date_to, price_min=price_min, price_max=price_max)


def _visible(user: Any, rows: list[Document]) -> list[Document]:
    """The final check: each provider confirms the user may open what the index returned."""
    allowed: set[tuple[str, str]] = set()
    for kind in {r.kind for r in rows}:
        provider = provider_get(kind)
        if provider is None:
            continue
        keys = [r.key for r in rows if r.kind == kind]
        allowed |= {(kind, k) for k in provider.visible(user=user if _user_id(user) else None, ids=keys)}
    return [r for r in rows if (r.kind, r.key) in allowed]


def _hit(row: Document, score: float, parsed: Parsed) -> Hit:
    if parsed.initials:
        title_marks = marks_for_initials(row.title, parsed.initials)
        text_marks: Marks = []
        matched: set[str] = set()
    else:
        exact = {t for g in parsed.plan.groups for a in g if not a.prefix for t in a.terms}
        prefixes = {a.terms[-1] for g in parsed.plan.groups for a in g if a.prefix}
        matches = matcher(exact, prefixes)
        title_marks = marks_from_spans(row.spans.get("title", []), matches)
        text_marks = marks_from_spans(row.spans.get("text", []), matches)
        matched = {str(t) for part in ("title", "text") for _s, _e, t in row.spans.get(part, []) if matches(str(t))}
    text, marks = snippet(row.text, text_marks)
    return Hit(
        kind=row.kind,
        id=row.key,
        title=row.title,
        url=row.url,
        date=row.date,
        price=row.price,
        extra=row.extra,
        score=round(score, 6),
        title_marks=title_marks,
        snippet=text,
        snippet_marks=marks,
        matched=matched,
    )


def run_plan(*, parsed: Parsed, user: Any, filters: Filters, limit: int, offset: int) -> tuple[list[Hit], bool]:
    found = backend().search(plan=parsed.plan, user_id=_user_id(user), filters=filters, limit=limit + 1, offset=offset)
    more = len(found) > limit
    found = found[:limit]
    rows = Document.objects.in_bulk([i for i, _s in found])
    ordered = [rows[i] for i, _s in found if i in rows]
    visible = {r.pk for r in _visible(user, ordered)}
    scores = dict(found)
    return [_hit(r, scores[r.pk], parsed) for r in ordered if r.pk in visible], more


def search(
    *,
    user: Any,
    q: str,
    kinds: tuple[str, ...] = (),
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    price_min: int | None = None,
    price_max: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Results:
    """Everything this user may open that matches `q`, best first, with highlights.

    Another user's private documents are excluded in SQL and again by their provider. An empty or
    unsearchable query (only punctuation) gives no results, never an error.
    """
    filters = filters_check(kinds=kinds, date_from=date_from, date_to=date_to, price_min=price_min, price_max=price_max)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, MAX_OFFSET))
    parsed = parse(q)
    results = Results(query=q, terms=parsed.terms)
    if not parsed.plan:
        return results
    results.hits, results.more = run_plan(parsed=parsed, user=user, filters=filters, limit=limit, offset=offset)
    # only corrections that the visible results contain: the vocabulary spans every user's documents
    shown = {t for h in results.hits for t in h.matched}
    results.corrections = {k: [f for f in v if f in shown] for k, v in parsed.corrections.items() if set(v) & shown}
    return results


def suggest(*, user: Any, q: str, limit: int = 8) -> list[dict[str, str]]:
    """Autocomplete: titles of documents the user may open whose terms start like the query."""
    parsed = parse(q, prefix_last=True)
    if not parsed.plan:
        return []
    hits, _more = run_plan(parsed=parsed, user=user, filters=Filters(), limit=max(1, min(limit, 20)), offset=0)
    seen: set[str] = set()
    out = []
    for hit in hits:
        if hit.title in seen:
            continue
        seen.add(hit.title)
        out.append({"text": hit.title, "kind": hit.kind, "url": hit.url, "html": hit.title_html})
    return out


__all__ = ["Hit", "Plan", "Results", "search", "suggest"]
