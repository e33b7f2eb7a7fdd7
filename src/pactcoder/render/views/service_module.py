"""One resource's generated service, ``app/services/generated/<resource>.py``, decided.

``service_module(resource, view)`` makes every choice the file needs: one
:class:`Op` per operation (its template under ``app/services/generated/ops/``,
named by its kind, and the values that template pastes), the job methods, the
rules and the helper methods the operations use. The templates only spell it.

Example::

    module = service_module(view.resources[0], view)
    [op.template for op in module.ops]   # ['.../ops/list.py.jinja', '.../ops/create.py.jinja', ...]
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from pactcoder.english import article
from pactcoder.ir.model import Endpoint, Kind, Param, ParamIn, ParamRole
from pactcoder.render.spell import docwrap
from pactcoder.render.types import python_type
from pactcoder.render.views import aggregates
from pactcoder.render.views.cases import ServiceView
from pactcoder.render.views.expiry import answers_gone
from pactcoder.render.views.job_work import JobWork, job_work
from pactcoder.render.views.resource import ResourceView
from pactcoder.render.views.rules import RulesPlan, rules_plan
from pactcoder.render.views.service_ops import (
    ActionOp,
    AggregateOp,
    BulkOp,
    ChangeOp,
    CountedReadOp,
    CounterOp,
    CreateOp,
    DeleteOp,
    DistinctOp,
    DownloadOp,
    JobOp,
    ListOp,
    Op,
    RelateOp,
    UpsertOp,
)

_OPS = "app/services/generated/ops/"
#: The arguments every operation has (see Op), handed on to the kind's own dataclass.
_Common = dict[str, Any]


@dataclass
class ServiceModule:
    """Everything ``app/services/generated/<resource>.py`` says, decided."""

    doc: str
    error_imports: str
    ops: list[Op]
    jobs: list[JobWork]
    #: What ``_apply_rules`` and ``_give_back`` do (x-pact rules), or None.
    rules: RulesPlan | None
    #: The caller's key as the owner column's type, when records are owned.
    owner_key: str | None
    #: The caller's key as the accounts' key type.
    viewer_key: str
    #: The role that sees and changes every record (a Python literal), or None.
    admin_role: str | None
    #: Some operation checks If-Match.
    checks_version: bool
    #: ``from decimal import Decimal``: the rules sum fields.
    sums: bool
    files: bool  # its records are uploaded files (app/core/storage.py is imported)
    #: (parent, ``, by=...``, what the NotFound names it by) of each parent in the paths.
    parents: list[tuple[ResourceView, str, str]]


def service_module(resource: ResourceView, view: ServiceView) -> ServiceModule:
    """The decisions of ``resource``'s generated service."""
    implemented = [e for e in resource.endpoints if e.implemented]
    rules = resource.resource.rules
    machine = resource.resource.machine
    errors = [
        "BrokenRule, " if rules else "",
        "Conflict, " if machine or (rules and rules.reserves) or resource.has(Kind.COUNTER) else "",
        "FieldError, " if rules else "",
        "Forbidden, " if resource.guards_writes else "",
        "Gone, " if any(answers_gone(resource, e) for e in implemented) else "",
    ]
    return ServiceModule(
        doc=_module_doc(resource, view),
        error_imports="".join(errors),
        ops=[op for e in implemented if not e.kind.is_auth for op in _ops(resource, view, e)],
        jobs=[job_work(resource, e) for e in implemented if e.kind is Kind.JOB],
        rules=rules_plan(resource) if rules else None,
        owner_key=(
            view.principal_key(view.owner_id_type(resource)) if resource.resource.owned else None
        ),
        viewer_key=view.principal_key(view.viewer_type),
        admin_role=repr(view.service.auth.admin_role) if view.service.auth.admin_role else None,
        checks_version=view.resource_uses_if_match(resource),
        sums=bool(rules and rules.sums),
        files=resource.resource.files is not None,
        parents=[(p, resource.parent_by(p), p.resource.lookup or "id") for p in resource.parents],
    )


def _module_doc(resource: ResourceView, view: ServiceView) -> str:
    noun = resource.noun
    operations = ", ".join(e.operation_id for e in resource.endpoints if e.implemented)
    text = (
        f"{resource.service_class}Base implements the {noun.title} operations of the contract:"
        f" {operations}. Rewritten on every build: change behaviour in {resource.service_class}"
        f" (app/services/{resource.module}.py, yours), which the routes use. It uses"
        f" app/repositories/{resource.module}.py{view.parent_repositories(resource)} and returns"
        " schemas of app/schemas. It raises app.core.errors.NotFound when"
        f" {article(noun.title)} does not exist."
    )
    return docwrap(text, 0)


