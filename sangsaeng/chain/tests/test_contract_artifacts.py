"""The committed artifacts are what the sources compile to, with the pinned compiler and EVM version."""

from __future__ import annotations

import json

import pytest

from sangsaeng.chain.build import BUILD_DIR, CONTRACTS, EVM_VERSION, contracts_build

# The PostgreSQL pass leaves this out as an exact repeat: compiles contracts, no database.
pytestmark = pytest.mark.backend_free


def test_the_committed_artifacts_rebuild_byte_for_byte():
    assert contracts_build(check=True) == []


def test_every_artifact_names_its_compiler_and_evm_version():
    for name in CONTRACTS:
        artifact = json.loads((BUILD_DIR / f"{name}.json").read_text())
        assert artifact["compiler"] == "vyper 0.4.3"
        assert artifact["evm_version"] == EVM_VERSION
        assert artifact["bytecode"].startswith("0x")
