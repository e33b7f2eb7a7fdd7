"""The IR grouped the way the output files are: per module, per resource, per router.

Everything here is grouping and naming over the IR (which model lives in
which schemas module, which names a module imports, the arguments of a
column) so that templates stay free of logic.

Example::

    view = ServiceView(service)
    [m.name for m in view.schema_modules]        # ["authors", "books", "common", ...]
    view.resources[0].column_args(column)        # 'BigIntId, primary_key=True'
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pactcoder.ir.model import (
    ApiModel,
    AuthScheme,
    Column,
    Endpoint,
    ErrorFormat,
    Kind,
    Param,
    Resource,
    Service,
    Source,
    Table,
)
from pactcoder.ir.names import attribute, pascal, snake

NEWLINE = "\n"
BLANK_LINE = NEWLINE * 2
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def names_in(annotation: str | None) -> set[str]:
    return set(_NAME.findall(annotation or ""))


@dataclass
class SchemaModule:
    """One ``app/schemas/<name>.py``: its models and what it imports from siblings."""

    name: str
    models: list[ApiModel]
    imports: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class CaseView:
    """One request a generated test makes: the operation, method, URL and body."""

    operation_id: str
    method: str
    url: str
    body: Any


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


class ResourceView:
    """A resource with the names and groupings its model, repository and service need."""

    def __init__(self, resource: Resource, service: ServiceView) -> None:
        self.resource = resource
        self.service_view = service
        self.noun = resource.noun
        self.table: Table = resource.table
        self.module = resource.module
        self.repository_class = f"{resource.noun.class_name}Repository"
        self.service_class = f"{resource.noun.class_name}Service"
        self.repository_attr = resource.noun.plural
        self.endpoints = resource.endpoints
        self.read_model = resource.read_model

    # -- relations -------------------------------------------------------------------

    @property
    def parents(self) -> list[ResourceView]:
        return [self.service_view.resource(p.resource) for p in self.resource.parents]

    def parent_for(self, param: Param) -> ResourceView:
        """The parent resource a path parameter of role ``parent`` identifies."""
        link = next(p for p in self.resource.parents if p.column == param.column)
        return self.service_view.resource(link.resource)

    def service_return(self, endpoint: Endpoint) -> str:
        if endpoint.kind is Kind.LIST:
            return f"tuple[list[{self.read_model}], int]"
        if endpoint.kind is Kind.DELETE:
            return "None"
        return self.read_model

    @property
    def id(self) -> Column:
        return self.table.primary_key

    @property
    def id_type(self) -> str:
        return self.id.python_type

    # -- columns ---------------------------------------------------------------------

    @staticmethod
    def column_annotation(column: Column) -> str:
        base = column.python_type
        return f"{base} | None" if column.nullable and not column.primary_key else base

    @staticmethod
    def column_args(column: Column) -> str:
        args = [column.sa_type]
        if column.foreign_key:
            ondelete = f', ondelete="{column.ondelete}"' if column.ondelete else ""
            args.append(f'ForeignKey("{column.foreign_key}"{ondelete})')
        if column.primary_key:
            args.append("primary_key=True")
        if column.unique:
            args.append("unique=True")
        if column.index and not column.unique:
            args.append("index=True")
        default = ResourceView._default(column)
        if default:
            args.append(f"default={default}")
        if column.source is Source.UPDATED:
            args.append("onupdate=utcnow")
        return ", ".join(args)

    @staticmethod
    def _default(column: Column) -> str | None:
        if column.source is Source.ID and column.python_type == "uuid.UUID":
            return "uuid.uuid4"
        if column.source in (Source.CREATED, Source.UPDATED):
            return "utcnow"
        if column.default is None:
            return None
        if column.default == "[]":
            return "list"
        if column.default == "{}":
            return "dict"
        return column.default

    @property
    def tables(self) -> list[Table]:
        """Child tables first: the parent's relationship refers to them."""
        return [*(c.table for c in self.table.children), self.table]

    # -- searching -------------------------------------------------------------------

    @property
    def list_endpoints(self) -> list[Endpoint]:
        return [e for e in self.endpoints if e.kind is Kind.LIST and e.implemented]

    @property
    def filters(self) -> list[Param]:
        """Every filter any list endpoint offers, once each, keyed by column and operator."""
        found: dict[tuple[str, str], Param] = {}
        for endpoint in self.list_endpoints:
            for param in endpoint.params:
                if param.role in ("filter", "parent") and param.column:
                    found.setdefault((param.column, param.operator), param)
        return list(found.values())

    def filter_argument(self, param: Param) -> str:
        """The repository's keyword for a filter: the column, suffixed by its operator."""
        assert param.column
        suffix = {"eq": "", "contains": "_contains", "min": "_min", "max": "_max"}[param.operator]
        return f"{param.column}{suffix}"

    def filter_type(self, param: Param) -> str:
        column = next(c for c in self.table.columns if c.attr == param.column)
        if param.operator == "contains":
            return "Any"
        return column.python_type

    @property
    def sort_options(self) -> dict[str, tuple[str, bool]]:
        options: dict[str, tuple[str, bool]] = {}
        for endpoint in self.list_endpoints:
            sort = endpoint.param("sort")
            if sort:
                options.update(sort.sort_options)
        return options

    # -- endpoints -------------------------------------------------------------------

    def has(self, kind: Kind) -> bool:
        return any(e.kind is kind and e.implemented for e in self.endpoints)

    @property
    def needs_get(self) -> bool:
        return any(
            e.kind in (Kind.READ, Kind.REPLACE, Kind.UPDATE, Kind.DELETE) and e.implemented
            for e in self.endpoints
        )

    def scope_params(self, endpoint: Endpoint) -> list[Param]:
        """Parent ids in the path that scope the operation."""
        return [p for p in endpoint.params if p.role == "parent" and p.column]

    @staticmethod
    def id_param(endpoint: Endpoint) -> Param | None:
        return endpoint.param("id")

    @staticmethod
    def filter_params(endpoint: Endpoint) -> list[Param]:
        return [p for p in endpoint.params if p.role == "filter" and p.column]

    @property
    def json_columns(self) -> list[str]:
        return [c.attr for c in self.table.columns if c.sa_type == "JSONDocument"]

    @property
    def service_schema_names(self) -> list[str]:
        names: set[str] = {self.read_model}
        for endpoint in self.endpoints:
            if endpoint.implemented:
                names |= names_in(endpoint.request_model)
                for param in endpoint.params:
                    if param.role in ("filter", "sort", "parent", "id"):
                        names |= names_in(param.annotation)
        return sorted(names & self.service_view.model_names)


