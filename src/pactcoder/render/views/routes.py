"""The service's view, routes layer: route modules and the calls a route makes."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from functools import cached_property

from pactcoder.ir.model import (
    Endpoint,
    Kind,
    Param,
    module_name,
)
from pactcoder.ir.names import attribute, pascal, snake
from pactcoder.ir.stubs import needs_stub
from pactcoder.render.types import default_source, python_type
from pactcoder.render.views.aggregates import keyword_params
from pactcoder.render.views.common import names_in
from pactcoder.render.views.errors import ErrorsView
from pactcoder.render.views.resource import ResourceView
from pactcoder.render.views.stubs import Stub, stub_of


@dataclass
class RouteModule:
    """One ``app/api/routes/<name>.py``."""

    name: str
    endpoints: list[Endpoint]
    resource: ResourceView | None
    schema_imports: dict[str, list[str]] = field(default_factory=dict)
    tag: str = ""
    service_dep: str = ""
    service_class: str = "nothing else"


def _shadows(general: Endpoint, specific: Endpoint) -> bool:
    """Whether ``general``'s path matches ``specific``'s: a parameter where it is fixed."""
    one, other = general.path.strip("/").split("/"), specific.path.strip("/").split("/")
    if general.method != specific.method or len(one) != len(other) or one == other:
        return False
    return all(
        a == b or (a.startswith("{") and not b.startswith("{"))
        for a, b in zip(one, other, strict=True)
    )


class RoutesView(ErrorsView):
    """What app/api/routes/*.py and the service layer's signatures need."""

    @cached_property
    def route_modules(self) -> list[RouteModule]:
        modules: dict[str, RouteModule] = {}
        by_resource = {r.noun.singular: r for r in self.resources}
        for endpoint in self.service.endpoints:
            view: ResourceView | None
            if endpoint.kind.is_auth:
                view = by_resource.get(endpoint.resource or "")
                name = self.auth_module
            elif endpoint.resource:
                view = by_resource[endpoint.resource]
                name = view.module
            else:
                tag = endpoint.tags[0] if endpoint.tags else "operations"
                name = module_name(snake(tag))
                if keyword.iskeyword(name):  # a tag `import`: app/api/routes/import_.py
                    name += "_"
                view = next((r for r in self.resources if r.module == name), None)
            module = modules.setdefault(name, RouteModule(name, [], view))
            # Before a route whose path parameter would take its fixed segment:
            # GET /readings/count before GET /readings/{readingId}.
            at = next(
                (i for i, e in enumerate(module.endpoints) if _shadows(e, endpoint)),
                len(module.endpoints),
            )
            module.endpoints.insert(at, endpoint)
        for module in modules.values():
            used: set[str] = set()
            for endpoint in module.endpoints:
                used |= names_in(endpoint.request_model) | names_in(endpoint.response_model)
                for envelope in (endpoint.request_envelope, endpoint.response_envelope):
                    if envelope is not None:
                        used |= names_in(envelope[0])
                for param in endpoint.params:
                    used |= names_in(param.annotation)
            module.schema_imports = self.imports_for(used)
            module.tag = pascal(module.name)
            if module.name == self.auth_module:
                module.service_class = self.auth_service_class
                module.service_dep = f"{self.auth_service_class}Dep"
            elif module.resource is not None:
                module.service_dep = f"{module.resource.service_class}Dep"
                module.service_class = module.resource.service_class
            elif all(e.kind is Kind.JOB_STATUS for e in module.endpoints):
                module.service_class = ""
        return [modules[name] for name in sorted(modules)]

    @cached_property
    def deep_query(self) -> bool:
        """Whether a route reads an object from the query (``filter[name]=x``)."""
        return any(p.deep for e in self.service.endpoints for p in e.params)

    @cached_property
    def stubs(self) -> list[Stub]:
        """The operations written by hand (app/operations/), one typed stub each."""
        return [
            stub_of(e, self.service, self.route_body_model(e), self.imports_for)
            for e in self.service.endpoints
            if needs_stub(e)
        ]

    def documented_operation(self, endpoint: Endpoint) -> bool:
        """Whether the contract names the operation (tests/contract.py finds it by its id)."""
        item = self.service.contract.get("paths", {}).get(endpoint.path, {})
        operation = item.get(endpoint.method) if isinstance(item, dict) else None
        return isinstance(operation, dict) and operation.get("operationId") == endpoint.operation_id

    @cached_property
    def unnamed_operations(self) -> list[tuple[str, str]]:
        """(the id this service gives it, JSON pointer) of each operation the contract leaves
        without an operationId, so tests/contract.py finds those by the same id as the rest."""
        return [
            (
                e.operation_id,
                "/paths/{}/{}".format(e.path.replace("~", "~0").replace("/", "~1"), e.method),
            )
            for e in self.service.endpoints
            if not self.documented_operation(e)
        ]

    def stub(self, endpoint: Endpoint) -> Stub | None:
        return next((s for s in self.stubs if s.endpoint is endpoint), None)

    @cached_property
    def allowed_methods(self) -> list[tuple[str, str]]:
        """(regular expression of a contract path, its methods), for 405 responses."""
        paths: dict[str, set[str]] = {}
        for endpoint in self.service.endpoints:
            paths.setdefault(endpoint.path, set()).add(endpoint.method.upper())
        result = []
        for path, methods in paths.items():
            parts = re.split(r"(\{[^{}]+\})", path)
            pattern = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
            result.append((pattern, ", ".join(sorted(methods))))
        return result

    @staticmethod
    def cached_list(endpoint: Endpoint) -> bool:
        """Public lists may be served from the Redis cache (when one is configured); not a
        query with a body (``POST /items/search``): the cache knows requests by their URL."""
        return endpoint.access.public and not endpoint.access.optional and endpoint.method == "get"

    def invalidates(self, endpoint: Endpoint) -> bool:
        """Whether a write must drop the cached lists of its resource."""
        if endpoint.method == "get" or not endpoint.resource or endpoint.kind.is_auth:
            return False
        resource = self.resource(endpoint.resource)
        return any(
            e.kind is Kind.LIST and e.implemented and self.cached_list(e)
            for e in resource.endpoints
        )

    @staticmethod
    def rate_call(endpoint: Endpoint) -> str:
        if endpoint.rate_scope in ("default", "auth"):
            return f"rate_limit({endpoint.rate_scope!r})"
        return f"rate_limit({endpoint.rate_scope!r}, {endpoint.rate_limit!r})"

    @staticmethod
    def param_args(param: Param) -> str:
        """Arguments of ``Path(...)``/``Query(...)``: the contract's name and constraints."""
        args = []
        if param.alias != param.name:
            args.append(f"alias={param.alias!r}")
        args.extend(param.constraints)
        return ", ".join(args)

    @staticmethod
    def call_args(resource: ResourceView | None, endpoint: Endpoint) -> str:
        """Arguments a route passes to its service method."""
        args = []
        if endpoint.kind.is_auth:
            if endpoint.kind in (Kind.ME, Kind.UPDATE_ME, Kind.CHANGE_PASSWORD):
                args.append("principal")
            if endpoint.kind is Kind.TOKEN:
                args += ["form.username", "form.password"]
            elif endpoint.request_model:
                args.append(RoutesView.body_argument(endpoint))
            return ", ".join(args)
        assert resource is not None
        id_param = endpoint.param("id")
        if id_param is not None and endpoint.kind is not Kind.CREATE:
            args.append(id_param.name)
        if endpoint.request_model and endpoint.kind is not Kind.DELETE:
            args.append(RoutesView.body_argument(endpoint))
        if endpoint.kind is Kind.UPLOAD:
            args.append("body")
        args += [f"{p.name}={p.name}" for p in resource.scope_params(endpoint)]
        if endpoint.kind is Kind.AGGREGATE:
            args += [f"{p.name}={p.name}" for p in keyword_params(endpoint, resource)]
        if _uses_storage(resource, endpoint):
            args.append("storage=request.app.state.storage")
        if resource.uses_principal(endpoint):
            present = endpoint.access.needs_principal
            args.append(f"principal={'principal' if present else 'None'}")
        if endpoint.if_match:
            args.append("if_match=if_match")
        return ", ".join(args)

    @staticmethod
    def body_argument(endpoint: Endpoint) -> str:
        """The body a route hands its service: the object inside the envelope, if any."""
        if endpoint.request_envelope is None:
            return "body"
        attr = attribute(endpoint.request_envelope[1])
        return (
            f"body.{attr} if body is not None else None"
            if not endpoint.request_required
            else f"body.{attr}"
        )

    @staticmethod
    def route_body_model(endpoint: Endpoint) -> str:
        """The model FastAPI validates the whole request body with."""
        if endpoint.request_envelope is not None:
            return endpoint.request_envelope[0]
        return endpoint.request_model or ""

    def wrapped(self, endpoint: Endpoint, expression: str) -> str:
        """``expression`` inside the response envelope the contract declares, if any, with
        the envelope's other properties (a status, a reason phrase) filled in."""
        if endpoint.response_envelope is None:
            return expression
        model, key = endpoint.response_envelope
        return f"{model}.model_validate({{{self._entries(endpoint, model, key, expression)}}})"

    def _entries(self, endpoint: Endpoint, model_name: str, key: str, expression: str) -> str:
        """The entries of an envelope by the contract's property names: ``key`` holding
        ``expression``, then each of ``endpoint.envelope_fields`` with its value."""
        model = self.model(model_name)
        alias = {f.name: f.alias for f in model.fields} if model else {}
        entries = [f"{alias.get(key, key)!r}: {expression}"]
        entries += [
            f"{alias.get(name, name)!r}: {self.envelope_value(endpoint, name, role)}"
            for name, role in endpoint.envelope_fields.items()
        ]
        return ", ".join(entries)

    @staticmethod
    def init_params(resource: ResourceView) -> str:
        repositories = [resource, *resource.collaborators]
        return ", ".join(f"{r.repository_attr}: {r.repository_class}" for r in repositories)

    @staticmethod
    def service_construction(resource: ResourceView) -> str:
        """The arguments building a service: its repositories on ``session``."""
        repositories = [resource, *resource.collaborators]
        return ", ".join(f"{r.repository_class}(session)" for r in repositories)

    @staticmethod
    def service_params(resource: ResourceView, endpoint: Endpoint) -> str:
        """The parameters of a service method, after ``self``."""
        params = ["self"]
        id_param = resource.id_param(endpoint)
        if id_param is not None and endpoint.kind is not Kind.CREATE:
            column = next(c for c in resource.table.columns if c.attr == id_param.column)
            params.append(f"{id_param.name}: {python_type(column.python_type)}")
        if endpoint.request_model and endpoint.kind is not Kind.LIST:
            optional = "" if endpoint.request_required else " | None"
            params.append(f"body: {endpoint.request_model}{optional}")
        if endpoint.kind is Kind.UPLOAD:
            params.append("body: ReceivedFile")
        keywords = [
            f"{p.name}: {p.annotation.removesuffix(' | None')}"
            for p in resource.scope_params(endpoint)
        ]
        if _uses_storage(resource, endpoint):
            keywords.append("storage: Storage")
        if endpoint.kind is Kind.LIST:
            keywords += [f"{p.name}: {_keyword_type(p)}" for p in resource.filter_params(endpoint)]
            if endpoint.param("sort"):
                keywords.append("sort: str | None")
            if endpoint.param("cursor"):
                keywords += ["cursor: str | None", "limit: int"]
            else:
                keywords += ["limit: int", "offset: int"]
        if endpoint.kind is Kind.AGGREGATE:
            keywords += [
                f"{p.name}: {p.annotation.replace('AwareDatetime', 'datetime.datetime')}"
                for p in keyword_params(endpoint, resource)
            ]
        if resource.uses_principal(endpoint):
            required = not endpoint.access.public
            keywords.append(f"principal: Principal{'' if required else ' | None'}")
        if endpoint.if_match:
            keywords.append("if_match: str | None")
        if keywords:
            params += ["*", *keywords]
        return ", ".join(params)

    @staticmethod
    def search_args(resource: ResourceView, endpoint: Endpoint) -> str:
        """Keyword arguments a service passes to its repository's ``search``."""
        args = [f"{p.column}={p.column}" for p in resource.scope_params(endpoint)]
        args += [
            f"{resource.filter_argument(p)}={p.name}" for p in resource.filter_params(endpoint)
        ]
        if endpoint.param("sort"):
            args.append("sort=sort")
        if endpoint.order:
            args.append(f"order={endpoint.order!r}")
        if endpoint.feed:
            args.append("feed_of=viewer")
        if resource.resource.private_reads:
            args.append("**self._owner(principal)")
        if resource.loads:
            args.append("viewer=viewer")
        if endpoint.param("cursor"):
            return ", ".join([*args, "cursor=cursor", "limit=limit"])
        return ", ".join([*args, "limit=limit", "offset=offset"])

    @staticmethod
    def list_call_args(resource: ResourceView, endpoint: Endpoint) -> str:
        """Keyword arguments a list route passes to its service."""
        args = [f"{p.name}={p.name}" for p in resource.scope_params(endpoint)]
        args += [
            # Ransack's predicates are read from the query string as the client wrote it.
            f"{p.name}=request.query_params.multi_items()"
            if p.operator == "predicates"
            else f"{p.name}={p.name}"
            for p in resource.filter_params(endpoint)
        ]
        sort = endpoint.param("sort")
        if sort:
            args.append(f"sort={sort.name}")
        limit = endpoint.param("limit")
        offset = endpoint.param("offset")
        page = endpoint.param("page")
        args.append(f"limit={limit.name if limit else 'limit'}")
        cursor = endpoint.param("cursor")
        if cursor is not None:
            args.append(f"cursor={cursor.name}")
        else:
            args.append(f"offset={offset.name if offset and not page else 'offset'}")
        if resource.uses_principal(endpoint):
            present = endpoint.access.needs_principal
            args.append(f"principal={'principal' if present else 'None'}")
        return ", ".join(args)

    def envelope_args(self, endpoint: Endpoint) -> str:
        """The entries of a list envelope, by the contract's property names."""
        items = endpoint.envelope_items or "items"
        entries = [self._entries(endpoint, endpoint.envelope or "", items, "items")]
        model = self.model(endpoint.envelope or "")
        alias = {f.name: f.alias for f in model.fields} if model else {}
        for name, roles in endpoint.envelope_groups.items():
            inner = ", ".join(
                f"{key!r}: {self.envelope_value(endpoint, key, role)}"
                for key, role in roles.items()
            )
            entries.append(f"{alias.get(name, name)!r}: {{{inner}}}")
        return ", ".join(entries)

    @staticmethod
    def find_scope(resource: ResourceView, endpoint: Endpoint) -> str:
        """Keyword arguments of ``_find`` that keep a read inside its parent and owner."""
        args = [f", {p.column}={p.column}" for p in resource.scope_params(endpoint)]
        if resource.resource.private_reads:
            args.append(", **self._owner(principal)")
        return "".join(args)

    @staticmethod
    def resource_uses_if_match(resource: ResourceView) -> bool:
        return any(e.if_match and e.implemented for e in resource.endpoints)

    @staticmethod
    def parent_repositories(resource: ResourceView) -> str:
        return "".join(f" and app/repositories/{p.module}.py" for p in resource.collaborators)

    @staticmethod
    def route_return(endpoint: Endpoint) -> str:
        if not endpoint.implemented:
            return "None"
        if endpoint.status_code == 204 or not endpoint.response_model:
            return "Response"
        return endpoint.response_model

    @staticmethod
    def envelope_value(endpoint: Endpoint, name: str, role: str) -> str:
        """Python source for a property of a list envelope, from the paging variables."""
        page = endpoint.param("page")
        size = endpoint.param("size")
        page_size = size.name if size else "limit"
        limit, offset = endpoint.param("limit"), endpoint.param("offset")
        # The names the route gives the window (see Paging): the parameters' own in
        # offset mode, else the limit and offset it works out.
        lim = limit.name if limit and not page else "limit"
        off = offset.name if offset and limit and not page else "offset"
        number = page.name if page else f"{off} // {lim} + 1"
        values = {
            "total": "total",
            "page": number,
            "next_page": f"{number} + 1 if {off} + {lim} < total else None",
            "prev_page": f"{number} - 1 if {number} > 1 else None",
            "size": page_size,
            "limit": lim,
            "offset": off,
            "pages": f"-(-total // max({page_size}, 1))",  # a size of 0 is no error
            "next_cursor": "next_cursor",
            "status": str(endpoint.status_code),
        }
        if role == "empty":  # a value decided by the compiler (an inferred empty value)
            return default_source(endpoint.envelope_empty[name])
        return values.get(role, "None")


def _keyword_type(param: Param) -> str:
    """The type a service method takes a filter's value as."""
    if param.operator == "predicates":
        return "list[tuple[str, str]]"  # the query string's pairs (see list_call_args)
    return param.annotation.replace("AwareDatetime", "datetime.datetime")


def _uses_storage(resource: ResourceView, endpoint: Endpoint) -> bool:
    """Whether the service method saves or deletes stored files (app/core/storage.py)."""
    uploads = resource.resource.files is not None
    return uploads and endpoint.kind in (Kind.UPLOAD, Kind.DELETE)
