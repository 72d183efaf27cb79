"""/healthz: the database, the task queue, the cache and each configured service."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"engine": connection.vendor}


def _tasks() -> dict[str, Any]:
    backend = str(settings.TASKS["default"]["BACKEND"])
    if backend.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        return {"backend": "database", "ready": DBTaskResult.objects.filter(status="READY").count()}
    if backend.startswith("django_tasks_rq"):
        import django_rq

        queue = django_rq.get_queue("default")
        queue.connection.ping()
        return {"backend": "redis", "queued": len(queue)}
    return {"backend": backend.rsplit(".", 1)[-1]}


def _cache() -> dict[str, Any]:
    for alias in ("default", "ratelimit"):
        cache = caches[alias]
        cache.set("healthz", "ok", 5)
        if cache.get("healthz") != "ok":
            raise RuntimeError(f"cache {alias} does not keep values")
    return {"backend": str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]}


def _redis() -> dict[str, Any]:
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
    return {"url": settings.REDIS_URL.split("@")[-1]}


def _storage() -> dict[str, Any]:
    from django.core.files.storage import default_storage

    default_storage.exists("healthz")
    return {"backend": type(default_storage).__name__}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": _database,
    "tasks": _tasks,
    "cache": _cache,
    "storage": _storage,
}


def register_check(name: str, check: Callable[[], dict[str, Any]]) -> None:
    """Apps add checks for the services they configure (the chain node, the LM server …)."""
    CHECKS[name] = check


def healthz(request: HttpRequest) -> JsonResponse:
    checks = dict(CHECKS)
    if settings.REDIS_URL:
        checks["redis"] = _redis
    results: dict[str, Any] = {}
    healthy = True
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            results[name] = {"status": "ok", **check()}
        except Exception as exc:
            healthy = False
            results[name] = {"status": "error", "error": f"{type(exc).__name__}: {exc}"[:300]}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return JsonResponse({"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503)
