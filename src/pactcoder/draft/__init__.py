"""Markdown to contract without a model: ``pactcoder draft PROJECT``.

Not every architect leaves an OpenAPI contract; many leave Markdown with
endpoint tables, JSON examples, field tables and SQL. The draft turns those
into an OpenAPI 3.1 contract (see :mod:`.contract` for what is inferred) in
``docs/api/openapi.draft.yaml``, for the user or an agent to review and then
build. It reads the Markdown only, is deterministic, and refuses to write
when ``docs/`` already holds a contract or the draft exists, unless forced.

The stages: :mod:`.sources` (which files) → :mod:`.markdown` (blocks with
lines) → :mod:`.endpoints`, :mod:`.sql`, :mod:`.fields` (what they say) →
:mod:`.contract` (the OpenAPI document).

Example::

    result = write_draft(Path("examples/orders-markdown"))
    result.path                     # .../docs/api/openapi.draft.yaml
    print(result.summary(Path("examples/orders-markdown")))
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from pactcoder.draft.contract import Draft, Drafter
from pactcoder.draft.sources import existing_contracts
from pactcoder.problems import OutputError, Severity

__all__ = ["DRAFT_PATH", "Draft", "DraftResult", "draft_contract", "render_draft", "write_draft"]

#: Where the draft is written, relative to the project.
DRAFT_PATH = Path("docs") / "api" / "openapi.draft.yaml"


class _Dumper(yaml.SafeDumper):
    """Plain YAML: a value used twice is written twice, never as an anchor and alias."""

    def ignore_aliases(self, data: object) -> bool:
        return True


@dataclass
class DraftResult:
    """A written draft: where, and what it holds."""

    path: Path
    draft: Draft
    #: Other contracts already in docs/ that the draft was written beside (with force).
    beside: list[str]

    def summary(self, project: Path) -> str:
        """A few lines for people and agents: what was drafted, what to look at, what next."""
        draft = self.draft
        try:
            shown = self.path.resolve().relative_to(project.resolve()).as_posix()
        except ValueError:
            shown = str(self.path)
        lines = [
            f"drafted {shown} from {len(draft.sources)} Markdown file(s):"
            f" {len(draft.resources)} resources ({', '.join(draft.resources)}),"
            f" {draft.operations} operations"
        ]
        for problem in draft.problems.sorted():
            if problem.severity is not Severity.ERROR:
                lines.append(f"  {problem}")
        if self.beside:
            lines.append(
                f"warning: docs/ also holds {', '.join(self.beside)}; pactcoder merges every"
                " contract it finds, so remove one of them before building"
            )
        lines.append("next: review the draft against the Markdown, then pactcoder check")
        return "\n".join(lines)


def draft_contract(project: Path) -> Draft:
    """The contract drafted from ``project``'s Markdown; raises ContractError if it names no
    endpoint."""
    return Drafter(project).draft()


def render_draft(draft: Draft) -> str:
    """The drafted document as YAML, with a header saying where it came from."""
    header = (
        "# Drafted by `pactcoder draft` from the Markdown in docs/; review it before building.\n"
        "# Sources: " + ", ".join(draft.sources) + "\n"
    )
    body = yaml.dump(draft.document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def write_draft(project: Path, *, force: bool = False, output: Path | None = None) -> DraftResult:
    """Draft ``project``'s contract and write it (default ``docs/api/openapi.draft.yaml``).

    Refuses (OutputError) when the output exists or docs/ already holds a contract,
    unless ``force``; nothing is written when drafting fails.
    """
    project = project.resolve()
    path = (output if output is not None else project / DRAFT_PATH).resolve()
    try:
        label = path.relative_to(project).as_posix()
    except ValueError:
        label = str(path)
    others = [c for c in existing_contracts(project) if c != label]
    inside_docs = path.is_relative_to(project / "docs")
    if not force:
        if path.exists():
            raise OutputError(
                f"{label} already exists; pass --force to replace it (or --output elsewhere)"
            )
        if others and inside_docs:
            raise OutputError(
                f"docs/ already holds a contract ({', '.join(others)}); pactcoder builds from it."
                " Pass --force to draft beside it, or --output to write the draft elsewhere"
            )
    draft = draft_contract(project)
    text = render_draft(draft)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.tmp")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(path)
    return DraftResult(path, draft, others if inside_docs else [])
