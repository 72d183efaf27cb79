import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, RefreshToken

from sangsaeng.accounts.services import user_delete
from sangsaeng.core.models import WebhookDelivery
from sangsaeng.sync import services
from sangsaeng.sync.claims import pairwise_sub
from sangsaeng.sync.models import Consent, Link

from .conftest import id_token_claims, make_shop, sign_in

pytestmark = pytest.mark.django_db

DOWN = "http://127.0.0.1:9/sync/unlink"  # the discard port: nothing listens, every attempt fails fast


def _with_webhook(shop, owner):
    services.partner_set_unlink_webhook(actor=owner, partner_id=shop.partner.public_id, url=DOWN)
    shop.partner.refresh_from_db()
    return shop


def test_unlinking_revokes_tokens_and_queues_a_signed_webhook(
    client, alice, bob, shop, django_capture_on_commit_callbacks
):
    # given
    _with_webhook(shop, bob)
    body = sign_in(client, alice, shop)
    sub = id_token_claims(client, body["id_token"])["sub"]
    link = Link.objects.get(user=alice)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/sync/{link.public_id}/unlink")
    # then
    assert response.status_code == 302
    assert not AccessToken.objects.filter(user=alice).exists()
    assert not RefreshToken.objects.filter(user=alice, revoked__isnull=True).exists()
    assert Client().get("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}").status_code == 401
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "sync.user_unlinked"
    assert delivery.payload["user_id"] == sub
    assert delivery.payload["app_id"] == shop.client_id
    assert delivery.payload["referrer_type"] == "UNLINK_FROM_APPS"
    assert delivery.payload["reason"] == "user_unlinked"
    assert delivery.attempts == 1
    assert delivery.status == WebhookDelivery.Status.PENDING  # the shop is down: retried later
    assert delivery.next_attempt_at is not None


def test_after_unlinking_the_next_sign_in_is_new_again(client, alice, shop):
    sign_in(client, alice, shop)
    services.link_unlink(actor=alice, link_id=Link.objects.get(user=alice).public_id)
    body = sign_in(client, alice, shop)
    assert id_token_claims(client, body["id_token"])["is_new_user"] is True


def test_another_users_link_is_404_and_untouched(client, alice, bob, shop):
    sign_in(client, alice, shop)
    link = Link.objects.get(user=alice)
    client.force_login(bob)
    assert client.post(f"/sync/{link.public_id}/unlink").status_code == 404
    assert client.post(f"/sync/{link.public_id}/withdraw", {"item": "shipping_address"}).status_code == 404
    link.refresh_from_db()
    assert link.unlinked_at is None
    assert AccessToken.objects.filter(user=alice).count() == 1
    assert Consent.objects.get(link=link, item="shipping_address").withdrawn_at is None


def test_account_deletion_unlinks_every_partner_with_account_deleted(
    client, alice, bob, shop, django_capture_on_commit_callbacks
):
    other = _with_webhook(make_shop(bob, name="둘째가게", redirect="https://two.example/cb"), bob)
    _with_webhook(shop, bob)
    sign_in(client, alice, shop)
    sign_in(client, alice, other)
    public_id = alice.public_id
    # when
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=alice)
    # then
    assert not Link.objects.filter(user=alice, unlinked_at__isnull=True).exists()
    assert not AccessToken.objects.filter(user=alice).exists()
    payloads = sorted((d.payload for d in WebhookDelivery.objects.all()), key=lambda p: p["app_id"])
    assert [p["referrer_type"] for p in payloads] == ["ACCOUNT_DELETE", "ACCOUNT_DELETE"]
    assert {p["app_id"] for p in payloads} == {shop.client_id, other.client_id}
    assert {p["user_id"] for p in payloads} == {
        pairwise_sub(sector=shop.client_id, user_public_id=public_id),
        pairwise_sub(sector=other.client_id, user_public_id=public_id),
    }


def test_withdrawing_an_optional_item_stops_its_claims_at_once(client, alice, shop):
    body = sign_in(client, alice, shop)
    token = {"Authorization": f"Bearer {body['access_token']}"}
    assert Client().get("/oauth/v1/user/shipping_addresses", headers=token).status_code == 200
    link = Link.objects.get(user=alice)
    # when
    response = client.post(f"/sync/{link.public_id}/withdraw", {"item": "shipping_address"})
    # then
    assert response.status_code == 302
    denied = Client().get("/oauth/v1/user/shipping_addresses", headers=token)
    assert denied.status_code == 403
    assert denied.json()["error"] == "insufficient_scope"
    assert Client().get("/oauth/userinfo/", headers=token).json()["shipping_address_needs_agreement"] is True


def test_a_required_item_cannot_be_withdrawn(client, alice, shop):
    sign_in(client, alice, shop)
    link = Link.objects.get(user=alice)
    response = client.post(f"/sync/{link.public_id}/withdraw", {"item": "email"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert Consent.objects.get(link=link, item="email").withdrawn_at is None


def test_incremental_consent_asks_only_later_for_a_declined_item(client, alice, shop):
    sign_in(client, alice, shop, items=("profile", "email"))
    # the shop asks again at checkout
    from .conftest import authorize_url, consent_post, pkce_pair, redirect_params

    page = client.get(authorize_url(shop, challenge=pkce_pair()[1], prompt="consent"))
    checked = {e["item"]: e["checked"] for e in page.context["consent_items"]}
    assert checked == {"profile": True, "email": True, "shipping_address": False}
    redirect_params(consent_post(client, page, items=("profile", "email", "shipping_address")))
    assert Consent.objects.get(link__user=alice, item="shipping_address").granted is True


def test_connected_services_page_lists_partner_items_and_agreements(client, alice, shop):
    sign_in(client, alice, shop, terms=("tos", "marketing"))
    page = client.get("/sync/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "상생마켓" in html
    assert "배송지 정보" in html
    assert "마케팅 수신" in html
    assert 'data-testid="withdraw-shipping_address"' in html
    assert 'data-testid="withdraw-email"' not in html
