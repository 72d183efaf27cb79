"""/api/v1/insights: a partner's dashboard, single metrics, consented customers; the page-view beacon."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Field, Router, Schema, Status

from sangsaeng.core import ratelimit
from sangsaeng.core.errors import Problem
from sangsaeng.core.json_bounded import loads_bounded
from sangsaeng.insights import exports, selectors, services
from sangsaeng.insights.access import partners_for

router = Router(tags=["insights"])

BEACON_LIMIT_PER_MINUTE = 120


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class InsightsPartnerOut(Schema):
    ref: str
    name: str


class InsightsSummaryOut(Schema):
    gross: int
    discounts: int
    returns: int
    shipping: int
    total_sales: int = Field(description="gross - discounts - returns + shipping, in won")
    orders: int
    average_order_value: int


class InsightsDashboardOut(Schema):
    partner: InsightsPartnerOut
    range: dict[str, str]
    previous: dict[str, str]
    summary: InsightsSummaryOut
    summary_previous: InsightsSummaryOut
    change: dict[str, float | None]
    sales_daily: list[dict[str, Any]]
    sales_daily_previous: list[dict[str, Any]]
    funnel: list[dict[str, Any]]
    returning: dict[str, Any]
    top_products: list[dict[str, Any]]
    followers: list[dict[str, Any]]
    broadcasts: list[dict[str, Any]]
    cohorts: list[dict[str, Any]]
    freshness: dict[str, Any]


class InsightsCustomerOut(Schema):
    name: str
    email: str
    user_id: str
    segment: str
    recency_days: int
    frequency: int
    monetary: int
    r: int
    f: int
    m: int


@router.get("/insights/partners", response=list[InsightsPartnerOut], summary="Partners whose data I may see")
def partner_list(request: HttpRequest) -> list[dict[str, str]]:
    return [{"ref": ref, "name": name} for ref, name in sorted(partners_for(_user(request)).items())]


@router.get("/insights/partners/{ref}/dashboard", response=InsightsDashboardOut, summary="Dashboard with comparison")
def dashboard(request: HttpRequest, ref: str, start: str | None = None, end: str | None = None) -> dict[str, Any]:
    r = selectors.range_parse(start, end)
    return selectors.dashboard(actor=_user(request), ref=ref, r=r)


@router.get("/insights/partners/{ref}/metrics/{metric}", summary="One dashboard widget")
def metric(request: HttpRequest, ref: str, metric: str, start: str | None = None, end: str | None = None) -> Any:
    r = selectors.range_parse(start, end)
    return {"metric": metric, "value": selectors.metric(actor=_user(request), ref=ref, name=metric, r=r)}


@router.get(
    "/insights/partners/{ref}/customers", response=list[InsightsCustomerOut], summary="Consented customers with RFM"
)
def customers(request: HttpRequest, ref: str, segment: str | None = None) -> list[dict[str, Any]]:
    return selectors.customers(actor=_user(request), ref=ref, segment=segment)


@router.get("/insights/partners/{ref}/export", summary="Events as CSV or Parquet")
def export(
    request: HttpRequest, ref: str, format: str = "csv", start: str | None = None, end: str | None = None
) -> FileResponse:
    r = selectors.range_parse(start, end)
    path = exports.events_export(actor=_user(request), ref=ref, r=r, fmt=format)
    handle = path.open("rb")
    path.unlink()  # the open handle keeps the bytes until the response is sent
    kind = "text/csv; charset=utf-8" if format == "csv" else "application/vnd.apache.parquet"
    return FileResponse(handle, content_type=kind, as_attachment=True, filename=f"events-{r.start}-{r.end}.{format}")


@router.post("/insights/beacon", auth=None, response={204: None}, summary="First-party page-view beacon")
def beacon(request: HttpRequest) -> Status:
    """Page views from the storefront script. Malformed beacons are counted and dropped, never stored."""
    ip = request.META.get("REMOTE_ADDR", "")
    try:
        ratelimit.consume(scope="insights-beacon", key=ip, limit=BEACON_LIMIT_PER_MINUTE, window=60)
    except ratelimit.RateLimited as limited:
        services.beacon_drop_count("rate_limited")
        raise limited
    if len(request.body) > 2048:
        services.beacon_drop_count("too_large")
        raise Problem(code="beacon_malformed", ko="비콘이 너무 큽니다.", en="Beacon too large.")
    try:
        data = loads_bounded(request.body)
    except (ValueError, RecursionError):
        services.beacon_drop_count("not_json")
        raise Problem(code="beacon_malformed", ko="비콘을 읽을 수 없습니다.", en="Beacon is not JSON.") from None
    try:
        services.beacon_ingest(data)
    except services.BeaconDropped as dropped:
        raise Problem(
            code="beacon_malformed", ko="비콘 형식이 올바르지 않아 버렸습니다.", en=f"Beacon dropped: {dropped.reason}."
        ) from None
    return Status(204, None)
