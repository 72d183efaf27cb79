"""The Bitwarden server API under /vault/ (clients' server URL: https://HOST/vault), and the
settings page. Paths follow Bitwarden's routes so each maps to its upstream handler."""

from django.urls import path

from sangsaeng.vault import views
from sangsaeng.vault.bitwarden import accounts, ciphers, config, folders, identity, sync

app_name = "vault"

urlpatterns = [
    # pages
    path("settings/", views.settings_page, name="settings"),
    path("settings/signup", views.signup_open, name="signup_open"),
    path("settings/devices/<str:device_id>/revoke", views.device_revoke, name="device_revoke"),
    path("settings/devices/sign-out", views.devices_sign_out, name="devices_sign_out"),
    path("settings/delete", views.vault_delete, name="delete"),
    # identity
    path("identity/accounts/prelogin", identity.prelogin),
    path("identity/accounts/prelogin/password", identity.prelogin),
    path("identity/accounts/register", identity.register),
    path("identity/accounts/register/send-verification-email", identity.send_verification_email),
    path("identity/accounts/register/finish", identity.register),
    path("identity/connect/token", identity.token),
    # api
    path("api/config", config.config),
    path("api/sync", sync.sync),
    path("api/accounts/prelogin", identity.prelogin),
    path("api/accounts/profile", accounts.profile),
    path("api/accounts/revision-date", accounts.revision_date),
    path("api/accounts/password", accounts.password),
    path("api/accounts/kdf", accounts.kdf),
    path("api/accounts/security-stamp", accounts.security_stamp),
    path("api/accounts/verify-password", accounts.verify_password),
    path("api/accounts/delete", accounts.account_delete),
    path("api/accounts", accounts.account),
    path("api/devices/knowndevice", accounts.known_device),
    path("api/folders", folders.folders),
    path("api/folders/<str:folder_id>", folders.folder),
    path("api/folders/<str:folder_id>/delete", folders.folder_delete),
    path("api/ciphers", ciphers.ciphers),
    path("api/ciphers/create", ciphers.ciphers_create),
    path("api/ciphers/delete", ciphers.ciphers_delete),
    path("api/ciphers/restore", ciphers.ciphers_restore),
    path("api/ciphers/move", ciphers.ciphers_move),
    path("api/ciphers/<str:cipher_id>", ciphers.cipher),
    path("api/ciphers/<str:cipher_id>/details", ciphers.cipher_details),
    path("api/ciphers/<str:cipher_id>/partial", ciphers.cipher_partial),
    path("api/ciphers/<str:cipher_id>/delete", ciphers.cipher_delete),
    path("api/ciphers/<str:cipher_id>/restore", ciphers.cipher_restore),
    path("api/ciphers/<str:cipher_id>/attachment/v2", ciphers.attachment_v2),
    path("api/ciphers/<str:cipher_id>/attachment/<str:attachment_id>", ciphers.attachment),
    path("api/ciphers/<str:cipher_id>/attachment/<str:attachment_id>/delete", ciphers.attachment_delete),
    path("attachments/<str:cipher_id>/<str:attachment_id>", ciphers.attachment_download),
]
