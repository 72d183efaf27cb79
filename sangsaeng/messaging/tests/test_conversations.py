"""Opening conversations: direct (one per pair), groups with roles, channel conversations."""

import uuid

import pytest

from sangsaeng.core.errors import Problem
from sangsaeng.messaging import selectors, services
from sangsaeng.messaging.models import Conversation, Member

pytestmark = pytest.mark.django_db


def test_a_direct_conversation_is_unique_per_pair(alice, bob):
    first = services.conversation_direct_open(actor=alice, other=bob)
    second = services.conversation_direct_open(actor=bob, other=alice)
    assert first.pk == second.pk
    assert Conversation.objects.filter(kind="direct").count() == 1
    assert sorted(Member.objects.filter(conversation=first).values_list("user__email", flat=True)) == [
        "alice@example.com",
        "bob@example.com",
    ]


def test_nobody_chats_with_themselves(alice):
    with pytest.raises(Problem) as caught:
        services.conversation_direct_open(actor=alice, other=alice)
    assert caught.value.code == "direct_self"


def test_groups_have_an_owner_who_invites_and_hands_over_on_leaving(alice, bob, charlie):
    group = services.conversation_group_create(actor=alice, title="제주 여행", members=[bob])
    assert Member.objects.get(conversation=group, user=alice).role == "owner"
    with pytest.raises(Problem) as caught:
        services.conversation_invite(actor=bob, conversation_id=group.public_id, user=charlie)
    assert caught.value.code == "permission_denied"
    services.member_role_set(actor=alice, conversation_id=group.public_id, user=bob, role="admin")
    services.conversation_invite(actor=bob, conversation_id=group.public_id, user=charlie)
    services.conversation_leave(actor=alice, conversation_id=group.public_id)
    assert Member.objects.get(conversation=group, user=bob).role == "owner"
    assert [c.pk for c in selectors.conversations_for(alice)] == []
    assert {m.user.email for m in selectors.members_of(actor=charlie, conversation_id=group.public_id)} == {
        "bob@example.com",
        "charlie@example.com",
    }


def test_a_channel_conversation_is_one_per_customer_and_channel(alice, bob, charlie):
    channel = uuid.uuid4()
    first = services.conversation_channel_open(customer=alice, channel_id=channel, channel_name="상생마켓", staff=[bob])
    again = services.conversation_channel_open(customer=alice, channel_id=channel, channel_name="상생마켓", staff=[bob])
    assert first.pk == again.pk
    assert Member.objects.get(conversation=first, user=bob).role == "staff"
    [seen] = selectors.conversations_for(alice)
    assert seen.display_title == "상생마켓"
    services.conversation_staff_set(conversation_id=first.public_id, staff=[charlie])
    assert selectors.conversations_for(bob) == []
    assert [c.pk for c in selectors.conversations_for(charlie)] == [first.pk]


def test_staff_speak_as_the_channel_and_the_channel_posts_system_messages(alice, bob):
    conversation = services.conversation_channel_open(
        customer=alice, channel_id=uuid.uuid4(), channel_name="상생마켓", staff=[bob]
    )
    staff_message = services.message_post(
        actor=bob, conversation_id=conversation.public_id, text="안녕하세요", as_channel=True
    )
    system = services.message_post_from_channel(conversation_id=conversation.public_id, text="주문이 접수되었습니다.")
    assert (staff_message.seq, system.seq) == (1, 2)
    assert system.sender is None and system.as_channel
    with pytest.raises(Problem) as caught:
        services.message_post(actor=alice, conversation_id=conversation.public_id, text="x", as_channel=True)
    assert caught.value.code == "permission_denied"
    [seen] = selectors.conversations_for(alice)
    assert seen.unread == 2
