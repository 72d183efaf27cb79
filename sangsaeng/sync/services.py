"""Sync's public operations: partner apps, consent and agreements, unlinking.

Every function owns its transaction. Webhooks are queued with the change and sent on commit.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application, Grant, IDToken, RefreshToken, clear_expired

from sangsaeng.core import webhooks
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.sync import selectors
from sangsaeng.sync.claims import ITEMS, SCOPE_ITEMS, pairwise_sub
from sangsaeng.sync.models import CodeRedemption, Consent, Link, Partner, Requirement, ServiceTerm, TermAgreement

UNLINK_EVENT = "sync.user_unlinked"
REFERRER_TYPES = {"user_unlinked": "UNLINK_FROM_APPS", "account_deleted": "ACCOUNT_DELETE"}


def _invalid(field: str, ko: str, en: str) -> Problem:
    return Problem(code="invalid_field", status=422, ko=ko, en=en, field=field)


def _check_consent_items(items: dict[str, str]) -> dict[str, str]:
    clean: dict[str, str] = {}
    for item, requirement in items.items():
        if item not in ITEMS:
            raise _invalid("consent_items", f"알 수 없는 동의 항목입니다: {item}", f"Unknown consent item: {item}")
        if requirement not in Requirement.values:
            raise _invalid("consent_items", "필수 또는 선택이어야 합니다.", "Must be required or optional.")
        clean[item] = requirement
    return clean


def items_for_scopes(scopes: list[str]) -> dict[str, str]:
    """The consent items an operator's `--scopes` asks for, each required (the console can relax it)."""
    items: dict[str, str] = {}
    for scope in scopes:
        for item in SCOPE_ITEMS.get(scope, []):
            if item in {"birthday", "age_range", "gender"}:
                continue
            items[item] = Requirement.REQUIRED
    return items


