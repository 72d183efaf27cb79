"""Reads of Sync data: partners, links, consents and agreements."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sangsaeng.core.errors import not_found
from sangsaeng.sync.claims import ITEMS
from sangsaeng.sync.models import Consent, Link, Partner, ServiceTerm, TermAgreement


def partner_list(*, owner: Any) -> list[Partner]:
    return list(Partner.objects.filter(owner=owner).select_related("application").order_by("-created_at"))


def partner_get_by_client_id(*, client_id: str) -> Partner | None:
    return Partner.objects.select_related("application").filter(application__client_id=client_id).first()


def access_partner(*, actor: Any, partner_id: Any) -> Partner:
    """The partner app if `actor` owns it; one 404 for missing and not yours."""
    try:
        return Partner.objects.select_related("application").get(public_id=partner_id, owner=actor)
    except (Partner.DoesNotExist, ValueError) as exc:
        raise not_found("app") from exc


def link_get(*, user: Any, partner: Partner) -> Link | None:
    return Link.objects.filter(user=user, partner=partner, unlinked_at__isnull=True).first()


def link_list(*, user: Any) -> list[Link]:
    return list(
        Link.objects.filter(user=user, unlinked_at__isnull=True)
        .select_related("partner")
        .prefetch_related("consents", "agreements__term")
        .order_by("-created_at")
    )


def access_link(*, actor: Any, link_id: Any) -> Link:
    """The user's own live link; one 404 for missing, unlinked and not yours."""
    try:
        return Link.objects.select_related("partner__application").get(
            public_id=link_id, user=actor, unlinked_at__isnull=True
        )
    except (Link.DoesNotExist, ValueError) as exc:
        raise not_found("connected service") from exc


def granted_items(*, link: Link | None) -> set[str]:
    if link is None:
        return set()
    return set(
        Consent.objects.filter(link=link, granted=True, withdrawn_at__isnull=True).values_list("item", flat=True)
    )


def decided_items(*, link: Link | None) -> set[str]:
    """Items the user has answered (yes or no) and not withdrawn: asked again only on prompt=consent."""
    if link is None:
        return set()
    return set(Consent.objects.filter(link=link, withdrawn_at__isnull=True).values_list("item", flat=True))


def live_agreements(*, link: Link | None) -> QuerySet[TermAgreement]:
    if link is None:
        return TermAgreement.objects.none()
    return TermAgreement.objects.filter(link=link, revoked_at__isnull=True).select_related("term")


def agreed_tags(*, link: Link | None) -> set[str]:
    return {a.term.tag for a in live_agreements(link=link)}


def term_list(*, partner: Partner) -> list[ServiceTerm]:
    return list(ServiceTerm.objects.filter(partner=partner))


def consent_needed(*, link: Link | None, partner: Partner, scopes: set[str]) -> bool:
    """Whether the consent screen must show: a required item or term not agreed, or an item never asked.

    An optional item the user declined counts as answered, so a returning user is not nagged;
    the partner can ask again with prompt=consent (incremental consent).
    """
    if link is None:
        return True
    granted = granted_items(link=link)
    decided = decided_items(link=link)
    for item, requirement in partner.consent_items.items():
        spec = ITEMS.get(item)
        if spec is None or spec.scope not in scopes:
            continue
        if item not in decided or (requirement == "required" and item not in granted):
            return True
    agreed = agreed_tags(link=link)
    return any(term.required and term.tag not in agreed for term in term_list(partner=partner))
