"""End to end: each project built once, verified once, its suite run on PostgreSQL once.

For every bundled example and every contract under tests/contracts, the session builds
the project with ``pactcoder build`` and runs ``pactcoder verify`` on it (see
``verified`` in conftest): the generated suite on SQLite, the contract the service
serves, schemathesis, ruff, mypy and bandit for the examples; the suite, ruff and mypy
for the other contracts. The tests below assert on that report. With
TEST_POSTGRES_URL set, the generated suite also runs on a fresh PostgreSQL database
per project. The generated suite runs with this interpreter, which must hold the
services' pinned dependencies and the checkers (``pip install -e '.[service,dev]'``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from pactcoder.handoff import HANDOFF_FILE
from tests.conftest import EXAMPLES, PROJECTS, grouped, postgres_admin

pytestmark = pytest.mark.e2e

#: The bundled examples: verified with every step. The other contracts: tests, ruff, mypy.
VERIFIED = sorted(p for p in PROJECTS if (EXAMPLES / p).is_dir())
CHECKED = sorted(p for p in PROJECTS if p not in VERIFIED)
#: The fewest tests each example's generated suite must have.
FEWEST_TESTS = {"library": 50}
Verified = Callable[..., dict[str, Any]]


def _run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    environment.update(env, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        command, cwd=cwd, env=environment, capture_output=True, text=True, check=False
    )


def _passed(output: str) -> int:
    found = re.search(r"(\d+) passed", output)
    return int(found.group(1)) if found else 0


def _failed_steps(report: dict[str, Any]) -> str:
    return "\n".join(
        f"{s['name']}: {s['summary']}\n{s['output'][-3000:]}"
        for s in report["steps"]
        if not s["ok"]
    )


def _suite_on_postgresql(service: Path, admin_url: str, name: str, **env: str) -> None:
    """The generated suite passes on a new, empty PostgreSQL database of its own."""
    # Unique per run: other runs on the same server must not drop this one's database.
    database = f"pactcoder_e2e_{name}_{os.getpid()}"
    parts = urlsplit(admin_url.replace("+asyncpg", ""))
    postgres_admin(
        admin_url,
        f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
        f'CREATE DATABASE "{database}"',
    )
    try:
        done = _run(
            # Not the tests of stubs left to write (they fail until written; see test_seam).
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not stub"],
            service,
            TEST_DATABASE_URL=urlunsplit(parts._replace(path=f"/{database}")),
            **env,
        )
    finally:
        postgres_admin(admin_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert _passed(done.stdout) >= 10, done.stdout[-2000:]


@pytest.mark.parametrize("name", grouped(VERIFIED))
def test_every_bundled_example_verifies_clean(
    name: str, built: Callable[[str], Path], verified: Verified
) -> None:
    """Every generated test passes (operations pactcoder cannot implement are xfail, not
    pass), the service serves its contract, fuzzing finds nothing, ruff, mypy and bandit
    are clean, and the results are in the hand-off document."""
    report = verified(name)
    assert report["exit_code"] == 0 and report["ok"], _failed_steps(report)
    steps = {s["name"]: s for s in report["steps"]}
    assert list(steps) == ["tests", "stubs", "contract", "fuzz", "ruff", "mypy", "bandit"]
    assert steps["tests"]["counts"]["tests"] >= FEWEST_TESTS.get(name, 40)
    assert steps["tests"]["counts"]["failures"] == 0
    assert steps["fuzz"]["counts"]["cases"] > 100
    assert steps["fuzz"]["counts"]["failures"] == 0
    handoff = (built(name) / HANDOFF_FILE).read_text()
    assert "`pactcoder verify`" in handoff and "clean" in handoff


@pytest.mark.parametrize("name", grouped(CHECKED))
def test_every_other_contract_builds_a_passing_ruff_and_mypy_clean_service(
    name: str, verified: Verified
) -> None:
    report = verified(name, "tests,ruff,mypy")
    assert report["exit_code"] == 0 and report["ok"], _failed_steps(report)
    steps = {s["name"]: s for s in report["steps"]}
    assert list(steps) == ["tests", "ruff", "mypy"]
    counts = steps["tests"]["counts"]
    assert counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"] >= 10


@pytest.mark.parametrize("name", grouped(sorted(PROJECTS)))
def test_generated_suite_passes_on_postgresql(
    name: str, built: Callable[[str], Path], postgres_url: str
) -> None:
    _suite_on_postgresql(built(name) / "backend", postgres_url, name)


_PROJECTION_CHECK = """
from app.models import orders as models
from app.repositories.projection import project
from app.schemas.orders import Order, OrderLine

