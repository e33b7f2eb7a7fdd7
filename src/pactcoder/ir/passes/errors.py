"""Pass 14: the body of error responses, per status, and the status of invalid requests.

The most used error schema of each status gives its format; each property gets the
role it plays (status, title, detail, errors...), read from its name and type.

Example::

    found = errors(env)
    found.default.media_type, found.default.roles     # "application/problem+json", {...}
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from pactcoder.ir.model import Direction, ErrorFormat
from pactcoder.ir.names import snake
from pactcoder.ir.passes.env import Env
from pactcoder.ir.schemas import ObjectShape, flatten, is_object, property_pact, unwrap
from pactcoder.oas.model import Document, Schema


@dataclass(frozen=True)
class Errors:
    """Error formats by status (those unlike the default), and the default."""

    formats: dict[int, ErrorFormat]
    default: ErrorFormat
    #: "METHOD /path" → response key → format, where an operation's own differs.
    overrides: dict[str, dict[str, ErrorFormat]]


def errors(env: Env) -> Errors:
    """Each error status's body format, and the most used one as the default."""
    by_status: dict[int, list[tuple[str, Schema | None]]] = {}
    for op in env.doc.operations:
        for code, response in op.responses.items():
            if not (code.isdigit() and code[0] in "45") and code != "default":
                continue
            status = int(code) if code.isdigit() else 0
            entry = next(iter(response.content.values()), None) if response.content else None
            media = next(iter(response.content), "application/problem+json")
            by_status.setdefault(status, []).append((media, entry.schema if entry else None))
    formats: dict[int, ErrorFormat] = {}
    cache: dict[tuple[str, int], ErrorFormat] = {}
    for status, uses in sorted(by_status.items()):
        media, schema = (
            Counter((m, s) for m, s in uses if s is not None).most_common(1)[0][0]
            if any(s for _, s in uses)
            else (uses[0][0], None)
        )
        key = (media, id(schema))
        if key not in cache:
            cache[key] = _error_format(env, media, schema)
        formats[status] = cache[key]
    counts = Counter(id(f) for f in formats.values())
    if counts:
        common = counts.most_common(1)[0][0]
        default = next(f for f in formats.values() if id(f) == common)
    else:
        default = _error_format(env, "application/problem+json", None)
    overrides = _overrides(env, formats, default, cache)
    formats = {s: f for s, f in formats.items() if f is not default and s}
    return Errors(formats, default, overrides)


def _overrides(
    env: Env,
    formats: dict[int, ErrorFormat],
    default: ErrorFormat,
    cache: dict[tuple[str, int], ErrorFormat],
) -> dict[str, dict[str, ErrorFormat]]:
    """Each operation's error formats that differ from the service-wide ones of their status:
    an error answered by that operation follows its own declared schema."""
    overrides: dict[str, dict[str, ErrorFormat]] = {}
    # An operation's `default` stands for every status it does not declare: it matters
    # where some status has a service-wide format other than the default one.
    uniform = all(f is default for f in formats.values())
    for op in env.doc.operations:
        own: dict[str, ErrorFormat] = {}
        for code, response in op.responses.items():
            if not (code.isdigit() and code[0] in "45") and code != "default":
                continue
            entry = next(iter(response.content.values()), None) if response.content else None
            media = next(iter(response.content), "application/problem+json")
            schema = entry.schema if entry else None
            key = (media, id(schema))
            if key not in cache:
                cache[key] = _error_format(env, media, schema)
            general = formats.get(int(code), default) if code.isdigit() else default
            if cache[key] is not general or (code == "default" and not uniform):
                own[code] = cache[key]
        if own:
            overrides[f"{op.method.upper()} {op.path}"] = own
    return overrides


def _error_format(env: Env, media: str, schema: Schema | None) -> ErrorFormat:
    if schema is None:
        return ErrorFormat(
            media_type="application/problem+json",
            model=None,
            roles={
                "type": "type",
                "title": "title",
                "status": "status",
                "detail": "detail",
                "instance": "instance",
            },
            item_roles={"detail": "detail", "pointer": "pointer", "parameter": "parameter"},
        )
    if unwrap(schema)[0].type == "string":
        return ErrorFormat(media, None, {}, text=True)  # `"Not found."`: the message itself
    model = env.models.model_for(schema, Direction.RESPONSE, context="Error")
    fmt = _object_format(env, unwrap(schema)[0], schema, depth=0)
    return ErrorFormat(media, model, fmt.roles, fmt.item_roles, fmt.constants, fmt.nested)


