"""Verify a built service: run its own test suite and its linters, and report.

Steps, each run in the service's folder with this Python interpreter (which
must hold the service's pinned dependencies: ``pip install 'pactcoder[service]'``
or ``pip install -e 'backend[test]'``):

- ``tests``: the generated pytest suite, on SQLite or on ``database_url``;
- ``ruff``: lint and format check with the service's own configuration;
- ``mypy``: strict type check of app/ and tests/.

A JSON report is written to ``.pactcoder/verify.json`` in the service.

Example::

    report = run_verify(Path("examples/library/backend"))
    report.ok, [(s.name, s.summary) for s in report.steps]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pactcoder.problems import OutputError

REPORT_FILE = ".pactcoder/verify.json"


@dataclass
class StepResult:
    """One verification step: did it pass, a one-line summary, and its output."""

    name: str
    ok: bool
    summary: str
    counts: dict[str, int] = field(default_factory=dict)
    output: str = ""


@dataclass
class VerifyReport:
    service: str
    steps: list[StepResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps)

    def to_json(self) -> str:
        data = {"service": self.service, "ok": self.ok, "steps": [asdict(s) for s in self.steps]}
        return json.dumps(data, indent=2)


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed commands on the service's own folder
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def _tests(service: Path, env: dict[str, str]) -> StepResult:
    with tempfile.TemporaryDirectory(prefix="pactcoder-verify-") as scratch:
        junit = Path(scratch) / "junit.xml"
        done = _run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"],
            service,
            env,
        )
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        if junit.exists():
            suite = ElementTree.parse(junit).getroot()  # noqa: S314 - pytest's own report
            suite = suite if suite.tag == "testsuite" else suite.find("testsuite") or suite
            for key in counts:
                counts[key] = int(suite.get(key, "0"))
    passed = counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]
    summary = (
        f"{passed} passed, {counts['failures']} failed, {counts['errors']} errors,"
        f" {counts['skipped']} skipped or expected to fail"
    )
    return StepResult("tests", done.returncode == 0, summary, counts, done.stdout[-8000:])


def _ruff(service: Path, env: dict[str, str]) -> StepResult:
    from ruff.__main__ import find_ruff_bin

    ruff = str(find_ruff_bin())
    lint = _run([ruff, "check", "--no-cache", "."], service, env)
    fmt = _run([ruff, "format", "--check", "--no-cache", "."], service, env)
    ok = lint.returncode == 0 and fmt.returncode == 0
    findings = lint.stdout.count("\n") if lint.returncode else 0
    summary = "clean" if ok else f"lint exit {lint.returncode}, format exit {fmt.returncode}"
    return StepResult("ruff", ok, summary, {"findings": findings}, lint.stdout + fmt.stdout)


def _mypy(service: Path, env: dict[str, str]) -> StepResult:
    done = _run([sys.executable, "-m", "mypy", "--no-incremental"], service, env)
    last = (done.stdout.strip().splitlines() or ["no output"])[-1]
    return StepResult("mypy", done.returncode == 0, last, {}, done.stdout[-8000:])


Step = Callable[[Path, dict[str, str]], StepResult]
STEPS: dict[str, Step] = {"tests": _tests, "ruff": _ruff, "mypy": _mypy}


def run_verify(
    service: Path,
    *,
    database_url: str | None = None,
    steps: list[str] | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> VerifyReport:
    """Run the verification steps on the service in ``service`` (see the module docstring)."""
    if not (service / "app" / "main.py").is_file():
        raise OutputError(
            f"no built service in {service}; run `pactcoder build` first (or pass --out)"
        )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["TEST_DATABASE_URL"] = database_url
    report = VerifyReport(str(service))
    for name in steps or list(STEPS):
        progress(f"verify: {name}")
        report.steps.append(STEPS[name](service, env))
    path = service / REPORT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.to_json() + "\n", encoding="utf-8")
    return report
