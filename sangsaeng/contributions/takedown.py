"""Takedown: anyone signed in reports a contribution; an operator (staff) dismisses or removes it.

A removed contribution is left out of every later snapshot (earlier snapshots are immutable and
keep their manifest) and its shares are frozen twice over:
- here (`Takedown.frozen_shares`, `Contribution.removed_at`), at once: a mint still waiting in the
  outbox is not sent, and revenue distribution leaves frozen holdings out (`shares_frozen_by_owner`);
- on chain, through the outbox (`freeze_on_chain`): ContributionShares.freeze(holder, amount), after
  which the contract refuses to transfer or burn the frozen amount.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from sangsaeng.chain.selectors import transaction_get_by_key
from sangsaeng.chain.services import shares_freeze
from sangsaeng.contributions.models import Contribution, Document, Takedown
from sangsaeng.core.errors import Problem
from sangsaeng.core.outbox import event_emit, handles

DECISIONS = ("dismiss", "remove")


def _contribution_not_found() -> Problem:
    return Problem(code="not_found", status=404, ko="기여를 찾을 수 없습니다.", en="Contribution not found.")


def _takedown_not_found() -> Problem:
    return Problem(code="not_found", status=404, ko="신고를 찾을 수 없습니다.", en="Report not found.")


def _staff_only(actor: Any) -> None:
    if not getattr(actor, "is_staff", False):
        raise _takedown_not_found()  # non-operators can't tell the queue exists


def _find_contribution(*, contribution_id: Any = None, document_sha256: str = "") -> Contribution:
    if contribution_id:
        try:
            found = Contribution.objects.filter(public_id=contribution_id).first()
        except (ValueError, TypeError):
            found = None
    elif document_sha256:
        doc = (
            Document.objects.filter(sha256=document_sha256.lower(), status=Contribution.Status.ACCEPTED)
            .select_related("contribution")
            .first()
        )
        found = doc.contribution if doc else None
    else:
        raise Problem(
            code="target_required",
            ko="신고할 기여 ID 또는 문서 해시를 알려 주세요.",
            en="Give the contribution id or a document hash to report.",
            field="contribution_id",
        )
    if found is None:
        raise _contribution_not_found()
    return found


def takedown_report(*, reporter: Any, reason: str, contribution_id: Any = None, document_sha256: str = "") -> Takedown:
    """Report a contribution (by its id, or by the hash of one of its documents in a snapshot)."""
    reason = (reason or "").strip()
    if not 5 <= len(reason) <= 2000:
        raise Problem(
            code="reason_required",
            ko="신고 사유를 5~2000자로 적어 주세요.",
            en="Give a reason of 5 to 2000 characters.",
            field="reason",
        )
    contribution = _find_contribution(contribution_id=contribution_id, document_sha256=document_sha256)
    if contribution.removed_at is not None:
        raise Problem(
            code="already_removed", status=409, ko="이미 삭제된 기여입니다.", en="The contribution is already removed."
        )
    try:
        with transaction.atomic():
            return Takedown.objects.create(contribution=contribution, reporter=reporter, reason=reason)
    except IntegrityError as exc:
        raise Problem(
            code="already_reported",
            status=409,
            ko="이미 신고했고 검토를 기다리고 있습니다.",
            en="You already reported it; it is waiting for review.",
        ) from exc


def takedown_decide(*, actor: Any, takedown_id: Any, decision: str, note: str = "") -> Takedown:
    """An operator's decision on an open report. Deciding twice is 409 and changes nothing."""
    _staff_only(actor)
    if decision not in DECISIONS:
        raise Problem(
            code="invalid_decision",
            ko="결정은 dismiss 또는 remove 입니다.",
            en="The decision is dismiss or remove.",
            field="decision",
        )
    with transaction.atomic():
        try:
            takedown = Takedown.objects.select_for_update().filter(public_id=takedown_id).first()
        except (ValueError, TypeError):
            takedown = None
        if takedown is None:
            raise _takedown_not_found()
        if takedown.status != Takedown.Status.OPEN:
            raise Problem(
                code="already_decided",
                status=409,
                ko="이미 결정된 신고입니다.",
                en="The report has already been decided.",
                extra={"decision": takedown.status},
            )
        now = timezone.now()
        if decision == "dismiss":
            takedown.status = Takedown.Status.DISMISSED
        else:
            contribution = Contribution.objects.select_for_update().get(pk=takedown.contribution_id)
            takedown.status = Takedown.Status.REMOVED
            if contribution.removed_at is None:
                contribution.removed_at = now
                contribution.save(update_fields=["removed_at", "updated_at"])
                takedown.frozen_shares = Decimal(contribution.token_count * settings.CONTRIBUTIONS_SHARES_PER_TOKEN)
                event_emit(
                    name="contribution_removed",
                    payload={
                        "contribution": str(contribution.public_id),
                        "owner_id": contribution.owner_id,
                        "frozen_shares": str(takedown.frozen_shares),
                    },
                )
            # other open reports of the same contribution are settled by this removal
            Takedown.objects.filter(contribution_id=contribution.pk, status=Takedown.Status.OPEN).exclude(
                pk=takedown.pk
            ).update(status=Takedown.Status.REMOVED, decided_by=actor, decided_at=now, note=note[:2000])
        takedown.decided_by = actor
        takedown.decided_at = now
        takedown.note = note[:2000]
        takedown.save(update_fields=["status", "decided_by", "decided_at", "note", "frozen_shares", "updated_at"])
    return takedown


def takedown_queue(*, actor: Any, status: str = "open") -> list[Takedown]:
    _staff_only(actor)
    rows = Takedown.objects.select_related("contribution", "reporter", "decided_by")
    if status:
        rows = rows.filter(status=status)
    return list(rows.order_by("created_at")[:200])


def shares_frozen_by_owner() -> dict[int, Decimal]:
    """Frozen share amounts (base units) per owner id: revenue distribution pays on holdings minus these."""
    rows = (
        Takedown.objects.filter(status=Takedown.Status.REMOVED, frozen_shares__gt=0)
        .values("contribution__owner_id")
        .annotate(total=Sum("frozen_shares"))
    )
    return {r["contribution__owner_id"]: Decimal(r["total"]) for r in rows}


def mint_key(contribution_public_id: Any) -> str:
    """The outbox key of a contribution's share mint (see services.shares_for_contribution)."""
    return f"contributions:{contribution_public_id}"


@handles("contribution_removed")
def freeze_on_chain(payload: dict[str, Any]) -> None:
    """Freeze a removed contribution's shares on chain, once (idempotent by key).

    Only when its mint was queued: a contribution removed before its mint went out never gets
    shares (`shares_for_contribution` skips it), so there is nothing on chain to freeze.
    """
    amount = int(Decimal(payload["frozen_shares"]))
    if amount <= 0 or transaction_get_by_key(idempotency_key=mint_key(payload["contribution"])) is None:
        return
    owner = Contribution.objects.select_related("owner").get(public_id=payload["contribution"]).owner
    shares_freeze(idempotency_key=f"contributions-freeze:{payload['contribution']}", owner=owner, amount=amount)
