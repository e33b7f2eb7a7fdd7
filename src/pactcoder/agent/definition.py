"""Agent definitions: Markdown files with YAML front matter, as Claude Code users write them.

A definition names the agent, says when to use it, lists the tools it may
call and optionally the model; the Markdown body is its system prompt::

    ---
    name: pact-backend-coder
    description: Use this agent when you need to implement backend code ...
    tools: Read, Write, Edit, Bash
    model: sonnet
    color: yellow
    ---
    You are PACT Backend Coder, ...

``tools`` is a comma-separated string or a YAML list; leaving it out gives the
agent every tool. ``disallowedTools`` (same forms) takes tools away.
``Task(reviewer)`` in either limits Task to the agents named. ``model`` is an
alias (``sonnet``, ``opus``, ``haiku``), a full model name, or ``inherit``
(the run's model). Fields pactcoder does not use (``color`` above,
``permissionMode``, ``maxTurns``...) are kept in :attr:`AgentDefinition.extra`
and reported once per run. The front matter users write is often not
strict YAML (a description holding ``Examples: <example>Context: ...``); such
front matter is read line by line, ``key: value``, as those users expect.

A definition is found by path, or by name in ``PROJECT/.claude/agents/`` and
then ``~/.claude/agents/`` (the project's own wins); pactcoder's bundled
``pact-backend-coder`` is the last resort for that name. A file that cannot be
read raises :class:`AgentDefinitionError` whose problems say file and line.

Example::

    definition = find_definition("pact-backend-coder", project=Path("examples/orders"))
    definition.tools            # ("Task", "Bash", "Glob", ...)
    definition.system_prompt    # "You are 💻 PACT Backend Coder, ..."
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pactcoder.load.source import parse_text
from pactcoder.problems import Location, PactcoderError, Problems

__all__ = [
    "BUNDLED_AGENTS",
    "AgentDefinition",
    "AgentDefinitionError",
    "find_definition",
    "load_definition",
    "parse_definition",
]

#: Agent definitions shipped with pactcoder, found when no project or user file has the name.
BUNDLED_AGENTS = Path(__file__).with_name("definitions")
_KNOWN_FIELDS = {"name", "description", "tools", "disallowedTools", "model"}
_FENCE = "---"
_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]*)\s*:(?:\s+(?P<value>.*))?$")


class AgentDefinitionError(PactcoderError):
    """An agent file cannot be used; ``problems`` says where and what to do."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems.sorted()))


@dataclass(frozen=True)
class AgentDefinition:
    """One agent: its name, when to use it, its tools, its model and its system prompt."""

    name: str
    description: str
    system_prompt: str
    #: Tool names the agent may call, as written; ``None`` when the file lists none (all).
    tools: tuple[str, ...] | None = None
    #: Tool names the agent may not call (``disallowedTools``), as written.
    disallowed_tools: tuple[str, ...] = ()
    #: The model the file asks for (``sonnet``, ``claude-sonnet-4-5``...); ``None`` to inherit.
    model: str | None = None
    path: Path | None = None
    #: Every other front matter field (``color``, ``permissionMode``...), kept as read.
    extra: dict[str, Any] = field(default_factory=dict)

    def allows(self, tool: str) -> bool:
        """Whether the definition lets the agent call ``tool``."""
        return self.tools is None or tool in self.tools


