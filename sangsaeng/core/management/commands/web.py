"""sangsaeng web: only the WSGI web server, for running the parts apart at scale."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from sangsaeng.core import serving


class Command(BaseCommand):
    help = "Serve HTTP through granian's WSGI interface (a worker per core)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.BIND_HOST)
        parser.add_argument("--port", type=int, default=settings.HTTP_PORT)
        parser.add_argument("--workers", type=int, default=settings.WEB_WORKERS)
        parser.add_argument("--certificate", type=Path, help="Serve HTTPS with this PEM certificate.")
        parser.add_argument("--key", type=Path, help="The certificate's PKCS#8 key.")
        parser.add_argument("--websockets", action="store_true", help="Serve the ASGI WebSocket app instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["websockets"]:
            spec = serving.asgi_spec(host=options["host"], port=options["port"])
        else:
            tls = (options["certificate"], options["key"]) if options["certificate"] and options["key"] else None
            spec = serving.wsgi_spec(
                name="web", host=options["host"], port=options["port"], workers=options["workers"], tls=tls
            )
        sys.exit(serving.supervise([spec]))
