"""Audit the pinned dependencies for known vulnerabilities: `python scripts/audit.py LOCKFILE...`.

pip-audit asks PyPI's per-release JSON (`/pypi/NAME/VERSION/json`) for each pin. Where that endpoint
answers 404 (the PyPI mirror this project's machines reach serves only the per-project JSON), pip-audit
skips the pin; this script then asks the per-project JSON, whose `vulnerabilities` are those of the
project's latest release, and uses them when the pin *is* the latest release. A pin older than the
latest that pip-audit could not audit is listed as "not audited" (it fails the run with --strict).

Exit status: 0 clean, 1 a vulnerability (not in IGNORED) or, with --strict, an unaudited pin,
2 PyPI unreachable or pip-audit broken. A vulnerability that appears fails the build.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.request import urlopen

# Every ignore names the advisory, why it does not apply to our pin, and what would end it.
IGNORED = {
    # vyper 0.4.3 is the latest release; PyPI lists both advisories against every version because
    # their records carry no fixed range ("fixed_in": []).
    "PYSEC-2023-142": "vyper: named re-entrancy locks in 0.2.15, 0.2.16 and 0.3.0 only; fixed in 0.3.1 (we pin 0.4.3)",
    "GHSA-vgf2-gvx8-xwc3": "vyper: unchecked EcRecover/Identity precompile calls in 0.3.10-0.4.0; fixed in 0.4.1 "
    "by vyperlang/vyper#4451 (we pin 0.4.3, and compile for cancun, which uses MCOPY instead of Identity)",
}
PYPI = "https://pypi.org/pypi/{name}/json"
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;#]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(paths: list[Path]) -> dict[str, str]:
    pins: dict[str, str] = {}
    for path in paths:
        for line in path.read_text().splitlines():
            match = PIN.match(line)
            if match:
                pins[canonical(match.group(1))] = match.group(2)
    return pins


def start_pip_audit(paths: list[Path]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "pip_audit", "--no-deps", "--disable-pip", "--vulnerability-service", "pypi"]
    command += ["--format", "json", "--progress-spinner", "off", "--desc", "off"]
    for path in paths:
        command += ["-r", str(path)]
    for vuln_id in IGNORED:
        command += ["--ignore-vuln", vuln_id]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def pip_audit_report(process: subprocess.Popen[str]) -> dict[str, Any]:
    stdout, stderr = process.communicate(timeout=600)
    if process.returncode not in (0, 1) or not stdout.strip():
        raise SystemExit(f"pip-audit failed ({process.returncode}): {stderr.strip()[-2000:]}")
    return json.loads(stdout)


def latest_release(name: str) -> dict[str, Any]:
    with urlopen(PYPI.format(name=name), timeout=30) as response:  # noqa: S310 (a fixed https URL)
        return json.load(response)


def classify(
    report: dict[str, Any], pins: dict[str, str], projects: dict[str, dict[str, Any]]
) -> tuple[list[str], list[str], int]:
    """Findings ("name version id") and unaudited pins from pip-audit's report plus, for the pins it
    skipped, their project's latest-release JSON. Returns (findings, unaudited, audited count)."""
    findings: list[str] = []
    unaudited: list[str] = []
    audited = 0
    for dep in report["dependencies"]:
        name = canonical(dep["name"])
        if "skip_reason" not in dep:
            audited += 1
            for vuln in dep["vulns"]:
                findings.append(f"{name} {dep['version']} {vuln['id']} (fix: {vuln.get('fix_versions') or '-'})")
            continue
        version, project = pins.get(name, "?"), projects.get(name)
        if project is None or project["info"]["version"] != version:
            unaudited.append(f"{name} {version}")
            continue
        audited += 1
        for vuln in project.get("vulnerabilities") or []:
            ids = {vuln["id"], *vuln.get("aliases", [])}
            if vuln.get("withdrawn") or ids & IGNORED.keys():
                continue
            findings.append(f"{name} {version} {vuln['id']} (fix: {vuln.get('fixed_in') or '-'})")
    return findings, unaudited, audited


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lockfiles", nargs="+", type=Path)
    parser.add_argument("--strict", action="store_true", help="fail when a pin could not be audited")
    args = parser.parse_args(argv)
    pins = read_pins(args.lockfiles)
    # pip-audit asks PyPI one pin at a time; the per-project JSON is fetched meanwhile, for the pins it skips.
    process = start_pip_audit(args.lockfiles)
    try:
        with ThreadPoolExecutor(8) as pool:
            projects = dict(zip(pins, pool.map(latest_release, pins), strict=True))
    except OSError as error:
        process.kill()
        print(f"PyPI unreachable: {error}", file=sys.stderr)
        return 2
    report = pip_audit_report(process)
    findings, unaudited, audited = classify(report, pins, projects)
    print(f"audit: {len(pins)} pins, {audited} audited, {len(unaudited)} not audited, {len(findings)} vulnerable")
    for vuln_id, reason in IGNORED.items():
        print(f"  ignored {vuln_id}: {reason}")
    if unaudited:
        print("  not audited (older than the latest release, no per-release JSON):", ", ".join(unaudited))
    for finding in findings:
        print(f"  VULNERABLE {finding}", file=sys.stderr)
    return 1 if findings or (args.strict and unaudited) else 0


if __name__ == "__main__":
    raise SystemExit(main())
