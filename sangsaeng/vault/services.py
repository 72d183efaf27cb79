"""Vault accounts: sign-up, login, tokens, devices, password and KDF changes, deletion.

The master password never reaches the server. Clients send a login hash
(PBKDF2(master key, password, 1)), which the server hashes again with Django's Argon2 hasher and
compares in constant time (`check_password`). The user key arrives already wrapped by the
client's stretched master key; the server stores it and hands it back, and cannot unwrap it.

Folders and ciphers are in `items.py`, attachments in `attachments.py`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.core import ratelimit
from sangsaeng.core.audit import audit_record
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.vault import encstring, tokens
from sangsaeng.vault.files import attachment_files_delete
from sangsaeng.vault.models import Device, KdfType, SignupWindow, VaultAccount

SIGNUP_TOKEN_SALT = "sangsaeng.vault.signup"
SIGNUP_TOKEN_MAX_AGE = 24 * 3600
SIGNUP_WINDOW = timedelta(hours=1)
# What prelogin answers for unknown emails, so that the answer never tells whether a vault exists.
DEFAULT_KDF_ITERATIONS = 600_000
# The Bitwarden clients refuse fewer PBKDF2 iterations as a downgrade attack.
PBKDF2_MIN_ITERATIONS = 5_000
PBKDF2_MAX_ITERATIONS = 2_000_000
# A device that has not refreshed for this long signs in again (Bitwarden's sliding 30 days).
REFRESH_IDLE = timedelta(days=30)
LOGIN_SCOPE_ACCOUNT = "vault-login-account"
LOGIN_SCOPE_IP = "vault-login-ip"
WRONG_PASSWORD = "Username or password is incorrect. Try again."
# Hashed once per process; compared against for unknown emails so they cost the same time.
_DUMMY_HASH: list[str] = []


@dataclass(frozen=True)
class Kdf:
    type: int
    iterations: int
    memory: int | None = None
    parallelism: int | None = None


class LoginFailed(Exception):
    """A refused password or refresh grant; the token endpoint answers it as invalid_grant."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


NO_ROW = uuid.UUID(int=0)


