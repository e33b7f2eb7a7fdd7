"""Verify a built service: its tests, its contract, fuzzing, and static checks.

Steps, each run against the service's folder with this Python interpreter
(which must hold the service's pinned dependencies and the checkers:
``pip install 'pactcoder[service,verify]'``):

- ``tests``: the generated pytest suite, on SQLite or on ``database_url``; the tests
  of operations written by hand whose stubs are not written yet (they fail with
  "is not written yet") are counted apart and do not fail this step;
- ``stubs``: every operation pactcoder cannot implement has its stub in
  ``app/operations/`` written (pactcoder.seam); a service with a stub left to write
  is not verified;
- ``contract``: the running service serves exactly the contract now in the
  project's docs/ (a service built from an older contract fails here), and
  its routes cover every path, method and success status of it;
- ``fuzz``: schemathesis, every check and every phase (stateful included,
  ``ignored_auth`` included), against the running service; when the service
  has accounts, verify registers one through the generated endpoints and
  fuzzes with a token that holds every role the contract uses, so protected
  operations are reached. Operations the contract does not let pactcoder
  implement and whose stubs are not written yet (501) are left out and listed;
  written stubs are fuzzed like the rest;
- ``ruff``: lint and format check with the service's own configuration;
- ``mypy``: strict type check of app/ and tests/;
- ``bandit``: no finding of medium or high severity in app/.

A JSON report is written to ``.pactcoder/verify.json`` in the service.

Example::

    report = run_verify(Path("examples/library/backend"), project=Path("examples/library"))
    report.ok, [(s.name, s.summary) for s in report.steps]
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pactcoder.problems import OutputError

REPORT_FILE = ".pactcoder/verify.json"
#: The signing key of the service verify runs (only ever used on loopback, for the run).
_KEY = "pactcoder-verify-" + "k" * 40


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


@dataclass
class Context:
    """What the steps share: the service's folder, environment, and what pactcoder understood."""

    service: Path
    env: dict[str, str]
    project: Path | None = None
    understanding: Any = None
    fuzz_examples: int = 25
    fuzz_seconds: int = 60


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Our own interpreter and checkers, on the service pactcoder built.
    return subprocess.run(  # noqa: S603
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def _tests(context: Context) -> StepResult:
    with tempfile.TemporaryDirectory(prefix="pactcoder-verify-") as scratch:
        junit = Path(scratch) / "junit.xml"
        done = _run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"],
            context.service,
            context.env,
        )
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "not_written": 0}
        if junit.exists():
            suite = ElementTree.parse(junit).getroot()  # noqa: S314 - pytest's own report
            suite = suite if suite.tag == "testsuite" else suite.find("testsuite") or suite
            for key in ("tests", "failures", "errors", "skipped"):
                counts[key] = int(suite.get(key, "0"))
            counts["not_written"] = sum(
                1
                for case in suite.iter("testcase")
                if any(_not_written(failure) for failure in case.findall("failure"))
            )
    passed = counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]
    summary = (
        f"{passed} passed, {counts['failures']} failed, {counts['errors']} errors,"
        f" {counts['skipped']} skipped or expected to fail"
    )
    ok = done.returncode == 0
    if counts["not_written"]:
        summary += (
            f" ({counts['not_written']} of the failures: operations written by hand whose"
            " stubs are not written yet; see the stubs step)"
        )
        # Only those failed: the rest of the suite passes (pytest exits 1 for failures).
        ok = done.returncode == 1 and counts["failures"] == counts["not_written"]
        ok = ok and counts["errors"] == 0
    return StepResult("tests", ok, summary, counts, done.stdout[-8000:])


def _not_written(failure: ElementTree.Element) -> bool:
    """A failure of a generated stub test on a stub not written yet (tests/test_stubs.py)."""
    return "is not written yet" in (failure.get("message") or "") + (failure.text or "")


