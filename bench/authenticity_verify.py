"""`sangsaeng bench authenticity`: the public verification page, and batch issuance against raw mints.

- Verification: the QR page and the NFC page (each request a fresh SUN message, so every one runs
  the whole AN12196 check and the atomic counter update) served by granian WSGI, timed one
  request at a time for p50/p99, against the passport's metadata JSON (one ORM read) as baseline.
- Issuance: N passports from one CSV through the batch path (validation, rows, QR tags, provenance,
  outbox) and the worker until every mint is confirmed, against N `ProductPassport.issue` calls
  signed and sent one by one with web3.py, both on the same embedded chain in the same run.

Everything runs in child processes with their own var dir, database and chain.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.harness import free_port, granian, percentile, record_samples, server

NAME = "authenticity"

PREPARE = r"""
import json, sys, time
import django
django.setup()
from eth_account import Account
from sangsaeng.accounts.services import user_create
from sangsaeng.authenticity import services
from sangsaeng.authenticity.sun import sun_message
from sangsaeng.authenticity.verification import tag_keys_for
from sangsaeng.authenticity.models import Tag
from sangsaeng.chain import services as chain
from sangsaeng.chain.deploy import contracts_deploy
from sangsaeng.chain.gateway import GAS, chain_web3, contract_at
from sangsaeng.chain.models import ChainTransaction
from sangsaeng.chain.relayer import relayer_account
from sangsaeng.chain.worker import chain_sweep

mints, taps, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
contracts = contracts_deploy()
w3 = chain_web3()
passport = contract_at("ProductPassport", contracts["ProductPassport"])
relayer = relayer_account()
owner = user_create(email="brand@example.com", password="bench-password-2026", verified=True)
ops = user_create(email="ops@example.com", password="bench-password-2026", verified=True, staff=True)
brand = services.brand_create(owner=owner, name="벤치 브랜드", slug="bench")
services.brand_verify(actor=ops, slug="bench")

# baseline: raw web3 issue calls, one by one, waiting for each receipt
brand_key = chain.brand_id("raw-bench")
nonce = w3.eth.get_transaction_count(relayer.address)
chain_no, gas_price = w3.eth.chain_id, w3.eth.gas_price
def send(fn, gas):
    global nonce
    tx = fn.build_transaction({"from": relayer.address, "gas": gas, "gasPrice": gas_price, "nonce": nonce,
                               "chainId": chain_no})
    nonce += 1
    h = w3.eth.send_raw_transaction(relayer.sign_transaction(tx).raw_transaction)
    return w3.eth.wait_for_transaction_receipt(h, poll_latency=0.005)
send(passport.functions.set_issuer(brand_key, relayer.address, True), GAS["ProductPassport.set_issuer"])
started = time.perf_counter()
for i in range(mints):
    send(passport.functions.issue(brand_key, relayer.address, 10**12 + i, bytes([i % 256]) * 32),
         GAS["ProductPassport.issue"])
raw_seconds = time.perf_counter() - started

# the batch path: one CSV, then the worker until every mint is confirmed
header = "serial,product_name,model,manufactured_on,manufactured_at,materials,images,warranty_months,warranty_terms\n"
rows = "".join(f"BENCH-{i:05},벤치 제품,B-1,2026-01-02,서울,면;가죽,,12,무상 수리\n" for i in range(mints))
started = time.perf_counter()
issued = services.passports_issue_csv(actor=owner, slug="bench", content=(header + rows).encode())
keys = [p.issue_key for p, _ in issued]
while ChainTransaction.objects.filter(idempotency_key__in=keys, status="confirmed").count() < mints:
    chain_sweep()
batch_seconds = time.perf_counter() - started

first = issued[0][0]
tag = services.nfc_tags_create(brand=brand, count=1)[0]
services.tag_attach(actor=owner, slug="bench", tag_code=tag["code"], token_id=first.token_id)
meta, file = tag_keys_for(Tag.objects.select_related("brand").get(code=tag["code"]))
uid = bytes.fromhex("04B0B1B2B3B4B5")
urls = [f"/authenticity/n/{tag['code']}?picc_data={m['picc_data']}&cmac={m['cmac']}"
        for m in (sun_message(meta_read_key=meta, file_read_key=file, uid=uid, counter=c) for c in range(1, taps + 1))]
