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

import codecs
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml

from pactcoder.load.limits import Limits, raise_hint
from pactcoder.problems import Location, Problems

try:  # the C composer is many times faster on large contracts
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml is bundled with PyYAML wheels
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]
_STR = "tag:yaml.org,2002:str"


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


_ALLOWED_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
# YAML 1.1 printable characters (what PyYAML and libyaml accept), plus the BOM.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class _Refused(Exception):
    """Building stopped: a limit was reached or a tag refused (the problem is recorded)."""


class _Builder:
    """Turns a composed node tree into plain values while recording positions.

    It never lets YAML construct anything but plain data: a tag other than the
    core schema's is refused, not constructed. It counts what it builds, so an
    alias bomb or a deeply nested text stops at a limit instead of exhausting
    memory or the stack.
    """

    def __init__(
        self, loader: _CoreSchemaLoader, source: Source, line_offset: int, limits: Limits
    ) -> None:
        self.loader = loader
        self.source = source
        self.line_offset = line_offset
        self.limits = limits
        self.problems = Problems()
        self._seen: set[int] = set()
        self._expanded = 0
        self._depth = 0
        self._expansion: Location | None = None
        #: The node being built last, for a problem when Python's stack runs out.
        self.deepest: yaml.Node | None = None

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def at(self, node: yaml.Node) -> Location:
        line, column = self.mark(node)
        return Location(self.source.label, line, column)

    def refuse(self, node: yaml.Node, message: str, hint: str) -> NoReturn:
        self.problems.error(message, hint=hint, at=self.at(node))
        raise _Refused

    def build(self, node: yaml.Node, path: Path_) -> Any:
        outermost = self._expansion is None and id(node) in self._seen
        if outermost:  # an alias: the node it names was built before
            self._expansion = self.source.location(path[:-1])
        self._count(node)
        self._depth += 1
        try:
            return self._build(node, path)
        finally:
            self._depth -= 1
            if outermost:
                self._expansion = None

    def _count(self, node: yaml.Node) -> None:
        self.deepest = node
        if id(node) in self._seen:  # built before: this is a copy made by an alias
            self._expanded += 1
            if self._expanded > self.limits.alias_nodes:
                self.problems.error(
                    f"YAML aliases expand to more than {self.limits.alias_nodes} nodes here",
                    hint="an alias (*name) copies its anchor (&name); aliases of aliases grow"
                    " exponentially (a 'billion laughs' text). Write the content out or use"
                    " a $ref, " + raise_hint("alias_nodes", self.limits.alias_nodes),
                    at=self._expansion or self.at(node),
                )
                raise _Refused
        else:
            self._seen.add(id(node))
        if self._depth > self.limits.depth:
            self.refuse(
                node,
                f"this value is nested more than {self.limits.depth} levels deep",
                "flatten the structure (move nested schemas to components and $ref them), "
                + raise_hint("depth", self.limits.depth),
            )
        if node.tag not in _ALLOWED_TAGS and node.tag != _MERGE:
            self.refuse(
                node,
                f"YAML tag '{_tag_text(node.tag)}' is not allowed",
                "remove the tag: a contract holds plain YAML or JSON data only"
                " (strings, numbers, booleans, null, lists and maps)",
            )

    def _build(self, node: yaml.Node, path: Path_) -> Any:
        self.source.positions[path] = self.mark(node)
        if isinstance(node, yaml.MappingNode):
            # Merged-in keys come first, and own keys override them in place (as PyYAML).
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    result.update(self._merged(value_node, path))
            self.source.positions[path] = self.mark(node)
            own_keys: set[str] = set()
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    continue
                key = self._key(key_node)
                if key in own_keys:
                    line, column = self.mark(key_node)
                    first_line = self.source.positions[(*path, key)][0]
                    self.problems.error(
                        f"duplicate key '{key}' (first at line {first_line})",
                        hint="merge the two entries or remove one; YAML keys must be unique"
                        " and the second would silently replace the first",
                        at=Location(self.source.label, line, column),
                    )
                own_keys.add(key)
                result[key] = self.build(value_node, (*path, key))
                # A key's own position is more useful than its value's for errors.
                self.source.positions[(*path, key)] = self.mark(key_node)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value  # what the loader's str constructor returns, without its dispatch
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError:  # Python parses no integer of more than 4,300 digits
            self.refuse(
                node,
                f"this number has {len(str(node.value))} characters, too many to read",
                "write a number of at most a few dozen digits, or quote it to make it a string",
            )

    def _key(self, key_node: yaml.Node) -> str:
        if not isinstance(key_node, yaml.ScalarNode):
            self.refuse(
                key_node,
                "a key here is a list or a map",
                "write keys as plain strings; contracts are JSON-like data",
            )
        self._count(key_node)
        key = self._scalar(key_node)
        return key if isinstance(key, str) else _key_text(key)

    def _merged(self, value_node: yaml.Node, path: Path_) -> dict[str, Any]:
        """The keys a ``<<`` merge brings in: earlier maps in a list win over later ones."""
        items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        merged: dict[str, Any] = {}
        for item in reversed(items):
            if not isinstance(item, yaml.MappingNode):
                self.refuse(
                    item,
                    "'<<' merges only maps",
                    "give '<<' an alias of a map (<<: *base) or a list of them",
                )
            outermost = self._expansion is None
            if outermost:
                self._expansion = self.source.location(path)
            merged.update(self.build(item, path))
            if outermost:
                self._expansion = None
        return merged