def _stubs(context: Context) -> StepResult:
    if context.understanding is None:
        return StepResult("stubs", True, "skipped: no project given")
    from pactcoder.seam import stubs

    found = stubs(context.understanding.service, context.service)
    if not found:
        return StepResult("stubs", True, "none: pactcoder implements every operation")
    left = [s for s in found if not s.written]
    counts = {"stubs": len(found), "written": len(found) - len(left), "left": len(left)}
    lines = [
        f"{s.endpoint.operation_id}: {s.path}, {s.function}() -- {s.state.value}" for s in found
    ]
    if not left:
        summary = f"all {len(found)} operations written by hand are written"
    else:
        summary = (
            f"{len(left)} of {len(found)} operations written by hand are not written yet"
            " (they answer 501): "
            + ", ".join(f"{s.endpoint.operation_id} ({s.path})" for s in left)
        )
    return StepResult("stubs", not left, summary, counts, "\n".join(lines))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _running(context: Context) -> Iterator[str]:
    """The service, migrated and running on loopback; yields its base URL."""
    with tempfile.TemporaryDirectory(prefix="pactcoder-serve-") as scratch:
        env = {
            **context.env,
            "DATABASE_URL": context.env.get("TEST_DATABASE_URL")
            or f"sqlite+aiosqlite:///{Path(scratch) / 'verify.db'}",
            "ENVIRONMENT": "test",
            "JWT_SECRET_KEYS": _KEY,
            "API_KEYS": _KEY,
            "RATE_LIMIT_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("TEST_DATABASE_URL", None)
        for direction in ("base", "head"):
            command = "downgrade" if direction == "base" else "upgrade"
            migrated = _run(
                [sys.executable, "-m", "alembic", command, direction], context.service, env
            )
            if migrated.returncode != 0:
                raise RuntimeError(f"the migrations failed:\n{migrated.stderr[-2000:]}")
        port = _free_port()
        process = subprocess.Popen(  # noqa: S603 - the service pactcoder built, on loopback
            [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port)],
            cwd=context.service,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                if process.poll() is not None:
                    error = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"the service did not start:\n{error[-2000:]}")
                try:
                    with urllib.request.urlopen(f"{base}/health/live", timeout=1):  # noqa: S310
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("the service did not answer within 30 seconds") from None
                    time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _request(url: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=data,
        headers={"content-type": "application/json", **(headers or {})},
        method="POST" if data is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read() or b"null")


def _contract(context: Context) -> StepResult:
    if context.understanding is None:
        return StepResult("contract", True, "skipped: no project given to compare with")
    service = context.understanding.service
    expected = context.understanding.contract.document
    problems: list[str] = []
    try:
        with _running(context) as base:
            served = _request(f"{base}{service.api_prefix}/openapi.json")
    except (OSError, RuntimeError) as exc:
        return StepResult("contract", False, f"could not run the service: {exc}", output=str(exc))
    if served != expected:
        paths = set(expected.get("paths", {})) ^ set(served.get("paths", {}))
        detail = f" (paths differ: {sorted(paths)})" if paths else ""
        problems.append(
            "the service serves a different contract from the one in docs/"
            + detail
            + "; build it again"
        )
    derived = _run(
        [sys.executable, "-c", _DERIVED_CHECK, service.api_prefix], context.service, context.env
    )
    if derived.returncode != 0:
        problems.append(derived.stdout.strip() or derived.stderr.strip()[-2000:])
    ok = not problems
    summary = "serves the contract in docs/; every operation routed" if ok else problems[0]
    return StepResult("contract", ok, summary[:300], output="\n".join(problems))


# Run inside the service's folder: compares the routes with the contract the app serves.
_DERIVED_CHECK = """
import sys
from fastapi.openapi.utils import get_openapi
from app.core.contract import CONTRACT
from app.main import app
prefix = sys.argv[1]
derived = get_openapi(title="derived", version="0", routes=app.routes)
missing = []
for path, item in CONTRACT.get("paths", {}).items():
    for method, operation in item.items():
        if method not in ("get", "put", "post", "delete", "patch", "head", "options", "trace"):
            continue
        route = derived.get("paths", {}).get(prefix + path, {}).get(method)
        if route is None:
            missing.append(f"no route for {method.upper()} {path}")
            continue
        success = sorted(code for code in operation["responses"] if code.startswith("2"))
        if success and success[0] not in route["responses"]:
            missing.append(f"{method.upper()} {path} answers {sorted(route['responses'])},"
                           f" the contract says {success[0]}")
        if "operationId" in operation and route.get("operationId") != operation["operationId"]:
            missing.append(f"{method.upper()} {path} is {route.get('operationId')}")
if missing:
    print("; ".join(missing))
    sys.exit(1)
"""