def parse_uuid(value: Any) -> uuid.UUID:
    """A UUID from a path or body; for anything else the nil UUID, which no row has (ids are uuid4)."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return NO_ROW


def _bad(code: str, ko: str, en: str, field: str | None = None, status: int = 400) -> Problem:
    return Problem(code=code, status=status, ko=ko, en=en, field=field)


def normalize_email(email: str) -> str:
    """The form of an email that is stored and used as the KDF salt: trimmed, lower-case."""
    return (email or "").strip().lower()


def kdf_validate(*, kdf_type: Any, iterations: Any, memory: Any = None, parallelism: Any = None) -> Kdf:
    """The client's KDF settings, within the bounds the official clients themselves accept."""

    def as_int(value: Any, field: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad("invalid_kdf", "KDF 설정이 올바르지 않습니다.", f"{field} must be an integer.", field)
        return value

    kind = as_int(kdf_type, "kdf")
    rounds = as_int(iterations, "kdfIterations")
    if kind == KdfType.PBKDF2_SHA256:
        if not PBKDF2_MIN_ITERATIONS <= rounds <= PBKDF2_MAX_ITERATIONS:
            raise _bad(
                "invalid_kdf",
                "PBKDF2 반복 횟수가 허용 범위를 벗어났습니다.",
                f"PBKDF2 iterations must be between {PBKDF2_MIN_ITERATIONS} and {PBKDF2_MAX_ITERATIONS}.",
                "kdfIterations",
            )
        return Kdf(type=kind, iterations=rounds)
    if kind == KdfType.ARGON2ID:
        mem = as_int(memory, "kdfMemory")
        par = as_int(parallelism, "kdfParallelism")
        if not (1 <= rounds <= 10 and 15 <= mem <= 1024 and 1 <= par <= 16):
            raise _bad(
                "invalid_kdf",
                "Argon2id 설정이 허용 범위를 벗어났습니다.",
                "Argon2id needs 1-10 iterations, 15-1024 MiB memory and parallelism 1-16.",
                "kdf",
            )
        return Kdf(type=kind, iterations=rounds, memory=mem, parallelism=par)
    raise _bad("invalid_kdf", "지원하지 않는 KDF입니다.", "The KDF type is not supported.", "kdf")


def _login_hash(value: Any, field: str = "masterPasswordHash") -> str:
    if not isinstance(value, str) or not 20 <= len(value) <= 200:
        raise _bad(
            "invalid_password_hash", "마스터 비밀번호 해시가 올바르지 않습니다.", f"{field} is not valid.", field
        )
    return value


def password_verify(*, account: VaultAccount, login_hash: Any) -> bool:
    """Constant-time check of the client's login hash against the server's Argon2 hash of it."""
    return isinstance(login_hash, str) and check_password(login_hash, account.password_hash)


def password_require(*, account: VaultAccount, login_hash: Any) -> None:
    """The master password check of signed-in operations; failures share the login budget, so a
    stolen access token is no way round the login throttle."""
    window = settings.SIGNIN_RATE_WINDOW
    ratelimit.check(scope=LOGIN_SCOPE_ACCOUNT, key=account.email, limit=settings.SIGNIN_RATE_PER_ACCOUNT, window=window)
    if not password_verify(account=account, login_hash=login_hash):
        ratelimit.hit(scope=LOGIN_SCOPE_ACCOUNT, key=account.email, window=window)
        raise _bad("invalid_password", "마스터 비밀번호가 틀렸습니다.", "Invalid password.", "masterPasswordHash")


def kdf_mismatch() -> Problem:
    """The refusal when the authentication and unlock halves of a request name different KDFs."""
    return _bad(
        "invalid_kdf",
        "인증과 잠금 해제의 KDF 설정이 서로 다릅니다.",
        "KDF settings must be equal for authentication and unlock.",
        "unlockData.kdf",
    )


def account_touch(*, account: VaultAccount) -> None:
    """Move the revision date on, so that every client syncs."""
    account.revision_date = timezone.now()
    VaultAccount.objects.filter(pk=account.pk).update(revision_date=account.revision_date)


# Sign-up -----------------------------------------------------------------------------------------


def signup_window_open(*, user: Any) -> SignupWindow:
    """Let `user` create a vault from a Bitwarden app, without a mailed token, for an hour."""
    window, _created = SignupWindow.objects.update_or_create(
        user=user, defaults={"open_until": timezone.now() + SIGNUP_WINDOW}
    )
    return window


def signup_token_create(*, email: str) -> str:
    """A signed sign-up token for `email`, good for SIGNUP_TOKEN_MAX_AGE; mailed, or handed to the app."""
    return signing.dumps({"email": normalize_email(email)}, salt=SIGNUP_TOKEN_SALT)


def _signup_window_is_open(user: Any) -> bool:
    return SignupWindow.objects.filter(user=user, open_until__gt=timezone.now()).exists()


def signup_verification_send(*, email: str, ip: str) -> str | None:
    """Start the current sign-up flow (`register/send-verification-email`).

    When the signed-in platform user opened sign-up from the settings page, the token is returned
    at once and the app continues to the master password. Otherwise the token goes by mail to the
    platform address, and only if there is a platform account without a vault: the answer is the
    same either way, so the endpoint tells nobody which emails exist.
    """
    email = normalize_email(email)
    ratelimit.consume(scope="vault-signup-ip", key=ip, limit=settings.SIGNIN_RATE_PER_IP, window=3600)
    # A mail per address per 10 minutes at most, so the endpoint can't be used to flood an inbox.
    ratelimit.consume(scope="vault-signup-email", key=email, limit=1, window=600)
    if not email or "@" not in email:
        raise _bad("invalid_email", "이메일이 올바르지 않습니다.", "The email is not valid.", "email")
    user = user_get_by_email(email=email)
    if user is None or not user.is_active or VaultAccount.objects.filter(user=user).exists():
        return None
    token = signup_token_create(email=email)
    if _signup_window_is_open(user):
        return token
    send_mail(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("비밀번호 보관함 가입 확인"),
        message=_(
            "Bitwarden 앱에서 상생 비밀번호 보관함 가입을 요청했습니다.\n"
            "본인이 요청했다면 아래 가입 토큰을 사용하세요. 24시간 동안 유효합니다.\n\n{token}\n\n"
            "요청하지 않았다면 이 메일을 무시하세요."
        ).format(token=token),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )
    return None


def _signup_user(email: str, token: Any) -> Any:
    refused = _bad(
        "signup_not_allowed",
        "가입할 수 없습니다. 상생 설정의 '비밀번호'에서 가입을 열거나 메일의 토큰을 사용하세요.",
        "Sign-up is not open for this email. Open it in sangsaeng settings (Passwords) or use the mailed token.",
        "emailVerificationToken",
    )
    user = user_get_by_email(email=email)
    if user is None or not user.is_active:
        raise refused
    if isinstance(token, str) and token:
        try:
            claims = signing.loads(token, salt=SIGNUP_TOKEN_SALT, max_age=SIGNUP_TOKEN_MAX_AGE)
        except signing.BadSignature as exc:
            raise refused from exc
        if claims.get("email") != email:
            raise refused
        return user
    if not _signup_window_is_open(user):
        raise refused
    return user


def account_register(
    *,
    email: str,
    token: Any,
    login_hash: Any,
    kdf: Kdf,
    user_key: Any,
    public_key: Any,
    private_key: Any,
    name: str = "",
    hint: str = "",
) -> VaultAccount:
    """Create a vault for the platform account that owns `email` (see `signup_verification_send`)."""
    email = normalize_email(email)
    encstring.check(user_key, field="key", limit=encstring.KEY_MAX, required=True)
    encstring.check(private_key, field="keys.encryptedPrivateKey", limit=encstring.KEY_MAX, required=True)
    if not isinstance(public_key, str) or not 100 <= len(public_key) <= 2000 or not encstring.is_base64(public_key):
        raise _bad(
            "invalid_public_key", "공개 키가 올바르지 않습니다.", "The public key is not valid.", "keys.publicKey"
        )
    login_hash = _login_hash(login_hash)
    with transaction.atomic():
        user = _signup_user(email, token)
        if VaultAccount.objects.filter(user=user).exists() or VaultAccount.objects.filter(email=email).exists():
            raise _bad("vault_exists", "이미 보관함이 있습니다.", "This account already has a vault.", "email", 409)
        account = VaultAccount.objects.create(
            user=user,
            email=email,
            name=(name or "")[:100],
            password_hash=make_password(login_hash),
            password_hint=(hint or "")[:100],
            kdf_type=kdf.type,
            kdf_iterations=kdf.iterations,
            kdf_memory=kdf.memory,
            kdf_parallelism=kdf.parallelism,
            user_key=user_key,
            public_key=public_key,
            private_key=private_key,
            revision_date=timezone.now(),
        )
        SignupWindow.objects.filter(user=user).delete()
        audit_record(action="vault.created", actor=user, target=str(account.public_id))
    return account


# Login and tokens --------------------------------------------------------------------------------


def prelogin(*, email: str) -> Kdf:
    """The KDF settings a client needs to derive its master key; defaults for unknown emails."""
    account = VaultAccount.objects.filter(email=normalize_email(email)).first()
    if account is None:
        return Kdf(type=KdfType.PBKDF2_SHA256, iterations=DEFAULT_KDF_ITERATIONS)
    return Kdf(account.kdf_type, account.kdf_iterations, account.kdf_memory, account.kdf_parallelism)


def _throttle_check(email: str, ip: str) -> None:
    window = settings.SIGNIN_RATE_WINDOW
    ratelimit.check(scope=LOGIN_SCOPE_IP, key=ip, limit=settings.SIGNIN_RATE_PER_IP, window=window)
    ratelimit.check(scope=LOGIN_SCOPE_ACCOUNT, key=email, limit=settings.SIGNIN_RATE_PER_ACCOUNT, window=window)


def _throttle_hit(email: str, ip: str) -> None:
    window = settings.SIGNIN_RATE_WINDOW
    ratelimit.hit(scope=LOGIN_SCOPE_IP, key=ip, window=window)
    ratelimit.hit(scope=LOGIN_SCOPE_ACCOUNT, key=email, window=window)


@dataclass(frozen=True)
class Session:
    account: VaultAccount
    device: Device
    access_token: str
    expires_in: int
    refresh_token: str


def _session(account: VaultAccount, device: Device, refresh_token: str, issuer: str) -> Session:
    access, expires_in = tokens.access_token_create(
        issuer=issuer,
        account_public_id=str(account.public_id),
        email=account.email,
        name=account.name,
        device_public_id=str(device.public_id),
        device_type=device.type,
        security_stamp=str(account.security_stamp),
    )
    return Session(account, device, access, expires_in, refresh_token)


def login_password(
    *, email: str, login_hash: str, device_identifier: str, device_name: str, device_type: Any, ip: str, issuer: str
) -> Session:
    """The password grant: check the login hash, register the device, issue both tokens.

    Failures count against the email and the client's IP (RateLimited once either is spent).
    The message is the same for an unknown email and a wrong password.
    """
    email = normalize_email(email)
    _throttle_check(email, ip)
    account = VaultAccount.objects.filter(email=email).select_related("user").first()
    if account is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(make_password("sangsaeng-vault-timing"))
        check_password(login_hash or "", _DUMMY_HASH[0])
    if account is None or not account.user.is_active or not password_verify(account=account, login_hash=login_hash):
        _throttle_hit(email, ip)
        if account is not None:
            audit_record(action="vault.login_failed", actor=account.user, data={"ip": ip})
        raise LoginFailed(WRONG_PASSWORD)
    identifier = str(device_identifier or "").strip()[:64]
    if not identifier:
        raise LoginFailed("device_identifier cannot be blank")
    try:
        kind = int(device_type)
    except (TypeError, ValueError):
        kind = 14
    refresh, refresh_hash = tokens.refresh_token_new()
    now = timezone.now()
    device, _created = Device.objects.update_or_create(
        account=account,
        identifier=identifier,
        defaults={
            "name": str(device_name or "")[:100] or "unknown",
            "type": max(0, min(kind, 255)),
            "refresh_token_hash": refresh_hash,
            "security_stamp": account.security_stamp,
            "last_seen_at": now,
        },
    )
    ratelimit.reset(scope=LOGIN_SCOPE_ACCOUNT, key=email, window=settings.SIGNIN_RATE_WINDOW)
    audit_record(action="vault.login", actor=account.user, target=str(device.public_id), data={"ip": ip})
    return _session(account, device, refresh, issuer)


def login_refresh(*, refresh_token: str, ip: str, issuer: str) -> Session:
    """The refresh grant. A token whose device was revoked, was issued before the security stamp
    last changed, or went unused for REFRESH_IDLE, is refused."""
    ratelimit.check(scope=LOGIN_SCOPE_IP, key=ip, limit=settings.SIGNIN_RATE_PER_IP, window=settings.SIGNIN_RATE_WINDOW)
    device = (
        Device.objects.filter(refresh_token_hash=tokens.refresh_token_hash(refresh_token or ""))
        .select_related("account", "account__user")
        .first()
    )
    if (
        device is None
        or device.security_stamp != device.account.security_stamp
        or not device.account.user.is_active
        or device.last_seen_at < timezone.now() - REFRESH_IDLE
    ):
        ratelimit.hit(scope=LOGIN_SCOPE_IP, key=ip, window=settings.SIGNIN_RATE_WINDOW)
        raise LoginFailed("invalid_grant")
    device.last_seen_at = timezone.now()
    device.save(update_fields=["last_seen_at"])
    return _session(device.account, device, refresh_token, issuer)


def access_authenticate(*, token: str) -> tuple[VaultAccount, Device] | None:
    """The account and device behind a bearer access token, or None when it is no longer good."""
    claims = tokens.access_token_read(token)
    if claims is None:
        return None
    device = (
        Device.objects.select_related("account", "account__user")
        .filter(public_id=parse_uuid(claims.device_public_id), account__public_id=parse_uuid(claims.account_public_id))
        .first()
    )
    if device is None:
        return None
    account = device.account
    if str(account.security_stamp) != claims.security_stamp or not account.user.is_active:
        return None
    return account, device


# Devices -----------------------------------------------------------------------------------------


def access_device(*, actor: Any, device_id: Any) -> Device:
    """The actor's device; one 404 for "missing" and "someone else's"."""
    device = Device.objects.filter(public_id=parse_uuid(device_id), account__user=actor).first()
    if device is None:
        raise not_found("device")
    return device


def device_revoke(*, actor: Any, device_id: Any) -> None:
    """Sign a device out: its refresh token and access tokens stop working at once."""
    device = access_device(actor=actor, device_id=device_id)
    device.delete()
    audit_record(action="vault.device_revoked", actor=actor, target=str(device_id))


# Master password, KDF, security stamp, deletion --------------------------------------------------


def _rotate_stamp(account: VaultAccount, *, keep: Device | None) -> None:
    """New security stamp: every access token dies; every device but `keep` is signed out."""
    account.security_stamp = uuid.uuid4()
    account.revision_date = timezone.now()
    devices = Device.objects.filter(account=account)
    if keep is not None:
        devices = devices.exclude(pk=keep.pk)
        Device.objects.filter(pk=keep.pk).update(security_stamp=account.security_stamp)
    devices.delete()


def password_change(
    *, account: VaultAccount, device: Device | None, current_hash: Any, new_hash: Any, new_user_key: Any, hint: Any = ""
) -> None:
    """The client re-wrapped the user key with the new master key; store it with the new hash."""
    password_require(account=account, login_hash=current_hash)
    new_hash = _login_hash(new_hash, "newMasterPasswordHash")
    encstring.check(new_user_key, field="key", limit=encstring.KEY_MAX, required=True)
    with transaction.atomic():
        account.password_hash = make_password(new_hash)
        account.user_key = new_user_key
        account.password_hint = str(hint or "")[:100]
        _rotate_stamp(account, keep=device)
        account.save(update_fields=["password_hash", "user_key", "password_hint", "security_stamp", "revision_date"])
        audit_record(action="vault.password_changed", actor=account.user, target=str(account.public_id))


def kdf_change(
    *,
    account: VaultAccount,
    device: Device | None,
    current_hash: Any,
    kdf: Kdf,
    new_hash: Any,
    new_user_key: Any,
    salts: list[Any],
) -> None:
    """New KDF settings: the client derived a new master key and re-wrapped the user key with it."""
    password_require(account=account, login_hash=current_hash)
    if any(normalize_email(str(salt or "")) != account.email for salt in salts):
        raise _bad("invalid_salt", "솔트가 올바르지 않습니다.", "Invalid master password salt.", "salt")
    new_hash = _login_hash(new_hash, "authenticationData.masterPasswordAuthenticationHash")
    encstring.check(new_user_key, field="unlockData.masterKeyWrappedUserKey", limit=encstring.KEY_MAX, required=True)
    with transaction.atomic():
        account.password_hash = make_password(new_hash)
        account.user_key = new_user_key
        account.kdf_type, account.kdf_iterations = kdf.type, kdf.iterations
        account.kdf_memory, account.kdf_parallelism = kdf.memory, kdf.parallelism
        _rotate_stamp(account, keep=device)
        account.save(
            update_fields=[
                "password_hash",
                "user_key",
                "kdf_type",
                "kdf_iterations",
                "kdf_memory",
                "kdf_parallelism",
                "security_stamp",
                "revision_date",
            ]
        )
        audit_record(action="vault.kdf_changed", actor=account.user, target=str(account.public_id))


def security_stamp_rotate(*, account: VaultAccount, login_hash: Any, verified: bool = False) -> None:
    """Log out all devices: every refresh token and access token stops working.

    `verified` is for the settings page, where the platform session stands in for the master password.
    """
    if not verified:
        password_require(account=account, login_hash=login_hash)
    with transaction.atomic():
        _rotate_stamp(account, keep=None)
        account.save(update_fields=["security_stamp", "revision_date"])
        audit_record(action="vault.sessions_ended", actor=account.user, target=str(account.public_id))


def profile_update(*, account: VaultAccount, name: Any, hint: Any = None) -> VaultAccount:
    """The display name and password hint (both plain, as Bitwarden clients send them)."""
    account.name = str(name or "")[:100]
    fields = ["name"]
    if hint is not None:
        account.password_hint = str(hint)[:100]
        fields.append("password_hint")
    account.save(update_fields=fields)
    account_touch(account=account)
    return account


def account_delete(*, account: VaultAccount, login_hash: Any | None, verified: bool = False) -> None:
    """Erase the vault: items, folders, attachments, devices. The platform account stays.

    `verified` is for callers that authenticated the platform user by other means (the settings
    page, the platform's own account deletion); the Bitwarden API always needs the master password.
    """
    if not verified:
        password_require(account=account, login_hash=login_hash)
    with transaction.atomic():
        user, public_id = account.user, str(account.public_id)
        attachment_files_delete(account=account)
        account.delete()
        audit_record(action="vault.deleted", actor=user, target=public_id)
