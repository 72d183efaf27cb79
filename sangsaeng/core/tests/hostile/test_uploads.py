"""Every file of the hostile corpus through every upload surface that could receive it.

Surfaces that take images for display (product photos, channel logos, broadcast images, business
card photos, drops artwork, identity documents) refuse each hostile file with a problem and store
nothing, except the few that really are valid images (polyglots, a JPEG with huge EXIF): those may
be accepted, but only as a clean re-encoding without the smuggled payload. Surfaces that are a
file store (Drawer upload page, tus, WebDAV, chat media) keep the bytes as they came, and their
processing marks each unreadable one failed with a reason. Contributions take text only. After
each file the server answers /healthz, and every request is quick (bombs are not decoded).
"""

from __future__ import annotations

import base64
import io
import mimetypes
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import MULTIPART_CONTENT
from PIL import Image

from conftest import PASSWORD, ApiClient
from sangsaeng.accounts.services import token_create, user_create
from sangsaeng.core.tests.hostile.conftest import FILES, assert_healthy, assert_problem, corpus

pytestmark = pytest.mark.django_db

SLOW_S = 5.0  # any single hostile request slower than this means something was decoded in full
VALID_IMAGES = frozenset({"png_zip_polyglot.png", "gif_html_polyglot.gif", "jpeg_huge_exif.jpg"})
SMUGGLED = (b"<script", b"<html", b"PK\x03\x04", b"alert(")


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=_content_type(name))


def assert_clean_image(data: bytes, *, max_edge: int = 4096, reencoded: bool = True) -> None:
    """An accepted copy of a hostile-but-valid image: decodable, small, and (re-encoded) without the
    payload that rode along."""
    for needle in SMUGGLED if reencoded else ():
        assert needle not in data, needle
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) <= max_edge
        image.load()
        assert not reencoded or len(image.info.get("exif", b"")) < 4096


@dataclass
class World:
    alice: Any
    api: ApiClient
    web: Client
    ids: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Surface:
    name: str
    send: Callable[[World, str, bytes], Any]
    stored: Callable[[World], list[bytes]]  # what the surface keeps, to compare before and after
    accepts: frozenset[str] = frozenset()  # corpus files it may accept (then only cleaned)


def _world(db, *, objects: bool = True) -> World:
    """Alice with an API token and a session; with `objects`, the things each image surface needs."""
    from sangsaeng.business_cards import services as cards
    from sangsaeng.commerce import services as commerce
    from sangsaeng.drops import services as drops
    from sangsaeng.partners import services as partners

    alice = user_create(email="alice@example.com", password=PASSWORD, display_name="앨리스", verified=True)
    _token, secret = token_create(user=alice, label="hostile")
    web = Client()
    web.force_login(alice)
    world = World(alice=alice, api=ApiClient(secret), web=web)
    if not objects:
        return world
    operator = user_create(email="op@example.com", password=PASSWORD, display_name="운영자", verified=True, staff=True)
    channel = partners.channel_create(owner=alice, name="상생마켓", handle="hostile-market")
    store = commerce.store_open(actor=alice, channel_id=channel.public_id)
    product = commerce.product_create(
        actor=alice,
        store_id=store.public_id,
        data={"title": "녹차", "variants": [{"sku": "T1", "price": 1000, "stock": 1}]},
    )
    broadcast = partners.broadcast_create(
        actor=alice, channel_id=channel.public_id, text="예약 글", scheduled_at=_tomorrow()
    )
    card = cards.card_create(owner=alice, data={"name": "김상생"})
    profile = drops.creator_apply(user=alice, display_name="앨리스", portfolio_url="https://a.example")
    drops.creator_review(operator=operator, creator_id=profile.public_id, approve=True)
    world.ids.update(channel=channel, product=product, broadcast=broadcast, card=card)
    return world


def _tomorrow():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(days=1)


# ---- image surfaces: refuse or re-encode ---------------------------------------------------------


def _product_send(w: World, name: str, data: bytes):
    url = f"/api/v1/commerce/products/{w.ids['product'].public_id}/images"
    return w.api.post(url, {"image": _upload(name, data)}, content_type=MULTIPART_CONTENT)


def _product_stored(w: World) -> list[bytes]:
    from sangsaeng.commerce.models import ProductImage
    from sangsaeng.drawer.blobs import blob_read
    from sangsaeng.drawer.models import Item

    ids = list(ProductImage.objects.filter(product=w.ids["product"]).values_list("drawer_item_id", flat=True))
    return [blob_read(i.blob) for i in Item.objects.filter(public_id__in=ids)]


def _logo_send(w: World, name: str, data: bytes):
    url = f"/api/v1/partners/channels/{w.ids['channel'].public_id}/logo"
    return w.api.post(url, {"image": _upload(name, data)}, content_type=MULTIPART_CONTENT)


