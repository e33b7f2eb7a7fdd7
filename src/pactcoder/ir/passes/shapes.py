"""What a list response looks like: its items, and the roles of the properties beside them.

Example::

    found = envelope(schema)       # {"items": [...], "total": 3}
    found.items_key, found.meta    # "items", {"total": "total"}
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pactcoder.ir.names import singular, snake
from pactcoder.ir.schemas import flatten, is_object, unwrap
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
            found.meta[name] = "total" if own_count else _meta_role(name)
    return found


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
    return "unknown"
