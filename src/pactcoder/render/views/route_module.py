"""One module of routes, ``app/api/routes/<name>.py``, decided.

``route_module(routes, view)`` makes every choice the file needs: one :class:`Route`
per operation, with its signature's parts, its docstring, and the template of its
body under ``app/api/routes/ops/`` named by what the route does (list, create, a
job, ...). The templates only spell it.

Example::

    module = route_module(view.route_modules[0], view)
    [route.template for route in module.routes]   # ['.../ops/list.py.jinja', ...]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pactcoder.ir.model import Endpoint, Kind, Param
from pactcoder.render.spell import docwrap
from pactcoder.render.types import python_type
from pactcoder.render.views.cases import ServiceView
from pactcoder.render.views.media import offered, renders
from pactcoder.render.views.routes import RouteModule
from pactcoder.render.views.stubs import Stub

_OPS = "app/api/routes/ops/"
_JOB_KINDS = (Kind.JOB, Kind.JOB_STATUS)
#: The route bodies answering one record (``route.answer``).
_ANSWERING = ("/create.py.jinja", "/result.py.jinja", "/upsert.py.jinja", "/aggregate.py.jinja")


@dataclass
class Paging:
    """How a list route turns its paging parameters into ``limit`` and ``offset``."""

    #: (parameter, its largest value) of page sizes clamped by the contract.
    clamps: list[tuple[str, int]]
    #: "cursor", "page", "fixed" (no limit parameter), "offset", or "first" (a limit and
    #: nothing to page with: the first page).
    mode: str
    #: Set ``limit = 20`` (a cursor list without a limit parameter).
    default_limit: bool = False
    page: str = ""
    size: str = "20"
    offset: str = ""
    #: The offset of a list without a limit parameter.
    fixed_offset: str = "0"


@dataclass
class Route:
    """One route function: its decorator, signature, docstring and body."""

    endpoint: Endpoint
    template: str
    doc: str
    principal: str | None
    auth_call: str
    #: The route's own rate limit dependency; None when its router counts it.
    rate_call: str | None
    service: bool
    jobs: bool
    form: bool
    #: The body's annotation (and default), or None.
    body: str | None
    if_match: bool
    #: (name, annotation, what reads it: ``Path(...)``/``Query(...)``/a dependency,
    #: `` = default`` or "").
    path_params: list[tuple[str, str, str, str]]
    query_params: list[tuple[str, str, str, str]]
    call_args: str = ""
    #: The dependency answering 415 to a body of a media type the route cannot read.
    media_call: str | None = None
    invalidates: bool = False
    #: The stub of an operation written by hand (app/operations/), which the route calls.
    stub: Stub | None = None
    #: The parameters it is given by dependency injection: its service, the jobs, a session.
    dependencies: list[str] = field(default_factory=list)
    #: A job: its name (a literal), the owner's key (source) and the status URL.
    name: str = ""
    owner: str | None = None
    location: str | None = None
    #: A job's status: the key parameter, and the principal the status is read as.
    key: str = ""
    principal_arg: str | None = None
    #: A list: its paging, whether it is cached, the entries of its envelope.
    paging: Paging | None = None
    cached: bool = False
    envelope: str | None = None
    #: A query's body fields it filters by, bound to local names: (name, source).
    body_values: list[tuple[str, str]] = field(default_factory=list)
    #: The name of a list's encoded answer (not ``body``, a query's request body).
    encoded: str = "body"
    #: What a create or another answering route answers (inside its envelope).
    answer: str = ""
    #: The attribute of a created record its Location header names, or None.
    created_key: str | None = None
    #: Answers other than JSON: the media types chosen from by Accept, and (media type,
    #: the call of app/api/media.py answering it) of each one other than JSON.
    offered: list[str] = field(default_factory=list)
    renders: list[tuple[str, str]] = field(default_factory=list)
    #: The arguments of ``@router.<method>(...)``: its path (under the router's prefix),
    #: and what the router does not already say.
    decorator_args: list[str] = field(default_factory=list)


@dataclass
class RoutesFile:
    """Everything ``app/api/routes/<name>.py`` says, decided."""

    doc: str
    jobs: bool
    #: Whether a route pages a list (app/api/lists.py).
    lists: bool
    #: The arguments of ``APIRouter(...)``: the prefix, tags and rate limit its routes share.
    router_args: list[str]
    routes: list[Route]
    #: The stubs of app/operations/ its routes call.
    stubs: list[Stub]
    #: Some route answers other than JSON (app/api/media.py).
    media: bool = False


def route_module(routes: RouteModule, view: ServiceView) -> RoutesFile:
    """The decisions of one module of routes."""
    jobs = any(e.kind in _JOB_KINDS for e in routes.endpoints)
    made = [_route(routes, view, e) for e in routes.endpoints]
    prefix = _shared_prefix([e.path for e in routes.endpoints])
    tags = {tuple(e.tags) for e in routes.endpoints}
    shared_tags = list(tags.pop()) if len(tags) == 1 else None
    # The rate limit moves to the router only where no route identifies its caller: a
    # router's dependencies run before the route's own, and a signed-in caller is counted
    # per user, which needs the caller first.
    rates = {r.rate_call for r in made}
    shared_rate = rates.pop() if len(rates) == 1 and not any(r.principal for r in made) else None
    router_args = []
    if prefix:
        router_args.append(f"prefix={prefix!r}")
    if shared_tags:
        router_args.append(f"tags={shared_tags!r}")
    if shared_rate:
        router_args.append(f"dependencies=[Depends({shared_rate})]")
    for route in made:
        endpoint = route.endpoint
        args = [repr(endpoint.path.removeprefix(prefix))]
        if endpoint.status_code != 200:
            args.append(f"status_code={endpoint.status_code}")
        args.append(f"operation_id={endpoint.operation_id!r}")
        if shared_tags is None and endpoint.tags:
            args.append(f"tags={endpoint.tags!r}")
        route.decorator_args = args
        if shared_rate:
            route.rate_call = None
    return RoutesFile(
        doc=_module_doc(routes, jobs),
        jobs=jobs,
        lists=any(e.kind is Kind.LIST and e.implemented for e in routes.endpoints),
        router_args=router_args,
        routes=made,
        stubs=[r.stub for r in made if r.stub is not None],
        media=any(r.renders for r in made),
    )


def _shared_prefix(paths: list[str]) -> str:
    """The leading fixed segments every path shares (``/orders`` of ``/orders/{id}``)."""
    split = [path.split("/")[1:] for path in paths]
    shared: list[str] = []
    for segments in zip(*split, strict=False):
        first = segments[0]
        if "{" in first or not first or any(s != first for s in segments):
            break
        shared.append(first)
    return "".join("/" + s for s in shared)


def _module_doc(routes: RouteModule, jobs: bool) -> str:
    calls = routes.service_class
    if jobs:
        calls += (
            " (and JobService of app/services/jobs.py for jobs)"
            if routes.service_dep
            else "JobService (app/services/jobs.py)"
        )
    if any(not e.implemented for e in routes.endpoints):
        written = "the operations written by hand in app/operations/"
        calls = written if calls == "nothing else" else f"{calls} (and {written})"
    operations = ", ".join(e.operation_id for e in routes.endpoints)
    text = (
        f"One route per operation of the contract: {operations}. Routes check who calls"
        " (app/api/deps.py), count the request against its rate limit, read the request"
        f" (FastAPI validates it against the schemas), call {calls} and shape the response:"
        " status, headers, body (app/api/responses.py). app/api/router.py lists this router."
    )
    return docwrap(text, 0)


def _param(view: ServiceView, param: Param) -> tuple[str, str, str, str]:
    """(name, annotation, what reads it, `` = default``) of a path or query parameter."""
    if param.deep:  # `filter[name]=x`: its dependency answers None when none is sent
        model = param.annotation.removesuffix(" | None")
        return (param.name, param.annotation, f"Depends(deep_object({param.alias!r}, {model}))", "")
    default = f" = {param.default}" if param.default else ""
    reader = "Path" if param.location == "path" else "Query"
    return (param.name, param.annotation, f"{reader}({view.param_args(param)})", default)


def _doc(endpoint: Endpoint, stub: Stub | None) -> str:
    parts = [docwrap(endpoint.summary) + "."]
    if endpoint.description:
        parts.append(docwrap(endpoint.description))
    if stub is not None:
        parts.append(
            docwrap(
                f"Written by hand: {stub.function}() in {stub.path}, because pactcoder cannot"
                " implement it from the contract (" + "; ".join(endpoint.reasons) + "). Until"
                " it is written it raises NotWritten and this route answers 501."
            )
        )
    return "\n\n    ".join(parts)


def _route(routes: RouteModule, view: ServiceView, endpoint: Endpoint) -> Route:
    access = endpoint.access
    body = _body(view, endpoint)
    stub = view.stub(endpoint)
    route = Route(
        endpoint=endpoint,
        template=_OPS + _body_template(endpoint),
        doc=_doc(endpoint, stub),
        principal=(
            ("Principal | None" if access.optional else "Principal")
            if access.needs_principal
            else None
        ),
        auth_call=view.auth_call(endpoint),
        rate_call=view.rate_call(endpoint),
        service=bool(
            endpoint.implemented and routes.service_dep and endpoint.kind is not Kind.JOB_STATUS
        ),
        jobs=endpoint.kind in _JOB_KINDS,
        form=endpoint.kind is Kind.TOKEN and endpoint.implemented,
        body=body,
        if_match=bool(endpoint.if_match),
        path_params=[_param(view, p) for p in endpoint.params if p.location == "path"],
        query_params=[_param(view, p) for p in endpoint.params if p.location == "query"],
    )
    if body is not None and not endpoint.reads_form:
        route.media_call = f"body_media({', '.join(repr(m) for m in endpoint.body_media)})"
    if endpoint.implemented and endpoint.kind not in (Kind.LIST, Kind.DISTINCT, Kind.JOB_STATUS):
        route.call_args = view.call_args(routes.resource, endpoint)
    route.dependencies = _dependencies(routes, route, stub)
    if stub is not None:
        route.stub = stub
        route.invalidates = view.invalidates(endpoint)
    elif endpoint.kind is Kind.JOB:
        route.name, route.owner, route.location = _job(view, endpoint)
    elif endpoint.kind is Kind.JOB_STATUS:
        route.key, route.principal_arg = _job_status(view, endpoint)
    elif endpoint.kind is Kind.LIST:
        assert routes.resource is not None
        route.call_args = view.list_call_args(routes.resource, endpoint)
        route.body_values = _body_values(view, endpoint)
        route.encoded = "answer" if endpoint.request_model else "body"
        route.paging = _paging(endpoint)
        route.cached = view.cached_list(endpoint)
        if endpoint.envelope != "array":
            route.envelope = view.envelope_args(endpoint)
    elif endpoint.kind is not Kind.DISTINCT:
        route.invalidates = view.invalidates(endpoint)
    _media(route)
    if endpoint.implemented and endpoint.answers_json and route.template.endswith(_ANSWERING):
        made = (Kind.CREATE, Kind.REGISTER, Kind.UPLOAD)
        name = "created" if endpoint.kind in made else "result"
        route.answer = view.wrapped(endpoint, name)
        resource = routes.resource
        if endpoint.location_header and resource is not None and not endpoint.bulk:
            route.created_key = resource.key.attr
    return route


def _media(route: Route) -> None:
    """What a route answering other than JSON chooses from, and how it answers each."""
    endpoint = route.endpoint
    if endpoint.implemented and endpoint.renderings:
        route.offered = offered(endpoint)
        route.renders = renders(endpoint, "items" if endpoint.kind is Kind.LIST else "result")
        route.cached = False  # the cache holds JSON answers


def _body(view: ServiceView, endpoint: Endpoint) -> str | None:
    """The body parameter's annotation (and default): the model FastAPI reads from JSON, or,
    where the contract also (or only) declares a form, the model form_body() reads from
    either by the request's Content-Type (app/api/bodies.py); an upload's checked file
    (receive_file() of app/api/files.py)."""
    upload = endpoint.upload
    if upload is not None and endpoint.implemented:
        types = tuple(upload.types)
        args = f"{upload.field!r}, max_bytes={upload.max_bytes}, types={types!r}"
        args += f", name_field={upload.name_field!r}"
        if upload.name_limits != (False, 0, None):
            args += f", name_limits={upload.name_limits!r}"
        return f"Annotated[ReceivedFile, Depends(receive_file({args}))]"
    if not endpoint.request_model:
        return None
    model = view.route_body_model(endpoint)
    if not endpoint.reads_form:
        return model if endpoint.request_required else f"{model} | None = None"
    media = ", ".join(repr(m) for m in endpoint.body_media)
    if endpoint.request_required:
        return f"Annotated[{model}, Depends(form_body({model}, {media}))]"
    return f"Annotated[{model} | None, Depends(optional_form_body({model}, {media}))]"


def _body_values(view: ServiceView, endpoint: Endpoint) -> list[tuple[str, str]]:
    """A query's body fields, as the local names its filters are passed by."""
    model = view.model(endpoint.request_model or "")
    attrs = {f.alias: f.name for f in model.fields} if model else {}
    values = []
    for param in endpoint.params:
        if param.location != "body" or param.role == "unused" or param.alias not in attrs:
            continue
        source = f"body.{attrs[param.alias]}"
        fallback = "None"
        if param.role in ("limit", "size", "page", "offset"):  # paging: its default
            fallback, present = param.default, f"{source} is not None"
            given = present if endpoint.request_required else f"body is not None and {present}"
            source = f"{source} if {given} else {fallback}"
        elif not endpoint.request_required:
            source += f" if body is not None else {fallback}"
        values.append((param.name, source))
    return values