def _subject(created: Any, id_name: str) -> str | None:
    """The new account's id, from the register response.

    The response may wrap the user (`{"user": {...}}`) and may carry a token
    instead of the id (RealWorld-style APIs): then the token's `sub` is the id.
    """
    import jwt

    if isinstance(created, dict) and len(created) == 1:
        (inner,) = created.values()
        if isinstance(inner, dict):
            created = inner
    if not isinstance(created, dict):
        return None
    if created.get(id_name) is not None:
        return str(created[id_name])
    for value in created.values():
        if isinstance(value, str) and value.count(".") == 2:
            try:
                claims = jwt.decode(value, options={"verify_signature": False})
            except jwt.InvalidTokenError:
                continue
            if claims.get("sub") is not None:
                return str(claims["sub"])
    return None


def _token(context: Context, base: str) -> str | None:
    """An access token of a fresh account holding every role the contract uses."""
    import jwt

    service = context.understanding.service
    register = next((e for e in service.endpoints if e.kind.value == "register"), None)
    if register is None or not register.implemented or register.request_sample is None:
        return None
    created = _request(f"{base}{service.api_prefix}{register.path}", register.request_sample)
    subject = _subject(created, service.resource(service.auth.user_resource).id_column.api_name)
    if subject is None:
        return None
    roles = sorted(
        {r for e in service.endpoints for r in e.access.roles}
        | ({service.auth.admin_role} if service.auth.admin_role else set())
    )
    now = int(time.time())
    claims = {
        "sub": str(subject),
        "type": "access",
        "roles": roles,
        "iss": service.auth.issuer or service.slug,
        "aud": service.auth.audience or service.slug,
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
    }
    kid = hashlib.sha256(_KEY.encode()).hexdigest()[:16]
    return str(jwt.encode(claims, _KEY, algorithm="HS256", headers={"kid": kid}))


def _has_rules(service: Any, endpoint: Any) -> bool:
    """``endpoint`` creates records whose rules can refuse a schema-valid body (x-pact)."""
    if endpoint.kind.value != "create" or endpoint.resource is None:
        return False
    return service.resource(endpoint.resource).rules is not None


def _expires(service: Any, endpoint: Any) -> bool:
    """``endpoint`` acts on records that expire (x-pact expiry): a record a fuzzer makes
    with an expiry in the past is gone at once (404, or the 410 the contract declares)."""
    if endpoint.resource is None:
        return False
    return service.resource(endpoint.resource).expiry is not None


def _reads_content(endpoint: Any) -> bool:
    """``endpoint`` uploads files of some types only: a schema-valid file (any bytes) may
    be of another type, refused 415, which no schema can say."""
    return endpoint.upload is not None and bool(endpoint.upload.types)


