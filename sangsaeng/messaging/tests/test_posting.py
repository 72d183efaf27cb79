"""Posting: seq order, idempotent retries, replies, mentions, links, edit and delete windows, kinds."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone

from sangsaeng.core.errors import Problem
from sangsaeng.messaging import selectors, services
from sangsaeng.messaging.models import Link, Message, Reaction

pytestmark = pytest.mark.django_db


def test_messages_get_consecutive_seqs_and_the_sender_has_read_them(alice, bob, direct):
    first = services.message_post(actor=alice, conversation_id=direct.public_id, text="안녕")
    second = services.message_post(actor=bob, conversation_id=direct.public_id, text="반가워")
    assert (first.seq, second.seq) == (1, 2)
    [alice_view] = selectors.conversations_for(alice)
    [bob_view] = selectors.conversations_for(bob)
    assert (alice_view.unread, bob_view.unread) == (1, 0)
    services.conversation_read(actor=alice, conversation_id=direct.public_id, seq=99)
    [alice_view] = selectors.conversations_for(alice)
    assert alice_view.unread == 0 and alice_view.my_last_read_seq == 2


def test_a_retry_with_the_same_client_id_stores_one_message(alice, direct):
    first = services.message_post(actor=alice, conversation_id=direct.public_id, text="한 번만", client_id="c-1")
    again = services.message_post(actor=alice, conversation_id=direct.public_id, text="한 번만", client_id="c-1")
    assert first.pk == again.pk
    assert Message.objects.count() == 1


def test_history_pages_before_and_after_a_seq(alice, direct):
    for n in range(1, 8):
        services.message_post(actor=alice, conversation_id=direct.public_id, text=f"메시지 {n}")
    latest = selectors.messages_for(actor=alice, conversation_id=direct.public_id, limit=3)
    assert [m.seq for m in latest] == [5, 6, 7]
    older = selectors.messages_for(actor=alice, conversation_id=direct.public_id, before_seq=5, limit=3)
    assert [m.seq for m in older] == [2, 3, 4]
    newer = selectors.messages_for(actor=alice, conversation_id=direct.public_id, after_seq=5, limit=50)
    assert [m.seq for m in newer] == [6, 7]


def test_replies_mentions_and_links(alice, bob, charlie, direct):
    group = services.conversation_group_create(actor=alice, title="스터디", members=[bob, charlie])
    original = services.message_post(
        actor=alice, conversation_id=group.public_id, text="자료는 https://sangsaeng.kr/docs 에 있어요."
    )
    reply = services.message_post(
        actor=bob, conversation_id=group.public_id, text="@찰리 이거 봤어요?", reply_to=original.public_id
    )
    assert reply.reply_to_id == original.pk
    assert reply.mentions == [str(charlie.public_id)]
    assert sorted(Link.objects.values_list("owner__email", "url")) == [
        ("alice@example.com", "https://sangsaeng.kr/docs"),
        ("bob@example.com", "https://sangsaeng.kr/docs"),
        ("charlie@example.com", "https://sangsaeng.kr/docs"),
    ]
    with pytest.raises(Problem) as caught:
        services.message_post(actor=bob, conversation_id=group.public_id, text="x", reply_to=direct.public_id)
    assert caught.value.code == "reply_not_found"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"text": "가" * 4001}, "message_too_long"),
        ({"text": "   "}, "empty_message"),
        ({"kind": "sticker_pack", "card": {}}, "unknown_kind"),
        ({"kind": "image"}, "attachment_required"),
        ({"text": "x", "client_id": "no spaces allowed"}, "invalid_field"),
        ({"kind": "business_card", "card": {"card_id": "nope"}}, "invalid_card"),
    ],
)
def test_bad_messages_are_refused_and_nothing_is_stored(alice, direct, kwargs, code):
    with pytest.raises(Problem) as caught:
        services.message_post(actor=alice, conversation_id=direct.public_id, **kwargs)
    assert caught.value.code == code
    assert Message.objects.count() == 0
    direct.refresh_from_db()
    assert direct.last_seq == 0


def test_edit_and_delete_for_everyone_within_the_window(alice, bob, direct, settings):
    message = services.message_post(actor=alice, conversation_id=direct.public_id, text="오타가 잇어요")
    with pytest.raises(Problem):
        services.message_edit(actor=bob, message_id=message.public_id, text="남의 메시지")
    edited = services.message_edit(actor=alice, message_id=message.public_id, text="오타가 있어요")
    assert edited.text == "오타가 있어요" and edited.edited_at is not None
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(seconds=3601))
    with pytest.raises(Problem) as caught:
        services.message_delete(actor=alice, message_id=message.public_id)
    assert caught.value.code == "delete_window_passed"
    assert Message.objects.get(pk=message.pk).deleted_at is None
    settings.MESSAGING_DELETE_WINDOW_SECONDS = 7200
    deleted = services.message_delete(actor=alice, message_id=message.public_id)
    assert deleted.deleted_at is not None
    [shown] = selectors.messages_for(actor=bob, conversation_id=direct.public_id)
    from sangsaeng.messaging.serialize import message_dict

    assert message_dict(shown)["text"] == "" and message_dict(shown)["deleted"] is True


def test_reactions_toggle_once_per_person(alice, bob, direct):
    message = services.message_post(actor=alice, conversation_id=direct.public_id, text="축하해요")
    services.reaction_add(actor=bob, message_id=message.public_id, emoji="🎉")
    services.reaction_add(actor=bob, message_id=message.public_id, emoji="🎉")
    assert Reaction.objects.filter(message=message).count() == 1
    with pytest.raises(Problem) as caught:
        services.reaction_add(actor=bob, message_id=message.public_id, emoji="<b>")
    assert caught.value.code == "invalid_reaction"
    services.reaction_remove(actor=bob, message_id=message.public_id, emoji="🎉")
    assert Reaction.objects.filter(message=message).count() == 0


def test_posting_is_rate_limited_per_user(alice, direct, settings):
    settings.MESSAGING_POSTS_PER_MINUTE = 3
    from sangsaeng.core.ratelimit import RateLimited

    for n in range(3):
        services.message_post(actor=alice, conversation_id=direct.public_id, text=f"{n}")
    with pytest.raises(RateLimited):
        services.message_post(actor=alice, conversation_id=direct.public_id, text="넷")
    assert Message.objects.count() == 3


def test_a_bot_member_posts_without_the_per_user_limit_but_not_across_a_block(alice, bob, charlie, direct, settings):
    # given bob is a service account (the assistant) in a 1:1 with alice
    settings.MESSAGING_POSTS_PER_MINUTE = 1
    # when it speaks more often than a person may, it is heard, and a retry is stored once
    for n in range(3):
        services.message_post_as_bot(sender=bob, conversation_id=direct.public_id, text=f"{n}", client_id=f"b{n}")
    services.message_post_as_bot(sender=bob, conversation_id=direct.public_id, text="0", client_id="b0")
    assert list(Message.objects.order_by("seq").values_list("text", flat=True)) == ["0", "1", "2"]
    # then it is still only a member: elsewhere it gets a 404, unknown cards are refused, a block stops it
    with pytest.raises(Problem) as caught:
        services.message_post_as_bot(sender=charlie, conversation_id=direct.public_id, text="끼어들기", client_id="c")
    assert caught.value.status == 404
    with pytest.raises(Problem) as caught:
        services.message_post_as_bot(sender=bob, conversation_id=direct.public_id, card={"kind": "nope"})
    assert caught.value.code == "unknown_kind"
    services.user_block(actor=alice, other=bob)
    with pytest.raises(Problem) as caught:
        services.message_post_as_bot(sender=bob, conversation_id=direct.public_id, text="차단 후")
    assert caught.value.code == "blocked"
    assert Message.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_get_unique_gapless_seqs(alice, bob, settings):
    # every retry of a locked write counts against the per-user post limit; this test is about order
    settings.MESSAGING_POSTS_PER_MINUTE = 100_000
    direct = services.conversation_direct_open(actor=alice, other=bob)
    errors: list[BaseException] = []
    per_thread = 10

    def post(user, tag):
        try:
            for n in range(per_thread):
                deadline = time.monotonic() + 60  # a busy CI machine can hold the lock for a while
                while True:
                    try:
                        services.message_post(
                            actor=user, conversation_id=direct.public_id, text=f"{tag}{n}", client_id=f"{tag}-{n}"
                        )
                        break
                    except OperationalError as exc:
                        # The SQLite *test* database is in-memory with a shared cache, where a
                        # writer gets "table is locked" at once instead of waiting (the file
                        # database in use has busy_timeout). The client_id makes a retry safe,
                        # as it is for real clients. PostgreSQL runs this without any retry.
                        if connection.vendor != "sqlite" or "locked" not in str(exc) or time.monotonic() > deadline:
                            raise
                        time.sleep(0.005)
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=post, args=(user, tag))
        for user, tag in ((alice, "a"), (bob, "b"), (alice, "c"), (bob, "d"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = sorted(Message.objects.filter(conversation=direct).values_list("seq", flat=True))
    assert seqs == list(range(1, 4 * per_thread + 1))
    direct.refresh_from_db()
    assert direct.last_seq == 4 * per_thread
