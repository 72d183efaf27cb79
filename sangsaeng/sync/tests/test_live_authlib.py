"""The whole flow against a live server with an independent OIDC client (Authlib), and the
example shop: sign-in, ID-token verification against the JWKS, userinfo, the address API,
pairwise subjects, and the signed unlink webhook retried while the shop is down."""

import secrets
import socket
import threading
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.oidc.core import CodeIDToken
from django.test import Client
from django.utils import timezone

from examples.partner_shop.shop import Shop, ShopConfig, serve
from sangsaeng.accounts.services import address_create
from sangsaeng.core.models import WebhookDelivery
from sangsaeng.core.webhooks import webhook_sweep
from sangsaeng.sync import services
from sangsaeng.sync.models import Link

from .conftest import make_shop

pytestmark = pytest.mark.django_db(transaction=True)

HOME = {
    "name": "집",
    "base_address": "서울특별시 중구 세종대로 110",
    "detail_address": "3층",
    "zone_number": "04524",
    "receiver_name": "앨리스",
    "receiver_phone_number1": "010-1234-5678",
}


@pytest.fixture(autouse=True)
def _loopback_http(monkeypatch):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")


class _Form(HTMLParser):
    """The consent form's inputs, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and (a.get("type") == "hidden"):
            self.fields.append((a["name"], a.get("value") or ""))


def browser_for(live_server, user):
    """A requests session carrying `user`'s sign-in cookie for the live server."""
    django_client = Client()
    django_client.force_login(user)
    browser = requests.Session()
    browser.cookies.set("sessionid", django_client.cookies["sessionid"].value)
    return browser


def agree(browser, page, items, terms=("tos",)):
    """Tick the boxes and submit the consent screen; returns the response without following it."""
    assert page.status_code == 200, page.text[:300]
    assert "consent-form" in page.text
    form = _Form()
    form.feed(page.text)
    data = [*form.fields, *(("items", i) for i in items), *(("terms", t) for t in terms), ("allow", "on")]
    return browser.post(page.url, data=data, headers={"Referer": page.url}, allow_redirects=False)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def authlib_sign_in(live_server, browser, shop_ns, redirect):
    """Authlib as a public client with PKCE S256: returns (token, verified ID-token claims, session)."""
    meta = requests.get(live_server.url + "/.well-known/openid-configuration").json()
    client = OAuth2Session(
        shop_ns.client_id,
        scope="openid profile email shipping_address",
        redirect_uri=redirect,
        code_challenge_method="S256",
        token_endpoint_auth_method="none",
    )
    verifier, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(12)
    url, state = client.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
    page = browser.get(url, allow_redirects=False)
    response = agree(browser, page, items=("profile", "email", "shipping_address")) if page.status_code == 200 else page
    location = response.headers["Location"]
    assert location.startswith(redirect)
    assert f"state={state}" in location
    token = client.fetch_token(meta["token_endpoint"], authorization_response=location, code_verifier=verifier)
    keys = JsonWebKey.import_key_set(requests.get(meta["jwks_uri"]).json())
    claims = jwt.decode(
        token["id_token"],
        keys,
        claims_cls=CodeIDToken,
        claims_options={"iss": {"essential": True, "value": meta["issuer"]}},
        claims_params={"nonce": nonce, "client_id": shop_ns.client_id},
    )
    claims.validate()
    return token, claims, client, meta


