"""Pass 12c: upserts, writes of the record a unique field names, made when there is none.

Runs once the tables and their keys are known. An operation is an upsert when x-pact says
so (``upsert: {by: email, existing: keep}``), or when its shape does:

* ``PUT /tags/{name}`` answering both 200 and 201, where ``{name}`` is a key the client
  chooses (a natural key, or a string id no request leaves to the server): the body is
  stored under that key, made (201) or replacing the stored record (200);
* ``POST /subscribers`` answering both 201 and 200 with the record, whose body has exactly
  one unique field: a duplicate answers the stored record (200), unchanged.

Not inferred, and a stub when x-pact asks for it, on a nested path or an owned resource
(the key would have to be unique per parent or per owner).

Example::

    kinds, found_upserts = upserts(env, kinds, found)
    found_upserts["PUT /tags/{name}"].column, found_upserts["PUT /tags/{name}"].existing
    # ("name", "update")
"""

from __future__ import annotations

from pactcoder.ir.model import Column, Kind, Resource, Source, Upsert
from pactcoder.ir.names import attribute
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.operations import Kinds
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.paths import operation_shape, record_body
from pactcoder.ir.schemas import flatten, unwrap
from pactcoder.oas.model import Operation


def upserts(env: Env, kinds: Kinds, found: Resources) -> tuple[Kinds, dict[str, Upsert]]:
    """``kinds`` with each upsert's kind UPSERT, and each upsert by its operation's key."""
    changed: Kinds = []
    made: dict[str, Upsert] = {}
    for op, kind in kinds:
        upsert = _upsert_of(env, found, op, kind)
        if upsert is not None:
            made[op.key] = upsert
            kind = Kind.UPSERT
        changed.append((op, kind))
    return changed, made


def _upsert_of(env: Env, found: Resources, op: Operation, kind: Kind) -> Upsert | None:
    pact = op.pact.upsert
    if pact is None and kind not in (Kind.REPLACE, Kind.CREATE):
        return None
    where = f"x-pact upsert on {op.key}"
    shape = operation_shape(op)
    resource = found.for_group(shape.group)
    if kind not in (Kind.REPLACE, Kind.CREATE) or resource is None:
        if pact is not None:
            env.problems.error(
                f"{where}, which is not a PUT of a record nor a POST to a collection",
                hint="put upsert on PUT /tags/{name} or POST /subscribers",
                at=op.location,
            )
        return None
    codes = {code for code in op.responses if code.isdigit()}
    if pact is None and not {"200", "201"} <= codes:
        return None
    if shape.parents or resource.owned:
        if pact is not None:
            env.not_implemented(
                op.key,
                "an upsert on a nested path or of an owned record (its key unique per"
                " parent or per owner) is not supported yet",
            )
        return None
    existing = (pact.existing if pact else None) or ("update" if kind is Kind.REPLACE else "keep")
    if kind is Kind.REPLACE:
        return _by_path(env, resource, op, pact.by if pact else None, existing, where)
    return _by_body(env, resource, op, pact.by if pact else None, existing, where)


def _client_column(resource: Resource, name: str) -> Column | None:
    return next(
        (c for c in resource.table.columns if c.api_name == name and c.source is Source.CLIENT),
        None,
    )


def _by_path(
    env: Env, resource: Resource, op: Operation, by: str | None, existing: str, where: str
) -> Upsert | None:
    """``PUT /tags/{name}``: the path's key, a field the client chooses."""
    param = operation_shape(op).item_param
    column = _client_column(resource, by or param or "")
    if column is None or (by is not None and by != param):
        if op.pact.upsert is not None:
            env.problems.error(
                f"{where}: the path's {{{param}}} is not a field the client chooses"
                + (f" (upsert names '{by}')" if by and by != param else ""),
                hint="an upsert's key is a unique field clients send, named in the path",
                at=op.location,
            )
        return None
    _unique(column)
    evidence = "x-pact upsert" if op.pact.upsert else f"PUT by {{{param}}} answering 200 and 201"
    return Upsert(column.attr, column.api_name, existing, attribute(param or ""), evidence)


def _by_body(
    env: Env, resource: Resource, op: Operation, by: str | None, existing: str, where: str
) -> Upsert | None:
    """``POST /subscribers``: the body's one unique field (or the one x-pact names)."""
    body = record_body(op)
    sent = flatten(unwrap(body)[0]).properties if body is not None else {}
    candidates = (
        [by] if by else [n for n in sent if (c := _client_column(resource, n)) and c.unique]
    )
    column = _client_column(resource, candidates[0]) if len(candidates) == 1 else None
    if column is None or column.api_name not in sent:
        if op.pact.upsert is not None:
            env.problems.error(
                f"{where}: "
                + (f"the body has no field '{by}'" if by else "the body has no one unique field"),
                hint="name it: upsert: {by: <a field of the body>}",
                at=op.location,
            )
        return None
    _unique(column)
    evidence = (
        "x-pact upsert"
        if op.pact.upsert
        else f"POST answering 200 and 201, unique by '{column.api_name}'"
    )
    return Upsert(column.attr, column.api_name, existing, None, evidence)


def _unique(column: Column) -> None:
    if not column.unique:
        column.unique = True
        column.notes.append("unique: an upsert finds the record by it")
