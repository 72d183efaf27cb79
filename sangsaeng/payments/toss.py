"""Toss Payments adapter: the documented confirm and cancel calls, nothing more.

- confirm: POST {TOSS_API_BASE}/v1/payments/confirm {paymentKey, orderId, amount}
- cancel:  POST {TOSS_API_BASE}/v1/payments/{paymentKey}/cancel {cancelReason, cancelAmount}

Authentication is HTTP Basic with the secret key and an empty password (base64 of "secret:").
Each call carries an Idempotency-Key, which Toss honours, so a retry after a timeout can't
approve or cancel twice. Off unless TOSS_SECRET_KEY and TOSS_CLIENT_KEY are set.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

from sangsaeng.core.errors import Problem

TIMEOUT = (5, 30)


@dataclass(frozen=True)
class TossResult:
    status: str
    total_amount: int
    method: str
    approved_at: str
    raw: dict[str, Any]


def enabled() -> bool:
    return bool(settings.TOSS_SECRET_KEY and settings.TOSS_CLIENT_KEY)


def _headers(idempotency_key: str) -> dict[str, str]:
    token = base64.b64encode(f"{settings.TOSS_SECRET_KEY}:".encode()).decode()
    return {"Authorization": f"Basic {token}", "Content-Type": "application/json", "Idempotency-Key": idempotency_key}


def _declined(response: requests.Response) -> Problem:
    try:
        body = response.json()
    except ValueError:
        body = {}
    code = str(body.get("code", f"HTTP_{response.status_code}"))[:80]
    message = str(body.get("message", ""))[:200]
    return Problem(
        code="pg_declined",
        status=402,
        ko=f"카드사 또는 결제대행사가 거절했습니다: {message or code}",
        en=f"The payment gateway refused: {code}",
        extra={"pg_code": code},
    )


def _unavailable(detail: str) -> Problem:
    """The PG did not answer (a timeout, a 5xx, a garbled body): the outcome is unknown, so nothing
    is booked and the payment stays as it was. Retrying is safe: the same Idempotency-Key goes
    with the same call, and Toss answers a repeated key with its first result."""
    return Problem(
        code="pg_unavailable",
        status=502,
        ko="결제대행사가 응답하지 않았습니다. 돈은 움직이지 않았으니 잠시 후 다시 시도하세요.",
        en=f"The payment gateway did not answer ({detail}); no money moved. Try again shortly.",
        headers={"Retry-After": "5"},
    )


def _post(path: str, payload: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
    if not enabled():
        raise Problem(
            code="payment_method_disabled",
            status=422,
            ko="카드 결제가 설정되지 않았습니다.",
            en="Card payments are not configured.",
        )
    url = settings.TOSS_API_BASE.rstrip("/") + path
    try:
        response = requests.post(url, json=payload, headers=_headers(idempotency_key), timeout=TIMEOUT)
    except requests.RequestException as exc:
        raise _unavailable(f"{type(exc).__name__}") from exc
    if response.status_code >= 500:
        raise _unavailable(f"HTTP {response.status_code}")
    if response.status_code != 200:
        raise _declined(response)
    try:
        data = response.json()
    except ValueError as exc:
        raise _unavailable("not JSON") from exc
    if not isinstance(data, dict):
        raise _unavailable("not a JSON object")
    return data


def _result(data: dict[str, Any]) -> TossResult:
    return TossResult(
        status=str(data.get("status", "")),
        total_amount=int(data.get("totalAmount", -1)),
        method=str(data.get("method", ""))[:40],
        approved_at=str(data.get("approvedAt", "")),
        raw=data,
    )


def confirm(*, payment_key: str, order_id: str, amount: int) -> TossResult:
    """Approve an authenticated payment; Toss answers status DONE with totalAmount when approved."""
    data = _post(
        "/v1/payments/confirm",
        {"paymentKey": payment_key, "orderId": order_id, "amount": amount},
        idempotency_key=f"confirm-{order_id}",
    )
    return _result(data)


def cancel(*, payment_key: str, amount: int, reason: str, idempotency_key: str) -> TossResult:
    """Cancel `amount` won of an approved payment (a partial cancel when less than the total)."""
    data = _post(
        f"/v1/payments/{requests.utils.quote(payment_key, safe='')}/cancel",
        {"cancelReason": reason[:200], "cancelAmount": amount},
        idempotency_key=idempotency_key,
    )
    return _result(data)
