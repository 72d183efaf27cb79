"""`python -m sangsaeng.core.reachable DB_URL REDIS_URL`: exit 0 when both answer (used by make)."""

from __future__ import annotations

import socket
import sys
from urllib.parse import urlparse


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    db, redis = sys.argv[1], sys.argv[2]
    sys.exit(0 if reachable(db, 5432) and reachable(redis, 6379) else 1)
