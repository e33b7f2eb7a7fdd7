"""SQL data definitions in the architect's Markdown, read into entities.

Read from every ``sql`` fenced block (and any code block holding ``CREATE
TABLE``): ``CREATE TABLE`` with its columns and constraints, ``CREATE TYPE ...
AS ENUM`` and ``CREATE UNIQUE INDEX``. Per column: the type (PostgreSQL,
MySQL and SQLite spellings), ``NOT NULL``, ``PRIMARY KEY``, ``UNIQUE``,
``DEFAULT``, ``REFERENCES`` and ``CHECK`` (``IN (...)`` becomes an enum,
``BETWEEN``/``>=``/``<=`` bounds), and a trailing ``-- comment`` as its
description. Table constraints add primary keys over several columns,
foreign keys and unique columns. This is a reader for DDL as people write it
in design documents, not a full SQL parser: what it cannot read is skipped.

Example::

    tables, enums = read_sql("CREATE TABLE tags (id serial PRIMARY KEY, name text UNIQUE);",
                             "docs/data.md", first_line=12)
    tables[0].name, [f.name for f in tables[0].fields]     # ("tags", ["id", "name"])
"""

from __future__ import annotations

import re
from typing import Any

from pactcoder.draft.fields import Entity, Field, decimal_schema, describe_hints, type_schema
from pactcoder.problems import Location

__all__ = ["read_sql"]

_CREATE_TABLE = re.compile(
    r"create\s+(?:temporary\s+|temp\s+)?table\s+(?:if\s+not\s+exists\s+)?"
    r"(?:[\w\"`]+\.)?[\"`]?(?P<name>\w+)[\"`]?\s*\(",
    re.IGNORECASE,
)
_CREATE_ENUM = re.compile(
    r"create\s+type\s+(?:[\w\"]+\.)?\"?(?P<name>\w+)\"?\s+as\s+enum\s*\((?P<values>[^)]*)\)",
    re.IGNORECASE,
)
_UNIQUE_INDEX = re.compile(
    r"create\s+unique\s+index\s+(?:if\s+not\s+exists\s+)?\w*\s*on\s+(?:\w+\.)?\"?(?P<table>\w+)"
    r"\"?\s*(?:using\s+\w+\s*)?\(\s*(?:lower\s*\(\s*)?\"?(?P<column>\w+)\"?\s*\)?\s*\)",
    re.IGNORECASE,
)
_KEYWORDS = (
    "not", "null", "primary", "unique", "default", "references", "check", "constraint",
    "generated", "collate", "auto_increment", "autoincrement", "identity", "on",
)  # fmt: skip
_SERVER_DEFAULTS = re.compile(
    r"now\(\)|current_timestamp|current_date|gen_random_uuid\(\)|uuid_generate_v4\(\)|"
    r"uuid\(\)|nextval\(|localtimestamp",
    re.IGNORECASE,
)


def read_sql(text: str, label: str, first_line: int) -> tuple[list[Entity], dict[str, list[str]]]:
    """The tables and enum types defined in ``text`` (a code block starting at ``first_line``)."""
    clean, comments = _without_comments(text)
    enums = {m["name"].lower(): _quoted(m["values"]) for m in _CREATE_ENUM.finditer(clean)}
    tables: list[Entity] = []
    for match in _CREATE_TABLE.finditer(clean):
        body, _ = _balanced(clean, match.end())
        if body is None:
            continue
        line = first_line + clean.count("\n", 0, match.start())
        entity = Entity(match["name"], Location(label, line, 1), "sql")
        for part, start in _split_top_level(body):
            first = clean.count("\n", 0, match.end() + start)
            last = clean.count("\n", 0, match.end() + start + len(part))
            comment = comments.get(last) or comments.get(first, "")
            where = Location(label, first_line + first, 1)
            _definition(entity, part, comment, where, enums)
        tables.append(entity)
    for match in _UNIQUE_INDEX.finditer(clean):
        for table in tables:
            found = table.get(match["column"]) if table.name == match["table"] else None
            if found is not None:
                found.unique = True
    return tables, enums


