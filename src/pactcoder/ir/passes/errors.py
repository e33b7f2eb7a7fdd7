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
from pactcoder.ir.schemas import flatten, unwrap
from pactcoder.oas.model import Document, Schema


@dataclass(frozen=True)
class Errors:
    """Error formats by status (those unlike the default), and the default."""

    formats: dict[int, ErrorFormat]
    default: ErrorFormat


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
    formats = {s: f for s, f in formats.items() if f is not default and s}
    return Errors(formats, default)


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
    shape = flatten(unwrap(schema)[0])
    model = env.models.model_for(schema, Direction.RESPONSE, context="Error")
    roles: dict[str, str] = {}
    item_roles: dict[str, str] = {}
    constants: dict[str, Any] = {}
    for name, prop in shape.properties.items():
        target, traits = unwrap(prop)
        role = _error_role(name, target)
        if role == "errors" and target.items is not None:
            for item_name in flatten(unwrap(target.items)[0]).properties:
                item_roles[item_name] = _error_item_role(item_name)
        if role == "unknown":
            if target.enum and len(target.enum) == 1:
                constants[name] = target.enum[0]
                continue
            if traits.has_default:
                constants[name] = traits.default
                continue
            if name in shape.required:
                env.problems.warning(
                    f"error schema property '{name}' has no meaning pactcoder knows;"
                    " it is sent empty",
                    hint="name it after what it holds (status, title, detail, message, code)",
                    at=schema.location,
                )
                constants[name] = "" if target.type == "string" else None
            continue
        roles[name] = role
    return ErrorFormat(media, model, roles, item_roles, constants)


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
