"""The command line: help, exit codes, and what each command prints and writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from pactcoder import cli
from pactcoder.cli import app
from tests.conftest import copy_project

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})


@pytest.fixture(autouse=True)
def wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich sizes its consoles when they are made (at import): make wide, plain ones per test."""
    monkeypatch.setattr(cli, "console", Console(width=200, no_color=True))
    monkeypatch.setattr(cli, "errors", Console(width=200, no_color=True, stderr=True))


@pytest.mark.parametrize("command", ["check", "build", "serve", "verify"])
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "PROJECT" in result.output


def test_check_prints_operations_and_fields(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["check", str(copy_project(ROOT / "examples" / "library", tmp_path))]
    )
    assert result.exit_code == 0, result.output
    assert "listBooks" in result.output
    assert "GET /members/{memberId}/loans" in result.output
    assert "Loan (table loans)" in result.output
    assert "not implemented" not in result.output


def test_check_of_orders_shows_the_rules_that_implement_create_order() -> None:
    result = runner.invoke(app, ["check", str(ROOT / "examples" / "orders")])
    assert result.exit_code == 0, result.output
    assert "not implemented" not in result.output
    assert "rules.overlay.yaml" in result.output


def test_check_exits_1_when_an_operation_cannot_be_implemented(tmp_path: Path) -> None:
    # The orders example without the overlay declaring createOrder's rules (x-pact copy, sum).
    project = copy_project(ROOT / "examples" / "orders", tmp_path)
    (project / "docs/api/overlays/rules.overlay.yaml").unlink()
    result = runner.invoke(app, ["check", str(project)])
    assert result.exit_code == 1
    assert "createOrder" in result.output
    assert "1 operation(s) cannot be implemented from the contract alone" in result.output


def test_build_writes_the_service(tmp_path: Path) -> None:
    out = tmp_path / "service"
    result = runner.invoke(
        app,
        ["build", str(copy_project(ROOT / "examples" / "library", tmp_path)), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "19 of 19 operations implemented" in result.output
    assert (out / "app" / "main.py").is_file()
    assert (out / "migrations" / "versions" / "0001_initial.py").is_file()


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "service"
    result = runner.invoke(
        app,
        [
            "build",
            str(copy_project(ROOT / "examples" / "library", tmp_path)),
            "--out",
            str(out),
            "--dry-run",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "app/main.py" in result.output
    assert not out.exists()


def test_build_refuses_a_folder_that_is_not_its_own(tmp_path: Path) -> None:
    out = tmp_path / "service"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = runner.invoke(
        app,
        ["build", str(copy_project(ROOT / "examples" / "library", tmp_path)), "--out", str(out)],
    )
    assert result.exit_code == 2
    assert "not written by pactcoder" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_default_output_is_the_project_backend_folder(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "examples" / "library" / "docs", project / "docs")
    result = runner.invoke(app, ["build", str(project)])
    assert result.exit_code == 0, result.output
    assert (project / "backend" / "app" / "main.py").is_file()


def test_verify_without_a_build_is_bad_input(tmp_path: Path) -> None:
    result = runner.invoke(app, ["verify", str(tmp_path), "--out", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert "run `pactcoder build` first" in result.output
