"""scripts/audit.py (`make audit`): how pip-audit's report and PyPI's per-project JSON become a verdict.
The network half runs in `make lint`; here its decisions are checked on fixed reports."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.backend_free

ROOT = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit.py")
assert _spec and _spec.loader
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)


def _project(version, *vulns):
    return {"info": {"version": version}, "vulnerabilities": list(vulns)}


def _vuln(vuln_id, *aliases, withdrawn=None):
    return {"id": vuln_id, "aliases": list(aliases), "fixed_in": ["9.9"], "withdrawn": withdrawn}


def test_the_lockfiles_pins_are_read_with_canonical_names(tmp_path):
    lock = tmp_path / "r.lock"
    lock.write_text("Django==5.2.19\npsycopg[binary]==3.3.1 ; python_version>='3'\n# c\nchannels_redis==4.3.0\n-e .\n")
    assert audit.read_pins([lock]) == {"django": "5.2.19", "psycopg": "3.3.1", "channels-redis": "4.3.0"}


def test_a_vulnerability_pip_audit_reports_fails_the_audit():
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.1", "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.2"]}]}
        ]
    }
    findings, unaudited, audited = audit.classify(report, {"django": "5.2.1"}, {})
    assert findings == ["django 5.2.1 PYSEC-1 (fix: ['5.2.2'])"]
    assert (unaudited, audited) == ([], 1)


def test_a_skipped_pin_at_the_latest_release_is_audited_from_the_project_json():
    report = {"dependencies": [{"name": "Foo_Bar", "skip_reason": "not found"}]}
    projects = {"foo-bar": _project("1.0", _vuln("GHSA-x"), _vuln("PYSEC-old", withdrawn="2025-01-01"))}
    findings, unaudited, audited = audit.classify(report, {"foo-bar": "1.0"}, projects)
    assert findings == ["foo-bar 1.0 GHSA-x (fix: ['9.9'])"]
    assert (unaudited, audited) == ([], 1)


def test_an_ignored_advisory_is_ignored_by_its_id_or_an_alias():
    ignored = next(iter(audit.IGNORED))
    report = {"dependencies": [{"name": "vyper", "skip_reason": "not found"}]}
    projects = {"vyper": _project("0.4.3", _vuln("CVE-1", ignored), _vuln(ignored))}
    assert audit.classify(report, {"vyper": "0.4.3"}, projects) == ([], [], 1)


def test_a_skipped_pin_older_than_the_latest_release_is_reported_unaudited_not_clean():
    report = {"dependencies": [{"name": "django", "skip_reason": "not found"}]}
    projects = {"django": _project("6.1.3", _vuln("GHSA-only-in-6"))}
    assert audit.classify(report, {"django": "5.2.19"}, projects) == ([], ["django 5.2.19"], 0)


def test_every_ignore_states_its_reason():
    assert all(len(reason) > 40 and "fixed in" in reason for reason in audit.IGNORED.values())