@transaction.atomic
def partner_create(
    *,
    owner: Any,
    name: str,
    redirect_uris: list[str],
    public: bool = False,
    logo_url: str = "",
    privacy_policy_url: str = "",
    consent_items: dict[str, str] | None = None,
    channel_name: str = "",
    post_logout_redirect_uris: list[str] | None = None,
) -> tuple[Partner, str | None]:
    """Register a partner app. Returns it with its client secret (confidential apps only).

    The secret exists in clear only in this return value: django-oauth-toolkit stores a password
    hash of it (`hash_client_secret`), so it is shown once and can only be replaced, not recovered.
    """
    if not redirect_uris:
        raise _invalid("redirect_uris", "리디렉션 URI를 하나 이상 입력하세요.", "Give at least one redirect URI.")
    secret = None if public else generate_client_secret()
    application = Application(
        name=name.strip(),
        user=owner,
        client_type=Application.CLIENT_PUBLIC if public else Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(redirect_uris),
        post_logout_redirect_uris=" ".join(post_logout_redirect_uris or []),
        algorithm=Application.NO_ALGORITHM,
        # A public client never authenticates with a secret; it gets an unseen random one.
        client_secret=secret or generate_client_secret(),
        hash_client_secret=True,
        skip_authorization=False,
    )
    try:
        application.full_clean(exclude=["client_secret"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise _invalid(field, str(messages[0]), str(messages[0])) from exc
    # RS256 with Sync's own rotating keys (oidc.keys); set after clean(), whose check looks for
    # django-oauth-toolkit's single static OIDC_RSA_PRIVATE_KEY instead.
    application.algorithm = Application.RS256_ALGORITHM
    application.save()
    partner = Partner(
        application=application,
        owner=owner,
        name=name.strip(),
        logo_url=logo_url,
        privacy_policy_url=privacy_policy_url,
        consent_items=_check_consent_items(consent_items or {}),
        channel_name=channel_name.strip(),
    )
    try:
        partner.full_clean(exclude=["application", "owner", "unlink_webhook"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise _invalid(field, str(messages[0]), str(messages[0])) from exc
    partner.save()
    return partner, secret


@transaction.atomic
def partner_update(
    *,
    actor: Any,
    partner_id: Any,
    consent_items: dict[str, str],
    channel_name: str,
    logo_url: str,
    privacy_policy_url: str,
) -> Partner:
    partner = selectors.access_partner(actor=actor, partner_id=partner_id)
    partner.consent_items = _check_consent_items(consent_items)
    partner.channel_name = channel_name.strip()
    partner.logo_url = logo_url
    partner.privacy_policy_url = privacy_policy_url
    try:
        partner.full_clean(exclude=["application", "owner", "unlink_webhook"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise _invalid(field, str(messages[0]), str(messages[0])) from exc
    partner.save(update_fields=["consent_items", "channel_name", "logo_url", "privacy_policy_url", "updated_at"])
    return partner


@transaction.atomic
def partner_set_unlink_webhook(*, actor: Any, partner_id: Any, url: str) -> str:
    """Point the unlink callback at `url`; returns the signing secret, shown once."""
    partner = selectors.access_partner(actor=actor, partner_id=partner_id)
    endpoint, secret = webhooks.endpoint_create(
        owner=actor, url=url, events=[UNLINK_EVENT], description=f"Sync unlink: {partner.name}"
    )
    if partner.unlink_webhook is not None:
        partner.unlink_webhook.delete()
    partner.unlink_webhook = endpoint
    partner.save(update_fields=["unlink_webhook", "updated_at"])
    return secret


@transaction.atomic
def term_create(
    *,
    actor: Any,
    partner_id: Any,
    tag: str,
    title: str,
    text: str = "",
    url: str = "",
    required: bool = True,
    revocable: bool = False,
) -> ServiceTerm:
    partner = selectors.access_partner(actor=actor, partner_id=partner_id)
    if not text.strip() and not url.strip():
        raise _invalid("text", "약관 내용이나 URL을 입력하세요.", "Give the term's text or URL.")
    if ServiceTerm.objects.filter(partner=partner, tag=tag).exists():
        raise _invalid("tag", "이미 있는 태그입니다.", "This tag is already used.")
    term = ServiceTerm(
        partner=partner, tag=tag, title=title, text=text, url=url, required=required, revocable=revocable
    )
    try:
        term.full_clean(exclude=["partner"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise _invalid(field, str(messages[0]), str(messages[0])) from exc
    term.save()
    return term


@transaction.atomic
def term_delete(*, actor: Any, partner_id: Any, term_id: Any) -> None:
    partner = selectors.access_partner(actor=actor, partner_id=partner_id)
    deleted, _ = ServiceTerm.objects.filter(partner=partner, public_id=term_id).delete()
    if not deleted:
        raise not_found("term")


# Consent -----------------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *, user: Any, partner: Partner, scopes: set[str], granted: set[str], agreed_tags: set[str], follow_channel: bool
) -> Link:
    """Record the consent screen's answers, each with its time; links the user on first sign-in.

    Refuses when a required item or a required term is left unchecked. Items outside the
    requested scopes are ignored, so a tampered form cannot grant more than was asked.
    """
    now = timezone.now()
    shown = {i: r for i, r in partner.consent_items.items() if i in ITEMS and ITEMS[i].scope in scopes}
    missing = [i for i, r in shown.items() if r == Requirement.REQUIRED and i not in granted]
    terms = selectors.term_list(partner=partner)
    missing_terms = [t.tag for t in terms if t.required and t.tag not in agreed_tags]
    if missing or missing_terms:
        raise Problem(
            code="consent_required",
            status=422,
            ko="필수 항목에 모두 동의해야 합니다.",
            en="Every required item and term must be agreed to.",
            field=(missing or missing_terms)[0],
        )
    link = selectors.link_get(user=user, partner=partner)
    if link is None:
        try:
            with transaction.atomic():
                link = Link.objects.create(user=user, partner=partner)
        except IntegrityError:  # a concurrent consent for the same pair won: use its link
            link = selectors.link_get(user=user, partner=partner)
            assert link is not None
    for item in shown:
        Consent.objects.update_or_create(
            link=link,
            item=item,
            defaults={"granted": item in granted, "decided_at": now, "withdrawn_at": None},
        )
    live = selectors.agreed_tags(link=link)
    for term in terms:
        if term.tag in agreed_tags and term.tag not in live:
            TermAgreement.objects.update_or_create(
                link=link, term=term, defaults={"agreed_at": now, "revoked_at": None}
            )
    if partner.offers_channel and (link.channel_decided_at is None or follow_channel != link.channel_followed):
        link.channel_followed = follow_channel
        link.channel_decided_at = now
        link.save(update_fields=["channel_followed", "channel_decided_at", "updated_at"])
    return link


@transaction.atomic
def consent_withdraw(*, actor: Any, link_id: Any, item: str) -> Consent:
    """Withdraw an optional item; its claims stop at once. Required items go only by unlinking."""
    link = selectors.access_link(actor=actor, link_id=link_id)
    consent = Consent.objects.filter(link=link, item=item, granted=True, withdrawn_at__isnull=True).first()
    if consent is None:
        raise not_found("consent")
    if link.partner.consent_items.get(item) == Requirement.REQUIRED:
        raise Problem(
            code="consent_item_required",
            status=409,
            ko="필수 항목은 철회할 수 없습니다. 연결을 끊어 주세요.",
            en="A required item cannot be withdrawn; unlink the service instead.",
            field="item",
        )
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at", "updated_at"])
    return consent


@transaction.atomic
def agreement_revoke(*, user: Any, partner: Partner, tag: str) -> TermAgreement:
    """Revoke the user's agreement to a revocable term (the partner's API, on the user's behalf)."""
    link = selectors.link_get(user=user, partner=partner)
    agreement = selectors.live_agreements(link=link).filter(term__tag=tag).first()
    if agreement is None:
        raise not_found("agreement")
    if not agreement.term.revocable:
        raise Problem(
            code="term_not_revocable",
            status=409,
            ko="철회할 수 없는 약관입니다.",
            en="This term cannot be revoked.",
            field="tag",
        )
    agreement.revoked_at = timezone.now()
    agreement.save(update_fields=["revoked_at", "updated_at"])
    return agreement


def link_mark_signed_in(*, link: Link) -> bool:
    """Mark the first completed sign-in; returns True the one time the user is new to the partner."""
    updated = Link.objects.filter(pk=link.pk, first_signin_at__isnull=True).update(first_signin_at=timezone.now())
    return updated == 1


# Unlinking ---------------------------------------------------------------------------------------


def tokens_revoke(*, user: Any, application: Application) -> None:
    """Revoke every grant and token the partner holds for the user."""
    for refresh in RefreshToken.objects.filter(user=user, application=application, revoked__isnull=True):
        refresh.revoke()
    AccessToken.objects.filter(user=user, application=application).delete()
    IDToken.objects.filter(user=user, application=application).delete()
    Grant.objects.filter(user=user, application=application).delete()


def _unlink(link: Link, *, reason: str) -> None:
    partner = link.partner
    link.unlinked_at = timezone.now()
    link.save(update_fields=["unlinked_at", "updated_at"])
    tokens_revoke(user=link.user, application=partner.application)
    if partner.unlink_webhook is not None and partner.unlink_webhook.is_active:
        webhooks.delivery_enqueue(
            endpoint=partner.unlink_webhook,
            event=UNLINK_EVENT,
            payload={
                "app_id": partner.application.client_id,
                "user_id": pairwise_sub(sector=partner.application.client_id, user_public_id=link.user.public_id),
                "referrer_type": REFERRER_TYPES[reason],
                "reason": reason,
                "unlinked_at": link.unlinked_at.isoformat(),
            },
        )


@transaction.atomic
def link_unlink(*, actor: Any, link_id: Any) -> Link:
    """The user unlinks a partner: tokens revoked, a signed `user_unlinked` webhook queued."""
    link = selectors.access_link(actor=actor, link_id=link_id)
    _unlink(link, reason="user_unlinked")
    return link


@transaction.atomic
def links_unlink_all(*, user: Any, reason: str) -> int:
    """Unlink every partner of a user (account deletion); idempotent."""
    links = list(Link.objects.filter(user=user, unlinked_at__isnull=True).select_related("partner__application"))
    for link in links:
        _unlink(link, reason=reason)
    return len(links)


def tokens_purge() -> int:
    """Periodic: drop expired grants and tokens, and code redemptions older than any token they
    could have minted (after that, a replayed code has nothing left to revoke)."""
    clear_expired()
    horizon = timezone.now() - timedelta(
        seconds=settings.SYNC_ACCESS_TOKEN_LIFETIME + settings.SYNC_REFRESH_TOKEN_LIFETIME
    )
    deleted, _ = CodeRedemption.objects.filter(redeemed_at__lt=horizon).delete()
    return deleted
