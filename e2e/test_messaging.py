"""Two people chat in real time in two browsers; one goes offline, misses messages, comes back and
gets exactly the missed ones in order. The ASGI app's WebSockets are served from a thread of this
process (so they see its test database), next to the live server for pages."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
import websockets.exceptions
from playwright.sync_api import expect

from sangsaeng.accounts.services import user_create
from sangsaeng.messaging import services
from sangsaeng.messaging.models import Message

PASSWORD = "correct-horse-battery-staple"


class Network:
    """The WebSocket side of one browser's network: cut it and its sockets drop and can't reconnect."""

    def __init__(self, loop):
        self.loop = loop
        self.cut_cookies: set[str] = set()
        self.open: list = []
        self.closing: set = set()

    def refused(self, connection) -> bool:
        cookie = connection.request.headers.get("Cookie", "")
        return any(value in cookie for value in self.cut_cookies)

    def cut(self, cookie_value: str) -> None:
        def apply():
            self.cut_cookies.add(cookie_value)
            for connection in self.open:
                if self.refused(connection):
                    task = asyncio.ensure_future(connection.close(1006))
                    self.closing.add(task)
                    task.add_done_callback(self.closing.discard)

        self.loop.call_soon_threadsafe(apply)

    def heal(self) -> None:
        self.loop.call_soon_threadsafe(self.cut_cookies.clear)


async def _asgi_websocket(application, network, connection):
    """Serve one WebSocket with the ASGI application (the `websockets` library did the handshake)."""
    if network.refused(connection):
        await connection.close(1006)
        return
    network.open.append(connection)
    request = connection.request
    path, _, query = request.path.partition("?")
    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in request.headers.raw_items()],
        "client": connection.remote_address[:2],
        "server": connection.local_address[:2],
        "subprotocols": [],
        "scheme": "ws",
    }
    inbox: asyncio.Queue = asyncio.Queue()
    await inbox.put({"type": "websocket.connect"})

    async def send(message):
        if message["type"] == "websocket.send":
            await connection.send(message.get("text") if message.get("text") is not None else message.get("bytes"))
        elif message["type"] == "websocket.close":
            await connection.close(message.get("code", 1000))

    app = asyncio.ensure_future(application(scope, inbox.get, send))
    try:
        async for data in connection:
            frame = {"text": data} if isinstance(data, str) else {"bytes": data}
            await inbox.put({"type": "websocket.receive", **frame})
    except websockets.exceptions.ConnectionClosed:  # the browser went away
        pass
    network.open.remove(connection)
    await inbox.put({"type": "websocket.disconnect", "code": 1006})
    await asyncio.wait([app], timeout=5)


@pytest.fixture
def ws_server(settings, transactional_db):
    """The ASGI app's WebSockets in a thread of this process, so they share its test database."""
    import websockets.asyncio.server

    from bench.harness import free_port
    from sangsaeng.asgi import application

    port = free_port()
    settings.WS_PORT = port
    settings.WEBSOCKET_URL = f"ws://localhost:{port}"  # the session cookie belongs to the live server host
    loop = asyncio.new_event_loop()
    network = Network(loop)
    ready = threading.Event()
    stop: list = []

    def serve():
        asyncio.set_event_loop(loop)

        async def main():
            async with websockets.asyncio.server.serve(
                lambda c: _asgi_websocket(application, network, c), "127.0.0.1", port
            ) as server:
                stop.append(server)
                ready.set()
                await server.wait_closed()

        loop.run_until_complete(main())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(10)
    yield network
    loop.call_soon_threadsafe(stop[0].close)
    thread.join(timeout=5)


def _sign_in(context, base, email):
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    return page


def _send(page, text):
    page.fill("[data-testid=compose] textarea", text)
    page.press("[data-testid=compose] textarea", "Enter")


def _texts(page):
    return page.eval_on_selector_all("[data-testid=message] .chat-text", "els => els.map(e => e.textContent)")


