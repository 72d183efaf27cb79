"""Public pages, no sign-in: the verification page a tag opens, the passport page and its metadata."""

from __future__ import annotations

import io
import secrets
from typing import Any

import segno
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sangsaeng.authenticity import selectors
from sangsaeng.authenticity.metadata import canonical_bytes
from sangsaeng.authenticity.verification import Verification, device_fingerprint, nfc_verify, qr_verify
from sangsaeng.core.ratelimit import client_ip

DEVICE_COOKIE = "ssg_device"
SUN_PARAMS = ("picc_data", "enc", "cmac", "uid", "ctr", "tt")


def request_device(request: HttpRequest) -> tuple[str, str]:
    cookie = request.COOKIES.get(DEVICE_COOKIE, "")
    if not (16 <= len(cookie) <= 64 and cookie.replace("-", "").replace("_", "").isalnum()):
        cookie = secrets.token_urlsafe(16)
    fingerprint = device_fingerprint(
        user_agent=request.headers.get("User-Agent", ""), ip=client_ip(request), cookie_id=cookie
    )
    return fingerprint, cookie


def _page(request: HttpRequest, result: Verification, *, cookie: str, kind: str) -> HttpResponse:
    passport = result.passport
    context: dict[str, Any] = {
        "result": result,
        "kind": kind,
        "passport": selectors.passport_public(passport)
        if passport is not None and result.verdict != "unknown"
        else None,
        "reading": result.reading.as_dict() if result.reading is not None else None,
        "claim_token": result.claim_token,
        "token_id": passport.token_id if passport is not None else None,
        "claimable": passport is not None and passport.owner_id is None and not passport.external_address,
    }
    status = 200 if result.verdict != "unknown" else 404
    response = render(request, "authenticity/verify.html", context, status=status)
    response.set_cookie(
        DEVICE_COOKIE, cookie, max_age=2 * 365 * 86400, httponly=True, samesite="Lax", secure=request.is_secure()
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # the SUN parameters never leak to other sites
    return response


@require_GET
def verify_qr(request: HttpRequest, code: str) -> HttpResponse:
    device, cookie = request_device(request)
    return _page(request, qr_verify(code=code, device=device), cookie=cookie, kind="qr")


@require_GET
def verify_nfc(request: HttpRequest, code: str) -> HttpResponse:
    device, cookie = request_device(request)
    params = {key: request.GET.get(key, "")[:200] for key in SUN_PARAMS}
    return _page(request, nfc_verify(code=code, params=params, device=device), cookie=cookie, kind="nfc")


@require_GET
def passport_page(request: HttpRequest, token_id: int) -> HttpResponse:
    passport = selectors.passport_get(token_id=token_id)
    return render(request, "authenticity/passport.html", {"passport": selectors.passport_public(passport)})


@require_GET
def passport_json(request: HttpRequest, token_id: int) -> HttpResponse:
    """The exact canonical bytes whose SHA-256 the contract stores."""
    passport = selectors.passport_get(token_id=token_id)
    response = HttpResponse(canonical_bytes(passport.metadata), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-SHA256"] = passport.metadata_sha256
    return response


@require_GET
def tag_qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    """The printable QR of a label: the public verification URL, never the claim passphrase."""
    buffer = io.BytesIO()
    url = f"{settings.PUBLIC_URL}/authenticity/t/{code[:32]}"
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, dark="#0f172a", xmldecl=False)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