def _ops(resource: ResourceView, view: ServiceView, endpoint: Endpoint) -> list[Op]:
    """The method of ``endpoint``; a bulk create or change is two: the method that makes (or
    changes) every record of the array, in the request's one transaction (all or none), and
    the one making (or changing) one."""
    if not endpoint.bulk:
        return [_op(resource, view, endpoint)]
    request = endpoint.request_model or ""
    item = request.removeprefix("list[").removesuffix("]")
    many = _op(resource, view, endpoint)
    keywords = [p.split(":")[0] for p in _top_level(many.params)[2:] if p != "*"]
    key = ""
    if endpoint.bulk_key is None:
        op = _op(resource, view, endpoint)
        op.params = op.params.replace(f"body: {request}", f"body: {item}", 1)
    else:  # the one-record change, given the key each record carries
        column = next(c for c in resource.table.columns if c.api_name == endpoint.bulk_key)
        model = view.model(item)
        fields = model.fields if model else []
        attr = next((f.name for f in fields if f.alias == endpoint.bulk_key), column.attr)
        key_type = python_type(column.python_type)
        param = Param("key", endpoint.bulk_key, key_type, "", ParamIn.path, column=column.attr)
        param.role = ParamRole.id
        one = replace(endpoint, bulk=False, request_model=item, params=[param, *endpoint.params])
        op = _op(resource, view, one)
        if isinstance(op, ChangeOp):  # the key says which record; it is not changed
            op.dump = op.dump.replace("by_alias=False", f"by_alias=False, exclude={{{attr!r}}}")
        key = f"item.{attr}, "
    bulk = BulkOp(
        template=_OPS + "create_many.py.jinja",
        function=endpoint.function,
        params=many.params,
        returns=f"list[{many.returns}]",
        doc=docwrap(f"{endpoint.summary}: every record of ``body``, or none", 8),
        viewer=False,
        parents=[],
        repo=many.repo,
        read=many.read,
        find_args="",
        one=f"_{endpoint.function}_one",
        key=key,
        call_args="".join(f", {k}={k}" for k in keywords),
    )
    op.function = bulk.one
    op.doc = docwrap(f"One record of {endpoint.function}", 8)
    return [bulk, op]


