"""End to end: the agent writes the operations pactcoder cannot implement (issue 17 part 1).

tests/contracts/loans has two operations whose answers are computed (a loan's monthly
payment and a quote: an annuity formula no x-pact key says). A scripted model, over the
OpenAI-compatible wire format on loopback, does what a real one is told to: check, build,
run the tests of the stubs (they fail: the two tasks), read each stub, write it, verify
until clean (every step: the suite, the stubs, the served contract, fuzzing of the written
operations, ruff, mypy, bandit), and record what it wrote and why in its summary. Each
reply looks at what the last tool answered, so a step that went wrong ends the run. A
rebuild afterwards keeps what it wrote.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import typer
from model_server import ModelServer, Reply, openai_reply
from typer.testing import CliRunner

from pactcoder.agent.commands import agent_command
from pactcoder.agent.transcript import read_transcript
from pactcoder.cli import app as cli_app
from pactcoder.pipeline import understand
from pactcoder.seam import stubs
from pactcoder.verify import REPORT_FILE
from tests.seam_code import written

ROOT = Path(__file__).resolve().parents[1]
QUOTE = "backend/app/operations/quote_loan.py"
PAYMENT = "backend/app/operations/get_loan_payment.py"
AGENT_SUMMARY = "docs/backend-agent-handoff.md"
SUMMARY = """\
# Backend hand-off (agent): Loan Desk

Built by pactcoder from docs/openapi.yaml into backend/; see docs/backend-handoff.md for
the operations, decisions and tests in place.

## Operations written by hand

- `quoteLoan` (backend/app/operations/quote_loan.py): the annuity formula the description
  states, in `annuity()`: principal * r * g / (g - 1) with r the monthly rate and
  g = (1 + r) ** months; principal / months when g is 1 (a zero rate, or one too small to
  change g: fuzzing found the division by zero). Rounded to cents; the interest is never
  negative (rounding can make the total a cent short), as the schema's minimum 0 requires.
- `getLoanPayment` (backend/app/operations/get_loan_payment.py): reads the loan by id on the
  request's session (404 in the contract's error format when it does not exist) and
  answers `annuity()` of its terms, so a quote and a stored loan agree.

Uncertainty: high for the rounding rule (the contract says "rounded to cents" only for the
payment); low for the rest. Tests to write next: payments of known loans (0%, 5% over 360
months), a quote and the stored loan of the same terms agreeing.

Orchestrator: have the test engineer read this file and docs/backend-handoff.md.
"""


def _output(body: dict[str, Any], back: int = 1) -> str:
    return str(body["messages"][-back].get("content") or "")


def _expect(needles: list[str], calls: list[tuple[str, str, Any]], text: str | None = None) -> Any:
    """A reply that goes on with ``calls`` only if the last tool's answer holds ``needles``."""

    def reply(body: dict[str, Any]) -> Reply:
        output = _output(body)
        missing = [n for n in needles if n not in output]
        if missing:
            return 200, openai_reply(f"UNEXPECTED (no {missing!r}): {output[:4000]}")
        return 200, openai_reply(text, calls)

    return reply


def _unnumbered(read: str) -> str:
    """The file a Read answered (``cat -n`` lines) as its text."""
    lines = [re.sub(r"^ *\d+\t", "", line, count=1) for line in read.split("\n")]
    return "\n".join(lines) + "\n"


def _write_both(body: dict[str, Any]) -> Reply:
    """Write each stub from what Read showed of it, the formula in place of NotWritten."""
    reads = {QUOTE: _output(body, 2), PAYMENT: _output(body, 1)}
    if not all("raise NotWritten(" in text for text in reads.values()):
        return 200, openai_reply(f"UNEXPECTED: {json.dumps(reads)[:4000]}")
    calls = [
        (f"w{n}", "Write", {"file_path": path, "content": written(path[8:], _unnumbered(text))})
        for n, (path, text) in enumerate(reads.items())
    ]
    return 200, openai_reply("Writing both operations: the annuity formula.", calls)


