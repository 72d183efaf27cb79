"""Injection strings in every user-writable text field, stored through the API, then every page that
shows the field rendered: the page is 200, the payload appears only escaped (never as live markup),
templates are not evaluated, and a header built from the field stays one header.

Data-driven: ROWS says how a field is written and which pages (as whom) show it. A payload may be
refused with a problem (the NUL byte always is; a 5000-character name may be), but never with a 500,
and the XSS payload must get through to the pages, so that each page check has something to find.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils.html import escape

from conftest import PASSWORD, ApiClient
from sangsaeng.accounts.services import token_create, user_create
from sangsaeng.core.tests.hostile.conftest import assert_problem
from sangsaeng.core.tests.hostile.strings import NUL, PAYLOADS, UNSAFE

pytestmark = pytest.mark.django_db


class Ctx:
    def __init__(self) -> None:
        self.alice = user_create(email="alice@example.com", password=PASSWORD, display_name="앨리스", verified=True)
        self.bob = user_create(email="bob@example.com", password=PASSWORD, display_name="밥", verified=True)
        self.api = ApiClient(token_create(user=self.alice, label="t")[1])
        self.api_bob = ApiClient(token_create(user=self.bob, label="t")[1])
        self.web, self.web_bob, self.anon = Client(), Client(), Client()
        self.web.force_login(self.alice)
        self.web_bob.force_login(self.bob)
        self.ids: dict[str, Any] = {}
        self.made: list[dict[str, Any]] = []  # the API answers of what was stored

    def channel(self) -> dict[str, Any]:
        if "channel" not in self.ids:
            answer = self.api.post("/api/v1/partners/channels", {"name": "상생마켓", "handle": "inj-market"})
            self.ids["channel"] = answer.json()
            self.api_bob.post(f"/api/v1/partners/channels/{answer.json()['id']}/follow", {"marketing": True})
        return self.ids["channel"]

    def store(self) -> dict[str, Any]:
        if "store" not in self.ids:
            self.ids["store"] = self.api.post("/api/v1/commerce/stores", {"channel_id": self.channel()["id"]}).json()
        return self.ids["store"]

    def direct(self) -> str:
        if "direct" not in self.ids:
            answer = self.api.post("/api/v1/messaging/conversations/direct", {"user": self.bob.email})
            assert answer.status_code in (200, 201), answer.content
            self.ids["direct"] = answer.json()["id"]
        return self.ids["direct"]


Page = tuple[Client, str]


@dataclass(frozen=True)
class Row:
    name: str
    store: Callable[[Ctx, str, int], Any]  # write one payload; returns the response
    pages: Callable[[Ctx], list[Page]]  # every page that shows what was written
    one_value: bool = False  # the field holds one value (a name): render after each write
    probe: str = "xss_script"  # the payload that must get through (file names can't hold a "/")
    rendered_by_server: bool = True  # False: the page's script shows it with textContent (checked apart)


# ---- how each field is written --------------------------------------------------------------------


def _display_name(c: Ctx, p: str, i: int):
    return c.api.patch("/api/v1/me", {"display_name": p})


def _display_name_pages(c: Ctx) -> list[Page]:
    c.direct()
    c.api.post(f"/api/v1/messaging/conversations/{c.direct()}/messages", {"text": "안녕"})
    return [(c.web, "/settings/"), (c.web_bob, "/chat/"), (c.web_bob, f"/chat/c/{c.direct()}/")]


def _card(c: Ctx, p: str, i: int):
    fields = {"name": p, "company": p, "department": p, "title": p, "address": p}
    answer = c.api.post("/api/v1/cards", fields)
    if answer.status_code == 201:
        c.made.append(answer.json())
    return answer


def _card_pages(c: Ctx) -> list[Page]:
    pages = [(c.web, "/cards/")]
    for card in c.made:
        pages += [(c.anon, f"/cards/p/{card['id']}/"), (c.web, f"/cards/{card['id']}/")]
    return pages


def _channel(c: Ctx, p: str, i: int):
    answer = c.api.post("/api/v1/partners/channels", {"name": p, "handle": f"inj-{i:02d}", "description": p})
    if answer.status_code == 201:
        c.made.append(answer.json())
    return answer


def _channel_pages(c: Ctx) -> list[Page]:
    pages = [(c.web, "/partners/")]
    for ch in c.made:
        pages += [(c.anon, f"/c/{ch['handle']}/"), (c.web, f"/partners/{ch['id']}/")]
    return pages


def _broadcast(c: Ctx, p: str, i: int):
    answer = c.api.post(f"/api/v1/partners/channels/{c.channel()['id']}/broadcasts", {"text": p})
    if answer.status_code == 201:
        c.made.append(answer.json())
    return answer


def _broadcast_pages(c: Ctx) -> list[Page]:
    handle, channel_id = c.channel()["handle"], c.channel()["id"]
    pages = [(c.anon, f"/c/{handle}/"), (c.web_bob, "/c/"), (c.web, f"/partners/{channel_id}/broadcasts/")]
    return pages + [(c.anon, f"/c/{handle}/p/{b['id']}/") for b in c.made]


def _product(c: Ctx, p: str, i: int):
    body = {
        "title": p,
        "description": p,
        "status": "public",
        "variants": [{"sku": f"SKU-{i}", "price": 1000, "stock": 3}],
    }
    answer = c.api.post(f"/api/v1/commerce/stores/{c.store()['id']}/products", body)
    if answer.status_code == 201:
        c.made.append(answer.json())
    return answer


def _product_pages(c: Ctx) -> list[Page]:
    store = c.store()
    pages = [(c.anon, f"/store/{store['handle']}/"), (c.web, f"/store/admin/{store['id']}/")]
    return pages + [(c.web, f"/store/admin/{store['id']}/products/{p['id']}/") for p in c.made]


def _store(c: Ctx, p: str, i: int):
    return c.api.patch(f"/api/v1/commerce/stores/{c.store()['id']}/settings", {"name": p, "description": p})


def _store_pages(c: Ctx) -> list[Page]:
    store = c.store()
    return [(c.anon, f"/store/{store['handle']}/"), (c.web, f"/store/admin/{store['id']}/")]


def _message(c: Ctx, p: str, i: int):
    return c.api.post(f"/api/v1/messaging/conversations/{c.direct()}/messages", {"text": p})


def _message_pages(c: Ctx) -> list[Page]:
    return [(c.web_bob, f"/chat/c/{c.direct()}/"), (c.web, f"/chat/c/{c.direct()}/")]


def _group(c: Ctx, p: str, i: int):
    answer = c.api.post("/api/v1/messaging/conversations", {"title": p, "members": [c.bob.email]})
    if answer.status_code == 201:
        c.made.append(answer.json())
    return answer


def _group_pages(c: Ctx) -> list[Page]:
    return [(c.web_bob, "/chat/")] + [(c.web_bob, f"/chat/c/{g['id']}/") for g in c.made]


def _file_name(c: Ctx, p: str, i: int):
    name = f"{p}.txt"
    meta = f"filename {base64.b64encode(name.encode()).decode()}"
    tus: dict[str, Any] = {"HTTP_TUS_RESUMABLE": "1.0.0"}
    answer = c.web.post("/files/", data=b"", content_type="", HTTP_UPLOAD_LENGTH="2", HTTP_UPLOAD_METADATA=meta, **tus)
    if answer.status_code != 201:
        return answer
    done = c.web.generic(
        "PATCH",
        answer["Location"],
        b"ok",
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET="0",
        **tus,
    )
    assert done.status_code == 204, done.content
    return done


def _file_pages(c: Ctx) -> list[Page]:
    from sangsaeng.drawer.models import Item

    pages = [(c.web, "/drawer/")]
    return pages + [(c.web, f"/drawer/items/{i.public_id}/") for i in Item.objects.filter(owner=c.alice)]


def _contribution(c: Ctx, p: str, i: int):
    text = f"{p}\n\n한국어 문장을 여러 개 씁니다. 오늘은 날씨가 맑고 바람이 시원합니다. 공원에서 산책을 했습니다.\n"
    body = {"text": text, "format": "txt", "licence": "cc0", "licence_accepted": True, "title": p[:200]}
    answer = c.api.post("/api/v1/contributions", body)
    if answer.status_code == 202:
        c.made.append(answer.json())
    return answer


def _contribution_pages(c: Ctx) -> list[Page]:
    return [(c.web, "/commons/")] + [(c.web, f"/commons/{x['id']}/") for x in c.made]


ROWS = [
    Row("accounts.display_name", _display_name, _display_name_pages, one_value=True),
    Row("business_cards.card_fields", _card, _card_pages),
    Row("partners.channel_name_description", _channel, _channel_pages),
    Row("partners.broadcast_text", _broadcast, _broadcast_pages),
    Row("commerce.product_title_description", _product, _product_pages),
    Row("commerce.store_name_description", _store, _store_pages, one_value=True),
    # the chat page draws messages in chat.js with textContent; its HTML must still be clean
    Row("messaging.message_text", _message, _message_pages, rendered_by_server=False),
    Row("messaging.group_title", _group, _group_pages),
    Row("drawer.file_name", _file_name, _file_pages, probe="xss_img_attr"),
    Row("contributions.title_text", _contribution, _contribution_pages),
]


def _check_pages(c: Ctx, row: Row, stored: set[str]) -> int:
    """Every page is 200; no stored payload's dangerous fragment is on it raw; and at least one
    stored payload is on it escaped (a page listing many shows many, an object's page its own)."""
    # the longest line of each payload, escaped, its whitespace folded as a page may fold it
    shown = [" ".join(escape(max(PAYLOADS[key].splitlines(), key=len)).split())[:12] for key in stored]
    checked = 0
    for client, url in row.pages(c):
        page = client.get(url)
        assert page.status_code == 200, (row.name, url, page.status_code)
        html = page.content.decode()
        for key in stored:
            for fragment in UNSAFE.get(key, []):
                assert fragment not in html, (row.name, url, key, "shown unescaped")
        assert settings.SECRET_KEY not in html, (row.name, url, "a template was evaluated")
        assert "\x00" not in html
        folded = " ".join(html.split())
        if row.rendered_by_server:
            assert any(marker in folded for marker in shown), (row.name, url, "no payload is on the page")
        checked += 1
    return checked


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.name)
def test_injection_strings_are_stored_or_refused_and_only_ever_shown_escaped(db, row):
    c = Ctx()
    stored: set[str] = set()
    pages = 0
    for i, (key, payload) in enumerate(PAYLOADS.items()):
        answer = row.store(c, payload, i)
        assert answer.status_code < 500, (row.name, key, answer.content[:300])
        if key == row.probe:
            assert answer.status_code < 300, (row.name, answer.content[:300])
        if answer.status_code < 300:
            stored.add(key)
        else:
            assert_problem(answer)
        if row.one_value and answer.status_code < 300:
            pages += _check_pages(c, row, {key})
    refused = row.store(c, NUL, len(PAYLOADS))
    assert refused.status_code >= 400 and refused.status_code < 500, (row.name, refused.status_code)
    if not row.one_value:
        pages += _check_pages(c, row, stored)
    assert pages >= 1


