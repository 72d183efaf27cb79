"""A partner opens a channel and posts; a user follows it, consents to advertising, sees the posts in
their feed, opens one and follows its product link; the partner sees the counts."""

from __future__ import annotations

import time

import pytest
from django.db import OperationalError

from conftest import PASSWORD
from e2e.conftest import SHOTS
from sangsaeng.partners.models import Broadcast, Channel, Delivery

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")


def test_a_partner_posts_and_a_follower_sees_it(page, browser, live_server, alice, bob, shoot, tmp_path):
    base = live_server.url
    logo = tmp_path / "logo.png"
    from PIL import Image

    Image.new("RGB", (300, 300), "#f59e0b").save(logo)

    # Alice opens a channel from the partner console
    _sign_in(page, base, alice.email)
    page.goto(f"{base}/c/")
    page.get_by_test_id("console-link").click()
    form = page.get_by_test_id("channel-form")
    form.locator("input[name=name]").fill("한라봉농장")
    form.locator("input[name=handle]").fill("hallabong")
    form.locator("textarea[name=description]").fill("제주 서귀포 한라봉 농장입니다.")
    form.locator("input[name=logo]").set_input_files(str(logo))
    shoot(page, "partners-01-open-channel")
    form.get_by_role("button", name="채널 열기").click()
    channel = Channel.objects.get(handle="hallabong")
    page.wait_for_url(f"{base}/partners/{channel.public_id}/")

    # a first, non-advertising post goes out at once
    page.get_by_role("link", name="소식 보내기").click()
    form = page.get_by_test_id("broadcast-form")
    form.locator("textarea[name=text]").fill("한라봉 수확을 시작했습니다!")
    form.locator("input[name=is_advertising]").uncheck()
    form.get_by_role("button", name="보내기").click()
    page.wait_for_url(f"{base}/partners/{channel.public_id}/broadcasts/*/")
    assert page.get_by_test_id("status").inner_text() == "발송 완료"

    # Bob finds the channel, follows it and agrees to advertising
    bob_context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    bob_page = bob_context.new_page()
    _sign_in(bob_page, base, bob.email)
    bob_page.goto(f"{base}/c/hallabong/")
    assert "한라봉 수확을 시작했습니다!" in bob_page.get_by_test_id("posts").inner_text()
    bob_page.get_by_test_id("follow").click()
    bob_page.get_by_test_id("marketing").check()
    bob_page.get_by_test_id("save-consents").click()
    bob_page.wait_for_url(f"{base}/c/hallabong/")
    shoot(bob_page, "partners-02-channel-followed")

    # Alice posts an advertisement with a product card linking back to her channel page
    page.get_by_role("link", name="소식 보내기").click()
    form = page.get_by_test_id("broadcast-form")
    form.locator("textarea[name=text]").fill("한라봉 3kg 선물세트 10% 할인")
    form.locator("input[name=card_title]").fill("한라봉 선물세트 3kg")
    form.locator("input[name=card_url]").fill(f"{base}/c/hallabong/")
    form.locator("input[name=card_price]").fill("32000")
    shoot(page, "partners-03-compose")
    form.get_by_role("button", name="보내기").click()
    page.wait_for_url(f"{base}/partners/{channel.public_id}/broadcasts/*/")
    ad = Broadcast.objects.get(channel=channel, is_advertising=True)
    assert Delivery.objects.filter(broadcast=ad, user=bob).exists()

    # Bob sees it in his feed with the legal prefix, opens it and follows the product link
    bob_page.goto(f"{base}/c/")
    feed = bob_page.get_by_test_id("feed").inner_text()
    assert "(광고) 한라봉농장" in feed and "한라봉 선물세트 3kg" in feed and "32,000원" in feed
    shoot(bob_page, "partners-04-feed")
    bob_page.goto(f"{base}/c/hallabong/p/{ad.public_id}/")
    bob_page.get_by_test_id("post-card").click()
    bob_page.wait_for_url(f"{base}/c/hallabong/")
    bob_context.close()

    # Alice sees delivery, open and click counts
    page.reload()
    assert page.get_by_test_id("delivered").inner_text() == "1"
    assert page.get_by_test_id("opened").inner_text() == "1"
    assert page.get_by_test_id("clicked").inner_text() == "1"
    shoot(page, "partners-05-stats")
    assert [e for e in page.csp_errors if "Content Security Policy" in e] == []
    assert (SHOTS / "partners-05-stats.png").exists()


def test_a_customer_chat_reaches_the_shared_inbox(page, browser, live_server, alice, bob, shoot):
    from sangsaeng.messaging import services as messaging
    from sangsaeng.partners import services
    from sangsaeng.partners.models import InboxThread

    base = live_server.url
    channel = services.channel_create(owner=alice, name="한라봉농장", handle="hallabong")

    # Bob opens a 1:1 chat from the channel page and lands in the chat app
    bob_context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    bob_page = bob_context.new_page()
    _sign_in(bob_page, base, bob.email)
    bob_page.goto(f"{base}/c/hallabong/")
    bob_page.get_by_test_id("chat").click()
    thread = InboxThread.objects.get(channel=channel, customer=bob)
    bob_page.wait_for_url(f"{base}/chat/c/{thread.conversation_id}/")
    # close the chat page first: its requests to the live server share the in-memory SQLite database,
    # and a server thread still finishing one can hold a table lock for a moment
    bob_page.goto("about:blank")
    bob_context.close()
    for attempt in range(20):
        try:
            messaging.message_post(actor=bob, conversation_id=thread.conversation_id, text="선물 포장 되나요?")
            break
        except OperationalError:
            if attempt == 19:
                raise
            time.sleep(0.25)

    # Alice sees it in the inbox, answers as the channel and marks it done
    _sign_in(page, base, alice.email)
    page.goto(f"{base}/partners/{channel.public_id}/inbox/")
    assert "선물 포장 되나요?" in page.get_by_test_id("threads").inner_text()
    shoot(page, "partners-06-inbox")
    page.get_by_test_id("threads").get_by_role("link").first.click()
    page.fill("textarea[name=text]", "네, 무료로 포장해 드립니다.")
    page.get_by_test_id("reply").click()
    page.wait_for_url(f"{base}/partners/{channel.public_id}/inbox/{thread.public_id}/")
    assert "네, 무료로 포장해 드립니다." in page.get_by_test_id("messages").inner_text()
    page.get_by_test_id("done").click()
    page.wait_for_url(f"{base}/partners/{channel.public_id}/inbox/{thread.public_id}/")
    shoot(page, "partners-07-thread")
    thread.refresh_from_db()
    assert (thread.status, thread.assignee) == ("done", alice)
