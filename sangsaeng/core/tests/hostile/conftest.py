"""Hostile-corpus fixtures: the checked-in files, a private Drawer directory, and a health check."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = sorted(p.name for p in CORPUS.iterdir() if p.suffix != ".json")


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@pytest.fixture(autouse=True)
def _drawer_files(settings, tmp_path):
    settings.DRAWER_FILES_DIR = tmp_path / "files"
    settings.STORAGE_URL = ""
    yield


def assert_healthy(client) -> None:
    health = client.get("/healthz")
    assert health.status_code == 200, health.content
    assert health.json()["status"] == "ok"


def assert_problem(response, status_range=(400, 499)) -> dict:
    assert status_range[0] <= response.status_code <= status_range[1], (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/problem+json"), response["Content-Type"]
    body = response.json()
    assert body["code"] and body["message_ko"] and body["message_en"], body
    return body
