"""sangsaeng settings: one module, small env helpers, embedded defaults.

Every external service is a URL in the environment. With none set, the platform runs on SQLite,
local files, a database task queue and in-memory channels. `SANGSAENG_PROFILE=production` refuses
to start without its secrets. Every variable is documented in `.env.example`.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PROFILE = env("SANGSAENG_PROFILE", "test" if "pytest" in sys.modules else "development")
if PROFILE not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"SANGSAENG_PROFILE must be development, production or test, not {PROFILE!r}")
PRODUCTION = PROFILE == "production"
TESTING = PROFILE == "test"

VAR_DIR = Path(env("SANGSAENG_VAR_DIR", str(BASE_DIR / "var")))


def envsecret(name: str, *, min_length: int, dev_file: str) -> str:
    """A secret from the environment; in development, one made once and kept in var/.

    Production refuses to start without it, so a forgotten variable never falls back to a
    value an attacker could know.
    """
    value = os.environ.get(name, "")
    if value:
        if len(value) < min_length:
            raise ImproperlyConfigured(f"{name} must be at least {min_length} characters")
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} is required when SANGSAENG_PROFILE=production")
    if TESTING:
        return "test-" + name.lower() + "-" + "x" * min_length
    path = VAR_DIR / dev_file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = envsecret("SECRET_KEY", min_length=50, dev_file="secret_key")
# Keys for envelope encryption of secrets at rest: "kid:base64key,kid2:base64key2"; the first
# one encrypts, all of them decrypt, so keys can be rotated without re-encrypting at once.
ENCRYPTION_KEYS = envsecret("SANGSAENG_ENCRYPTION_KEYS", min_length=40, dev_file="encryption_keys")
DEBUG = envbool("DEBUG", PROFILE == "development")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when SANGSAENG_PROFILE=production")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
PUBLIC_URL = env("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "channels",
    "ninja",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "sangsaeng.core",
    "sangsaeng.accounts",
    "oauth2_provider",
    "sangsaeng.sync",
    "sangsaeng.vault",
    "sangsaeng.drawer",
    "sangsaeng.identity",
    "sangsaeng.business_cards",
    "sangsaeng.chain",
    "sangsaeng.partners",
    "sangsaeng.messaging",
    "sangsaeng.payments",
    "sangsaeng.search",
    "sangsaeng.authenticity",
    "sangsaeng.drops",
    "sangsaeng.assistant",
    "sangsaeng.commerce",
    "sangsaeng.lm",
    "sangsaeng.contributions",
    "sangsaeng.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sangsaeng.core.middleware.ApiBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "sangsaeng.core.idempotency.IdempotencyMiddleware",
    "sangsaeng.core.middleware.ErrorMiddleware",
]

ROOT_URLCONF = env("SANGSAENG_URLCONF", "sangsaeng.urls")
WSGI_APPLICATION = "sangsaeng.wsgi.application"
ASGI_APPLICATION = "sangsaeng.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sangsaeng" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sangsaeng.core.navigation.navigation",
            ],
        },
    },
]

# Database: SQLite in WAL mode by default; PostgreSQL (or any dj-database-url URL) at scale.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sangsaeng.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=0 if TESTING else 60, conn_health_checks=True)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    # The browser tests serve pages and WebSockets from threads of the test process. On the default
    # in-memory test database those threads would share one connection (Django's live server does
    # that for in-memory SQLite), and overlapping requests break each other's transactions; on a
    # file each thread has its own connection and SQLite's locking orders them.
    if TESTING and env("TEST_SQLITE_FILE", ""):
        _db["TEST"] = {"NAME": env("TEST_SQLITE_FILE", "")}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", "")

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "ratelimit": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}}
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": ["default"],
        }
    }
else:
    # The rate-limit cache must be shared by every web worker process, so the embedded default
    # keeps it in files under var/ rather than in one process's memory.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": (
            {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
            if TESTING
            else {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(VAR_DIR / "cache" / "ratelimit"),
            }
        ),
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "sangsaeng.core.channel_layers.BridgedInMemoryChannelLayer"}}
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

if TESTING and not envbool("SANGSAENG_TEST_REAL_TASKS", False):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 at its default cost is ~50 ms a hash; tests hash hundreds of passwords.
    PASSWORD_HASHERS = ["sangsaeng.accounts.hashers.FastArgon2PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
SITE_ID = 1

# django-allauth: email sign-in with mandatory verification, TOTP, passkeys and recovery codes.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "sangsaeng.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[상생] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Our own limiter (sangsaeng.core.ratelimit) answers failed sign-ins with 429 + Retry-After.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
MFA_TOTP_ISSUER = "상생 sangsaeng"
USERSESSIONS_TRACK_ACTIVITY = True

SIGNIN_RATE_PER_ACCOUNT = envint("SIGNIN_RATE_PER_ACCOUNT", 5)
SIGNIN_RATE_PER_IP = envint("SIGNIN_RATE_PER_IP", 20)
SIGNIN_RATE_WINDOW = envint("SIGNIN_RATE_WINDOW", 300)


def _email_settings(url: str) -> dict[str, object]:
    """EMAIL_URL such as smtp+tls://user:pass@host:587/?from=no-reply@example.com."""
    if not url:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(VAR_DIR / "outbox"),
        }
    parsed = urlparse(url)
    if parsed.scheme not in {"smtp", "smtp+tls", "smtp+ssl"}:
        raise ImproperlyConfigured("EMAIL_URL must start with smtp://, smtp+tls:// or smtp+ssl://")
    query = parse_qs(parsed.query)
    result: dict[str, object] = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtp+ssl" else 587 if "tls" in parsed.scheme else 25),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": parsed.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parsed.scheme == "smtp+ssl",
    }
    if "from" in query:
        result["DEFAULT_FROM_EMAIL"] = query["from"][0]
    return result


