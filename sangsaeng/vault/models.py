"""The zero-knowledge vault: only what Bitwarden clients send encrypted, plus the server's own hash.

Nothing here can be decrypted by the server. Cipher and folder fields hold EncStrings
(`2.<iv>|<ct>|<mac>`) made on the client with a user key that the server only ever sees wrapped
by the user's master key. The login hash the client sends is hashed again (Argon2) before it is
stored, so a database leak does not even give an offline oracle for the client-side KDF.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from sangsaeng.core.models import BaseModel


class KdfType(models.IntegerChoices):
    PBKDF2_SHA256 = 0
    ARGON2ID = 1


class VaultAccount(BaseModel):
    """A platform user's vault, with its own master password (never known to the server)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vault_account")
    # The login email, lower-cased and trimmed: it is also the client's KDF salt, so it never changes
    # without the client re-deriving every key.
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=100, blank=True)
    # Argon2 (Django's hasher) of the client's base64 login hash.
    password_hash = models.CharField(max_length=256)
    password_hint = models.CharField(max_length=100, blank=True)
    kdf_type = models.PositiveSmallIntegerField(choices=KdfType.choices, default=KdfType.PBKDF2_SHA256)
    kdf_iterations = models.PositiveIntegerField()
    kdf_memory = models.PositiveIntegerField(null=True, blank=True)
    kdf_parallelism = models.PositiveSmallIntegerField(null=True, blank=True)
    # The user key wrapped by the stretched master key (an EncString), and the RSA key pair whose
    # private half is wrapped by the user key.
    user_key = models.TextField()
    public_key = models.TextField(blank=True)
    private_key = models.TextField(blank=True)
    # Changes on password change and on "log out everywhere"; tokens carry it and die with it.
    security_stamp = models.UUIDField(default=uuid.uuid4)
    # Clients poll this (ms since the epoch) to decide whether to sync.
    revision_date = models.DateTimeField()

    def __str__(self) -> str:
        return self.email


class Device(models.Model):
    """A signed-in client (CLI, browser extension, phone); it holds one refresh token."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(VaultAccount, on_delete=models.CASCADE, related_name="devices")
    identifier = models.CharField(max_length=64)
    name = models.CharField(max_length=100)
    type = models.PositiveSmallIntegerField(default=14)
    # SHA-256 of the refresh token; the token itself is only ever in the client's hands.
    refresh_token_hash = models.CharField(max_length=64, unique=True)
    security_stamp = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "identifier"], name="vault_device_unique_identifier")]

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})"


class Folder(BaseModel):
    account = models.ForeignKey(VaultAccount, on_delete=models.CASCADE, related_name="folders")
    name = models.TextField()  # EncString

    def __str__(self) -> str:
        return str(self.public_id)


class CipherType(models.IntegerChoices):
    LOGIN = 1
    SECURE_NOTE = 2
    CARD = 3
    IDENTITY = 4
    SSH_KEY = 5


class Cipher(BaseModel):
    """One vault item. `data` is the type's object (login, card, ...) exactly as the client encrypted it."""

    account = models.ForeignKey(VaultAccount, on_delete=models.CASCADE, related_name="ciphers")
    folder = models.ForeignKey(Folder, on_delete=models.SET_NULL, null=True, blank=True, related_name="ciphers")
    type = models.PositiveSmallIntegerField(choices=CipherType.choices)
    name = models.TextField()
    notes = models.TextField(null=True, blank=True)
    key = models.TextField(null=True, blank=True)
    data = models.JSONField(default=dict)
    fields = models.JSONField(default=list)
    password_history = models.JSONField(default=list)
    favorite = models.BooleanField(default=False)
    reprompt = models.PositiveSmallIntegerField(default=0)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "deleted_at"], name="vault_cipher_account_idx")]

    def __str__(self) -> str:
        return str(self.public_id)


class Attachment(BaseModel):
    """An encrypted file on a cipher, in the platform's storage; name and key are EncStrings."""

    cipher = models.ForeignKey(Cipher, on_delete=models.CASCADE, related_name="attachments")
    file_name = models.TextField()
    key = models.TextField()
    size = models.PositiveBigIntegerField()
    storage_name = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return str(self.public_id)


class SignupWindow(models.Model):
    """A platform user, signed in, opened vault sign-up for their email until `open_until`.

    Bitwarden's sign-up endpoints are unauthenticated. Without this (or a token mailed to the
    address) anyone could create a vault on someone else's platform account.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    open_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} until {self.open_until}"
