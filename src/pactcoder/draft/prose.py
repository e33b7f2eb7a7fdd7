"""Fields an architect describes in sentences rather than tables.

Many documents say what a record holds in plain prose. This module reads the
shapes such sentences take, for resources the endpoints already named:

- a list: "A book has a title of 1 to 200 characters, an author, an ISBN, and
  the year it was published, which is between 1450 and 2100." (also "holds",
  "contains", "stores"; names in code spans or in words);
- a subject: "The ISBN is unique and is 13 digits (pattern `^[0-9]{13}$`).",
  "The due date is a date; `returnedAt` is a timestamp that stays null ...";
- "... also records how many copies the library owns: an integer of at least 1";
- "The service sets `createdAt` ..." (read-only), "sets `status` to `open`"
  (a default);
- a create that names what it is given: "POST /api/loans, giving the
  `memberId`, the `bookId` and the `dueDate`".

What each item says of its field is read by :mod:`.hints`; a type comes from
the words (``timestamp``, ``a date``, ``characters``, ``between 1 and 5``) and
the name (``createdAt``, ``dueDate``, ``memberId``, ``email``). This reads
sentences written to describe data, not any English: what it cannot read it
leaves, and the draft's notes say where each field came from.

Example::

    entities = read_prose(blocks, {"books": "book"}, Naming("camel"), {"type": "integer"})
    [f.name for f in entities[0].fields]    # ["title", "author", "isbn", "year", ...]
"""

from __future__ import annotations

import re
from typing import Any

from pactcoder.draft.endpoints import sentences
from pactcoder.draft.fields import Entity, Field, decimal_schema
from pactcoder.draft.hints import apply_hints, enum_values, infer_type
from pactcoder.draft.markdown import Block, plain
from pactcoder.draft.names import Naming, words
from pactcoder.problems import Location

__all__ = ["read_prose"]

_HAS = re.compile(
    r"^(?:an?|each|every|the)\s+(?P<noun>[\w ]+?)\s+(?:also\s+)?(?:has|holds|contains|carries|"
    r"stores|consists of)\s+(?P<list>.+)$",
    re.IGNORECASE,
)
_HOW_MANY = re.compile(
    r"(?:records|keeps|tracks|stores|counts)\s+how many\s+(?P<name>\w+)[^:]*:\s*(?P<said>.+)$",
    re.IGNORECASE,
)
_SUBJECT = re.compile(
    r"^(?:the\s+(?P<words>[a-z][\w ]{0,40}?)|`(?P<code>[A-Za-z_]\w*)`)\s+(?:is|are)\s+"
    r"(?P<said>.+)$",
    re.IGNORECASE,
)
_SETS = re.compile(r"\bsets\s+(?P<rest>.+)$", re.IGNORECASE)
_GIVEN = re.compile(
    r"\b(?:giving|given|with|sending|passing|providing)\s+(?P<names>(?:the\s+|an?\s+)?`\w+`)",
    re.IGNORECASE,
)
_STOP = {"of", "which", "that", "who", "it", "when", "for", "with", "to", "in", "on", "as",
         "from", "by", "at", "is", "are", "was", "(", "whose", "where", "set"}  # fmt: skip
_SKIP = {"a", "an", "the", "unique", "optional", "required", "mandatory", "its", "their",
         "short", "long", "free", "plain"}  # fmt: skip
_SHORTER: dict[tuple[str, ...], str] = {("email", "address"): "email", ("phone", "number"): "phone",
            ("web", "site"): "website", ("home", "page"): "homepage"}  # fmt: skip
_NEW = re.compile(
    r"^(?:new|an?|each|every)\s+(?P<noun>\w+)\s+(?:are|is|starts?|begins?)(?:\s+(?:as|in|at))?"
    r"\s+`(?P<value>[^`]+)`",
    re.IGNORECASE,
)
_TYPED = re.compile(
    r"^(?:an?|the)\s+(?:\w+\s+)?(?:date|timestamp|time|integer|whole number|string|text|number|"
    r"boolean|flag|url|uri|link|email|uuid|decimal|amount)\b",
    re.IGNORECASE,
)
_CONNECTIVE = re.compile(r"\b(that|which|who|is|are|one of|either|like|e\.g\.)\b", re.I)
_QUANTIFIED = re.compile(
    r"^(?:many|several|multiple|some|any|no|zero or more|one or more|at least one|\d+)\b",
    re.IGNORECASE,
)
_NOT_NAMES = {"service", "server", "database", "system", "api", "client", "user", "caller"}