def _tag_text(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def _key_text(key: Any) -> str:
    """Mapping keys are always strings in JSON: ``200`` and ``true`` become text."""
    if key is True or key is False:
        return str(key).lower()
    return "null" if key is None else str(key)


class ReadBudget:
    """What reading may still cost across one load: files and bytes left."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.bytes_left = limits.total_size
        self.files_left = limits.files
        self.exhausted = False


_BOMS = [  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
]


def read_source_text(path: Path, label: str, problems: Problems, budget: ReadBudget) -> str | None:
    """The text of the file at ``path`` (already checked to be inside docs/), or None.

    A file that is not a regular file (a folder, device, FIFO or socket), that is
    larger than the limits, or that is not text in UTF-8 (or UTF-16/32 with a
    byte-order mark) is a problem located in that file; its content is never
    shown.
    """
    limits = budget.limits
    try:
        status = path.stat()
    except OSError as exc:
        problems.error(f"cannot read this file: {exc.strerror}", at=Location(label))
        return None
    if stat.S_ISDIR(status.st_mode):
        problems.error("this is a folder, not a file", at=Location(label))
        return None
    if not stat.S_ISREG(status.st_mode):
        problems.error(
            "this is not a regular file (a device, pipe or socket); pactcoder reads only files",
            hint="remove it from docs/",
            at=Location(label),
        )
        return None
    if status.st_size > limits.file_size:
        problems.error(
            f"this file is {status.st_size} bytes, more than the limit of {limits.file_size}",
            hint="split the contract into several files, "
            + raise_hint("file_size", limits.file_size),
            at=Location(label),
        )
        return None
    budget.files_left -= 1
    budget.bytes_left -= status.st_size
    if budget.bytes_left < 0 or budget.files_left < 0:
        if not budget.exhausted:
            budget.exhausted = True
            which, value = (
                ("total_size", limits.total_size)
                if budget.bytes_left < 0
                else ("files", limits.files)
            )
            what = f"{value} bytes" if which == "total_size" else f"{value} files"
            problems.error(
                f"docs/ holds more than {what} of contract files; stopped reading here",
                hint="move what is not part of the contract out of docs/, "
                + raise_hint(which, value),
                at=Location(label),
            )
        return None
    try:
        with path.open("rb") as handle:
            raw = handle.read(limits.file_size + 1)
    except OSError as exc:
        problems.error(f"cannot read this file: {exc.strerror}", at=Location(label))
        return None
    return decode_text(raw, label, problems)


def decode_text(raw: bytes, label: str, problems: Problems) -> str | None:
    """``raw`` as text: UTF-8 (with or without a BOM), or UTF-16/32 when a BOM says so."""
    encoding, name = "utf-8", "UTF-8"
    for bom, codec, codec_name in _BOMS:
        if raw.startswith(bom):
            raw, encoding, name = raw[len(bom) :], codec, codec_name
            break
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode(encoding, errors="replace")
        line, column = _line_column(before + "?", len(before))
        problems.error(
            f"this file is not valid {name} text: byte {raw[exc.start]:#04x} at this position"
            " cannot be decoded",
            hint="save the file as UTF-8; UTF-16 and UTF-32 files are read only when they"
            " start with a byte-order mark (BOM)",
            at=Location(label, line, column),
        )
        return None


def parse_text(
    text: str,
    label: str,
    problems: Problems,
    *,
    line_offset: int = 0,
    origin: Path | None = None,
    limits: Limits | None = None,
) -> Source | None:
    """Parse YAML or JSON ``text``; on a syntax error record it in ``problems`` and return None.

    ``line_offset`` shifts every reported line, for text cut from a larger file
    (a fenced block in Markdown).
    """
    source = Source(label=label, data=None, origin=origin)
    text = text.removeprefix("\ufeff")
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line, column = _line_column(text, bad.start())
        problems.error(
            f"this file holds a control character ({_describe(bad.group())})"
            " that YAML and JSON do not allow",
            hint="remove it; if the file is not text (or not UTF-8), it does not belong in docs/",
            at=Location(label, line + line_offset, column),
        )
        return None
    loader = _CoreSchemaLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            source.data = None
            return source
        builder = _Builder(loader, source, line_offset, limits or Limits.from_env())
        try:
            source.data = builder.build(node, ())
        except RecursionError:
            builder.problems.error(
                "this value is nested too deeply for pactcoder to read",
                hint="flatten the structure (move nested schemas to components and $ref them),"
                f" or lower PACTCODER_MAX_DEPTH (now {builder.limits.depth}) so that such"
                " a contract is refused with this location",
                at=builder.at(builder.deepest) if builder.deepest else Location(label),
            )
            raise _Refused from None
        finally:
            problems.extend(builder.problems)
    except _Refused:
        return None
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


def _line_column(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _describe(char: str) -> str:
    name = {"\x00": "a NUL byte", "\x1b": "ESC", "\x7f": "DEL"}.get(char, "")
    code = f"U+{ord(char):04X}"
    return f"{code}, {name}" if name else code


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
    if "maximum nesting depth" in problem:
        return (
            "this value is nested more than 1000 levels deep",
            "flatten the structure (move nested schemas to components and $ref them)",
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