DEFAULT_FROM_EMAIL = "상생 <no-reply@sangsaeng.localhost>"
_email = _email_settings(env("EMAIL_URL"))
EMAIL_BACKEND = str(_email.pop("EMAIL_BACKEND"))
globals().update(_email)

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("한국어")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "sangsaeng" / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))  # a container image collects into its own
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "files"}},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Bodies bigger than this are refused with 413 before a view reads them.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("API_MAX_BODY_BYTES", 1_048_576)
API_MAX_BODY_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE

# Security headers. A strict CSP: no inline script or style anywhere in the UI.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'", "ws:", "wss:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Serving (see `sangsaeng serve`).
HTTP_PORT = envint("HTTP_PORT", 8000)
HTTPS_PORT = envint("HTTPS_PORT", 8443)
WS_PORT = envint("WS_PORT", 8001)
BIND_HOST = env("BIND_HOST", "127.0.0.1")
WEB_WORKERS = envint("WEB_WORKERS", os.cpu_count() or 1)
TLS_DIR = VAR_DIR / "tls"
# Where browsers open WebSockets; empty means the same host on WS_PORT.
WEBSOCKET_URL = env("WEBSOCKET_URL", "")

# An outbox event no task has started this long after its commit lost its enqueue (a crash between
# the commit and `on_commit`, or a worker killed mid-task): the worker's periodic sweep runs it.
OUTBOX_LOST_AFTER_SECONDS = envint("OUTBOX_LOST_AFTER_SECONDS", 30)
WEBHOOK_TIMEOUT_SECONDS = envint("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_MAX_ATTEMPTS = envint("WEBHOOK_MAX_ATTEMPTS", 8)
# Webhooks to loopback/private networks are refused in production (SSRF); tests and local demos
# deliver to 127.0.0.1.
WEBHOOK_ALLOW_PRIVATE = envbool("WEBHOOK_ALLOW_PRIVATE", not PRODUCTION)

# Sync: the OpenID Connect provider on django-oauth-toolkit (FACTS.md "Sync" for the defaults changed).
SYNC_CODE_LIFETIME = envint("SYNC_CODE_LIFETIME", 60)
SYNC_ACCESS_TOKEN_LIFETIME = envint("SYNC_ACCESS_TOKEN_LIFETIME", 3600)
SYNC_REFRESH_TOKEN_LIFETIME = envint("SYNC_REFRESH_TOKEN_LIFETIME", 60 * 60 * 24 * 30)
SYNC_TOKEN_RATE_LIMIT = envint("SYNC_TOKEN_RATE_LIMIT", 300)
SYNC_TOKEN_RATE_WINDOW = envint("SYNC_TOKEN_RATE_WINDOW", 60)
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
# Client secrets are 128 random characters: a salted SHA-256 suffices (see sync/hashers.py), where
# Argon2 would cost ~50 ms on every token request. Last in the list: it never hashes a password.
PASSWORD_HASHERS = [*PASSWORD_HASHERS, "sangsaeng.sync.hashers.ClientSecretHasher"]
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": env("SYNC_ISSUER", ""),
    "OAUTH2_VALIDATOR_CLASS": "sangsaeng.sync.oidc.validator.SyncValidator",
    "OIDC_SERVER_CLASS": "sangsaeng.sync.oidc.server.SyncServer",
    "SCOPES_BACKEND_CLASS": "sangsaeng.sync.oidc.scopes.PartnerScopes",
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "프로필",
        "email": "이메일",
        "phone": "전화번호",
        "shipping_address": "배송지",
    },
    "DEFAULT_SCOPES": ["openid"],
    "CLIENT_SECRET_HASHER": "sync_client_secret_sha256",
    "PKCE_REQUIRED": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": SYNC_CODE_LIFETIME,
    "ACCESS_TOKEN_EXPIRE_SECONDS": SYNC_ACCESS_TOKEN_LIFETIME,
    "ID_TOKEN_EXPIRE_SECONDS": SYNC_ACCESS_TOKEN_LIFETIME,
    "REFRESH_TOKEN_EXPIRE_SECONDS": SYNC_REFRESH_TOKEN_LIFETIME,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "REQUEST_APPROVAL_PROMPT": "force",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if PRODUCTION else ["https", "http"],
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_SUBJECT_TYPES_SUPPORTED": ["pairwise"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
}
# Identity: verified ID and SD-JWT VC credentials (see sangsaeng/identity/).
IDENTITY_ISSUER = env("IDENTITY_ISSUER", PUBLIC_URL).rstrip("/")
IDENTITY_CREDENTIAL_DAYS = envint("IDENTITY_CREDENTIAL_DAYS", 365)
IDENTITY_DOCUMENT_MAX_BYTES = envint("IDENTITY_DOCUMENT_MAX_BYTES", 5 * 1_048_576)
IDENTITY_DOCUMENT_RETENTION_DAYS = envint("IDENTITY_DOCUMENT_RETENTION_DAYS", 30)
IDENTITY_PHONE_CODE_TTL = envint("IDENTITY_PHONE_CODE_TTL", 300)
IDENTITY_STATUS_LIST_SIZE = envint("IDENTITY_STATUS_LIST_SIZE", 131_072)
IDENTITY_STATUS_LIST_TTL = envint("IDENTITY_STATUS_LIST_TTL", 300)
IDENTITY_SMS_BACKEND = env("IDENTITY_SMS_BACKEND", "sangsaeng.identity.sms.FileSmsSender")
IDENTITY_SMS_DIR = env("IDENTITY_SMS_DIR", str(VAR_DIR / "outbox" / "sms"))
IDENTITY_PROVIDERS = envlist("IDENTITY_PROVIDERS", [])
# Business cards: a company badge needs a code sent to an address at the company's own domain.
CARDS_FREE_MAIL_DOMAINS = envlist(
    "CARDS_FREE_MAIL_DOMAINS",
    [
        "gmail.com",
        "naver.com",
        "daum.net",
        "hanmail.net",
        "kakao.com",
        "nate.com",
        "outlook.com",
        "hotmail.com",
        "yahoo.com",
        "icloud.com",
        "proton.me",
    ],
)
CARDS_PHOTO_MAX_BYTES = envint("CARDS_PHOTO_MAX_BYTES", 1_048_576)

