"""What a few words about a field say of its constraints.

Architects write constraints in a field table's description or rules column,
or in a sentence: ``1..80 characters``, ``max 32 characters``, ``5..120,
default 15``, ``-5 to 20``, ``between 1450 and 2100``, ``pattern `^[A-Z]{2}$```,
``one of `a`, `b`; default `a``, ``starts at 0``, ``null until ...``. This
module reads them into a :class:`~pactcoder.draft.fields.Field`'s schema. It
reads the raw Markdown (backticks kept), since patterns and enum values are
written in code spans.

Example::

    item = Field("name", {"type": "string"}, where)   # a draft.fields.Field
    apply_hints(item, "1..80 characters, unique")
    item.schema                # {"type": "string", "minLength": 1, "maxLength": 80}
    item.unique                # True
"""

from __future__ import annotations

import re
from typing import Any, Protocol

__all__ = ["Hinted", "apply_hints", "enum_values", "infer_type", "literal"]


class Hinted(Protocol):
    """What hints are read into: a field's schema and flags (see draft.fields.Field)."""

    schema: dict[str, Any]
    default: Any
    has_default: bool
    unique: bool
    nullable: bool
    required: bool
    read_only: bool


_NUMBER = r"-?\d+(?:\.\d+)?"
_UNIT = r"(?:characters?|chars?|letters?|digits?)"
_RANGE = re.compile(
    rf"(?<![\w.:-])(?:between\s+)?(?P<low>{_NUMBER})\s*(?:\.\.|\u2013|-|to|and)\s*"
    rf"(?P<high>{_NUMBER})(?![\w.:-]|-\d)\s*(?P<unit>{_UNIT})?",
    re.IGNORECASE,
)
_AT_MOST = re.compile(
    rf"(?:at most|up to|no more than|maximum(?: of)?|max\.?|<=|\u2264)\s*(?P<n>{_NUMBER})"
    rf"\s*(?P<unit>{_UNIT})?",
    re.IGNORECASE,
)
_AT_LEAST = re.compile(
    rf"(?:at least|no fewer than|minimum(?: of)?|min\.?|>=|\u2265)\s*(?P<n>{_NUMBER})"
    rf"\s*(?P<unit>{_UNIT})?",
    re.IGNORECASE,
)
_PATTERN = re.compile(r"pattern\s*:?\s*`(?P<pattern>[^`]+)`", re.IGNORECASE)
_DEFAULT = re.compile(
    r"(?:default(?:s|ing)?(?:\s+(?:to|is|of))?\s*:?|starts?\s+(?:at|as)|initially)\s*"
    r"(?:`(?P<code>[^`]+)`|(?P<word>-?[\w.]+))",
    re.IGNORECASE,
)
_DEFAULT_AFTER = re.compile(
    r"`(?P<code>[^`]+)`\s+(?:when|if)\s+(?:not\s+(?:given|sent|set)|omitted|absent)"
    r"|\b(?P<flag>true|false)\s+unless\b"
    r"|new\s+\w+\s+(?:are|is|start(?:s)?\s+as)\s+`(?P<new>[^`]+)`",
    re.IGNORECASE,
)
_NULLABLE = re.compile(
    r"\bnull\s+(?:while|until|when|if|for)\b|\bstays?\s+null\b|\bor\s+null\b|\bnullable\b|"
    r"\bmay be null\b|\bcan be null\b",
    re.IGNORECASE,
)
_READ_ONLY = re.compile(
    r"read[- ]?only|set by the (?:service|server|system|database)|generated|server[- ]made|"
    r"computed by|assigned by the (?:service|server)|made by the (?:service|server)",
    re.IGNORECASE,
)
_ONE_OF = re.compile(r"(?:one of|either|values?:?|any of)\s+(?P<rest>`.*)", re.IGNORECASE)
_CODE = re.compile(r"`([^`]+)`")
_DECIMAL = re.compile(r"\\\.\[0-9\]\{\d+\}\$$")


def enum_values(text: str) -> list[str] | None:
    """The values a phrase lists in code spans (``one of `a`, `b` or `c```), default aside."""
    found = _ONE_OF.search(text)
    body = found.group("rest") if found else text
    body = re.split(r";|\bdefault|\bwhen not\b|\bstarts? as\b|\(default", body, maxsplit=1)[0]
    values = [v.strip() for v in _CODE.findall(body)]
    values = [v for v in values if re.fullmatch(r"-?[\w.]+", v)]
    return values if len(values) >= 2 else None


