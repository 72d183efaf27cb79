"""Explorer pages: the chain, a transaction's status, a token's history. Read from the index, not the chain."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sangsaeng.chain import selectors
from sangsaeng.chain.gateway import CONTRACT_NAMES, rpc_url
from sangsaeng.chain.worker import NETWORK_ERRORS
from sangsaeng.core.errors import Problem


def _explorer(kind: str, value: str) -> str:
    """A link to the chain's public explorer when one is configured (CHAIN_EXPLORER_URL)."""
    base = settings.CHAIN_EXPLORER_URL.rstrip("/")
    return f"{base}/{kind}/{value}" if base and value else ""


def _chain_context() -> dict[str, Any]:
    return {"rpc_url": rpc_url() if not settings.CHAIN_RPC_URL else "", "explorer": settings.CHAIN_EXPLORER_URL}


def chain_home(request: HttpRequest) -> HttpResponse:
    wallet = selectors.wallet_get(user=request.user) if request.user.is_authenticated else None
    context: dict[str, Any]
    try:
        context = {
            "status": selectors.chain_status(),
            "contracts": selectors.contract_list(),
            "transactions": selectors.transaction_list_recent(limit=20),
        }
    except NETWORK_ERRORS:
        context = {"unreachable": True}
    held = []
    if wallet is not None and "status" in context:
        held = [
            {"contract": name, "token_id": token_id}
            for name in ("ProductPassport", "ArtworkEditions")
            for token_id in selectors.tokens_held(contract_name=name, address=wallet.address)
        ]
    return render(request, "chain/home.html", {**_chain_context(), **context, "wallet": wallet, "held": held})


def transaction_detail(request: HttpRequest, tx_id: str) -> HttpResponse:
    try:
        tx = selectors.transaction_get(public_id=tx_id)
    except Problem as exc:
        raise Http404 from exc
    return render(
        request,
        "chain/transaction.html",
        {**_chain_context(), "tx": tx, "explorer_link": _explorer("tx", tx.tx_hash)},
    )


def token_detail(request: HttpRequest, contract: str, token_id: int) -> HttpResponse:
    if contract not in CONTRACT_NAMES:
        raise Http404
    history = selectors.token_history(contract_name=contract, token_id=token_id)
    if not history:
        raise Http404
    try:
        address = selectors.contract_get(name=contract).address
    except Problem as exc:
        raise Http404 from exc
    return render(
        request,
        "chain/token.html",
        {
            **_chain_context(),
            "contract": contract,
            "contract_address": address,
            "token_id": token_id,
            "owner": history[-1].to_address,
            "history": history,
            "explorer_link": _explorer(f"token/{address}", str(token_id)) if settings.CHAIN_EXPLORER_URL else "",
        },
    )
