"""Endpoints the architect's Markdown names, and the JSON examples that go with them.

Endpoints are found in two forms:

- tables with a method column and a path column (``| GET | /orders/{id} | ... |``),
  or a cell holding both (``| POST /orders | Place an order |``); a
  description and a success status column are read when present;
- ``METHOD /path`` anywhere in headings, paragraphs and list items
  (``- `POST /api/v1/orders` — place an order``); what follows is the summary.

Paths are normalised: ``:id`` and ``<id>`` become ``{id}``, a query string
(``/orders?status={status}``) becomes the endpoint's query parameters.

A fenced ``json`` block belongs to the endpoint named by the heading or
paragraph it follows. The paragraph just before it says what it is:
"request", "response", a status (``201 Created``); a block shaped like an
error (``title`` and ``status``, or a 4xx status) is kept apart as an error
example.

Example::

    found = find_endpoints(read_blocks(text, "docs/api.md"))
    found[0].method, found[0].path, found[0].query     # ("GET", "/orders", ["status"])
    found[1].examples[0].role                           # "request"
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pactcoder.draft.markdown import Block, plain
from pactcoder.problems import Location

__all__ = ["EndpointMention", "Example", "find_endpoints", "normalise_path"]

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_MENTION = re.compile(
    r"\b(?P<method>GET|POST|PUT|PATCH|DELETE)\s+`?(?P<path>/[A-Za-z0-9_\-{}/:.<>?=&]*)`?"
)
_METHOD_HEADERS = ("method", "verb", "http method", "http")
_PATH_HEADERS = ("path", "endpoint", "route", "url", "uri", "resource", "path and query")
_SUMMARY_HEADERS = ("description", "summary", "purpose", "action", "operation", "notes", "does")
_STATUS_HEADERS = ("status", "success", "response", "returns", "result", "code", "status code")
_ERROR_HEADERS = ("errors", "error", "error statuses", "failures", "error codes")
_QUERY_HEADERS = ("query parameters", "query", "parameters", "filters", "query params", "params")


@dataclass
class Example:
    """A JSON example near an endpoint: a request, a response or an error body."""

    data: Any
    role: str  # request | response | error
    location: Location
    status: int | None = None


@dataclass
class EndpointMention:
    """One endpoint as the Markdown names it."""

    method: str
    path: str
    location: Location
    summary: str = ""
    query: list[str] = field(default_factory=list)
    status: int | None = None
    examples: list[Example] = field(default_factory=list)
    #: Every other status the Markdown says the endpoint answers (errors, redirects).
    statuses: list[int] = field(default_factory=list)
    #: What the Markdown says of each query parameter (its row or sentence), by name.
    notes: dict[str, str] = field(default_factory=dict)
    #: A media type other than JSON that the endpoint answers with (``text/csv``).
    media: str | None = None
    #: Whether the Markdown says anyone may call it, signed in or not.
    public: bool = False
    #: What sentences about the endpoint say of a field (```stars` is an integer from 1 to 5``).
    field_notes: dict[str, str] = field(default_factory=dict)

    def learn(self, text: str) -> None:
        """Take what a sentence about this endpoint says: statuses, filters, sorting, media."""
        for status in statuses_in(text):
            if status != self.status and status not in self.statuses:
                self.statuses.append(status)
        found = _filters_in(text)
        if self.method == "GET":
            found += [n for m in _BY.finditer(text) for n in _NAMES.findall(m.group("names"))]
        for name in found:
            if name not in self.query:
                self.query.append(name)
        for name, said in _said_of_parameters(text):
            if name in self.query or self.method == "GET":
                if name not in self.query:
                    self.query.append(name)
                self.notes[name] = f"{self.notes.get(name, '')} {said}".strip()
        if self.media is None:
            self.media = _media_in(text, self.path)
        self.public = self.public or bool(_PUBLIC.search(text))
        for told in _FIELD_SAID.finditer(text):
            said = told["paren"] or told["is"]
            name = told["name"]
            self.field_notes[name] = f"{self.field_notes.get(name, '')} {said}".strip()

    def example(self, role: str) -> Any:
        """The first example with ``role`` (``request``, ``response``), or None."""
        return next((e.data for e in self.examples if e.role == role), None)


def normalise_path(path: str) -> tuple[str, list[str]]:
    """``/orders/:id/?status=x`` → (``/orders/{id}``, ``["status"]``)."""
    path = path.strip().strip("`").rstrip(".,;")
    path, _, query = path.partition("?")
    path = re.sub(r":(\w+)", r"{\1}", path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
    path = re.sub(r"/+", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    names = [part.split("=")[0] for part in query.split("&") if part.split("=")[0]]
    return path, list(dict.fromkeys(names))


def _column(headers: list[str], names: tuple[str, ...]) -> int | None:
    for index, header in enumerate(headers):
        if header in names:
            return index
    return None


def _status_in(text: str) -> int | None:
    found = re.search(r"\b([1-5]\d\d)\b", text)
    return int(found.group(1)) if found else None


#: Statuses a sentence may name: a number outside these is a quantity, not a status.
_STATUSES = frozenset(
    {200, 201, 202, 204, 301, 302, 303, 307, 308, 400, 401, 403, 404, 405, 406, 409, 410,
     412, 413, 415, 422, 423, 429, 503}
)  # fmt: skip
_FILTERS = re.compile(
    r"(?:filter(?:s|ed)?(?:\s+(?:the list\s+)?by)?|quer(?:y|ies)|narrowed\s+by|"
    r"parameters?|paged\s+with|pages?\s*\(|paginated\s+(?:with|by))\s*:?\s*"
    r"(?P<names>`\w+`(?:\s*(?:,|and|or|and by|or by|,\s*and)\s*`\w+`)*)",
    re.IGNORECASE,
)
_NAMES = re.compile(r"`(\w+)`")
_LIST_OF_NAMES = r"`\w+`(?:\s*(?:,|and|or|and by|or by|,\s*and)\s*`\w+`)*"
_BY = re.compile(rf"(?:^\W*|\bsearch\w*\s+\w*\s*)by\s+(?P<names>{_LIST_OF_NAMES})", re.I)
_SAID = re.compile(
    r"`(?P<name>\w+)`\s+(?P<said>(?:filters|searches|keeps|is one of|limits|selects|sorts|"
    r"orders|matches)(?:(?!,\s*(?:and\s+)?`\w+`\s)[^.;])*)",
    re.IGNORECASE,
)


_PUBLIC = re.compile(
    r"\b(?:is|are)\s+public\b|\bno\s+(?:auth\w*|token|key|sign(?:ing)?[- ]in)\s+(?:is\s+)?"
    r"(?:needed|required)|\bwithout\s+(?:a\s+|an\s+)?(?:token|key|auth\w*|signing in)\b|"
    r"\banonymous(?:ly)?\b|\bas anyone\b",
    re.IGNORECASE,
)
_FIELD_SAID = re.compile(
    r"`(?P<name>[A-Za-z_]\w*)`\s*(?:\((?P<paren>[^)]*)\)|is\s+(?P<is>(?:an?|the)\s[^;.]*))"
)


def statuses_in(text: str) -> list[int]:
    """The HTTP statuses a sentence names (``409``, ``410 Gone``), in order."""
    found = [int(n) for n in re.findall(r"(?<![\w./-])([1-5]\d\d)(?!\w|[./-]\d)", text)]
    return list(dict.fromkeys(n for n in found if n in _STATUSES))


def _filters_in(text: str) -> list[str]:
    names: list[str] = []
    for found in _FILTERS.finditer(text):
        names += _NAMES.findall(found.group("names"))
    return list(dict.fromkeys(names))


def _said_of_parameters(text: str) -> list[tuple[str, str]]:
    return [(m["name"], m["said"]) for m in _SAID.finditer(text)]


def _media_in(text: str, path: str) -> str | None:
    lowered = text.lower()
    if "text/csv" in lowered or re.search(r"\bcsv\b", lowered) or path.endswith(".csv"):
        return "text/csv"
    if "text/plain" in lowered or "plain text" in lowered:
        return "text/plain"
    return None


def _summary(text: str) -> str:
    text = plain(text)
    text = re.sub(r"^[\s\-\u2013\u2014:|,]+", "", text)
    return text[:200].rstrip(" .") if text else ""


def _from_table(block: Block) -> list[EndpointMention]:
    headers = [plain(c).lower() for c in block.rows[0].cells]
    method_at = _column(headers, _METHOD_HEADERS)
    path_at = _column(headers, _PATH_HEADERS)
    summary_at = _column(headers, _SUMMARY_HEADERS)
    status_at = _column(headers, _STATUS_HEADERS)
    errors_at = _column(headers, _ERROR_HEADERS)
    query_at = _column(headers, _QUERY_HEADERS)
    found: list[EndpointMention] = []
    for row in block.rows[1:]:
        cells = [plain(c) for c in row.cells]
        where = Location(block.file, row.line, 1)
        method = path = None
        if method_at is not None and path_at is not None and max(method_at, path_at) < len(cells):
            method = cells[method_at].upper()
            path = cells[path_at] if cells[path_at].startswith("/") else None
        if method not in METHODS or path is None:
            method = path = None
            for cell in cells:
                hit = _MENTION.search(cell)
                if hit:
                    method, path = hit["method"], hit["path"]
                    break
        if method is None or path is None:
            continue
        normal, query = normalise_path(path)
        mention = EndpointMention(method, normal, where, query=query)
        if summary_at is not None and summary_at < len(cells):
            mention.summary = _summary(cells[summary_at])
        else:
            rest = [c for i, c in enumerate(cells) if i not in (method_at, path_at) and c]
            rest = [c for c in rest if not _MENTION.search(c) and not re.fullmatch(r"\d{3}", c)]
            mention.summary = _summary(rest[0]) if rest else ""
        if status_at is not None and status_at < len(cells):
            mention.status = _status_in(cells[status_at])
            mention.learn(cells[status_at])
        if errors_at is not None and errors_at < len(cells):
            mention.learn(cells[errors_at])
        if query_at is not None and query_at < len(row.cells):
            for name in _NAMES.findall(row.cells[query_at]) or re.findall(r"\w+", cells[query_at]):
                if name not in mention.query:
                    mention.query.append(name)
        mention.learn(" ".join(cells[i] for i in (summary_at,) if i is not None and i < len(cells)))
        found.append(mention)
    return found


def _from_text(block: Block) -> list[tuple[EndpointMention, str]]:
    """The endpoints a heading or paragraph names, each with the words that follow it."""
    text = block.text
    hits = list(_MENTION.finditer(text))
    found = []
    for index, hit in enumerate(hits):
        normal, query = normalise_path(hit["path"])
        after = text[hit.end() :].split("\n", 1)[0]
        end = hits[index + 1].start() if index + 1 < len(hits) else len(text)
        found.append(
            (
                EndpointMention(
                    hit["method"],
                    normal,
                    Location(block.file, block.line + text.count("\n", 0, hit.start()), 1),
                    summary=_summary(after) if not _MENTION.search(after) else "",
                    query=query,
                ),
                text[hit.end() : end],
            )
        )
    return found


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(])")
_CREATE_VERBS = {"add", "create", "register", "publish", "open", "book", "place", "buy",
                 "submit", "make", "reserve", "post", "upload", "send"}  # fmt: skip
_DELETE_VERBS = {"delete", "remove", "erase"}
_UPDATE_VERBS = {"change", "update", "edit", "correct", "rename", "reschedule", "move", "set"}


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences (a plain rule: a stop, then a capital or a code span)."""
    return [part for part in _SENTENCE_END.split(" ".join(text.split())) if part]