def test_authlib_runs_the_whole_flow_and_subjects_are_pairwise(live_server, alice, bob):
    # given
    address_create(user=alice, data=HOME, is_default=True)
    first = make_shop(bob, name="앱가게", redirect="http://127.0.0.1:1/first", public=True)
    second = make_shop(bob, name="둘째앱", redirect="http://127.0.0.1:1/second", public=True)
    browser = browser_for(live_server, alice)
    # when
    token, claims, client, meta = authlib_sign_in(live_server, browser, first, "http://127.0.0.1:1/first")
    # then: the ID token verified against the JWKS, and the APIs answer
    assert claims["aud"] == first.client_id
    assert claims["is_new_user"] is True
    userinfo = client.get(meta["userinfo_endpoint"]).json()
    assert userinfo["sub"] == claims["sub"]
    assert userinfo["email"] == "alice@example.com"
    address = client.get(live_server.url + "/oauth/v1/user/shipping_addresses/default").json()
    assert address["shipping_address"]["zone_number"] == "04524"
    refreshed = client.refresh_token(meta["token_endpoint"], refresh_token=token["refresh_token"])
    assert refreshed["access_token"] != token["access_token"]
    # and another partner sees another subject for the same user
    _, other_claims, other_client, _ = authlib_sign_in(live_server, browser, second, "http://127.0.0.1:1/second")
    assert other_claims["sub"] != claims["sub"]
    for session in (client, other_client, browser):
        session.close()  # let the live server's request threads finish before the database goes


def test_the_example_shop_signs_in_prefills_checkout_and_gets_the_unlink_webhook(live_server, alice, bob):
    # given: the shop is registered but not running yet
    address_create(user=alice, data=HOME, is_default=True)
    port = free_port()
    shop_ns = make_shop(bob, name="상생마켓", redirect=f"http://127.0.0.1:{port}/callback")
    webhook_secret = services.partner_set_unlink_webhook(
        actor=bob, partner_id=shop_ns.partner.public_id, url=f"http://127.0.0.1:{port}/webhooks/sync-unlink"
    )
    shop = Shop(ShopConfig(live_server.url, shop_ns.client_id, shop_ns.secret, shop_ns.redirect, webhook_secret))
    browser = browser_for(live_server, alice)

    # when the shop is up, the user signs in with Sync
    server = serve(shop, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page = browser.get(f"http://127.0.0.1:{port}/login")
        response = agree(browser, page, items=("profile", "email", "shipping_address"))
        checkout = browser.get(response.headers["Location"])
        # then the checkout is pre-filled
        assert checkout.url.endswith("/checkout"), checkout.text[:300]
        assert 'value="04524"' in checkout.text
        assert 'value="서울특별시 중구 세종대로 110"' in checkout.text
        assert "신규 회원" in checkout.text
        sub = next(iter(shop.customers))
    finally:
        browser.close()
        server.shutdown()
        server.server_close()

    # when the user unlinks while the shop is down
    link = Link.objects.get(user=alice)
    services.link_unlink(actor=alice, link_id=link.public_id)
    webhook_sweep()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert "error" in delivery.log[-1]
    assert shop.unlinked == []

    # then it is retried once the shop is back, and arrives signed
    server = serve(shop, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        webhook_sweep()
    finally:
        server.shutdown()
        server.server_close()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts >= 2
    assert shop.unlinked == [
        {
            "app_id": shop_ns.client_id,
            "user_id": sub,
            "referrer_type": "UNLINK_FROM_APPS",
            "reason": "user_unlinked",
            "unlinked_at": shop.unlinked[0]["unlinked_at"],
        }
    ]
    assert sub not in shop.customers


def test_the_shop_refuses_an_unsigned_or_forged_webhook():
    shop = Shop(ShopConfig("http://127.0.0.1:1", "cid", None, "http://127.0.0.1:1/cb", "whsec_right"))
    body = b'{"id":"d1","event":"sync.user_unlinked","data":{"app_id":"cid","user_id":"u"}}'
    assert shop.receive_unlink({}, body) == 401
    import time

    from sangsaeng.core.webhooks import signature

    forged = signature(secret="whsec_wrong", timestamp=int(time.time()), body=body)
    assert shop.receive_unlink({"sangsaeng-signature": forged}, body) == 401
    good = signature(secret="whsec_right", timestamp=int(time.time()), body=body)
    assert shop.receive_unlink({"sangsaeng-signature": good}, body) == 200
    stale = signature(secret="whsec_right", timestamp=int(time.time()) - 3600, body=body)
    assert shop.receive_unlink({"sangsaeng-signature": stale}, body) == 401
