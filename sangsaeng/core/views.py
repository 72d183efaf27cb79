"""Pages of the web shell: home, error pages."""

from __future__ import annotations

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.errors import Problem, not_found, problem_response
from sangsaeng.core.middleware import wants_problem_json

# (icon, title, text, the app that provides it); a capability shows once its app is installed.
CAPABILITIES = [
    ("sync", _("싱크"), _("파트너 쇼핑몰에 가입 없이 한 번에 로그인하고 배송지를 채웁니다."), "sangsaeng.sync"),
    ("vault", _("서랍: 비밀번호"), _("Bitwarden 앱과 호환되는 제로 지식 비밀번호 보관함."), "sangsaeng.vault"),
    (
        "drawer",
        _("서랍: 사진과 동영상"),
        _("휴대폰의 사진, 동영상, 파일을 백업하고 타임라인으로 봅니다."),
        "sangsaeng.drawer",
    ),
    ("cards", _("인증 ID와 명함"), _("선택적으로 공개하는 검증된 신원과 QR 명함."), "sangsaeng.business_cards"),
    (
        "stores",
        _("수수료 없는 스토어"),
        _("어느 채널이든 무료로 스토어를 열고 데이터를 돌려받습니다."),
        "sangsaeng.commerce",
    ),
    ("chain", _("정품 인증"), _("블록체인 제품 여권과 NFC 태그로 정품을 확인합니다."), "sangsaeng.authenticity"),
    ("drops", _("디지털 아트 드롭"), _("한정판 작품, 경매, 창작자 로열티."), "sangsaeng.drops"),
    ("lm", _("한국어 언어 모델"), _("OpenAI 호환 API로 제공하는 한국어 모델과 기여 보상."), "sangsaeng.lm"),
]


def home(request: HttpRequest) -> HttpResponse:
    available = [(key, title, text) for key, title, text, app in CAPABILITIES if apps.is_installed(app)]
    return render(request, "core/home.html", {"capabilities": available})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if wants_problem_json(request):
        return problem_response(request, not_found("resource"))
    return render(request, "core/error.html", {"status": 404, "title": _("페이지를 찾을 수 없습니다")}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if wants_problem_json(request):
        return problem_response(
            request,
            Problem(code="server_error", status=500, ko="서버 오류가 발생했습니다.", en="Internal server error."),
        )
    return render(request, "core/error.html", {"status": 500, "title": _("잠시 문제가 생겼습니다")}, status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if wants_problem_json(request):
        return problem_response(
            request, Problem(code="permission_denied", status=403, ko="권한이 없습니다.", en="Permission denied.")
        )
    return render(request, "core/error.html", {"status": 403, "title": _("권한이 없습니다")}, status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if wants_problem_json(request):
        return problem_response(request, Problem(code="bad_request", ko="잘못된 요청입니다.", en="Bad request."))
    return render(request, "core/error.html", {"status": 400, "title": _("잘못된 요청입니다")}, status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if wants_problem_json(request):
        return problem_response(
            request,
            Problem(
                code="csrf_failed", status=403, ko="CSRF 검증에 실패했습니다.", en=f"CSRF verification failed: {reason}"
            ),
        )
    return render(
        request,
        "core/error.html",
        {"status": 403, "title": _("보안 토큰이 만료되었습니다. 새로고침 후 다시 시도하세요.")},
        status=403,
    )
