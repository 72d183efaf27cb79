"""`/api/accounts` and `/api/devices`: profile, revision date, master password and KDF changes,
security stamp, vault deletion (Vaultwarden's `accounts.rs`)."""

from __future__ import annotations

import base64

from django.http import HttpRequest, HttpResponse

from sangsaeng.vault import selectors, services
from sangsaeng.vault.bitwarden.http import actor, current_device, endpoint, json_response, read_object
from sangsaeng.vault.bitwarden.shapes import millis, profile_json
from sangsaeng.vault.items import lower_keys


def _profile(request: HttpRequest) -> HttpResponse:
    return json_response(profile_json(actor(request)))


def _profile_update(request: HttpRequest) -> HttpResponse:
    data = lower_keys(read_object(request))
    account = services.profile_update(
        account=actor(request), name=data.get("name"), hint=data.get("masterPasswordHint")
    )
    return json_response(profile_json(account))


def _revision_date(request: HttpRequest) -> HttpResponse:
    return json_response(millis(actor(request).revision_date))


def _password(request: HttpRequest) -> HttpResponse:
    data = lower_keys(read_object(request))
    services.password_change(
        account=actor(request),
        device=current_device(request),
        current_hash=data.get("masterPasswordHash"),
        new_hash=data.get("newMasterPasswordHash"),
        new_user_key=data.get("key"),
        hint=data.get("masterPasswordHint"),
    )
    return HttpResponse(status=200)


def _kdf(request: HttpRequest) -> HttpResponse:
    data = lower_keys(read_object(request))
    auth = data.get("authenticationData") or {}
    unlock = data.get("unlockData") or {}
    if not isinstance(auth, dict) or not isinstance(unlock, dict):
        auth, unlock = {}, {}
    kdf_auth, kdf_unlock = auth.get("kdf") or {}, unlock.get("kdf") or {}
    if kdf_auth != kdf_unlock or not isinstance(kdf_auth, dict):
        raise services.kdf_mismatch()
    kdf = services.kdf_validate(
        kdf_type=kdf_auth.get("kdfType"),
        iterations=kdf_auth.get("iterations"),
        memory=kdf_auth.get("memory"),
        parallelism=kdf_auth.get("parallelism"),
    )
    services.kdf_change(
        account=actor(request),
        device=current_device(request),
        current_hash=data.get("masterPasswordHash"),
        kdf=kdf,
        new_hash=auth.get("masterPasswordAuthenticationHash"),
        new_user_key=unlock.get("masterKeyWrappedUserKey"),
        salts=[auth.get("salt"), unlock.get("salt")],
    )
    return HttpResponse(status=200)


def _security_stamp(request: HttpRequest) -> HttpResponse:
    data = lower_keys(read_object(request))
    services.security_stamp_rotate(account=actor(request), login_hash=data.get("masterPasswordHash"))
    return HttpResponse(status=200)


def _verify_password(request: HttpRequest) -> HttpResponse:
    data = lower_keys(read_object(request))
    services.password_require(account=actor(request), login_hash=data.get("masterPasswordHash"))
    return json_response({"object": "masterPasswordPolicy"})


def _delete(request: HttpRequest) -> HttpResponse:
    data = lower_keys(read_object(request))
    services.account_delete(account=actor(request), login_hash=data.get("masterPasswordHash"))
    return HttpResponse(status=200)


def _known_device(request: HttpRequest) -> HttpResponse:
    """Whether this device has signed in to this email before (asked before login)."""
    encoded = request.headers.get("X-Request-Email", "").strip()
    try:
        email = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except ValueError:
        email = ""
    identifier = request.headers.get("X-Device-Identifier", "")
    return json_response(selectors.device_is_known(email=services.normalize_email(email), identifier=identifier))


profile = endpoint({"GET": _profile, "PUT": _profile_update, "POST": _profile_update})
revision_date = endpoint({"GET": _revision_date})
password = endpoint({"POST": _password})
kdf = endpoint({"POST": _kdf})
security_stamp = endpoint({"POST": _security_stamp})
verify_password = endpoint({"POST": _verify_password})
account = endpoint({"DELETE": _delete})
account_delete = endpoint({"POST": _delete})
known_device = endpoint({"GET": _known_device}, auth=False)