def _dependencies(routes: RouteModule, route: Route, stub: Stub | None) -> list[str]:
    """The route's parameters given by injection: its service, the jobs, a session (a stub)."""
    given = (
        (f"service: {routes.service_dep}", route.service),
        ("jobs: JobServiceDep", route.jobs),
        ("session: SessionDep", stub is not None),
    )
    return [text for text, wanted in given if wanted]


def _body_template(endpoint: Endpoint) -> str:
    if not endpoint.implemented:
        return "stub.py.jinja"
    special = {
        Kind.DOWNLOAD: "download.py.jinja",
        Kind.JOB: "job.py.jinja",
        Kind.JOB_STATUS: "job_status.py.jinja",
        Kind.LIST: "list.py.jinja",
        Kind.DISTINCT: "distinct.py.jinja",
        Kind.UPSERT: "upsert.py.jinja",
        Kind.AGGREGATE: "aggregate.py.jinja",
    }
    if endpoint.kind in special:
        return special[endpoint.kind]
    if endpoint.renderings or endpoint.answers_deleted:
        return "result.py.jinja"
    if endpoint.kind is Kind.DELETE or not endpoint.response_model:
        return "no_content.py.jinja"
    if endpoint.kind in (Kind.CREATE, Kind.REGISTER, Kind.UPLOAD):
        return "create.py.jinja"
    return "result.py.jinja"


