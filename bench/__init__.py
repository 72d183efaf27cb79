"""Benchmarks: each module has `run(options) -> dict`; `sangsaeng bench NAME` prints it as one JSON line.

Every benchmark measures against its own baseline in the same run and reports the ratio, because
this kind of machine is noisy: absolute numbers move between runs, ratios much less.
"""

BENCHMARKS: dict[str, str] = {
    "api": "bench.api",
    "identity": "bench.identity_verify",
}
