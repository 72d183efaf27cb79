"""The Drawer: encrypted content-addressed blobs, the items that point at them, albums, shares,
resumable uploads in progress and per-device WebDAV app passwords."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel


class Blob(models.Model):
    """Bytes stored once per user, named by their SHA-256, encrypted in fixed-size segments.

    A blob without an owner is shared: stored once for everyone, such as a file sent in chat,
    which several users' items point at. It lives while an item uses it or another app holds it
    (`BlobHold`). `data_key` is the blob's own AES-256 key wrapped with the platform's envelope
    encryption, so sharing a blob shares no user's key.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    storage_key = models.CharField(max_length=300)
    data_key = models.TextField()
    segment_size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "sha256"], name="drawer_blob_owner_sha_unique"),
            models.UniqueConstraint(
                fields=["sha256"], condition=Q(owner__isnull=True), name="drawer_blob_shared_sha_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.sha256


class BlobHold(models.Model):
    """Another app keeps a shared blob alive (a chat message whose file it is), whether or not
    any user still has an item for it. `holder` names the holder, e.g. "messaging.media:<uuid>"."""

    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="holds")
    holder = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blob", "holder"], name="drawer_blobhold_unique")]

    def __str__(self) -> str:
        return self.holder


class Folder(BaseModel):
    """A folder that exists on its own (WebDAV MKCOL); items name their folder by path."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drawer_folders")
    path = models.CharField(max_length=1000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "path"], name="drawer_folder_owner_path_unique")]

    def __str__(self) -> str:
        return self.path


class Item(BaseModel):
    """One photo, video or file in a user's Drawer."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("사진")
        VIDEO = "video", _("동영상")
        FILE = "file", _("파일")

    class Status(models.TextChoices):
        PENDING = "pending", _("처리 중")
        READY = "ready", _("완료")
        FAILED = "failed", _("실패")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drawer_items")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="items")
    folder = models.CharField(max_length=1000, blank=True, default="")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FILE)
    size = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    failure_reason = models.CharField(max_length=300, blank=True)
    # When the photo was taken (EXIF) or else when it arrived; the timeline sorts on it.
    taken_at = models.DateTimeField(null=True, blank=True)
    sort_at = models.DateTimeField()
    camera = models.CharField(max_length=120, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    place = models.CharField(max_length=120, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True)
    thumbnail = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    preview = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    poster = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    transcode = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    favourite = models.BooleanField(default=False)
    trashed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "trashed_at", "-sort_at", "-id"], name="drawer_item_timeline_idx"),
            models.Index(fields=["owner", "folder", "name"], name="drawer_item_path_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "folder", "name"],
                condition=Q(trashed_at__isnull=True),
                name="drawer_item_live_path_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Album(BaseModel):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drawer_albums")
    title = models.CharField(max_length=100)
    items = models.ManyToManyField(Item, related_name="albums", blank=True)

    def __str__(self) -> str:
        return self.title


class ShareLink(BaseModel):
    """A public link to one item or one album; optionally expiring and password-protected."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drawer_shares")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE, related_name="shares")
    album = models.ForeignKey(Album, null=True, blank=True, on_delete=models.CASCADE, related_name="shares")
    token = models.CharField(max_length=64, unique=True)
    password_hash = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.token[:8]


class Upload(BaseModel):
    """A tus upload in progress. The bytes so far live in a file; its size is the offset."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drawer_uploads")
    length = models.BigIntegerField()
    filename = models.CharField(max_length=255)
    folder = models.CharField(max_length=1000, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True)
    metadata = models.JSONField(default=dict)
    expires_at = models.DateTimeField(db_index=True)
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.filename} ({self.length})"


class AppPassword(BaseModel):
    """A per-device password for WebDAV Basic auth, stored as a SHA-256 of a 256-bit secret."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drawer_app_passwords")
    label = models.CharField(max_length=60)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.label


class Quota(models.Model):
    """A user's own storage limit; without a row, DRAWER_QUOTA_BYTES applies."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drawer_quota")
    limit_bytes = models.BigIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.limit_bytes}"


class DavEntry(models.Model):
    """WebDAV locks and dead properties, shared by every web worker process (see dav_state.py)."""

    namespace = models.CharField(max_length=10)
    key = models.TextField()
    value = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["namespace", "key"], name="drawer_davstate_key_unique")]

    def __str__(self) -> str:
        return f"{self.namespace}:{self.key}"
