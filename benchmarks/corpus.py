"""pactcoder on third-party contracts: a working service or a located refusal, never a crash.

For every contract in the corpus (``../shared/corpus`` from the repository root by
default), in a fresh project folder made in a temporary directory with the contract
copied under ``docs/``, each step in its own subprocess with a time limit:

1. **build**: ``python -m pactcoder build`` (which checks first). Exit 2 is a
   refusal, and must say where (``docs/<file>:<line>``); exit 0 or 1 is a built
   service; exit 3, another exit code or a timeout is a crash;
2. **import**: ``import app.main`` in the built service;
3. **migrate**: ``alembic upgrade head`` on SQLite (and on PostgreSQL in a
   database of its own when ``--postgres URL`` is given);
4. **start**: uvicorn, until ``/health/live`` answers;
5. **suite**: the service's own generated tests (pytest, SQLite);
6. **fuzz**: schemathesis for a few seconds with the ``not_a_server_error``
   check only, operations answering 501 on purpose left out: does any valid or
   invalid request get a 5xx?

``--fast`` stops after the migration on SQLite (what CI runs, see
tests/test_corpus.py). Each contract gets a row; the summary line counts
contracts refused, built, importing, migrating, starting, passing their suite,
the operations implemented out of all the operations in the corpus (every
method of every path, built or not), contracts with any 5xx, and crashes
(exit 3). ``--json FILE`` keeps every row with the step outputs and the reason
given for each operation not implemented; the most common reasons are printed.

Usage (from the repository root, in pactcoder's environment with the
``service`` and ``verify`` extras)::

    python benchmarks/corpus.py                          # the full run (about 30 minutes)
    python benchmarks/corpus.py --fast                   # build, import, migrate (SQLite)
    python benchmarks/corpus.py apideck xero-files       # contracts whose name contains these
    python benchmarks/corpus.py --postgres postgresql://postgres@127.0.0.1:5432/test
    python benchmarks/corpus.py --json corpus.json --keep /tmp/corpus-builds
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SUFFIXES = {".yaml", ".yml", ".json"}
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
#: A refusal names where: docs/<file>:<line>.
LOCATED = re.compile(r"docs/[^\s:]+:\d+")
IMPLEMENTED = re.compile(r"; (\d+) of (\d+) operations implemented")
NOT_IMPLEMENTED = re.compile(r"^\s+501 (\S+): (.*)$", re.MULTILINE)
_KEY = "pactcoder-corpus-" + "k" * 40


@dataclass
class Row:
    """What happened to one contract; a step not reached is None."""

    contract: str
    operations: int = 0
    build: str = ""  # built, refused, refused-unlocated, crash, timeout
    build_exit: int | None = None
    implemented: int = 0
    listed: int = 0
    imports: bool | None = None
    migrates: bool | None = None
    migrates_postgres: bool | None = None
    starts: bool | None = None
    suite: str | None = None  # "12/14"
    suite_ok: bool | None = None
    fuzz_5xx: int | None = None
    seconds: float = 0.0
    #: The first line that explains the furthest failure.
    note: str = ""
    missing: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def built(self) -> bool:
        return self.build == "built"

    @property
    def crashed(self) -> bool:
        return self.build in {"crash", "timeout", "no-import"}

    @property
    def fast_ok(self) -> bool:
        """The invariant of the fast form: a located refusal, or built + imports + migrates."""
        if self.build == "refused":
            return True
        return self.built and bool(self.imports) and bool(self.migrates)


def count_operations(path: Path) -> int:
    """Every method of every path in the contract (0 when it cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8")
        document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError):
        return 0
    paths = document.get("paths") if isinstance(document, dict) else None
    if not isinstance(paths, dict):
        return 0
    return sum(
        1
        for item in paths.values()
        if isinstance(item, dict)
        for method in item
        if method in METHODS
    )


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "10000", "NO_COLOR": "1"}
    for variable in ("DATABASE_URL", "REDIS_URL", "TEST_DATABASE_URL", "PACTCODER_DEBUG"):
        env.pop(variable, None)
    env.update(extra)
    return env


