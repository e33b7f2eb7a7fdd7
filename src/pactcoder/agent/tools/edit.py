"""Edit and MultiEdit: replace exact text in a file.

``old_string`` must occur in the file exactly as given (whitespace included)
and only once, unless ``replace_all`` is set; otherwise the edit is refused
with the number of matches, so the model adds context instead of changing
the wrong place. An empty ``old_string`` on a file that does not exist
creates it. A file that exists must have been read in this run and be
unchanged since (:class:`~pactcoder.agent.tools.files.ReadState`).
MultiEdit applies its edits in order to the text in memory and writes only
if every one of them succeeds: all or nothing.

Example::

    Edit().run({"file_path": "app/x.py", "old_string": "a = 1", "new_string": "a = 2"}, ctx)
    MultiEdit().run({"file_path": "app/x.py", "edits": [
        {"old_string": "a = 2", "new_string": "a = 3"},
        {"old_string": "b", "new_string": "c", "replace_all": True},
    ]}, ctx)
"""

from __future__ import annotations

from typing import Any, ClassVar

from pactcoder.agent.tools.base import Tool, ToolContext
from pactcoder.agent.tools.errors import ToolError
from pactcoder.agent.tools.files import read_text_file
from pactcoder.fsio import write_atomically

__all__ = ["Edit", "MultiEdit", "apply_edit"]

_EDIT_PROPERTIES: dict[str, Any] = {
    "old_string": {"type": "string", "description": "The exact text to replace."},
    "new_string": {"type": "string", "description": "The text to put in its place."},
    "replace_all": {
        "type": "boolean",
        "default": False,
        "description": "Replace every occurrence instead of exactly one.",
    },
}


def apply_edit(text: str, old: str, new: str, replace_all: bool, where: str) -> tuple[str, int]:
    """``text`` with ``old`` replaced by ``new``, and how many times; ToolError when it cannot."""
    if old == new:
        raise ToolError(f"{where}: old_string and new_string are the same; nothing would change")
    if not old:
        raise ToolError(f"{where}: old_string is empty; give the exact text to replace")
    count = text.count(old)
    if count == 0:
        raise ToolError(
            f"{where}: old_string was not found; Read the file and copy the text exactly,"
            " whitespace and indentation included"
        )
    if count > 1 and not replace_all:
        raise ToolError(
            f"{where}: old_string occurs {count} times; include more surrounding text to make"
            " it unique, or set replace_all to replace every occurrence"
        )
    return text.replace(old, new) if replace_all else text.replace(old, new, 1), count


class Edit(Tool):
    name = "Edit"
    mutates = True
    description = (
        "Replaces exact text in a file you have Read in this run. old_string must match the"
        " file exactly (copy it from Read output without the line-number prefix) and occur"
        " once, unless replace_all is true. An empty old_string on a missing file creates"
        " it with new_string."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "file_path": {"type": "string", "description": "The file to change."},
            **_EDIT_PROPERTIES,
        },
        "required": ["file_path", "old_string", "new_string"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        path = context.workspace.resolve(args["file_path"])
        shown = context.workspace.show(path)
        if not args["old_string"] and not path.exists():
            write_atomically(path, args["new_string"])
            context.read_state.seen(path)
            return f"created {shown}"
        _, text = read_text_file(context.workspace, args["file_path"])
        context.read_state.check_writable(path, shown)
        changed, count = apply_edit(
            text, args["old_string"], args["new_string"], bool(args.get("replace_all")), shown
        )
        write_atomically(path, changed)
        context.read_state.seen(path)
        replaced = count if args.get("replace_all") else 1
        return f"edited {shown}: {replaced} replacement{'s' if replaced != 1 else ''}"


class MultiEdit(Tool):
    name = "MultiEdit"
    mutates = True
    description = (
        "Makes several exact-text replacements in one file, in order, each on the result of"
        " the previous one. Either all of them apply or none does (the file is unchanged when"
        " any edit fails). Each edit follows Edit's rules."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "file_path": {"type": "string", "description": "The file to change."},
            "edits": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": _EDIT_PROPERTIES,
                    "required": ["old_string", "new_string"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["file_path", "edits"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        path = context.workspace.resolve(args["file_path"])
        shown = context.workspace.show(path)
        edits: list[dict[str, Any]] = args["edits"]
        if not path.exists() and edits[0]["old_string"] == "":
            text = edits[0]["new_string"]
            edits = edits[1:]
        else:
            _, text = read_text_file(context.workspace, args["file_path"])
            context.read_state.check_writable(path, shown)
        total = 0
        for number, edit in enumerate(edits, start=1):
            where = f"{shown}, edit {number} of {len(args['edits'])} (no edit was applied)"
            text, count = apply_edit(
                text, edit["old_string"], edit["new_string"], bool(edit.get("replace_all")), where
            )
            total += count if edit.get("replace_all") else 1
        write_atomically(path, text)
        context.read_state.seen(path)
        return f"edited {shown}: {len(args['edits'])} edits, {total} replacements"