json.dump({
    "qr": f"/authenticity/t/{first.tags.get(kind='qr').code}",
    "json": f"/authenticity/p/{first.token_id}.json",
    "nfc": urls,
    "mints": mints,
    "raw_mints_per_s": round(mints / raw_seconds, 1),
    "batch_passports_per_s": round(mints / batch_seconds, 1),
    "batch_vs_raw_mint": round(raw_seconds / batch_seconds, 3),
}, open(out, "w"))
"""


def _timed(client: httpx.Client, urls: list[str]) -> tuple[list[float], set[int]]:
    samples, statuses = [], set()
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status_code)
    return samples, statuses


def run(options: dict[str, Any]) -> dict[str, Any]:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    mints = int(options.get("mints", 100))
    requests = int(options.get("requests", 300))
    cli = [sys.executable, "-m", "sangsaeng.cli"]
    with tempfile.TemporaryDirectory(prefix="ssg-bench-auth-") as var:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHAIN_") and k != "DATABASE_URL"}
        env.update(
            SANGSAENG_VAR_DIR=var,
            CHAIN_RPC_URL=f"http://127.0.0.1:{port}",
            DJANGO_SETTINGS_MODULE="sangsaeng.settings",
            DEBUG="false",
            LOG_LEVEL="WARNING",
            AUTHENTICITY_QR_DEVICE_THRESHOLD="1000000",
        )
        node = subprocess.Popen(
            [*cli, "chain-node", "--port", str(port), "--data-dir", f"{var}/chain"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            from bench.chain_mint import _wait

            _wait(env["CHAIN_RPC_URL"], node)
            subprocess.run([*cli, "migrate", "--noinput", "-v", "0"], env=env, check=True)
            plan_path = Path(var) / "plan.json"
            subprocess.run(
                [sys.executable, "-c", PREPARE, str(mints), str(requests + 20), str(plan_path)], env=env, check=True
            )
            plan = json.loads(plan_path.read_text())
            web = free_port()
            base = f"http://127.0.0.1:{web}"
            with (
                server(granian("wsgi", "sangsaeng.wsgi:application", web, 1), env=env, probe=f"{base}/healthz"),
                httpx.Client(base_url=base, timeout=30) as client,
            ):
                _timed(client, [plan["json"], plan["qr"]] * 10 + plan["nfc"][:20])  # warm up
                json_ms, json_status = _timed(client, [plan["json"]] * requests)
                qr_ms, qr_status = _timed(client, [plan["qr"]] * requests)
                nfc_ms, nfc_status = _timed(client, plan["nfc"][20 : 20 + requests])
        finally:
            node.terminate()
            node.wait(timeout=10)
    p50 = {name: percentile(s, 50) for name, s in (("json", json_ms), ("qr", qr_ms), ("nfc", nfc_ms))}
    record_samples("verify_nfc", nfc_ms)
    record_samples("verify_qr", qr_ms)
    record_samples("metadata_json", json_ms, baseline=True)
    return {
        "name": NAME,
        "requests": requests,
        "mints": plan["mints"],
        "verify_qr_ms_p50": round(p50["qr"], 2),
        "verify_qr_ms_p99": round(percentile(qr_ms, 99), 2),
        "verify_nfc_ms_p50": round(p50["nfc"], 2),
        "verify_nfc_ms_p99": round(percentile(nfc_ms, 99), 2),
        "metadata_json_ms_p50": round(p50["json"], 2),
        "statuses": sorted(json_status | qr_status | nfc_status),
        "verify_nfc_vs_json_p50": round(p50["nfc"] / p50["json"], 2),
        "verify_qr_vs_json_p50": round(p50["qr"] / p50["json"], 2),
        "raw_mints_per_s": plan["raw_mints_per_s"],
        "batch_passports_per_s": plan["batch_passports_per_s"],
        "batch_vs_raw_mint": plan["batch_vs_raw_mint"],
    }


if __name__ == "__main__":
    print(json.dumps(run({})))
