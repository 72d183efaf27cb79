"""상생마켓 예제 (example partner shop): signs in with Sync and pre-fills checkout.

A separate, dependency-light WSGI app on its own port. It uses only Authlib (an independent OIDC
client library) and `requests` to talk to the provider, exactly as a third-party shop would:

1. `/login` starts the authorization code flow with PKCE S256, `state` and `nonce`;
2. `/callback` exchanges the code, verifies the ID token's RS256 signature against the provider's
   JWKS (plus iss, aud, exp, nonce), reads userinfo and the default shipping address;
3. `/checkout` shows the order form already filled in: no sign-up form, no address typing;
4. `/webhooks/sync-unlink` receives the signed unlink webhook, verifies it, and forgets the user.

Run:  python -m examples.partner_shop.shop --port 8100 --issuer http://127.0.0.1:8000 \
        --client-id ID --client-secret SECRET --webhook-secret whsec_…
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import html
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlparse
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.oidc.core import CodeIDToken

SCOPE = "openid profile email shipping_address"
HOME = '<h1>상생마켓</h1><a href="/login" data-testid="sync-login">싱크로 3초 만에 시작하기</a>'


@dataclass
class ShopConfig:
    issuer: str
    client_id: str
    client_secret: str | None
    redirect_uri: str
    webhook_secret: str = ""


@dataclass
class Shop:
    """The shop's state lives in memory: a demo, not a store."""

    config: ShopConfig
    pending: dict[str, dict[str, str]] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    unlinked: list[dict[str, Any]] = field(default_factory=list)
    seen_deliveries: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _metadata: dict[str, Any] | None = None

    # OIDC client --------------------------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            url = self.config.issuer.rstrip("/") + "/.well-known/openid-configuration"
            self._metadata = requests.get(url, timeout=10).json()
        return self._metadata

    def oauth(self, **kwargs: Any) -> OAuth2Session:
        return OAuth2Session(
            self.config.client_id,
            self.config.client_secret,
            scope=SCOPE,
            redirect_uri=self.config.redirect_uri,
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_post" if self.config.client_secret else "none",
            **kwargs,
        )

    def start_login(self) -> str:
        verifier = secrets.token_urlsafe(48)
        nonce = secrets.token_urlsafe(16)
        url, state = self.oauth().create_authorization_url(
            self.metadata()["authorization_endpoint"], code_verifier=verifier, nonce=nonce
        )
        with self.lock:
            self.pending[state] = {"verifier": verifier, "nonce": nonce}
        return url

    def finish_login(self, callback_url: str) -> str:
        """Exchange the code, verify the ID token, read userinfo and the default address."""
        query = {k: v[0] for k, v in parse_qs(urlparse(callback_url).query).items()}
        with self.lock:
            flow = self.pending.pop(query.get("state", ""), None)
        if flow is None:
            raise PermissionError("unknown or replayed state")
        if "error" in query:
            raise PermissionError(query["error"])
        meta = self.metadata()
        with self.oauth(state=query["state"]) as client:
            return self._sign_in(client, meta, callback_url, flow)

    def _sign_in(self, client: OAuth2Session, meta: dict[str, Any], callback_url: str, flow: dict[str, str]) -> str:
        token = client.fetch_token(
            meta["token_endpoint"], authorization_response=callback_url, code_verifier=flow["verifier"]
        )
        jwks = JsonWebKey.import_key_set(requests.get(meta["jwks_uri"], timeout=10).json())
        claims = jwt.decode(
            token["id_token"],
            jwks,
            claims_cls=CodeIDToken,
            claims_options={"iss": {"essential": True, "value": meta["issuer"]}},
            claims_params={"nonce": flow["nonce"], "client_id": self.config.client_id},
        )
        claims.validate(leeway=30)
        userinfo = client.get(meta["userinfo_endpoint"], timeout=10).json()
        address_url = self.config.issuer.rstrip("/") + "/oauth/v1/user/shipping_addresses/default"
        address = client.get(address_url, timeout=10)
        sub = str(claims["sub"])
        with self.lock:
            self.customers[sub] = {
                "sub": sub,
                "is_new_user": bool(claims.get("is_new_user")),
                "email": userinfo.get("email"),
                "nickname": userinfo.get("nickname"),
                "address": address.json().get("shipping_address") if address.status_code == 200 else None,
                "token": token,
            }
            session = secrets.token_urlsafe(24)
            self.sessions[session] = sub
        return session

    # Unlink webhook -----------------------------------------------------------------------------

    def verify_webhook(self, header: str, body: bytes, tolerance: int = 300) -> bool:
        """`Sangsaeng-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`."""
        try:
            parts = dict(item.split("=", 1) for item in header.split(","))
            timestamp = int(parts["t"])
        except (KeyError, ValueError):
            return False
        if abs(time.time() - timestamp) > tolerance:
            return False
        expected = hmac.new(self.config.webhook_secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
        return hmac.compare_digest(expected.hexdigest(), parts.get("v1", ""))

    def receive_unlink(self, headers: dict[str, str], body: bytes) -> int:
        if not self.verify_webhook(headers.get("sangsaeng-signature", ""), body):
            return 401
        event = json.loads(body)
        with self.lock:
            if event["id"] in self.seen_deliveries:
                return 200
            self.seen_deliveries.add(event["id"])
            data = event["data"]
            if data.get("app_id") != self.config.client_id:
                return 400
            self.unlinked.append(data)
            self.customers.pop(data["user_id"], None)
            for session, sub in list(self.sessions.items()):
                if sub == data["user_id"]:
                    del self.sessions[session]
        return 200

    # WSGI ---------------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        cookies = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        sub = self.sessions.get(cookies["shop_sid"].value) if "shop_sid" in cookies else None
        if path == "/" and method == "GET":
            return _page(start_response, "200 OK", HOME)
        if path == "/login" and method == "GET":
            return _redirect(start_response, self.start_login())
        if path == "/callback" and method == "GET":
            host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
            url = f"http://{host}{path}?{environ.get('QUERY_STRING', '')}"
            try:
                session = self.finish_login(url)
            except Exception as exc:  # the demo shows why sign-in failed instead of crashing
                return _page(start_response, "400 Bad Request", f"<p>로그인 실패: {html.escape(str(exc))}</p>")
            return _redirect(start_response, "/checkout", cookie=f"shop_sid={session}; HttpOnly; Path=/; SameSite=Lax")
        if path == "/checkout" and method == "GET":
            if sub is None or sub not in self.customers:
                return _redirect(start_response, "/")
            return _page(start_response, "200 OK", _checkout(self.customers[sub]))
        if path == "/webhooks/sync-unlink" and method == "POST":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
            status = self.receive_unlink(headers, body)
            start_response(f"{status} {'OK' if status == 200 else 'Refused'}", [("Content-Type", "text/plain")])
            return [b"ok" if status == 200 else b"refused"]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]


