"""Signed webhooks against a real local HTTP server: signature, retries, delivery log."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from sangsaeng.core import webhooks
from sangsaeng.core.errors import Problem
from sangsaeng.core.models import WebhookDelivery

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.requests: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver_factory():
    made = []

    def make(statuses=()):
        r = Receiver(statuses)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def test_a_delivery_is_signed_and_verifiable(alice, receiver_factory):
    receiver = receiver_factory([200])
    endpoint, secret = webhooks.endpoint_create(owner=alice, url=receiver.url, events=["order_paid"])
    delivery = webhooks.delivery_enqueue(endpoint=endpoint, event="order_paid", payload={"order": "A-1", "won": 12000})
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    headers, body = receiver.requests[0]
    assert headers["Sangsaeng-Event"] == "order_paid"
    assert headers["Sangsaeng-Delivery"] == str(delivery.public_id)
    assert webhooks.signature_verify(secret=secret, header=headers["Sangsaeng-Signature"], body=body)
    assert not webhooks.signature_verify(secret="whsec_wrong", header=headers["Sangsaeng-Signature"], body=body)
    assert not webhooks.signature_verify(secret=secret, header=headers["Sangsaeng-Signature"], body=body + b" ")
    assert json.loads(body)["data"] == {"order": "A-1", "won": 12000}


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(alice, receiver_factory):
    receiver = receiver_factory([500, 503, 200])
    endpoint, _ = webhooks.endpoint_create(owner=alice, url=receiver.url, events=[])
    delivery = webhooks.delivery_enqueue(endpoint=endpoint, event="ping", payload={})
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.attempts == 1
    assert delivery.next_attempt_at is not None and delivery.next_attempt_at > timezone.now()
    # not due yet: the sweeper leaves it alone
    assert webhooks.webhook_sweep() == 0
    for _ in range(2):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        webhooks.webhook_sweep()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert [entry.get("status") for entry in delivery.log] == [500, 503, 200]
    assert len(receiver.requests) == 3
    # every retry carries the same delivery id, so the receiver can de-duplicate
    assert len({h["Sangsaeng-Delivery"] for h, _ in receiver.requests}) == 1


def test_an_unreachable_receiver_gives_up_after_the_maximum(alice, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    endpoint, _ = webhooks.endpoint_create(owner=alice, url="http://127.0.0.1:9/closed", events=[])
    delivery = webhooks.delivery_enqueue(endpoint=endpoint, event="ping", payload={})
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    webhooks.webhook_sweep()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert all("error" in entry for entry in delivery.log)


def test_backoff_grows():
    assert webhooks.backoff(1) < webhooks.backoff(4) < webhooks.backoff(8)
    assert webhooks.backoff(30) <= timedelta(seconds=3600 * 1.2)


def test_private_targets_are_refused_in_production(alice, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(Problem) as info:
        webhooks.endpoint_create(owner=alice, url="http://127.0.0.1:8000/x", events=[])
    assert info.value.code == "invalid_webhook_url"


def test_the_secret_is_encrypted_at_rest(alice):
    endpoint, secret = webhooks.endpoint_create(owner=alice, url="http://127.0.0.1:1/x", events=[])
    assert secret not in endpoint.secret_encrypted
    assert webhooks.endpoint_secret(endpoint) == secret


def test_webhook_api_keeps_users_apart(api_alice, api_bob, alice):
    created = api_alice.post("/api/v1/webhooks", data={"url": "http://127.0.0.1:1/x", "events": ["order_paid"]})
    assert created.status_code == 201
    assert created.json()["secret"].startswith("whsec_")
    endpoint_id = created.json()["id"]
    assert api_bob.get(f"/api/v1/webhooks/{endpoint_id}/deliveries").status_code == 404
    assert api_bob.delete(f"/api/v1/webhooks/{endpoint_id}").status_code == 404
    assert api_bob.get("/api/v1/webhooks").json() == []
    assert len(api_alice.get("/api/v1/webhooks").json()) == 1
    assert api_alice.delete(f"/api/v1/webhooks/{endpoint_id}").status_code == 204
