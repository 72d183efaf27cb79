"""Every app has an import-linter contract, and no app reaches into another's models, views or api."""

import configparser
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[3]
PRIVATE = ("models", "views", "api", "admin", "urls", "forms")


def _apps():
    return sorted(p.name for p in (ROOT / "sangsaeng").iterdir() if (p / "apps.py").exists() and p.name != "core")


def test_every_app_has_a_contract():
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    contracts = {s.split(":")[-1] for s in config.sections() if s.startswith("importlinter:contract:")}
    assert set(_apps()) <= contracts, f"add an import-linter contract for {set(_apps()) - contracts}"


def test_no_app_imports_another_apps_private_modules():
    graph = grimp.build_graph("sangsaeng")
    offences = []
    for app in _apps():
        for other in _apps():
            if other == app:
                continue
            for private in PRIVATE:
                target = f"sangsaeng.{other}.{private}"
                if target not in graph.modules:
                    continue
                for importer in graph.find_modules_that_directly_import(target):
                    if importer.startswith(f"sangsaeng.{app}") and ".tests" not in importer:
                        offences.append(f"{importer} -> {target}")
    assert offences == []
