"""What paths and operations look like: collections, items, parents, bodies.

``/members/{memberId}/loans`` is the collection ``loans`` under the item
``{memberId}`` of ``members``; an operation's body and success response are
read inside their envelope (``{"article": {...}}``). :mod:`.infer` and
:mod:`.domain` group operations by these shapes.

Example::

    shape = path_shape("/members/{memberId}/loans")
    shape.collection, shape.parents      # "loans", [("members", "memberId")]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pactcoder.ir.model import FORM_MEDIA
from pactcoder.ir.schemas import flatten, is_object, record_envelope, singleton, unwrap
from pactcoder.oas.model import MediaType, Operation, RequestBody, Response, Schema

_PARAM = re.compile(r"\{[^{}]+\}")


@dataclass
class PathShape:
    """What a path looks like: its collection, item parameter and parents."""

    collection: str | None
    item_param: str | None
    parents: list[tuple[str, str]]
    prefix: list[str]
    rest: list[str] = field(default_factory=list)

    @property
    def group(self) -> str:
        return "/".join([*(f"{c}/{{{p}}}" for c, p in self.parents), self.collection or ""])


def path_shape(path: str) -> PathShape:
    segments = [s for s in path.split("/") if s]
    if any("{" in s and not _PARAM.fullmatch(s) for s in segments):
        # `/users/{user}:getStats`, `/files/{name}.json`: a parameter inside a segment
        # names a custom method or a format, not an item of a collection.
        return PathShape(None, None, [], [], segments)
    pairs: list[tuple[str, str | None]] = []
    prefix: list[str] = []
    index = 0
    while index < len(segments):
        segment = segments[index]
        if segment.startswith("{"):
            return PathShape(None, None, [], prefix, segments)  # two params in a row, or leading
        following = segments[index + 1] if index + 1 < len(segments) else None
        if following is not None and not following.startswith("{"):
            if not pairs:
                prefix.append(segment)  # `/api/v1/books`: namespace segments
                index += 1
                continue
            pairs.append((segment, None))
            index += 1
            if index < len(segments):
                return PathShape(None, None, [], prefix, segments)
            continue
        param = following[1:-1] if following else None
        pairs.append((segment, param))
        index += 2
    if not pairs or any(p is None for _, p in pairs[:-1]):
        return PathShape(None, None, [], prefix, segments)
    parents = [(c, p) for c, p in pairs[:-1] if p is not None]
    collection, item = pairs[-1]
    return PathShape(collection, item, parents, prefix)


#: A last segment, or custom method, naming a bulk create on the collection before it:
#: ``POST /items/bulk``, ``/items/batch``, ``/items/bulk-create``, ``/items:batchCreate``.
_BULK_CREATE = re.compile(
    r"(?:/_?|:)(?:bulk|batch)(?:[-_]?create)?$|(?:/|:)create[-_]?many$", re.IGNORECASE
)


def bulk_path(operation: Operation) -> str | None:
    """The collection path of a bulk create at a path of its own (``POST /items/bulk``,
    ``POST /items:batchCreate`` with an array of records): the path without its bulk
    segment; None for any other operation."""
    found = _BULK_CREATE.search(operation.path)
    if operation.method != "post" or found is None or found.start() == 0:
        return None
    if bulk_items(body_schema(operation)) is None:
        return None
    return operation.path[: found.start()]


def operation_shape(operation: Operation) -> PathShape:
    """The shape of an operation's path, as the collection it acts on: a bulk create at
    ``/items/bulk`` is on ``/items``."""
    return path_shape(bulk_path(operation) or operation.path)


def success(operation: Operation) -> tuple[int, Response] | None:
    for status in sorted(operation.responses):
        if status.isdigit() and status.startswith("2"):
            return int(status), operation.responses[status]
    return None


def body_schema(operation: Operation) -> Schema | None:
    """The schema of the request body, inside its envelope (``{"article": {...}}``): the
    JSON body's, else the fields of a form body the service reads."""
    entry = body_entry(operation)
    return inside(entry.schema) if entry else None


def body_entry(operation: Operation) -> MediaType | None:
    """The media type entry the request body is read as: its JSON, else the first form
    (urlencoded or multipart) of plain fields."""
    body = operation.request_body
    if body is None:
        return None
    found = body.json()
    if found is not None:
        return found
    forms = form_entries(body)
    return next((e for e in forms.values() if form_problem(e.schema) is None), None)


def media_base(media_type: str) -> str:
    """``multipart/form-data`` of ``multipart/form-data; boundary=x``."""
    return media_type.partition(";")[0].strip().lower()


def form_entries(body: RequestBody) -> dict[str, MediaType]:
    """The form entries of a request body (urlencoded, multipart), by base media type."""
    found: dict[str, MediaType] = {}
    for media_type, entry in body.content.items():
        base = media_base(media_type)
        if base in FORM_MEDIA:
            found.setdefault(base, entry)
    return found


def form_problem(schema: Schema | None) -> str | None:
    """Why a form body of ``schema`` cannot be read as fields (None when it can): a form
    carries an object of plain values and lists of them, not nested objects or files."""
    if schema is None:
        return None
    target = unwrap(schema)[0]
    if not is_object(target):
        return "a form body that is not an object of fields"
    for name, prop in flatten(target).properties.items():
        value = unwrap(prop)[0]
        if value.type == "array" and value.items is not None:
            value = unwrap(value.items)[0]
        if value.format in ("binary", "base64", "byte") and value.type in ("string", None):
            file = f"form field {name!r} is a file (format: {value.format})"
            return file + (
                "; a file is stored only by an upload: a POST to a collection answered by"
                " the file's record (x-pact upload)"
            )
        if is_object(value) or value.type == "object" or value.type == "array":
            return (
                f"form field {name!r} is an object or a nested list, which form fields cannot carry"
            )
    return None


def record_body(operation: Operation) -> Schema | None:
    """The request body's schema of one record: the items of an array body (a bulk
    create, ``POST /pets`` with ``[{...}, {...}]``), else the body itself."""
    body = body_schema(operation)
    items = bulk_items(body)
    return items if items is not None else body


def bulk_items(schema: Schema | None) -> Schema | None:
    """The object items of an array schema (``[{...}]``), or None."""
    if schema is None:
        return None
    target = unwrap(schema)[0]
    if target.type != "array" or target.items is None:
        return None
    items = unwrap(target.items)[0]
    return target.items if items.type == "object" or items.properties else None


def response_schema(operation: Operation) -> Schema | None:
    """The schema of the success response's JSON body, inside its envelope."""
    found = success(operation)
    entry = found[1].json() if found else None
    return inside(entry.schema) if entry else None


def inside(schema: Schema | None) -> Schema | None:
    """The record a response answers: inside ``{"article": {...}}`` or inside an envelope
    of a status and the record (``{"status_code": 200, "data": {...}}``)."""
    if schema is None:
        return None
    wrapped = singleton(schema) or record_envelope(schema)
    return wrapped[1] if wrapped else schema