class TestPlan:
    """What the generated tests of one resource need: factories, keys, fields to vary."""

    def __init__(self, resource: ResourceView) -> None:
        self.r = resource
        self.create = next(
            (e for e in resource.endpoints if e.kind is Kind.CREATE and e.implemented), None
        )
        self.creatable = self.create is not None and bool(resource.resource.payloads)
        self.seedable = not self.creatable and bool(resource.resource.seeds)
        self.has_factory = self.creatable or self.seedable
        self.constant = (
            f"{resource.noun.singular.upper()}_{'PAYLOADS' if self.creatable else 'SEEDS'}"
        )
        self.samples = resource.resource.payloads if self.creatable else resource.resource.seeds

    @property
    def create_parents(self) -> list[tuple[Param, ResourceView]]:
        """Parents a record is created under (its collection is nested in theirs)."""
        if not self.create:
            return []
        return [(p, self.r.parent_for(p)) for p in self.r.scope_params(self.create)]

    @property
    def key_sources(self) -> dict[str, str]:
        """Path parameter → Python source of its value for a made record."""
        nested = {p.alias for p, _ in self.create_parents}
        sources: dict[str, str] = {}
        for endpoint in self.r.endpoints:
            for param in endpoint.params:
                if param.location != "path" or param.alias in sources:
                    continue
                if param.role == "id":
                    sources[param.alias] = f"body[{self.r.id.api_name!r}]"
                elif param.role == "parent" and param.alias in nested:
                    sources[param.alias] = f"parents[{param.alias!r}]"
                elif param.role == "parent" and param.column:
                    column = next(c for c in self.r.table.columns if c.attr == param.column)
                    if column.exposed:
                        sources[param.alias] = f"body[{column.api_name!r}]"
        return sources

    @property
    def missing_id(self) -> str:
        if self.r.id.python_type == "uuid.UUID":
            return repr("00000000-0000-4000-8000-000000000000")
        if self.r.id.python_type == "int":
            return "987654321"
        return repr("no-such-key")

    @property
    def references(self) -> list[tuple[list[str], str]]:
        return [(ref.path, ref.resource) for ref in self.r.resource.references]

    @property
    def seed_exclude(self) -> list[str]:
        skipped = (Source.ID, Source.CREATED, Source.UPDATED)
        return [c.attr for c in self.r.table.columns if c.source in skipped and c.exposed]

    @property
    def unique_fields(self) -> list[str]:
        return [c.api_name for c in self.r.table.columns if c.unique and c.source is Source.CLIENT]

    @property
    def extra_rows(self) -> int:
        """Rows a list shows beyond the test's own: the account the tests act as."""
        accounts = self.r.service_view.accounts
        return 1 if accounts is not None and accounts.noun == self.r.noun else 0

    @property
    def hidden_fields(self) -> list[str]:
        """Fields a client sends but never gets back (writeOnly)."""
        return [c.api_name for c in self.r.table.columns if not c.exposed]

    @property
    def reference_fields(self) -> list[str]:
        return [ref.path[0] for ref in self.r.resource.references]

    def filter_cases(self, endpoint: Endpoint) -> list[tuple[Param, str]]:
        """Filters a test can check with two records: (param, JSON field)."""
        cases = []
        for param in self.r.filter_params(endpoint):
            column = next(c for c in self.r.table.columns if c.attr == param.column)
            if column.references or not column.exposed or param.operator in ("min", "max"):
                continue
            if column.python_type in ("datetime.datetime", "float"):
                continue
            cases.append((param, column.api_name))
        return cases

    @staticmethod
    def sort_pairs(endpoint: Endpoint) -> list[tuple[str, str]]:
        """(ascending, descending) values of the sort parameter on the same field."""
        sort = endpoint.param("sort")
        if sort is None:
            return []
        pairs = []
        for value, (column, descending) in sort.sort_options.items():
            if descending:
                continue
            twin = next((v for v, (c, d) in sort.sort_options.items() if c == column and d), None)
            if twin is not None:
                pairs.append((value, twin))
        return pairs

    def request_fields(self, endpoint: Endpoint) -> list[str]:
        """JSON names of the scalar fields the request body of ``endpoint`` accepts."""
        model = self.r.service_view.model(endpoint.request_model or "")
        if model is None:
            return []
        return [
            f.alias
            for f in model.fields
            if f.alias not in self.reference_fields
            and not f.annotation.startswith(("list", "dict"))
        ]

    def all_request_fields(self, endpoint: Endpoint) -> list[str]:
        """JSON names of every field the request body of ``endpoint`` accepts."""
        model = self.r.service_view.model(endpoint.request_model or "")
        return [f.alias for f in model.fields] if model else []

    def wrong_type_field(self) -> tuple[str, str] | None:
        """A required field of the create body and a value of the wrong JSON type for it."""
        if not self.create:
            return None
        model = self.r.service_view.model(self.create.request_model or "")
        for f in model.fields if model else []:
            if f.default:
                continue
            if f.annotation.startswith(("Text", "Email", "Uri")):
                return f.alias, "12345"
            if f.annotation.startswith(("Integer", "float", "bool")):
                return f.alias, repr("not a number")
        return None

    @staticmethod
    def items_source(endpoint: Endpoint) -> str:
        if endpoint.envelope == "array":
            return "response.json()"
        return f"response.json()[{endpoint.envelope_items_key!r}]"

    def total_source(self, endpoint: Endpoint) -> str | None:
        if endpoint.total_header:
            return f"int(response.headers[{endpoint.total_header!r}])"
        for name, role in endpoint.envelope_fields.items():
            if role == "total":
                model = self.r.service_view.model(endpoint.envelope or "")
                field = next(f for f in model.fields if f.name == name) if model else None
                return f"response.json()[{(field.alias if field else name)!r}]"
        return None

    @staticmethod
    def size_param(endpoint: Endpoint) -> Param | None:
        return endpoint.param("limit") or endpoint.param("size")