def _page(start_response: Any, status: str, body: str) -> list[bytes]:
    start_response(status, [("Content-Type", "text/html; charset=utf-8")])
    doc = f'<!doctype html><html lang="ko"><meta charset="utf-8"><title>상생마켓</title><body>{body}</body></html>'
    return [doc.encode()]


def _redirect(start_response: Any, location: str, cookie: str | None = None) -> list[bytes]:
    headers = [("Location", location)]
    if cookie:
        headers.append(("Set-Cookie", cookie))
    start_response("302 Found", headers)
    return [b""]


def _checkout(customer: dict[str, Any]) -> str:
    address = customer["address"] or {}

    def field_(name: str, label: str, value: Any) -> str:
        value = html.escape(str(value or ""))
        return f'<label>{label} <input name="{name}" value="{value}" data-testid="checkout-{name}"></label><br>'

    welcome = "신규 회원이 되셨습니다! " if customer["is_new_user"] else ""
    return (
        f'<h1>주문서</h1><p data-testid="welcome">{welcome}{html.escape(customer["nickname"] or "")}님</p>'
        "<form>"
        + field_("receiver_name", "받는 분", address.get("receiver_name"))
        + field_("receiver_phone_number1", "연락처", address.get("receiver_phone_number1"))
        + field_("zone_number", "우편번호", address.get("zone_number"))
        + field_("base_address", "주소", address.get("base_address"))
        + field_("detail_address", "상세 주소", address.get("detail_address"))
        + field_("email", "이메일", customer["email"])
        + "<button>결제하기</button></form>"
    )


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


def serve(shop: Shop, host: str = "127.0.0.1", port: int = 8100) -> WSGIServer:
    """A server for `shop` (call `serve_forever()`; tests run it in a thread)."""
    return make_server(host, port, shop, handler_class=_QuietHandler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--issuer", default=os.environ.get("SYNC_ISSUER", "http://127.0.0.1:8000"))
    parser.add_argument("--client-id", default=os.environ.get("SHOP_CLIENT_ID", ""))
    parser.add_argument("--client-secret", default=os.environ.get("SHOP_CLIENT_SECRET") or None)
    parser.add_argument("--webhook-secret", default=os.environ.get("SHOP_WEBHOOK_SECRET", ""))
    args = parser.parse_args()
    if args.issuer.startswith(("http://127.0.0.1", "http://localhost")):
        os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http only on loopback
    shop = Shop(
        ShopConfig(
            issuer=args.issuer,
            client_id=args.client_id,
            client_secret=args.client_secret,
            redirect_uri=f"http://{args.host}:{args.port}/callback",
            webhook_secret=args.webhook_secret,
        )
    )
    print(f"상생마켓 on http://{args.host}:{args.port}/  (redirect URI {shop.config.redirect_uri})")
    serve(shop, args.host, args.port).serve_forever()


if __name__ == "__main__":
    main()
