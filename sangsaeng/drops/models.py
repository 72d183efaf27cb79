"""Drops data: curated creators, artworks, drops (editions and auctions), editions, bids, listings, activity.

The rush-critical guarantees live in the schema, not only in code: a drop's `sold` counter can
never pass its edition size (a CHECK), an edition number is unique per drop, and a buyer's n-th
edition of a drop takes the unique slot (drop, buyer, n), so a per-person limit of L holds even when
two requests of one person race (the second gets an IntegrityError, never a second slot).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel


class CreatorProfile(BaseModel):
    """A creator's application and, once an operator approves it, their public profile."""

    class Status(models.TextChoices):
        PENDING = "pending", _("심사 중")
        APPROVED = "approved", _("승인")
        DECLINED = "declined", _("반려")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drops_creator")
    display_name = models.CharField(max_length=60)
    bio = models.TextField(max_length=2000, blank=True)
    portfolio_url = models.URLField(max_length=300)
    statement = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.display_name} ({self.status})"


class Artwork(BaseModel):
    """An uploaded work: the original is for its owners, the preview for everyone."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("이미지")
        VIDEO = "video", _("영상")
        AUDIO = "audio", _("오디오")

    creator = models.ForeignKey(CreatorProfile, on_delete=models.PROTECT, related_name="artworks")
    title = models.CharField(max_length=100)
    description = models.TextField(max_length=4000, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    original = models.FileField(upload_to="drops/originals/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    preview = models.FileField(upload_to="drops/previews/%Y/%m/", blank=True)
    preview_type = models.CharField(max_length=100, blank=True)
    # how the preview was made: "image" (downscaled), "poster" (video frame), "clip" (audio opening), "generic"
    preview_kind = models.CharField(max_length=16, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.title


class Drop(BaseModel):
    """One artist's sale of one artwork, opening at a set time."""

    class Format(models.TextChoices):
        FIXED = "fixed", _("선착순 에디션")
        ENGLISH = "english", _("경매")
        DUTCH = "dutch", _("더치 경매")

    artwork = models.ForeignKey(Artwork, on_delete=models.PROTECT, related_name="drops")
    creator = models.ForeignKey(CreatorProfile, on_delete=models.PROTECT, related_name="drops")
    title = models.CharField(max_length=100)
    description = models.TextField(max_length=4000, blank=True)
    format = models.CharField(max_length=8, choices=Format.choices)
    opens_at = models.DateTimeField(db_index=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    presale_opens_at = models.DateTimeField(null=True, blank=True)
    edition_size = models.PositiveIntegerField()
    per_user_limit = models.PositiveIntegerField(default=1)
    sold = models.PositiveIntegerField(default=0)
    price = models.PositiveBigIntegerField(default=0)
    # English auction
    reserve_price = models.PositiveBigIntegerField(default=0)
    min_increment = models.PositiveBigIntegerField(default=0)
    anti_snipe_minutes = models.PositiveIntegerField(default=0)
    extension_minutes = models.PositiveIntegerField(default=0)
    # Dutch auction: start_price, minus decay_amount every decay_minutes, never below floor_price
    start_price = models.PositiveBigIntegerField(default=0)
    floor_price = models.PositiveBigIntegerField(default=0)
    decay_amount = models.PositiveBigIntegerField(default=0)
    decay_minutes = models.PositiveIntegerField(default=0)
    royalty_bps = models.PositiveIntegerField(default=1000)
    chain_drop_id = models.BigIntegerField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    winner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    final_price = models.PositiveBigIntegerField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(sold__lte=F("edition_size")), name="drops_drop_no_oversell"),
            models.CheckConstraint(condition=Q(edition_size__gte=1), name="drops_drop_positive_size"),
            models.CheckConstraint(condition=Q(royalty_bps__lte=10_000), name="drops_drop_royalty_range"),
        ]

    def __str__(self) -> str:
        return self.title


class AllowlistEntry(models.Model):
    """Who may buy in the presale window before a drop opens to everyone."""

    drop = models.ForeignKey(Drop, on_delete=models.CASCADE, related_name="allowlist")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["drop", "user"], name="drops_allowlist_unique")]

    def __str__(self) -> str:
        return f"{self.drop_id}:{self.user_id}"


class Edition(BaseModel):
    """Edition number `number` of a drop: sold, then minted lazily to its owner's custodial wallet."""

    class Status(models.TextChoices):
        HELD = "held", _("보유")
        LISTED = "listed", _("판매 중")
        WITHDRAWN = "withdrawn", _("외부 지갑으로 출금")

    drop = models.ForeignKey(Drop, on_delete=models.PROTECT, related_name="editions")
    number = models.PositiveIntegerField()
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    buyer_slot = models.PositiveIntegerField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drops_editions")
    price_paid = models.PositiveBigIntegerField()
    payment_ref = models.CharField(max_length=100, blank=True)
    purchase_key = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.HELD)
    mint_key = models.CharField(max_length=200, blank=True, db_index=True)
    token_id = models.DecimalField(max_digits=78, decimal_places=0, null=True, blank=True)
    minted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["drop", "number"], name="drops_edition_unique_number"),
            models.UniqueConstraint(fields=["drop", "buyer", "buyer_slot"], name="drops_edition_unique_slot"),
            models.UniqueConstraint(fields=["buyer", "purchase_key"], name="drops_edition_unique_purchase"),
        ]

    def __str__(self) -> str:
        return f"{self.drop_id} #{self.number}"


class Bid(BaseModel):
    """A bid in an English auction; its amount is held in the bidder's Pay wallet until outbid or won."""

    class Status(models.TextChoices):
        LEADING = "leading", _("최고가")
        OUTBID = "outbid", _("상회됨")
        WON = "won", _("낙찰")

    drop = models.ForeignKey(Drop, on_delete=models.PROTECT, related_name="bids")
    bidder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField()
    hold_id = models.CharField(max_length=100)
    idempotency_key = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LEADING)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bidder", "idempotency_key"], name="drops_bid_unique_key"),
            models.UniqueConstraint(fields=["drop"], condition=Q(status="leading"), name="drops_bid_one_leading"),
        ]
        indexes = [models.Index(fields=["drop", "-amount"])]

    def __str__(self) -> str:
        return f"{self.drop_id} {self.amount}"


class Listing(BaseModel):
    """An owner's offer of one edition at a price on the secondary market."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("판매 중")
        SOLD = "sold", _("판매 완료")
        CANCELLED = "cancelled", _("취소")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="listings")
    seller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    price = models.PositiveBigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    royalty_amount = models.PositiveBigIntegerField(null=True, blank=True)
    sold_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition"], condition=Q(status="active"), name="drops_listing_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.edition_id} {self.price} {self.status}"


class Activity(models.Model):
    """The activity feed and each edition's provenance: sales, resales, listings, bids, mints, withdrawals."""

    class Kind(models.TextChoices):
        SALE = "sale", _("판매")
        RESALE = "resale", _("재판매")
        LISTED = "listed", _("판매 등록")
        UNLISTED = "unlisted", _("판매 취소")
        BID = "bid", _("입찰")
        WON = "won", _("낙찰")
        MINTED = "minted", _("발행")
        WITHDRAWN = "withdrawn", _("출금")

    kind = models.CharField(max_length=10, choices=Kind.choices, db_index=True)
    drop = models.ForeignKey(Drop, on_delete=models.CASCADE, related_name="activity")
    edition = models.ForeignKey(Edition, null=True, blank=True, on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    counterparty = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    price = models.PositiveBigIntegerField(null=True, blank=True)
    royalty = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.drop_id}"
