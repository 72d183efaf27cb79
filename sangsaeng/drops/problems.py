"""The drops app's refusals: stable codes with Korean and English messages."""

from __future__ import annotations

from typing import Any

from sangsaeng.core.errors import Problem


def not_open(opens_at: Any) -> Problem:
    return Problem(
        code="drop_not_open",
        status=409,
        ko="아직 판매가 시작되지 않았습니다.",
        en="This drop has not opened yet.",
        extra={"opens_at": opens_at.isoformat()},
    )


def closed() -> Problem:
    return Problem(code="drop_closed", status=409, ko="판매가 끝났습니다.", en="This drop has closed.")


def sold_out() -> Problem:
    return Problem(code="sold_out", status=409, ko="모두 판매되었습니다.", en="This drop is sold out.")


def over_limit(limit: int) -> Problem:
    return Problem(
        code="over_limit",
        status=409,
        ko=f"1인당 {limit}개까지 살 수 있습니다.",
        en=f"You can buy at most {limit} per person.",
        extra={"limit": limit},
    )


def wrong_format(expected: str) -> Problem:
    return Problem(
        code="wrong_format",
        status=409,
        ko="이 드롭에서는 할 수 없는 일입니다.",
        en=f"This action needs a {expected} drop.",
    )


def bid_too_low(minimum: int) -> Problem:
    return Problem(
        code="bid_too_low",
        status=422,
        ko=f"{minimum:,}원 이상 입찰해야 합니다.",
        en=f"Bid at least {minimum:,} KRW.",
        field="amount",
        extra={"minimum": minimum},
    )


def not_creator() -> Problem:
    return Problem(
        code="not_an_approved_creator",
        status=403,
        ko="승인된 작가만 할 수 있습니다.",
        en="Only approved creators can do this.",
    )


def invalid(field: str, ko: str, en: str) -> Problem:
    return Problem(code="invalid_field", status=422, ko=ko, en=en, field=field)


def not_minted() -> Problem:
    return Problem(
        code="not_minted_yet",
        status=409,
        ko="아직 체인에 발행되는 중입니다. 잠시 후 다시 시도하세요.",
        en="This edition is still being minted on chain. Try again shortly.",
        headers={"Retry-After": "5"},
    )


def listing_unavailable() -> Problem:
    return Problem(
        code="listing_unavailable",
        status=409,
        ko="이미 팔렸거나 취소된 판매입니다.",
        en="This listing is no longer available.",
    )


def own_listing() -> Problem:
    return Problem(
        code="own_listing", status=409, ko="내 판매 작품은 살 수 없습니다.", en="You can't buy your own listing."
    )


def edition_busy() -> Problem:
    return Problem(
        code="edition_not_held",
        status=409,
        ko="판매 중이거나 출금된 에디션입니다.",
        en="This edition is listed or withdrawn.",
    )


def waiting_room(position: int, retry_after: int) -> Problem:
    return Problem(
        code="waiting_room",
        status=503,
        ko="구매자가 많아 대기 중입니다. 잠시 후 자동으로 다시 시도됩니다.",
        en="Many buyers right now: you are in the waiting room; retry shortly.",
        headers={"Retry-After": str(retry_after)},
        extra={"position": position, "retry_after": retry_after},
    )