def _quoted(values: str) -> list[str]:
    return re.findall(r"'((?:[^']|'')*)'", values)


def _balanced(text: str, start: int) -> tuple[str | None, int]:
    """The text up to the parenthesis closing the one just before ``start``."""
    depth = 1
    index = start
    quote = None
    while index < len(text):
        char = text[index]
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return text[start:index], index
        index += 1
    return None, index


def _without_comments(body: str) -> tuple[str, dict[int, str]]:
    """``body`` with ``-- comments`` blanked out (offsets kept), and each comment by line."""
    comments: dict[int, str] = {}
    lines = []
    for number, line in enumerate(body.split("\n")):
        quoted = False
        for index, char in enumerate(line):
            if char == "'":
                quoted = not quoted
            elif not quoted and line.startswith("--", index):
                comments[number] = line[index + 2 :].strip()
                line = line[:index] + " " * (len(line) - index)
                break
        lines.append(line)
    return "\n".join(lines), comments


def _split_top_level(body: str) -> list[tuple[str, int]]:
    """The comma-separated parts of a table body and where each starts; nested commas kept."""
    parts: list[tuple[str, int]] = []
    depth = 0
    start = 0
    quote = None
    for index, char in enumerate(body + ","):
        if quote:
            if char == quote:
                quote = None
            continue
        if char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            part = body[start:index]
            if part.strip():
                lead = len(part) - len(part.lstrip())
                parts.append((part.strip(), start + lead))
            start = index + 1
    return parts


def _definition(
    entity: Entity, part: str, comment: str, where: Location, enums: dict[str, list[str]]
) -> None:
    words = part.split()
    if not words:
        return
    head = words[0].lower()
    if head == "constraint" and len(words) > 2:
        part = " ".join(words[2:])
        head = words[2].lower()
    upper = part.lower()
    if head == "primary" and upper.startswith("primary key"):
        columns = _columns_in(part)
        if len(columns) == 1 and (found := entity.get(columns[0])):
            found.primary_key, found.required = True, True
        elif len(columns) > 1:
            entity.composite_key = columns
        return
    if head == "foreign" and upper.startswith("foreign key"):
        columns = _columns_in(part)
        target = re.search(r"references\s+(?:\w+\.)?\"?(\w+)\"?", part, re.IGNORECASE)
        if target and len(columns) == 1 and (found := entity.get(columns[0])):
            found.references = target.group(1)
        return
    if head == "unique":
        columns = _columns_in(part)
        if len(columns) == 1 and (found := entity.get(columns[0])):
            found.unique = True
        return
    if head in ("check", "index", "key", "exclude"):
        return
    entity.fields.append(
        _column(words[0].strip('"`'), part[len(words[0]) :], comment, where, enums)
    )


def _columns_in(part: str) -> list[str]:
    found = re.search(r"\(([^)]*)\)", part)
    return [c.strip().strip('"`') for c in found.group(1).split(",")] if found else []


def _column(
    name: str, rest: str, comment: str, where: Location, enums: dict[str, list[str]]
) -> Field:
    """One column definition: ``name type [constraints...]``."""
    tokens = re.findall(r"\([^()]*(?:\([^()]*\)[^()]*)*\)|'[^']*'|\S+", rest)
    type_words: list[str] = []
    index = 0
    while index < len(tokens) and tokens[index].lower().strip(",") not in _KEYWORDS:
        type_words.append(tokens[index])
        index += 1
    written = " ".join(type_words)
    constraints = " ".join(tokens[index:])
    lowered = constraints.lower()
    schema, enum_type = _sql_type(written, enums)
    item = Field(name, schema, where, description=comment, enum_type=enum_type)
    item.primary_key = "primary key" in lowered
    item.required = item.primary_key or "not null" in lowered
    item.nullable = not item.required
    item.unique = item.unique or bool(re.search(r"\bunique\b", lowered))
    if written.lower() in ("serial", "bigserial", "smallserial") or re.search(
        r"auto_?increment|generated .* as identity|identity", lowered
    ):
        item.server_default = True
    default = re.search(r"default\s+(\([^)]*\)|'[^']*'|\S+(?:\(\))?)", constraints, re.IGNORECASE)
    if default:
        _apply_default(item, default.group(1))
    reference = re.search(r"references\s+(?:\w+\.)?\"?(\w+)\"?", constraints, re.IGNORECASE)
    if reference:
        item.references = reference.group(1)
    check = re.search(r"check\s*(\(.*\))", constraints, re.IGNORECASE)
    if check:
        _apply_check(item, check.group(1))
    describe_hints(item, comment)
    return item


