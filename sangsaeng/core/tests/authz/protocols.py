"""The standard protocols: Bitwarden (/vault), WebDAV (/dav), tus (/files), the OpenAI-compatible
API (/v1) and the OpenID Connect provider (/oauth). Each signs B in its own way (see matrix.py)."""

from __future__ import annotations

from sangsaeng.core.tests.authz.entries import AUTH, OWN, STATIC, Exempt, obj

CIPHER = "cipher_id"
BULK_OK = (200, 204, 404)  # Bitwarden's bulk calls skip ids that are not the caller's, as Vaultwarden does

VAULT = {
    "vault/identity/accounts/prelogin": Exempt(AUTH),
    "vault/identity/accounts/prelogin/password": Exempt(AUTH),
    "vault/identity/accounts/register": Exempt(AUTH),
    "vault/identity/accounts/register/send-verification-email": Exempt(AUTH),
    "vault/identity/accounts/register/finish": Exempt(AUTH),
    "vault/identity/connect/token": Exempt(AUTH),
    "vault/api/config": Exempt(STATIC),
    "vault/api/sync": Exempt(OWN),
    "vault/api/accounts/prelogin": Exempt(AUTH),
    "vault/api/accounts/profile": Exempt(OWN),
    "vault/api/accounts/revision-date": Exempt(OWN),
    "vault/api/accounts/password": Exempt(OWN),
    "vault/api/accounts/kdf": Exempt(OWN),
    "vault/api/accounts/security-stamp": Exempt(OWN),
    "vault/api/accounts/verify-password": Exempt(OWN),
    "vault/api/accounts/delete": Exempt(OWN),
    "vault/api/accounts": Exempt(OWN),
    "vault/api/devices/knowndevice": Exempt(AUTH),
    "vault/api/folders": Exempt(OWN),
    "vault/api/folders/<str:folder_id>": obj(("GET", "PUT", "DELETE"), folder_id="folder.public_id"),
    "vault/api/folders/<str:folder_id>/delete": obj(("POST",), folder_id="folder.public_id"),
    "vault/api/ciphers": Exempt(OWN),
    "vault/api/ciphers/create": Exempt(OWN),
    "vault/api/ciphers/delete": obj(("PUT", "POST"), body={"ids": ["@cipher.public_id"]}, expect=BULK_OK),
    "vault/api/ciphers/restore": obj(("PUT",), body={"ids": ["@trashed_cipher.public_id"]}, expect=BULK_OK),
    "vault/api/ciphers/move": obj(
        ("PUT", "POST"), body={"ids": ["@cipher.public_id"], "folderId": None}, expect=BULK_OK
    ),
    "vault/api/ciphers/<str:cipher_id>": obj(
        ("GET", "PUT", "POST", "DELETE"), cipher_id="cipher.public_id", body="@b_cipher_body"
    ),
    "vault/api/ciphers/<str:cipher_id>/details": obj(("GET",), cipher_id="cipher.public_id"),
    "vault/api/ciphers/<str:cipher_id>/partial": obj(
        ("PUT", "POST"), cipher_id="cipher.public_id", body={"folderId": None, "favorite": True}
    ),
    "vault/api/ciphers/<str:cipher_id>/delete": obj(("PUT", "POST"), cipher_id="cipher.public_id"),
    "vault/api/ciphers/<str:cipher_id>/restore": obj(("PUT",), cipher_id="trashed_cipher.public_id"),
    "vault/api/ciphers/<str:cipher_id>/attachment/v2": obj(
        ("POST",), cipher_id="cipher.public_id", body={"fileName": "2.x|y|z", "key": "2.x|y|z", "fileSize": 10}
    ),
    "vault/api/ciphers/<str:cipher_id>/attachment/<str:attachment_id>": obj(
        ("GET", "DELETE"), cipher_id="attachment.cipher.public_id", attachment_id="attachment.public_id"
    ),
    "vault/api/ciphers/<str:cipher_id>/attachment/<str:attachment_id>/delete": obj(
        ("POST",), cipher_id="attachment.cipher.public_id", attachment_id="attachment.public_id"
    ),
    "vault/attachments/<str:cipher_id>/<str:attachment_id>": obj(
        ("GET",), cipher_id="attachment.cipher.public_id", attachment_id="attachment.public_id"
    ),
}

# WebDAV paths live in the caller's own namespace: B naming A's file names a file of B's that does not
# exist, so the protocol's not-found (404) is the answer, and A's file is untouched.
WEBDAV = {
    "dav^(?P<path>.*)$": obj(("GET", "HEAD", "PROPFIND", "PROPPATCH", "DELETE", "MOVE", "COPY"), path="dav_path"),
}

TUS = {
    "files/": Exempt(OWN, "creates an upload owned by the caller"),
    # tus 1.0 names no code for someone else's upload: ours is the same 404 as a missing one.
    "files/<str:upload_id>": obj(("HEAD", "PATCH", "DELETE"), upload_id="upload.public_id"),
}

OPENAI = {
    "v1/models": Exempt(STATIC, "the served models"),
    "v1/models/<path:model>": Exempt(STATIC, "one served model"),
    "v1/completions": Exempt(OWN, "runs under the caller's key; stores only the caller's usage"),
    "v1/chat/completions": Exempt(OWN, "runs under the caller's key; stores only the caller's usage"),
    "v1/embeddings": Exempt(OWN, "runs under the caller's key; stores only the caller's usage"),
    "v1/^.*$": Exempt(STATIC, "OpenAI's JSON 404 for a path /v1 does not serve; reads and stores nothing"),
}

OIDC = {
    ".well-known/openid-configuration": Exempt(STATIC),
    "oauth/authorize/": Exempt(AUTH, "the signed-in user's own consent"),
    "oauth/token/": Exempt(AUTH, "codes and refresh tokens are bound to the client that got them"),
    "oauth/userinfo/": Exempt(OWN, "the access token's own user"),
    "oauth/logout/": Exempt(AUTH),
    # RFC 7009 answers 200 whatever the token; the point is that B's client cannot revoke A's token.
    "oauth/revoke_token/": obj(("POST",), body="@oidc_revoke_body", expect=(200, 401, 403)),
    # RFC 7662: B's client asking about A's token learns only {"active": false}.
    "oauth/introspect/": obj(("POST",), body="@oidc_introspect_body", expect=(200, 401, 403)),
    "oauth/v1/user/shipping_addresses": Exempt(OWN, "the access token's own user"),
    "oauth/v1/user/shipping_addresses/default": Exempt(OWN, "the access token's own user"),
    "oauth/v1/user/service_terms": Exempt(OWN, "the access token's own user"),
    "oauth/v1/user/service_terms/revoke": Exempt(OWN, "the access token's own user and partner"),
}
