"""The provider's endpoints: django-oauth-toolkit's views with Sync's consent, limits and keys.

Every refusal here is an OAuth error (a redirect with `error=` to a registered redirect URI, or a
JSON `{"error": ...}` body), never a page of HTML from a crash.
"""

from __future__ import annotations

import json
import re
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View
from oauth2_provider import views as dot
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.models import AccessToken, Application
from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import Request as OAuthlibRequest
from oauthlib.oauth2.rfc6749 import errors as oauth_errors

from sangsaeng.core import ratelimit
from sangsaeng.core.errors import Problem
from sangsaeng.sync import selectors, services
from sangsaeng.sync.claims import pairwise_sub
from sangsaeng.sync.consent import consent_context

# RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is 43 characters; the ABNF allows 43-128.
PKCE_CHALLENGE = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


def oauth_error(error: str, description: str, status: int = 400, headers: dict[str, str] | None = None) -> JsonResponse:
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def refuse_nul(view: Any) -> Any:
    """Refuse parameters carrying NUL bytes with `invalid_request` before any view reads them.

    PostgreSQL text cannot hold NUL, so a `code=%00` would otherwise reach the database as an
    error (a 500) instead of being refused as the malformed request it is.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        params = [*request.GET.lists(), *(request.POST.lists() if request.method == "POST" else [])]
        values = [value for _name, group in params for value in group]
        if any("\x00" in value for value in [*values, request.headers.get("Authorization", "")]):
            return oauth_error("invalid_request", "Parameters must not contain NUL bytes.")
        return view(request, *args, **kwargs)

    return wrapper


class AuthorizeView(dot.AuthorizationView):
    """The authorization endpoint with the one Sync consent screen.

    A returning user whose consents and required terms cover the request skips the screen;
    `prompt=consent` shows it anyway (incremental consent), `prompt=none` answers
    `consent_required` instead of showing it, and `prompt=login` signs the user in again.
    """

    template_name = "sync/consent.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            scopes, credentials = self.validate_authorization_request(request)
        except OAuthToolkitError as error:
            return self.error_response(error, application=None)
        application = Application.objects.get(client_id=credentials["client_id"])
        prompt = set(request.GET.get("prompt", "").split())
        if "none" in prompt and len(prompt) > 1:
            return self._redirect_error(oauth_errors.InvalidRequestError, credentials, application)
        challenge = request.GET.get("code_challenge")
        if challenge is not None and not PKCE_CHALLENGE.fullmatch(challenge):
            return self._redirect_error(oauth_errors.InvalidRequestError, credentials, application)
        if "login" in prompt:
            logout(request)
            return self.handle_prompt_login()
        if "create" in prompt:
            return self._redirect_error(oauth_errors.InvalidRequestError, credentials, application)
        partner = selectors.partner_get_by_client_id(client_id=credentials["client_id"])
        if partner is None:
            return self._redirect_error(oauth_errors.UnauthorizedClientError, credentials, application)
        if isinstance(credentials.get("ui_locales"), list):
            credentials["ui_locales"] = " ".join(credentials["ui_locales"])
        link = selectors.link_get(user=request.user, partner=partner)
        if "consent" not in prompt and not selectors.consent_needed(link=link, partner=partner, scopes=set(scopes)):
            try:
                uri, _headers, _body, _status = self.create_authorization_response(
                    request=request, scopes=" ".join(scopes), credentials=credentials, allow=True
                )
            except OAuthToolkitError as error:
                return self.error_response(error, application)
            return self.redirect(uri, application)
        if "none" in prompt:
            return self._redirect_error(oauth_errors.ConsentRequired, credentials, application)
        self.oauth2_data = {
            **{k: credentials.get(k) for k in ("client_id", "redirect_uri", "response_type", "state", "nonce")},
            "scope": scopes,
            "code_challenge": credentials.get("code_challenge"),
            "code_challenge_method": credentials.get("code_challenge_method"),
            "claims": json.dumps(credentials["claims"]) if credentials.get("claims") else None,
        }
        form = self.get_form(self.get_form_class())
        return self.render_to_response(self.get_context_data(form=form))

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        """Let the consent form's POST be redirected to the partner.

        Browsers apply CSP `form-action` to the redirects that follow a form submission too, so
        the page names the one registered redirect URI's origin that oauthlib has validated.
        """
        response = super().render_to_response(context, **kwargs)
        form = context.get("form")
        if form is not None and "error" not in context:
            target = urlparse(str(form["redirect_uri"].value() or ""))
            application = Application.objects.filter(client_id=str(form["client_id"].value() or "")).first()
            if target.scheme in {"http", "https"} and application and application.redirect_uri_allowed(target.geturl()):
                response._csp_update = {"form-action": [f"{target.scheme}://{target.netloc}"]}  # type: ignore[attr-defined]
        return response

    def error_response(self, error: Any, application: Any, **kwargs: Any) -> HttpResponse:
        """Error redirects carry `iss` too (RFC 9207 §2, the mix-up defence of RFC 9700 §4.4).

        django-oauth-toolkit adds `iss` to successful authorization responses only; a client that
        checks it would otherwise have to accept an error response from any server.
        """
        response = super().error_response(error, application, **kwargs)
        location = response.get("Location") if response.status_code == 302 else None
        if location and oauth2_settings.COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS:
            parts = urlparse(location)
            query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "iss"]
            query.append(("iss", oauth2_settings.oauth2_authorization_server_issuer(self.request)))
            response["Location"] = urlunparse(parts._replace(query=urlencode(query)))
        return response

    def _redirect_error(self, error_class: Any, credentials: dict[str, Any], application: Any) -> HttpResponse:
        error = error_class(state=credentials.get("state"))
        error.redirect_uri = credentials["redirect_uri"]
        return self.error_response(
            OAuthToolkitError(error=error, redirect_uri=credentials["redirect_uri"]), application
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        if form is not None and "error" not in context:
            client_id = form["client_id"].value()
            partner = selectors.partner_get_by_client_id(client_id=str(client_id or ""))
            if partner is not None:
                scopes = set(str(form["scope"].value() or "").split())
                link = selectors.link_get(user=self.request.user, partner=partner)
                context.update(consent_context(partner=partner, scopes=scopes, link=link, data=self.request.POST))
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        if not Application.objects.filter(client_id=form.cleaned_data.get("client_id") or "").exists():
            # a consent form posted for a client that does not exist (django-oauth-toolkit would look
            # it up with .get() and crash): the same invalid_client page as the GET, and no redirect
            return self.error_response(OAuthToolkitError(error=oauth_errors.InvalidClientIdError()), None)
        if not form.cleaned_data.get("allow"):
            return super().form_valid(form)
        partner = selectors.partner_get_by_client_id(client_id=form.cleaned_data["client_id"])
        if partner is None:
            return super().form_valid(form)
        post = self.request.POST
        with transaction.atomic():
            try:
                services.consent_record(
                    user=self.request.user,
                    partner=partner,
                    scopes=set(form.cleaned_data["scope"].split()),
                    granted=set(post.getlist("items")),
                    agreed_tags=set(post.getlist("terms")),
                    follow_channel=post.get("follow_channel") == "on",
                )
            except Problem as problem:
                form.add_error(None, problem.ko)
                return self.form_invalid(form)
            response = super().form_valid(form)
            if not self.success_url:
                # oauthlib refused the request (tampered hidden fields): keep no consent.
                transaction.set_rollback(True)
        return response


@method_decorator(csrf_exempt, name="dispatch")
class TokenView(dot.TokenView):
    """The token endpoint, rate-limited per client and address before any work is done."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        client = request.POST.get("client_id") or request.headers.get("Authorization", "")[:200]
        try:
            ratelimit.consume(
                scope="oauth_token",
                key=f"{ratelimit.client_ip(request)}|{client}",
                limit=settings.SYNC_TOKEN_RATE_LIMIT,
                window=settings.SYNC_TOKEN_RATE_WINDOW,
            )
        except ratelimit.RateLimited as exc:
            return oauth_error(
                "temporarily_unavailable",
                f"Too many token requests; retry in {exc.retry_after} s.",
                status=429,
                headers={"Retry-After": str(exc.retry_after)},
            )
        return super().post(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return oauth_error("invalid_request", "The token endpoint takes POST.", status=405)


class DiscoveryView(dot.ConnectDiscoveryInfoView):
    """OpenID Provider metadata, corrected for what Sync actually signs and accepts."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data.update(
            {
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "prompt_values_supported": ["none", "login", "consent"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "revocation_endpoint": request.build_absolute_uri("/oauth/revoke_token/"),
                "introspection_endpoint": request.build_absolute_uri("/oauth/introspect/"),
                "claims_parameter_supported": False,
            }
        )
        out = JsonResponse(data)
        out["Access-Control-Allow-Origin"] = "*"
        return out


@method_decorator(csrf_exempt, name="dispatch")
class IntrospectView(View):
    """RFC 7662, for the partner's own tokens only, answering the pairwise `sub` (never an email).

    The caller authenticates as a confidential client; a token issued to any other client is
    reported inactive, so partners cannot probe each other's tokens.
    """

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        core = get_oauthlib_core()
        uri, method, body, headers = core._extract_params(request)
        oauth_request = OAuthlibRequest(uri, http_method=method, body=body, headers=headers)
        validator = core.server.request_validator
        if not validator.authenticate_client(oauth_request):
            return oauth_error("invalid_client", "Client authentication failed.", status=401)
        client = oauth_request.client
        value = request.POST.get("token")
        if not value:
            return oauth_error("invalid_request", "Token parameter is missing.")
        token = validator._load_access_token(value)
        if token is None or not token.is_valid() or token.application_id != client.pk or token.user is None:
            return JsonResponse({"active": False})
        return JsonResponse(
            {
                "active": True,
                "scope": token.scope,
                "client_id": client.client_id,
                "token_type": "Bearer",
                "exp": int(token.expires.timestamp()),
                "sub": pairwise_sub(sector=client.client_id, user_public_id=token.user.public_id),
            }
        )


@method_decorator(csrf_exempt, name="dispatch")
class UserInfoView(dot.UserInfoView):
    """OIDC userinfo, refusing a bearer token in the URL.

    RFC 9700 §4.3.2 and RFC 6750 §5.3: a token in the query string ends up in logs, history and
    Referer headers. django-oauth-toolkit refuses it in `verify_request` (the partner API), but its
    userinfo endpoint reads the token through oauthlib, which accepts `?access_token=`.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "access_token" in request.GET:
            return oauth_error(
                "invalid_request",
                "Send the access token in the Authorization header, never in the URL.",
                headers={"WWW-Authenticate": 'Bearer error="invalid_request"'},
            )
        return super().dispatch(request, *args, **kwargs)


def access_token_for(request: HttpRequest) -> AccessToken | None:
    """The valid bearer token on a partner API request (django-oauth-toolkit's own check), or None."""
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    token = getattr(oauth_request, "access_token", None) if valid else None
    if not isinstance(token, AccessToken) or token.user is None or token.application is None:
        return None
    return token