def read_prose(
    blocks: list[Block],
    resources: dict[str, str],
    naming: Naming,
    id_schema: dict[str, Any],
) -> list[Entity]:
    """The fields sentences give each resource; ``resources`` maps each key to its singular."""
    reader = _Reader(resources, naming, id_schema)
    for block in blocks:
        if block.kind == "heading":
            reader.section(block.text)
        elif block.kind == "paragraph":
            for sentence in sentences(block.text):
                reader.sentence(sentence, Location(block.file, block.line, 1))
    return reader.finish()


class _Reader:
    def __init__(self, resources: dict[str, str], naming: Naming, id_schema: dict[str, Any]):
        self.resources = resources
        self.naming = naming
        self.id_schema = id_schema
        self.entities: dict[str, Entity] = {}
        self.current: str | None = None  # the resource the last sentences were about
        #: (resource, value) for "new members are `active`": the default of the enum holding it.
        self.initial: list[tuple[str, str]] = []

    def finish(self) -> list[Entity]:
        for key, value in self.initial:
            for known in self.entities.get(key, Entity(key, Location("docs"), "prose")).fields:
                if value in known.schema.get("enum", []) and not known.has_default:
                    known.default, known.has_default = value, True
        return [entity for entity in self.entities.values() if entity.fields]

    def section(self, heading: str) -> None:
        self.current = self._resource(heading.split()) or self.current

    def _resource(self, nouns: list[str]) -> str | None:
        """The resource one of ``nouns`` names (singular or plural)."""
        for noun in nouns:
            lowered = noun.lower().strip("`'\",.:")
            for key, one in self.resources.items():
                if lowered in (key, one, key.replace("_", " "), one.replace("_", " ")):
                    return key
        return None

    def _entity(self, key: str, where: Location) -> Entity:
        if key not in self.entities:
            self.entities[key] = Entity(key, where, "prose")
        return self.entities[key]

    def sentence(self, text: str, where: Location) -> None:
        for clause in _clauses(text):
            self._clause(clause.rstrip("."), where)

    def _clause(self, text: str, where: Location) -> None:
        has = _HAS.match(text)
        if has:
            key = self._resource([has["noun"], *has["noun"].split()])
            if key is not None:
                self.current = key
                for item in _items(has["list"]):
                    self._item(key, item, where)
                return
        if self.current is None:
            return
        new = _NEW.match(text)
        if new:
            key = self._resource([new["noun"]]) or self.current
            self.initial.append((key, new["value"]))
            return
        how_many = _HOW_MANY.search(text)
        if how_many:
            self._field(self.current, how_many["name"], how_many["said"], where)
            return
        subject = _SUBJECT.match(text)
        if subject and not _mentions_endpoint(text):
            name = subject["code"] or _name_from(subject["words"].split())
            typed = bool(subject["code"]) or bool(_TYPED.match(subject["said"]))
            if name and name.lower() not in _NOT_NAMES and self._resource([name]) is None:
                self._field(self.current, name, subject["said"], where, create=typed)
                return
        sets = _SETS.search(text)
        if sets and re.search(r"\b(service|server|system|database)\b", text, re.IGNORECASE):
            self._sets(self.current, sets["rest"], where)
        given = _GIVEN.search(text)
        if given and _mentions_endpoint(text):
            key = self._posted(text) or self.current
            for item in _items(_without_endpoints(text[given.start("names") :])):
                if "`" in item:
                    self._item(key, item, where)

    def _posted(self, text: str) -> str | None:
        """The collection a create named in ``text`` adds to (``POST /api/listings``)."""
        found = re.search(r"\bPOST\s+`?(/[\w/{}-]*)", text)
        if found is None:
            return None
        statics = [p for p in found.group(1).split("/") if p and not p.startswith("{")]
        return self._resource(statics[-1:]) if statics else None

    def _item(self, key: str, item: str, where: Location) -> None:
        if _QUANTIFIED.match(item):
            return  # "many orders", "one or more lines": a relation, not a field
        code = re.search(r"`([A-Za-z_]\w*)`", item.split("(", 1)[0])
        if code and _CONNECTIVE.search(item[: code.start()]):
            code = None  # "a status that is one of `active`": the value is not the name
        if code:
            name, said = code.group(1), item
        else:
            name = _name_from(plain(item).split())
            said = item
        if name and self._resource([name]) is None:
            self._field(key, name, said, where)

    def _sets(self, key: str, rest: str, where: Location) -> None:
        for found in re.finditer(r"`(\w+)`(?:\s+to\s+`(?P<value>[^`]+)`)?", rest):
            name, value = found.group(1), found.group("value")
            if value is None:
                self._field(key, name, "read-only", where)
            else:
                self._field(key, name, f"default `{value}`", where)

    def _field(self, key: str, name: str, said: str, where: Location, create: bool = True) -> None:
        entity = self._entity(key, where)
        api_name = self.naming.field(name)
        item = entity.get(api_name)
        if item is None:
            if not create:
                return
            schema = self._type(said, api_name)
            item = Field(api_name, schema, where, required=True)
            entity.fields.append(item)
        elif item.schema == {"type": "string"}:
            better = self._type(said, api_name)
            if better != {"type": "string"}:
                item.schema = better
        inner = re.findall(r"\(([^)]*)\)", said)
        if item.schema.get("type") == "string" and "enum" not in item.schema:
            for part in inner:
                values = enum_values(part)
                if values and part.strip().startswith("`"):
                    item.schema["enum"] = values
        apply_hints(item, said)
        if item.read_only and not item.has_default:
            item.required = True

    def _type(self, said: str, name: str) -> dict[str, Any]:
        if re.search(r"(Id|_id)$", name):
            return dict(self.id_schema)
        decimal = re.search(r"\bdecimal\b(?:[^.;]*?\b(\w+) (?:fraction|decimal) digits)?", said)
        if decimal:
            digits = {"one": 1, "two": 2, "three": 3, "four": 4}.get(decimal.group(1) or "", 2)
            return decimal_schema(12, digits)
        return infer_type(plain(said), name) or {"type": "string"}


