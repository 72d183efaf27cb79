"""A local stand-in for Toss Payments' confirm and cancel API: a real HTTP server on loopback.

It behaves as the documentation describes: Basic auth with the secret key and an empty password,
`POST /v1/payments/confirm` approving a payment the widget authenticated (paymentKey, orderId,
amount must match what the buyer authorised), `POST /v1/payments/{paymentKey}/cancel` with
cancelReason and cancelAmount (partial allowed), error bodies `{"code", "message"}`, and answers
replayed for a repeated Idempotency-Key.
"""

from __future__ import annotations

import base64
import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

SECRET = "test_sk_fake_0123456789"


class FakeToss:
    def __init__(self) -> None:
        self.authorised: dict[str, dict[str, Any]] = {}  # paymentKey -> {orderId, amount}
        self.payments: dict[str, dict[str, Any]] = {}  # approved, by paymentKey
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.replies: dict[str, tuple[int, dict[str, Any]]] = {}
        self.outages: list[tuple[int, dict[str, Any]]] = []  # answers to give next, whatever is asked
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def authorise(self, *, payment_key: str, order_id: str, amount: int) -> None:
        """What the payment widget does when the buyer enters a card: Toss now knows the payment."""
        self.authorised[payment_key] = {"orderId": order_id, "amount": amount}

    def fail_next(self, status: int, body: dict[str, Any] | None = None) -> None:
        """The next call gets this answer instead (a 500 during an outage, a card company's refusal)."""
        self.outages.append((status, body or {"code": "FAILED_INTERNAL_SYSTEM_PROCESSING", "message": "일시 오류"}))

    def start(self) -> FakeToss:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _confirm(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        key = str(body.get("paymentKey", ""))
        if key in self.payments:
            return 400, {"code": "ALREADY_PROCESSED_PAYMENT", "message": "이미 처리된 결제 입니다."}
        auth = self.authorised.get(key)
        if auth is None or auth["orderId"] != body.get("orderId"):
            return 404, {"code": "NOT_FOUND_PAYMENT", "message": "존재하지 않는 결제 정보 입니다."}
        if auth["amount"] != body.get("amount"):
            return 400, {"code": "INVALID_REQUEST", "message": "결제 금액이 일치하지 않습니다."}
        payment = {
            "mId": "tvivarepublica",
            "paymentKey": key,
            "orderId": body["orderId"],
            "status": "DONE",
            "method": "카드",
            "totalAmount": auth["amount"],
            "balanceAmount": auth["amount"],
            "approvedAt": datetime.now(UTC).isoformat(),
            "cancels": None,
        }
        self.payments[key] = payment
        return 200, payment

    def _cancel(self, key: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        payment = self.payments.get(key)
        if payment is None:
            return 404, {"code": "NOT_FOUND_PAYMENT", "message": "존재하지 않는 결제 정보 입니다."}
        amount = body.get("cancelAmount", payment["balanceAmount"])
        if not body.get("cancelReason") or not isinstance(amount, int) or not 0 < amount <= payment["balanceAmount"]:
            return 400, {"code": "INVALID_REQUEST", "message": "취소 금액이 올바르지 않습니다."}
        payment["balanceAmount"] -= amount
        payment["status"] = "CANCELED" if payment["balanceAmount"] == 0 else "PARTIAL_CANCELED"
        payment["cancels"] = [
            *(payment["cancels"] or []),
            {"cancelAmount": amount, "cancelReason": body["cancelReason"]},
        ]
        return 200, dict(payment)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                fake.requests.append((self.path, body))
                expected = "Basic " + base64.b64encode(f"{SECRET}:".encode()).decode()
                idem = self.headers.get("Idempotency-Key")
                if self.headers.get("Authorization") != expected:
                    status, answer = 401, {"code": "UNAUTHORIZED_KEY", "message": "인증되지 않은 시크릿 키"}
                elif fake.outages:
                    status, answer = fake.outages.pop(0)
                elif idem and idem in fake.replies:
                    status, answer = fake.replies[idem]
                elif self.path == "/v1/payments/confirm":
                    status, answer = fake._confirm(body)
                elif self.path.startswith("/v1/payments/") and self.path.endswith("/cancel"):
                    status, answer = fake._cancel(self.path.split("/")[3], body)
                else:
                    status, answer = 404, {"code": "NOT_FOUND", "message": "없는 경로"}
                if idem and status == 200:
                    fake.replies[idem] = (status, answer)
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


# The fixture that points Pay at a fresh fake for one test (a 2.5 % PG fee, passed through at cost).
@pytest.fixture
def toss(settings):
    fake = FakeToss().start()
    settings.TOSS_SECRET_KEY = SECRET
    settings.TOSS_CLIENT_KEY = "test_ck_fake"
    settings.TOSS_API_BASE = fake.base
    settings.PAYMENTS_PG_FEE_BPS = 250
    yield fake
    fake.stop()
