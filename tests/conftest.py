"""Shared fixtures of pactcoder's own tests: paths to the examples and their understanding.

The e2e lane (``pytest -m e2e``) builds each project once per session (``built``), verifies
it once (``verified``) and copies a build for a test that must change it (``built_copy``).
Its tests carry ``xdist_group(project)`` (see ``grouped``), so with ``--dist loadgroup`` every
test of one project runs in the worker that built it.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pactcoder.pipeline import Understanding, understand

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "docs").is_dir())
#: Projects with an OpenAPI contract: the bundled examples (a Markdown-only one is drafted
#: first; see test_draft.py) and the contracts under tests/contracts that cover other constructs.
PROJECTS = {
    p.name: p
    for folder in (EXAMPLES, ROOT / "tests" / "contracts")
    for p in sorted(folder.iterdir())
    if any((p / "docs").rglob("*.yaml")) or any((p / "docs").rglob("*.json"))
}

# Data, not pactcoder's tests: generated services (with their own tests/) and broken projects.
collect_ignore = ["golden", "broken", "contracts"]


def copy_project(source: Path, folder: Path) -> Path:
    """A copy of a project's docs/ in ``folder``: builds write into docs/ (the hand-off)."""
    project = folder / source.name
    shutil.copytree(source / "docs", project / "docs")
    return project


def grouped(names: Iterable[str]) -> list[Any]:
    """``names`` as parameters, each in the xdist group of its project's session build."""
    return [pytest.param(name, marks=pytest.mark.xdist_group(name)) for name in names]


@pytest.fixture(scope="session")
def library() -> Understanding:
    return understand(EXAMPLES / "library")


@pytest.fixture(scope="session")
def orders() -> Understanding:
    return understand(EXAMPLES / "orders")


@pytest.fixture
def write_project(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write ``{relative path: text}`` under ``tmp_path``; returns ``tmp_path``.

    Each text is dedented and its leading newline dropped, so line 1 of a file
    is the first line written in the test.
    """

    def write(files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return tmp_path

    return write


# --- Servers the e2e lane talks to -----------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """TEST_POSTGRES_URL; skips when unset, fails when set and the server does not answer."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TEST_POSTGRES_URL is not set")
    try:
        postgres_admin(url, "SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure to connect is the answer
        pytest.fail(f"TEST_POSTGRES_URL is set but PostgreSQL at {url} does not answer: {exc}")
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    """TEST_REDIS_URL; skips when unset, fails when set and the server does not answer."""
    import redis

    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        pytest.fail(f"TEST_REDIS_URL is set but Redis at {url} does not answer: {exc}")
    return url


def postgres_admin(url: str, *statements: str) -> None:
    """Run ``statements`` on the PostgreSQL server of ``url``."""
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(url.replace("+asyncpg", ""), timeout=10)
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


# --- Each project built and verified once per session (the e2e lane) -------------------------


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``built(name)``: the project ``name`` (a copy of its docs/), built once per session
    into its backend/ with ``pactcoder build``. Tests must not change it (see built_copy)."""
    from pactcoder.cli import app

    projects: dict[str, Path] = {}

    def build(name: str) -> Path:
        if name not in projects:
            project = copy_project(PROJECTS[name], tmp_path_factory.mktemp(name))
            done = CliRunner().invoke(app, ["build", str(project)])
            assert done.exit_code == 0, done.output
            projects[name] = project
        return projects[name]

    return build


@pytest.fixture
def built_copy(built: Callable[[str], Path], tmp_path: Path) -> Callable[[str], Path]:
    """``built_copy(name)``: a copy of the session's build of ``name``, free to change."""

    def copy(name: str) -> Path:
        project = tmp_path / name
        shutil.copytree(built(name), project, symlinks=True)
        return project

    return copy


@pytest.fixture(scope="session")
def verified(built: Callable[[str], Path]) -> Callable[[str, str | None], dict[str, Any]]:
    """``verified(name, steps)``: ``pactcoder verify`` run once per session on the build of
    ``name`` (fuzzing with 10 examples); the JSON report it wrote, and its exit code."""
    from pactcoder.cli import app

    reports: dict[str, dict[str, Any]] = {}

    def verify(name: str, steps: str | None = None) -> dict[str, Any]:
        assert reports.get(name, {}).get("asked", steps) == steps, "one verify per project"
        if name not in reports:
            project = built(name)
            command = ["verify", str(project), "--fuzz-examples", "10"]
            done = CliRunner().invoke(app, command + (["--steps", steps] if steps else []))
            report = json.loads((project / "backend/.pactcoder/verify.json").read_text())
            reports[name] = {**report, "exit_code": done.exit_code, "printed": done.output}
            reports[name]["asked"] = steps
        return reports[name]

    return verify
