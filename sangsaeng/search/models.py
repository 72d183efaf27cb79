"""The search index: one row per document that a provider offers, its audience, the vocabulary
of indexed terms (for typo tolerance) and the operators' synonym groups.

The full-text structures live beside these tables and are created per database vendor in
migration 0002: an FTS5 table `search_fts` on SQLite, a `tsv` tsvector column with a GIN index
on PostgreSQL (see backends/).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel


class Document(models.Model):
    """A searchable copy of something a provider owns (a photo, a card, a product...)."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("공개")
        PRIVATE = "private", _("비공개")

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    date = models.DateTimeField(null=True, blank=True)
    price = models.BigIntegerField(null=True, blank=True)
    url = models.CharField(max_length=500, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    # Kiwi terms, space-joined (what the full-text index holds), and where each term sits in the
    # original title/text: [[start, end, term], ...].
    title_terms = models.TextField(blank=True)
    text_terms = models.TextField(blank=True)
    initials = models.TextField(blank=True)
    spans = models.JSONField(default=dict, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="search_document_kind_key_unique")]
        indexes = [
            models.Index(fields=["kind", "date"], name="search_doc_kind_date_idx"),
            models.Index(fields=["price"], name="search_doc_price_idx"),
            models.Index(fields=["visibility"], name="search_doc_visibility_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class Audience(models.Model):
    """A user who may open a private document (its owner, a chat's members)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="audience")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "document"], name="search_audience_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} -> {self.document_id}"


class Term(models.Model):
    """One indexed term and how many documents hold it; `rev` is the term reversed, so terms that
    end like a mistyped word are an index range too."""

    term = models.CharField(max_length=60, unique=True)
    rev = models.CharField(max_length=60, db_index=True)
    df = models.IntegerField(default=0)

    def __str__(self) -> str:
        return self.term


class SynonymGroup(BaseModel):
    """Words that mean the same for search (휴대폰, 핸드폰, 스마트폰); applied when a query runs."""

    terms = models.CharField(_("동의어"), max_length=500)
    note = models.CharField(_("메모"), max_length=200, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.terms

    def words(self) -> list[str]:
        return [w.strip() for w in self.terms.split(",") if w.strip()]
