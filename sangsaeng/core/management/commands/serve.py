"""sangsaeng serve: everything on one machine (what `make run` starts)."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from sangsaeng.core import serving
from sangsaeng.core.tls import ensure_self_signed


class Command(BaseCommand):
    help = "Serve HTTP, HTTPS and WebSockets and run the task worker, each as a child process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.BIND_HOST)
        parser.add_argument("--workers", type=int, default=settings.WEB_WORKERS)
        parser.add_argument("--no-worker", action="store_true", help="Do not start the task worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        host, workers = options["host"], options["workers"]
        tls = ensure_self_signed(settings.TLS_DIR)
        specs = [
            serving.wsgi_spec(name="http", host=host, port=settings.HTTP_PORT, workers=workers),
            serving.wsgi_spec(name="https", host=host, port=settings.HTTPS_PORT, workers=workers, tls=tls),
            serving.asgi_spec(host=host, port=settings.WS_PORT),
        ]
        specs += [*self.extra_specs()]
        if not options["no_worker"]:
            specs.append(serving.worker_spec())
        shown = "127.0.0.1" if host in ("0.0.0.0", "127.0.0.1") else host  # noqa: S104
        self.stdout.write(
            self.style.SUCCESS("상생 sangsaeng is starting")
            + f"\n  web        http://{shown}:{settings.HTTP_PORT}/"
            + f"\n  web (TLS)  https://{shown}:{settings.HTTPS_PORT}/   (self-signed: {tls[0]})"
            + f"\n  websocket  ws://{shown}:{settings.WS_PORT}/ws/notifications/"
            + f"\n  API        http://{shown}:{settings.HTTP_PORT}/api/v1/docs"
            + f"\n  health     http://{shown}:{settings.HTTP_PORT}/healthz"
            + "\n  demo       demo@sangsaeng.kr / sangsaeng-demo-2026"
            + "\n  operator   admin@sangsaeng.kr / sangsaeng-admin-2026  (/admin/)"
            + f"\n  workers    {workers} per web port; Ctrl-C stops everything\n"
        )
        sys.exit(serving.supervise(specs))

    def extra_specs(self) -> list[serving.ProcessSpec]:
        """Processes other apps add (the embedded chain node)."""
        from sangsaeng.core.serving import extra_process_specs

        return extra_process_specs()