def _stems(word: str) -> list[str]:
    """``cancelling`` → cancel, ``closing`` → close: what a gerund may be made from."""
    word = word.lower().strip(",.;:")
    if not word.endswith("ing") or len(word) < 5:
        return []
    base = word[:-3]
    found = [base, f"{base}e"]
    if len(base) > 2 and base[-1] == base[-2]:
        found.append(base[:-1])
    return found


def _noun_after(words: list[str], start: int) -> str | None:
    for word in words[start : start + 4]:
        cleaned = re.sub(r"[^a-z_]", "", word.lower())
        if cleaned and cleaned not in {"a", "an", "the", "more", "any", "another", "new", "one"}:
            return cleaned
    return None


def _static_segments(mention: EndpointMention) -> list[str]:
    return [p.lower() for p in mention.path.split("/") if p and not p.startswith("{")]


def _collection_of(mention: EndpointMention, noun: str) -> bool:
    """Whether the endpoint's last collection names ``noun`` (``reservation`` → reservations)."""
    statics = _static_segments(mention)
    last = statics[-1].replace("-", "_") if statics else ""
    return bool(last) and (last == noun or last.rstrip("s") == noun.rstrip("s"))


def _target(sentence: str, mentions: list[EndpointMention]) -> EndpointMention | None:
    """The endpoint a sentence without a path speaks of, when its words say which."""
    words = sentence.split()
    bare = re.findall(r"\b(GET|POST|PUT|PATCH|DELETE)\b", sentence)
    if bare:
        same = [m for m in mentions if m.method == bare[0]]
        if len(same) == 1:
            return same[0]
    stems = _stems(words[0]) if words else []
    noun = _noun_after(words, 1) if stems else None
    if stems:
        for mention in mentions:
            if _static_segments(mention)[-1:] and _static_segments(mention)[-1] in stems:
                return mention
        for mention in mentions:
            first = mention.summary.split(" ", 1)[0].lower()
            if first in stems and mention.method != "GET":
                return mention
        verb = next((s for s in stems if s in _CREATE_VERBS | _DELETE_VERBS | _UPDATE_VERBS), None)
        if verb is not None and noun is not None:
            return _by_verb(verb, noun, mentions)
    if words and words[0].lower() in ("a", "an"):
        noun = _noun_after(words, 1)
        if noun is not None:
            return _by_verb("create", noun, mentions)
    return None


