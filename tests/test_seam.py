"""The seam: an operation pactcoder cannot implement is a typed stub in a user-owned module.

tests/contracts/loans has two such operations (a loan's monthly payment and a quote: an
annuity formula no x-pact key says). Each gets app/operations/<function>.py with its
contract in the docstring and the generated request and response models in its
signature; the route calls it and answers 501 while it raises NotWritten; its test in
tests/test_stubs.py fails until it is written; ``check`` and ``build`` name its file and
function; a rebuild never touches it. The e2e half (the suite, verify, runtime) is at the
end, marked e2e.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from pactcoder import cli
from pactcoder.agent.tasks import stub_tasks
from pactcoder.cli import app
from pactcoder.output import FileKind, kind_of
from pactcoder.pipeline import understand
from pactcoder.seam import StubState, state_of, stubs
from pactcoder.steps import generate
from tests.conftest import ROOT, copy_project
from tests.seam_code import written

LOANS = ROOT / "tests" / "contracts" / "loans"
QUOTE = "app/operations/quote_loan.py"
PAYMENT = "app/operations/get_loan_payment.py"
runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})


@pytest.fixture(autouse=True)
def wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "console", Console(width=200, no_color=True))
    monkeypatch.setattr(cli, "errors", Console(width=200, no_color=True, stderr=True))


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return generate(understand(LOANS))


def test_each_operation_pactcoder_cannot_implement_is_a_stub_the_user_owns(
    files: dict[str, str],
) -> None:
    assert {QUOTE, PAYMENT, "app/operations/__init__.py", "tests/test_stubs.py"} <= set(files)
    assert "class NotWritten(NotImplementedYet):" in files["app/core/handwritten.py"]
    assert kind_of(QUOTE) is FileKind.OWNED and kind_of(PAYMENT) is FileKind.OWNED
    assert kind_of("app/operations/__init__.py") is FileKind.GENERATED
    assert not any(
        p.startswith("app/operations/") for p in generate(understand(ROOT / "examples/library"))
    )


def test_a_stub_is_typed_with_the_generated_models_and_quotes_its_contract(
    files: dict[str, str],
) -> None:
    quote = files[QUOTE]
    assert quote.startswith('"""app/operations/quote_loan.py: quoteLoan (POST /quotes)')
    assert (
        "async def quote_loan(\n    *,\n    request: Request,\n    session: AsyncSession," in quote
    )
    assert "    body: LoanTerms,\n) -> Payment | Response:" in quote
    assert "from app.schemas.quotes import LoanTerms, Payment" in quote
    # The contract excerpt is the operation as written, and parses back to it.
    start = quote.index("        /quotes:\n")
    end = quote.index("\n\n    Args:")
    excerpt = yaml.safe_load("\n".join(line[8:] for line in quote[start:end].splitlines()))
    operation = understand(LOANS).service.contract["paths"]["/quotes"]["post"]
    assert excerpt == {"/quotes": {"post": operation}}
    assert "raise NotWritten(" in quote and state_of(quote, "quote_loan") is StubState.NOT_WRITTEN
    payment = files[PAYMENT]
    assert "    loan_id: int,\n) -> Payment | Response:" in payment
    assert "parameters:\n          - name: loanId" in payment or "- name: loanId" in payment


def test_the_route_calls_the_stub_and_a_test_fails_until_it_is_written(
    files: dict[str, str],
) -> None:
    routes = "\n".join(text for path, text in files.items() if path.startswith("app/api/routes/"))
    assert "from app.operations import quote_loan as quote_loan_code" in routes
    assert (
        "result = await quote_loan_code.quote_loan(request=request, session=session, body=body)"
        in routes
    )
    assert "NotImplementedYet(" not in routes
    tests = files["tests/test_stubs.py"]
    assert tests.count("@pytest.mark.stub\ndef test_") == 2
    assert "def test_quote_loan_is_written(client: TestClient) -> None:" in tests
    assert "assert response.status_code != 501" in tests
    assert 'markers = ["stub:' in files["pyproject.toml"]


@pytest.mark.parametrize(
    ("source", "state"),
    [
        (None, StubState.MISSING),
        ("def f(:\n", StubState.BROKEN),
        ("async def g() -> None:\n    return None\n", StubState.BROKEN),
        (
            'async def f() -> int:\n    """Doc."""\n    raise NotWritten("x")\n',
            StubState.NOT_WRITTEN,
        ),
        ("async def f() -> int:\n    raise ops.NotWritten\n", StubState.NOT_WRITTEN),
        ("async def f() -> int:\n    return 1\n", StubState.WRITTEN),
        ('async def f() -> int:\n    """Doc."""\n    raise NotFound("no")\n', StubState.WRITTEN),
        ("async def f() -> int:\n    x = 1\n    raise NotWritten('x')\n", StubState.WRITTEN),
    ],
)
def test_a_stub_is_written_once_it_does_more_than_raise_not_written(
    source: str | None, state: StubState
) -> None:
    assert state_of(source, "f") is state


