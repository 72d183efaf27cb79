"""Test media made on the fly: photos with EXIF dates and GPS, a tiny HEIC, a short MP4."""

from __future__ import annotations

import io
import subprocess
from datetime import datetime
from fractions import Fraction
from pathlib import Path

from PIL import Image, ImageDraw


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 2)
    return Fraction(degrees), Fraction(minutes), Fraction(seconds).limit_denominator(1000)


def jpeg(
    *,
    size: tuple[int, int] = (640, 480),
    color: str = "teal",
    taken: datetime | None = None,
    gps: tuple[float, float] | None = None,
    camera: tuple[str, str] = ("Samsung", "Galaxy S24"),
    label: str = "",
) -> bytes:
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill="white")
    if label:
        draw.text((10, 10), label, fill="black")
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = camera
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
        exif.get_ifd(0x8769)[0x9011] = "+09:00"
    if gps:
        lat, lon = gps
        exif.get_ifd(0x8825).update(
            {1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon)}
        )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def png(size: tuple[int, int] = (64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, "PNG")
    return out.getvalue()


def heic() -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (256, 192), "purple").save(out, "HEIF", quality=50)
    return out.getvalue()


def mp4(path: Path, *, seconds: float = 1.0, size: str = "320x240", created: str = "") -> bytes:
    import imageio_ffmpeg

    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=size={size}:rate=10:duration={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            *(["-metadata", f"creation_time={created}"] if created else []),
            str(path),
        ],
        check=True,
    )
    return path.read_bytes()


def bomb_png(width: int = 20000, height: int = 20000) -> bytes:
    """A PNG whose header claims width x height pixels but is tiny on disk (1-bit, compressed)."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG", optimize=True)
    return out.getvalue()
