"""Named option sets for `sangsaeng bench --all --preset NAME`, per benchmark.

`quick` shrinks every benchmark's size so the whole run takes about 25 minutes on the 2-core dev
machine (measured; see bench/RESULTS.md for the wall time of each). The ratios keep their meaning
(same measurement, same baseline, same run); the sizes the issues name are the defaults, which
`make bench` runs. A benchmark missing here runs at its defaults, so one registered later in
`bench.BENCHMARKS` is run by `--all` with or without a preset.
"""

from __future__ import annotations

PRESETS: dict[str, dict[str, dict[str, str]]] = {
    "quick": {
        "api": {"seconds": "3"},
        "identity": {"seconds": "3"},
        "sync-tokens": {"n": "100"},
        "thumbnails": {"count": "4"},
        "upload": {"mb": "50"},
        "ledger": {"entries": "500"},
        "broadcast": {"followers": "10000"},
        "commons": {"mb": "5"},
        "timeline": {"items": "10000", "requests": "40"},
        "chain-mint": {"mints": "20", "reads": "100"},
        "authenticity": {"mints": "30", "requests": "100"},
        "vault-sync": {"sizes": "1000", "repeat": "5", "creates": "100"},
        "search": {"docs": "10000", "queries": "100", "sample": "500"},
        "assistant": {"rounds": "1", "cards": "50"},
        "checkout": {"buyers": "100", "stock": "30"},
        "fanout": {"clients": "100", "conversations": "10"},
        "drop-rush": {"buyers": "300", "editions": "100"},
        "lm": {"tokens": "32", "repeat": "2"},
        "insights": {"events": "200000"},
    },
}
