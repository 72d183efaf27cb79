"""Videos: duration and resolution, a poster frame and a 720p H.264 transcode for browsers.

imageio-ffmpeg ships a static ffmpeg but no ffprobe, so metadata comes from `ffmpeg -i`'s report.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sangsaeng.drawer.images import MediaError

TRANSCODE_HEIGHT = 720
TIMEOUT = 600


def ffmpeg() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


@dataclass
class VideoInfo:
    duration: float
    width: int
    height: int
    codec: str
    created_at: datetime | None = None


_CREATED = re.compile(r"creation_time\s*:\s*(\S+)")
_DURATION = re.compile(r"Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?Video:\s*(\w+)[^\n]*?,\s*(\d{2,5})x(\d{2,5})")


def video_probe(path: Path) -> VideoInfo:
    try:
        report = subprocess.run(
            [ffmpeg(), "-hide_banner", "-nostdin", "-i", str(path)],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=60,
        ).stderr
    except subprocess.TimeoutExpired as exc:
        raise MediaError("not a readable video: probing took longer than 60 s") from exc
    stream = _VIDEO.search(report)
    duration = _DURATION.search(report)
    if stream is None or duration is None:
        last = report.strip().splitlines()[-1] if report.strip() else "no output"
        raise MediaError(f"not a readable video: {last}"[:300])
    hours, minutes, seconds = duration.groups()
    created = _CREATED.search(report)
    created_at = None
    if created:
        try:
            created_at = datetime.fromisoformat(created.group(1).replace("Z", "+00:00"))
        except ValueError:
            created_at = None
        if created_at is not None and (created_at.tzinfo is None or created_at.year < 1990):
            created_at = None
    return VideoInfo(
        created_at=created_at,
        duration=round(int(hours) * 3600 + int(minutes) * 60 + float(seconds), 3),
        width=int(stream.group(2)),
        height=int(stream.group(3)),
        codec=stream.group(1),
    )


def _run(argv: list[str], what: str) -> None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, errors="replace", timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise MediaError(f"{what} failed: took longer than {TIMEOUT} s") from exc
    if done.returncode != 0:
        last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
        raise MediaError(f"{what} failed: {last}"[:300])


def video_poster(path: Path, out: Path, *, duration: float) -> None:
    at = min(1.0, duration / 2) if duration > 0 else 0
    _run(
        [
            ffmpeg(),
            "-hide_banner",
            "-nostdin",
            "-y",
            "-ss",
            f"{at:.2f}",
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-vf",
            "scale='min(1440,iw)':-2",
            "-q:v",
            "3",
            str(out),
        ],
        "poster",
    )
    if not out.exists() or out.stat().st_size == 0:
        raise MediaError("poster failed: no frame decoded")


def video_transcode(path: Path, out: Path) -> None:
    """H.264 + AAC in MP4 with the index up front, at most 720 lines, for any browser."""
    _run(
        [
            ffmpeg(),
            "-hide_banner",
            "-nostdin",
            "-y",
            "-i",
            str(path),
            "-vf",
            f"scale=-2:'min({TRANSCODE_HEIGHT},ih)'",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "26",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-b:a",
            "128k",
            "-movflags",
            "+faststart",
            "-threads",
            "2",
            str(out),
        ],
        "transcode",
    )