def _fuzz_config(service: Any, scratch: Path) -> Path | None:
    """A schemathesis config for what a schema cannot describe, or None when nothing needs one.

    A paging cursor is opaque: its schema says "a string", but only strings the
    service handed out are cursors, and any other is refused with the validation
    status. Likewise a create whose record has rules (x-pact where, unique-by, copy
    with same) refuses schema-valid bodies that name records which do not exist or
    do not qualify, with the validation status. For those operations that status is
    an expected answer to "schema-valid" data; every other check stays as strict as
    for the rest. A record that expires may be made already expired: on its resource's
    operations 410 is expected too (and _fuzz does not check that a record made is
    found at once). An upload of some media types only (x-pact upload types) reads the
    type from the content, which a schema cannot say: 413 and 415 are expected too.
    """
    statuses = ["2xx", "3xx", "401", "403", "404", "409", "429", str(service.validation_status)]
    blocks = [
        "[[operations]]\n"
        f"include-operation-id = {json.dumps(endpoint.operation_id)}\n"
        "checks.positive_data_acceptance.expected-statuses = "
        f"{json.dumps(statuses + (['413', '415'] if _reads_content(endpoint) else []))}\n"
        for endpoint in service.endpoints
        if endpoint.implemented
        and (
            any(param.role == "cursor" for param in endpoint.params)
            or _has_rules(service, endpoint)
            or _reads_content(endpoint)
        )
    ]
    blocks += [
        "[[operations]]\n"
        f"include-operation-id = {json.dumps(endpoint.operation_id)}\n"
        f"checks.positive_data_acceptance.expected-statuses = {json.dumps([*statuses, '410'])}\n"
        for endpoint in service.endpoints
        if endpoint.implemented and _expires(service, endpoint)
    ]
    if not blocks:
        return None
    path = scratch / "schemathesis.toml"
    path.write_text("\n".join(blocks))
    return path


def _fuzz(context: Context) -> StepResult:
    if context.understanding is None:
        return StepResult("fuzz", True, "skipped: no project given")
    service = context.understanding.service
    from pactcoder.seam import stubs

    skipped = [s.endpoint.operation_id for s in stubs(service, context.service) if not s.written]
    with tempfile.TemporaryDirectory(prefix="pactcoder-fuzz-") as scratch:
        report_path = Path(scratch) / "report.json"
        try:
            with _running(context) as base:
                command = [
                    sys.executable, "-m", "schemathesis.cli", "run",
                    f"{base}{service.api_prefix}/openapi.json",
                    "--url", f"{base}{service.api_prefix}",
                    "--checks", "all",
                    "--max-examples", str(context.fuzz_examples),
                    "--max-time", str(context.fuzz_seconds),
                    "--generation-allow-x00", "false",
                    "--generation-codec", "utf-8",
                    "--seed", "42",
                    "--report", "json",
                    "--report-json-path", str(report_path),
                ]  # fmt: skip
                for operation in skipped:
                    command += ["--exclude-operation-id", operation]
                if any(_expires(service, e) for e in service.endpoints):
                    # A record made already expired is not found at once: no fault.
                    command += ["--exclude-checks", "ensure_resource_availability"]
                config = _fuzz_config(service, Path(scratch))
                if config is not None:
                    command[3:3] = ["--config-file", str(config)]
                token = _token(context, base) if service.auth.has_accounts else None
                bearer = service.auth.bearer
                if token and bearer:
                    command += ["-H", f"Authorization: {bearer.prefix} {token}"]
                api_key = next(
                    (s for s in service.auth.schemes.values() if s.kind == "api-key"), None
                )
                if api_key and api_key.location == "header":
                    command += ["-H", f"{api_key.parameter}: {_KEY}"]
                done = _run(command, context.service, context.env)
        except (OSError, RuntimeError) as exc:
            return StepResult("fuzz", False, f"could not run the service: {exc}", output=str(exc))
        try:
            report = json.loads(report_path.read_text())
        except (OSError, ValueError):
            return StepResult("fuzz", False, "schemathesis wrote no report", output=done.stdout)
    cases = report.get("test_cases", {})
    failures = int(cases.get("unique_failures", 0))
    errors = len(report.get("errors") or [])
    counts = {
        "operations": int(report.get("operations", {}).get("tested", 0)),
        "cases": int(cases.get("generated", 0)),
        "failures": failures,
        "errors": errors,
        "excluded": len(skipped),
    }
    phases = ", ".join(
        f"{name} {value.get('status')}" for name, value in (report.get("phases") or {}).items()
    )
    summary = (
        f"{counts['cases']} cases on {counts['operations']} operations, {failures} failures,"
        f" {errors} errors ({phases})"
        + (f"; not fuzzed (501): {', '.join(skipped)}" if skipped else "")
    )
    ok = failures == 0 and errors == 0
    log = context.service / ".pactcoder" / "fuzz.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(done.stdout)
        if not ok:
            summary += f"; every failure with its curl command: {log}"
    except OSError:
        pass  # the summary and the tail below still say what failed
    return StepResult("fuzz", ok, summary, counts, done.stdout[-8000:])


