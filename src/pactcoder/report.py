"""What pactcoder tells people: problems, its understanding of a contract, build results.

All terminal output goes through here (Rich tables and panels), so the CLI
stays a thin layer and the same renderings can be reused by other front ends.

Example::

    console = Console()
    show_problems(console, problems, root)
    show_understanding(console, understanding)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pactcoder.ir.model import Confidence, Endpoint, Inference, Kind, Resource, Source
from pactcoder.problems import Problems, Severity
from pactcoder.seam import Stub, StubState

# Only named in annotations: importing them would make `pactcoder check` import the
# renderer (through migrate) and the verifier.
if TYPE_CHECKING:
    from pactcoder.migrate import Plan
    from pactcoder.pipeline import Understanding
    from pactcoder.results import BuildResult
    from pactcoder.verify import VerifyReport

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def show_problems(console: Console, problems: Problems, *, notes: bool = True) -> None:
    """Every problem, in file order, as ``file:line:col: level: message`` plus a hint."""
    for problem in problems.sorted():
        if problem.severity is Severity.NOTE and not notes:
            continue
        where = f"{problem.location}: " if problem.location else ""
        line = Text(where)
        line.append(problem.severity.value, style=_STYLE[problem.severity])
        line.append(f": {problem.message}")
        console.print(line, soft_wrap=True)
        if problem.hint:
            console.print(Text(f"  hint: {problem.hint}", style="dim"), soft_wrap=True)


def _status(endpoint: Endpoint, stub: Stub | None) -> Text:
    if endpoint.implemented:
        return Text("implemented", style="green")
    if stub is not None and stub.written:
        return Text("written by hand", style="green")
    return Text("not implemented", style="bold red")


def _stub_line(stub: Stub) -> str:
    """Where an operation is written by hand, and whether it is."""
    state = {
        StubState.MISSING: "the next build writes the stub",
        StubState.NOT_WRITTEN: "not written yet: answers 501",
        StubState.WRITTEN: "written",
        StubState.BROKEN: "does not parse or lost its function: fix it",
    }[stub.state]
    return f"stub {stub.path}, {stub.function}() ({state})"


def operations_table(understanding: Understanding, stubs: list[Stub] | None = None) -> Table:
    """One row per operation: what pactcoder understood it does, and whether it can."""
    by_endpoint = {id(s.endpoint): s for s in stubs or []}
    table = Table(title="Operations", title_justify="left", show_lines=False)
    table.add_column("operation")
    table.add_column("method and path")
    table.add_column("does")
    table.add_column("status")
    table.add_column("details", overflow="fold")
    for endpoint in understanding.service.endpoints:
        kind = endpoint.kind.value
        if endpoint.kind is Kind.LIST and endpoint.method != "get":
            kind = "query"  # `POST /items/search`: a read, filtered by its body
        does = kind + (f" {endpoint.resource}" if endpoint.resource else "")
        details = endpoint.reasons if not endpoint.implemented else endpoint.notes
        stub = by_endpoint.get(id(endpoint))
        if stub is not None:
            details = [_stub_line(stub), *details]
        text = Text("; ".join(details))
        for inference in endpoint.inferences:
            text.append("; " if text.plain else "")
            text.append(_inference(inference))
        table.add_row(
            endpoint.operation_id,
            f"{endpoint.method.upper()} {endpoint.path}",
            does,
            _status(endpoint, stub),
            text,
        )
    return table


def resource_table(resource: Resource) -> Table:
    """The stored fields of a resource: type, storage and where each value comes from."""
    table = Table(
        title=f"{resource.noun.class_name} (table {resource.table.table_name})",
        title_justify="left",
    )
    table.add_column("field")
    table.add_column("stored as")
    table.add_column("value from")
    table.add_column("notes", overflow="fold")
    tables = [(None, resource.table), *((c.api_name, c.table) for c in resource.table.children)]
    for prefix, stored in tables:
        for column in stored.columns:
            if not column.exposed and column.source is Source.PARENT and prefix:
                continue
            name = f"{prefix}[].{column.api_name}" if prefix else column.api_name
            style = "bold red" if column.source is Source.UNKNOWN else None
            inferred = any(i.what.startswith("starts as") for i in column.inferences)
            flags = [n for n in ("unique" if column.unique else "",) if n]
            notes = [n for n in column.notes if not (column.unique and n.startswith("unique"))]
            notes = [n for n in notes if not n.endswith("; inferred)")]
            details = Text("; ".join([*flags, *notes]))
            for inference in column.inferences:
                details.append("; " if details.plain else "")
                details.append(_inference(inference))
            table.add_row(
                name,
                column.sa_type.kind.value + (" null" if column.nullable else ""),
                Text("inferred" if inferred else column.source.value, style=style or ""),
                details,
            )
    for embed in resource.embeds:
        table.add_row(
            embed.api_name,
            f"via {embed.column}",
            "embedded",
            f"the {embed.target} it refers to, as {embed.model}; loaded with the page",
        )
    for value_list in resource.value_lists:
        assert value_list.table is not None
        table.add_row(
            value_list.api_name,
            f"table {value_list.table.table_name}",
            "client",
            f"one row per {value_list.noun}, in order; indexed",
        )
    for derived in resource.derived:
        table.add_row(derived.api_name, "not stored", derived.kind, "; ".join(derived.notes))
    return table


def _inference(inference: Inference) -> Text:
    """``inferred: unique (low confidence: its description says "…")``."""
    style = "yellow" if inference.confidence is Confidence.low else "cyan"
    text = Text("inferred: ", style=style)
    text.append(f"{inference.what} ({inference.confidence.value} confidence: {inference.evidence})")
    return text


def guesses(understanding: Understanding) -> list[tuple[str, Inference]]:
    """Every low-confidence inference of the operations and the stored fields:
    (operationId or Schema.field, inference)."""
    found = [
        (endpoint.operation_id, inference)
        for endpoint in understanding.service.endpoints
        for inference in endpoint.inferences
        if inference.confidence is Confidence.low
    ]
    for resource in understanding.service.resources:
        tables = [("", resource.table)]
        tables += [(f"{c.api_name}[].", c.table) for c in resource.table.children]
        for prefix, stored in tables:
            for column in stored.columns:
                found += [
                    (f"{resource.schema_name}.{prefix}{column.api_name}", inference)
                    for inference in column.inferences
                    if inference.confidence is Confidence.low
                ]
    return found


def show_understanding(
    console: Console,
    understanding: Understanding,
    stubs: list[Stub] | None = None,
    folder: str = "",
) -> None:
    """The operations table, then one table of stored fields per resource, then the
    operations written by hand (``stubs``: their state in the built service)."""
    service = understanding.service
    console.print(
        f"[bold]{service.title}[/bold] {service.version} — "
        f"{len(service.endpoints)} operations, {len(service.resources)} resources,"
        f" served under '{service.api_prefix or '/'}'; read from "
        + ", ".join(understanding.contract.inputs)
    )
    console.print(operations_table(understanding, stubs))
    for resource in service.resources:
        console.print(resource_table(resource))
    low = guesses(understanding)
    if low:
        console.print(
            f"[yellow]{len(low)} low-confidence guess(es)[/yellow], read from names, prose"
            " or paths;"
            " confirm them or state them with x-pact:"
        )
        for field, inference in low:
            console.print(Text(f"  {field}: {inference.what}, as {inference.evidence}"))
    if stubs:
        show_stubs(console, stubs, folder)


def show_stubs(console: Console, stubs: list[Stub], folder: str = "") -> None:
    """The operations written by hand: one line each with its stub's file and function."""
    left = [s for s in stubs if not s.written]
    style = "bold red" if left else "green"
    console.print(
        f"[{style}]{len(stubs)} operation(s) cannot be implemented from the contract"
        f" alone[/{style}]: each is a typed stub in the service, yours to write (or say how in"
        " the contract); it answers 501 until written."
        + (f" {len(left)} not written yet." if left else " All are written.")
    )
    for stub in stubs:
        endpoint = stub.endpoint
        console.print(
            f"  {endpoint.operation_id} ({endpoint.method.upper()} {endpoint.path}):"
            f" {folder}{stub.path}, {stub.function}() -- {stub.state.value};"
            f" test {stub.test}",
            soft_wrap=True,
            markup=False,
            highlight=False,
        )


