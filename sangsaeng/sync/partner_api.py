"""APIs partners call with the user's access token (Kakao Sync's user APIs, on OAuth bearer tokens).

- GET  /oauth/v1/user/shipping_addresses          the address book (scope + consent shipping_address)
- GET  /oauth/v1/user/shipping_addresses/default  the default address only
- GET  /oauth/v1/user/service_terms               the user's agreements to this partner's terms
- POST /oauth/v1/user/service_terms/revoke        revoke a revocable agreement (`tag`)

Errors are RFC 6750 bearer-token errors: 401 `invalid_token`, 403 `insufficient_scope`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from oauth2_provider.models import AccessToken

from sangsaeng.accounts import selectors as accounts
from sangsaeng.core.errors import Problem
from sangsaeng.sync import selectors, services
from sangsaeng.sync.claims import pairwise_sub
from sangsaeng.sync.models import ConsentItem, Partner
from sangsaeng.sync.oidc.views import access_token_for, oauth_error

View = Callable[..., HttpResponse]


def _bearer_error(error: str, description: str, status: int) -> JsonResponse:
    return oauth_error(error, description, status, headers={"WWW-Authenticate": f'Bearer error="{error}"'})


def partner_token(*, scope: str, item: str | None = None) -> Callable[[View], View]:
    """Admit a request only with a live token of `scope` and, for `item`, the user's live consent."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            token = access_token_for(request)
            if token is None:
                return _bearer_error("invalid_token", "The access token is invalid, revoked or expired.", 401)
            if not token.allow_scopes([scope]):
                return _bearer_error("insufficient_scope", f"The token lacks the {scope} scope.", 403)
            partner = selectors.partner_get_by_client_id(client_id=token.application.client_id)
            link = selectors.link_get(user=token.user, partner=partner) if partner else None
            if partner is None or link is None:
                return _bearer_error("invalid_token", "The user is not linked to this app.", 401)
            if item is not None and item not in selectors.granted_items(link=link):
                return _bearer_error("insufficient_scope", f"The user has not agreed to {item}.", 403)
            return view(request, token, partner, *args, **kwargs)

        return wrapper

    return decorate


def _address(address: Any) -> dict[str, Any]:
    return {
        "id": str(address.public_id),
        "name": address.name,
        "is_default": address.is_default,
        "type": address.type,
        "base_address": address.base_address,
        "detail_address": address.detail_address,
        "receiver_name": address.receiver_name,
        "receiver_phone_number1": address.receiver_phone_number1,
        "receiver_phone_number2": address.receiver_phone_number2,
        "zone_number": address.zone_number,
        "updated_at": address.updated_at.isoformat(),
    }


def _sub(token: AccessToken) -> str:
    return pairwise_sub(sector=token.application.client_id, user_public_id=token.user.public_id)


@require_GET
@partner_token(scope="shipping_address", item=ConsentItem.SHIPPING_ADDRESS)
def shipping_addresses(request: HttpRequest, token: AccessToken, partner: Partner) -> HttpResponse:
    addresses = accounts.address_list(user=token.user)
    return JsonResponse(
        {
            "user_id": _sub(token),
            "has_shipping_addresses": bool(addresses),
            "shipping_addresses": [_address(a) for a in addresses],
        }
    )


@require_GET
@partner_token(scope="shipping_address", item=ConsentItem.SHIPPING_ADDRESS)
def default_shipping_address(request: HttpRequest, token: AccessToken, partner: Partner) -> HttpResponse:
    address = accounts.address_get_default(user=token.user)
    return JsonResponse({"user_id": _sub(token), "shipping_address": _address(address) if address else None})


def _terms(token: AccessToken, partner: Partner) -> list[dict[str, Any]]:
    link = selectors.link_get(user=token.user, partner=partner)
    agreements = {a.term_id: a for a in selectors.live_agreements(link=link)}
    result = []
    for term in selectors.term_list(partner=partner):
        agreement = agreements.get(term.pk)
        result.append(
            {
                "tag": term.tag,
                "title": term.title,
                "required": term.required,
                "revocable": term.revocable,
                "agreed": agreement is not None,
                "agreed_at": agreement.agreed_at.isoformat() if agreement else None,
            }
        )
    return result


@require_GET
@partner_token(scope="openid")
def service_terms(request: HttpRequest, token: AccessToken, partner: Partner) -> HttpResponse:
    return JsonResponse({"user_id": _sub(token), "service_terms": _terms(token, partner)})


@csrf_exempt
@require_POST
@partner_token(scope="openid")
def service_terms_revoke(request: HttpRequest, token: AccessToken, partner: Partner) -> HttpResponse:
    tag = request.POST.get("tag", "")
    try:
        agreement = services.agreement_revoke(user=token.user, partner=partner, tag=tag)
    except Problem as problem:
        error = "invalid_request" if problem.status != 404 else "not_found"
        return oauth_error(error, problem.en, problem.status)
    return JsonResponse(
        {"user_id": _sub(token), "revoked_service_terms": [{"tag": agreement.term.tag, "agreed": False}]}
    )
