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
        response = client.post("/accounts/login/", {"login": self.b.email, "password": PASSWORD})
        assert response.status_code == 302, response.content  # a real sign-in: allauth counts it as recent
        return client

    @cached_property
    def page_b_reauthenticated(self) -> Client:
        """B, having just confirmed the password again (allauth asks before a security key is touched)."""
        client = self.page_b
        response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
        assert response.status_code == 302, response.content
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
            user=self.a,
            document=jpeg_bytes(),
            document_type="resident_card",
            name="김에이",
            birthdate=date(1990, 5, 17),
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

        return partners.broadcast_create(
            actor=self.a, channel_id=self.channel.public_id, text="공지", is_advertising=False
        )

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
    def commons_statement(self) -> Any:
        """A's statement of a distributed month (rows as the distribution writes them; paying needs a chain)."""
        import uuid
        from decimal import Decimal

        from sangsaeng.contributions.models import RevenueDistribution, RevenueStatement

        distribution = RevenueDistribution.objects.create(
            period="2026-10", tokens=100_000, price_won_per_1k_tokens=20, revenue_won=2_000, share_bps=3000,
            pool_won=600, eligible_shares=Decimal(10**18), holders=1,
            revenue_entry=uuid.uuid4(), pool_entry=uuid.uuid4(),
        )  # fmt: skip
        return RevenueStatement.objects.create(
            distribution=distribution, holder=self.a, period="2026-10", wallet_address="0x" + "a" * 40,
            shares_held=Decimal(10**18), shares_frozen=0, shares_eligible=Decimal(10**18), amount_won=600,
        )  # fmt: skip

    @cached_property
    def takedown(self) -> Any:
        from sangsaeng.contributions import services as contributions

        return contributions.takedown_report(
            reporter=self.a, reason="개인정보가 들어 있어요", contribution_id=self.contribution.public_id
        )

    # --- more drawer, chat, pay, search, LM, MFA ---------------------------------------------
    @cached_property
    def other_item(self) -> Any:
        """An item of A's that A's share link does not share."""
        from sangsaeng.drawer import services as drawer

        self.share
        path = self.tmp_path / "o.jpg"
        path.write_bytes(jpeg_bytes("blue"))
        return drawer.item_create(owner=self.a, path=path, name="o.jpg")

    @cached_property
    def dav_path(self) -> str:
        """The WebDAV path of A's item, in A's namespace (B names the same path in B's own)."""
        return f"/{self.item.name}"

    @cached_property
    def media_message(self) -> Any:
        from sangsaeng.messaging import services as messaging

        return messaging.message_attach(
            actor=self.a,
            conversation_id=self.conversation.public_id,
            name="p.png",
            data=png_bytes(),
            content_type="image/png",
        )

    @cached_property
    def pending_payment(self) -> Any:
        """A card payment of A's still waiting for Toss (the payments tests' fake Toss)."""
        from sangsaeng.payments import services as payments

        self.fixture("toss")
        return payments.payment_create(
            payer=self.a,
            payee_ref=payments.user_ref(self.operator),
            amount=1000,
            method="card",
            purpose="matrix",
            idempotency_key="matrix-card",
        )

    @cached_property
    def synonym(self) -> Any:
        from sangsaeng.search import services as search

        return search.synonym_create(actor=self.operator, terms="감귤, 귤")

    @cached_property
    def lm_key(self) -> Any:
        from sangsaeng.lm.services import key_create

        return key_create(owner=self.a, label="에이 키")

    @cached_property
    def webauthn_key(self) -> Any:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.create(
            user=self.a, type=Authenticator.Type.WEBAUTHN, data={"name": "A's key", "credential": {}}
        )

    # --- sync: A's partner app, and A linked to a partner -------------------------------------
    @cached_property
    def shop(self) -> Any:
        from sangsaeng.sync.tests.conftest import make_shop

        return make_shop(self.a, name="에이샵")

    @cached_property
    def partner(self) -> Any:
        return self.shop.partner

    @cached_property
    def term(self) -> Any:
        return self.partner.terms.get(tag="tos")

    @cached_property
    def oidc_a_tokens(self) -> dict[str, Any]:
        """A signed in to A's own partner app through the whole OIDC flow."""
        from sangsaeng.sync.tests.conftest import sign_in

        return sign_in(Client(), self.a, self.shop)

    @cached_property
    def link(self) -> Any:
        from sangsaeng.sync.models import Link

        self.oidc_a_tokens
        return Link.objects.get(user=self.a)

    @cached_property
    def b_shop(self) -> Any:
        from sangsaeng.sync.tests.conftest import make_shop

        return make_shop(self.b, name="비샵", redirect="https://b.example/cb")

    @cached_property
    def oidc_revoke_body(self) -> dict[str, str]:
        """B's client, authenticated, asking to revoke A's access token (issued to A's client)."""
        return {
            "token": self.oidc_a_tokens["access_token"],
            "client_id": self.b_shop.client_id,
            "client_secret": self.b_shop.secret,
        }

    @cached_property
    def oidc_introspect_body(self) -> dict[str, str]:
        return self.oidc_revoke_body

    # --- vault --------------------------------------------------------------------------------
    @cached_property
    def vault_a(self) -> Any:
        """A's vault and A's Bitwarden client."""
        from sangsaeng.vault.tests.conftest import BitwardenClient, make_vault, token_login

        keys = make_vault(self.a)
        client = BitwardenClient(token_login(keys).json()["access_token"])
        return keys, client

    @cached_property
    def vault_device(self) -> Any:
        from sangsaeng.vault.models import Device

        self.vault_a
        return Device.objects.get(account__user=self.a)

    @cached_property
    def folder(self) -> Any:
        from sangsaeng.vault.models import Folder

        keys, client = self.vault_a
        return Folder.objects.get(public_id=client.post("/vault/api/folders", {"name": keys.seal("일")}).json()["id"])

    def _cipher(self, name: str) -> Any:
        from sangsaeng.vault.models import Cipher
        from sangsaeng.vault.tests.test_ciphers import login_item

        keys, client = self.vault_a
        return Cipher.objects.get(public_id=client.post("/vault/api/ciphers", login_item(keys, name=name)).json()["id"])

    @cached_property
    def cipher(self) -> Any:
        return self._cipher("네이버")

    @cached_property
    def trashed_cipher(self) -> Any:
        cipher = self._cipher("다음")
        self.vault_a[1].put(f"/vault/api/ciphers/{cipher.public_id}/delete")
        cipher.refresh_from_db()
        return cipher

    @cached_property
    def attachment(self) -> Any:
        from django.test.client import MULTIPART_CONTENT

        from sangsaeng.vault.models import Attachment

        keys, client = self.vault_a
        cipher = self.cipher
        announced = client.post(
            f"/vault/api/ciphers/{cipher.public_id}/attachment/v2",
            {"key": keys.seal("k"), "fileName": keys.seal("a.pdf"), "fileSize": 5, "adminRequest": False},
        ).json()
        client.post(
            f"/vault/api/ciphers/{cipher.public_id}/attachment/{announced['attachmentId']}",
            {"data": SimpleUploadedFile("blob", b"12345")},
            content_type=MULTIPART_CONTENT,
        )
        return Attachment.objects.get(public_id=announced["attachmentId"])

    @cached_property
    def vault_b_keys(self) -> Any:
        from sangsaeng.vault.tests.conftest import make_vault

        return make_vault(self.b)

    @cached_property
    def vault_b(self) -> Any:
        from sangsaeng.vault.tests.conftest import BitwardenClient, token_login

        return BitwardenClient(token_login(self.vault_b_keys, device="dev-b").json()["access_token"])

    @cached_property
    def b_cipher_body(self) -> dict[str, Any]:
        """A valid cipher as B's client would send it, so B's write reaches the ownership check."""
        from sangsaeng.vault.tests.test_ciphers import login_item

        return login_item(self.vault_b_keys, name="B")

    # --- tus and WebDAV -----------------------------------------------------------------------
    @cached_property
    def upload(self) -> Any:
        """A's tus upload in progress."""
        from sangsaeng.drawer.models import Upload

        _token, secret = token_create(user=self.a, label="a's tus")
        response = Client().post(
            "/files/",
            headers={
                "Tus-Resumable": "1.0.0",
                "Upload-Length": "10",
                "Authorization": f"Bearer {secret}",
                "Upload-Metadata": "filename YS50eHQ=",
            },
        )
        return Upload.objects.get(public_id=response["Location"].rstrip("/").rsplit("/", 1)[1])

    @cached_property
    def tus_b(self) -> Client:
        _token, secret = token_create(user=self.b, label="b's tus")
        return Client(headers={"Tus-Resumable": "1.0.0", "Authorization": f"Bearer {secret}"})

    @cached_property
    def dav_b(self) -> Client:
        import base64

        from sangsaeng.drawer.app_passwords import app_password_create

        _row, secret = app_password_create(owner=self.b, label="b's phone")
        basic = base64.b64encode(f"{self.b.email}:{secret}".encode()).decode()
        return Client(headers={"Authorization": f"Basic {basic}"})