def _sql_type(written: str, enums: dict[str, list[str]]) -> tuple[dict[str, Any], str | None]:
    lowered = written.lower().strip('"')
    if lowered in enums:
        return {"type": "string", "enum": enums[lowered]}, lowered
    sized = re.match(r"^(numeric|decimal|number)\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$", lowered)
    if sized:
        return decimal_schema(int(sized.group(2)), int(sized.group(3))), None
    return type_schema(written) or {"type": "string"}, None


def _apply_default(item: Field, value: str) -> None:
    if _SERVER_DEFAULTS.search(value):
        item.server_default = True
        return
    text = value.strip("()")
    if text.startswith("'"):
        literal: Any = text.strip("'").split("'::")[0]
    elif text.lower() in ("true", "false"):
        literal = text.lower() == "true"
    elif text.lower() == "null":
        return
    else:
        try:
            literal = int(text)
        except ValueError:
            try:
                literal = float(text)
            except ValueError:
                return
    if item.schema.get("type") == "string" and not isinstance(literal, str):
        literal = str(literal)
    if item.schema.get("type") == "array" and isinstance(literal, str):
        literal = _array_literal(literal)
        if literal is None:
            return
    item.default, item.has_default = literal, True


def _array_literal(text: str) -> list[str] | None:
    """PostgreSQL's array literal: ``'{}'`` → ``[]``, ``'{a,"b c"}'`` → ``["a", "b c"]``."""
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    body = text[1:-1].strip()
    return [part.strip().strip('"') for part in body.split(",")] if body else []


def _apply_check(item: Field, check: str) -> None:
    """Bounds and allowed values from ``CHECK (...)`` on this column."""
    name = re.escape(item.name)
    values = re.search(rf"{name}\s+in\s*\(([^)]*)\)", check, re.IGNORECASE)
    if values and item.schema.get("type") == "string":
        item.schema["enum"] = _quoted(values.group(1))
        return
    between = re.search(rf"{name}\s+between\s+(-?[\d.]+)\s+and\s+(-?[\d.]+)", check, re.I)
    bounds: list[tuple[str, str]] = []
    if between:
        bounds = [(">=", between.group(1)), ("<=", between.group(2))]
    bounds += re.findall(rf"{name}\s*(>=|<=|>|<)\s*(-?[\d.]+)", check)
    for operator, number in bounds:
        value = float(number)
        bound: int | float = int(value) if value.is_integer() else value
        if str(item.schema.get("pattern", "")).startswith("^-?") and operator in (">=", ">"):
            if value >= 0:
                item.schema["pattern"] = "^" + item.schema["pattern"][3:]
                item.schema["maxLength"] -= 1
            continue
        if item.schema.get("type") not in ("integer", "number"):
            continue
        if item.schema.get("type") == "integer" and operator in (">", "<"):
            # An integer above 0 is at least 1: plain bounds read better than exclusive ones.
            bound, operator = int(bound) + (1 if operator == ">" else -1), operator + "="
        key = {
            ">=": "minimum",
            "<=": "maximum",
            ">": "exclusiveMinimum",
            "<": "exclusiveMaximum",
        }[operator]
        item.schema[key] = bound
