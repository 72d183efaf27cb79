"""`sangsaeng bench NAME --flag value`: the flags an issue names reach the benchmark as options."""

from __future__ import annotations

import json
import sys
import types
from io import StringIO

import pytest
from django.core.management import CommandError, ManagementUtility

import bench


@pytest.fixture
def echo_bench(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("bench_echo_for_test")
    module.run = lambda options: {"options": options, "x_vs_y": 2.0}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bench_echo_for_test", module)
    monkeypatch.setitem(bench.BENCHMARKS, "echo", "bench_echo_for_test")


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    ManagementUtility(["sangsaeng", "bench", *argv]).execute()
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_issue_flags_reach_the_benchmark(echo_bench: None, capsys: pytest.CaptureFixture[str]) -> None:
    line = run_cli(["echo", "--clients", "500", "--conversations=50", "--dry-run", "--seconds", "2"], capsys)
    assert line["options"] == {"seconds": 2, "clients": "500", "conversations": "50", "dry_run": "1"}
    assert line["ratio"] == {"x_vs_y": 2.0}


def test_a_short_flag_is_the_benchmarks_not_an_abbreviation_of_ours(
    echo_bench: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # `--n` would otherwise be taken for --no-color, `--res` for --results
    line = run_cli(["echo", "--n", "100", "--res", "x"], capsys)
    assert line["options"] == {"seconds": 5, "n": "100", "res": "x"}


def test_stray_positional_is_refused(echo_bench: None) -> None:
    with pytest.raises(SystemExit):
        ManagementUtility(["sangsaeng", "bench", "echo", "--clients", "5", "oops", "more"]).execute()


def test_unknown_benchmark_is_refused() -> None:
    from django.core.management import call_command

    with pytest.raises(CommandError):
        call_command("bench", "no-such-bench", stdout=StringIO())