def _ruff(context: Context) -> StepResult:
    from ruff.__main__ import find_ruff_bin

    ruff = str(find_ruff_bin())
    lint = _run([ruff, "check", "--no-cache", "."], context.service, context.env)
    fmt = _run([ruff, "format", "--check", "--no-cache", "."], context.service, context.env)
    ok = lint.returncode == 0 and fmt.returncode == 0
    findings = lint.stdout.count("\n") if lint.returncode else 0
    summary = "clean" if ok else f"lint exit {lint.returncode}, format exit {fmt.returncode}"
    return StepResult("ruff", ok, summary, {"findings": findings}, lint.stdout + fmt.stdout)


def _mypy(context: Context) -> StepResult:
    done = _run([sys.executable, "-m", "mypy", "--no-incremental"], context.service, context.env)
    last = (done.stdout.strip().splitlines() or ["no output"])[-1]
    return StepResult("mypy", done.returncode == 0, last, {}, done.stdout[-8000:])


def _bandit(context: Context) -> StepResult:
    done = _run(
        [sys.executable, "-m", "bandit", "-r", "app", "-f", "json", "-q"],
        context.service,
        context.env,
    )
    try:
        results = json.loads(done.stdout).get("results", [])
    except ValueError:
        return StepResult("bandit", False, "bandit did not run", output=done.stderr[-4000:])
    severities: dict[str, int] = {"LOW": 0, "MEDIUM": 0, "HIGH": 0}
    for result in results:
        severity = str(result.get("issue_severity", "LOW"))
        severities[severity] = severities.get(severity, 0) + 1
    ok = severities["MEDIUM"] == 0 and severities["HIGH"] == 0
    summary = f"{severities['HIGH']} high, {severities['MEDIUM']} medium, {severities['LOW']} low"
    details = "\n".join(
        f"{r['filename']}:{r['line_number']}: {r['issue_severity']} {r['issue_text']}"
        for r in results
    )
    return StepResult("bandit", ok, summary, {k.lower(): v for k, v in severities.items()}, details)


Step = Callable[[Context], StepResult]
STEPS: dict[str, Step] = {
    "tests": _tests,
    "stubs": _stubs,
    "contract": _contract,
    "fuzz": _fuzz,
    "ruff": _ruff,
    "mypy": _mypy,
    "bandit": _bandit,
}


def run_verify(
    service: Path,
    *,
    project: Path | None = None,
    database_url: str | None = None,
    steps: list[str] | None = None,
    fuzz_examples: int = 25,
    progress: Callable[[str], None] = lambda _: None,
) -> VerifyReport:
    """Run the verification steps on the service in ``service`` (see the module docstring)."""
    if not (service / "app" / "main.py").is_file():
        raise OutputError(
            f"no built service in {service}; run `pactcoder build` first (or pass --out)"
        )
    unknown = [name for name in steps or [] if name not in STEPS]
    if unknown:
        raise OutputError(
            f"unknown verify step(s): {', '.join(unknown)}; known: {', '.join(STEPS)}"
        )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for variable in ("DATABASE_URL", "REDIS_URL"):
        env.pop(variable, None)
    if database_url:
        env["TEST_DATABASE_URL"] = database_url
    understanding = None
    if project is not None:
        from pactcoder.pipeline import understand

        understanding = understand(project)
    context = Context(service, env, project, understanding, fuzz_examples=fuzz_examples)
    report = VerifyReport(str(service))
    for name in steps or list(STEPS):
        progress(f"verify: {name}")
        report.steps.append(STEPS[name](context))
    path = service / REPORT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.to_json() + "\n", encoding="utf-8")
    return report