def infer_type(text: str, name: str) -> dict[str, Any] | None:
    """A type for a field described only in words, from its name and what is said of it."""
    lowered = text.lower()
    if re.search(r"\b(timestamp|date and time|moment|date-time|datetime)\b", lowered):
        return {"type": "string", "format": "date-time"}
    if re.search(r"(At|_at)$", name):
        return {"type": "string", "format": "date-time"}
    if re.search(r"\bemail\b", lowered) or re.search(r"email", name, re.IGNORECASE):
        return {"type": "string", "format": "email"}
    if re.search(r"\b(is a date|a date\b|date of)", lowered) or re.search(r"(Date|_date)$", name):
        return {"type": "string", "format": "date"}
    if re.search(r"\b(boolean|true or false|a flag|whether)\b|\bflag\b", lowered):
        return {"type": "boolean"}
    if re.search(r"\b(integer|whole number|how many|count of|number of)\b", lowered):
        return {"type": "integer"}
    if _RANGE.search(text) and not re.search(_UNIT, lowered):
        return {"type": "integer"}
    if re.search(r"\b(url|uri|link)\b", lowered):
        return {"type": "string", "format": "uri"}
    return None


def apply_hints(item: Hinted, text: str) -> None:
    """Read the constraints ``text`` states about ``item`` into its schema and flags."""
    schema = item.schema
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        values = enum_values(text) if _enumish(text, schema) else None
        if values:
            schema["enum"] = values
    schema.pop("x-enum", None)
    pattern = _PATTERN.search(text)
    if pattern and schema.get("type") == "string":
        schema["pattern"] = pattern.group("pattern")
    _bounds(schema, text)
    default = _DEFAULT.search(text) or _DEFAULT_AFTER.search(text)
    if default and not item.has_default:
        value = next(g for g in default.groups() if g is not None)
        if "enum" not in schema or value in schema["enum"]:
            item.default, item.has_default = literal(value, schema), True
    if re.search(r"\bunique\b", text, re.IGNORECASE):
        item.unique = True
    if _NULLABLE.search(text):
        item.nullable, item.required = True, False
    if _READ_ONLY.search(text):
        item.read_only = True


def _enumish(text: str, schema: dict[str, Any]) -> bool:
    return bool(_ONE_OF.search(text)) or schema.get("x-enum") is True


def _bounds(schema: dict[str, Any], text: str) -> None:
    """Lengths for strings, ranges for numbers; a pattern's own bounds are left to it."""
    kind = schema.get("type")
    numeric = kind in ("integer", "number")
    if kind not in ("string", "integer", "number", "array") or "enum" in schema:
        return
    timely = schema.get("format") in ("date", "date-time", "time", "uuid")
    if kind == "string" and (timely or _DECIMAL.search(schema.get("pattern", ""))):
        return  # a decimal string's sign and size are in its pattern
    low_key, high_key = ("minimum", "maximum") if numeric else ("minLength", "maxLength")
    if kind == "array":
        low_key, high_key = "minItems", "maxItems"
    scrubbed = _PATTERN.sub("", _DEFAULT.sub("", text))
    ranged = _RANGE.search(scrubbed)
    if ranged and (numeric or ranged.group("unit") or kind == "string"):
        low, high = _number(ranged.group("low")), _number(ranged.group("high"))
        if low <= high and (numeric or low >= 0):
            schema.setdefault(low_key, low)
            schema.setdefault(high_key, high)
            return
    most = _AT_MOST.search(scrubbed)
    if most and (numeric or most.group("unit") or kind == "string"):
        schema.setdefault(high_key, _number(most.group("n")))
    least = _AT_LEAST.search(scrubbed)
    if least and (numeric or least.group("unit") or kind == "string"):
        schema.setdefault(low_key, _number(least.group("n")))


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def literal(text: str, schema: dict[str, Any]) -> Any:
    """A default written in prose, typed as the field is."""
    kind = schema.get("type")
    if kind == "boolean":
        return text.lower() in ("true", "yes", "1")
    if kind in ("integer", "number"):
        try:
            return _number(text)
        except ValueError:
            return text
    return text