def load_definition(path: Path) -> AgentDefinition:
    """Read the agent file at ``path``; raise AgentDefinitionError with file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems = Problems()
        problems.error(
            f"cannot read this agent file: {exc}",
            hint="give the path of a Markdown agent file (UTF-8)",
            at=Location(str(path)),
        )
        raise AgentDefinitionError(problems) from exc
    return parse_definition(text, str(path), path=path)


def find_definition(
    name_or_path: str, *, project: Path | None = None, home: Path | None = None
) -> AgentDefinition:
    """The agent ``name_or_path``: a file path, or a name looked up project first, then user.

    ``home`` stands for the user's home folder (default: ``Path.home()``).
    """
    candidate = Path(name_or_path).expanduser()
    if candidate.suffix == ".md" or "/" in name_or_path or candidate.is_file():
        return load_definition(candidate)
    folders = []
    if project is not None:
        folders.append(project / ".claude" / "agents")
    folders.append((home if home is not None else Path.home()) / ".claude" / "agents")
    folders.append(BUNDLED_AGENTS)
    for folder in folders:
        found = _find_in(folder, name_or_path)
        if found is not None:
            return found
    problems = Problems()
    searched = ", ".join(str(f) for f in folders[:-1])
    problems.error(
        f"no agent named '{name_or_path}'",
        hint=f"put {name_or_path}.md in one of {searched}, or pass the file's path",
        at=Location(name_or_path),
    )
    raise AgentDefinitionError(problems)


def _find_in(folder: Path, name: str) -> AgentDefinition | None:
    """The agent called ``name`` in ``folder``: by file name first, then by front matter."""
    if not folder.is_dir():
        return None
    direct = folder / f"{name}.md"
    if direct.is_file():
        return load_definition(direct)
    for path in sorted(folder.glob("*.md")):
        try:
            head = path.read_text(encoding="utf-8")[:4096]
        except (OSError, UnicodeDecodeError):
            continue
        if re.search(rf"^name:\s*['\"]?{re.escape(name)}['\"]?\s*$", head, re.MULTILINE):
            return load_definition(path)
    return None


def parse_definition(text: str, label: str, *, path: Path | None = None) -> AgentDefinition:
    """Parse the text of an agent file; ``label`` names it in problems."""
    problems = Problems()
    lines = text.splitlines()
    if not lines or lines[0].strip() != _FENCE:
        problems.error(
            "an agent file starts with a '---' line opening its front matter",
            hint="begin the file with '---', then 'name:', 'description:' and 'tools:' lines,"
            " then '---' and the system prompt",
            at=Location(label, 1, 1),
        )
        raise AgentDefinitionError(problems)
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() == _FENCE), None)
    if closing is None:
        problems.error(
            "the front matter opened on line 1 is never closed",
            hint="add a '---' line after the last front matter field",
            at=Location(label, 1, 1),
        )
        raise AgentDefinitionError(problems)
    header = "\n".join(lines[1:closing]) + "\n"
    fields, positions = _front_matter(header, label, problems)
    if problems.has_errors:
        raise AgentDefinitionError(problems)

    def at(key: str) -> Location:
        return Location(label, positions.get(key, 1), 1)

    name = _text_field(fields, "name", at, problems, required=True)
    description = _text_field(fields, "description", at, problems, required=True)
    model = _text_field(fields, "model", at, problems, required=False)
    tools = _tools_field(fields.get("tools"), at("tools"), problems)
    disallowed = _tools_field(
        fields.get("disallowedTools"), at("disallowedTools"), problems, key="disallowedTools"
    )
    body = "\n".join(lines[closing + 1 :]).strip()
    if not body:
        problems.error(
            "the agent has no system prompt: nothing follows its front matter",
            hint="write the agent's instructions after the closing '---'",
            at=Location(label, closing + 1, 1),
        )
    if problems.has_errors:
        raise AgentDefinitionError(problems)
    extra = {k: v for k, v in fields.items() if k not in _KNOWN_FIELDS}
    return AgentDefinition(
        name=name or "",
        description=description or "",
        system_prompt=body,
        tools=tools,
        disallowed_tools=disallowed or (),
        model=None if model in (None, "", "inherit") else model,
        path=path,
        extra=extra,
    )


def _front_matter(
    header: str, label: str, problems: Problems
) -> tuple[dict[str, Any], dict[str, int]]:
    """The front matter's fields and their lines: strict YAML, else ``key: value`` lines."""
    strict = Problems()
    source = parse_text(header, label, strict, line_offset=1)
    if source is not None and not strict.has_errors:
        if source.data is None:
            return {}, {}
        if isinstance(source.data, dict):
            lines = {str(k[0]): v[0] for k, v in source.positions.items() if len(k) == 1}
            return source.data, lines
        problems.error(
            "the front matter must be 'key: value' fields",
            hint="write one field per line: 'name: my-agent'",
            at=Location(label, 2, 1),
        )
        return {}, {}
    return _key_value_lines(header, label, strict, problems)


