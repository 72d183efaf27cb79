"""Drawer test fixtures: a private files directory per test, and generated media."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _drawer_files(settings, tmp_path):
    settings.DRAWER_FILES_DIR = tmp_path / "files"
    settings.STORAGE_URL = ""
    settings.DRAWER_SEGMENT_SIZE = 64 * 1024
    yield
