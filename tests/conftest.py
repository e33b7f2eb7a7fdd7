"""Shared fixtures of pactcoder's own tests: paths to the examples and their understanding."""

from __future__ import annotations

from pathlib import Path

import pytest

from pactcoder.pipeline import Understanding, understand

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "docs").is_dir())


@pytest.fixture(scope="session")
def library() -> Understanding:
    return understand(EXAMPLES / "library")


@pytest.fixture(scope="session")
def orders() -> Understanding:
    return understand(EXAMPLES / "orders")