def _job(view: ServiceView, endpoint: Endpoint) -> tuple[str, str | None, str]:
    jobs = view.service.jobs
    assert jobs is not None and endpoint.job is not None
    owner = None
    if jobs.owned:
        owner = "None"
        if endpoint.access.needs_principal:
            user = (
                " if principal is not None and principal.kind == 'user' else None"
                if endpoint.access.optional
                else " if principal.kind == 'user' else None"
            )
            owner = view.principal_key(python_type(jobs.owner_type)) + user
    location = jobs.status_path.replace("{" + jobs.status_param + "}", "{key}")
    return repr(endpoint.job.name), owner, location


def _job_status(view: ServiceView, endpoint: Endpoint) -> tuple[str, str | None]:
    jobs = view.service.jobs
    assert jobs is not None
    key = [p for p in endpoint.params if p.location == "path"][-1]
    principal = None
    if jobs.owned:
        access = endpoint.access
        if access.optional:
            principal = "principal if principal is not None and principal.kind == 'user' else None"
        elif access.needs_principal:
            principal = "principal if principal.kind == 'user' else None"
        else:
            principal = "None"
    return key.name, principal


def _paging(endpoint: Endpoint) -> Paging:
    page, size = endpoint.param("page"), endpoint.param("size")
    limit, offset = endpoint.param("limit"), endpoint.param("offset")
    clamps = [(p.name, p.clamp) for p in (size, limit) if p and p.clamp]
    if endpoint.param("cursor"):
        return Paging(clamps, "cursor", default_limit=limit is None)
    if page:
        return Paging(clamps, "page", page=page.name, size=size.name if size else "20")
    if not limit:
        fixed = f"clamp_offset({offset.name})" if offset else "0"
        return Paging(clamps, "fixed", fixed_offset=fixed)
    if offset:
        return Paging(clamps, "offset", offset=offset.name)
    return Paging(clamps, "first")