def _by_verb(verb: str, noun: str, mentions: list[EndpointMention]) -> EndpointMention | None:
    for mention in mentions:
        if not _collection_of(mention, noun) and not (
            mention.path.endswith("}") and _collection_of(_parent(mention), noun)
        ):
            continue
        item = mention.path.endswith("}")
        if verb in _CREATE_VERBS and mention.method == "POST" and not item:
            return mention
        if verb in _DELETE_VERBS and mention.method == "DELETE" and item:
            return mention
        if verb in _UPDATE_VERBS and mention.method in ("PATCH", "PUT") and item:
            return mention
    return None


def _parent(mention: EndpointMention) -> EndpointMention:
    path = mention.path.rsplit("/", 1)[0] or "/"
    return EndpointMention(mention.method, path, mention.location)


def _siblings(last: EndpointMention, others: list[EndpointMention]) -> list[EndpointMention]:
    """Actions on the same item named together (``.../accept``, ``.../decline``)."""
    parent = last.path.rsplit("/", 1)[0]
    return [m for m in others if m.method == last.method and m.path.rsplit("/", 1)[0] == parent]


def _parameter_table(block: Block) -> list[tuple[str, str]]:
    """``(name, what is said of it)`` for each row of a table of query parameters."""
    headers = [plain(c).lower() for c in block.rows[0].cells]
    name_at = _column(headers, ("parameter", "param", "query parameter", "name", "filter"))
    if name_at is None or (headers[name_at] == "name" and "type" not in headers):
        return []
    rows = []
    for row in block.rows[1:]:
        if name_at < len(row.cells):
            name = plain(row.cells[name_at]).strip("?&= ")
            if re.fullmatch(r"[A-Za-z_][\w\[\].]*", name):
                others = [c for i, c in enumerate(row.cells) if i != name_at]
                rows.append((name, " ".join(others)))
    return rows


