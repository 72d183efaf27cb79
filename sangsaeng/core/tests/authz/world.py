"""User A's objects, one of each kind the platform keeps, made through the apps' own services and
only when an entry asks for them; and user B, signed in on every interface."""

from __future__ import annotations

import io
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from conftest import PASSWORD, ApiClient
from sangsaeng.accounts.services import address_create, token_create, user_create

ADDRESS = {
    "name": "집",
    "type": "NEW",
    "base_address": "서울특별시 중구 세종대로 110",
    "detail_address": "3층",
    "zone_number": "04524",
    "receiver_name": "김앨리스",
    "receiver_phone_number1": "010-1111-2222",
}
CARD = {"name": "김앨리스", "company": "상생 주식회사", "title": "개발자", "email": "alice@sangsaeng.kr"}
PASSPORT = {
    "serial": "AZ-0001",
    "product_name": "제주 옹기 달항아리",
    "model": "MOON-L",
    "manufactured_on": "2026-10-01",
    "manufactured_at": "제주",
    "materials": "화산토",
    "images": "https://img.sangsaeng.kr/onggi/moon-l.jpg",
    "warranty_months": "24",
    "warranty_terms": "무상 수리",
}


def png_bytes(size: tuple[int, int] = (64, 64), color: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(color: str = "seagreen") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return out.getvalue()


class World:
    """A's objects, made on first use within one test; B and its clients, likewise."""

    def __init__(self, tmp_path: Path, fixture: Any = None) -> None:
        self.tmp_path = tmp_path
        self.fixture = fixture  # pytest's request.getfixturevalue, for the chain node

    @cached_property
    def chain(self) -> str:
        """The embedded chain node with our contracts deployed (the app tests' fixtures)."""
        self.fixture("embedded")
        self.fixture("settings").CHAIN_CONFIRMATIONS = 1
        self.fixture("deployed")
        return "deployed"

    @cached_property
    def a_chain_token(self) -> int:
        """A passport token minted on chain straight into A's custodial wallet."""
        from sangsaeng.chain import services as chain

        self.chain
        chain.passport_issue(
            idempotency_key="matrix-a-token", brand="brand-a", owner=self.a, token_id=4242, metadata_hash=b"\x09" * 32
        )
        chain.chain_sweep()
        return 4242

    @cached_property
    def b_linked(self) -> str:
        """B's custodial wallet linked to an external address, so that B may withdraw."""
        from eth_account import Account
        from eth_account.messages import encode_defunct

        from sangsaeng.chain import services as chain

        external = Account.create()
        _wallet, message = chain.wallet_link_challenge(user=self.b)
        signature = "0x" + external.sign_message(encode_defunct(text=message)).signature.hex()
        chain.wallet_link(user=self.b, address=external.address, signature=signature)
        return str(external.address)

    # --- the two users and the operator -------------------------------------------------------
    @cached_property
    def a(self) -> Any:
        return user_create(email="a@example.com", password=PASSWORD, display_name="에이", verified=True)

    @cached_property
    def b(self) -> Any:
        return user_create(email="b@example.com", password=PASSWORD, display_name="비", verified=True)

    @cached_property
    def operator(self) -> Any:
        return user_create(email="op@example.com", password=PASSWORD, display_name="운영", verified=True, staff=True)

    @cached_property
    def a_verified(self) -> Any:
        from sangsaeng.identity import services as identity

        identity.identity_approve_in_person(user=self.a, legal_name="김에이", birthdate=date(1990, 5, 17))
        return self.a

    # --- B on each interface ------------------------------------------------------------------
    @cached_property
    def rest_b(self) -> ApiClient:
        _token, secret = token_create(user=self.b, label="matrix")
        return ApiClient(secret)

    @cached_property
    def page_b(self) -> Client:
        client = Client()
        client.force_login(self.b)
        return client

    # --- accounts -----------------------------------------------------------------------------
    @cached_property
    def address(self) -> Any:
        return address_create(user=self.a, data=dict(ADDRESS))

    @cached_property
    def token(self) -> Any:
        return token_create(user=self.a, label="a's script")[0]

    @cached_property
    def session(self) -> Any:
        from allauth.usersessions.models import UserSession

        client = Client()
        client.post("/accounts/login/", {"login": self.a.email, "password": PASSWORD})
        return UserSession.objects.get(user=self.a)

    @cached_property
    def webhook(self) -> Any:
        from sangsaeng.core.webhooks import endpoint_create

        return endpoint_create(owner=self.a, url="https://a.example/hook", events=["order_paid"])[0]

    # --- drawer -------------------------------------------------------------------------------
    @cached_property
    def item(self) -> Any:
        from sangsaeng.drawer import services as drawer

        path = self.tmp_path / "a.jpg"
        path.write_bytes(jpeg_bytes())
        return drawer.item_create(owner=self.a, path=path, name="a.jpg")

    @cached_property
    def trashed_item(self) -> Any:
        from sangsaeng.drawer import services as drawer

        path = self.tmp_path / "t.jpg"
        path.write_bytes(jpeg_bytes("red"))
        item = drawer.item_create(owner=self.a, path=path, name="t.jpg")
        return drawer.item_trash(actor=self.a, id=item.public_id)

    @cached_property
    def album(self) -> Any:
        from sangsaeng.drawer import services as drawer

        album = drawer.album_create(actor=self.a, title="제주")
        return drawer.album_item_add(actor=self.a, album_id=album.public_id, item_id=self.item.public_id)

    @cached_property
    def share(self) -> Any:
        from sangsaeng.drawer.sharing import share_create

        return share_create(actor=self.a, item_id=self.item.public_id)

    @cached_property
    def app_password(self) -> Any:
        from sangsaeng.drawer.app_passwords import app_password_create

        return app_password_create(owner=self.a, label="a's phone")[0]

    # --- identity and cards -------------------------------------------------------------------
    @cached_property
    def credential(self) -> Any:
        from sangsaeng.identity import services as identity

        return identity.credential_issue(user=self.a_verified)[0]

    @cached_property
    def review(self) -> Any:
        from sangsaeng.identity import services as identity

        return identity.document_submit(
            user=self.a, document=jpeg_bytes(), document_type="id_card", name="김에이", birthdate=date(1990, 5, 17)
        )

    @cached_property
    def card(self) -> Any:
        from sangsaeng.business_cards import services as cards

        return cards.card_create(owner=self.a_verified, data=dict(CARD))

    @cached_property
    def book_entry(self) -> Any:
        """An entry in A's card book (of the operator's card)."""
        from sangsaeng.business_cards import services as cards

        other = cards.card_create(owner=self.operator, data={**CARD, "name": "운영자", "email": "op@sangsaeng.kr"})
        return cards.book_add(holder=self.a, card_id=other.public_id)

    # --- partners -----------------------------------------------------------------------------
    @cached_property
    def channel(self) -> Any:
        from sangsaeng.partners import services as partners

        return partners.channel_create(owner=self.a, name="에이마켓", handle="a-market", description="감귤")

    @cached_property
    def staff(self) -> Any:
        from sangsaeng.partners import services as partners

        return partners.staff_invite(
            actor=self.a, channel_id=self.channel.public_id, email=self.operator.email, role="agent"
        )

    @cached_property
    def broadcast(self) -> Any:
        from sangsaeng.partners import services as partners

        return partners.broadcast_create(
            actor=self.a,
            channel_id=self.channel.public_id,
            text="감귤 세일",
            is_advertising=False,
            scheduled_at=timezone.now() + timedelta(days=2),
        )

    @cached_property
    def post(self) -> Any:
        """A broadcast already sent, which is what a channel's public post is."""
        from sangsaeng.partners import services as partners

        return partners.broadcast_create(actor=self.a, channel_id=self.channel.public_id, text="공지", is_advertising=False)

    @cached_property
    def thread(self) -> Any:
        """A customer's (the operator's) 1:1 thread in A's channel inbox."""
        from sangsaeng.partners import services as partners

        return partners.thread_open(customer=self.operator, channel_id=self.channel.public_id)

    # --- messaging ----------------------------------------------------------------------------
    @cached_property
    def conversation(self) -> Any:
        from sangsaeng.messaging import services as messaging

        return messaging.conversation_group_create(actor=self.a, title="에이의 방", members=[self.operator])

    @cached_property
    def message(self) -> Any:
        from sangsaeng.messaging import services as messaging

        return messaging.message_post(actor=self.a, conversation_id=self.conversation.public_id, text="안녕")

    # --- payments -----------------------------------------------------------------------------
    @cached_property
    def funded_a(self) -> Any:
        from sangsaeng.payments import services as payments

        payments.wallet_topup_test(user=self.a, amount=1_000_000, idempotency_key="matrix-fund-a")
        return self.a

    @cached_property
    def payment(self) -> Any:
        from sangsaeng.payments import services as payments

        return payments.payment_create(
            payer=self.funded_a,
            payee_ref=payments.user_ref(self.operator),
            amount=1000,
            method="wallet",
            purpose="matrix",
            idempotency_key="matrix-payment",
        )

    @cached_property
    def statement(self) -> Any:
        """A's settlement statement as a payee, for yesterday (Seoul)."""
        from sangsaeng.payments import services as payments

        day = timezone.localdate() - timedelta(days=1)
        return payments.statement_generate(payee_ref=payments.user_ref(self.a), day=day)

    # --- chain, authenticity, drops -----------------------------------------------------------
    @cached_property
    def chain_tx(self) -> Any:
        from sangsaeng.chain import services as chain

        self.chain
        return chain.shares_mint(idempotency_key="matrix-shares", owner=self.a, amount=10**18)

    @cached_property
    def brand(self) -> Any:
        from sangsaeng.authenticity import services as authenticity

        made = authenticity.brand_create(owner=self.a, name="에이 옹기", slug="a-onggi")
        return authenticity.brand_verify(actor=self.operator, slug=made.slug)

    @cached_property
    def passport_issued(self) -> tuple[Any, str]:
        from sangsaeng.authenticity import services as authenticity

        self.chain
        return authenticity.passport_issue(actor=self.a, slug=self.brand.slug, data=dict(PASSPORT))

    @cached_property
    def passport(self) -> Any:
        """A passport of A's brand, still in custody."""
        return self.passport_issued[0]

    @cached_property
    def owned_passport(self) -> Any:
        """A passport A claimed: A owns it."""
        from sangsaeng.authenticity import services as authenticity

        passport, secret = self.passport_issued
        return authenticity.passport_claim(actor=self.a, token_id=passport.token_id, secret=secret, consent=True)

    @cached_property
    def tag_code(self) -> str:
        from sangsaeng.authenticity import services as authenticity

        return authenticity.nfc_tags_create(brand=self.brand, count=1)[0]["code"]

    @cached_property
    def creator(self) -> Any:
        """A's creator profile, approved."""
        from sangsaeng.drops import services as drops

        profile = drops.creator_apply(user=self.a, display_name="에이", portfolio_url="https://a.example/art")
        return drops.creator_review(operator=self.operator, creator_id=profile.public_id, approve=True)

    @cached_property
    def artwork(self) -> Any:
        from sangsaeng.drops import services as drops

        self.creator
        upload = SimpleUploadedFile("art.png", png_bytes((400, 300)), content_type="image/png")
        return drops.artwork_create(actor=self.a, title="새벽", upload=upload)

    @cached_property
    def drop(self) -> Any:
        from sangsaeng.drops import services as drops

        data = {
            "format": "fixed",
            "opens_at": timezone.now() - timedelta(minutes=1),
            "price": 10_000,
            "edition_size": 5,
            "per_user_limit": 1,
            "royalty_bps": 1000,
        }
        return drops.drop_create(actor=self.a, artwork_id=self.artwork.public_id, data=data)

    @cached_property
    def edition(self) -> Any:
        """An edition A bought (from A's own drop: the operator is no collector)."""
        from sangsaeng.drops import services as drops

        self.funded_a
        return drops.edition_purchase(buyer=self.a, drop_id=self.drop.public_id, idempotency_key="matrix-edition")

    @cached_property
    def listing(self) -> Any:
        from sangsaeng.drops import services as drops

        from sangsaeng.drops.tests.conftest import settle

        edition = self.edition
        self.chain
        settle()
        return drops.listing_create(seller=self.a, edition_id=edition.public_id, price=20_000)

    # --- assistant ----------------------------------------------------------------------------
    @cached_property
    def action(self) -> Any:
        from sangsaeng.assistant.actions import reminder_propose

        return reminder_propose(user=self.a, at=timezone.now() + timedelta(days=1), text="약 먹기")

    # --- commerce -----------------------------------------------------------------------------
    @cached_property
    def store(self) -> Any:
        from sangsaeng.commerce import services as commerce

        return commerce.store_open(actor=self.a, channel_id=self.channel.public_id)

    def _product(self, status: str, sku: str) -> Any:
        from sangsaeng.commerce import services as commerce

        return commerce.product_create(
            actor=self.a,
            store_id=self.store.public_id,
            data={"title": "녹차", "status": status, "variants": [{"sku": sku, "price": 12_000, "stock": 10}]},
        )

    @cached_property
    def product(self) -> Any:
        return self._product("public", "TEA-1")

    @cached_property
    def draft_product(self) -> Any:
        return self._product("draft", "TEA-D")

    @cached_property
    def variant(self) -> Any:
        return self.product.variants.get()

    @cached_property
    def cart_line(self) -> Any:
        from sangsaeng.commerce import services as commerce

        return commerce.cart_add(user=self.a, variant_id=self.variant.public_id, quantity=1)

    @cached_property
    def order(self) -> Any:
        """A's paid order from A's own store: B is neither its buyer nor its store's staff."""
        from sangsaeng.commerce import services as commerce

        address_create(user=self.funded_a, data=dict(ADDRESS), is_default=True)
        return commerce.checkout(
            buyer=self.a,
            store=self.store,
            idempotency_key="matrix-order",
            lines=[{"variant_id": str(self.variant.public_id), "quantity": 1}],
        )

    @cached_property
    def order_line(self) -> Any:
        return self.order.lines.get()

    @cached_property
    def return_request(self) -> Any:
        from sangsaeng.commerce import services as commerce

        order = self.order
        commerce.order_prepare(actor=self.a, order_id=order.public_id)
        commerce.order_ship(actor=self.a, order_id=order.public_id, courier="cj", tracking_number="123456789012")
        commerce.order_deliver(actor=self.a, order_id=order.public_id)
        return commerce.return_request(actor=self.a, order_id=order.public_id, reason="changed_mind")

    # --- insights -----------------------------------------------------------------------------
    @cached_property
    def insights_ref(self) -> str:
        from sangsaeng.insights.bridge import ref_for

        return ref_for(self.channel.public_id)

    insights_metric = "revenue"

    # --- contributions ------------------------------------------------------------------------
    @cached_property
    def contribution(self) -> Any:
        from sangsaeng.contributions import services as contributions

        return contributions.contribution_create(
            owner=self.a, raw="에이의 글입니다. ".encode() * 20, name="a.txt", licence="cc0", licence_accepted=True
        )

    @cached_property
    def takedown(self) -> Any:
        from sangsaeng.contributions import services as contributions

        return contributions.takedown_report(
            reporter=self.a, reason="개인정보가 들어 있어요", contribution_id=self.contribution.public_id
        )
