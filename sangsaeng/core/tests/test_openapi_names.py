"""OpenAPI component names are global: two apps' schemas with one name would overwrite each other."""

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_api_schema_class_names_are_unique_across_apps():
    names: Counter[str] = Counter()
    for module in ROOT.glob("*/api.py"):
        for node in ast.parse(module.read_text()).body:
            if isinstance(node, ast.ClassDef):
                names[node.name] += 1
    assert [name for name, count in names.items() if count > 1] == []