def _logo_stored(w: World) -> list[bytes]:
    from sangsaeng.partners.models import Channel

    logo = Channel.objects.get(pk=w.ids["channel"].pk).logo
    return [bytes(logo)] if logo else []


def _broadcast_send(w: World, name: str, data: bytes):
    url = f"/api/v1/partners/broadcasts/{w.ids['broadcast'].public_id}/images"
    return w.api.post(url, {"image": _upload(name, data)}, content_type=MULTIPART_CONTENT)


def _broadcast_stored(w: World) -> list[bytes]:
    from sangsaeng.partners.models import BroadcastImage

    return [bytes(i.data) for i in BroadcastImage.objects.filter(broadcast=w.ids["broadcast"])]


def _card_send(w: World, name: str, data: bytes):
    url = f"/api/v1/cards/{w.ids['card'].public_id}/photo"
    return w.api.post(url, {"photo": _upload(name, data)}, content_type=MULTIPART_CONTENT)


def _card_stored(w: World) -> list[bytes]:
    from sangsaeng.business_cards.models import Card

    photo = Card.objects.get(pk=w.ids["card"].pk).photo
    return [bytes(photo)] if photo else []


def _artwork_send(w: World, name: str, data: bytes):
    return w.api.post(
        "/api/v1/drops/artworks", {"title": "작품", "file": _upload(name, data)}, content_type=MULTIPART_CONTENT
    )


def _artwork_stored(w: World) -> list[bytes]:
    from sangsaeng.drops.models import Artwork

    return [a.preview.read() for a in Artwork.objects.all()]


def _document_send(w: World, name: str, data: bytes):
    form = {"document_type": "resident", "name": "김상생", "birthdate": "1990-01-02", "document": _upload(name, data)}
    return w.web.post("/identity/document/", form)


def _document_stored(w: World) -> list[bytes]:
    from sangsaeng.identity import services as identity
    from sangsaeng.identity.models import DocumentReview

    return [
        identity.document_read(actor=w.alice, review_id=r.public_id)[0]
        for r in DocumentReview.objects.filter(user=w.alice)
    ]


NO_GIF = frozenset(VALID_IMAGES - {"gif_html_polyglot.gif"})
IMAGE_SURFACES = [
    Surface("commerce.product_image", _product_send, _product_stored, NO_GIF),
    Surface("partners.channel_logo", _logo_send, _logo_stored, frozenset(VALID_IMAGES)),
    Surface("partners.broadcast_image", _broadcast_send, _broadcast_stored, frozenset(VALID_IMAGES)),
    Surface("business_cards.photo", _card_send, _card_stored, NO_GIF),
    # drops keeps a video or audio ffmpeg can't read, with a generic preview card (its owner's choice,
    # tested in drops/tests/test_media.py); what it shows the public is still a clean image
    Surface("drops.artwork", _artwork_send, _artwork_stored, VALID_IMAGES | {"mp4_corrupt.mp4", "mp4_truncated.mp4"}),
    Surface("identity.document", _document_send, _document_stored, NO_GIF),
]


@pytest.mark.parametrize("surface", IMAGE_SURFACES, ids=lambda s: s.name)
def test_image_surfaces_refuse_every_hostile_file_or_keep_only_a_clean_copy(db, surface, settings):
    world = _world(db)
    for name in FILES:
        data = corpus(name)
        before = surface.stored(world)
        started = time.monotonic()
        response = surface.send(world, name, data)
        elapsed = time.monotonic() - started
        assert elapsed < SLOW_S, (surface.name, name, elapsed)
        after = surface.stored(world)
        if response.status_code < 300 or (response.status_code == 302 and surface.name == "identity.document"):
            assert name in surface.accepts, (surface.name, name, "was accepted")
            fresh = list((Counter(after) - Counter(before)).elements())
            assert len(fresh) == 1, (surface.name, name)
            if surface.name == "identity.document":
                # the original is kept as evidence for the reviewer (encrypted, shown only to operators),
                # so only its being a real image of sane size is checked
                assert_clean_image(fresh[0], reencoded=False)
            else:
                assert_clean_image(fresh[0])
            continue
        if surface.name == "identity.document":  # a page: the form shows the error, nothing is kept
            assert response.status_code == 400, (name, response.status_code)
            assert b"errorlist" in response.content or b"error" in response.content
        else:
            assert_problem(response)
        assert after == before, (surface.name, name, "stored something it refused")
    assert_healthy(world.api)


# ---- file stores: keep the bytes, process without crashing -------------------------------------


def _tus_send(client: Client, name: str, data: bytes):
    meta = f"filename {base64.b64encode(name.encode()).decode()}"
    tus: dict[str, Any] = {"HTTP_TUS_RESUMABLE": "1.0.0"}
    created = client.post(
        "/files/", data=b"", content_type="", HTTP_UPLOAD_LENGTH=str(len(data)), HTTP_UPLOAD_METADATA=meta, **tus
    )
    assert created.status_code == 201, created.content
    return client.generic(
        "PATCH",
        created["Location"],
        data,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET="0",
        **tus,
    )


