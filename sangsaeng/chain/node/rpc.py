"""Ethereum JSON-RPC over HTTP for the embedded chain.

Requests go through web3.py's eth-tester request pipeline (the same formatters its
EthereumTesterProvider uses), then results are put in wire form: integers as hex quantities,
bytes as hex data. One lock serialises every call, so exactly one thread touches the chain:
this process is the chain's only writer.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from eth_abi import abi
from eth_tester import EthereumTester
from eth_tester.exceptions import TransactionFailed
from hexbytes import HexBytes
from web3 import Web3
from web3.providers.eth_tester import EthereumTesterProvider

from sangsaeng.chain.node.backend import PersistentPyEVMBackend
from sangsaeng.chain.node.logs import BadParams, logs_query

log = logging.getLogger(__name__)

ERROR_SELECTOR = bytes.fromhex("08c379a0")  # Error(string)


def to_wire(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return hex(value)
    if isinstance(value, bytes | bytearray | HexBytes):
        return "0x" + bytes(value).hex()
    if isinstance(value, Mapping):
        return {key: to_wire(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_wire(item) for item in value]
    return value


class ChainRPC:
    """Dispatches JSON-RPC calls to an EthereumTester, one at a time."""

    global_lock = threading.Lock()

    def __init__(self, tester: EthereumTester, *, chain_id: int, backend: PersistentPyEVMBackend) -> None:
        self.w3 = Web3(EthereumTesterProvider(tester))
        self.backend = backend
        self.chain_id = chain_id
        self.lock = self.global_lock

    def call(self, request: Any) -> dict[str, Any]:
        if not isinstance(request, dict) or not isinstance(request.get("method"), str):
            return {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "Invalid Request"}}
        request_id = request.get("id")
        method, params = request["method"], request.get("params") or []
        try:
            result = self._dispatch(method, params)
        except TransactionFailed as exc:
            reason = str(exc.args[0]) if exc.args else ""
            reason = reason.removeprefix("execution reverted").removeprefix(": ")
            if reason in {"b''", "None"}:  # a bare `revert` carries no message
                error = {"code": 3, "message": "execution reverted", "data": "0x"}
            else:
                data = "0x" + (ERROR_SELECTOR + abi.encode(["string"], [reason])).hex()
                error = {"code": 3, "message": f"execution reverted: {reason}", "data": data}
            return {"jsonrpc": "2.0", "id": request_id, "error": error}
        except Exception as exc:  # the node reports any refusal to the client instead of dying
            log.info("rpc %s refused: %r", method, exc)
            return {"jsonrpc": "2.0", "id": request_id, "error": {"code": -32000, "message": str(exc) or repr(exc)}}
        return {"jsonrpc": "2.0", "id": request_id, **to_wire(result)}

    def _dispatch(self, method: str, params: list[Any]) -> dict[str, Any]:
        if method == "eth_chainId":
            return {"result": self.chain_id}
        if method == "net_version":
            return {"result": str(self.chain_id)}
        if method == "net_listening":
            return {"result": True}
        if method == "eth_getLogs":
            if not params or not isinstance(params[0], dict):
                raise BadParams("eth_getLogs takes one filter object")
            with self.lock:
                return {"result": logs_query(self.backend, params[0])}
        with self.lock:
            response = self.w3.manager._make_request(method, params)  # type: ignore[arg-type]
        if "error" in response:
            return {"error": dict(response["error"])}
        return {"result": response.get("result")}


def make_server(rpc: ChainRPC, *, host: str, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body leave in two writes; with Nagle on, the body waits for the client's
        # delayed ACK (~40 ms a request on Linux)
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                payload = json.loads(self.rfile.read(length))
            except ValueError:
                self._send({"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}})
                return
            if isinstance(payload, list):
                self._send([rpc.call(item) for item in payload])
            else:
                self._send(rpc.call(payload))

        def do_GET(self) -> None:
            self._send({"node": "sangsaeng-embedded", "chain_id": rpc.chain_id})

        def _send(self, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug(format, *args)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server
