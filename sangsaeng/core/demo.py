"""A small registry of demo-content builders; `sangsaeng demo` runs them in order.

Each app registers one builder in its `demo.py`. Builders are idempotent: running the demo twice
leaves one copy of everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True)
class DemoBuilder:
    name: str
    order: int
    build: Callable[[Callable[[str], None]], None]


_BUILDERS: dict[str, DemoBuilder] = {}


def register(name: str, *, order: int = 100) -> Callable[[Callable[[Callable[[str], None]], None]], Callable]:
    def decorate(fn: Callable[[Callable[[str], None]], None]) -> Callable[[Callable[[str], None]], None]:
        _BUILDERS[name] = DemoBuilder(name=name, order=order, build=fn)
        return fn

    return decorate


def builders() -> list[DemoBuilder]:
    for config in apps.get_app_configs():
        if config.name.startswith("sangsaeng."):
            try:
                import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
    return sorted(_BUILDERS.values(), key=lambda b: (b.order, b.name))
