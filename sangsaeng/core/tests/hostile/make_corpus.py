"""Regenerate the hostile input corpus in `corpus/` (deterministic; run from the repo root):

    python -m sangsaeng.core.tests.hostile.make_corpus

Every file is small on disk; the bombs are small because they only *claim* (or expand to) a size.
README.md in this folder says what each file is for.
"""

from __future__ import annotations

import gzip
import io
import json
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent / "corpus"
FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declared_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A PNG whose header says 50000x50000 RGB (7.5 GB decoded) with a few rows of real data."""
    rows = zlib.compress(b"".join(b"\x00" + b"\x00" * (width * 3) for _ in range(4)), 9)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def png_real_bomb(edge: int = 12_000) -> bytes:
    """A real, fully decodable 1-bit PNG of 12000x12000 = 144 M pixels (~20 KB on disk): over
    Pillow's warning threshold (89 M) but under its hard error (179 M), so only code that treats
    the warning as an error, or checks the size itself, refuses it before decoding 144-432 MB."""
    row = b"\x00" + b"\x00" * (edge // 8)
    data = zlib.compress(row * edge, 9)
    ihdr = struct.pack(">IIBBBBB", edge, edge, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def gzip_bomb_nested(size: int = 1 << 30) -> bytes:
    """gzip(gzip(1 GiB of zeros)): a few KB that expand to ~1 MB, then to 1 GiB."""
    inner = io.BytesIO()
    with gzip.GzipFile(fileobj=inner, mode="wb", compresslevel=9, mtime=0) as out:
        block = b"\x00" * (1 << 22)
        for _ in range(size // len(block)):
            out.write(block)
    return gzip.compress(inner.getvalue(), compresslevel=9, mtime=0)


def zip_bomb_nested() -> bytes:
    """A zip holding a zip holding 16 members of 64 MiB zeros each (1 GiB if fully expanded)."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        member = b"\x00" * (64 << 20)
        for i in range(16):
            z.writestr(zipfile.ZipInfo(f"zeros-{i:02d}.bin", FIXED_TIME), member, zipfile.ZIP_DEFLATED)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(zipfile.ZipInfo("inner.zip", FIXED_TIME), inner.getvalue(), zipfile.ZIP_DEFLATED)
    return outer.getvalue()


def zip_traversal() -> bytes:
    """A zip whose member names climb out of any folder it is extracted to."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in ("../../../../tmp/sangsaeng-escaped.txt", "/etc/cron.d/evil", "..\\..\\windows.txt", "ok.txt"):
            z.writestr(zipfile.ZipInfo(name, FIXED_TIME), b"escaped\n")
    return out.getvalue()


def _jpeg(size: tuple[int, int] = (32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "JPEG", quality=80)
    return out.getvalue()


def jpeg_huge_exif() -> bytes:
    """A 32x32 JPEG carrying a maximal (64 KB) APP1 Exif segment whose IFD declares 4095 entries,
    one with a count of 2^30 longs pointing past the end, a second IFD offset looping back to the
    first, plus three more 64 KB COM segments (256 KB of metadata around 1 KB of picture)."""
    n = 4095
    entries = b""
    for i in range(n):
        tag = 0x010E if i == 0 else 0xC000 + i  # ImageDescription, then private tags
        kind, count, value = (4, 1 << 30, 0xFFFFFFF0) if i == 1 else (2, 4, 0x41414141)
        entries += struct.pack("<HHII", tag, kind, count, value)
    ifd = struct.pack("<H", n) + entries + struct.pack("<I", 8)  # next IFD = IFD0 again: a loop
    tiff = b"II*\x00" + struct.pack("<I", 8) + ifd
    tiff += b"\x00" * (65533 - 2 - 6 - len(tiff))
    app1 = b"Exif\x00\x00" + tiff
    segment = b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1
    filler = b"\xff\xfe" + struct.pack(">H", 65535) + b"C" * 65533
    base = _jpeg()
    return base[:2] + segment + filler * 3 + base[2:]


def png_zip_polyglot() -> bytes:
    """A valid PNG that is also a valid zip (an HTML page inside): re-encoding must strip the zip."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(out, "PNG")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(zipfile.ZipInfo("index.html", FIXED_TIME), b"<script>alert(document.domain)</script>")
    return out.getvalue() + archive.getvalue()


def gif_html_polyglot() -> bytes:
    """A valid 1x1 GIF that a sniffing browser would also run as HTML/JS (comment extension + tail)."""
    out = io.BytesIO()
    Image.new("P", (1, 1), 0).save(out, "GIF")
    gif = out.getvalue()
    payload = b"<html><script>alert(document.cookie)</script></html>"
    comment = b"\x21\xfe" + bytes([len(payload)]) + payload + b"\x00"
    trailer = gif.rindex(b"\x3b")
    return gif[:trailer] + comment + gif[trailer:] + b"\n<script>alert(1)</script>\n"


def heic_truncated() -> bytes:
    """A real 64x48 HEIC cut in half: the box structure claims more than there is."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "purple").save(out, "HEIF", quality=30)
    data = out.getvalue()
    return data[: len(data) // 2]


def heic_corrupt() -> bytes:
    """An ftyp 'heic' box followed by a meta box that claims 4 GB."""
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\xff\xff\xff\xffmeta" + bytes(range(256)) * 2


def mp4_truncated() -> bytes:
    """A real one-second MP4 cut after 40%: moov may be missing or point past the end."""
    import imageio_ffmpeg

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "v.mp4"
        subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
             "-i", "testsrc=size=64x48:rate=5:duration=1", "-c:v", "libx264", "-preset", "ultrafast",
             "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-fflags", "+bitexact", str(path)],
            check=True,
        )  # fmt: skip
        data = path.read_bytes()
    return data[: len(data) * 2 // 5]


def mp4_corrupt() -> bytes:
    """An ftyp 'isom' box then an mdat that claims 2^64-1 bytes and a moov with a looping trak."""
    return (
        b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
        + b"\x00\x00\x00\x01mdat\xff\xff\xff\xff\xff\xff\xff\xff"
        + b"\x00\x00\x00\x10moov\x00\x00\x00\x08trak" * 16
    )


def html_as_jpg() -> bytes:
    """An HTML page named .jpg: no image magic at all."""
    return b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"


def svg_script() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>\n'


FILES: dict[str, Callable[[], bytes]] = {
    "png_declared_bomb.png": png_declared_bomb,
    "png_real_bomb.png": png_real_bomb,
    "gzip_bomb_nested.gz": gzip_bomb_nested,
    "zip_bomb_nested.zip": zip_bomb_nested,
    "zip_traversal.zip": zip_traversal,
    "jpeg_huge_exif.jpg": jpeg_huge_exif,
    "png_zip_polyglot.png": png_zip_polyglot,
    "gif_html_polyglot.gif": gif_html_polyglot,
    "heic_truncated.heic": heic_truncated,
    "heic_corrupt.heic": heic_corrupt,
    "mp4_truncated.mp4": mp4_truncated,
    "mp4_corrupt.mp4": mp4_corrupt,
    "html_as.jpg": html_as_jpg,
    "svg_script.svg": svg_script,
}


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, make in FILES.items():
        data = make()
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")
    from sangsaeng.core.tests.hostile.strings import PAYLOADS

    (HERE / "injection_strings.json").write_text(json.dumps(PAYLOADS, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
