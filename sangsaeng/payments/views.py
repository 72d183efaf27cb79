"""Pay pages: the wallet, checkout (test and Toss card), Toss redirects, settlements, operator desk."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.errors import Problem
from sangsaeng.payments import selectors, services, toss
from sangsaeng.payments.access import is_operator
from sangsaeng.payments.forms import DepositAssignForm, DepositConfirmForm, StatementUploadForm, TopupForm
from sangsaeng.payments.wallet import va_format

TOPUP_CHOICES = (10_000, 50_000, 100_000)


@login_required
def wallet(request: HttpRequest) -> HttpResponse:
    user = request.user
    va = services.virtual_account_get(user=user)
    history = selectors.wallet_history(user=user, limit=30)
    return render(
        request,
        "payments/wallet.html",
        {
            "balance": services.wallet_balance(user=user),
            "held": selectors.held_total(user=user),
            "va_number": va_format(va.number),
            "va_bank": settings.PAYMENTS_VA_BANK,
            "history": [{"item": i, "label": selectors.KIND_LABELS.get(i.kind, i.kind)} for i in history],
            "payments": selectors.payment_list(payer=user, limit=10),
            "test_mode": settings.PAYMENTS_TEST_MODE,
            "topup_choices": TOPUP_CHOICES,
            "topup_key": uuid.uuid4().hex,  # one key per rendered form: a double click tops up once
        },
    )


@login_required
@require_POST
def wallet_topup(request: HttpRequest) -> HttpResponse:
    form = TopupForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("충전 금액을 확인하세요."))
        return redirect("payments:wallet")
    try:
        services.wallet_topup_test(
            user=request.user, amount=form.cleaned_data["amount"], idempotency_key=f"web-{form.cleaned_data['key']}"
        )
    except Problem as problem:
        messages.error(request, problem.ko)
    else:
        messages.success(
            request, _("테스트 충전 %(amount)s원을 마쳤습니다.") % {"amount": f"{form.cleaned_data['amount']:,}"}
        )
    return redirect("payments:wallet")


def _toss_csp(view: Any) -> Any:
    return csp_update(
        {
            "script-src": ["https://js.tosspayments.com"],
            "connect-src": ["https://*.tosspayments.com"],
            "frame-src": ["https://*.tosspayments.com"],
        }
    )(view)


def _next(request: HttpRequest) -> str:
    """Where the buyer goes after paying (the store order the payment is for): a path on this site
    only, so a crafted link can't send a paying buyer elsewhere."""
    target = request.GET.get("next", "")[:300]
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return ""
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else ""


@login_required
@_toss_csp
def checkout(request: HttpRequest, payment_id: UUID) -> HttpResponse:
    payment = services.access_payment(actor=request.user, payment_id=payment_id)
    base = request.build_absolute_uri("/").rstrip("/")
    after = _next(request)
    back = f"?{urlencode({'next': after})}" if after else ""
    return render(
        request,
        "payments/checkout.html",
        {
            "payment": payment,
            "balance": services.wallet_balance(user=request.user),
            "toss_client_key": settings.TOSS_CLIENT_KEY if toss.enabled() else "",
            "success_url": base + reverse("payments:toss_success") + back,
            "fail_url": base + reverse("payments:toss_fail") + back,
            "next": after,
            "customer_key": f"user-{request.user.public_id}",  # type: ignore[union-attr]
        },
    )


@login_required
@require_POST
def checkout_confirm_test(request: HttpRequest, payment_id: UUID) -> HttpResponse:
    try:
        services.payment_confirm_test(actor=request.user, payment_id=payment_id)
    except Problem as problem:
        if problem.status == 404:
            raise Http404 from problem
        messages.error(request, problem.ko)
    else:
        messages.success(request, _("테스트 결제를 마쳤습니다. 실제 돈은 움직이지 않았습니다."))
    return redirect("payments:checkout", payment_id)


@login_required
def toss_success(request: HttpRequest) -> HttpResponse:
    """Toss's successUrl: ?paymentKey=&orderId=&amount=. The amount is checked before confirming."""
    order_id = request.GET.get("orderId", "")
    try:
        amount = int(request.GET.get("amount", ""))
    except ValueError:
        amount = -1
    try:
        payment = services.payment_confirm_card(
            actor=request.user, order_id=order_id, payment_key=request.GET.get("paymentKey", ""), amount=amount
        )
    except Problem as problem:
        if problem.status == 404:
            raise Http404 from problem
        payment = services.access_payment(actor=request.user, payment_id=order_id)
        return render(
            request,
            "payments/result.html",
            {"payment": payment, "problem": problem, "next": _next(request)},
            status=problem.status,
        )
    return render(request, "payments/result.html", {"payment": payment, "problem": None, "next": _next(request)})


