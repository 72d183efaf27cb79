"""Django's live test server behind TLS, because Bitwarden clients refuse plain http.

The server runs in a thread of the test process, on the test database, with a self-signed
certificate made per test (`sangsaeng.core.tls.ensure_self_signed`).
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

from sangsaeng.core.tls import ensure_self_signed


class _HttpsHandler(QuietWSGIRequestHandler):
    def get_environ(self) -> dict[str, Any]:
        environ = super().get_environ()
        environ["HTTPS"] = "on"  # so Django builds https:// URLs
        return environ


class _TLSServerThread(LiveServerThread):
    def __init__(self, *args: Any, cert: Path, key: Path, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cert, self.key = cert, key

    def _create_server(self, connections_override: Any = None) -> Any:
        server = self.server_class(  # type: ignore[attr-defined]
            (self.host, self.port), _HttpsHandler, allow_reuse_address=False, connections_override=connections_override
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        return server


@contextmanager
def https_live_server(directory: Path) -> Iterator[tuple[str, Path]]:
    """Yield (https://localhost:PORT, certificate path) while the server runs."""
    cert, key = ensure_self_signed(directory, hosts=["localhost", "127.0.0.1"])
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}  # type: ignore[attr-defined]
    thread = _TLSServerThread("localhost", StaticFilesHandler, connections_override=shared, port=0, cert=cert, key=key)
    thread.daemon = True
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"https://localhost:{thread.port}", cert
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()
