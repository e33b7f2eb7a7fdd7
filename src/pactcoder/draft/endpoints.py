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
        found.append(mention)
    return found


def _from_text(block: Block) -> list[EndpointMention]:
    text = block.text
    found = []
    for hit in _MENTION.finditer(text):
        normal, query = normalise_path(hit["path"])
        after = text[hit.end() :].split("\n", 1)[0]
        found.append(
            EndpointMention(
                hit["method"],
                normal,
                Location(block.file, block.line + text.count("\n", 0, hit.start()), 1),
                summary=_summary(after) if not _MENTION.search(after) else "",
                query=query,
            )
        )
    return found


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
        return first

    current: EndpointMention | None = None
    current_level = 0  # the level of the section the current endpoint was named in
    section_level = 0
    previous_text = ""
    for block in blocks:
        if block.kind == "heading":
            section_level = block.level
            mentions = [known(m) for m in _from_text(block)]
            if len(mentions) == 1:
                current, current_level = mentions[0], block.level
            elif current is not None and block.level <= current_level:
                current = None
            previous_text = ""
        elif block.kind == "table":
            for mention in _from_table(block):
                known(mention)
        elif block.kind == "paragraph":
            mentions = [known(m) for m in _from_text(block)]
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
