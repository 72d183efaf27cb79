"""sangsaeng chain-node: the embedded EVM dev chain (what `sangsaeng serve` starts without CHAIN_RPC_URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from hexbytes import HexBytes

from sangsaeng.chain.node.process import node_run
from sangsaeng.chain.relayer import relayer_key


class Command(BaseCommand):
    help = "Run the embedded single-node EVM chain (py-evm on SQLite) with JSON-RPC on loopback."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.CHAIN_NODE_HOST)
        parser.add_argument("--port", type=int, default=settings.CHAIN_NODE_PORT)
        parser.add_argument("--data-dir", default=str(settings.CHAIN_NODE_DIR))
        parser.add_argument("--chain-id", type=int, default=settings.CHAIN_EMBEDDED_CHAIN_ID)

    def handle(self, *args: Any, **options: Any) -> None:
        node_run(
            data_dir=Path(options["data_dir"]),
            host=options["host"],
            port=options["port"],
            chain_id=options["chain_id"],
            funded_keys=[bytes(HexBytes(relayer_key()))],
        )
