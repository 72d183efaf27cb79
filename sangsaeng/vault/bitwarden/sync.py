"""`GET /api/sync`: everything a client needs, in one answer (Vaultwarden's `sync`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from sangsaeng.vault import selectors
from sangsaeng.vault.bitwarden.http import actor, base_url, endpoint, json_response
from sangsaeng.vault.bitwarden.shapes import sync_json


def _sync(request: HttpRequest) -> HttpResponse:
    account = actor(request)
    body = sync_json(
        account,
        selectors.folder_list(account=account),
        selectors.cipher_rows(account=account),
        base_url=base_url(request),
        domains=request.GET.get("excludeDomains", "").lower() != "true",
    )
    return json_response(body)


sync = endpoint({"GET": _sync})
