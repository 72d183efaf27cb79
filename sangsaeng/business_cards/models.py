"""Business cards, the company-email check behind the company badge, and the card book."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel

# Fields the owner may show or hide on the public link page and in what receivers get.
SHAREABLE_FIELDS = ("company", "department", "title", "phones", "email", "address", "website", "photo")


class Card(BaseModel):
    class Theme(models.TextChoices):
        MINT = "mint", _("민트")
        NAVY = "navy", _("네이비")
        CORAL = "coral", _("코랄")
        MONO = "mono", _("모노")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards")
    name = models.CharField(_("이름"), max_length=60)
    company = models.CharField(_("회사"), max_length=100, blank=True)
    department = models.CharField(_("부서"), max_length=100, blank=True)
    title = models.CharField(_("직함"), max_length=60, blank=True)
    phones = models.JSONField(default=list)
    email = models.EmailField(_("이메일"), blank=True)
    address = models.CharField(_("주소"), max_length=200, blank=True)
    website = models.URLField(_("웹사이트"), max_length=200, blank=True)
    photo = models.BinaryField(blank=True, default=b"")
    photo_type = models.CharField(max_length=20, blank=True)
    theme = models.CharField(_("테마"), max_length=10, choices=Theme.choices, default=Theme.MINT)
    visible_fields = models.JSONField(default=list)
    company_domain = models.CharField(max_length=200, blank=True)
    company_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.name} {self.company}".strip()


class CompanyEmailCode(BaseModel):
    """A code sent to a company address; its hash only, single use."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="company_codes")
    email = models.EmailField()
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.email


class CardBookEntry(BaseModel):
    """A card someone received. It points at the live card, so owners' updates reach holders."""

    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_book")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="book_entries")
    note = models.TextField(blank=True, max_length=2000)
    tags = models.JSONField(default=list)
    seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["holder", "card"], name="card_book_holder_card_unique")]

    def __str__(self) -> str:
        return f"{self.holder_id} → {self.card_id}"
