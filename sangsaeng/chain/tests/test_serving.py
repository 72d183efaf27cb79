"""`sangsaeng serve` starts the embedded node when no external node is configured."""

from __future__ import annotations

import sys

from sangsaeng.chain.node.process import node_spec
from sangsaeng.chain.relayer import relayer_key


def test_the_node_spec_runs_the_chain_node_command():
    spec = node_spec()
    assert spec.name == "chain-node"
    assert spec.argv == [sys.executable, "-m", "sangsaeng.cli", "chain-node"]


def test_the_development_relayer_key_is_made_once(settings, tmp_path):
    # given a development profile without CHAIN_RELAYER_KEY
    settings.TESTING = False
    settings.CHAIN_RELAYER_KEY = ""
    settings.CHAIN_NODE_DIR = tmp_path
    # when it is asked for twice
    first, second = relayer_key(), relayer_key()
    # then the same key comes back, kept readable by its owner only
    assert first == second
    assert first.startswith("0x") and len(first) == 66
    assert (tmp_path / "relayer.key").stat().st_mode & 0o777 == 0o600
