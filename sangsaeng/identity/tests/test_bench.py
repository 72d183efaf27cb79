"""The identity benchmark runs and reports a ratio to bare ES256 JWT verification."""

from __future__ import annotations

from bench import BENCHMARKS
from bench.identity_verify import run


def test_the_benchmark_reports_a_ratio_against_a_jwt_of_the_same_size():
    assert BENCHMARKS["identity"] == "bench.identity_verify"
    result = run({"seconds": 0.05})
    assert abs(result["bytes"]["presentation"] - result["bytes"]["bare_jwt"]) <= 4
    assert 0 < result["ratio"]["sdjwt_vs_bare_jwt"] < 1
    assert set(result["rps"]) == {"sdjwt_verify", "bare_jwt_verify"}
