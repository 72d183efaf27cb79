"""Crawl the pages a signed-in user can reach: every page carries the security headers, every
POST form carries a CSRF token, and posting it without the token is refused without effect."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.test import Client

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

START = ["/", "/settings/", "/accounts/2fa/", "/accounts/email/", "/accounts/password/change/"]
SKIP = re.compile(r"^/(static|admin|api|i18n|accounts/logout|healthz)")


class Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "csrf": False}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and a.get("name") == "csrfmiddlewaretoken":
            self._form["csrf"] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _crawl(client: Client, limit: int = 60) -> dict[str, Forms]:
    seen: dict[str, Forms] = {}
    queue = list(START)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or SKIP.match(path):
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        parser = Forms()
        parser.feed(response.content.decode())
        seen[path] = parser
        parser.response = response  # type: ignore[attr-defined]
        for href in parser.links:
            url = urlparse(urljoin(path, href))
            if not url.netloc and url.path.startswith("/"):
                queue.append(url.path)
    return seen


@pytest.fixture
def signed_in(alice):
    client = Client()
    assert client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD}).status_code == 302
    return client


def test_every_page_sends_the_security_headers(signed_in):
    pages = _crawl(signed_in)
    assert len(pages) >= 8
    for path, parser in pages.items():
        response = parser.response  # type: ignore[attr-defined]
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", path
        csp = response["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert "frame-ancestors 'none'" in csp, path


def test_every_post_form_has_a_csrf_token_and_needs_it(signed_in, alice):
    pages = _crawl(signed_in)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    checked = 0
    for path, parser in pages.items():
        for form in parser.forms:
            if form["method"] != "post":
                continue
            assert form["csrf"], f"a POST form on {path} has no CSRF token"
            target = urljoin(path, form["action"] or path)
            response = strict.post(target, {})
            assert response.status_code == 403, f"{target} accepted a POST without CSRF"
            checked += 1
    assert checked >= 5
    alice.refresh_from_db()
    assert alice.is_active


def test_the_session_id_changes_at_sign_in(client, alice):
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    after = client.session.session_key
    assert before and after and before != after
