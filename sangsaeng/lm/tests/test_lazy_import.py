"""Web processes never import torch or transformers: only the LM process loads them."""

from __future__ import annotations

import subprocess
import sys

import pytest

# The PostgreSQL pass leaves this out as an exact repeat: subprocesses that only import modules.
pytestmark = pytest.mark.backend_free


def test_django_setup_and_urls_do_not_import_torch():
    code = (
        "import django, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'sangsaeng.settings'); django.setup();"
        "import sangsaeng.urls, sangsaeng.wsgi, sangsaeng.lm.openai.views, sangsaeng.lm.views;"
        "heavy = sorted(m for m in ('torch', 'transformers', 'tokenizers') if m in sys.modules);"
        "print(','.join(heavy) or 'none')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip().splitlines()[-1] == "none"


def test_serve_starts_the_lm_process():
    from sangsaeng.core.serving import extra_process_specs

    lm = [spec for spec in extra_process_specs() if spec.name == "lm"]
    assert len(lm) == 1
    assert lm[0].argv[-2:] == ["lm", "server"]