built = project(models.Order, Order, '"orders"', "postgresql")
assert built is not None, "the order schema is stored as such: the database can build it"
assert "json_agg" in built and 'ORDER BY c1."position"' in built, built
assert '("orders"."total")::text' in built, built
lite = project(models.Order, Order, '"orders"', "sqlite")
assert lite is not None, "SQLite builds it too"
assert "json_group_array" in lite and 'ORDER BY c1."position"' in lite, lite
assert "printf('%.2f', \\"orders\\".\\"total\\")" in lite, lite
# A schema field that is no column of the table: the ORM reads it.
Extra = type("Extra", (OrderLine,), {"__annotations__": {"label": str}})
assert project(models.OrderLine, Extra, "l", "postgresql") is None
print("projection ok")
"""


@pytest.mark.xdist_group("orders")
def test_orders_reads_are_projected_to_sql_that_builds_their_json(
    built: Callable[[str], Path],
) -> None:
    """Orders are stored as the schema says, so their reads are one SQL query that builds
    the JSON on PostgreSQL and on SQLite (lines in position order, decimals as text); a
    field that is no column sends reads to the ORM. That the JSON answers as the ORM would
    is the generated suites' get-after-create tests, on SQLite and on PostgreSQL
    (test_generated_suite_passes_on_postgresql)."""
    done = _run([sys.executable, "-c", _PROJECTION_CHECK], built("orders") / "backend")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "projection ok" in done.stdout


@pytest.mark.xdist_group("orders")
def test_the_orders_service_runs_its_actions_and_jobs(
    built: Callable[[str], Path], verified: Verified
) -> None:
    """Built with no hand-written code, its generated suite passes (actions and jobs
    included); with TEST_REDIS_URL set, its job test runs a real ``dramatiq app.worker``
    against that Redis (verify hands the variable on), so nothing is skipped."""
    service = built("orders") / "backend"
    assert (service / "app" / "worker.py").is_file()
    assert "dramatiq app.worker" in (service / "README.md").read_text()
    actions = (service / "tests" / "test_actions.py").read_text()
    assert len(re.findall(r"^def test_", actions, re.MULTILINE)) >= 20
    tests = next(s for s in verified("orders")["steps"] if s["name"] == "tests")
    assert tests["ok"], tests["output"][-6000:]
    if os.environ.get("TEST_REDIS_URL"):
        assert tests["counts"]["skipped"] == 0, tests["output"][-2000:]


_DATABASE_GONE_CHECK = """
import os
os.environ["DATABASE_URL"] = "postgresql+asyncpg://pactcoder@127.0.0.1:1/gone"
from fastapi.testclient import TestClient
from app.main import create_app

with TestClient(create_app(), raise_server_exceptions=True) as client:
    answers = {
        "live": client.get("/health/live"),
        "ready": client.get("/health/ready"),
        "read": client.get("/v1/authors/1"),
        "list": client.get("/v1/authors"),
        "create": client.post("/v1/authors", json={"name": "Ursula K. Le Guin"}),
    }
for name, response in answers.items():
    print(name, response.status_code, response.headers.get("retry-after"), response.text[:120])
"""


@pytest.mark.xdist_group("library")
def test_a_database_that_does_not_answer_is_a_503_on_every_path(
    built: Callable[[str], Path],
) -> None:
    """PostgreSQL on a port nobody listens on: the service starts, says it is not ready, and
    answers reads and writes (all through the request's session) with 503 and
    Retry-After rather than 500 (and the server is not handed the error to log again)."""
    done = _run([sys.executable, "-c", _DATABASE_GONE_CHECK], built("library") / "backend")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert lines["live"].startswith("200"), lines
    assert lines["ready"].startswith("503"), lines
    for name in ("read", "list", "create"):
        assert lines[name].startswith("503 5 "), (name, lines)
        assert "not answering" in lines[name], (name, lines)
