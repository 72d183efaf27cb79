"""Every HTML page, found from the URL resolver rather than from links: each sends the security
headers with a CSP that allows no inline script or style, carries no inline script, style or event
handler that such a CSP would block, and every POST form on it carries a CSRF token that the form's
target needs (posting without it is a 403 from the CSRF check, and nothing stored changes).

Pages whose routes take arguments are filled from a small set of demo objects (a channel with its
store and a product, a Sync app with its consent screen, a business card); the rest are skipped and
counted. The signed-in user is an operator (staff), so the operator desks are crawled too."""

from __future__ import annotations

import hashlib
import logging
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

# Not HTML pages: protocol and JSON endpoints (their own tests cover them), Django's admin (staff only,
# Django's own templates), the language switch, file downloads.
NOT_PAGES = re.compile(
    r"^/(api/|admin/|v1/|oauth/|\.well-known/|vault/(?!settings/)|files/|dav|healthz|i18n/|identity/(status|\.well-known)/)"
    r"|\.(csv|vcf|svg|json)$|/(download|logo|cover|photo|preview|original|file/.*|media|image/.*|go/.*)$"
)
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def _routes(resolver=None, prefix: str = ""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, route)
        elif isinstance(pattern, URLPattern) and "^" not in route and "(?P" not in route:
            yield "/" + route


def page_paths(values: dict[str, str]) -> tuple[list[str], list[str]]:
    """GET paths of every route whose arguments the demo objects fill; and the routes left out."""
    paths: list[str] = []
    unfilled: list[str] = []
    for route in dict.fromkeys(_routes()):
        path = CONVERTER.sub(lambda m: values.get(m.group(2), "\x00"), route)
        if NOT_PAGES.search(route.replace("<", "").replace(">", "")):
            continue
        (unfilled if "\x00" in path else paths).append(route if "\x00" in path else path)
    return paths, unfilled


class Page(HTMLParser):
    """Forms, and whatever a strict CSP would refuse to run."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.inline: list[str] = []
        self._form: dict | None = None
        self._script: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name == "style" or name.startswith("hx-on"):
                self.inline.append(f"<{tag} {name}=...>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.inline.append(f"<{tag} {name}=javascript:...>")
        if tag == "style":
            self.inline.append("<style>")
        elif tag == "script" and not a.get("src") and (a.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
            self._script = ""
        elif tag == "form":
            method = (a.get("method") or "get").lower()
            self._form = {"method": method, "action": a.get("action") or "", "csrf": False}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and a.get("name") == "csrfmiddlewaretoken" and a.get("value"):
            self._form["csrf"] = True

    def handle_data(self, data):
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "script" and self._script is not None:
            if self._script.strip():
                self.inline.append("<script>" + self._script.strip()[:40])
            self._script = None


@pytest.fixture
def operator(alice):
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    return alice


@pytest.fixture
def demo(operator):
    """A channel with a store and a public product, a Sync app, a business card: all alice's."""
    from sangsaeng.business_cards import services as cards
    from sangsaeng.commerce import services as commerce
    from sangsaeng.partners import services as partners
    from sangsaeng.sync.tests.conftest import authorize_url, make_shop, pkce_pair

    channel = partners.channel_create(owner=operator, name="상생마켓", handle="sangsaeng-market")
    store = commerce.store_open(actor=operator, channel_id=channel.public_id)
    product = commerce.product_create(
        actor=operator,
        store_id=store.public_id,
        data={"title": "녹차", "status": "public", "variants": [{"sku": "T-1", "price": 12_000, "stock": 5}]},
    )
    shop = make_shop(operator)
    card = cards.card_create(owner=operator, data={"name": "앨리스"})
    values = {
        "handle": channel.handle,
        "channel_id": str(channel.public_id),
        "store_id": str(store.public_id),
        "product_id": str(product.public_id),
        "partner_id": str(shop.partner.public_id),
        "card_id": str(card.public_id),
    }
    paths, unfilled = page_paths(values)
    return [*paths, authorize_url(shop, challenge=pkce_pair()[1])], unfilled


@pytest.fixture
def signed_in(operator):
    client = Client()
    assert client.post("/accounts/login/", {"login": operator.email, "password": PASSWORD}).status_code == 302
    return client


def _crawl(client: Client, paths: list[str]) -> dict[str, tuple]:
    pages = {}
    for path in paths:
        response = client.get(path)
        if "text/html" in response.get("Content-Type", ""):
            page = Page()
            page.feed(response.content.decode())
            pages[path] = (response, page)
    return pages


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def test_every_html_page_sends_the_security_headers_and_nothing_inline_a_strict_csp_would_block(signed_in, demo):
    paths, _unfilled = demo
    pages = _crawl(signed_in, paths) | _crawl(Client(), ["/", "/accounts/login/", "/accounts/signup/", "/c/"])
    ok = [path for path, (response, _) in pages.items() if response.status_code == 200]
    assert len(ok) >= 60, (len(ok), sorted(set(paths) - set(ok)))
    for path, (response, _page) in pages.items():
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", path
        csp = _directives(response["Content-Security-Policy"])
        assert csp["frame-ancestors"] == ["'none'"], path
        assert csp["object-src"] == ["'none'"], path
        for directive in ("script-src", "style-src"):
            sources = set(csp.get(directive, csp["default-src"]))
            assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & sources, (path, sources)
        if "Permissions-Policy" in response:
            assert "=*" not in response["Permissions-Policy"], path
    assert {path: page.inline for path, (_, page) in pages.items() if page.inline} == {}


def _fingerprint() -> dict[str, str]:
    """A digest of every row of every table: a refused request must leave them as they were."""
    return {
        model._meta.db_table: hashlib.sha256(
            repr(list(model._default_manager.order_by("pk").values_list())).encode()
        ).hexdigest()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy  # django-rq's dashboard model has no table
    }


def test_every_post_form_has_a_csrf_token_and_its_target_refuses_a_post_without_it(signed_in, demo, operator, caplog):
    # given every POST form on every page, and a client that enforces CSRF checks
    paths, _ = demo
    pages = _crawl(signed_in, paths)
    targets: dict[str, Any] = {}
    for path, (_, page) in pages.items():
        for form in page.forms:
            if form["method"] == "post":
                assert form["csrf"], f"a POST form on {path} has no CSRF token"
                target = urljoin(path, form["action"] or path)
                if not urlparse(target).netloc:
                    targets.setdefault(target, path)
    assert len(targets) >= 40, targets
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(operator)
    before = _fingerprint()
    # when each target gets a POST without the token
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        statuses = {target: strict.post(target, {"confirm": "1"}).status_code for target in targets}
    # then the CSRF check refused every one of them before its view ran, and nothing changed
    assert {t: s for t, s in statuses.items() if s != 403} == {}
    refused = [r for r in caplog.records if "CSRF" in r.getMessage()]
    assert len(refused) == len(targets)
    after = _fingerprint()
    # allauth's session list records each request's time and address, in middleware before any view
    assert {table for table in before if before[table] != after[table]} <= {"usersessions_usersession"}