@login_required
def toss_fail(request: HttpRequest) -> HttpResponse:
    """Toss's failUrl: ?code=&message=&orderId=. Nothing was approved, nothing is booked."""
    try:
        payment = services.payment_fail(
            actor=request.user,
            order_id=request.GET.get("orderId", ""),
            code=request.GET.get("code", ""),
            message=request.GET.get("message", ""),
        )
    except Problem as problem:
        raise Http404 from problem
    failure = Problem(
        code="pg_failed",
        status=400,
        ko=request.GET.get("message", "")[:200] or _("결제에 실패했습니다."),
        en="The payment failed at the gateway.",
    )
    return render(
        request, "payments/result.html", {"payment": payment, "problem": failure, "next": _next(request)}, status=400
    )


@login_required
def settlements(request: HttpRequest) -> HttpResponse:
    statements = services.statement_list(actor=request.user)
    return render(request, "payments/settlements.html", {"statements": statements})


@login_required
def settlement_detail(request: HttpRequest, statement_id: UUID) -> HttpResponse:
    try:
        statement = services.access_statement(actor=request.user, statement_id=statement_id)
    except Problem as problem:
        raise Http404 from problem
    lines = [
        {**line, "label": selectors.STATEMENT_LINE_LABELS.get(line["kind"], line["kind"])} for line in statement.lines
    ]
    return render(
        request,
        "payments/statement.html",
        {"s": statement, "lines": lines, "payout": getattr(statement, "payout", None)},
    )


def _operator(request: HttpRequest) -> None:
    if not is_operator(request.user):
        raise Http404


@login_required
def operator_desk(request: HttpRequest) -> HttpResponse:
    _operator(request)
    upload, confirm = StatementUploadForm(), DepositConfirmForm()
    errors: list[dict[str, Any]] = []
    if request.method == "POST" and "file" in request.FILES:
        upload = StatementUploadForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                result = services.bank_statement_import(
                    actor=request.user, data=upload.cleaned_data["file"].read(5_000_000)
                )
            except Problem as problem:
                messages.error(request, problem.ko)
                errors = problem.extra.get("errors", [])
            else:
                messages.success(
                    request,
                    _("%(n)s건을 가져왔습니다 (반영 %(m)s건, 미확인 %(u)s건, 중복 %(d)s건).")
                    % {"n": result.imported, "m": result.matched, "u": result.unmatched, "d": result.duplicates},
                )
                return redirect("payments:operator")
    elif request.method == "POST":
        confirm = DepositConfirmForm(request.POST)
        if confirm.is_valid():
            try:
                services.bank_deposit_confirm(actor=request.user, **confirm.cleaned_data)
            except Problem as problem:
                confirm.add_error(problem.field if problem.field in confirm.fields else None, problem.ko)
            else:
                messages.success(request, _("입금을 확인해 지갑에 반영했습니다."))
                return redirect("payments:operator")
    return render(
        request,
        "payments/operator.html",
        {
            "upload": upload,
            "confirm": confirm,
            "errors": errors,
            "unmatched": selectors.deposit_list(unmatched_only=True),
            "recent": selectors.deposit_list(limit=20),
            "assign": DepositAssignForm(),
            "audit": services.ledger_audit(),
        },
        status=422 if errors or confirm.errors else 200,
    )


@login_required
@require_POST
def operator_assign(request: HttpRequest, deposit_id: UUID) -> HttpResponse:
    _operator(request)
    form = DepositAssignForm(request.POST)
    if form.is_valid():
        try:
            services.bank_deposit_assign(
                actor=request.user, deposit_id=deposit_id, virtual_account=form.cleaned_data["virtual_account"]
            )
        except Problem as problem:
            messages.error(request, problem.ko)
        else:
            messages.success(request, _("입금을 지갑에 반영했습니다."))
    return redirect("payments:operator")


@login_required
def payouts_csv(request: HttpRequest) -> HttpResponse:
    _operator(request)
    response = HttpResponse(services.payout_export_csv(actor=request.user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sangsaeng-payouts.csv"'
    return response
