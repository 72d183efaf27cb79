"""The sync benchmark runs end to end (tiny sizes), so `make bench` can't rot unnoticed."""

from bench.vault_sync import run


def test_vault_sync_benchmark_reports_ratios_against_the_raw_limit():
    # the benchmark itself refuses to report when the endpoint and the raw baseline disagree
    result = run({"sizes": "20,40", "repeat": "1", "creates": "3"})
    assert result["name"] == "vault-sync"
    assert result["ratio"] == result["ratio_40"] > 0
    assert result["sync_20_ms"] > 0 and result["raw_20_ms"] > 0 and result["creates_per_s"] > 0
    assert result["bytes_40"] > result["bytes_20"]
