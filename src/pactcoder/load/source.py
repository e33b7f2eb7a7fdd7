"""Parse one YAML or JSON text into plain data plus the position of every node.

PyYAML's C composer gives nodes with their marks; we construct plain Python
values from them ourselves so that each value's line and column is kept in a
:class:`Source` keyed by its path (a tuple of keys and indexes). The resolver
follows YAML 1.2's core schema: ``yes``/``no``/``on``/``off`` stay strings and
dates stay strings, as JSON would have them.

Example::

    source = parse_text("openapi: 3.1.0\\n", "docs/api.yaml")
    source.data["openapi"]            # "3.1.0"
    source.location(("openapi",))     # Location("docs/api.yaml", 1, 10)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pactcoder.problems import Location, Problems

try:  # the C composer is many times faster on large contracts
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml is bundled with PyYAML wheels
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]


class _CoreSchemaLoader(_BaseLoader):
    """A safe loader whose implicit types are YAML 1.2 core schema, not YAML 1.1."""


_MERGE = "tag:yaml.org,2002:merge"
_CoreSchemaLoader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in [
    (_MERGE, r"^(?:<<)$", "<"),  # not core, but kept: '<<: *anchor' is common
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
]:
    _CoreSchemaLoader.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


def _construct_core_int(loader: _CoreSchemaLoader, node: yaml.ScalarNode) -> int:
    """YAML 1.2 integers: ``012`` is twelve (YAML 1.1 read it as octal), ``0o12`` is ten."""
    text = str(loader.construct_scalar(node))
    if re.fullmatch(r"[-+]?[0-9]+", text):
        return int(text, 10)
    return int(yaml.constructor.SafeConstructor.construct_yaml_int(loader, node))


_CoreSchemaLoader.add_constructor("tag:yaml.org,2002:int", _construct_core_int)


@dataclass
class Source:
    """A parsed document: its plain data and where each node came from."""

    label: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    #: The file on disk; relative ``$ref`` values in this source resolve against its folder.
    origin: Path | None = None

    def location(self, path: Path_) -> Location:
        """The location of ``path``, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while probe:
            if probe in self.positions:
                line, column = self.positions[probe]
                return Location(self.label, line, column)
            probe = probe[:-1]
        line, column = self.positions.get((), (1, 1))
        return Location(self.label, line, column)


class _Builder:
    """Turns a composed node tree into plain values while recording positions."""

    def __init__(self, loader: _CoreSchemaLoader, source: Source, line_offset: int) -> None:
        self.loader = loader
        self.source = source
        self.line_offset = line_offset
        self.problems = Problems()

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.source.positions[path] = self.mark(node)
        if isinstance(node, yaml.MappingNode):
            own = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE)
            self.loader.flatten_mapping(node)  # resolves "<<" merge keys, put first
            inherited = len(node.value) - own  # merged-in keys, which own keys override
            result: dict[str, Any] = {}
            own_keys: set[str] = set()
            for index, (key_node, value_node) in enumerate(node.value):
                key = self.loader.construct_object(key_node, deep=True)
                key = key if isinstance(key, str) else _key_text(key)
                if index >= inherited and key in own_keys:
                    line, column = self.mark(key_node)
                    first_line = self.source.positions[(*path, key)][0]
                    self.problems.error(
                        f"duplicate key '{key}' (first at line {first_line})",
                        hint="merge the two entries or remove one; YAML keys must be unique"
                        " and the second would silently replace the first",
                        at=Location(self.source.label, line, column),
                    )
                if index >= inherited:
                    own_keys.add(key)
                result[key] = self.build(value_node, (*path, key))
                # A key's own position is more useful than its value's for errors.
                self.source.positions[(*path, key)] = self.mark(key_node)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)


def _key_text(key: Any) -> str:
    """Mapping keys are always strings in JSON: ``200`` and ``true`` become text."""
    if key is True or key is False:
        return str(key).lower()
    return "null" if key is None else str(key)


def parse_text(
    text: str,
    label: str,
    problems: Problems,
    *,
    line_offset: int = 0,
    origin: Path | None = None,
) -> Source | None:
    """Parse YAML or JSON ``text``; on a syntax error record it in ``problems`` and return None.

    ``line_offset`` shifts every reported line, for text cut from a larger file
    (a fenced block in Markdown).
    """
    source = Source(label=label, data=None, origin=origin)
    loader = _CoreSchemaLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            source.data = None
            return source
        builder = _Builder(loader, source, line_offset)
        source.data = builder.build(node, ())
        problems.extend(builder.problems)
    except yaml.MarkedYAMLError as exc:
        what, hint, mark = _explain_syntax_error(exc, text)
        where = Location(label, mark.line + 1 + line_offset, mark.column + 1) if mark else None
        problems.error(f"cannot parse this file: {what}", hint=hint, at=where)
        return None
    except yaml.YAMLError as exc:
        problems.error(f"cannot parse this file: {exc}", at=Location(label))
        return None
    finally:
        loader.dispose()
    return source


_SYNTAX_HINT = "fix the syntax at this position (indentation, a missing colon or quote)"


def _explain_syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, str, Any]:
    """What went wrong in plain words, what to do, and the mark to point at.

    PyYAML reports where it gave up, which for an unclosed quote is far below
    the quote; the quote itself is what needs fixing, so point there.
    """
    problem = exc.problem or exc.context or "not valid YAML or JSON"
    mark = exc.problem_mark or exc.context_mark
    close_quote = "add the closing quote at the end of the value"
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        return "this quoted value is never closed", close_quote, exc.context_mark
    if mark is None:
        return problem, _SYNTAX_HINT, None
    opened = _multiline_quote_before(text, mark)
    if opened is not None:
        return "this quoted value is not closed on its line", close_quote, opened
    line = (text.splitlines()[mark.line : mark.line + 1] or [""])[0]
    if "tab" in problem or line[mark.column : mark.column + 1] == "\t":
        return (
            "a tab character is not allowed here",
            "indent with spaces only; YAML does not allow tabs in indentation",
            mark,
        )
    if problem == "mapping values are not allowed in this context":
        return (
            "a ':' is not allowed here",
            "check this line's indentation against the line above it (a deeper indent"
            " continues the value above); quote a value that contains ': '",
            mark,
        )
    if exc.context == "expected a single document in the stream":
        return (
            "this file holds more than one YAML document",
            "keep one document per file: remove the '---' line or split the file in two",
            mark,
        )
    if problem.startswith("could not determine a constructor"):
        return problem, "remove the tag: a contract holds plain YAML or JSON data only", mark
    if problem.startswith("did not find expected ','"):
        return problem, "a comma is probably missing after the value before this position", mark
    return problem, _SYNTAX_HINT, mark


def _multiline_quote_before(text: str, mark: Any) -> Any:
    """The start of a quoted value that runs over several lines up to the error, if any.

    A quote left open swallows the following lines until the next quote of the
    same kind, and the parse fails just after it, on the line where it ends.
    """
    loader = _BaseLoader(text)
    last = None
    try:
        while loader.check_token():
            token = loader.get_token()
            if token is None or token.start_mark.index >= mark.index:
                break
            if isinstance(token, yaml.ScalarToken):
                last = token
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    if (
        last is not None
        and not last.plain
        and last.start_mark.line < last.end_mark.line == mark.line
    ):
        return last.start_mark
    return None
