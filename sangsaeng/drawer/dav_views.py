"""/dav/ as a Django view that hands the request to WsgiDAV (a WSGI app) and streams its answer."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt
from wsgidav.error_printer import ErrorPrinter
from wsgidav.http_authenticator import HTTPAuthenticator
from wsgidav.request_resolver import RequestResolver
from wsgidav.wsgidav_app import WsgiDAVApp

from sangsaeng.drawer.dav import DrawerDomainController, DrawerProvider
from sangsaeng.drawer.dav_state import TableLockStorage, TablePropertyManager

MOUNT = "/dav"


@cache
def dav_app() -> WsgiDAVApp:
    return WsgiDAVApp(
        {
            "mount_path": MOUNT,
            "provider_mapping": {"/": DrawerProvider()},
            "http_authenticator": {
                "domain_controller": DrawerDomainController,
                "accept_basic": True,
                "accept_digest": False,
                "default_to_digest": False,
            },
            "middleware_stack": [ErrorPrinter, HTTPAuthenticator, RequestResolver],
            "property_manager": TablePropertyManager(),
            "lock_storage": TableLockStorage(),
            "verbose": 1,
            "logging": {"enable": None},
            "suppress_version_info": True,
            "add_header_MS_Author_Via": True,
        }
    )


# Django adds these itself; WsgiDAV's values for the rest are passed through.
_SKIP = {"content-type", "content-length"}


@csrf_exempt
def dav(request: HttpRequest, path: str = "") -> StreamingHttpResponse:
    environ: dict[str, Any] = dict(request.META)  # the WSGI environ
    if "chunked" not in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower():
        # Django's request reads at most Content-Length; a chunked body stays on the server's stream.
        environ["wsgi.input"] = request
    environ["SCRIPT_NAME"] = ""
    environ.setdefault("HTTP_HOST", request.get_host())
    # Django puts the decoded path in PATH_INFO; WSGI (and WsgiDAV) want UTF-8 bytes as latin-1.
    raw = request.path_info.encode("utf-8").decode("latin-1")
    environ["PATH_INFO"] = raw[len(MOUNT) :] or "/"
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = headers
        return lambda data: None

    body: Iterable[bytes] = dav_app()(environ, start_response)
    chunks = iter(body)
    first = next(chunks, b"")  # runs the app far enough to have called start_response

    def stream() -> Iterable[bytes]:
        try:
            if first:
                yield first
            yield from chunks
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    headers = dict(captured["headers"])
    lower = {k.lower(): v for k, v in headers.items()}
    response = StreamingHttpResponse(
        stream(), status=captured["status"], content_type=lower.get("content-type", "application/octet-stream")
    )
    for name, value in captured["headers"]:
        if name.lower() not in _SKIP:
            response[name] = value
    if "content-length" in lower:
        response["Content-Length"] = lower["content-length"]
    # Files are the user's own bytes: a browser opening one never runs it in our origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