def test_two_people_chat_live_and_a_reconnect_gets_exactly_the_missed_messages(browser, live_server, ws_server, shoot):
    alice = user_create(email="alice@example.com", password=PASSWORD, display_name="앨리스", verified=True)
    bob = user_create(email="bob@example.com", password=PASSWORD, display_name="밥", verified=True)
    opened = []
    # off the Playwright thread, whose running event loop forbids the fan-out's async_to_sync
    worker = threading.Thread(target=lambda: opened.append(services.conversation_direct_open(actor=alice, other=bob)))
    worker.start()
    worker.join()
    conversation = opened[0]
    room = f"{live_server.url}/chat/c/{conversation.public_id}/"
    alice_context = browser.new_context(locale="ko-KR", viewport={"width": 1100, "height": 800})
    bob_context = browser.new_context(locale="ko-KR", viewport={"width": 1100, "height": 800})
    alice_page = _sign_in(alice_context, live_server.url, "alice@example.com")
    bob_page = _sign_in(bob_context, live_server.url, "bob@example.com")
    alice_page.goto(room)
    bob_page.goto(room)
    alice_page.wait_for_selector("#chat-room[data-connected='1']")
    bob_page.wait_for_selector("#chat-room[data-connected='1']")

    # live both ways, with the typing indicator
    _send(alice_page, "안녕하세요, 밥!")
    expect(bob_page.locator("[data-testid=message]")).to_have_count(1, timeout=30000)
    bob_page.type("[data-testid=compose] textarea", "반가워요")
    alice_page.wait_for_selector("[data-testid=typing]:not([hidden])")
    shoot(alice_page, "messaging-typing")
    bob_page.press("[data-testid=compose] textarea", "Enter")
    expect(alice_page.locator("[data-testid=message]")).to_have_count(2, timeout=30000)
    assert _texts(alice_page) == ["안녕하세요, 밥!", "반가워요"]

    # bob goes offline; alice sends three messages and edits her first one
    bob_session = next(c["value"] for c in bob_context.cookies() if c["name"] == "sessionid")
    bob_context.set_offline(True)
    ws_server.cut(bob_session)
    bob_page.wait_for_selector("#chat-room:not([data-connected='1'])", timeout=15000)
    for n in (1, 2, 3):
        _send(alice_page, f"놓친 메시지 {n}")
    expect(alice_page.locator("[data-testid=message]")).to_have_count(5, timeout=30000)

    def edit_first() -> None:
        first = Message.objects.get(conversation=conversation, seq=1)
        services.message_edit(actor=alice, message_id=first.public_id, text="안녕하세요, 밥! (수정)")

    worker = threading.Thread(target=edit_first)
    worker.start()
    worker.join()
    assert len(_texts(bob_page)) == 2
    shoot(bob_page, "messaging-offline")

    # back online: exactly the missed ones, in order, once, and the edit made meanwhile
    bob_context.set_offline(False)
    ws_server.heal()
    bob_page.wait_for_selector("#chat-room[data-connected='1']", timeout=30000)
    expect(bob_page.locator("[data-testid=message]")).to_have_count(5, timeout=30000)
    time.sleep(0.5)
    assert _texts(bob_page) == [
        "안녕하세요, 밥! (수정)",
        "반가워요",
        "놓친 메시지 1",
        "놓친 메시지 2",
        "놓친 메시지 3",
    ]
    seqs = bob_page.eval_on_selector_all("[data-testid=message]", "els => els.map(e => Number(e.dataset.seq))")
    assert seqs == [1, 2, 3, 4, 5]
    shoot(bob_page, "messaging-reconnected")
    shoot(alice_page, "messaging-conversation")
    # on the conversation list, a new message shows up as a live unread badge
    alice_page.goto(f"{live_server.url}/chat/")
    expect(alice_page.locator("[data-testid=unread]")).to_have_count(0)
    _send(bob_page, "목록에서도 보이나요?")
    expect(alice_page.locator("[data-testid=unread]")).to_have_text("1", timeout=15000)
    shoot(alice_page, "messaging-list")
    alice_context.close()
    bob_context.close()
