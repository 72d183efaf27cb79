"""How `sangsaeng serve` starts the embedded node, and how the node runs."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from types import FrameType

from sangsaeng.core.serving import ProcessSpec

log = logging.getLogger(__name__)


def node_spec() -> ProcessSpec:
    return ProcessSpec(name="chain-node", argv=[sys.executable, "-m", "sangsaeng.cli", "chain-node"])


def node_run(*, data_dir: Path, host: str, port: int, chain_id: int, funded_keys: list[bytes]) -> None:
    """Open (or create) the chain in `data_dir` and serve JSON-RPC until SIGTERM/SIGINT."""
    from sangsaeng.chain.node.backend import open_chain
    from sangsaeng.chain.node.rpc import ChainRPC, make_server

    tester, backend = open_chain(path=data_dir / "chain.sqlite3", chain_id=chain_id, funded_keys=funded_keys)
    server = make_server(ChainRPC(tester, chain_id=chain_id, backend=backend), host=host, port=port)

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    head = backend.chain.get_canonical_head()
    print(f"chain-node: chain {chain_id} at block {head.block_number}, JSON-RPC on http://{host}:{port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        with ChainRPC.global_lock:
            backend.close()
