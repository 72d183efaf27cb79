"""Demo Drawer: a few photos for 김상생, drawn with Pillow, with EXIF dates and GPS around Seoul and Jeju."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from fractions import Fraction

from PIL import Image, ImageDraw

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.core.demo import register
from sangsaeng.drawer.models import Item
from sangsaeng.drawer.services import file_save_from

DEMO_EMAIL = "demo@sangsaeng.kr"

# (file name, when, latitude, longitude, sky, ground)
PHOTOS = [
    ("경복궁.jpg", datetime(2026, 4, 5, 10, 20), 37.5796, 126.9770, (135, 190, 235), (120, 90, 60)),
    ("한강_노을.jpg", datetime(2026, 4, 5, 18, 45), 37.5284, 126.9327, (250, 150, 90), (40, 60, 110)),
    ("판교_점심.jpg", datetime(2026, 6, 12, 12, 30), 37.3948, 127.1112, (200, 220, 240), (90, 90, 90)),
    ("성산일출봉.jpg", datetime(2026, 8, 2, 6, 10), 33.4590, 126.9425, (255, 200, 120), (40, 120, 70)),
    ("협재해변.jpg", datetime(2026, 8, 3, 15, 0), 33.3940, 126.2397, (120, 200, 250), (230, 210, 160)),
    ("한라산.jpg", datetime(2026, 8, 4, 9, 40), 33.3617, 126.5292, (170, 210, 250), (60, 110, 60)),
]


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = Fraction(round((value - degrees - minutes / 60) * 3600 * 100), 100)
    return Fraction(degrees), Fraction(minutes), seconds


def _photo(when: datetime, lat: float, lon: float, sky: tuple[int, int, int], ground: tuple[int, int, int]) -> bytes:
    width, height = 1600, 1200
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.65, height * 0.12, width * 0.8, height * 0.32), fill=(255, 240, 200))
    draw.polygon(
        [
            (0, height * 0.7),
            (width * 0.3, height * 0.45),
            (width * 0.6, height * 0.65),
            (width, height * 0.5),
            (width, height),
            (0, height),
        ],
        fill=ground,
    )
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Samsung", "Galaxy S26"
    exif.get_ifd(0x8769)[0x9003] = when.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8769)[0x9011] = "+09:00"
    exif.get_ifd(0x8825).update({1: "N", 2: _dms(lat), 3: "E", 4: _dms(lon)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


@register("drawer", order=30)
def build(say: Callable[[str], None]) -> None:
    user = user_get_by_email(email=DEMO_EMAIL)
    if user is None:
        return
    existing = set(Item.objects.filter(owner=user).values_list("name", flat=True))
    added = 0
    for name, when, lat, lon, sky, ground in PHOTOS:
        if name in existing:
            continue
        file_save_from(
            owner=user,
            name=name,
            data=_photo(when, lat, lon, sky, ground),
            content_type="image/jpeg",
            source="demo",
            folder="Camera",
        )
        added += 1
    if added:
        say(f"drawer: {added} photos for {DEMO_EMAIL} (Seoul, Pangyo, Jeju)")
