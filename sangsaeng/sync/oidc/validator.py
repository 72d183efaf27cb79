"""Sync's customisation of django-oauth-toolkit: oauthlib owns the protocol, this class the policy.

- `sub` is pairwise per partner (OIDC Core §8.1).
- The ID token carries only identity (`sub`, `is_new_user`, `nonce`, times); profile, email and
  phone claims come from userinfo, filtered by scope *and* by the user's live consent.
- ID tokens are signed with the current database key (see `keys`), verified by `kid`.
- A redeemed code presented again revokes the token family it minted (RFC 6749 §4.1.2).
- PKCE (S256) is required of every client, confidential ones too; `plain` is refused (see `server`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from jwcrypto import jws, jwt
from oauth2_provider.models import RefreshToken
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749 import errors

from sangsaeng.sync import selectors, services
from sangsaeng.sync.claims import ITEMS, claims_for, pairwise_sub
from sangsaeng.sync.models import CodeRedemption
from sangsaeng.sync.oidc import keys


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class SyncValidator(OAuth2Validator):
    # Standard claims and the scope that releases each (consent narrows it further).
    oidc_claim_scope = {
        "sub": "openid",
        "is_new_user": "openid",
        **{claim: spec.scope for spec in ITEMS.values() for claim in spec.claims},
    }

    # Subjects and claims -------------------------------------------------------------------------

    def _sub(self, request: Any) -> str:
        return pairwise_sub(sector=request.client.client_id, user_public_id=request.user.public_id)

    def get_oidc_claims(self, token: Any, token_handler: Any, request: Any) -> dict[str, Any]:
        """ID token claims: who the user is to this partner, and whether they are new to it."""
        claims: dict[str, Any] = {"sub": self._sub(request)}
        partner = selectors.partner_get_by_client_id(client_id=request.client.client_id)
        link = selectors.link_get(user=request.user, partner=partner) if partner else None
        claims["is_new_user"] = bool(link and services.link_mark_signed_in(link=link))
        return claims

    def get_userinfo_claims(self, request: Any) -> dict[str, Any]:
        """Userinfo: claims per granted scope and per live consent, with `<item>_needs_agreement`."""
        claims: dict[str, Any] = {"sub": self._sub(request)}
        partner = selectors.partner_get_by_client_id(client_id=request.client.client_id)
        if partner is None:
            return claims
        link = selectors.link_get(user=request.user, partner=partner)
        claims.update(
            claims_for(
                user=request.user,
                scopes=set(request.scopes or []),
                granted=selectors.granted_items(link=link),
                asked=partner.consent_items,
            )
        )
        return claims

    def get_discovery_claims(self, request: Any) -> list[str]:
        return sorted(self.oidc_claim_scope)

    # Signing -------------------------------------------------------------------------------------

    def finalize_id_token(self, id_token: dict[str, Any], token: Any, token_handler: Any, request: Any) -> str:
        """Sign the ID token with the current RS256 key from the database, naming it by `kid`."""
        claims, expiration_time = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce
        key = keys.signing_key_current()
        signed = jwt.JWT(
            header=json.dumps({"typ": "JWT", "alg": "RS256", "kid": key.kid}),
            claims=json.dumps(id_token, default=str),
        )
        signed.make_signed_token(keys.private_jwk(key))
        with transaction.atomic():
            saved = self._save_id_token(id_token["jti"], request, expiration_time)
        request.access_token = saved
        request.id_token = saved
        return str(signed.serialize())

    def _get_key_for_token(self, token: str) -> Any:
        """The public key named by the token's `kid` (for id_token_hint at logout)."""
        try:
            unverified = jws.JWS()
            unverified.deserialize(token)
            header = unverified.jose_header
        except Exception:  # malformed hint: treated as no key, so the token is refused
            return None
        kid = header.get("kid") if isinstance(header, dict) else None
        return keys.public_jwk_for(kid) if kid else None

    # PKCE ----------------------------------------------------------------------------------------

    def is_pkce_required(self, client_id: str, request: Any) -> bool:
        """Every client binds its code to a PKCE verifier, confidential ones too.

        Public clients cannot keep a secret (RFC 9700 §2.1.1: MUST). For a confidential client a
        stolen code is useless without its secret, but an injected one is not: PKCE is what stops an
        attacker from redeeming *their* code in the victim's session (code injection, §4.5). The OIDC
        `nonce` would also do, but only if every partner checks it; PKCE is checked here, by us.
        """
        return True

    # prompt=none ---------------------------------------------------------------------------------

    def validate_silent_login(self, request: Any) -> bool:
        """oauthlib asks this for prompt=none. The view only validates for signed-in users
        (django-oauth-toolkit answers `login_required` to anonymous ones first), so it holds."""
        return True

    def validate_silent_authorization(self, request: Any) -> bool:
        """The consent check needs the user and partner, so the view makes it after validation
        and answers `consent_required` itself (`AuthorizeView.get`)."""
        return True

    # Scopes --------------------------------------------------------------------------------------

    def get_default_scopes(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> list[str]:
        return ["openid"]

    # Single-use codes ----------------------------------------------------------------------------

    def validate_code(self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any) -> bool:
        if super().validate_code(client_id, code, client, request, *args, **kwargs):
            return True
        redemption = CodeRedemption.objects.filter(code_sha256=_sha256(code)).first()
        if redemption is not None and redemption.token_family:
            RefreshToken.revoke_family(redemption.token_family)
        return False

    def _create_refresh_token(self, request: Any, refresh_token_code: Any, access_token: Any, previous: Any) -> Any:
        refresh = super()._create_refresh_token(request, refresh_token_code, access_token, previous)
        request.sync_token_family = refresh.token_family
        return refresh

    def invalidate_authorization_code(self, client_id: str, code: str, request: Any, *args: Any, **kwargs: Any) -> None:
        """Delete the grant and remember the code's hash with the tokens it minted.

        If another exchange won the race and the grant is already gone, the tokens this request
        just minted are revoked before refusing.
        """
        family = getattr(request, "sync_token_family", None)
        try:
            super().invalidate_authorization_code(client_id, code, request, *args, **kwargs)
        except errors.InvalidGrantError:
            if family:
                RefreshToken.revoke_family(family)
            raise
        CodeRedemption.objects.get_or_create(code_sha256=_sha256(code), defaults={"token_family": family})
