"""Broken contracts: ``pactcoder check`` on each project under tests/broken/ prints exactly
its ``expected.txt`` on stderr, exits with code 2 and writes nothing.

Each case is a folder with a docs/ tree that is wrong in one way (a YAML or JSON
syntax error, a broken $ref, an overlay that misses, a duplicate operation, ...).
After a deliberate change to a message, review the new messages and regenerate with:

    python tests/test_broken.py --regenerate
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from pactcoder import cli

BROKEN = Path(__file__).resolve().parent / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if (p / "docs").is_dir())
# A wide terminal and no colour, so Rich neither wraps nor styles the lines (and no
# FORCE_COLOR or TTY_COMPATIBLE from the caller's environment making it a terminal).
ENV: dict[str, str | None] = {
    "COLUMNS": "200",
    "NO_COLOR": "1",
    "FORCE_COLOR": None,
    "TTY_COMPATIBLE": None,
}


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def check(case: str) -> tuple[int, str]:
    """Run ``pactcoder check tests/broken/<case>``: its exit code and what it printed on stderr."""
    # Rich reads NO_COLOR and FORCE_COLOR when a Console is made, and cli's is made at
    # import: give it one made now, the way ENV says, whatever the caller's environment.
    made_at_import = cli.errors
    cli.errors = Console(stderr=True, width=200, no_color=True, force_terminal=False)
    try:
        result = CliRunner().invoke(cli.app, ["check", str(BROKEN / case)], env=ENV)
    finally:
        cli.errors = made_at_import
    return result.exit_code, result.stderr


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("case", CASES)
def test_a_broken_contract_is_reported_exactly(case: str) -> None:
    folder = BROKEN / case
    before = _files(folder)
    exit_code, stderr = check(case)
    assert exit_code == 2, stderr
    assert stderr == (folder / "expected.txt").read_text(encoding="utf-8")
    assert not (folder / "backend").exists()
    assert _files(folder) == before, "pactcoder check wrote into the project"


def regenerate() -> None:
    for case in CASES:
        exit_code, stderr = check(case)
        (BROKEN / case / "expected.txt").write_text(stderr, encoding="utf-8")
        print(f"{case}: exit code {exit_code}")
        print("  " + stderr.rstrip("\n").replace("\n", "\n  "))


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit("usage: python tests/test_broken.py --regenerate")
    regenerate()