def test_the_chat_script_never_puts_message_text_into_html():
    """Message texts reach the chat page through the API and chat.js, not the template: the script
    must set them as text. The one innerHTML it has takes a server-rendered, autoescaped card."""
    from pathlib import Path

    import sangsaeng.messaging

    script = (Path(sangsaeng.messaging.__file__).parent / "static/messaging/chat.js").read_text()
    html_sinks = [line.strip() for line in script.splitlines() if "innerHTML" in line or "insertAdjacentHTML" in line]
    assert html_sinks == ["card.innerHTML = m.card_html;  // server-rendered, autoescaped template"]
    assert "textContent" in script


def test_a_nul_in_a_form_field_or_a_query_string_is_a_problem_not_a_database_error(db):
    """JSON bodies were already checked; multipart form fields (an upload's title) and query strings
    reach the database too, and PostgreSQL refuses NUL with an error, so the API refuses it first."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import MULTIPART_CONTENT

    from sangsaeng.contributions.models import Contribution

    c = Ctx()
    upload = SimpleUploadedFile("a.txt", "한국어 문장입니다. 오늘은 맑습니다.\n".encode(), content_type="text/plain")
    form = {"file": upload, "licence": "cc0", "licence_accepted": "true", "title": NUL}
    answer = c.api.post("/api/v1/contributions/upload", form, content_type=MULTIPART_CONTENT)
    assert (answer.status_code, assert_problem(answer)["code"]) == (400, "nul_character")
    assert not Contribution.objects.exists()
    for path in ("/api/v1/search/?q=a%00b", "/api/v1/search/suggest?q=a%00b", "/api/v1/drawer/items?cursor=%00"):
        answer = c.api.get(path)
        assert (answer.status_code, assert_problem(answer)["code"]) == (400, "nul_character"), path
