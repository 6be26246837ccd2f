"""`make audit` (tools/audit.py): a vulnerable pin fails; an unanswered service is never a
clean audit, and fails where the audit is required."""

import importlib.util
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "audit", Path(__file__).resolve().parents[2] / "tools" / "audit.py"
)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

CLEAN = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}], "fixes": []}
VULNERABLE = {
    "dependencies": [
        {
            "name": "django",
            "version": "5.2.1",
            "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "aliases": []}],
        }
    ],
    "fixes": [],
}
UNANSWERED = {
    "dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}],
    "fixes": [],
}


@pytest.mark.parametrize(
    ("report", "required", "exit_code", "says"),
    [
        (CLEAN, False, 0, "1 packages audited, 0 vulnerabilities"),
        (VULNERABLE, False, 1, "VULNERABLE django==5.2.1: PYSEC-2025-1 (fixed in 5.2.2)"),
        (UNANSWERED, False, 0, "NOT AUDITED: 1 packages"),
        (UNANSWERED, True, 1, "EENLOKET_REQUIRE_AUDIT=1: failing"),
        (None, True, 1, "NOT AUDITED"),
    ],
)
def test_the_audit_outcome(monkeypatch, capsys, report, required, exit_code, says):
    monkeypatch.setattr(audit, "pip_audit", lambda lock: report)
    if required:
        monkeypatch.setenv("EENLOKET_REQUIRE_AUDIT", "1")
    else:
        monkeypatch.delenv("EENLOKET_REQUIRE_AUDIT", raising=False)
    assert (audit.main(), says in capsys.readouterr().out) == (exit_code, True)