_ACTION_STYLE = {
    "conflict": "bold red",
    "merged": "yellow",
    "created": "green",
    "recreated": "green",
    "updated": "cyan",
    "removed": "magenta",
    "kept": "dim",
    "unchanged": "dim",
}


def show_changes(console: Console, result: BuildResult, *, verbose: bool) -> None:
    """What a build changed: counts per action, and every file that needs attention."""
    if result.write is None:
        return
    counts: dict[str, int] = {}
    for change in result.write.changes:
        counts[change.action] = counts.get(change.action, 0) + 1
    console.print(
        ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing to write"
    )
    noteworthy = {"conflict", "merged", "removed", "recreated"}
    for change in result.write.changes:
        if (
            verbose
            or change.action in noteworthy
            or (change.action == "kept" and "edited" in change.note)
        ):
            line = Text(f"  {change.action:<10}", style=_ACTION_STYLE.get(change.action, ""))
            line.append(f" {change.path}")
            if change.note:
                line.append(f"  ({change.note})", style="dim")
            console.print(line)
    if result.migration:
        console.print(f"  [green]migration[/green]  {result.migration} (the schema changed)")
        if result.plan is not None:
            show_plan(console, result.plan)


_RISK_STYLE = {
    "safe": "green",
    "checks data": "yellow",
    "rewrites the table": "cyan",
    "destructive": "bold red",
}


def show_plan(console: Console, plan: Plan) -> None:
    """Each step of a migration and its risk, as a plan before an apply."""
    for step in plan.steps:
        line = Text("    ")
        line.append(f"{step.risk:<19}", style=_RISK_STYLE.get(step.risk, ""))
        line.append(f" {step.text}")
        console.print(line)
    if any(s.risk == "destructive" for s in plan.steps):
        console.print(
            "    (a destructive step checks that it is empty first unless built with"
            " --accept-data-loss)",
            style="dim",
        )


def show_verify(console: Console, report: VerifyReport) -> None:
    table = Table(title=f"Verification of {report.service}", title_justify="left")
    table.add_column("step")
    table.add_column("result")
    table.add_column("summary", overflow="fold")
    for step in report.steps:
        result = Text("passed", style="green") if step.ok else Text("FAILED", style="bold red")
        table.add_row(step.name, result, step.summary)
    console.print(table)
    for step in report.steps:
        if not step.ok:
            console.rule(f"{step.name} output")
            console.print(Text(step.output[-4000:]))


def relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
