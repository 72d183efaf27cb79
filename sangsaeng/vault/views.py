"""The vault's settings page: how to connect Bitwarden apps, sign-up, devices, deletion."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.vault import selectors, services

DEVICE_TYPES = {
    0: "Android",
    1: "iOS",
    2: "Chrome",
    3: "Firefox",
    4: "Opera",
    5: "Edge",
    6: "Windows",
    7: "macOS",
    8: "Linux",
    9: "Chrome",
    10: "Firefox",
    11: "Opera",
    12: "Edge",
    13: "IE",
    15: "Android",
    16: "Windows",
    17: "Safari",
    18: "Vivaldi",
    19: "Vivaldi",
    20: "Safari",
    23: "Windows CLI",
    24: "macOS CLI",
    25: "Linux CLI",
}


def server_url(request: HttpRequest) -> str:
    """What to type as the Bitwarden server URL: this host on HTTPS, under /vault."""
    if request.is_secure():
        return request.build_absolute_uri("/vault")
    host = request.get_host().rsplit(":", 1)[0] if not request.get_host().endswith("]") else request.get_host()
    port = "" if settings.HTTPS_PORT == 443 else f":{settings.HTTPS_PORT}"
    return f"https://{host}{port}/vault"


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    account = selectors.account_for_user(user=request.user)
    devices = selectors.device_list(account=account) if account else []
    return render(
        request,
        "vault/settings.html",
        {
            "account": account,
            "server_url": server_url(request),
            "devices": [(d, DEVICE_TYPES.get(d.type, _("알 수 없는 기기"))) for d in devices],
            "counts": selectors.cipher_count(account=account) if account else None,
            "signup_open_until": selectors.signup_open_until(user=request.user),
        },
    )


@login_required
@require_POST
def signup_open(request: HttpRequest) -> HttpResponse:
    services.signup_window_open(user=request.user)
    messages.success(request, _("1시간 동안 Bitwarden 앱에서 이 계정의 이메일로 보관함을 만들 수 있습니다."))
    return redirect("vault:settings")


@login_required
@require_POST
def device_revoke(request: HttpRequest, device_id: str) -> HttpResponse:
    services.device_revoke(actor=request.user, device_id=device_id)
    messages.success(request, _("기기를 로그아웃시켰습니다."))
    return redirect("vault:settings")


@login_required
@require_POST
def devices_sign_out(request: HttpRequest) -> HttpResponse:
    account = selectors.account_for_user(user=request.user)
    if account is not None:
        services.security_stamp_rotate(account=account, login_hash=None, verified=True)
        messages.success(request, _("모든 기기를 로그아웃시켰습니다."))
    return redirect("vault:settings")


@login_required
@require_POST
def vault_delete(request: HttpRequest) -> HttpResponse:
    account = selectors.account_for_user(user=request.user)
    if account is None:
        return redirect("vault:settings")
    if request.POST.get("confirm_email", "").strip().lower() != account.email:
        messages.error(request, _("확인을 위해 보관함 이메일을 정확히 입력하세요."))
        return redirect("vault:settings")
    services.account_delete(account=account, login_hash=None, verified=True)
    messages.success(request, _("비밀번호 보관함을 삭제했습니다."))
    return redirect("vault:settings")
