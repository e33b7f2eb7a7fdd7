"""pactcoder holds itself to the standard it sets for generated code: ruff and mypy clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pactcoder.format import find_ruff_bin

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_lint_is_clean() -> None:
    done = _run(str(find_ruff_bin()), "check", "--no-cache", "src", "tests")
    assert done.returncode == 0, done.stdout


def test_ruff_format_is_clean() -> None:
    done = _run(str(find_ruff_bin()), "format", "--check", "--no-cache", "src", "tests")
    assert done.returncode == 0, done.stdout


def test_mypy_strict_is_clean() -> None:
    done = _run(sys.executable, "-m", "mypy", "--no-incremental")
    assert done.returncode == 0, done.stdout