class ServiceView:
    """Groups the whole service by output file; see the module docstring."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.model_names = {m.class_name for m in service.models}
        self._module_of = {m.class_name: m.module for m in service.models}
        self.resources = [ResourceView(r, self) for r in service.resources]
        self.schema_modules = self._schema_modules()
        self.route_modules = self._route_modules()

    def resource(self, name: str) -> ResourceView:
        return next(r for r in self.resources if r.noun.singular == name)

    def model(self, class_name: str) -> ApiModel | None:
        return next((m for m in self.service.models if m.class_name == class_name), None)

    def test_plan(self, resource: ResourceView) -> TestPlan:
        return TestPlan(resource)

    @cached_property
    def custom_endpoints(self) -> list[Endpoint]:
        return [e for e in self.service.endpoints if not e.implemented]

    def module_of(self, class_name: str) -> str:
        return self._module_of[class_name]

    def imports_for(
        self, names: Iterable[str], *, exclude: str | None = None
    ) -> dict[str, list[str]]:
        """``{module: [names]}`` to import ``names`` (model classes) from app/schemas."""
        result: dict[str, list[str]] = {}
        for name in sorted(set(names) & self.model_names):
            module = self._module_of[name]
            if module != exclude:
                result.setdefault(module, []).append(name)
        return dict(sorted(result.items()))

    def _schema_modules(self) -> list[SchemaModule]:
        modules: dict[str, SchemaModule] = {}
        for model in self.service.models:
            module = modules.setdefault(model.module, SchemaModule(model.module, []))
            module.models.append(model)
        for module in modules.values():
            used: set[str] = set()
            for model in module.models:
                used |= model.uses
            module.imports = self.imports_for(used, exclude=module.name)
        return [modules[name] for name in sorted(modules)]

    def _route_modules(self) -> list[RouteModule]:
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
                name = snake(tag)
                view = next((r for r in self.resources if r.module == name), None)
            module = modules.setdefault(name, RouteModule(name, [], view))
            module.endpoints.append(endpoint)
        for module in modules.values():
            used: set[str] = set()
            for endpoint in module.endpoints:
                used |= names_in(endpoint.request_model) | names_in(endpoint.response_model)
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
        return [modules[name] for name in sorted(modules)]

    @cached_property
    def tables_in_order(self) -> list[Table]:
        """Every table, each after the tables its foreign keys point to."""
        tables = self.service.tables
        by_name = {t.table_name: t for t in tables}
        ordered: list[Table] = []

        def visit(table: Table, stack: tuple[str, ...] = ()) -> None:
            if table in ordered or table.table_name in stack:
                return
            for column in table.columns:
                if column.foreign_key:
                    target = by_name.get(column.foreign_key.split(".")[0])
                    if target is not None and target is not table:
                        visit(target, (*stack, table.table_name))
            ordered.append(table)

        for table in tables:
            visit(table)
        return ordered

    @staticmethod
    def migration_column(column: Column) -> str:
        """``sa.Column(...)`` source for the initial migration."""
        sa_type = column.sa_type
        for custom in ("BigIntId", "DecimalString", "JSONDocument", "UTCDateTime"):
            if sa_type.startswith(custom):
                sa_type = f"app_types.{sa_type}"
                break
        else:
            sa_type = f"sa.{sa_type}"
        args = [repr(column.attr), sa_type]
        if column.foreign_key:
            ondelete = f", ondelete={column.ondelete!r}" if column.ondelete else ""
            args.append(f"sa.ForeignKey({column.foreign_key!r}{ondelete})")
        if column.primary_key:
            args.append("primary_key=True")
        args.append(f"nullable={column.nullable and not column.primary_key}")
        if column.unique:
            args.append("unique=True")
        elif column.index:
            args.append("index=True")
        return f"sa.Column({', '.join(args)})"

    @staticmethod
    def literal(value: Any) -> str:
        return repr(value)

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

    @cached_property
    def accounts(self) -> ResourceView | None:
        """The accounts resource, when the service has account operations."""
        if not any(e.kind.is_auth for e in self.service.endpoints):
            return None
        name = self.service.auth.user_resource
        return self.resource(name) if name else None

    @cached_property
    def auth_module(self) -> str:
        """Module name of the account operations: ``auth``, unless a resource has that name."""
        taken = {r.module for r in self.resources}
        return "auth" if "auth" not in taken else "authentication"

    @property
    def auth_service_class(self) -> str:
        return pascal(self.auth_module) + "Service"

    @cached_property
    def account_endpoints(self) -> list[Endpoint]:
        return [e for e in self.service.endpoints if e.kind.is_auth and e.implemented]

    @property
    def account_schema_names(self) -> set[str]:
        names: set[str] = set()
        for endpoint in self.account_endpoints:
            names |= names_in(endpoint.request_model) | names_in(endpoint.response_model)
        return names

    @property
    def role_api_name(self) -> str | None:
        auth = self.service.auth
        if not auth.role_column or not auth.user_resource:
            return None
        table = self.resource(auth.user_resource).table
        return next(c.api_name for c in table.columns if c.attr == auth.role_column)

    def _account_api_name(self, attr: str | None) -> str | None:
        auth = self.service.auth
        if not attr or not auth.user_resource:
            return None
        table = self.resource(auth.user_resource).table
        return next((c.api_name for c in table.columns if c.attr == attr), None)

    @property
    def login_api_name(self) -> str | None:
        return self._account_api_name(self.service.auth.login_column)

    @property
    def active_api_name(self) -> str | None:
        return self._account_api_name(self.service.auth.active_column)

    @property
    def missing_account_id(self) -> str:
        """The id of an account that does not exist, as text (a token's subject)."""
        accounts = self.accounts
        if accounts is not None and accounts.id_type == "int":
            return "987654321"
        return "00000000-0000-4000-8000-000000000000"

    @property
    def unknown_login(self) -> str:
        """A login name no test account has."""
        auth = self.service.auth
        table = self.resource(auth.user_resource).table if auth.user_resource else None
        columns = table.columns if table else []
        column = next((c for c in columns if c.attr == auth.login_column), None)
        return "nobody.at.all@example.com" if column and "mail" in column.attr else "nobody-at-all"

    @property
    def acting_role(self) -> str | None:
        """The role of the account the generated tests act as: admin, else the one needed."""
        auth = self.service.auth
        if not auth.role_column:
            return None
        if auth.admin_role:
            return auth.admin_role
        needed = [r for e in self.service.endpoints for r in e.access.roles]
        return needed[0] if needed else None

    @property
    def acting_role_value(self) -> Any:
        """The role value of the tests' acting account, as JSON (a list for list columns)."""
        auth = self.service.auth
        if auth.roles_are_list:
            needed = sorted({r for e in self.service.endpoints for r in e.access.roles})
            return sorted({*needed, *([auth.admin_role] if auth.admin_role else [])})
        return self.acting_role

    @property
    def ordinary_role_value(self) -> Any:
        """The role value of an ordinary account (no special role), or None if unknown."""
        auth = self.service.auth
        if auth.roles_are_list:
            return []
        return auth.default_role

    @property
    def bearer_prefix(self) -> str:
        bearer = next((s for s in self.used_schemes if s.kind == "bearer"), None)
        return bearer.prefix if bearer else "Bearer"

    @property
    def api_key_scheme(self) -> AuthScheme | None:
        return next((s for s in self.used_schemes if s.kind == "api-key"), None)

    @staticmethod
    def case_url(endpoint: Endpoint) -> str:
        """The endpoint's path with sample values for its path parameters."""
        url = endpoint.path
        for param in endpoint.params:
            if param.location == "path":
                url = url.replace("{" + param.alias + "}", str(param.sample))
        return url

    def _case(self, endpoint: Endpoint) -> tuple[str, str, str, Any]:
        return (
            endpoint.operation_id,
            endpoint.method.upper(),
            self.case_url(endpoint),
            endpoint.request_sample,
        )

    @cached_property
    def protected_cases(self) -> list[tuple[str, str, str, Any]]:
        return [
            self._case(e)
            for e in self.service.endpoints
            if not e.access.public
            and e.access.schemes
            and e.kind is not Kind.TOKEN
            and any(s.name in e.access.schemes for s in self.used_schemes)
        ]

    @cached_property
    def bearer_cases(self) -> list[tuple[str, str, str, Any]]:
        bearer = {s.name for s in self.used_schemes if s.kind == "bearer"}
        return [
            self._case(e)
            for e in self.service.endpoints
            if not e.access.public and e.access.schemes and set(e.access.schemes) <= bearer
        ]

    @property
    def token_prefixes(self) -> list[str]:
        return sorted({s.prefix.lower() for s in self.used_schemes if s.kind == "bearer"})

    @cached_property
    def role_cases(self) -> list[tuple[str, str, str, Any]]:
        ordinary = self.ordinary_role_value
        held = set(ordinary) if isinstance(ordinary, list) else {ordinary}
        return [
            self._case(e)
            for e in self.service.endpoints
            if e.access.roles and not held & set(e.access.roles) and not e.access.public
        ]

    @property
    def owned_resources(self) -> list[ResourceView]:
        return [r for r in self.resources if r.resource.owned]

    @property
    def rate_limit_case(self) -> CaseView | None:
        """An operation to exhaust a rate limit on: sign-in, else a list without parameters."""
        candidates = [
            e
            for e in self.service.endpoints
            if e.implemented
            and e.access.public
            and e.rate_scope in ("default", "auth")
            and not any(p.location == "path" for p in e.params)
        ]
        # Lists first (they change nothing), then anything else public.
        candidates.sort(key=lambda e: e.kind is not Kind.LIST)
        return CaseView(*self._case(candidates[0])) if candidates else None

    @property
    def body_case(self) -> CaseView | None:
        for endpoint in self.service.endpoints:
            if endpoint.request_model:
                return CaseView(*self._case(endpoint))
        return None

    @property
    def etag_case(self) -> CaseView | None:
        for endpoint in self.service.endpoints:
            if endpoint.kind is Kind.LIST and endpoint.implemented and not endpoint.param("parent"):
                return CaseView(*self._case(endpoint))
        return None

    @staticmethod
    def attr_of(json_name: str) -> str:
        return attribute(json_name)

    @cached_property
    def used_schemes(self) -> list[AuthScheme]:
        names: list[str] = []
        for endpoint in self.service.endpoints:
            names += [n for n in endpoint.access.schemes if n not in names]
        schemes = self.service.auth.schemes
        return [schemes[n] for n in names if n in schemes and schemes[n].supported]

    @property
    def challenge(self) -> str:
        bearer = next((s for s in self.used_schemes if s.kind == "bearer"), None)
        return f'{bearer.prefix} realm="api"' if bearer else 'ApiKey realm="api"'

    def auth_call(self, endpoint: Endpoint) -> str:
        supported = {s.name for s in self.used_schemes}
        args = [repr(n) for n in endpoint.access.schemes if n in supported]
        if endpoint.access.roles:
            roles = ", ".join(repr(r) for r in endpoint.access.roles)
            args.append(f"roles=({roles},)")
        if endpoint.access.optional:
            args.append("optional=True")
        return f"authenticated({', '.join(args)})"

    @staticmethod
    def cached_list(endpoint: Endpoint) -> bool:
        """Public lists may be served from the Redis cache (when one is configured)."""
        return endpoint.access.public and not endpoint.access.optional

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
    def documented_model(endpoint: Endpoint) -> str:
        """The response model FastAPI documents for a route (the contract is what is served)."""
        if endpoint.status_code == 204 or not endpoint.response_model or not endpoint.implemented:
            return "None"
        return endpoint.response_model

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
                args.append("body")
            return ", ".join(args)
        assert resource is not None
        id_param = endpoint.param("id")
        if id_param is not None and endpoint.kind is not Kind.CREATE:
            args.append(id_param.name)
        if endpoint.request_model and endpoint.kind is not Kind.DELETE:
            args.append("body")
        args += [f"{p.name}={p.name}" for p in resource.scope_params(endpoint)]
        if resource.resource.owned:
            args.append("principal=principal")
        if endpoint.if_match:
            args.append("if_match=if_match")
        return ", ".join(args)

    @staticmethod
    def init_params(resource: ResourceView) -> str:
        repositories = [resource, *resource.parents]
        return ", ".join(f"{r.repository_attr}: {r.repository_class}" for r in repositories)

    @staticmethod
    def service_construction(resource: ResourceView) -> str:
        repositories = [resource, *resource.parents]
        return ", ".join(f"{r.repository_class}(session)" for r in repositories)

    @staticmethod
    def service_params(resource: ResourceView, endpoint: Endpoint) -> str:
        """The parameters of a service method, after ``self``."""
        params = ["self"]
        id_param = resource.id_param(endpoint)
        if id_param is not None and endpoint.kind is not Kind.CREATE:
            params.append(f"{id_param.name}: {resource.id_type}")
        if endpoint.request_model:
            optional = "" if endpoint.request_required else " | None"
            params.append(f"body: {endpoint.request_model}{optional}")
        keywords = [
            f"{p.name}: {resource.parent_for(p).id_type}" for p in resource.scope_params(endpoint)
        ]
        if endpoint.kind is Kind.LIST:
            keywords += [f"{p.name}: {p.annotation}" for p in resource.filter_params(endpoint)]
            if endpoint.param("sort"):
                keywords.append("sort: str | None")
            keywords += ["limit: int", "offset: int"]
        if resource.resource.owned:
            keywords.append("principal: Principal")
        if endpoint.if_match:
            keywords.append("if_match: str | None")
        if keywords:
            params += ["*", *keywords]
        return ", ".join(params)

    @staticmethod
    def search_args(resource: ResourceView, endpoint: Endpoint) -> str:
        """Keyword arguments a service passes to its repository's ``search``."""
        args = [f"{p.column}={p.name}" for p in resource.scope_params(endpoint)]
        args += [
            f"{resource.filter_argument(p)}={p.name}" for p in resource.filter_params(endpoint)
        ]
        if endpoint.param("sort"):
            args.append("sort=sort")
        if resource.resource.owned:
            args.append("**self._owner(principal)")
        return ", ".join([*args, "limit=limit", "offset=offset"])

    @staticmethod
    def list_call_args(resource: ResourceView, endpoint: Endpoint) -> str:
        """Keyword arguments a list route passes to its service."""
        args = [f"{p.name}={p.name}" for p in resource.scope_params(endpoint)]
        args += [f"{p.name}={p.name}" for p in resource.filter_params(endpoint)]
        sort = endpoint.param("sort")
        if sort:
            args.append(f"sort={sort.name}")
        limit = endpoint.param("limit")
        offset = endpoint.param("offset")
        page = endpoint.param("page")
        args.append(f"limit={limit.name if limit else 'limit'}")
        args.append(f"offset={offset.name if offset and not page else 'offset'}")
        if resource.resource.owned:
            args.append("principal=principal")
        return ", ".join(args)

    def envelope_args(self, endpoint: Endpoint) -> str:
        """The entries of a list envelope, by the contract's property names."""
        model = self.model(endpoint.envelope or "")
        alias = {f.name: f.alias for f in model.fields} if model else {}
        items = endpoint.envelope_items or "items"
        entries = [f"{alias.get(items, items)!r}: items"]
        entries += [
            f"{alias.get(name, name)!r}: {self.envelope_value(endpoint, role)}"
            for name, role in endpoint.envelope_fields.items()
        ]
        return ", ".join(entries)

    @staticmethod
    def find_scope(resource: ResourceView, endpoint: Endpoint) -> str:
        """Keyword arguments of ``_find`` that keep a read inside its parent and owner."""
        args = [f", {p.column}={p.name}" for p in resource.scope_params(endpoint)]
        if resource.resource.owned:
            args.append(", **self._owner(principal)")
        return "".join(args)

    @staticmethod
    def owner_id_type(resource: ResourceView) -> str:
        column = next(c for c in resource.table.columns if c.attr == "owner_id")
        return column.python_type

    @staticmethod
    def principal_key(python_type: str) -> str:
        """Source converting ``principal.id`` (text, from the token) to a key of ``python_type``."""
        return {"uuid.UUID": "uuid.UUID(principal.id)", "int": "int(principal.id)"}.get(
            python_type, "principal.id"
        )

    @staticmethod
    def resource_uses_if_match(resource: ResourceView) -> bool:
        return any(e.if_match and e.implemented for e in resource.endpoints)

    @staticmethod
    def parent_repositories(resource: ResourceView) -> str:
        return "".join(f" and app/repositories/{p.module}.py" for p in resource.parents)

    @staticmethod
    def route_return(endpoint: Endpoint) -> str:
        if not endpoint.implemented:
            return "None"
        if endpoint.status_code == 204 or not endpoint.response_model:
            return "Response"
        return endpoint.response_model

    @staticmethod
    def envelope_value(endpoint: Endpoint, role: str) -> str:
        """Python source for a property of a list envelope, from the paging variables."""
        page = endpoint.param("page")
        size = endpoint.param("size")
        page_size = size.name if size else "limit"
        values = {
            "total": "total",
            "page": page.name if page else "offset // limit + 1",
            "size": page_size,
            "limit": "limit",
            "offset": "offset",
            "pages": f"-(-total // {page_size})",
        }
        return values.get(role, "None")

    @cached_property
    def has_auth(self) -> bool:
        return any(e.access.needs_principal for e in self.service.endpoints)

    @cached_property
    def has_roles(self) -> bool:
        return any(e.access.roles for e in self.service.endpoints) or any(
            r.owned for r in self.service.resources
        )

    @cached_property
    def has_if_match(self) -> bool:
        return any(e.if_match for e in self.service.endpoints if e.implemented)

    @cached_property
    def has_change_password(self) -> bool:
        return any(e.kind is Kind.CHANGE_PASSWORD and e.implemented for e in self.service.endpoints)

    @cached_property
    def error_classes(self) -> list[tuple[str, str, str]]:
        """(class, status, meaning) of each error the service can raise."""
        classes = [
            ("Unauthorized", "401", "no valid credentials (with WWW-Authenticate)", self.has_auth),
            ("Forbidden", "403", "the caller may not do this", self.has_roles),
            ("NotFound", "404", "the resource, or one in its path, does not exist", True),
            ("Conflict", "409", "the request conflicts with stored data", True),
            ("PreconditionFailed", "412", "If-Match names another version", self.has_if_match),
            ("PreconditionRequired", "428", "If-Match is required", self.has_if_match),
            ("TooManyRequests", "429", "over the rate limit (with Retry-After)", True),
            (
                "NotImplementedYet",
                "501",
                "the contract does not say how to do this",
                bool(self.custom_endpoints),
            ),
        ]
        return [(name, status, doc) for name, status, doc, used in classes if used]

    @property
    def error_cases(self) -> list[tuple[list[int], ErrorFormat]]:
        """Statuses whose error body differs from the default, grouped by format."""
        groups: dict[int, tuple[list[int], ErrorFormat]] = {}
        for status, fmt in sorted(self.service.errors.items()):
            groups.setdefault(id(fmt), ([], fmt))[0].append(status)
        return list(groups.values())

    @property
    def error_formats(self) -> list[ErrorFormat]:
        return [self.service.default_error, *(fmt for _, fmt in self.error_cases)]

    @property
    def error_item_roles(self) -> dict[str, str]:
        """Properties of an item of a validation error list, across every error format."""
        roles: dict[str, str] = {}
        for fmt in self.error_formats:
            roles.update(fmt.item_roles)
        return roles or {"detail": "detail", "pointer": "pointer", "parameter": "parameter"}

    @staticmethod
    def tuple_source(values: list[int]) -> str:
        return f"({', '.join(map(str, values))},)" if len(values) == 1 else str(tuple(values))

    @staticmethod
    def error_expression(role: str) -> str:
        """Python source for the value of an error body property with ``role``."""
        return _ERROR_EXPRESSIONS[role]

    @staticmethod
    def error_item_expression(role: str) -> str:
        return _ERROR_ITEM_EXPRESSIONS.get(role, '""')


_ERROR_EXPRESSIONS = {
    "status": "status",
    "title": "HTTPStatus(status).phrase",
    "detail": "detail",
    "type": "problem_type",
    "instance": "instance",
    "code": "HTTPStatus(status).name.lower()",
    "timestamp": "datetime.datetime.now(datetime.UTC).isoformat()",
    "request_id": "current_request_id()",
    "errors": "[_error_item(error) for error in errors or [FieldError(detail)]]",
}
_ERROR_ITEM_EXPRESSIONS = {
    "detail": "error.detail",
    "pointer": "error.pointer",
    "parameter": "error.parameter",
    "field": "error.where",
}


def pystring(text: str, indent: int = 8, width: int = 92) -> str:
    """A string literal that fits the line length: adjacent literals, one per line."""
    pieces = textwrap.wrap(text, width=width - indent, drop_whitespace=False) or [""]
    if len(pieces) == 1:
        return repr(text)
    pad = " " * indent
    return (NEWLINE + pad).join(repr(piece) for piece in pieces)


def docwrap(text: str | None, indent: int = 4, width: int = 92) -> str:
    """Text for a docstring: paragraphs kept, lines wrapped, continuation lines indented."""
    pad = " " * indent
    raw = str(text or "").replace('"' * 3, "'" * 3)
    paragraphs = [" ".join(p.split()) for p in raw.split(BLANK_LINE)]
    wrapped = [
        textwrap.fill(p, width=width - indent, subsequent_indent=pad, break_on_hyphens=False)
        for p in paragraphs
        if p
    ]
    return (NEWLINE + NEWLINE + pad).join(wrapped)
