"""pactcoder's own steps as tools: draft, check, build and verify the project.

With these the model writes or fixes a contract (small and checkable) and
lets the compiler write the service, instead of writing the service by hand.
Each calls :mod:`pactcoder.steps` (or :mod:`pactcoder.draft`) on the project
and answers with a compact summary: every problem as ``file:line:column:
level: message`` with its hint, the operations the contract does not let
pactcoder implement and why, and the verification table with the output of
failed steps. A broken contract or a refused build is an error result.

Under a time limit (``--max-time``) each runs in a forked child process in a process
group of its own, so that a build or a verification still running when the run's time
is up is stopped with everything it started (the generated suite, schemathesis, mypy),
like a Bash command, instead of running past the limit.

Example::

    PactcoderCheck().run({}, context)
    # "contract OK: Order Service 1.0.0 — 12 operations, 12 implemented, 3 resources ..."
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from typing import Any, ClassVar

from pactcoder import steps as compiler_steps
from pactcoder.agent.tasks import stub_tasks
from pactcoder.agent.tools.base import Tool, ToolContext
from pactcoder.agent.tools.errors import ToolError
from pactcoder.pipeline import Understanding
from pactcoder.problems import ContractError, OutputError, PactcoderError, Problems, Severity
from pactcoder.verify import STEPS, VerifyReport

__all__ = ["PactcoderBuild", "PactcoderCheck", "PactcoderDraft", "PactcoderVerify"]

_MAX_NOTES = 15
_MAX_STEP_OUTPUT = 4000


def within_time(name: str, context: ToolContext, work: Callable[[], str]) -> str:
    """``work()``, stopped (its process group killed) when the run's time is up.

    Without a time limit it runs here. With one, it runs in a forked child that
    sends back its answer or its error; a ToolError says so when time ran out.
    """
    left = context.remaining_time()
    if left is None or "fork" not in multiprocessing.get_all_start_methods():
        return work()
    forked = multiprocessing.get_context("fork")
    reader, writer = forked.Pipe(duplex=False)

    def child() -> None:
        os.setpgrp()  # its subprocesses (pytest, schemathesis, ruff) are stopped with it
        try:
            writer.send(("ok", work()))
        except ToolError as exc:
            writer.send(("error", str(exc)))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent as a tool error
            writer.send(("error", f"{name} failed: {type(exc).__name__}: {exc}"))

    process = forked.Process(target=child, daemon=True)
    process.start()
    writer.close()
    seconds = max(left, 0.5)
    try:
        answered = reader.poll(seconds)
        kind, text = reader.recv() if answered else ("late", "")
    except EOFError:
        kind, text = "error", f"{name} ended without an answer (exit code {process.exitcode})"
    finally:
        if process.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.join()
        reader.close()
    if kind == "late":
        raise ToolError(
            f"{name} was stopped after {seconds:.1f}s, all the run's time limit (--max-time)"
            " had left; it and every process it started were stopped."
        )
    if kind == "error":
        raise ToolError(text)
    return str(text)


def problem_lines(problems: Problems, *, notes: bool = True) -> list[str]:
    """Problems as text, in file order: errors and warnings always, notes up to 15."""
    lines: list[str] = []
    shown_notes = 0
    for problem in problems.sorted():
        if problem.severity is Severity.NOTE:
            if not notes:
                continue
            shown_notes += 1
            if shown_notes > _MAX_NOTES:
                continue
        lines.append(str(problem))
    hidden = shown_notes - _MAX_NOTES
    if hidden > 0:
        lines.append(f"({hidden} more notes; `pactcoder check` shows them all)")
    return lines


def _contract_failed(exc: ContractError) -> ToolError:
    errors = len(exc.problems.errors)
    lines = problem_lines(exc.problems)
    return ToolError(
        f"the contract has {errors} error(s); nothing can be built until they are fixed:\n"
        + "\n".join(lines)
    )


def understanding_summary(understanding: Understanding) -> str:
    """What pactcoder understood: operations, resources, and what it cannot implement."""
    service = understanding.service
    missing = [e for e in service.endpoints if not e.implemented]
    lines = [
        f"{service.title} {service.version}: {len(service.endpoints)} operations,"
        f" {len(service.endpoints) - len(missing)} implemented by pactcoder,"
        f" {len(service.resources)} resources"
        f" ({', '.join(r.noun.plural for r in service.resources) or 'none'});"
        f" served under '{service.api_prefix or '/'}';"
        f" read from {', '.join(understanding.contract.inputs)}"
    ]
    for endpoint in service.endpoints:
        does = endpoint.kind.value + (f" {endpoint.resource}" if endpoint.resource else "")
        state = "ok" if endpoint.implemented else "NOT IMPLEMENTED: " + "; ".join(endpoint.reasons)
        lines.append(
            f"  {endpoint.method.upper()} {endpoint.path} ({endpoint.operation_id}): {does} — "
            + state
        )
    if missing:
        lines.append(
            f"{len(missing)} operation(s) are written by hand, each in a typed stub of the"
            " service (app/operations/), and answer 501 until it is written (or until the"
            " contract, or an x-pact overlay, says how to implement them)."
        )
    return "\n".join(lines)


class PactcoderDraft(Tool):
    name = "pactcoder_draft"
    mutates = True
    description = (
        "Drafts an OpenAPI 3.1 contract from the architect's Markdown in docs/ (endpoint"
        " tables and lists, JSON examples, field tables, SQL CREATE TABLE blocks) without a"
        " model, into docs/api/openapi.draft.yaml. Refuses when docs/ already holds a contract"
        " unless force is true. Review the draft and fix it before building."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "force": {
                "type": "boolean",
                "default": False,
                "description": "Replace an existing draft (or draft beside a contract).",
            }
        },
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        from pactcoder.draft import write_draft

        project = context.workspace.root
        try:
            result = write_draft(project, force=bool(args.get("force")))
        except PactcoderError as exc:
            raise ToolError(str(exc)) from exc
        return result.summary(project)


class PactcoderCheck(Tool):
    name = "pactcoder_check"
    description = (
        "Reads the contract in docs/ (OpenAPI, overlays, fenced YAML in Markdown) the way"
        " pactcoder build will, and reports every problem with file:line, every operation"
        " and whether pactcoder can implement it (and why not). Writes nothing."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {},
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        return within_time(self.name, context, lambda: self._check(context))

    def _check(self, context: ToolContext) -> str:
        try:
            understanding = compiler_steps.check(context.workspace.root, progress=context.progress)
        except ContractError as exc:
            raise _contract_failed(exc) from exc
        except PactcoderError as exc:
            raise ToolError(str(exc)) from exc
        problems = problem_lines(understanding.problems)
        text = "contract OK: " + understanding_summary(understanding)
        text += "\nproblems:\n" + "\n".join(problems) if problems else ""
        return _with_tasks(text, understanding, context)


class PactcoderBuild(Tool):
    name = "pactcoder_build"
    mutates = True
    description = (
        "Builds the service from the contract in docs/ into backend/ (FastAPI, SQLAlchemy,"
        " Alembic, tests). Generated files are replaced on every build: change the contract or"
        " its overlay instead of editing them. Operations pactcoder cannot implement become"
        " typed stubs in backend/app/operations/ (yours, never overwritten); the result ends"
        " with a task for each one left to write. force=true replaces an output folder"
        " pactcoder did not write or whose files were edited."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"force": {"type": "boolean", "default": False}},
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        return within_time(self.name, context, lambda: self._build(args, context))

    def _build(self, args: dict[str, Any], context: ToolContext) -> str:
        started = time.perf_counter()
        project = context.workspace.root
        try:
            result = compiler_steps.build(
                project, force=bool(args.get("force")), progress=context.progress
            )
        except ContractError as exc:
            raise _contract_failed(exc) from exc
        except OutputError as exc:
            raise ToolError(
                f"{exc}\n(call pactcoder_build with force=true to replace it anyway)"
            ) from exc
        except PactcoderError as exc:
            raise ToolError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        service = result.understanding.service
        missing = [e for e in service.endpoints if not e.implemented]
        where = context.workspace.show(result.destination)
        lines = [
            f"built {service.title} into {where}/: {len(result.files)} files in {elapsed:.1f}s;"
            f" {len(service.endpoints) - len(missing)} of {len(service.endpoints)} operations"
            " implemented"
        ]
        for endpoint in missing:
            lines.append(
                f"  501 {endpoint.method.upper()} {endpoint.path} ({endpoint.operation_id}): "
                + "; ".join(endpoint.reasons)
            )
        warnings = problem_lines(result.understanding.problems, notes=False)
        if warnings:
            lines.append("warnings:\n" + "\n".join(warnings))
        lines.append("next: pactcoder_verify")
        return _with_tasks("\n".join(lines), result.understanding, context)


def _with_tasks(text: str, understanding: Understanding, context: ToolContext) -> str:
    """``text``, then the tasks for the stubs left to write in backend/ (see agent.tasks)."""
    destination = (context.workspace.root / compiler_steps.DEFAULT_OUTPUT).resolve()
    tasks = stub_tasks(understanding.service, destination, compiler_steps.DEFAULT_OUTPUT)
    return text + ("\n\n" + tasks if tasks else "")


def verify_project(context: ToolContext, steps: list[str] | None) -> VerifyReport:
    """``pactcoder.steps.verify`` on the project, limited to ``steps`` when given."""
    return compiler_steps.verify(context.workspace.root, progress=context.progress, steps=steps)


def verify_table(report: VerifyReport, show: str) -> str:
    """The verification as a small text table, with the output of every failed step."""
    width = max((len(s.name) for s in report.steps), default=4)
    lines = [f"verify {show}: {'clean' if report.ok else 'FAILED'}"]
    for step in report.steps:
        lines.append(f"  {step.name:<{width}}  {'passed' if step.ok else 'FAILED'}  {step.summary}")
    for step in report.steps:
        if not step.ok and step.output.strip():
            lines.append(f"--- {step.name} output (last part) ---")
            lines.append(step.output.strip()[-_MAX_STEP_OUTPUT:])
    return "\n".join(lines)


class PactcoderVerify(Tool):
    name = "pactcoder_verify"
    description = (
        "Verifies the built service in backend/: its generated test suite, the stubs left to"
        " write (backend/app/operations/), the contract it serves, fuzzing, ruff, mypy and"
        " bandit (or only the steps named), and returns a table of results with the output"
        " of failed steps and a task per stub left. Run it after every build and every stub"
        " written until it is clean."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "steps": {
                "type": "array",
                "items": {"type": "string", "enum": sorted(STEPS)},
                "description": "Only these steps (default: all).",
            }
        },
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        return within_time(self.name, context, lambda: self._verify(args, context))

    def _verify(self, args: dict[str, Any], context: ToolContext) -> str:
        steps = list(args.get("steps") or context.verify_steps or []) or None
        try:
            report = verify_project(context, steps)
        except PactcoderError as exc:
            raise ToolError(str(exc)) from exc
        result = verify_table(report, f"{compiler_steps.DEFAULT_OUTPUT}/")
        if not report.ok:
            if any(s.name == "stubs" and not s.ok for s in report.steps):
                try:
                    understanding = compiler_steps.check(context.workspace.root)
                except PactcoderError:
                    raise ToolError(result) from None
                result = _with_tasks(result, understanding, context)
            raise ToolError(result)
        return result
