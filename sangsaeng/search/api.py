"""/api/v1/search: Korean search over everything the caller may open, and autocomplete."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sangsaeng.search import services

router = Router(tags=["search"])
SEOUL = ZoneInfo("Asia/Seoul")


class SearchQuery(Schema):
    q: str = Field(
        "", max_length=1000, description="Korean, English or initial consonants (ㄱㅁㅈ)", examples=["제주 사진"]
    )
    type: str = Field("", max_length=200, description="Kinds, comma-separated: media, album, card, ...")
    from_: date | None = Field(None, alias="from", description="On or after this day (Asia/Seoul)")
    to: date | None = Field(None, description="On or before this day (Asia/Seoul)")
    price_min: int | None = Field(None, ge=0, le=10**12)
    price_max: int | None = Field(None, ge=0, le=10**12)
    limit: int = Field(20, ge=1, le=50)
    offset: int = Field(0, ge=0, le=1000)


class SearchHitOut(Schema):
    kind: str
    id: str
    title: str
    url: str
    date: datetime | None
    price: int | None
    score: float
    title_highlights: list[tuple[int, int]] = Field(description="[start, end) ranges on `title`")
    snippet: str
    snippet_highlights: list[tuple[int, int]] = Field(description="[start, end) ranges on `snippet`")
    title_html: str
    snippet_html: str
    extra: dict[str, Any]


class SearchResultsOut(Schema):
    query: str
    terms: list[str]
    corrections: dict[str, list[str]]
    more: bool
    results: list[SearchHitOut]


class SearchSuggestionOut(Schema):
    text: str
    kind: str
    url: str
    html: str


class SearchSuggestQuery(Schema):
    q: str = Field("", max_length=1000, examples=["제주"])
    limit: int = Field(8, ge=1, le=20)


def _day_start(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=SEOUL).astimezone(UTC) if day else None


@router.get("/search/", response=SearchResultsOut, summary="Search everything I may open")
def search(request: HttpRequest, filters: Query[SearchQuery]) -> SearchResultsOut:
    kinds = tuple(dict.fromkeys(k.strip() for k in filters.type.split(",") if k.strip()))
    found = services.search(
        user=request.auth,  # type: ignore[attr-defined]
        q=filters.q,
        kinds=kinds,
        date_from=_day_start(filters.from_),
        date_to=_day_start(filters.to + timedelta(days=1)) if filters.to else None,
        price_min=filters.price_min,
        price_max=filters.price_max,
        limit=filters.limit,
        offset=filters.offset,
    )
    return SearchResultsOut(
        query=found.query,
        terms=found.terms,
        corrections=found.corrections,
        more=found.more,
        results=[
            SearchHitOut(
                kind=h.kind,
                id=h.id,
                title=h.title,
                url=h.url,
                date=h.date,
                price=h.price,
                score=h.score,
                title_highlights=h.title_marks,
                snippet=h.snippet,
                snippet_highlights=h.snippet_marks,
                title_html=h.title_html,
                snippet_html=h.snippet_html,
                extra=h.extra,
            )
            for h in found.hits
        ],
    )


@router.get("/search/suggest", response=list[SearchSuggestionOut], summary="Autocomplete as I type")
def suggest(request: HttpRequest, params: Query[SearchSuggestQuery]) -> list[SearchSuggestionOut]:
    found = services.suggest(user=request.auth, q=params.q, limit=params.limit)  # type: ignore[attr-defined]
    return [SearchSuggestionOut(**s) for s in found]