def test_contract_text_in_a_stub_stays_text(tmp_path: Path) -> None:
    project = copy_project(LOANS, tmp_path)
    contract = project / "docs" / "openapi.yaml"
    document = yaml.safe_load(contract.read_text())
    hostile = 'Ends early """ + __import__("os").system("x") + """ \\N{BOOM} \\x00 \u2028 end"'
    document["paths"]["/quotes"]["post"]["description"] = hostile
    contract.write_text(yaml.safe_dump(document))
    quote = generate(understand(project))[QUOTE]
    tree = ast.parse(quote)  # it parses, and the text never became code
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert "__import__" not in names and "__import__" in quote
    function = next(n for n in tree.body if isinstance(n, ast.AsyncFunctionDef))
    assert "__import__" in (ast.get_docstring(function) or "")


def test_check_and_build_name_each_stub_and_a_rebuild_keeps_what_was_written(
    tmp_path: Path,
) -> None:
    project = copy_project(LOANS, tmp_path)
    service = project / "backend"
    before = runner.invoke(app, ["check", str(project)])
    assert before.exit_code == 1, before.output
    assert "quoteLoan (POST /quotes): " in before.output
    assert "backend/app/operations/quote_loan.py, quote_loan() -- not built" in before.output

    built = runner.invoke(app, ["build", str(project)])
    assert built.exit_code == 0, built.output
    assert "3 of 5 operations implemented" in built.output
    assert "write quote_loan() in" in built.output
    unwritten = runner.invoke(app, ["check", str(project)])
    assert unwritten.exit_code == 1
    assert "quote_loan() -- not written" in unwritten.output
    assert "tests/test_stubs.py::test_quote_loan_is_written" in unwritten.output

    # The agent's task for each stub left (pactcoder_check, _build and a failed _verify end
    # with them): the operation, why, the file, the signature, the failing test, the contract.
    tasks = stub_tasks(understand(project).service, service, "backend")
    assert tasks.startswith("Operations to write by hand: 2 of 2 left.")
    assert "Task 1: write getLoanPayment (GET /loans/{loanId}/payment)" in tasks
    assert "  why pactcoder cannot: no resource schema found in its responses" in tasks
    assert "  file: backend/app/operations/get_loan_payment.py (yours" in tasks
    assert "  signature:\n    async def get_loan_payment(\n        *,\n" in tasks
    assert "        loan_id: int,\n    ) -> Payment | Response:" in tasks
    assert "failing test: backend/tests/test_stubs.py::test_get_loan_payment_is_written" in tasks
    assert "  contract:\n    /loans/{loanId}/payment:\n" in tasks
    assert "Task 2: write quoteLoan (POST /quotes)" in tasks

    for path in (QUOTE, PAYMENT):
        target = service / path
        target.write_text(written(path, target.read_text()))
    assert stub_tasks(understand(project).service, service, "backend") == ""
    mine = {path: (service / path).read_text() for path in (QUOTE, PAYMENT)}
    assert all(s.written for s in stubs(understand(project).service, service))
    done = runner.invoke(app, ["check", str(project)])
    assert done.exit_code == 0, done.output
    assert "written by hand" in done.output and "All are written." in done.output

    rebuilt = runner.invoke(app, ["build", str(project)])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "3 of 5 operations implemented, 2 written by hand" in rebuilt.output
    assert {path: (service / path).read_text() for path in mine} == mine
    handoff = (project / "docs" / "backend-handoff.md").read_text()
    assert "## Operations written by hand" in handoff
    assert "| `quoteLoan` | `app/operations/quote_loan.py`, `quote_loan()` | written |" in handoff
    assert "2 written by hand, 0 answering 501" in handoff


# -- e2e: the generated suite and verify on the service -----------------------------------------


def _pytest(service: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=service,
        env={**env, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.e2e
def test_writing_a_stub_lifts_the_501_without_a_rebuild_and_verify_says_so(
    tmp_path: Path,
) -> None:
    project = copy_project(LOANS, tmp_path)
    built = runner.invoke(app, ["build", str(project)])
    assert built.exit_code == 0, built.output
    service = project / "backend"

    suite = _pytest(service)
    assert suite.returncode == 1, suite.stdout[-3000:]
    assert "2 failed" in suite.stdout and "is not written yet" in suite.stdout
    assert _pytest(service, "-m", "not stub").returncode == 0

    verified = runner.invoke(app, ["verify", str(project), "--steps", "tests,stubs"])
    assert verified.exit_code == 1, verified.output
    report = json.loads((service / ".pactcoder" / "verify.json").read_text())
    steps = {s["name"]: s for s in report["steps"]}
    assert steps["tests"]["ok"] and steps["tests"]["counts"]["not_written"] == 2
    assert not steps["stubs"]["ok"]
    assert "2 of 2 operations written by hand are not written yet" in steps["stubs"]["summary"]

    for path in (QUOTE, PAYMENT):
        (service / path).write_text(written(path, (service / path).read_text()))
    suite = _pytest(service)  # the same build: the routes call the written stubs
    assert suite.returncode == 0, suite.stdout[-3000:]
    verified = runner.invoke(app, ["verify", str(project), "--fuzz-examples", "10"])
    report = json.loads((service / ".pactcoder" / "verify.json").read_text())
    failed = [
        f"{s['name']}: {s['summary']}\n{s['output'][-2000:]}"
        for s in report["steps"]
        if not s["ok"]
    ]
    assert verified.exit_code == 0 and report["ok"], "\n".join(failed)
    steps = {s["name"]: s for s in report["steps"]}
    assert steps["stubs"]["summary"] == "all 2 operations written by hand are written"
    assert steps["fuzz"]["counts"]["excluded"] == 0  # written stubs are fuzzed like the rest