# Partner channels: largest logo, cover or post image upload; broadcasts one periodic run delivers.
PARTNERS_IMAGE_MAX_BYTES = envint("PARTNERS_IMAGE_MAX_BYTES", 2_097_152)
PARTNERS_BROADCASTS_PER_RUN = envint("PARTNERS_BROADCASTS_PER_RUN", 50)

# Chat (see sangsaeng/messaging).
MESSAGING_TEXT_MAX = envint("MESSAGING_TEXT_MAX", 4000)
MESSAGING_DELETE_WINDOW_SECONDS = envint("MESSAGING_DELETE_WINDOW_SECONDS", 3600)
MESSAGING_EDIT_WINDOW_SECONDS = envint("MESSAGING_EDIT_WINDOW_SECONDS", 86400)
MESSAGING_POSTS_PER_MINUTE = envint("MESSAGING_POSTS_PER_MINUTE", 120)
MESSAGING_WS_FRAMES_PER_SECOND = envint("MESSAGING_WS_FRAMES_PER_SECOND", 20)
MESSAGING_ATTACHMENT_MAX_BYTES = envint("MESSAGING_ATTACHMENT_MAX_BYTES", 100 * 1024 * 1024)
MESSAGING_BACKUP_SCRYPT_N = envint("MESSAGING_BACKUP_SCRYPT_N", 2**15)
# Chain (see sangsaeng/chain): any EVM JSON-RPC node, or the embedded node when CHAIN_RPC_URL is unset.
CHAIN_RPC_URL = env("CHAIN_RPC_URL", "")
CHAIN_NODE_HOST = env("CHAIN_NODE_HOST", "127.0.0.1")
CHAIN_NODE_PORT = envint("CHAIN_NODE_PORT", 8545)
CHAIN_NODE_DIR = Path(env("CHAIN_NODE_DIR", str(VAR_DIR / "chain")))
CHAIN_EMBEDDED_CHAIN_ID = envint("CHAIN_EMBEDDED_CHAIN_ID", 21331)
CHAIN_RELAYER_KEY = env("CHAIN_RELAYER_KEY", "")
CHAIN_CONFIRMATIONS = envint("CHAIN_CONFIRMATIONS", 1)
CHAIN_TX_MAX_ATTEMPTS = envint("CHAIN_TX_MAX_ATTEMPTS", 10)
CHAIN_WORKER_LEASE_SECONDS = envint("CHAIN_WORKER_LEASE_SECONDS", 30)
CHAIN_EXPLORER_URL = env("CHAIN_EXPLORER_URL", "")
# LM commons (see sangsaeng/contributions): shares minted per accepted token, in base units (18 decimals).
CONTRIBUTIONS_SHARES_PER_TOKEN = envint("CONTRIBUTIONS_SHARES_PER_TOKEN", 10**18)
CONTRIBUTIONS_MAX_UPLOAD_BYTES = envint("CONTRIBUTIONS_MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
CONTRIBUTIONS_UPLOADS_PER_HOUR = envint("CONTRIBUTIONS_UPLOADS_PER_HOUR", 30)
# Share of a month's LM API revenue paid out to ContributionShares holders, in basis points (3000 = 30%).
COMMONS_REVENUE_SHARE_BPS = envint("COMMONS_REVENUE_SHARE_BPS", 3000)
if not 0 <= COMMONS_REVENUE_SHARE_BPS <= 10_000:
    raise ImproperlyConfigured("COMMONS_REVENUE_SHARE_BPS is a share in basis points, 0 to 10000")
# A contribution still pending this long after upload lost its task (a worker killed mid-run):
# the worker's periodic sweep runs the pipeline on it.
CONTRIBUTIONS_RETRY_AFTER_SECONDS = envint("CONTRIBUTIONS_RETRY_AFTER_SECONDS", 300)
# An Idempotency-Key whose first request never finished (its process was killed mid-request) blocks
# retries with 409 idempotency_in_progress for this long, then a retry takes the key over.
IDEMPOTENCY_STALE_SECONDS = envint("IDEMPOTENCY_STALE_SECONDS", 120)
# Korean LM (see sangsaeng/lm): the bundled model, a local checkpoint (LM_MODEL_DIR), or an
# OpenAI-compatible upstream such as vLLM (LM_BASE_URL, then no LM process is started).
LM_MODEL_DIR = env("LM_MODEL_DIR", "")
LM_MODEL_NAME = env("LM_MODEL_NAME", "")
LM_DTYPE = env("LM_DTYPE", "auto")
LM_BASE_URL = env("LM_BASE_URL", "")
LM_API_KEY = env("LM_API_KEY", "")
LM_SERVER_HOST = env("LM_SERVER_HOST", "127.0.0.1")
LM_SERVER_PORT = envint("LM_SERVER_PORT", 8790)
LM_SERVER_ENABLED = envbool("LM_SERVER_ENABLED", True)
LM_MAX_BATCH = envint("LM_MAX_BATCH", 8)
LM_MAX_TOKENS = envint("LM_MAX_TOKENS", 512)
LM_DEFAULT_MAX_TOKENS = envint("LM_DEFAULT_MAX_TOKENS", 128)
LM_MAX_PROMPT_CHARS = envint("LM_MAX_PROMPT_CHARS", 32_000)
LM_REQUEST_TIMEOUT = envint("LM_REQUEST_TIMEOUT", 120)
LM_DEFAULT_RPM = envint("LM_DEFAULT_RPM", 60)
LM_DEFAULT_CONCURRENCY = envint("LM_DEFAULT_CONCURRENCY", 4)
LM_DEFAULT_MONTHLY_TOKENS = envint("LM_DEFAULT_MONTHLY_TOKENS", 1_000_000)
# The API's list price, at which LM revenue is booked (see contributions' revenue distribution).
LM_PRICE_WON_PER_1K_TOKENS = envint("LM_PRICE_WON_PER_1K_TOKENS", 20)

# Authenticity (see sangsaeng/authenticity): product passports, QR and NTAG 424 DNA tags.
AUTHENTICITY_RECOVERY_DAYS = envint("AUTHENTICITY_RECOVERY_DAYS", 7)  # the contract allows at most 7
AUTHENTICITY_QR_DEVICE_THRESHOLD = envint("AUTHENTICITY_QR_DEVICE_THRESHOLD", 20)
AUTHENTICITY_QR_WINDOW_DAYS = envint("AUTHENTICITY_QR_WINDOW_DAYS", 30)
AUTHENTICITY_SUN_CLAIM_SECONDS = envint("AUTHENTICITY_SUN_CLAIM_SECONDS", 600)
AUTHENTICITY_BATCH_MAX_ROWS = envint("AUTHENTICITY_BATCH_MAX_ROWS", 5000)
# Drops: admissions per second per drop before the waiting room engages (0 turns it off)
DROPS_ADMIT_PER_SECOND = envint("DROPS_ADMIT_PER_SECOND", 100)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# Drawer (media): blobs under DRAWER_FILES_DIR, or in an S3-compatible bucket with STORAGE_URL
# (s3://KEY:SECRET@HOST:PORT/BUCKET?region=R&secure=0).
STORAGE_URL = env("STORAGE_URL", "")
DRAWER_FILES_DIR = Path(env("DRAWER_FILES_DIR", str(VAR_DIR / "files")))
DRAWER_SEGMENT_SIZE = envint("DRAWER_SEGMENT_SIZE", 1 << 20)
DRAWER_QUOTA_BYTES = envint("DRAWER_QUOTA_BYTES", 10 * 1024**3)
DRAWER_MAX_UPLOAD_BYTES = envint("DRAWER_MAX_UPLOAD_BYTES", 4 * 1024**3)
DRAWER_UPLOAD_EXPIRY_HOURS = envint("DRAWER_UPLOAD_EXPIRY_HOURS", 24)
DRAWER_TRASH_DAYS = envint("DRAWER_TRASH_DAYS", 30)
DRAWER_MAX_IMAGE_PIXELS = envint("DRAWER_MAX_IMAGE_PIXELS", 80_000_000)

# Pay: KRW wallet on a double-entry ledger. The test method ("테스트 결제") is play money for the
# demo: on by default in development and tests, off in production unless switched on explicitly.
PAYMENTS_TEST_MODE = envbool("PAYMENTS_TEST_MODE", not PRODUCTION)
PAYMENTS_PG_FEE_BPS = envint("PAYMENTS_PG_FEE_BPS", 250)
PAYMENTS_VA_PREFIX = env("PAYMENTS_VA_PREFIX", "790")
PAYMENTS_VA_BANK = env("PAYMENTS_VA_BANK", "상생은행")
TOSS_SECRET_KEY = env("TOSS_SECRET_KEY", "")
TOSS_CLIENT_KEY = env("TOSS_CLIENT_KEY", "")
TOSS_API_BASE = env("TOSS_API_BASE", "https://api.tosspayments.com")

# Stores (see sangsaeng/commerce): how long checkout holds stock for an unpaid (card) order.
COMMERCE_RESERVATION_MINUTES = envint("COMMERCE_RESERVATION_MINUTES", 15)

SILENCED_SYSTEM_CHECKS: list[str] = []
CSRF_FAILURE_VIEW = "sangsaeng.core.views.csrf_failure"

# Partner data: daily Parquet files for DuckDB (compacted from the event log by the worker).
INSIGHTS_PARQUET_DIR = Path(os.environ.get("INSIGHTS_PARQUET_DIR", str(BASE_DIR / "var" / "insights" / "parquet")))
INSIGHTS_COMPACT_EVERY = int(os.environ.get("INSIGHTS_COMPACT_EVERY", "300"))
# At scale: the same layout in an S3-compatible bucket (s3://KEY:SECRET@HOST:PORT/BUCKET/PREFIX?secure=0).
INSIGHTS_PARQUET_URL = os.environ.get("INSIGHTS_PARQUET_URL", "")

# AI assistant (see sangsaeng/assistant): the OpenAI-compatible endpoint that words answers
# (this site's /v1 with an lm API key, or vLLM). Empty: answers come from templates.
ASSISTANT_LM_URL = env("ASSISTANT_LM_URL", "")
ASSISTANT_LM_KEY = env("ASSISTANT_LM_KEY", "")
ASSISTANT_LM_MODEL = env("ASSISTANT_LM_MODEL", "sangsaeng-ko-mini")
ASSISTANT_LM_TIMEOUT = envint("ASSISTANT_LM_TIMEOUT", 30)
# Function-calling mode: the model at ASSISTANT_LM_URL plans tool calls itself (tools=[...]). Off by
# default because the bundled small model cannot call tools; then the Korean intent parser plans them.
ASSISTANT_TOOL_CALLING = envbool("ASSISTANT_TOOL_CALLING", False)
ASSISTANT_MAX_CHARS = envint("ASSISTANT_MAX_CHARS", 2000)
ASSISTANT_ASKS_PER_MINUTE = envint("ASSISTANT_ASKS_PER_MINUTE", 30)
ASSISTANT_ACTION_TTL_HOURS = envint("ASSISTANT_ACTION_TTL_HOURS", 24)
ASSISTANT_BOT_EMAIL = env("ASSISTANT_BOT_EMAIL", "assistant@sangsaeng.invalid")
