"""`sangsaeng bench thumbnails`: the Drawer's photo processing against bare Pillow.

Both open the same 12 MP JPEGs and make a 250 px WebP thumbnail with `draft()`; the Drawer also
reads EXIF, guards against decompression bombs and renders the 1440 px JPEG preview it serves,
so the ratio shows what that extra work costs.
"""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from bench.harness import record_samples

NAME = "thumbnails"


def _photo(seed: int) -> bytes:
    image = Image.new("RGB", (4000, 3000), (seed * 40 % 255, 120, 200))
    draw = ImageDraw.Draw(image)
    for i in range(40):
        draw.ellipse((i * 90, i * 60 + seed, i * 90 + 600, i * 60 + 500), fill=((i * 37) % 255, (i * 91) % 255, 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def _bare(path: Path) -> None:
    with Image.open(path) as image:
        image.draft("RGB", (250, 250))
        image.thumbnail((250, 250))
        image.convert("RGB").save(io.BytesIO(), "WEBP", quality=80, method=4)


def _bare_both(path: Path) -> None:
    """Bare Pillow making the same two renditions the Drawer makes."""
    with Image.open(path) as image:
        image.draft("RGB", (1440, 1440))
        rgb = image.convert("RGB")
    preview = rgb.copy()
    preview.thumbnail((1440, 1440), Image.Resampling.LANCZOS)
    preview.save(io.BytesIO(), "JPEG", quality=85, optimize=True, progressive=True)
    thumb = preview.copy()
    thumb.thumbnail((250, 250), Image.Resampling.BILINEAR)
    thumb.save(io.BytesIO(), "WEBP", quality=80, method=4)


def _timed(series: str, fn: Callable[[Path], object], paths: list[Path], *, baseline: bool = False) -> float:
    """Seconds for every photo; each photo's time is kept for the plots."""
    samples = []
    started = time.perf_counter()
    for path in paths:
        one = time.perf_counter()
        fn(path)
        samples.append((time.perf_counter() - one) * 1000)
    elapsed = time.perf_counter() - started
    record_samples(series, samples, baseline=baseline)
    return elapsed


def run(options: dict[str, Any]) -> dict[str, Any]:
    from sangsaeng.drawer.images import image_analyse

    count = int(options.get("count", 8))
    with tempfile.TemporaryDirectory(prefix="ssg-bench-") as tmp:
        paths = []
        for i in range(count):
            path = Path(tmp) / f"p{i}.jpg"
            path.write_bytes(_photo(i))
            paths.append(path)
        _bare(paths[0])
        image_analyse(paths[0])  # warm both paths
        bare = _timed("bare_pillow_thumbnail", _bare, paths)
        bare_both = _timed("bare_pillow_same_renditions", _bare_both, paths, baseline=True)
        drawer = _timed("drawer", image_analyse, paths)
    return {
        "name": NAME,
        "count": count,
        "rps": {
            "drawer_photos_per_s": round(count / drawer, 2),
            "bare_pillow_thumbs_per_s": round(count / bare, 2),
            "bare_pillow_thumb_and_preview_per_s": round(count / bare_both, 2),
        },
        "ratio": {
            "drawer_vs_bare_pillow_same_renditions": round(bare_both / drawer, 3),
            "drawer_vs_bare_pillow_thumbnail_only": round(bare / drawer, 3),
        },
    }
