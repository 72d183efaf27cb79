"""Artwork files: the original kept for owners, a preview for everyone.

- images: Pillow downscales to at most PREVIEW_EDGE pixels on the long side, EXIF orientation
  applied and metadata dropped, as WebP; no watermark, the preview is small enough on its own.
- video: a poster frame made by ffmpeg (the static binary imageio-ffmpeg ships, as the Drawer uses).
- audio: the first CLIP_SECONDS re-encoded by the same ffmpeg as the preview clip.
When ffmpeg fails on a file, the preview is a generic card drawn with Pillow (`preview_kind="generic"`).
"""

from __future__ import annotations

import hashlib
import io
import logging
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageOps

from sangsaeng.core.images import ImageRefused, image_open_checked
from sangsaeng.drops.problems import invalid

log = logging.getLogger(__name__)
PREVIEW_EDGE = 960
CLIP_SECONDS = 15
MAX_BYTES = 200 * 1024 * 1024
MAX_PIXELS = 64_000_000  # 8000x8000: art larger than that is refused, not decoded
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "TIFF", "BMP", "HEIF"}
KINDS = {"image/": "image", "video/": "video", "audio/": "audio"}


@dataclass
class Preview:
    data: bytes
    content_type: str
    kind: str
    extension: str
    width: int | None = None
    height: int | None = None


def kind_of(content_type: str) -> str:
    for prefix, kind in KINDS.items():
        if content_type.startswith(prefix):
            return kind
    raise invalid("file", "이미지, 영상, 오디오 파일만 올릴 수 있습니다.", "Upload an image, video or audio file.")


def digest(chunks: Any) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    for chunk in chunks:
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size


def image_preview(data: bytes) -> Preview:
    try:
        img = image_open_checked(data, formats=IMAGE_FORMATS, max_pixels=MAX_PIXELS, draft=(PREVIEW_EDGE, PREVIEW_EDGE))
        frame = ImageOps.exif_transpose(img).convert("RGB")
    except ImageRefused as exc:
        if exc.bomb:
            raise invalid(
                "file",
                f"이미지가 너무 큽니다 (최대 {MAX_PIXELS // 1_000_000}백만 화소).",
                f"The image has too many pixels ({MAX_PIXELS:,} at most).",
            ) from exc
        raise invalid("file", "이미지를 읽을 수 없습니다.", "The image could not be read.") from exc
    except (OSError, ValueError) as exc:  # a broken EXIF orientation block
        raise invalid("file", "이미지를 읽을 수 없습니다.", "The image could not be read.") from exc
    frame.thumbnail((PREVIEW_EDGE, PREVIEW_EDGE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    frame.save(out, "WEBP", quality=82)
    return Preview(out.getvalue(), "image/webp", "image", "webp", frame.width, frame.height)


def generic_preview(title: str, kind: str) -> Preview:
    """A plain card naming the medium, for files ffmpeg can't read."""
    img = Image.new("RGB", (PREVIEW_EDGE, PREVIEW_EDGE), (28, 30, 38))
    draw = ImageDraw.Draw(img)
    draw.rectangle((60, 60, PREVIEW_EDGE - 60, PREVIEW_EDGE - 60), outline=(250, 225, 0), width=6)
    draw.text((100, PREVIEW_EDGE // 2), f"{kind.upper()} · {title[:40]}", fill=(240, 240, 240))
    out = io.BytesIO()
    img.save(out, "WEBP", quality=80)
    return Preview(out.getvalue(), "image/webp", "generic", "webp", PREVIEW_EDGE, PREVIEW_EDGE)


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def _ffmpeg_run(argv: list[str]) -> None:
    subprocess.run(
        [_ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *argv],
        check=True,
        capture_output=True,
        timeout=120,
    )


def media_preview(path: Path, *, kind: str, title: str) -> Preview:
    """The preview of a video (poster) or audio (opening clip) file, generic when ffmpeg can't."""
    with tempfile.TemporaryDirectory(prefix="ssg-drops-") as tmp:
        try:
            if kind == "video":
                out = Path(tmp) / "poster.jpg"
                _ffmpeg_run(
                    [
                        "-ss",
                        "0",
                        "-i",
                        str(path),
                        "-frames:v",
                        "1",
                        "-vf",
                        f"scale='min({PREVIEW_EDGE},iw)':-2",
                        str(out),
                    ]
                )
                preview = image_preview(out.read_bytes())
                preview.kind = "poster"
                return preview
            out = Path(tmp) / "clip.m4a"
            _ffmpeg_run(["-i", str(path), "-t", str(CLIP_SECONDS), "-vn", "-c:a", "aac", "-b:a", "96k", str(out)])
            return Preview(out.read_bytes(), "audio/mp4", "clip", "m4a")
        except (subprocess.SubprocessError, OSError) as exc:
            log.info("no preview from ffmpeg for %s: %r", path.name, exc)
            return generic_preview(title, kind)
