"""Artwork previews: images downscaled by Pillow; video poster and audio clip by ffmpeg; generic otherwise."""

from __future__ import annotations

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sangsaeng.core.errors import Problem
from sangsaeng.drops import media, services

pytestmark = pytest.mark.django_db


def _ffmpeg_file(tmp_path, name: str, args: list[str]) -> bytes:
    out = tmp_path / name
    subprocess.run([media._ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", *args, str(out)], check=True)
    return out.read_bytes()


def test_an_image_preview_is_a_smaller_webp(artwork):
    assert artwork.preview_kind == "image"
    with artwork.preview.open("rb") as handle, Image.open(handle) as img:
        assert img.format == "WEBP"
        assert max(img.size) == media.PREVIEW_EDGE
    assert artwork.size > 0 and len(artwork.sha256) == 64


def test_a_video_gets_a_poster_frame(creator, tmp_path):
    data = _ffmpeg_file(
        tmp_path, "clip.mp4", ["-f", "lavfi", "-i", "testsrc=duration=1:size=320x240:rate=10", "-pix_fmt", "yuv420p"]
    )
    art = services.artwork_create(actor=creator, title="영상", upload=SimpleUploadedFile("clip.mp4", data, "video/mp4"))
    assert (art.kind, art.preview_kind, art.preview_type) == ("video", "poster", "image/webp")


def test_audio_gets_its_opening_as_a_clip(creator, tmp_path):
    data = _ffmpeg_file(tmp_path, "tone.wav", ["-f", "lavfi", "-i", "sine=frequency=440:duration=20"])
    art = services.artwork_create(actor=creator, title="소리", upload=SimpleUploadedFile("tone.wav", data, "audio/wav"))
    assert (art.kind, art.preview_kind, art.preview_type) == ("audio", "clip", "audio/mp4")


def test_an_unreadable_video_gets_a_generic_preview(creator):
    upload = SimpleUploadedFile("broken.mp4", b"not really a video" * 100, "video/mp4")
    art = services.artwork_create(actor=creator, title="깨진 파일", upload=upload)
    assert art.preview_kind == "generic"


def test_other_files_and_broken_images_are_refused(creator):
    for upload in (
        SimpleUploadedFile("a.pdf", b"%PDF-1.4", "application/pdf"),
        SimpleUploadedFile("a.png", b"nope", "image/png"),
    ):
        with pytest.raises(Problem) as caught:
            services.artwork_create(actor=creator, title="x", upload=upload)
        assert caught.value.field == "file"
