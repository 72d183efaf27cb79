"""Business cards exchanged in chat end up in the receiver's card book; chat media land in each
member's Drawer under 채팅 미디어."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT
from PIL import Image

from sangsaeng.business_cards import selectors as card_selectors
from sangsaeng.business_cards import services as card_services
from sangsaeng.core.errors import Problem
from sangsaeng.drawer import services as drawer
from sangsaeng.messaging import services
from sangsaeng.messaging.cards import card_kinds
from sangsaeng.messaging.models import Attachment, Message
from sangsaeng.messaging.serialize import message_dict

pytestmark = pytest.mark.django_db
BASE = "/api/v1/messaging"


def test_a_business_card_shared_in_chat_is_saved_to_the_receivers_card_book(api_alice, api_bob, alice, bob):
    # given alice's card and a conversation with bob
    card = card_services.card_create(
        owner=alice, data={"name": "김앨리스", "company": "상생 주식회사", "title": "팀장"}
    )
    conversation = services.conversation_direct_open(actor=alice, other=bob)
    # when alice shares it and bob taps "save to my card book"
    sent = api_alice.post(
        f"{BASE}/conversations/{conversation.public_id}/messages",
        {"kind": "business_card", "card": {"card_id": str(card.public_id)}},
    )
    assert sent.status_code == 201
    body = sent.json()
    assert body["card"]["card"]["name"] == "김앨리스" and body["card"]["sd_jwt"]
    assert "내 명함첩에 저장" in body["card_html"] and "김앨리스" in body["card_html"]
    saved = api_bob.post(f"{BASE}/messages/{body['id']}/card/save")
    # then the card is in bob's card book
    assert saved.json() == {"result": "saved_to_card_book"}
    assert [e.card.public_id for e in card_selectors.book_list(holder=bob, query="", tag="")] == [card.public_id]


def test_nobody_shares_someone_elses_card(alice, bob):
    card = card_services.card_create(owner=bob, data={"name": "밥"})
    conversation = services.conversation_direct_open(actor=alice, other=bob)
    with pytest.raises(Problem) as caught:
        services.message_post(
            actor=alice,
            conversation_id=conversation.public_id,
            kind="business_card",
            card={"card_id": str(card.public_id)},
        )
    assert caught.value.code == "not_found"
    assert Message.objects.count() == 0


def test_card_kinds_are_registered():
    assert "business_card" in card_kinds()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 80, 40)).save(out, "JPEG")
    return out.getvalue()


def test_a_photo_lands_in_every_members_drawer_once(alice, bob, charlie, client):
    group = services.conversation_group_create(actor=alice, title="사진방", members=[bob, charlie])
    photo = _jpeg()
    message = services.message_attach(
        actor=alice, conversation_id=group.public_id, name="바다.jpg", data=photo, content_type="image/jpeg"
    )
    assert message.kind == "image"
    copies = {a.user.email: a for a in Attachment.objects.filter(message=message)}
    assert set(copies) == {"alice@example.com", "bob@example.com", "charlie@example.com"}
    for user in (alice, bob, charlie):
        item = drawer.access_item(actor=user, id=copies[user.email].drawer_item_id)
        assert (item.folder, item.name, item.size) == ("채팅 미디어", "바다.jpg", len(photo))
    # the same photo again costs nothing new: the Drawer keeps one blob per owner
    again = services.message_attach(
        actor=alice, conversation_id=group.public_id, name="바다.jpg", data=photo, content_type="image/jpeg"
    )
    first_bob = drawer.access_item(actor=bob, id=copies["bob@example.com"].drawer_item_id)
    second_bob = drawer.access_item(actor=bob, id=Attachment.objects.get(message=again, user=bob).drawer_item_id)
    assert first_bob.blob_id == second_bob.blob_id
    # each member opens the file from their own copy
    client.force_login(bob)
    response = client.get(message_dict(message)["media"]["url"])
    assert response.status_code == 302 and str(copies["bob@example.com"].drawer_item_id) in response["Location"]


def test_attachments_over_the_api_and_their_limits(api_alice, api_bob, alice, bob, settings):
    conversation = services.conversation_direct_open(actor=alice, other=bob)
    url = f"{BASE}/conversations/{conversation.public_id}/attachments"
    sent = api_alice.post(
        url,
        {"file": SimpleUploadedFile("계약서.pdf", b"%PDF-1.4 hello", "application/pdf"), "text": "계약서"},
        content_type=MULTIPART_CONTENT,
    )
    assert sent.status_code == 201, sent.content
    assert sent.json()["kind"] == "file" and sent.json()["media"]["name"] == "계약서.pdf"
    settings.MESSAGING_ATTACHMENT_MAX_BYTES = 10
    too_big = api_alice.post(url, {"file": SimpleUploadedFile("큰파일.bin", b"x" * 11)}, content_type=MULTIPART_CONTENT)
    assert (too_big.status_code, too_big.json()["code"]) == (413, "attachment_too_large")
    assert Message.objects.count() == 1
