"""Settings pages: profile, addresses, tokens, sessions, security, account deletion."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts import selectors, services
from sangsaeng.accounts.forms import AddressForm, DeleteAccountForm, ProfileForm, TokenForm
from sangsaeng.accounts.models import User
from sangsaeng.core.audit import audit_list
from sangsaeng.core.errors import Problem


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def settings_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(
                user=user,
                display_name=form.cleaned_data["display_name"],
                phone=form.cleaned_data["phone"],
                birthdate=form.cleaned_data["birthdate"],
                gender=form.cleaned_data["gender"],
            )
        except Problem as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.ko)
            return render(request, "accounts/settings.html", {"form": form, "section": "profile"})
        messages.success(request, _("프로필을 저장했습니다."))
        return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "section": "profile",
            "email_verified": selectors.email_is_verified(user=user),
            "mfa": selectors.mfa_types(user=user),
        },
    )


@login_required
def addresses(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "is_default"}
        try:
            services.address_create(user=user, data=data, is_default=form.cleaned_data["is_default"])
        except Problem as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.ko)
        else:
            messages.success(request, _("배송지를 추가했습니다."))
            return redirect("accounts:addresses")
    return render(
        request,
        "accounts/addresses.html",
        {"form": form, "addresses": selectors.address_list(user=user), "section": "addresses"},
    )


@login_required
@require_POST
def address_default(request: HttpRequest, address_id: UUID) -> HttpResponse:
    services.address_set_default(actor=_user(request), address_id=address_id)
    return redirect("accounts:addresses")


@login_required
@require_POST
def address_delete(request: HttpRequest, address_id: UUID) -> HttpResponse:
    services.address_delete(actor=_user(request), address_id=address_id)
    messages.success(request, _("배송지를 삭제했습니다."))
    return redirect("accounts:addresses")


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        _token, new_secret = services.token_create(
            user=user,
            label=form.cleaned_data["label"],
            expires_in_days=form.cleaned_data["expires_in_days"],
            request=request,
        )
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": selectors.token_list(user=user), "new_secret": new_secret, "section": "tokens"},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: UUID) -> HttpResponse:
    services.token_revoke(actor=_user(request), token_id=token_id, request=request)
    messages.success(request, _("토큰을 폐기했습니다."))
    return redirect("accounts:tokens")


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": selectors.session_list(user=user),
            "current_key": request.session.session_key,
            "section": "sessions",
        },
    )


@login_required
@require_POST
def session_revoke(request: HttpRequest, session_id: int) -> HttpResponse:
    services.session_revoke(actor=_user(request), session_id=session_id, request=request)
    messages.success(request, _("해당 기기를 로그아웃시켰습니다."))
    return redirect("accounts:sessions")


@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "accounts/security.html",
        {"mfa": selectors.mfa_types(user=user), "events": audit_list(actor=user, limit=30), "section": "security"},
    )


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not user.check_password(form.cleaned_data["password"]):
            form.add_error("password", _("비밀번호가 맞지 않습니다."))
        else:
            services.user_delete(user=user, request=request)
            logout(request)
            messages.success(request, _("계정을 삭제했습니다. 그동안 고마웠습니다."))
            return redirect("home")
    return render(request, "accounts/delete.html", {"form": form, "section": "delete"})
