"""Opening untrusted image bytes with Pillow without letting them cost more than their size says.

Pillow only *warns* between 89 M and 179 M pixels (DecompressionBombWarning) and decodes anyway,
so a 20 KB PNG that declares 12000x12000 pixels makes the server allocate 144-432 MB. Here the
pixel count is read from the header and refused before any pixel is decoded, the warning is an
error, and every way a broken file can fail (Pillow raises many types) becomes one `ImageRefused`
that the caller turns into its own problem+json. Apps re-encode what comes back, which drops
EXIF, trailing polyglot payloads and anything else that only rode along with the picture.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image

DEFAULT_MAX_PIXELS = 64_000_000  # a 50 MP phone photo (8160x6120) fits; pass `draft` to decode JPEGs smaller


class ImageRefused(ValueError):
    """The bytes are not an acceptable image; `reason` says why (for logs, not for users)."""

    def __init__(self, reason: str, *, bomb: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.bomb = bomb


def image_open_checked(
    data: bytes,
    *,
    formats: set[str],
    max_pixels: int = DEFAULT_MAX_PIXELS,
    draft: tuple[int, int] | None = None,
) -> Image.Image:
    """A fully loaded Pillow image of `data`, or ImageRefused: wrong format, more than `max_pixels`
    pixels (checked from the header, before decoding), truncated or corrupt. With `draft`, a JPEG
    is decoded at a reduced scale no smaller than that size (cheap previews of big photos)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in formats:
                raise ImageRefused(f"format {probe.format} is not one of {sorted(formats)}")
            width, height = probe.size
            if width * height > max_pixels or width <= 0 or height <= 0:
                raise ImageRefused(f"{width}x{height} pixels is over the limit of {max_pixels:,}", bomb=True)
            probe.verify()
            image = Image.open(io.BytesIO(data))
            if draft:
                image.draft("RGB", draft)
            image.load()
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused(f"decompression bomb: {exc}", bomb=True) from exc
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError, struct.error... for broken files
        raise ImageRefused(f"not a readable image: {exc.__class__.__name__}: {exc}"[:300]) from exc
    return image
