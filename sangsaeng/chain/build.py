"""Compile the Vyper contracts into the artifacts committed under contracts/build/.

The compiler version, the EVM version and the optimisation level are fixed here, and each
artifact carries the hash of its source and the snekmate version it imports, so
`sangsaeng chain build --check` proves the committed bytecode is what these sources give: an
auditor rebuilds it and compares bytes.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import sys
from pathlib import Path
from typing import Any

CONTRACTS_DIR = Path(__file__).resolve().parent / "contracts"
BUILD_DIR = CONTRACTS_DIR / "build"
EVM_VERSION = "cancun"
VYPER_VERSION = "0.4.3"
CONTRACTS = ("ProductPassport", "ArtworkEditions", "ContributionShares")


def contract_compile(name: str) -> dict[str, Any]:
    import vyper
    from vyper.compiler.input_bundle import FilesystemInputBundle
    from vyper.compiler.settings import OptimizationLevel, Settings

    if vyper.__version__.split("+")[0] != VYPER_VERSION:
        raise RuntimeError(f"contracts build with vyper {VYPER_VERSION}, not {vyper.__version__}")
    path = CONTRACTS_DIR / f"{name}.vy"
    bundle = FilesystemInputBundle([CONTRACTS_DIR, *(Path(p) for p in sys.path if p)])
    out = vyper.compile_code(
        path.read_text(),
        contract_path=path.name,
        input_bundle=bundle,
        settings=Settings(evm_version=EVM_VERSION, optimize=OptimizationLevel.GAS),
        output_formats=["abi", "bytecode", "bytecode_runtime"],
    )
    return {
        "contract": name,
        "compiler": f"vyper {VYPER_VERSION}",
        "evm_version": EVM_VERSION,
        "optimize": "gas",
        "source_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "snekmate": importlib.metadata.version("snekmate"),
        "abi": out["abi"],
        "bytecode": out["bytecode"],
        "bytecode_runtime": out["bytecode_runtime"],
    }


def artifact_text(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def contracts_build(*, check: bool) -> list[str]:
    """Write the artifacts, or with `check` return the names whose committed artifact differs."""
    differing = []
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    for name in CONTRACTS:
        text = artifact_text(contract_compile(name))
        target = BUILD_DIR / f"{name}.json"
        if check:
            if not target.exists() or target.read_text() != text:
                differing.append(name)
        else:
            target.write_text(text)
    return differing
