"""The security gate of `make lint`: bandit finds no high-severity issue, pip-audit no known-vulnerable pin.

A finding that does not apply is listed with its reason in .security-exceptions.toml. When pip-audit cannot reach
its vulnerability database (no network), the gate says so as a warning and does not fail on it.
Run: .venv/bin/python scripts/security_gate.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCANNED = ["rueckkehr", "config.py", "wsgi.py", "gunicorn.conf.py", "scripts", "migrations"]


def exceptions() -> dict[str, list[dict[str, str]]]:
    listed = tomllib.loads((ROOT / ".security-exceptions.toml").read_text("utf-8"))
    for kind, keys in (("bandit", ("test_id", "path", "reason")), ("pip-audit", ("id", "package", "reason"))):
        for entry in listed.get(kind, []):
            missing = [key for key in keys if not entry.get(key)]
            if missing:
                sys.exit(f"security gate: an exception under [{kind}] lacks {', '.join(missing)}: {entry}")
    return listed


def bandit(excepted: list[dict[str, str]]) -> list[str]:
    """High-severity bandit findings that are not excepted."""
    run = subprocess.run(
        [BIN / "bandit", "-q", "-r", *SCANNED, "-f", "json", "--severity-level", "high"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    report = json.loads(run.stdout or "{}")
    if run.returncode not in (0, 1) or "results" not in report:
        return [f"bandit did not run: {run.stderr.strip()[-500:]}"]
    skip = {(entry["test_id"], entry["path"]) for entry in excepted}
    return [
        f"bandit {result['test_id']} ({result['issue_severity']}) {result['filename']}:{result['line_number']}: "
        f"{result['issue_text']}"
        for result in report["results"]
        if result["issue_severity"] == "HIGH" and (result["test_id"], result["filename"]) not in skip
    ]


def pip_audit(excepted: list[dict[str, str]]) -> tuple[list[str], list[str]]:
    """Known vulnerabilities of the installed pins that are not excepted; and warnings."""
    command = [BIN / "pip-audit", "--format", "json", "--progress-spinner", "off", "--skip-editable", "--timeout", "20"]
    for entry in excepted:
        command += ["--ignore-vuln", entry["id"]]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        reason = (run.stderr.strip().splitlines() or ["no answer"])[-1]
        return [], [f"pip-audit could not reach its vulnerability database, so pins were NOT checked: {reason}"]
    problems = [
        f"pip-audit: {dependency['name']}=={dependency['version']} has {vuln['id']}"
        + (f" (fixed in {', '.join(vuln['fix_versions'])})" if vuln.get("fix_versions") else "")
        for dependency in report.get("dependencies", [])
        for vuln in dependency.get("vulns", [])
    ]
    return problems, []


def main() -> int:
    listed = exceptions()
    problems = bandit(listed.get("bandit", []))
    audit_problems, warnings = pip_audit(listed.get("pip-audit", []))
    problems += audit_problems
    for warning in warnings:
        print(f"security gate WARNING: {warning}", file=sys.stderr)
    for problem in problems:
        print(f"security gate: {problem}", file=sys.stderr)
    if problems:
        print("security gate: fix these, or list them with a reason in .security-exceptions.toml", file=sys.stderr)
        return 1
    print(
        "security gate: bandit found no high-severity issue; pip-audit "
        + ("skipped" if warnings else "found no known-vulnerable pin")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
