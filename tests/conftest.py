"""Shared fixtures of pactcoder's own tests: paths to the examples and their understanding."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.pipeline import Understanding, understand

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "docs").is_dir())

# Data, not pactcoder's tests: generated services (with their own tests/) and broken projects.
collect_ignore = ["golden", "broken", "contracts"]


def copy_project(source: Path, folder: Path) -> Path:
    """A copy of a project's docs/ in ``folder``: builds write into docs/ (the hand-off)."""
    project = folder / source.name
    shutil.copytree(source / "docs", project / "docs")
    return project


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
