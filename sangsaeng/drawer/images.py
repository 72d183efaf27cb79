"""Photos: EXIF (capture time, camera, GPS), a 250 px WebP thumbnail and a 1440 px JPEG preview.

Pillow's `draft()` lets the JPEG decoder scale down while decoding, so a 12 MP photo becomes a
thumbnail in ~80 ms. HEIC/HEIF opens through pillow-heif. An image with more pixels than
DRAWER_MAX_IMAGE_PIXELS is refused before it is decoded (decompression bomb).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from django.conf import settings
from PIL import Image, ImageOps

THUMB_SIZE = 250
PREVIEW_SIZE = 1440
_heif_ready = False


class MediaError(Exception):
    """The file can't be processed; the message is the reason shown to the user."""


def _register_heif() -> None:
    global _heif_ready
    if not _heif_ready:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_ready = True


@dataclass
class ImageInfo:
    width: int
    height: int
    taken_at: datetime | None = None
    camera: str = ""
    latitude: float | None = None
    longitude: float | None = None
    thumbnail: bytes = b""
    preview: bytes = b""
    extra: dict[str, Any] = field(default_factory=dict)


def _ratio(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        if isinstance(value, tuple) and len(value) == 2 and value[1]:
            return float(value[0]) / float(value[1])
        raise


def _gps(gps: dict[int, Any]) -> tuple[float, float] | None:
    try:
        lat_ref, lat, lon_ref, lon = gps[1], gps[2], gps[3], gps[4]
    except KeyError:
        return None
    try:
        latitude = sum(_ratio(v) / 60**i for i, v in enumerate(lat))
        longitude = sum(_ratio(v) / 60**i for i, v in enumerate(lon))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if str(lat_ref).upper().startswith("S"):
        latitude = -latitude
    if str(lon_ref).upper().startswith("W"):
        longitude = -longitude
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return round(latitude, 6), round(longitude, 6)


def _taken_at(exif_ifd: dict[int, Any], base: dict[int, Any]) -> datetime | None:
    raw = exif_ifd.get(0x9003) or exif_ifd.get(0x9004) or base.get(0x0132)
    if not raw:
        return None
    try:
        naive = datetime.strptime(str(raw).strip("\0 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = str(exif_ifd.get(0x9011) or "").strip("\0 ")
    tz: Any = timezone(timedelta(hours=9))  # phones in Korea; EXIF without an offset means local time
    if len(offset) == 6 and offset[0] in "+-":
        sign = 1 if offset[0] == "+" else -1
        tz = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])))
    return naive.replace(tzinfo=tz)


def _exif(image: Image.Image, info: ImageInfo) -> None:
    exif = image.getexif()
    if not exif:
        return
    base = dict(exif)
    exif_ifd = dict(exif.get_ifd(0x8769))
    info.taken_at = _taken_at(exif_ifd, base)
    make, model = str(base.get(0x010F, "")).strip("\0 "), str(base.get(0x0110, "")).strip("\0 ")
    info.camera = (model if model.startswith(make) else f"{make} {model}").strip()[:120]
    position = _gps(dict(exif.get_ifd(0x8825)))
    if position:
        info.latitude, info.longitude = position


def _fit(image: Image.Image, size: int) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS if size > 500 else Image.Resampling.BILINEAR)
    return copy


def image_analyse(path: Path) -> ImageInfo:
    """Read EXIF and render the thumbnail and preview; raises MediaError with a reason."""
    _register_heif()
    limit = int(settings.DRAWER_MAX_IMAGE_PIXELS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            previous = Image.MAX_IMAGE_PIXELS
            Image.MAX_IMAGE_PIXELS = limit
            try:
                with Image.open(path) as image:
                    width, height = image.size
                    if width * height > limit:
                        raise MediaError(f"decompression bomb: {width}x{height} pixels is over the limit of {limit:,}")
                    info = ImageInfo(width=width, height=height)
                    _exif(image, info)
                    image.draft("RGB", (PREVIEW_SIZE, PREVIEW_SIZE))
                    image.load()
                    upright = ImageOps.exif_transpose(image)
                    rgb = upright.convert("RGB")
            finally:
                Image.MAX_IMAGE_PIXELS = previous
    except MediaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError(f"decompression bomb: {exc}") from exc
    except Exception as exc:  # Pillow raises many types for broken files
        raise MediaError(f"not a readable image: {exc.__class__.__name__}: {exc}"[:300]) from exc
    info.width, info.height = rgb.size
    preview = _fit(rgb, PREVIEW_SIZE)
    out = io.BytesIO()
    preview.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    info.preview = out.getvalue()
    out = io.BytesIO()
    _fit(preview, THUMB_SIZE).save(out, "WEBP", quality=80, method=4)
    info.thumbnail = out.getvalue()
    return info


def thumbnail_from_frame(data: bytes) -> bytes:
    """A WebP thumbnail from a video poster (JPEG bytes ffmpeg made)."""
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
    out = io.BytesIO()
    _fit(rgb, THUMB_SIZE).save(out, "WEBP", quality=80, method=4)
    return out.getvalue()
