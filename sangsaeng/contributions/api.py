"""/api/v1/contributions: contribute Korean text to the LM commons (paste or upload) and follow the
pipeline's decision on each document."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from sangsaeng.accounts.selectors import User
from sangsaeng.contributions import exports_http, selectors, services
from sangsaeng.contributions.models import Contribution, Takedown
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
