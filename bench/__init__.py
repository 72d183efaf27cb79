"""Benchmarks: each module has `run(options) -> dict`; `sangsaeng bench NAME` prints it as one JSON line.

Every benchmark measures against its own baseline in the same run and reports the ratio, because
this kind of machine is noisy: absolute numbers move between runs, ratios much less.
"""

BENCHMARKS: dict[str, str] = {
    "api": "bench.api",
    "chain-mint": "bench.chain_mint",
    "sync-tokens": "bench.sync_tokens",
    "vault-sync": "bench.vault_sync",
    "upload": "bench.drawer_upload",
    "thumbnails": "bench.drawer_thumbnails",
    "timeline": "bench.drawer_timeline",
    "identity": "bench.identity_verify",
    "broadcast": "bench.partners_broadcast",
    "fanout": "bench.messaging_fanout",
    "ledger": "bench.payments_ledger",
    "search": "bench.search_index",
    "authenticity": "bench.authenticity_verify",
    "drop-rush": "bench.drops_rush",
    "checkout": "bench.commerce_checkout",
    "lm": "bench.lm_serving",
    "insights": "bench.insights",
    "assistant": "bench.assistant_latency",
    "commons": "bench.contributions_pipeline",
    "load": "bench.load",
}