def _key_value_lines(
    header: str, label: str, strict: Problems, problems: Problems
) -> tuple[dict[str, Any], dict[str, int]]:
    """Read front matter that is not strict YAML the way agent tools do: a field per line.

    A line that is neither ``key: value`` nor an indented continuation is an
    error at that line; the YAML parser's own complaint is given as the hint.
    """
    fields: dict[str, Any] = {}
    positions: dict[str, int] = {}
    last: str | None = None
    for number, line in enumerate(header.splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t" and last is not None:
            previous = fields[last]
            if isinstance(previous, list) and line.strip().startswith("- "):
                previous.append(_scalar(line.strip()[2:]))
            elif isinstance(previous, str):
                fields[last] = f"{previous} {line.strip()}".strip()
            continue
        matched = _KEY_LINE.match(line)
        if matched is None:
            yaml_problem = strict.errors[0] if strict.errors else None
            problems.error(
                "this front matter line is not 'key: value'",
                hint="write each field as 'key: value' on its own line"
                + (f" (YAML says: {yaml_problem.message})" if yaml_problem else ""),
                at=Location(label, number, 1),
            )
            continue
        key, value = matched["key"], (matched["value"] or "").strip()
        if key in fields:
            problems.error(
                f"the field '{key}' is given twice (first on line {positions[key]})",
                hint="keep one of the two lines",
                at=Location(label, number, 1),
            )
            continue
        fields[key] = _flow_value(value) if value else []
        positions[key] = number
        last = key
    for key, value in fields.items():
        if value == []:
            fields[key] = None
    return fields, positions


def _scalar(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _flow_value(text: str) -> Any:
    """A value on a ``key: value`` line: a ``[a, b]`` list, a quoted or a plain string."""
    if text.startswith("[") and text.endswith("]"):
        return [_scalar(item) for item in text[1:-1].split(",") if item.strip()]
    return _scalar(text)


def _text_field(
    fields: dict[str, Any],
    key: str,
    at: Any,
    problems: Problems,
    *,
    required: bool,
) -> str | None:
    value = fields.get(key)
    if value is None or value == "":
        if required:
            problems.error(
                f"the agent has no '{key}'",
                hint=f"add a '{key}:' line to the front matter",
                at=at(key),
            )
        return None
    if isinstance(value, bool | int | float):
        value = str(value)
    if not isinstance(value, str):
        problems.error(
            f"'{key}' must be text, not {type(value).__name__}",
            hint=f"write '{key}: ...' with a plain value",
            at=at(key),
        )
        return None
    return value.strip()


def _split_entries(text: str) -> list[str]:
    """``"Read, Task(a, b), Bash"`` → ``["Read", "Task(a, b)", "Bash"]``: commas in () stay."""
    entries: list[str] = []
    depth = 0
    current = ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char == "," and depth == 0:
            entries.append(current.strip())
            current = ""
        else:
            current += char
    entries.append(current.strip())
    return entries


def _tools_field(
    value: Any, where: Location, problems: Problems, *, key: str = "tools"
) -> tuple[str, ...] | None:
    """``tools`` as a tuple of names: from ``"Read, Write"`` or ``[Read, Write]``."""
    if value is None:
        return None
    if isinstance(value, str):
        names = _split_entries(value)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        names = [name.strip() for name in value]
    else:
        problems.error(
            f"'{key}' must be a comma-separated list of tool names or a YAML list of them",
            hint=f"write '{key}: Read, Grep, Glob'",
            at=where,
        )
        return None
    return tuple(dict.fromkeys(name for name in names if name))