def _script() -> list[Any]:
    tasks = ["Task 1: write getLoanPayment", "Task 2: write quoteLoan"]
    return [
        (200, openai_reply("Checking the contract first.", [("c1", "pactcoder_check", {})])),
        _expect(["contract OK: Loan Desk", *tasks], [("c2", "pactcoder_build", {})]),
        _expect(
            ["built Loan Desk into backend/", *tasks, "failing test: backend/tests/test_stubs.py"],
            [("c3", "pactcoder_verify", {"steps": ["tests", "stubs"]})],
        ),
        _expect(
            ["error: verify backend/: FAILED", "2 of 2 operations written by hand", *tasks],
            [
                ("c4", "Read", {"file_path": QUOTE}),
                ("c5", "Read", {"file_path": PAYMENT}),
            ],
        ),
        _write_both,
        _expect(["app/operations/get_loan_payment.py"], [("c8", "pactcoder_verify", {})]),
        _expect(
            ["verify backend/: clean", "all 2 operations written by hand are written"],
            [
                ("c9", "Read", {"file_path": "docs/backend-handoff.md", "limit": 60}),
                ("c10", "Write", {"file_path": AGENT_SUMMARY, "content": SUMMARY}),
            ],
        ),
        _expect(["docs/backend-agent-handoff.md"], [], "Both operations are written and the"
                " service verifies clean; see docs/backend-agent-handoff.md."),
    ]  # fmt: skip


@pytest.mark.e2e
def test_the_agent_writes_the_stubs_and_verify_is_clean(tmp_path: Path) -> None:
    project = tmp_path / "loans"
    shutil.copytree(ROOT / "tests" / "contracts" / "loans" / "docs", project / "docs")
    app = typer.Typer()
    app.command("agent")(agent_command)
    app.command("version")(lambda: None)
    with ModelServer(_script()) as server:
        result = CliRunner().invoke(
            app,
            [
                "agent", str(project), "write the operations pactcoder cannot implement",
                "--provider", "openai", "--base-url", f"{server.url}/v1", "--model", "scripted",
                "--max-steps", "20",
            ],
            env={"COLUMNS": "160", "NO_COLOR": "1"},
        )  # fmt: skip
    assert "UNEXPECTED" not in result.output, result.output[-6000:]
    assert result.exit_code == 0, result.output[-6000:]
    assert len(server.requests) == 8

    system = server.requests[0]["body"]["messages"][0]["content"]
    assert "app/operations/" in system and "NotWritten" in system

    # What it wrote is the formula, in the stubs, and verify (every step) says clean.
    service = project / "backend"
    for path in (QUOTE, PAYMENT):
        text = (project / path).read_text()
        assert "raise NotWritten(" not in text and "annuity(" in text
    assert all(s.written for s in stubs(understand(project).service, service))
    report = json.loads((service / REPORT_FILE).read_text())
    assert report["ok"], json.dumps(report["steps"])[:4000]
    steps = {s["name"]: s for s in report["steps"]}
    assert list(steps) == ["tests", "stubs", "contract", "fuzz", "ruff", "mypy", "bandit"]
    assert steps["tests"]["counts"]["failures"] == 0
    assert steps["fuzz"]["counts"]["excluded"] == 0 and steps["fuzz"]["counts"]["operations"] == 5

    # Its account of what it wrote and why is where the next build cannot replace it.
    assert (project / "docs" / "backend-agent-handoff.md").read_text() == SUMMARY
    records = read_transcript(next((project / ".pactcoder" / "agent").glob("*.jsonl")))
    calls = [r["call"]["name"] for r in records if r["type"] == "tool_call"]
    assert calls == [
        "pactcoder_check", "pactcoder_build", "pactcoder_verify", "Read", "Read", "Write",
        "Write", "pactcoder_verify", "Read", "Write",
    ]  # fmt: skip

    # Nothing it wrote is overwritten by a rebuild.
    mine = {path: (project / path).read_text() for path in (QUOTE, PAYMENT)}
    rebuilt = CliRunner().invoke(cli_app, ["build", str(project)])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert {path: (project / path).read_text() for path in mine} == mine
    assert (project / "docs" / "backend-agent-handoff.md").read_text() == SUMMARY
    handoff = (project / "docs" / "backend-handoff.md").read_text()
    assert "| `quoteLoan` | `app/operations/quote_loan.py`, `quote_loan()` | written |" in handoff
