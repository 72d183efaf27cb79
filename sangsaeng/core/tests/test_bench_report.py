"""The benchmark report: RESULTS.md, the PNG plots and the sample sidecars from synthetic JSON lines."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from PIL import Image

from bench import runner
from bench.table import baseline_of, ratios, render

pytestmark = pytest.mark.backend_free

DETAILS = {"CPU": "Test CPU", "cores": "2", "date": "2026-11-30 12:00 UTC"}


def synthetic() -> tuple[list[dict], dict[str, list[dict]]]:
    rng = random.Random(17)
    results = [
        {
            "_key": "api",
            "name": "api",
            "rps": {"bare_django": 4000.0, "api_read": 400.0},
            "ratio": {"api_read_vs_bare_django": 0.1},
            "wall_s": 26.1,
        },
        {"_key": "vault-sync", "name": "vault-sync", "ratio": 1.7, "ratio_1000": 1.7, "wall_s": 40.0},
        {"_key": "ledger", "db": "sqlite", "payment_vs_raw": 0.12, "wall_s": 12.0},
        {"_key": "drop-rush", "name": "drop-rush", "error": "RuntimeError: the chain node | exited", "wall_s": 3.0},
    ]
    samples = {
        "api": [
            {
                "series": "api_read",
                "unit": "ms",
                "baseline": False,
                "cdf": [[1, 2.0], [50, 30.0], [99, 140.0], [100, 200.0]],
            },
            {
                "series": "bare_django",
                "unit": "ms",
                "baseline": True,
                "cdf": [[1, 0.5], [50, 3.0], [99, 11.0], [100, 20.0]],
            },
        ],
        "ledger": [
            {
                "series": "payment_wallet",
                "unit": "ms",
                "baseline": False,
                "samples": [rng.lognormvariate(2, 0.5) for _ in range(300)],
            },
            {
                "series": "raw_entry",
                "unit": "ms",
                "baseline": True,
                "samples": [rng.lognormvariate(0, 0.3) for _ in range(300)],
            },
        ],
    }
    return results, samples


def test_report_plots_and_failed_row(tmp_path: Path) -> None:
    results, samples = synthetic()
    settings = {"api": {"seconds": "3"}, "vault-sync": {}, "ledger": {"entries": "500"}, "drop-rush": {}}
    modules = {"api": "bench.api", "ledger": "bench.payments_ledger"}
    out = tmp_path / "RESULTS.md"
    links = runner.write_outputs(
        results, samples, settings, modules, out, command="sangsaeng bench --all", total_s=90, details=DETAILS
    )
    links = {k: v for k, v in links.items() if v}  # the others are only marked done
    assert links == {"api": "plots/api.png", "ledger": "plots/ledger.png", "ratios": "plots/ratios.png"}
    for link in links.values():
        with Image.open(tmp_path / link) as image:
            assert image.format == "PNG"
            assert image.size[0] >= 600 and image.size[1] >= 300
    text = out.read_text()
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    api_row = next(r for r in rows if r.startswith("| api |"))
    assert "`api_read_vs_bare_django` | 0.1 | bare_django |" in api_row
    assert "30 / 140 (api_read)" in api_row and "3 / 11 (bare_django, baseline)" in api_row
    assert "[plot](plots/api.png)" in api_row
    assert any(r.startswith("| vault-sync |") and "`ratio` | 1.7 |" in r for r in rows)
    assert any("`ratio_1000` | 1.7 |" in r for r in rows)
    ledger_row = next(r for r in rows if r.startswith("| ledger |"))
    assert "`payment_vs_raw` | 0.12 | raw |" in ledger_row and "(raw_entry, baseline)" in ledger_row
    failed_row = next(r for r in rows if r.startswith("| drop-rush |"))
    assert "**failed**" in failed_row and "RuntimeError: the chain node \\| exited" in failed_row
    assert "4 benchmarks, 3 passed, 1 failed, 1.5 minutes" in text
    assert "| CPU | Test CPU |" in text and "| api | `--seconds 3` |" in text
    assert "![every ratio](plots/ratios.png)" in text
    raw = text.split("## Raw JSON lines")[1].split("```")[1].strip().splitlines()
    assert [json.loads(line).get("name") for line in raw] == ["api", "vault-sync", None, "drop-rush"]
    assert all("_key" not in line for line in raw)
    sidecar = json.loads((tmp_path / "results" / "ledger.json").read_text())
    assert sidecar["options"] == {"entries": "500"} and len(sidecar["series"][0]["samples"]) == 300
    assert json.loads((tmp_path / "results" / "drop-rush.json").read_text())["failed"] is True
    assert len((tmp_path / "results" / "lines.jsonl").read_text().splitlines()) == 4
    assert "not finished" not in text


def test_partial_report_and_resume(tmp_path: Path) -> None:
    results, samples = synthetic()
    settings = {"api": {"seconds": "3"}, "ledger": {"entries": "500"}}
    out = tmp_path / "RESULTS.md"
    drawn = runner.write_outputs(
        results[:1], samples, settings, {}, out, command="x", details=DETAILS, pending=["vault-sync", "ledger"]
    )
    assert "**The run is not finished**: still to run: vault-sync, ledger." in out.read_text()
    before = (tmp_path / "plots" / "api.png").stat().st_mtime_ns
    runner.write_outputs(results[:3], samples, settings, {}, out, command="x", details=DETAILS, drawn=drawn)
    assert (tmp_path / "plots" / "api.png").stat().st_mtime_ns == before  # not drawn twice
    assert (tmp_path / "plots" / "ledger.png").exists() and "not finished" not in out.read_text()
    line, series = runner.load_previous(tmp_path / "results", "api", {"seconds": 3})  # type: ignore[misc]
    assert line["ratio"] == {"api_read_vs_bare_django": 0.1} and line["_reused"] and len(series) == 2
    assert runner.load_previous(tmp_path / "results", "api", {"seconds": 5}) is None
    resumed = render([{**line, "_key": "api"}], details=DETAILS)
    assert "Taken over from an earlier run" in resumed and "| api |" in resumed


def test_ratios_are_read_from_every_shape() -> None:
    assert ratios({"ratio": {"a_vs_b": 1.0}, "c_x_d": 2.0, "flag_vs_x": True}) == {"a_vs_b": 1.0, "c_x_d": 2.0}
    assert ratios({"ratio": 3.0, "ratio_10": 3.0, "name": "x"}) == {"ratio": 3.0, "ratio_10": 3.0}
    assert ratios({"rps": 10}) == {}
    assert baseline_of("ratio_1000", [{"series": "raw", "baseline": True}, {"series": "sync"}]) == "raw"
    assert baseline_of("a_vs_b") == "b"


def test_a_line_without_ratio_or_samples_still_gets_a_row() -> None:
    text = render([{"name": "load", "rps": 12.0, "wall_s": 300.0}], details=DETAILS)
    assert "| load |" in text and "(no ratio)" in text


def test_the_runner_reports_a_child_that_fails(tmp_path: Path) -> None:
    assert runner._last_json_line('noise\n{"name": "x", "ratio": {"a_vs_b": 1}}\n') == {
        "name": "x",
        "ratio": {"a_vs_b": 1},
    }
    assert runner._last_json_line("Traceback\nValueError: no\n") is None
    assert (
        runner._error_from("Traceback (most recent call last):\n  ...\nValueError: no\n", 1) == "exit 1: ValueError: no"
    )
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "api.json").write_text(json.dumps({"options": {"seconds": "3"}, "wall_s": 31.5}))
    assert runner.previous_wall(tmp_path / "results", "api", {"seconds": 3}) == 31.5
    assert runner.previous_wall(tmp_path / "results", "api", {"seconds": 5}) is None