def _is_error_body(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    keys = {k.lower() for k in data}
    return ({"title", "status"} <= keys) or ({"error"} == keys) or ({"code", "message"} <= keys)


def _role(data: Any, before: str, mention: EndpointMention) -> tuple[str, int | None]:
    """What a JSON example is, from the words just before it and its shape."""
    words = before.lower()
    status = _status_in(before)
    if _is_error_body(data) or (status is not None and status >= 400):
        return "error", status
    if "request" in words or "body:" in words or "payload" in words or "send" in words:
        return "request", None
    if "response" in words or "return" in words or status is not None:
        return "response", status
    if mention.method in ("POST", "PUT", "PATCH") and mention.example("request") is None:
        return "request", None
    return "response", status


def find_endpoints(blocks: list[Block]) -> list[EndpointMention]:
    """Every endpoint the blocks name (first mention kept), with their JSON examples."""
    by_key: dict[tuple[str, str], EndpointMention] = {}
    order: list[EndpointMention] = []

    def known(mention: EndpointMention) -> EndpointMention:
        key = (mention.method, mention.path)
        if key not in by_key:
            by_key[key] = mention
            order.append(mention)
            return mention
        first = by_key[key]
        first.summary = first.summary or mention.summary
        first.query = list(dict.fromkeys([*first.query, *mention.query]))
        first.status = first.status or mention.status
        first.statuses = list(dict.fromkeys([*first.statuses, *mention.statuses]))
        first.notes = {**mention.notes, **first.notes}
        first.media = first.media or mention.media
        first.public = first.public or mention.public
        first.field_notes = {**mention.field_notes, **first.field_notes}
        return first

    current: EndpointMention | None = None
    current_level = 0  # the level of the section the current endpoint was named in
    section_level = 0
    previous_text = ""
    #: Sentences that name no endpoint, with the endpoint being described when they came.
    orphans: list[tuple[str, EndpointMention | None]] = []

    def read(text: str, mention: EndpointMention) -> None:
        """The mention's own sentence is about it; later sentences may be about another."""
        said = sentences(text)
        if said:
            mention.learn(said[0])
        orphans.extend((sentence, mention) for sentence in said[1:])

    for block in blocks:
        if block.kind == "heading":
            section_level = block.level
            named = _from_text(block)
            mentions = [known(m) for m, _ in named]
            if len(mentions) == 1:
                current, current_level = mentions[0], block.level
            elif current is not None and block.level <= current_level:
                current = None
            previous_text = ""
        elif block.kind == "table":
            table_mentions = _from_table(block)
            for mention in table_mentions:
                known(mention)
            if not table_mentions and current is not None:
                for name, said in _parameter_table(block):
                    if name not in current.query:
                        current.query.append(name)
                    current.notes[name] = said
        elif block.kind == "paragraph":
            named = _from_text(block)
            mentions = [known(m) for m, _ in named]
            for mention, (_, tail) in zip(mentions, named, strict=True):
                read(tail, mention)
            if len(mentions) > 1 and sentences(named[-1][1]):
                shared = sentences(named[-1][1])[0]
                for sibling in _siblings(mentions[-1], mentions[:-1]):
                    sibling.learn(shared)
            if not named:
                orphans.extend((sentence, current) for sentence in sentences(block.text))
            if len(mentions) == 1:
                current, current_level = mentions[0], section_level
            previous_text = block.text
        elif block.kind == "code" and current is not None:
            data = _json(block)
            if data is not None:
                role, status = _role(data, previous_text, current)
                current.examples.append(
                    Example(data, role, Location(block.file, block.line, 1), status)
                )
            previous_text = ""
    for sentence, near in orphans:
        if not (
            statuses_in(sentence)
            or _filters_in(sentence)
            or _SAID.search(sentence)
            or _FIELD_SAID.search(sentence)
        ):
            continue
        target = _target(sentence, order) or near
        if target is not None:
            target.learn(sentence)
    return order


def _json(block: Block) -> Any:
    if block.language not in ("json", "jsonc", "json5", ""):
        return None
    text = block.text.strip()
    if not text.startswith(("{", "[")):
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None
