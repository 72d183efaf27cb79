"""A person submits an ID photo, an operator approves it from the queue, and the wallet shows the credential."""

from __future__ import annotations

import re
import struct
import zlib

import pytest

from conftest import PASSWORD
from sangsaeng.accounts.services import user_create
from sangsaeng.identity.models import DocumentReview

pytestmark = pytest.mark.django_db(transaction=True)


def _png(width: int = 320, height: int = 200) -> bytes:
    """A small real PNG (a teal card with a lighter band), so the operator page has a picture to show."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + (b"\xcc\xfb\xf1" if 60 <= y < 100 else b"\x0f\x76\x6e") * width for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")


def test_submit_review_approve_and_issue(page, live_server, alice, shoot, browser, tmp_path):
    base = live_server.url
    operator = user_create(email="op@example.com", password=PASSWORD, verified=True, staff=True)
    photo = tmp_path / "id.png"
    photo.write_bytes(_png())

    # the person submits a photo of the ID
    _sign_in(page, base, alice.email, PASSWORD)
    page.goto(f"{base}/identity/document/")
    page.select_option("select[name=document_type]", "driver_license")
    page.fill("input[name=name]", "김앨리스")
    page.fill("input[name=birthdate]", "1990-05-17")
    page.set_input_files("input[name=document]", str(photo))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/identity/")
    assert "검토 대기" in page.get_by_test_id("identity-status").inner_text()

    # the operator opens it from the queue, sees the photo and approves
    desk_context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 860})
    desk = desk_context.new_page()
    _sign_in(desk, base, operator.email, PASSWORD)
    desk.goto(f"{base}/identity/review/")
    desk.get_by_test_id("review-queue").get_by_role("link", name="김앨리스").click()
    desk.wait_for_url(re.compile(r"/identity/review/[0-9a-f-]{36}/$"))
    assert desk.locator("img.id-document").evaluate("img => img.complete && img.naturalWidth === 320")
    shoot(desk, "identity-01-operator-review")
    desk.locator("select[name=decision]").select_option("approve")
    desk.locator("main form button[type=submit]").last.click()
    desk.wait_for_url(f"{base}/identity/review/")
    desk_context.close()
    review = DocumentReview.objects.get(user=alice)
    assert (review.status, review.document_encrypted) == ("approved", "")

    # the person issues the credential into the wallet
    page.goto(f"{base}/identity/")
    page.get_by_test_id("issue").click()
    page.wait_for_url(f"{base}/identity/")
    assert "김앨리스" in page.get_by_test_id("credentials").inner_text()
    shoot(page, "identity-02-wallet")
