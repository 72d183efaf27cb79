"""`/identity`: prelogin, sign-up (old and current), and the OAuth token endpoint.

Routes as Bitwarden's identity server has them; shapes as Vaultwarden's `src/api/identity.rs`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from sangsaeng.core.errors import Problem
from sangsaeng.core.ratelimit import RateLimited, client_ip
from sangsaeng.vault import services
from sangsaeng.vault.bitwarden.http import base_url, endpoint, json_response, read_object
from sangsaeng.vault.bitwarden.shapes import account_keys_json, kdf_json, master_password_unlock


def _prelogin(request: HttpRequest) -> HttpResponse:
    data = read_object(request)
    kdf = services.prelogin(email=str(data.get("email") or ""))
    return json_response(kdf_json(kdf.type, kdf.iterations, kdf.memory, kdf.parallelism))


prelogin = endpoint({"POST": _prelogin}, auth=False)


def _kdf_from(data: dict[str, Any]) -> tuple[services.Kdf, list[Any]]:
    """KDF settings from any of the three sign-up body shapes, and the salts it names."""
    auth = data.get("masterPasswordAuthentication")
    if isinstance(auth, dict):
        unlock = data.get("masterPasswordUnlock") or {}
        kdf_auth, kdf_unlock = auth.get("kdf") or {}, unlock.get("kdf") or {}
        if kdf_auth != kdf_unlock or not isinstance(kdf_auth, dict):
            raise services.kdf_mismatch()
        kdf = services.kdf_validate(
            kdf_type=kdf_auth.get("kdfType"),
            iterations=kdf_auth.get("iterations"),
            memory=kdf_auth.get("memory"),
            parallelism=kdf_auth.get("parallelism"),
        )
        return kdf, [auth.get("salt"), unlock.get("salt")]
    kdf = services.kdf_validate(
        kdf_type=data.get("kdf"),
        iterations=data.get("kdfIterations"),
        memory=data.get("kdfMemory"),
        parallelism=data.get("kdfParallelism"),
    )
    return kdf, []


def _register(request: HttpRequest) -> HttpResponse:
    data = read_object(request)
    email = services.normalize_email(str(data.get("email") or ""))
    kdf, salts = _kdf_from(data)
    if any(services.normalize_email(str(salt or "")) != email for salt in salts):
        raise Problem(
            code="invalid_salt", ko="솔트가 이메일과 다릅니다.", en="Invalid master password salt.", field="salt"
        )
    auth = data.get("masterPasswordAuthentication") or {}
    unlock = data.get("masterPasswordUnlock") or {}
    keys = data.get("keys") or data.get("userAsymmetricKeys") or {}
    if not isinstance(keys, dict):
        keys = {}
    services.account_register(
        email=email,
        token=data.get("emailVerificationToken"),
        login_hash=auth.get("hash") or auth.get("masterPasswordAuthenticationHash") or data.get("masterPasswordHash"),
        kdf=kdf,
        user_key=unlock.get("key")
        or unlock.get("masterKeyWrappedUserKey")
        or data.get("key")
        or data.get("userSymmetricKey"),
        public_key=keys.get("publicKey"),
        private_key=keys.get("encryptedPrivateKey"),
        name=str(data.get("name") or ""),
        hint=str(data.get("masterPasswordHint") or ""),
    )
    return json_response({"object": "register", "captchaBypassToken": ""})


register = endpoint({"POST": _register}, auth=False)


def _send_verification_email(request: HttpRequest) -> HttpResponse:
    data = read_object(request)
    token = services.signup_verification_send(email=str(data.get("email") or ""), ip=client_ip(request))
    if token is None:
        return HttpResponse(status=204)
    return json_response(token)


send_verification_email = endpoint({"POST": _send_verification_email}, auth=False)


def _grant_error(
    message: str,
    *,
    description: str = "invalid_username_or_password",
    status: int = 400,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """What the clients read on a refused grant: `error` for the OAuth layer, ErrorModel.Message to show."""
    return json_response(
        {
            "error": "invalid_grant",
            "error_description": description,
            "ErrorModel": {"Message": message, "Object": "error"},
        },
        status=status,
        headers=headers,
    )


def _token(request: HttpRequest) -> HttpResponse:
    form = request.POST
    grant = form.get("grant_type", "")
    ip, issuer = client_ip(request), base_url(request)
    try:
        if grant == "password":
            for name in ("username", "password", "deviceIdentifier"):
                if not form.get(name):
                    return _grant_error(f"{name} cannot be blank", description=f"{name}_blank")
            session = services.login_password(
                email=form["username"],
                login_hash=form["password"],
                device_identifier=form["deviceIdentifier"],
                device_name=form.get("deviceName", ""),
                device_type=form.get("deviceType"),
                ip=ip,
                issuer=issuer,
            )
        elif grant == "refresh_token":
            session = services.login_refresh(refresh_token=form.get("refresh_token", ""), ip=ip, issuer=issuer)
            return json_response(
                {
                    "access_token": session.access_token,
                    "expires_in": session.expires_in,
                    "token_type": "Bearer",
                    "refresh_token": session.refresh_token,
                    "scope": "api offline_access",
                }
            )
        else:
            return json_response({"error": "unsupported_grant_type"}, status=400)
    except services.LoginFailed as exc:
        if grant == "refresh_token":
            return json_response({"error": "invalid_grant"}, status=400)
        return _grant_error(exc.message)
    except RateLimited as exc:
        return _grant_error(
            f"Too many login attempts. Try again in {exc.retry_after} seconds.",
            description="too_many_requests",
            status=429,
            headers={"Retry-After": str(exc.retry_after)},
        )
    account = session.account
    return json_response(
        {
            "access_token": session.access_token,
            "expires_in": session.expires_in,
            "token_type": "Bearer",
            "refresh_token": session.refresh_token,
            "scope": "api offline_access",
            "Key": account.user_key,
            "PrivateKey": account.private_key,
            "Kdf": account.kdf_type,
            "KdfIterations": account.kdf_iterations,
            "KdfMemory": account.kdf_memory,
            "KdfParallelism": account.kdf_parallelism,
            "ResetMasterPassword": False,
            "ForcePasswordReset": False,
            "MasterPasswordPolicy": {"Object": "masterPasswordPolicy"},
            "AccountKeys": account_keys_json(account, pascal=True),
            "UserDecryptionOptions": {
                "HasMasterPassword": True,
                "MasterPasswordUnlock": master_password_unlock(account, pascal=True),
                "Object": "userDecryptionOptions",
            },
        }
    )


token = endpoint({"POST": _token}, auth=False)
