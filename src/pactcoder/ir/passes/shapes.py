"""What a list response looks like: its items, and the roles of the properties beside them.

Example::

    found = envelope(schema)       # {"items": [...], "total": 3}
    found.items_key, found.meta    # "items", {"total": "total"}
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pactcoder.ir.names import singular, snake
from pactcoder.ir.schemas import flatten, is_object, property_pact, unwrap
from pactcoder.oas.model import Schema

LIMIT = {"limit", "max_results", "top", "take"}
OFFSET = {"offset", "skip", "start"}
PAGE = {"page", "page_number", "page_no", "page_index"}


@dataclass
class Envelope:
    """A list response: its items schema and, for an object, the roles of its properties."""

    items: Schema
    wrapper: Schema | None = None
    items_key: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    #: For a property whose role is "group" (lago's ``meta: {current_page, total_count}``):
    #: the roles of its own properties, "unknown" for those no name explains.
    groups: dict[str, dict[str, str]] = field(default_factory=dict)


def envelope(schema: Schema) -> Envelope | None:
    """The list in a response: a bare array, or an object holding exactly one array."""
    target, _ = unwrap(schema)
    if target.type == "array" and target.items is not None:
        return Envelope(items=target.items)
    if not is_object(target):
        return None
    shape = flatten(target)
    arrays = {
        name: prop
        for name, prop in shape.properties.items()
        if unwrap(prop)[0].type == "array" and unwrap(prop)[0].items is not None
    }
    if len(arrays) != 1:
        return None
    key, prop = next(iter(arrays.items()))
    items = unwrap(prop)[0].items
    assert items is not None
    found = Envelope(items=items, wrapper=target, items_key=key)
    for name in shape.properties:
        if name != key:
            own_count = snake(name) in (f"{snake(key)}_count", f"{singular(snake(key))}_count")
            found.meta[name] = "total" if own_count else _role(name, shape.properties[name])
            if found.meta[name] == "unknown":
                roles = _group_roles(shape.properties[name])
                if roles is not None:
                    found.meta[name], found.groups[name] = "group", roles
    return found


def _group_roles(schema: Schema) -> dict[str, str] | None:
    """The paging roles of an object beside the items (``meta: {current_page, next_page,
    total_count}``): each property's role, when at least one is paging by numbers and every
    one the object requires is; None for any other object."""
    target, _ = unwrap(schema)
    if not is_object(target):
        return None
    shape = flatten(target)
    roles = {name: _role(name, prop) for name, prop in shape.properties.items()}
    if set(roles.values()) <= {"unknown"} or "next_cursor" in roles.values():
        return None  # a cursor inside an object is not read (the list would not page by it)
    if any(roles[name] == "unknown" for name in shape.required if name in roles):
        return None
    return roles


def _role(name: str, schema: Schema) -> str:
    """What a property beside the items holds: what ``x-pact: {paging: ...}`` says, else
    what its name says (the numbers of the next and previous pages only when integers:
    a ``next_page`` string is a link, which nothing here makes)."""
    said = property_pact(schema).paging
    if said is not None:
        return said
    role = _meta_role(name)
    if role in ("next_page", "prev_page") and unwrap(schema)[0].type != "integer":
        return "unknown"
    return role


def _meta_role(name: str) -> str:
    key = snake(name)
    if key in {"total", "total_count", "count", "total_items", "total_elements", "items_count"}:
        return "total"
    if key in PAGE | {"current_page"}:
        return "page"
    if key in {"size", "page_size", "per_page"}:
        return "size"
    if key in LIMIT:
        return "limit"
    if key in OFFSET:
        return "offset"
    if key in {"pages", "total_pages", "page_count"}:
        return "pages"
    if key in {"next_cursor", "next", "next_page_token", "cursor", "continuation"}:
        return "next_cursor"
    if key in {"next_page", "next_page_number"}:
        return "next_page"
    if key in {"prev_page", "previous_page", "prev_page_number", "previous_page_number"}:
        return "prev_page"
    return "unknown"
