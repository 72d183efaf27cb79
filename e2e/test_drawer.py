"""In a real browser: upload a photo and a video, see them in the timeline, play the video,
move the photo to the trash and restore it."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from sangsaeng.accounts.services import user_create
from sangsaeng.drawer.tests import media

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "seoyeon@example.com"
PASSWORD = "sangsaeng-e2e-drawer-1"


def _until(page, expression: str, timeout: float = 15.0) -> None:
    """Poll an expression (wait_for_function would need eval, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, expression
        time.sleep(0.1)


def test_upload_see_play_trash_and_restore(page, live_server, settings, shoot, tmp_path):
    settings.DRAWER_FILES_DIR = tmp_path / "files"
    # The timeline loads thumbnails in parallel; the test database is SQLite in memory (shared
    # cache, no busy timeout), where allauth's per-request session activity writes would collide.
    settings.USERSESSIONS_TRACK_ACTIVITY = False
    user_create(email=EMAIL, password=PASSWORD, display_name="서연", verified=True)
    photo = tmp_path / "제주_바다.jpg"
    photo.write_bytes(media.jpeg(size=(1200, 900), taken=datetime(2026, 8, 3, 15, 0), gps=(33.394, 126.2397)))
    video = tmp_path / "clip.mp4"
    media.mp4(video, seconds=2.0, size="320x240")
    base = live_server.url

    # Sign in and open the Drawer from the navigation
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/")
    page.locator(".topnav").get_by_role("link", name="서랍").click()
    page.wait_for_url(f"{base}/drawer/")
    shoot(page, "drawer-01-empty")

    # Upload a photo and a video through the page
    page.get_by_test_id("upload-input").set_input_files([str(photo), str(video)])
    page.get_by_test_id("upload-submit").click()
    page.wait_for_url(f"{base}/drawer/")
    tiles = page.get_by_test_id("tile")
    assert tiles.count() == 2
    assert page.get_by_test_id("month").all_inner_texts()[-1] == "2026년 8월"  # the photo's EXIF date
    assert "제주" in page.inner_text("[data-testid=timeline]")
    _until(page, "Array.from(document.images).every(img => img.complete && img.naturalWidth > 0)")
    shoot(page, "drawer-02-timeline")

    # Play the video (served with Range from the encrypted 720p transcode)
    page.locator("[data-testid=tile][data-name='clip.mp4']").click()
    player = page.get_by_test_id("video")
    player.wait_for()
    page.evaluate("document.querySelector('video').muted = true")
    page.evaluate("document.querySelector('video').play()")
    _until(page, "document.querySelector('video').currentTime > 0.3")
    assert page.evaluate("document.querySelector('video').videoWidth") == 320
    shoot(page, "drawer-03-video")

    # Move the photo to the trash, then restore it
    page.goto(f"{base}/drawer/")
    page.locator("[data-testid=tile][data-name='제주_바다.jpg']").click()
    page.get_by_test_id("preview").wait_for()
    shoot(page, "drawer-04-photo")
    page.get_by_test_id("trash").click()
    page.wait_for_url(f"{base}/drawer/")
    assert page.get_by_test_id("tile").count() == 1
    page.goto(f"{base}/drawer/trash/")
    shoot(page, "drawer-05-trash")
    page.locator("[data-testid=trash-item][data-name='제주_바다.jpg']").get_by_test_id("restore").click()
    page.goto(f"{base}/drawer/")
    assert page.get_by_test_id("tile").count() == 2
    shoot(page, "drawer-06-restored")
    # the live test server has no WebSocket endpoint; what must not happen is a CSP violation
    assert [e for e in page.csp_errors if "Content Security Policy" in e] == []