def _top_level(params: str) -> list[str]:
    """``params`` split at the commas outside brackets."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(params):
        depth += char == "["
        depth -= char == "]"
        if char == "," and depth == 0:
            parts.append(params[start:index].strip())
            start = index + 1
    parts.append(params[start:].strip())
    return parts


def _op(resource: ResourceView, view: ServiceView, endpoint: Endpoint) -> Op:
    id_param = resource.id_param(endpoint)
    uses_viewer = resource.uses_viewer(endpoint)
    find_args = (
        (id_param.name if id_param else "")
        + resource.find_by(endpoint)
        + view.find_scope(resource, endpoint)
        + (", viewer=viewer" if uses_viewer else "")
    )
    common: _Common = {
        "function": endpoint.function,
        "params": view.service_params(resource, endpoint),
        "returns": resource.service_return(endpoint),
        "doc": docwrap(endpoint.summary, 8),
        "viewer": uses_viewer,
        "parents": [
            (p.column or "", resource.parent_for(p).noun.singular, p.name)
            for p in resource.scope_params(endpoint)
        ],
        "repo": f"self.{resource.repository_attr}",
        "read": resource.read_model_of(endpoint),
        "find_args": find_args,
    }
    build = _BUILDERS.get(endpoint.kind)
    if build is None:  # no generated body: the method has only its docstring
        return Op(template=None, **common)
    made = build(resource, view, endpoint, common)
    made.gone = answers_gone(resource, endpoint)
    return made


def _version(endpoint: Endpoint) -> str | None:
    return str(endpoint.if_match == "required") if endpoint.if_match else None


def _list(
    resource: ResourceView, view: ServiceView, endpoint: Endpoint, common: dict[str, Any]
) -> Op:
    cursor = endpoint.param("cursor") is not None
    args = view.search_args(resource, endpoint)
    return ListOp(template=_OPS + "list.py.jinja", args=args, cursor=cursor, **common)


def _distinct(
    resource: ResourceView, view: ServiceView, endpoint: Endpoint, common: dict[str, Any]
) -> Op:
    return DistinctOp(
        template=_OPS + "distinct.py.jinja", value_list=endpoint.distinct or "", **common
    )


def _create(
    resource: ResourceView, view: ServiceView, endpoint: Endpoint, common: dict[str, Any]
) -> Op:
    machine, slug = resource.resource.machine, resource.resource.slug
    return CreateOp(
        template=_OPS + "create.py.jinja",
        values=_create_values(endpoint),
        scope_columns=[(repr(p.column), p.column or "") for p in resource.scope_params(endpoint)],
        owner_id=(
            view.principal_key(view.owner_id_type(resource)) if resource.resource.owned else None
        ),
        machine=(repr(machine.column), repr(machine.initial)) if machine else None,
        slug=(repr(slug.column), repr(slug.source)) if slug else None,
        rules=resource.resource.rules is not None,
        reload=_viewer_arg(resource, endpoint) if resource.loads else None,
        **common,
    )


def _create_values(endpoint: Endpoint) -> str:
    """The values a create stores: the body's, or none when it takes no body (``POST
    /carts``: every field made by the service)."""
    dump = "body.model_dump(by_alias=False)"
    if endpoint.request_model is None:
        return "values: dict[str, object] = {}"
    return (
        "values = " + dump
        if endpoint.request_required
        else f"values = {dump} if body is not None else {{}}"
    )


def _viewer_arg(resource: ResourceView, endpoint: Endpoint) -> str:
    return "viewer" if resource.uses_viewer(endpoint) else "None"


def _read(
    resource: ResourceView, view: ServiceView, endpoint: Endpoint, common: dict[str, Any]
) -> Op:
    if endpoint.counts:  # a redirect counting its hits: one UPDATE adds one
        column = next(c for c in resource.resource.table.columns if c.api_name == endpoint.counts)
        return CountedReadOp(template=_OPS + "read_counted.py.jinja", column=column.attr, **common)
    return Op(template=_OPS + "read.py.jinja", **common)


def _change(
    resource: ResourceView, view: ServiceView, endpoint: Endpoint, common: dict[str, Any]
) -> Op:
    machine, slug = resource.resource.machine, resource.resource.slug
    unset = ", exclude_unset=True" if endpoint.kind is Kind.UPDATE else ""
    optional = "" if endpoint.request_required else " if body is not None else {}"
    return ChangeOp(
        template=_OPS + "change.py.jinja",
        plain=resource.changes_in_one_statement(endpoint),
        guards=resource.guards_writes,
        version=_version(endpoint),
        dump=f"body.model_dump(by_alias=False{unset}){optional}",
        machine_column=repr(machine.column) if machine else None,
        slug=(
            (repr(slug.source), slug.source, repr(slug.column)) if slug and slug.on_update else None
        ),
        reload=_viewer_arg(resource, endpoint) if resource.loads else None,
        **common,
    )


def _delete(
    resource: ResourceView, view: ServiceView, endpoint: Endpoint, common: dict[str, Any]
) -> Op:
    machine = resource.resource.machine
    states = resource.give_back_states
    give_back: bool | tuple[str, str, str] = states is None
    if states and machine is not None:
        give_back = (machine.column, repr(tuple(states)), " or ".join(states))
    froms = machine.delete_from if machine else None
    delete_from = (
        (machine.column, repr(tuple(froms)), " or ".join(froms)) if machine and froms else None
    )
    return DeleteOp(
        template=_OPS + "delete.py.jinja",
        locked=resource.locks,
        guards=resource.guards_writes,
        version=_version(endpoint),
        delete_from=delete_from,
        give_back=give_back,
        noun=resource.noun.title,
        answer=endpoint.answers_deleted,
        file_key=files.key_column if (files := resource.resource.files) else None,
        **common,
    )


def _upload(
    resource: ResourceView, view: ServiceView, endpoint: Endpoint, common: dict[str, Any]
) -> Op:
    files, op = resource.resource.files, _create(resource, view, endpoint, common)
    assert files is not None and isinstance(op, CreateOp)
    op.template = _OPS + "upload.py.jinja"
    op.values = (
        f"values: dict[str, object] = {{{files.key_column!r}: key,"
        f" {files.name_column!r}: body.name, {files.size_column!r}: body.size,"
        f" {files.type_column!r}: body.media_type}}"
    )
    return op


def _download(
    resource: ResourceView, view: ServiceView, endpoint: Endpoint, common: dict[str, Any]
) -> Op:
    files = resource.resource.files
    assert files is not None
    return DownloadOp(
        template=_OPS + "download.py.jinja",
        key=files.key_column,
        name=files.name_column,
        size=files.size_column,
        media_type=files.type_column,
        noun=resource.noun.title,
        **common,
    )


def _action(
    resource: ResourceView, view: ServiceView, endpoint: Endpoint, common: dict[str, Any]
) -> Op:
    machine = resource.resource.machine
    id_param = resource.id_param(endpoint)
    assert machine is not None and endpoint.transition is not None and id_param is not None
    transition = machine.transitions[endpoint.transition]
    return ActionOp(
        template=_OPS + "action.py.jinja",
        scoped=resource.resource.private_reads,
        check_owner=bool(transition.owner and resource.guards_writes),
        key=id_param.name,
        sources=repr(transition.sources),
        values=resource.transition_values(endpoint),
        column=machine.column,
        noun=resource.noun.title,
        transition=transition.name,
        sources_text=" or ".join(transition.sources),
        gives_back=resource.gives_back(transition.name),
        **common,
    )


def _counter(
    resource: ResourceView, view: ServiceView, endpoint: Endpoint, common: dict[str, Any]
) -> Op:
    counter, id_param = endpoint.counter, resource.id_param(endpoint)
    assert counter is not None and id_param is not None
    delta = repr(counter.step) if counter.by is None else f"body.{counter.by}"
    delta = f"-{delta}" if counter.sign < 0 else delta
    low, high = counter.minimum, counter.maximum
    bounds = [
        f"below {low}" if low is not None else "",
        f"above {high}" if high is not None else "",
    ]
    return CounterOp(
        template=_OPS + "counter.py.jinja",
        scoped=resource.resource.private_reads,
        key=id_param.name,
        column=counter.column,
        delta=delta,
        low=repr(low),
        high=repr(high),
        refused=f"The {resource.noun.title}'s {counter.api_name} may not go "
        + " or ".join(b for b in bounds if b)
        + ".",
        **common,
    )


def _upsert(
    resource: ResourceView, view: ServiceView, endpoint: Endpoint, common: dict[str, Any]
) -> Op:
    upsert = endpoint.upsert
    assert upsert is not None
    key = resource.id_param(endpoint) if upsert.path_param else None
    return UpsertOp(
        template=_OPS + "upsert.py.jinja",
        values=_create_values(endpoint).removeprefix("values = "),
        column=upsert.column,
        path_key=key.name if key is not None else None,
        update=upsert.existing == "update",
        **common,
    )


def _aggregate(
    resource: ResourceView, view: ServiceView, endpoint: Endpoint, common: dict[str, Any]
) -> Op:
    spec = endpoint.aggregate
    assert spec is not None
    answered = endpoint.response_model or "int"
    wrapper = (answered, spec.items_key) if spec.items_key else None
    item = aggregates.item_model(endpoint)
    if wrapper is not None:
        model = view.model(answered)
        holder = (
            next((f for f in model.fields if f.alias == spec.items_key), None) if model else None
        )
        item = (holder.annotation if holder else item).removeprefix("list[").removesuffix("]")
    return AggregateOp(
        template=_OPS + "aggregate.py.jinja",
        args=aggregates.repository_args(resource, endpoint),
        shape=spec.shape,
        entries=aggregates.answer_entries(spec),
        item=item,
        wrapper=wrapper,
        **{**common, "returns": answered, "read": item},
    )


def _job(
    resource: ResourceView, view: ServiceView, endpoint: Endpoint, common: dict[str, Any]
) -> Op:
    return JobOp(template=_OPS + "job.py.jinja", id_attr=resource.id.attr, **common)


def _relate(
    resource: ResourceView, view: ServiceView, endpoint: Endpoint, common: dict[str, Any]
) -> Op:
    relation = view.service.relation(endpoint.relation or "")
    return RelateOp(
        template=_OPS + "relate.py.jinja",
        method="relate" if endpoint.kind is Kind.RELATE else "unrelate",
        link=relation.class_name,
        user_column=relation.user_column,
        target_column=relation.target_column,
        id_attr=resource.id.attr,
        **common,
    )


_BUILDERS = {
    Kind.LIST: _list,
    Kind.DISTINCT: _distinct,
    Kind.CREATE: _create,
    Kind.READ: _read,
    Kind.REPLACE: _change,
    Kind.UPDATE: _change,
    Kind.DELETE: _delete,
    Kind.ACTION: _action,
    Kind.JOB: _job,
    Kind.COUNTER: _counter,
    Kind.UPSERT: _upsert,
    Kind.AGGREGATE: _aggregate,
    Kind.UPLOAD: _upload,
    Kind.DOWNLOAD: _download,
    Kind.RELATE: _relate,
    Kind.UNRELATE: _relate,
}