def _object_format(env: Env, target: Schema, at: Schema, depth: int) -> ErrorFormat:
    """The roles of an error object's properties; object properties are built the same way
    (`{"error": {"code": ..., "message": ...}}`), down to a few levels."""
    shape = flatten(target)
    fmt = ErrorFormat("", None, {})
    chosen = _chosen_messages(shape)
    for name, prop in shape.properties.items():
        target, traits = unwrap(prop)
        role = _messages_role(target) if name == chosen else _error_role(name, target)
        if role == "errors" and target.items is not None:
            items = flatten(unwrap(target.items)[0]).properties
            if not items:
                role = "messages"  # an array of strings
            for item_name in items:
                fmt.item_roles[item_name] = _error_item_role(item_name)
        if role == "unknown" and is_object(target) and depth < _DEPTH:
            inner = _object_format(env, target, at, depth + 1)
            if inner.roles or inner.constants or inner.nested or name in shape.required:
                fmt.nested[name] = inner
                fmt.item_roles.update(inner.item_roles)
            continue
        if role == "unknown":
            if target.enum and len(target.enum) == 1:
                fmt.constants[name] = target.enum[0]
                continue
            if traits.has_default:
                fmt.constants[name] = traits.default
                continue
            if name in shape.required:
                env.problems.warning(
                    f"error schema property '{name}' has no meaning pactcoder knows;"
                    " it is sent empty",
                    hint="name it after what it holds (status, title, detail, message, code),"
                    " or mark the property holding the messages with x-pact: {error-messages:"
                    " true}",
                    at=at.location,
                )
                fmt.constants[name] = _empty(target)
            continue
        fmt.roles[name] = role
    return fmt


#: How deep error objects nest (`{"error": {"details": {...}}}`) before the rest is left out.
_DEPTH = 3
#: Names of an array of strings that holds the messages, inside an error object.
_MESSAGE_LISTS = {"errors", "messages", "details", "body", "violations"}


def _chosen_messages(shape: ObjectShape) -> str | None:
    """The property x-pact marks as holding the messages (error-messages: true), if any."""
    return next(
        (name for name, prop in shape.properties.items() if property_pact(prop).error_messages),
        None,
    )


def _messages_role(target: Schema) -> str:
    """The role of the property chosen to hold the messages, by its type."""
    if target.type == "array":
        items = unwrap(target.items)[0] if target.items is not None else None
        return "errors" if items is not None and is_object(items) else "messages"
    if target.type == "object":
        return "error_map"
    return "detail"


def _empty(target: Schema) -> Any:
    """The empty value of a property nothing fills (the contract requires it)."""
    return {"string": "", "array": [], "object": {}, "boolean": False}.get(
        target.type or "", 0 if target.type in ("integer", "number") else None
    )


def validation_status(doc: Document) -> int:
    """422, unless the contract documents 400 for more operations than 422."""
    declared = Counter(
        code for op in doc.operations for code in op.responses if code in ("400", "422")
    )
    if declared["400"] > declared["422"]:
        return 400
    return 422


def _error_role(name: str, target: Schema) -> str:
    key = snake(name)
    if target.type == "integer" and key in {"status", "code", "status_code", "http_status"}:
        return "status"
    if target.type == "array" and key in {"errors", "details", "violations", "invalid_params"}:
        return "errors"
    if (
        target.type == "array"
        and key in _MESSAGE_LISTS
        and target.items is not None
        and unwrap(target.items)[0].type == "string"
    ):
        return "messages"  # `{"errors": {"body": ["..."]}}`
    if (
        target.type == "object"
        and not target.properties
        and isinstance(target.additional_properties, Schema)
        and unwrap(target.additional_properties)[0].type == "array"
        and key in {"errors", "details", "violations", "messages"}
    ):
        return "error_map"  # `{"errors": {"title": ["can't be blank"]}}`
    if target.type not in (None, "string"):
        return "unknown"
    if key == "type":
        return "type"
    if key == "title":
        return "title"
    if key in {"detail", "message", "description", "error_description", "msg", "reason"}:
        return "detail"
    if key in {"instance", "path"}:
        return "instance"
    if key in {"code", "error", "error_code", "error_type"}:
        return "code"
    if key in {"timestamp", "time"}:
        return "timestamp"
    if key in {"request_id", "trace_id", "correlation_id"}:
        return "request_id"
    return "unknown"


def _error_item_role(name: str) -> str:
    key = snake(name)
    if key in {"detail", "message", "msg", "reason", "description"}:
        return "detail"
    if key == "pointer":
        return "pointer"
    if key in {"parameter", "param"}:
        return "parameter"
    if key in {"field", "path", "location", "loc", "name"}:
        return "field"
    return "unknown"
