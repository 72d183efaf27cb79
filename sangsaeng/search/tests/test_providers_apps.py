"""The merged apps' content is searchable through their own services and events: chat messages
(members only), channels and their posts, stores and public products, drops and artworks."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sangsaeng.accounts.services import user_create
from sangsaeng.commerce import services as commerce
from sangsaeng.drops import services as drops
from sangsaeng.messaging import services as messaging
from sangsaeng.partners import services as partners
from sangsaeng.search import services
from sangsaeng.search.handlers import search_public_refresh
from sangsaeng.search.indexing import reindex

pytestmark = pytest.mark.django_db


def _ids(user, q, **kw):
    return {h.id for h in services.search(user=user, q=q, **kw).hits}


def _product(actor, store, title, status="public", price=15_000, sku="SKU-1"):
    return commerce.product_create(
        actor=actor,
        store_id=store.public_id,
        data={"title": title, "status": status, "variants": [{"sku": sku, "price": price, "stock": 3}]},
    )


def test_chat_messages_are_found_by_members_only_and_follow_edits_and_deletes(
    alice, bob, django_capture_on_commit_callbacks
):
    carol = user_create(email="carol@example.com", password="correct-horse-battery", display_name="캐럴", verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        ours = messaging.conversation_direct_open(actor=alice, other=bob)
        theirs = messaging.conversation_direct_open(actor=bob, other=carol)
        mine = messaging.message_post(actor=alice, conversation_id=ours.public_id, text="내일 회의실 예약했어요")
        other = messaging.message_post(actor=bob, conversation_id=theirs.public_id, text="회의실 비밀번호는 1234")

    assert _ids(alice, "회의실을") == {str(mine.public_id)}  # not bob's chat with carol
    assert _ids(bob, "회의실을") == {str(mine.public_id), str(other.public_id)}
    assert _ids(carol, "회의실") == {str(other.public_id)}
    assert _ids(None, "회의실") == set()

    with django_capture_on_commit_callbacks(execute=True):
        messaging.message_edit(actor=alice, message_id=mine.public_id, text="내일 강당 예약했어요")
    assert _ids(bob, "강당") == {str(mine.public_id)}
    assert _ids(bob, "회의실") == {str(other.public_id)}

    with django_capture_on_commit_callbacks(execute=True):
        messaging.message_delete(actor=alice, message_id=mine.public_id)
    assert _ids(alice, "강당") == set()


def test_public_products_and_stores_are_found_but_drafts_and_hidden_never(
    alice, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        channel = partners.channel_create(owner=alice, name="상생마켓", handle="sangsaeng-market")
        store = commerce.store_open(actor=alice, channel_id=channel.public_id, description="제주 농가 직송")
        tangerine = _product(alice, store, "제주 한라봉", price=29_000)
        draft = _product(alice, store, "한라봉 선물세트", status="draft", sku="SKU-2")
        hidden = _product(alice, store, "못난이 한라봉", status="hidden", sku="SKU-3")

    for user in (bob, alice, None):  # the store's own staff don't see drafts in search either
        assert _ids(user, "한라봉을") == {str(tangerine.public_id)}
    assert _ids(bob, "한라봉", price_max=20_000) == set()
    assert _ids(bob, "한라봉", price_min=20_000, price_max=30_000) == {str(tangerine.public_id)}
    assert _ids(bob, "상생마켓에서", kinds=("store",)) == {str(store.public_id)}

    with django_capture_on_commit_callbacks(execute=True):
        commerce.product_update(actor=alice, product_id=tangerine.public_id, data={"status": "hidden"})
        commerce.product_update(actor=alice, product_id=draft.public_id, data={"status": "public"})
    assert _ids(bob, "한라봉") == {str(draft.public_id)}
    assert str(hidden.public_id) not in _ids(alice, "못난이")


def test_channels_and_their_sent_posts_are_public(alice, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        channel = partners.channel_create(owner=alice, name="한빛베이커리", handle="hanbit-bakery")
        partners.channel_follow(user=bob, channel_id=channel.public_id)
        post = partners.broadcast_create(
            actor=alice, channel_id=channel.public_id, text="오늘 구운 소금빵이 나왔습니다", is_advertising=False
        )
    # channels change without events: the worker's periodic refresh picks them up, at most every 15 min
    assert search_public_refresh() == {"artwork": 0, "channel": 1, "drop": 0, "post": 1}
    assert search_public_refresh() is None

    assert _ids(None, "소금빵은") == {str(post.public_id)}
    assert _ids(bob, "베이커리") >= {str(channel.public_id)}


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 160)).save(out, "PNG")
    return SimpleUploadedFile("art.png", out.getvalue(), content_type="image/png")


def test_drops_and_their_artworks_are_found_with_links_to_the_drop_page(alice, bob, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    operator = user_create(email="op@example.com", password="correct-horse-battery", display_name="운영", staff=True)
    profile = drops.creator_apply(user=alice, display_name="앨리스", portfolio_url="https://portfolio.example/a")
    drops.creator_review(operator=operator, creator_id=profile.public_id, approve=True)
    artwork = drops.artwork_create(actor=alice, title="성산의 새벽", upload=_png())
    reindex(kinds=["artwork"])
    assert _ids(bob, "새벽") == set()  # an artwork in no drop has no public page yet

    base = {"format": "fixed", "opens_at": timezone.now() - timedelta(minutes=1), "price": 10_000}
    drop = drops.drop_create(
        actor=alice,
        artwork_id=artwork.public_id,
        data={**base, "title": "새벽 바다 에디션", "edition_size": 5, "per_user_limit": 1, "royalty_bps": 1000},
    )
    reindex(kinds=["drop", "artwork"])

    hits = {h.id: h for h in services.search(user=bob, q="새벽을").hits}
    assert set(hits) == {str(drop.public_id), str(artwork.public_id)}
    assert hits[str(artwork.public_id)].url == hits[str(drop.public_id)].url == f"/drops/d/{drop.public_id}/"