def _clauses(text: str) -> list[str]:
    """``text`` cut at semicolons outside parentheses."""
    found: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth == 0:
            found.append(text[start:index])
            start = index + 1
    found.append(text[start:])
    return [part.strip() for part in found if part.strip()]


def _items(text: str) -> list[str]:
    """A list of things split at top-level commas and ``and``; ``which ...`` joins its item."""
    parts: list[str] = []
    depth, start = 0, 0
    cuts: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and char == "," and not _between_values(text, index):
            cuts.append((index, index + 1))
    for found in re.finditer(r"\s+and\s+(?=(?:an?|the|its)\b|`)", text):
        if text[: found.start()].count("(") == text[: found.start()].count(")"):
            cuts.append((found.start(), found.end()))
    for begin, end in sorted(cuts):
        parts.append(text[start:begin])
        start = end
    parts.append(text[start:])
    items: list[str] = []
    for part in (p.strip() for p in parts):
        part = re.sub(r"^and\s+", "", part)
        if not part:
            continue
        if items and re.match(r"^(which|that|who|whose|where)\b", part):
            items[-1] = f"{items[-1]}, {part}"
        else:
            items.append(part)
    return items


def _between_values(text: str, comma: int) -> bool:
    """A comma inside a list of code spans (``one of `a`, `b` or `c```) does not end an item."""
    return text[:comma].rstrip().endswith("`") and text[comma + 1 :].lstrip().startswith("`")


def _name_from(tokens: list[str]) -> str | None:
    """The noun a phrase is about: ``the year it was published`` → ``year``."""
    kept: list[str] = []
    for token in tokens:
        lowered = token.lower().strip(",.:;")
        if lowered in _STOP or lowered.startswith("("):
            break
        if lowered in _SKIP and not kept:
            continue
        if not re.fullmatch(r"[a-z][a-z_-]*", lowered):
            break
        kept.append(lowered)
    if not kept or len(kept) > 3:
        return None
    return _SHORTER.get(tuple(kept[:2]), "_".join(w for k in kept for w in words(k)))


def _without_endpoints(text: str) -> str:
    """``text`` with ``(`POST /api/x`)`` and the like taken out, so lists read cleanly."""
    return re.sub(r"\(?`?\b(?:GET|POST|PUT|PATCH|DELETE)\s+/[^\s`)]*`?\)?", "", text)


def _mentions_endpoint(text: str) -> bool:
    return bool(re.search(r"\b(GET|POST|PUT|PATCH|DELETE)\s+`?/", text))
