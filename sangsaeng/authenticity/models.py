"""Authenticity data: brands, their passports and tags, scans, provenance, delivery hand-overs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel

MAX_TOKEN_ID = 2**53 - 1  # exact in JavaScript clients, and far inside a signed 64-bit column


def token_id_valid(value: object) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_TOKEN_ID


class Brand(BaseModel):
    """A brand that issues passports once an operator has verified it."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    partner_channel_id = models.UUIDField(null=True, blank=True)
    sealed_master_key = models.TextField()
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class BrandMember(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("소유자")
        STAFF = "staff", _("직원")

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "user"], name="authenticity_member_unique")]

    def __str__(self) -> str:
        return f"{self.brand_id}:{self.user_id}:{self.role}"


class Passport(BaseModel):
    """One serialised unit's passport: canonical metadata, its on-chain token and who holds it."""

    class State(models.TextChoices):
        ACTIVE = "active", _("정상")
        LOST = "lost", _("분실 신고")
        STOLEN = "stolen", _("도난 신고")

    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="passports")
    token_id = models.BigIntegerField(unique=True)
    serial = models.CharField(max_length=80)
    product_name = models.CharField(max_length=120)
    model_code = models.CharField(max_length=60)
    metadata = models.JSONField()
    metadata_sha256 = models.CharField(max_length=64)
    warranty_months = models.PositiveIntegerField(default=0)
    issued_at = models.DateTimeField()
    issue_key = models.CharField(max_length=200)
    claim_secret_hash = models.CharField(max_length=64, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_address = models.CharField(max_length=42, blank=True)
    owner_consent = models.BooleanField(default=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    last_move_key = models.CharField(max_length=200, blank=True)
    moves = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "serial"], name="authenticity_serial_unique")]
        indexes = [models.Index(fields=["owner", "brand"])]

    def __str__(self) -> str:
        return f"{self.brand_id}:{self.serial}"


class Tag(BaseModel):
    """A QR label or an NTAG 424 DNA chip; its public `code` is in the URL printed or written on it."""

    class Kind(models.TextChoices):
        QR = "qr", _("QR")
        NFC = "nfc", _("NFC")

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="tags")
    passport = models.ForeignKey(Passport, null=True, blank=True, on_delete=models.SET_NULL, related_name="tags")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    code = models.CharField(max_length=32, unique=True)
    uid = models.CharField(max_length=14, blank=True)
    last_counter = models.BigIntegerField(default=-1)
    flagged_at = models.DateTimeField(null=True, blank=True)
    flag_reason = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"


class Scan(models.Model):
    """One verification of a tag; the device is a salted hash, never an address or an agent string."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="scans")
    device = models.CharField(max_length=64)
    verdict = models.CharField(max_length=20)
    counter = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["tag", "created_at"]), models.Index(fields=["tag", "device"])]

    def __str__(self) -> str:
        return f"{self.tag_id}:{self.verdict}"


class ProvenanceEvent(models.Model):
    """What happened to a passport, without who: the public history the verification page shows."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("발행")
        CLAIMED = "claimed", _("소유자 등록")
        DELIVERED = "delivered", _("배송 완료 후 소유권 이전")
        TRANSFERRED = "transferred", _("소유권 이전")
        EXPORTED = "exported", _("외부 지갑으로 이전")
        REPORTED_LOST = "reported_lost", _("분실 신고")
        REPORTED_STOLEN = "reported_stolen", _("도난 신고")
        FOUND = "found", _("신고 해제")
        RECOVERED = "recovered", _("브랜드 회수")

    passport = models.ForeignKey(Passport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    chain_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.passport_id}:{self.kind}"


class DeliveryHandover(models.Model):
    """One store unit's passport: held for the order line when shipped, the buyer's once delivered,
    released when the order is refunded before delivery. The unit reference makes each step happen
    once, and a passport is held for at most one unit at a time."""

    class State(models.TextChoices):
        HELD = "held", _("배송 중")
        DELIVERED = "delivered", _("배송 완료")
        RELEASED = "released", _("주문 취소로 해제")

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    order_ref = models.CharField(max_length=100)
    passport = models.ForeignKey(Passport, on_delete=models.CASCADE, related_name="+")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DELIVERED)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brand", "order_ref"], name="authenticity_handover_unique_order"),
            models.UniqueConstraint(
                fields=["passport"], condition=models.Q(state="held"), name="authenticity_handover_one_hold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_ref}:{self.passport_id}:{self.state}"
