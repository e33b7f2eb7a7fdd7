"""NotebookRead and NotebookEdit: Jupyter notebooks (``.ipynb``, nbformat 4 JSON).

NotebookRead shows every cell (or one, by ``cell_id``) with its id, type,
source and text outputs. NotebookEdit replaces a cell's source, inserts a
new cell after ``cell_id`` (or first, without one), or deletes a cell.
Cells without an id (nbformat before 4.5) are addressed as ``cell-N``, their
0-based index; the older ``cell_number`` (that index) is accepted too. A
replaced code cell loses its outputs, which no longer match. A notebook must
be read (NotebookRead or Read) before it is edited, as any file.

Example::

    NotebookRead().run({"notebook_path": "notes/explore.ipynb"}, context)
    NotebookEdit().run({"notebook_path": "notes/explore.ipynb", "cell_id": "a1b2",
                        "new_source": "print(1)", "edit_mode": "replace"}, context)
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, ClassVar

from pactcoder.agent.tools.base import Tool, ToolContext
from pactcoder.agent.tools.errors import ToolError
from pactcoder.agent.tools.files import read_text_file
from pactcoder.agent.tools.workspace import Workspace
from pactcoder.fsio import write_atomically

__all__ = ["NotebookEdit", "NotebookRead", "render_notebook"]


def _load(workspace: Workspace, notebook_path: str) -> tuple[Path, dict[str, Any]]:
    path, text = read_text_file(workspace, notebook_path)
    shown = workspace.show(path)
    if path.suffix != ".ipynb":
        raise ToolError(f"{shown} is not a notebook (.ipynb); use Read")
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ToolError(
            f"{shown} is not valid notebook JSON: {exc.msg} (line {exc.lineno})"
        ) from exc
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise ToolError(f"{shown} has no 'cells' list; it is not an nbformat 4 notebook")
    return path, notebook


def _cell_id(cell: dict[str, Any], index: int) -> str:
    return str(cell.get("id") or f"cell-{index}")


def _find(cells: list[dict[str, Any]], cell_id: str, shown: str) -> int:
    for index, cell in enumerate(cells):
        if _cell_id(cell, index) == cell_id:
            return index
    known = ", ".join(_cell_id(c, i) for i, c in enumerate(cells)) or "none"
    raise ToolError(f"{shown} has no cell '{cell_id}' (its cells: {known})")


def _source(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _outputs(cell: dict[str, Any]) -> list[str]:
    shown: list[str] = []
    for output in cell.get("outputs") or []:
        kind = output.get("output_type")
        if kind == "stream":
            shown.append(_source(output.get("text")))
        elif kind in ("execute_result", "display_data"):
            data = output.get("data") or {}
            if "text/plain" in data:
                shown.append(_source(data["text/plain"]))
            else:
                shown.append(f"({', '.join(sorted(data))} output)")
        elif kind == "error":
            shown.append(f"{output.get('ename')}: {output.get('evalue')}")
    return shown


def render_notebook(workspace: Workspace, notebook_path: str, cell_id: str | None) -> str:
    """The notebook's cells (or the one named ``cell_id``) as text for the model."""
    path, notebook = _load(workspace, notebook_path)
    cells: list[dict[str, Any]] = notebook["cells"]
    indexes = range(len(cells))
    if cell_id:
        found = _find(cells, cell_id, workspace.show(path))
        indexes = range(found, found + 1)
    if not cells:
        return f"({workspace.show(path)} has no cells)"
    parts = []
    for index in indexes:
        cell = cells[index]
        head = f'<cell id="{_cell_id(cell, index)}" type="{cell.get("cell_type", "code")}">'
        body = [head, _source(cell.get("source")).rstrip("\n")]
        outputs = _outputs(cell)
        if outputs:
            body.append("<outputs>\n" + "\n".join(o.rstrip("\n") for o in outputs) + "\n</outputs>")
        body.append("</cell>")
        parts.append("\n".join(body))
    return "\n".join(parts)


class NotebookRead(Tool):
    name = "NotebookRead"
    description = (
        "Reads a Jupyter notebook (.ipynb) in the project: every cell with its id, type,"
        " source and text outputs, or only the cell given by cell_id."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "notebook_path": {"type": "string", "description": "The notebook to read."},
            "cell_id": {"type": "string", "description": "Only this cell."},
        },
        "required": ["notebook_path"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        text = render_notebook(context.workspace, args["notebook_path"], args.get("cell_id"))
        context.read_state.seen(context.workspace.resolve(args["notebook_path"]))
        return text


class NotebookEdit(Tool):
    name = "NotebookEdit"
    mutates = True
    description = (
        "Changes one cell of a Jupyter notebook: edit_mode 'replace' (default) sets the"
        " source of cell_id; 'insert' adds a new cell of cell_type after cell_id (first when"
        " no cell_id); 'delete' removes cell_id."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "notebook_path": {"type": "string", "description": "The notebook to change."},
            "cell_id": {"type": "string", "description": "The cell to change or insert after."},
            "cell_number": {
                "type": "integer",
                "minimum": 0,
                "description": "The cell's 0-based index (older form of cell_id).",
            },
            "new_source": {"type": "string", "description": "The cell's new source."},
            "cell_type": {"type": "string", "enum": ["code", "markdown"]},
            "edit_mode": {
                "type": "string",
                "enum": ["replace", "insert", "delete"],
                "default": "replace",
            },
        },
        "required": ["notebook_path", "new_source"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        path, notebook = _load(context.workspace, args["notebook_path"])
        shown = context.workspace.show(path)
        context.read_state.check_writable(path, shown)
        cells: list[dict[str, Any]] = notebook["cells"]
        mode = args.get("edit_mode") or "replace"
        cell_id = args.get("cell_id")
        if cell_id is None and args.get("cell_number") is not None:
            number = int(args["cell_number"])  # the older shape: a 0-based index
            if not 0 <= number < len(cells):
                raise ToolError(f"{shown} has {len(cells)} cells; cell_number {number} is not one")
            cell_id = _cell_id(cells[number], number)
        source = args["new_source"]
        if mode == "insert":
            kind = args.get("cell_type")
            if kind is None:
                raise ToolError("inserting a cell needs cell_type ('code' or 'markdown')")
            cell: dict[str, Any] = {
                "cell_type": kind,
                "id": uuid.uuid4().hex[:8],
                "metadata": {},
                "source": source,
            }
            if kind == "code":
                cell.update(execution_count=None, outputs=[])
            at = _find(cells, cell_id, shown) + 1 if cell_id else 0
            cells.insert(at, cell)
            done = f"inserted {kind} cell {cell['id']} at position {at} of {shown}"
        else:
            if not cell_id:
                raise ToolError(f"{mode} needs cell_id; NotebookRead shows the cells' ids")
            index = _find(cells, cell_id, shown)
            if mode == "delete":
                del cells[index]
                done = f"deleted cell {cell_id} of {shown}"
            else:
                cell = cells[index]
                cell["source"] = source
                if args.get("cell_type") and args["cell_type"] != cell.get("cell_type"):
                    cell["cell_type"] = args["cell_type"]
                if cell.get("cell_type") == "code":
                    cell["outputs"] = []
                    cell["execution_count"] = None
                else:
                    cell.pop("outputs", None)
                    cell.pop("execution_count", None)
                done = f"replaced the source of cell {cell_id} of {shown}"
        write_atomically(path, json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
        context.read_state.seen(path)
        return done
