"""/api/v1/contributions: contribute Korean text to the LM commons (paste or upload) and follow the
pipeline's decision on each document."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from sangsaeng.accounts.selectors import User
from sangsaeng.contributions import exports_http, selectors, services
from sangsaeng.contributions.models import Contribution, RevenueDistribution, RevenueStatement, Takedown
from sangsaeng.core.schemas import StrictInput

router = Router(tags=["contributions"])

LicenceIn = Literal["cc0", "cc_by", "own_work"]


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


class ContributionsPasteIn(StrictInput):
    text: str = Field(..., max_length=2_000_000, description="txt or md text, or jsonl lines")
    format: Literal["txt", "md", "jsonl"] = "txt"
    licence: LicenceIn
    licence_accepted: bool = Field(..., description="The contributor releases the text under the chosen licence")
    title: str = Field("", max_length=200)
    attribution: str = Field("", max_length=200, description="Required for CC BY")


class ContributionsDocumentOut(Schema):
    index: int
    status: str
    reasons: list[str]
    steps: list[dict[str, object]]
    scrubbed_spans: list[dict[str, object]]
    token_count: int
    sha256: str


class ContributionsContributionOut(Schema):
    id: UUID
    title: str
    licence: str
    status: str
    reasons: list[str]
    token_count: int
    sha256: str
    created_at: datetime
    processed_at: datetime | None
    documents: list[ContributionsDocumentOut] = []


def _out(c: Contribution, *, with_documents: bool = False) -> ContributionsContributionOut:
    docs = [
        ContributionsDocumentOut(
            index=d.index,
            status=d.status,
            reasons=d.reasons,
            steps=d.steps,
            scrubbed_spans=d.spans,
            token_count=d.token_count,
            sha256=d.sha256,
        )
        for d in (selectors.contribution_documents(contribution=c) if with_documents else [])
    ]
    return ContributionsContributionOut(
        id=c.public_id,
        title=c.title,
        licence=c.licence,
        status=c.status,
        reasons=c.reasons,
        token_count=c.token_count,
        sha256=c.sha256,
        created_at=c.created_at,
        processed_at=c.processed_at,
        documents=docs,
    )


@router.post("/contributions", response={202: ContributionsContributionOut}, summary="Contribute pasted text")
def contribution_paste(request: HttpRequest, payload: ContributionsPasteIn) -> Status[ContributionsContributionOut]:
    c = services.contribution_create(
        owner=_user(request),
        raw=payload.text.encode(),
        name=f"paste.{payload.format}",
        licence=payload.licence,
        licence_accepted=payload.licence_accepted,
        title=payload.title,
        attribution=payload.attribution,
    )
    c.refresh_from_db()
    return Status(202, _out(c, with_documents=True))


@router.post(
    "/contributions/upload", response={202: ContributionsContributionOut}, summary="Contribute a txt, md or jsonl file"
)
def contribution_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    licence: Form[LicenceIn],
    licence_accepted: Form[bool],
    title: Form[str] = "",
    attribution: Form[str] = "",
) -> Status[ContributionsContributionOut]:
    raw = file.read(settings.CONTRIBUTIONS_MAX_UPLOAD_BYTES + 1)
    c = services.contribution_create(
        owner=_user(request),
        raw=raw,
        name=file.name or "upload.txt",
        licence=licence,
        licence_accepted=licence_accepted,
        title=title[:200],
        attribution=attribution[:200],
    )
    c.refresh_from_db()
    return Status(202, _out(c, with_documents=True))


@router.get("/contributions", response=list[ContributionsContributionOut], summary="My contributions")
def contribution_list(request: HttpRequest) -> list[ContributionsContributionOut]:
    return [_out(c) for c in selectors.contribution_list(owner=_user(request))]


@router.get(
    "/contributions/{uuid:contribution_id}",
    response=ContributionsContributionOut,
    summary="One of my contributions, per document",
)
def contribution_get(request: HttpRequest, contribution_id: UUID) -> ContributionsContributionOut:
    return _out(selectors.contribution_get(owner=_user(request), public_id=contribution_id), with_documents=True)


# --- takedown: anyone signed in reports; operators (staff) decide -------------------------------


class ContributionsReportIn(StrictInput):
    contribution_id: UUID | None = Field(None, description="The reported contribution")
    document_sha256: str = Field("", max_length=64, description="Or the hash of one of its documents in a snapshot")
    reason: str = Field(..., max_length=2000)


class ContributionsDecisionIn(StrictInput):
    decision: Literal["dismiss", "remove"]
    note: str = Field("", max_length=2000)


class ContributionsReportOut(Schema):
    id: UUID
    contribution_id: UUID
    reason: str
    status: str
    created_at: datetime
    decided_at: datetime | None
    note: str
    frozen_shares: str


def _report_out(t: Takedown) -> ContributionsReportOut:
    return ContributionsReportOut(
        id=t.public_id,
        contribution_id=t.contribution.public_id,
        reason=t.reason,
        status=t.status,
        created_at=t.created_at,
        decided_at=t.decided_at,
        note=t.note,
        frozen_shares=str(t.frozen_shares),
    )


@router.post("/contributions/reports", response={201: ContributionsReportOut}, summary="Report a contribution")
def report_create(request: HttpRequest, payload: ContributionsReportIn) -> Status[ContributionsReportOut]:
    t = services.takedown_report(
        reporter=_user(request),
        reason=payload.reason,
        contribution_id=payload.contribution_id,
        document_sha256=payload.document_sha256,
    )
    return Status(201, _report_out(t))


@router.get("/contributions/reports", response=list[ContributionsReportOut], summary="Report queue (operators)")
def report_queue(request: HttpRequest, status: str = "open") -> list[ContributionsReportOut]:
    return [_report_out(t) for t in selectors.takedown_queue(actor=_user(request), status=status)]


@router.post(
    "/contributions/reports/{report_id}/decision",
    response=ContributionsReportOut,
    summary="Dismiss a report or remove the contribution (operators)",
)
def report_decide(request: HttpRequest, report_id: UUID, payload: ContributionsDecisionIn) -> ContributionsReportOut:
    t = services.takedown_decide(
        actor=_user(request), takedown_id=report_id, decision=payload.decision, note=payload.note
    )
    return _report_out(t)


# --- snapshots: manifest, JSONL and Parquet ------------------------------------------------------


class ContributionsSnapshotOut(Schema):
    merkle_root: str
    document_count: int
    token_count: int
    created_at: datetime
    anchor: dict[str, object] | None


@router.get("/contributions/snapshots", response=list[ContributionsSnapshotOut], summary="Dataset snapshots")
def snapshot_list(request: HttpRequest) -> list[ContributionsSnapshotOut]:
    return [
        ContributionsSnapshotOut(
            merkle_root=s.merkle_root,
            document_count=s.document_count,
            token_count=s.token_count,
            created_at=s.created_at,
            anchor=selectors.snapshot_anchor_info(snapshot=s),
        )
        for s in selectors.snapshot_list()
    ]


@router.get("/contributions/snapshots/{root}/manifest", summary="A snapshot's manifest (hashes and Merkle root)")
def snapshot_manifest(request: HttpRequest, root: str) -> dict[str, object]:
    return selectors.snapshot_manifest(root=root)


@router.get("/contributions/snapshots/{root}/documents.jsonl", summary="A snapshot's documents as JSONL")
def snapshot_jsonl(request: HttpRequest, root: str) -> HttpResponseBase:
    return exports_http.jsonl_response(root=root)


@router.get("/contributions/snapshots/{root}/documents.parquet", summary="A snapshot's documents as Parquet")
def snapshot_parquet(request: HttpRequest, root: str) -> HttpResponseBase:
    return exports_http.parquet_response(root=root)


# --- revenue: a month's LM API revenue share, paid to share holders, with statements -------------


class ContributionsStatementOut(Schema):
    id: UUID
    period: str = Field(..., description="YYYY-MM, a calendar month in Asia/Seoul", examples=["2026-11"])
    wallet_address: str
    shares_held: str = Field(..., description="On-chain holdings in base units (18 decimals)")
    shares_frozen: str = Field(..., description="Frozen shares (removed contributions), left out")
    shares_eligible: str = Field(..., description="Held less frozen: what the pool is split over")
    eligible_shares_total: str
    revenue_won: int
    share_bps: int = Field(..., description="The commons' share of LM revenue in basis points")
    pool_won: int
    amount_won: int = Field(..., description="Paid into the holder's Pay wallet")
    remainder_won: int = Field(..., description="1 when the largest-remainder rule gave this holder a won")
    ledger_entry: UUID | None
    created_at: datetime


def _statement_out(s: RevenueStatement) -> ContributionsStatementOut:
    d = s.distribution
    return ContributionsStatementOut(
        id=s.public_id,
        period=s.period,
        wallet_address=s.wallet_address,
        shares_held=str(s.shares_held),
        shares_frozen=str(s.shares_frozen),
        shares_eligible=str(s.shares_eligible),
        eligible_shares_total=str(d.eligible_shares),
        revenue_won=d.revenue_won,
        share_bps=d.share_bps,
        pool_won=d.pool_won,
        amount_won=s.amount_won,
        remainder_won=s.remainder_won,
        ledger_entry=s.entry,
        created_at=s.created_at,
    )


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/contributions/statements", response=list[ContributionsStatementOut], summary="My revenue statements")
def statement_list(request: HttpRequest) -> list[ContributionsStatementOut]:
    return [_statement_out(s) for s in selectors.statement_list(owner=_user(request))]


CSV_RESPONSE = {"responses": {200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}}


@router.get("/contributions/statements/csv", summary="My revenue statements as CSV", openapi_extra=CSV_RESPONSE)
def statement_list_csv(request: HttpRequest) -> HttpResponse:
    return _csv(selectors.statements_csv(selectors.statement_list(owner=_user(request))), "commons-statements.csv")


@router.get(
    "/contributions/statements/{uuid:statement_id}",
    response=ContributionsStatementOut,
    summary="One of my revenue statements (someone else's is 404)",
)
def statement_get(request: HttpRequest, statement_id: UUID) -> ContributionsStatementOut:
    return _statement_out(selectors.access_statement(actor=_user(request), statement_id=statement_id))


@router.get(
    "/contributions/statements/{uuid:statement_id}/csv",
    summary="One of my revenue statements as CSV",
    openapi_extra=CSV_RESPONSE,
)
def statement_csv(request: HttpRequest, statement_id: UUID) -> HttpResponse:
    s = selectors.access_statement(actor=_user(request), statement_id=statement_id)
    return _csv(selectors.statements_csv([s]), f"commons-statement-{s.period}.csv")


class ContributionsDistributeIn(StrictInput):
    period: str = Field(..., max_length=32, description="YYYY-MM, a closed month in Asia/Seoul", examples=["2026-11"])


class ContributionsDistributionOut(Schema):
    id: UUID
    period: str
    tokens: int
    price_won_per_1k_tokens: int
    revenue_won: int
    share_bps: int
    pool_won: int
    holders: int
    eligible_shares: str
    excluded_frozen_shares: str
    created_at: datetime


def _distribution_out(d: RevenueDistribution) -> ContributionsDistributionOut:
    return ContributionsDistributionOut(
        id=d.public_id,
        period=d.period,
        tokens=d.tokens,
        price_won_per_1k_tokens=d.price_won_per_1k_tokens,
        revenue_won=d.revenue_won,
        share_bps=d.share_bps,
        pool_won=d.pool_won,
        holders=d.holders,
        eligible_shares=str(d.eligible_shares),
        excluded_frozen_shares=str(d.excluded_frozen_shares),
        created_at=d.created_at,
    )


@router.get(
    "/contributions/distributions",
    response=list[ContributionsDistributionOut],
    summary="Distributed periods (operators)",
)
def distribution_list(request: HttpRequest) -> list[ContributionsDistributionOut]:
    return [_distribution_out(d) for d in selectors.distribution_list(actor=_user(request))]


@router.post(
    "/contributions/distributions",
    response={201: ContributionsDistributionOut},
    summary="Distribute a closed month's LM revenue share to share holders (operators)",
    description=(
        "Books the month's LM API revenue in Pay, moves COMMONS_REVENUE_SHARE_BPS of it to the commons pool "
        "and pays it pro rata to on-chain share holders (frozen shares excluded, largest-remainder rounding). "
        "Once per period: a second call is 409 `already_distributed`. Other refusals: `period_invalid`, "
        "`period_future`, `period_open`, `nothing_to_distribute`, `upstream_unavailable`."
    ),
)
def distribution_create(
    request: HttpRequest, payload: ContributionsDistributeIn
) -> Status[ContributionsDistributionOut]:
    return Status(201, _distribution_out(services.revenue_distribute(period=payload.period, actor=_user(request))))
