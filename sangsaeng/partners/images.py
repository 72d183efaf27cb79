"""Channel logos, covers and broadcast images: checked by Pillow, size-limited, re-encoded.

Re-encoding drops EXIF (a phone photo's GPS) and anything that only claimed to be an image, and
bounds what the public pages serve. They are small, so they live in the database with the channel.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from sangsaeng.core.errors import Problem

ACCEPTED = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class Shape:
    width: int
    height: int


LOGO = Shape(512, 512)
COVER = Shape(1600, 600)
POST = Shape(1280, 1280)


def image_clean(data: bytes, *, field: str, shape: Shape) -> tuple[bytes, str]:
    """(bytes, content type) of a safe re-encoding of `data`, fitted inside `shape`."""
    limit = settings.PARTNERS_IMAGE_MAX_BYTES
    if len(data) > limit:
        raise Problem(
            code="image_too_large",
            status=413,
            field=field,
            extra={"limit": limit},
            ko=f"이미지가 너무 큽니다. 최대 {limit // 1024:,}KB까지 올릴 수 있습니다.",
            en=f"The image is too large; the limit is {limit:,} bytes.",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED or probe.width * probe.height > MAX_PIXELS:
                raise ValueError(probe.format)
            probe.verify()
            loaded = Image.open(io.BytesIO(data))
            loaded.load()
    except (UnidentifiedImageError, ValueError, OSError, SyntaxError, Image.DecompressionBombError, Warning) as exc:
        raise Problem(
            code="image_invalid",
            status=422,
            field=field,
            ko="JPEG, PNG, WebP, GIF 이미지만 올릴 수 있습니다.",
            en="Only JPEG, PNG, WebP or GIF images are accepted.",
        ) from exc
    image = ImageOps.exif_transpose(loaded)
    image.thumbnail((shape.width, shape.height))
    out = io.BytesIO()
    if (image.mode in ("RGBA", "LA", "P") and "transparency" in image.info) or image.mode in ("RGBA", "LA"):
        image.convert("RGBA").save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png"
    image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), "image/jpeg"