@pytest.mark.parametrize("via", ["upload_page", "tus", "webdav", "chat_media"])
def test_file_stores_keep_hostile_files_and_mark_unreadable_media_failed(
    db, via, settings, django_capture_on_commit_callbacks
):
    from sangsaeng.drawer.app_passwords import app_password_create
    from sangsaeng.drawer.blobs import blob_read
    from sangsaeng.drawer.models import Item

    world = _world(db, objects=False)
    bob = user_create(email="bob@example.com", password=PASSWORD, display_name="밥", verified=True)
    dav: dict[str, Any] = {
        "HTTP_AUTHORIZATION": "Basic "
        + base64.b64encode(
            f"alice@example.com:{app_password_create(owner=world.alice, label='p')[1]}".encode()
        ).decode()
    }
    from sangsaeng.messaging import services as messaging

    conversation = messaging.conversation_direct_open(actor=world.alice, other=bob)
    # the processing after upload is the same for every way in: run it once (upload page), with a
    # warm-up file first so that loading the search tokenizer isn't counted against a hostile file
    process = via == "upload_page"
    with django_capture_on_commit_callbacks(execute=process):
        world.web.post("/drawer/upload", {"files": [_upload("warm.jpg", corpus("png_zip_polyglot.png"))]})
    for name in FILES:
        data = corpus(name)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=process):
            if via == "upload_page":
                response = world.web.post("/drawer/upload", {"files": [_upload(name, data)]})
                assert response.status_code in (200, 302), response.content[:300]
            elif via == "tus":
                response = _tus_send(world.web, name, data)
                assert response.status_code == 204, response.content[:300]
            elif via == "webdav":
                response = world.web.generic("PUT", f"/dav/{name}", data, content_type=_content_type(name), **dav)
                assert response.status_code == 201, response.content[:300]
            else:
                url = f"/api/v1/messaging/conversations/{conversation.public_id}/attachments"
                response = world.api.post(url, {"file": _upload(name, data)}, content_type=MULTIPART_CONTENT)
                assert response.status_code == 201, response.content[:300]
        elapsed = time.monotonic() - started
        assert elapsed < SLOW_S, (via, name, elapsed)
        item = Item.objects.filter(owner=world.alice, name=name).order_by("-created_at").first()
        assert item is not None, (via, name)
        assert blob_read(item.blob) == data  # a backup keeps the original as it came
        if process and name in VALID_IMAGES:
            assert item.status == "ready", (via, name, item.status, item.failure_reason)
        elif process and item.kind in ("image", "video"):
            assert item.status == "failed" and item.failure_reason, (via, name, item.status)
        # what it serves back is never rendered as a page by the browser
        got = world.web.get(f"/drawer/items/{item.public_id}/file/original")
        assert got.status_code == 200, (via, name)
        assert got["X-Content-Type-Options"] == "nosniff"
        assert "text/html" not in got["Content-Type"], (name, got["Content-Type"])
        assert got["Content-Disposition"].startswith("attachment"), (name, "an SVG or HTML would run inline")
    assert_healthy(world.api)


# ---- contributions: text only ---------------------------------------------------------------------


def test_contributions_refuse_every_binary_file_even_named_txt(db):
    from sangsaeng.contributions.models import Contribution

    world = _world(db, objects=False)
    text_like = {"html_as.jpg", "svg_script.svg"}
    for name in FILES:
        for as_name in (name, f"{name}.txt", f"{name}.jsonl"):
            form = {"file": _upload(as_name, corpus(name)), "licence": "cc0", "licence_accepted": "true"}
            started = time.monotonic()
            response = world.api.post("/api/v1/contributions/upload", form, content_type=MULTIPART_CONTENT)
            assert time.monotonic() - started < SLOW_S
            if name in text_like and as_name.endswith(".txt"):
                assert response.status_code == 202, response.content[:300]
                continue
            body = assert_problem(response)
            assert body["code"] in {"binary_file", "unsupported_type", "wrong_encoding", "invalid_jsonl"}, body
    assert Contribution.objects.filter(owner=world.alice).count() == len(text_like)
    assert_healthy(world.api)


def test_a_contribution_line_nested_100k_deep_is_a_problem_not_a_crash(db):
    world = _world(db, objects=False)
    raw = ("[" * 100_000 + "]" * 100_000 + "\n").encode()
    form = {"file": _upload("deep.jsonl", raw), "licence": "cc0", "licence_accepted": "true"}
    response = world.api.post("/api/v1/contributions/upload", form, content_type=MULTIPART_CONTENT)
    assert assert_problem(response)["code"] == "invalid_jsonl"
    pasted = world.api.post(
        "/api/v1/contributions",
        {"text": raw.decode(), "format": "jsonl", "licence": "cc0", "licence_accepted": True},
    )
    assert assert_problem(pasted)["code"] in {"invalid_jsonl", "json_too_deep"}
