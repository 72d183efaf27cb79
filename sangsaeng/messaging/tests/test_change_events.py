"""Change events: every change to a conversation's messages takes the next event number, and the
replay window gives each missed change once, new messages in seq order."""

import pytest

from sangsaeng.messaging import selectors, services
from sangsaeng.messaging.models import Conversation

pytestmark = pytest.mark.django_db


def _frames(conversation, after, upto=None):
    conversation = Conversation.objects.get(pk=conversation.pk)
    return [
        (f["type"], f["ev"], f["message"]["seq"], f["message"]["ev"])
        for f in selectors.changes_after(conversation=conversation, after=after, upto=upto)
    ]


def test_each_change_takes_the_next_event_number(alice, bob, direct, api_alice):
    # given
    first = services.message_post(actor=alice, conversation_id=direct.public_id, text="하나")  # ev 1
    second = services.message_post(actor=bob, conversation_id=direct.public_id, text="둘")  # ev 2
    # when
    services.reaction_add(actor=bob, message_id=first.public_id, emoji="👍")  # ev 3
    services.reaction_add(actor=bob, message_id=first.public_id, emoji="👍")  # already there: no event
    services.message_edit(actor=bob, message_id=second.public_id, text="둘!")  # ev 4
    services.reaction_remove(actor=bob, message_id=first.public_id, emoji="👍")  # ev 5
    services.reaction_remove(actor=bob, message_id=first.public_id, emoji="👍")  # nothing to remove: no event
    services.message_delete(actor=alice, message_id=first.public_id)  # ev 6
    services.conversation_read(actor=bob, conversation_id=direct.public_id, seq=2)  # a receipt: no event
    # then
    assert (first.created_ev, second.created_ev) == (1, 2)
    assert Conversation.objects.get(pk=direct.pk).last_ev == 6
    assert _frames(direct, 0) == [("message", 1, 1, 6), ("message", 2, 2, 4)]
    assert _frames(direct, 2) == [("message_updated", 4, 2, 4), ("message_updated", 6, 1, 6)]
    assert _frames(direct, 6) == []
    # and a client loading history over HTTP learns where to resume
    detail = api_alice.get(f"/api/v1/messaging/conversations/{direct.public_id}").json()
    assert (detail["last_seq"], detail["last_ev"]) == (2, 6)


def test_a_bounded_window_leaves_later_changes_to_come(alice, direct):
    first = services.message_post(actor=alice, conversation_id=direct.public_id, text="하나")  # ev 1
    services.message_post(actor=alice, conversation_id=direct.public_id, text="둘")  # ev 2
    services.message_edit(actor=alice, message_id=first.public_id, text="하나!")  # ev 3
    third = services.message_post(actor=alice, conversation_id=direct.public_id, text="셋")  # ev 4
    services.message_edit(actor=alice, message_id=third.public_id, text="셋!")  # ev 5
    # events 2-4: message 2 new; message 1's edit; message 3 new, already in its state of event 5
    assert _frames(direct, 1, upto=4) == [("message", 2, 2, 2), ("message_updated", 3, 1, 3), ("message", 4, 3, 5)]
    # events 4-5 for a client that had message 3 up to event 3: only its change
    assert _frames(direct, 4, upto=5) == [("message_updated", 5, 3, 5)]
    # a client that knows only its last seq resumes from the event that created that message
    conversation = Conversation.objects.get(pk=direct.pk)
    assert [selectors.ev_of_seq(conversation=conversation, seq=s) for s in (0, 1, 3, 99)] == [0, 1, 4, 5]