def _run(
    command: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None
) -> tuple[int | None, str]:
    """Run ``command``; its exit code (None on timeout) and its output (stderr first)."""
    try:
        done = subprocess.run(  # noqa: S603 - our interpreter on the services we built
            command,
            cwd=cwd,
            env=env or _env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            start_new_session=True,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or ""
        out = out.decode(errors="replace") if isinstance(out, bytes) else out
        return None, f"timed out after {timeout:.0f}s\n{out[-4000:]}"
    return done.returncode, (done.stderr + done.stdout).strip()


def _last_line(output: str) -> str:
    """The line of ``output`` most likely to say what went wrong."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in reversed(lines):
        if re.match(r"^[A-Za-z_.]*(Error|Exception|Exit)\b|^E\s+\w+Error", line):
            return line[:240]
    for line in lines:
        if "error" in line.lower():
            return line[:240]
    return (lines[-1] if lines else "")[:240]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _serving(service: Path, env: dict[str, str], timeout: float) -> Iterator[str | None]:
    """uvicorn on the service; yields its base URL once /health/live answers, else None."""
    port = _free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(  # noqa: S603 - the service we built, on loopback
        [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port)],
        cwd=service,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        up = False
        while process.poll() is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/health/live", timeout=2):  # noqa: S310
                    up = True
                    break
            except OSError:
                time.sleep(0.3)
        if not up:
            log.seek(0)
            env["_CORPUS_START_LOG"] = log.read().decode(errors="replace")[-4000:]
        yield base if up else None
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        log.close()


def _api_key_headers(contract: Path) -> list[str]:
    """``-H name: key`` for each header API key the contract declares."""
    try:
        text = contract.read_text(encoding="utf-8")
        document = json.loads(text) if contract.suffix == ".json" else yaml.safe_load(text)
        schemes = document["components"]["securitySchemes"]
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError):
        return []
    headers: list[str] = []
    for scheme in schemes.values() if isinstance(schemes, dict) else []:
        if (
            isinstance(scheme, dict)
            and scheme.get("type") == "apiKey"
            and scheme.get("in") == "header"
            and isinstance(scheme.get("name"), str)
        ):
            headers += ["-H", f"{scheme['name']}: {_KEY}"]
    return headers


def _postgres_migrate(service: Path, admin_url: str, name: str, timeout: float) -> tuple[bool, str]:
    """Migrate the service in a database of its own on the server of ``admin_url``."""
    import asyncpg  # type: ignore[import-untyped]

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(admin_url)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    database = re.sub(r"[^a-z0-9_]", "_", f"corpus_{name}".lower())[:60]
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{database}"'))
    asyncio.run(admin(f'CREATE DATABASE "{database}"'))
    try:
        url = re.sub(r"/[^/?]*(\?|$)", f"/{database}\\1", admin_url.split("://", 1)[1], count=1)
        code, output = _run(
            [sys.executable, "-m", "alembic", "upgrade", "head"],
            service,
            timeout,
            _env(DATABASE_URL=f"postgresql://{url}"),
        )
        return code == 0, output
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


def run_one(contract: Path, work: Path, args: argparse.Namespace) -> Row:
    """Every step on one contract, in ``work``; stops at the first step that fails."""
    row = Row(contract.name, operations=count_operations(contract))
    started = time.monotonic()
    project = work / contract.stem
    (project / "docs").mkdir(parents=True)
    shutil.copy2(contract, project / "docs" / contract.name)
    service = project / "backend"
    try:
        _steps(row, contract, project, service, args)
    finally:
        row.seconds = time.monotonic() - started
    return row


def _steps(
    row: Row, contract: Path, project: Path, service: Path, args: argparse.Namespace
) -> None:
    code, output = _run(
        [sys.executable, "-m", "pactcoder", "build", str(project), "--out", str(service)],
        project,
        args.build_timeout,
    )
    row.build_exit = code
    row.outputs["build"] = output[-6000:]
    if code == 2:
        row.build = "refused" if LOCATED.search(output) else "refused-unlocated"
        row.note = _refusal(output)
        return
    if code not in (0, 1):
        row.build = "timeout" if code is None else "crash"
        if code == 3 and "does not import" in output:
            # The build's own import check refused the service it generated.
            row.build, row.imports = "no-import", False
        row.note = _last_line(output) if code != 3 else _internal(output)
        return
    row.build = "built"
    counted = IMPLEMENTED.search(output)
    if counted:
        row.implemented, row.listed = int(counted.group(1)), int(counted.group(2))
    row.missing = dict(NOT_IMPLEMENTED.findall(output))
    if not (service / "app" / "main.py").is_file():
        row.build, row.note = "crash", "build exited 0 or 1 but wrote no app/main.py"
        return

    database = f"sqlite+aiosqlite:///{project / 'corpus.db'}"
    code, output = _run(
        [sys.executable, "-c", "import app.main"], service, args.step_timeout, _env()
    )
    row.imports = code == 0
    if not row.imports:
        row.outputs["import"] = output[-6000:]
        row.note = _last_line(output)
        return
    code, output = _run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        service,
        args.step_timeout,
        _env(DATABASE_URL=database),
    )
    row.migrates = code == 0
    if not row.migrates:
        row.outputs["migrate"] = output[-6000:]
        row.note = _last_line(output)
        return
    if args.postgres:
        ok, output = _postgres_migrate(service, args.postgres, contract.stem, args.step_timeout)
        row.migrates_postgres = ok
        if not ok:
            row.outputs["migrate-postgres"] = output[-6000:]
            row.note = "PostgreSQL: " + _last_line(output)
    if args.fast:
        return

    env = _env(
        DATABASE_URL=database,
        ENVIRONMENT="test",
        JWT_SECRET_KEYS=_KEY,
        API_KEYS=_KEY,
        RATE_LIMIT_ENABLED="false",
        LOG_LEVEL="WARNING",
    )
    with _serving(service, env, args.step_timeout) as base:
        row.starts = base is not None
        if base is None:
            row.outputs["start"] = env.get("_CORPUS_START_LOG", "")
            row.note = _last_line(row.outputs["start"]) or "did not answer /health/live"
        else:
            _fuzz(row, contract, service, base, args)
    if not row.starts:
        return

    # The tests of operations written by hand (tests/test_stubs.py) fail until someone
    # writes them; the 501 count says how many there are, the suite the rest.
    code, output = _run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=line"]
        + ["-m", "not stub"],
        service,
        args.suite_timeout,
        _env(),
    )
    passed = sum(int(n) for n in re.findall(r"(\d+) passed", output[-400:]))
    failed = sum(int(n) for n in re.findall(r"(\d+) (?:failed|error)", output[-400:]))
    row.suite = f"{passed}/{passed + failed}" if code is not None else "timeout"
    row.suite_ok = code == 0
    if not row.suite_ok:
        row.outputs["suite"] = output[-6000:]
        row.note = row.note or _last_line(output)


def _fuzz(row: Row, contract: Path, service: Path, base: str, args: argparse.Namespace) -> None:
    """A short schemathesis run that counts answers with a 5xx status (501s left out)."""
    try:
        with urllib.request.urlopen(f"{base}/openapi.json", timeout=5):  # noqa: S310
            schema = f"{base}/openapi.json"
    except OSError:
        schema = ""
    if not schema:
        # The contract is served under the API prefix; find it from the routes.
        code, output = _run(
            [sys.executable, "-c", "from app.main import app; print(app.openapi_url or '')"],
            service,
            args.step_timeout,
        )
        schema = f"{base}{output.strip().splitlines()[-1]}" if code == 0 and output else ""
    har = service / ".pactcoder" / "corpus-fuzz.har"
    har.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", schema or f"{base}/openapi.json",
        "--checks", "not_a_server_error",
        "--max-time", str(args.fuzz_seconds),
        "--max-examples", "20",
        "--generation-allow-x00", "false",
        "--generation-codec", "utf-8",
        "--phases", "examples,coverage,fuzzing",
        "--seed", "42",
        "--report", "har",
        "--report-har-path", str(har),
        *_api_key_headers(contract),
    ]  # fmt: skip
    for operation in row.missing:
        command += ["--exclude-operation-id", operation]
    code, output = _run(command, service, args.fuzz_seconds * 3 + 60, _env(COLUMNS="120"))
    row.outputs["fuzz"] = output[-6000:]
    try:
        entries = json.loads(har.read_text())["log"]["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        row.note = row.note or f"fuzz: no report ({_last_line(output)})"
        return
    # 501 is the intended answer of an operation not implemented (one without an
    # operationId cannot be left out by name).
    errors = [
        f"{e['request']['method']} {e['request']['url']} -> {e['response']['status']}"
        for e in entries
        if e["response"]["status"] >= 500 and e["response"]["status"] != 501
    ]
    row.fuzz_5xx = len(errors)
    if errors:
        row.outputs["fuzz-5xx"] = "\n".join(errors[:50])
        row.note = row.note or f"fuzz: {len(errors)} answers 5xx, first {errors[0]}"


def _internal(output: str) -> str:
    """The message of an internal error, on one line."""
    text = " ".join(output[output.find("internal error") :].split())
    return text.replace("internal error (a bug in pactcoder", "(bug").strip()[:300]


def _refusal(output: str) -> str:
    for line in output.splitlines():
        if ": error: " in line:
            return line.strip()[:240]
    return _last_line(output)


def _mark(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "NO")


def _table(rows: list[Row], args: argparse.Namespace) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"pactcoder on {len(rows)} contracts", show_lines=False)
    columns = ["contract", "ops", "build", "impl", "import", "migrate"]
    if args.postgres:
        columns.append("pg")
    if not args.fast:
        columns += ["start", "suite", "5xx"]
    columns += ["s", "note"]
    for name in columns:
        table.add_column(name, overflow="fold", max_width=90 if name == "note" else None)
    for row in rows:
        cells = [
            row.contract,
            str(row.operations),
            row.build if row.build_exit in (None, 0, 1, 2) else f"{row.build} ({row.build_exit})",
            f"{row.implemented}/{row.listed}" if row.built else "",
            _mark(row.imports),
            _mark(row.migrates),
        ]
        if args.postgres:
            cells.append(_mark(row.migrates_postgres))
        if not args.fast:
            cells += [
                _mark(row.starts),
                row.suite or "",
                "" if row.fuzz_5xx is None else str(row.fuzz_5xx),
            ]
        cells += [f"{row.seconds:.0f}", row.note]
        table.add_row(*cells)
    Console(width=250).print(table)


def summary(rows: list[Row], *, fast: bool) -> str:
    """The one-line summary of a run."""
    refused = sum(r.build.startswith("refused") for r in rows)
    unlocated = sum(r.build == "refused-unlocated" for r in rows)
    built = sum(r.built for r in rows)
    imports = sum(bool(r.imports) for r in rows)
    migrates = sum(bool(r.migrates) for r in rows)
    implemented = sum(r.implemented for r in rows)
    listed = sum(r.listed for r in rows)
    total = sum(r.operations for r in rows)
    crashed = sum(r.crashed for r in rows)
    unimportable = sum(r.build == "no-import" for r in rows)
    share = f" ({100 * implemented / total:.0f}%)" if total else ""
    parts = [
        f"{len(rows)} contracts: {refused} refused"
        + (f" ({unlocated} without a location)" if unlocated else ""),
        f"{built} built",
        f"{imports} import",
        f"{migrates} migrate",
    ]
    if not fast:
        parts += [
            f"{sum(bool(r.starts) for r in rows)} start",
            f"{sum(bool(r.suite_ok) for r in rows)} pass their suite",
        ]
    parts.append(
        f"{implemented} of {total} operations implemented{share} ({listed} in the contracts built)"
    )
    if not fast:
        parts.append(f"{sum(bool(r.fuzz_5xx) for r in rows)} with a 5xx")
    parts.append(
        f"{crashed} crash (exit 3"
        + (f"; {unimportable} of them a service that would not import" if unimportable else "")
        + ")"
    )
    return "; ".join(parts)


def reasons(rows: list[Row], top: int = 8) -> list[tuple[str, int]]:
    """The most common reasons given for an operation not implemented, generalised a little."""
    counter: collections.Counter[str] = collections.Counter()
    for row in rows:
        for reason in row.missing.values():
            for part in reason.split("; "):
                counter[_generalise(part)] += 1
    return counter.most_common(top)


def _generalise(reason: str) -> str:
    reason = re.sub(r"'[^']*'", "'…'", reason)
    fields = r"\b[A-Z][A-Za-z0-9]*(\.[\w\[\]]+)+(, [A-Z][A-Za-z0-9]*(\.[\w\[\]]+)+)*"
    reason = re.sub(fields, "X.f", reason)
    reason = re.sub(r"\(\w+\)", "(…)", reason)
    return reason[:140]


def _progress(row: Row, args: argparse.Namespace) -> None:
    """One line per contract as it finishes (stderr), and the rows so far in --json."""
    steps = [
        f"build={row.build}",
        f"import={_mark(row.imports)}",
        f"migrate={_mark(row.migrates)}",
        f"pg={_mark(row.migrates_postgres)}",
        f"start={_mark(row.starts)}",
        f"suite={row.suite or ''}",
        f"5xx={'' if row.fuzz_5xx is None else row.fuzz_5xx}",
    ]
    print(f"    {row.contract}: {' '.join(steps)} {row.seconds:.0f}s {row.note}", file=sys.stderr)
    if args.json:
        partial = args.json.with_name(args.json.name + ".partial")
        with partial.open("a") as out:
            out.write(json.dumps(asdict(row)) + "\n")


def select(corpus: Path, filters: list[str]) -> list[Path]:
    contracts = sorted(p for p in corpus.iterdir() if p.suffix in SUFFIXES and p.is_file())
    if filters:
        contracts = [p for p in contracts if any(f in p.name for f in filters)]
    return contracts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "filters", nargs="*", help="only contracts whose file name has one of these"
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the contracts' folder")
    parser.add_argument("--fast", action="store_true", help="build, import, migrate (SQLite) only")
    parser.add_argument("--postgres", metavar="URL", help="also migrate on this PostgreSQL server")
    parser.add_argument("--build-timeout", type=float, default=300)
    parser.add_argument("--step-timeout", type=float, default=90)
    parser.add_argument("--suite-timeout", type=float, default=300)
    parser.add_argument("--fuzz-seconds", type=int, default=10)
    parser.add_argument("--json", type=Path, help="write every row, with outputs, here")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args(argv)
    contracts = select(args.corpus, args.filters)
    if not contracts:
        parser.error(f"no contract in {args.corpus} matches {args.filters}")
    rows: list[Row] = []
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="pactcoder-corpus-"))
    try:
        for number, contract in enumerate(contracts, 1):
            print(f"[{number}/{len(contracts)}] {contract.name}", file=sys.stderr, flush=True)
            work = scratch / f"{number:02d}"
            shutil.rmtree(work, ignore_errors=True)
            rows.append(run_one(contract, work, args))
            _progress(rows[-1], args)
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    _table(rows, args)
    print(summary(rows, fast=args.fast))
    common = reasons(rows)
    if common:
        print("most common reasons an operation is not implemented:")
        for reason, count in common:
            print(f"  {count:4d}  {reason}")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1) + "\n")
    return 1 if any(not r.fast_ok for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
