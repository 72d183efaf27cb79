"""Named option sets for `sangsaeng bench --all --preset NAME`, per benchmark.

`quick` shrinks every benchmark's size. On the shared 2-core dev box (load average 9-12 from other
work) its benchmarks' processes took 84 minutes in all (49 with two runners side by side), most of
it starting processes and migrating fresh databases rather than measuring: bench/RESULTS.md gives
each benchmark's time. The ratios keep their meaning (same measurement, same baseline, same run);
the sizes the issues name are the defaults, which `make bench` runs. A benchmark missing here runs
at its defaults, so one registered later in `bench.BENCHMARKS` is run by `--all` with or without a
preset.
"""

from __future__ import annotations

PRESETS: dict[str, dict[str, dict[str, str]]] = {
    "quick": {
        "api": {"seconds": "3"},
        "chain-mint": {"mints": "10", "reads": "50"},
        "sync-tokens": {"n": "100"},
        "vault-sync": {"sizes": "1000", "repeat": "5", "creates": "50"},
        "upload": {"mb": "50"},
        "thumbnails": {"count": "4"},
        "timeline": {"items": "5000", "requests": "30"},
        "identity": {"seconds": "3"},
        "broadcast": {"followers": "10000"},
        "fanout": {"clients": "60", "conversations": "6"},
        "ledger": {"entries": "300"},
        "search": {"docs": "5000", "queries": "60", "sample": "300"},
        "authenticity": {"mints": "10", "requests": "60"},
        "drop-rush": {"buyers": "200", "editions": "50"},
        "checkout": {"buyers": "60", "stock": "20"},
        "lm": {"tokens": "32", "repeat": "2"},
        "insights": {"events": "100000"},
        "assistant": {"rounds": "1", "cards": "20"},
        "commons": {"mb": "2"},
    },
}
