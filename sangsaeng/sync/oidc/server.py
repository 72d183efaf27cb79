"""The oauthlib server django-oauth-toolkit runs, with the PKCE `plain` method removed.

RFC 7636 lets a client omit `code_challenge_method` and get `plain`; RFC 9700 §2.1.1 says to use
S256. With only S256 registered, both an explicit `plain` and a missing method are answered with
`invalid_request` (unsupported code challenge method) on the authorization request itself.
"""

from __future__ import annotations

from typing import Any

from oauthlib.oauth2.rfc6749.grant_types.authorization_code import code_challenge_method_s256
from oauthlib.openid import Server


class SyncServer(Server):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        s256_only = {"S256": code_challenge_method_s256}
        self.auth_grant._code_challenge_methods = s256_only
        self.openid_connect_auth.proxy_target._code_challenge_methods = s256_only
