"""The pins generated services declare are the ones pactcoder's `service` extra installs."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pactcoder.render.pins import RUNTIME_PINS, TEST_PINS

ROOT = Path(__file__).resolve().parents[1]


def test_service_extra_matches_the_generated_pins() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extra = set(project["optional-dependencies"]["service"])
    generated = {f"{name}=={version}" for name, version in {**RUNTIME_PINS, **TEST_PINS}.items()}
    ruff = next(d for d in project["dependencies"] if d.startswith("ruff"))
    assert generated - {ruff} == extra
    assert ruff == f"ruff=={TEST_PINS['ruff']}"


def test_every_pin_is_exact() -> None:
    for version in {**RUNTIME_PINS, **TEST_PINS}.values():
        assert version.count(".") == 2 and version.replace(".", "").isdigit()
