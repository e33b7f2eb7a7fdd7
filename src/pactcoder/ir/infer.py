"""Infer the service from a plain contract: resources, fields, and what each operation does.

The contract never says "this is a create"; its shape does. Paths give
collections (``/books``), items (``/books/{bookId}``) and nesting
(``/members/{memberId}/loans``); the method and schemas give the operation;
request and response schemas give the stored fields (``readOnly`` ones are
made by the server, ``writeOnly`` ones are never returned). Every decision is
recorded as a note on the field or endpoint, and every operation that cannot
be implemented from the contract alone is marked so with its reasons: nothing
is guessed silently.

Example::

    service = infer_service(document, problems)
    [(e.operation_id, e.kind.value, e.implemented) for e in service.endpoints]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from pactcoder.ir.actions import ActionInference
from pactcoder.ir.domain import DomainInference, position_column
from pactcoder.ir.model import (
    ApiModel,
    AuthSpec,
    ChildTable,
    Column,
    Direction,
    Endpoint,
    ErrorFormat,
    Kind,
    Param,
    ParentLink,
    Reference,
    Resource,
    Service,
    Source,
    Table,
)
from pactcoder.ir.names import Noun, attribute, pascal, singular, snake, variable, words
from pactcoder.ir.paths import PathShape, body_schema, path_shape, response_schema, success
from pactcoder.ir.rules import RuleInference
from pactcoder.ir.samples import SampleMaker
from pactcoder.ir.schemas import (
    INT64,
    ModelBuilder,
    ObjectShape,
    Traits,
    decimal_places,
    flatten,
    is_object,
    literal,
    max_json_bytes,
    singleton,
    unwrap,
)
from pactcoder.ir.security import (
    SecurityInference,
    body_shape,
    is_password,
    response_shape,
    token_fields,
)
from pactcoder.problems import Problems
from pactcoder.spec.model import Document, Operation, Parameter, Schema
from pactcoder.spec.xpact import xpact

_ANY = Schema(pointer="")
#: How many sample records of each resource the generated tests can create in one test.
SAMPLES = 8
_UPDATED_NAMES = {"updated", "modified", "changed", "last"}
_LIMIT = {"limit", "max_results", "top", "take"}
_OFFSET = {"offset", "skip", "start"}
_PAGE = {"page", "page_number", "page_no", "page_index"}
_SIZE = {"size", "page_size", "per_page", "limit", "page_limit", "count"}
_SORT = {"sort", "sort_by", "order_by", "ordering", "orderby", "sortby"}
_CURSOR = {"cursor", "after", "page_token", "continuation", "next", "starting_after"}
_UNIQUE = re.compile(r"(?<![-\w])unique\b", re.IGNORECASE)
_NOT_UNIQUE = re.compile(r"\b(not|non)[- ]unique\b", re.IGNORECASE)


def infer_service(document: Document, problems: Problems) -> Service:
    """The IR of the service ``document`` describes; decisions and gaps go to ``problems``."""
    return _Inferrer(document, problems).service()


@dataclass
class _Envelope:
    """A list response: its items schema and, for an object, the roles of its properties."""

    items: Schema
    wrapper: Schema | None = None
    items_key: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


def _envelope(schema: Schema) -> _Envelope | None:
    target, _ = unwrap(schema)
    if target.type == "array" and target.items is not None:
        return _Envelope(items=target.items)
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
    envelope = _Envelope(items=items, wrapper=target, items_key=key)
    for name in shape.properties:
        if name != key:
            own_count = snake(name) in (f"{snake(key)}_count", f"{singular(snake(key))}_count")
            envelope.meta[name] = "total" if own_count else _meta_role(name)
    return envelope


def _meta_role(name: str) -> str:
    key = snake(name)
    if key in {"total", "total_count", "count", "total_items", "total_elements", "items_count"}:
        return "total"
    if key in _PAGE | {"current_page"}:
        return "page"
    if key in {"size", "page_size", "per_page"}:
        return "size"
    if key in _LIMIT:
        return "limit"
    if key in _OFFSET:
        return "offset"
    if key in {"pages", "total_pages", "page_count"}:
        return "pages"
    if key in {"next_cursor", "next", "next_page_token", "cursor", "continuation"}:
        return "next_cursor"
    return "unknown"


@dataclass
class _Group:
    """All operations on one collection (and its items)."""

    key: str
    shape: PathShape
    ops: list[tuple[Operation, Kind]] = field(default_factory=list)
    schema: Schema | None = None
    envelope: dict[int, _Envelope] = field(default_factory=dict)


class _Inferrer(DomainInference, ActionInference, RuleInference):
    def __init__(self, document: Document, problems: Problems) -> None:
        self.doc = document
        self.problems = problems
        self.models = ModelBuilder(problems)
        self.samples = SampleMaker()
        self.resources: dict[str, Resource] = {}
        self._resource_of_schema: dict[int, str] = {}
        self._schema_of: dict[str, Schema] = {}
        self._extra_requests: dict[str, list[ObjectShape]] = {}
        self._groups: dict[str, _Group] = {}
        self.security = SecurityInference(document, problems)
        self.auth = AuthSpec(schemes=self.security.schemes)
        rates = xpact(document.extensions).get("rate-limit") or {}
        self.rate_default = str(rates.get("default", "100/minute"))
        self.rate_auth = str(rates.get("auth", "10/minute"))
        self._user_schema: Schema | None = None
        self._domain_init()
        self._actions_init()

    # -- the whole service -----------------------------------------------------------

    def service(self) -> Service:
        prefix = self._api_prefix()
        kinds = self._plan_jobs(self._classify())
        auth_ops = [(op, kind) for op, kind in kinds if kind.is_auth]
        self._user_schema = self.security.user_schema(auth_ops)
        self._find_resources()
        self._find_accounts(kinds)
        self._map_views()
        kinds = self._plan_actions(kinds)
        kinds = self._plan_relations(kinds)
        self._make_relations(kinds)
        kinds = self._plan_fields(kinds)
        self._build_tables()
        self._domain_columns()
        self._action_columns()
        self._link_references()
        self._domain_tables()
        self._rules_columns()
        jobs = self._jobs_plan(prefix)
        endpoints = [self._endpoint(op, kind, prefix) for op, kind in kinds]
        for endpoint in endpoints:
            if endpoint.resource:
                self.resources[endpoint.resource].endpoints.append(endpoint)
        errors, default_error = self._errors()
        validation_status = self._validation_status()
        for (op, _), endpoint in zip(kinds, endpoints, strict=True):
            self._undocumented_statuses(op, endpoint, validation_status)
        self._assign_modules()
        for resource in self.resources.values():
            self._test_data(resource)
        self._rules_test_data()
        title = self.doc.info.title
        return Service(
            title=title,
            version=self.doc.info.version,
            description=self.doc.info.description or title,
            slug="-".join(words(title)) or "service",
            api_prefix=prefix,
            openapi_version=self.doc.openapi,
            models=self._ordered_models(),
            resources=list(self.resources.values()),
            endpoints=endpoints,
            errors=errors,
            default_error=default_error,
            validation_status=validation_status,
            contract=self.doc.raw,
            auth=self.auth,
            rate_default=self.rate_default,
            rate_auth=self.rate_auth,
            relations=self.relations,
            jobs=jobs,
        )

    def _api_prefix(self) -> str:
        for url in self.doc.servers:
            path = urlparse(url).path if "://" in url else url
            if "{" not in path:
                return path.rstrip("/")
        return ""

    # -- which operation does what ---------------------------------------------------

    def _classify(self) -> list[tuple[Operation, Kind]]:
        kinds: list[tuple[Operation, Kind]] = []
        for op in self.doc.operations:
            shape = path_shape(op.path)
            kind = Kind.CUSTOM
            auth_kind = self.security.auth_kind(op)
            if auth_kind is not None:
                kinds.append((op, auth_kind))
                continue
            if shape.collection:
                on_item = shape.item_param is not None
                kind = {
                    ("get", False): Kind.LIST,
                    ("post", False): Kind.CREATE,
                    ("get", True): Kind.READ,
                    ("put", True): Kind.REPLACE,
                    ("patch", True): Kind.UPDATE,
                    ("delete", True): Kind.DELETE,
                }.get((op.method, on_item), Kind.CUSTOM)
            if kind is Kind.CREATE and body_schema(op) is None:
                kind = Kind.CUSTOM  # `POST /orders/{id}/cancel`: an action, not a creation
            if kind is not Kind.CUSTOM:
                group_key = path_shape(op.path).group
                group = self._groups.setdefault(group_key, _Group(group_key, shape))
                group.ops.append((op, kind))
            kinds.append((op, kind))
        return kinds

    def _find_resources(self) -> None:
        for group in self._groups.values():
            candidates: list[Schema] = []
            for op, kind in group.ops:
                schema = response_schema(op)
                if kind is Kind.LIST and schema is not None:
                    envelope = _envelope(schema)
                    if envelope is None:
                        continue
                    if not is_object(envelope.items):
                        continue  # `GET /tags`: a list of plain values, not of records
                    group.envelope[id(op)] = envelope
                    candidates.append(unwrap(envelope.items)[0])
                elif kind in (Kind.CREATE, Kind.READ, Kind.REPLACE, Kind.UPDATE):
                    if schema is not None and is_object(schema):
                        candidates.append(unwrap(schema)[0])
                    elif kind is Kind.CREATE and body_schema(op) is not None:
                        candidates.append(unwrap(body_schema(op))[0])  # type: ignore[arg-type]
            if not candidates:
                continue
            # The read schema is the truest picture of the resource; then the most used.
            group.schema = Counter(candidates).most_common(1)[0][0]
        views = self._plan_views(self._user_schema)
        for group in self._groups.values():
            if group.schema is None or id(group.schema) in views:
                continue
            if group.shape.parents:
                parent = self._groups.get(_parent_group_key(group.shape))
                if parent is not None and parent.schema is group.schema:
                    # `/pets/{id}/vaccinate` answering a Pet is an action on the pet.
                    group.schema = None
                    continue
            if id(group.schema) not in self._resource_of_schema:
                self._new_resource(group, group.schema)

    def _new_resource(self, group: _Group, schema: Schema) -> None:
        collection = group.shape.collection or schema.name or "item"
        noun = Noun.from_text(collection)
        if noun.singular in self.resources:  # `/users/{id}/posts` and `/posts`, other schemas
            noun = Noun.from_text(f"{schema.name or collection}")
        name = noun.singular
        placeholder_table = Table(noun.class_name, noun.plural, noun.plural, "", [])
        self.resources[name] = Resource(
            noun=noun,
            schema_name=schema.name or noun.class_name,
            read_model="",
            table=placeholder_table,
            description=" ".join((schema.description or "").split()),
        )
        self._resource_of_schema[id(schema)] = name
        self._schema_of[name] = schema

    def _find_accounts(self, kinds: list[tuple[Operation, Kind]]) -> None:
        """The accounts resource, when the contract has account operations."""
        auth_ops = [(op, kind) for op, kind in kinds if kind.is_auth]
        if not auth_ops and not self.auth.bearer:
            return
        schema = self.security.user_schema(auth_ops)
        if schema is None:
            if auth_ops:
                self.problems.warning(
                    "account operations found, but no schema of user accounts",
                    hint="answer the user from registration or GET /me, or name the schema with"
                    " x-pact auth.user",
                    at=auth_ops[0][0].location,
                )
            return
        name = self._resource_of_schema.get(id(schema))
        if name is None:
            noun = Noun.from_text(schema.name or "user")
            name = noun.singular
            self.resources[name] = Resource(
                noun=noun,
                schema_name=schema.name or noun.class_name,
                read_model="",
                table=Table(noun.class_name, noun.plural, noun.plural, "", []),
                description=" ".join((schema.description or "").split()),
            )
            self._resource_of_schema[id(schema)] = name
            self._schema_of[name] = schema
        self.auth.user_resource = name
        settings = xpact(self.doc.extensions).get("auth") or {}
        self.auth.access_token_ttl = int(settings.get("access-token-ttl", 900))
        self.auth.refresh_token_ttl = int(settings.get("refresh-token-ttl", 1_209_600))
        self.auth.issuer = str(settings.get("issuer", ""))
        self.auth.audience = str(settings.get("audience", ""))
        self.auth.admin_role = settings.get("admin-role")
        extra = self._extra_requests.setdefault(name, [])
        for op, kind in auth_ops:
            if kind in (Kind.REGISTER, Kind.UPDATE_ME) and body_schema(op) is not None:
                extra.append(flatten(unwrap(body_schema(op))[0]))  # type: ignore[arg-type]
        self._login_field(auth_ops, settings.get("login-field"))

    def _login_field(self, auth_ops: list[tuple[Operation, Kind]], named: object) -> None:
        if isinstance(named, str):
            self.auth.login_column = attribute(named)
            return
        for op, kind in auth_ops:
            if kind in (Kind.LOGIN, Kind.TOKEN):
                for field_name, schema in body_shape(op).items():
                    if not is_password(field_name, schema) and snake(field_name) not in (
                        "grant_type",
                        "scope",
                        "client_id",
                        "client_secret",
                    ):
                        self.auth.login_column = attribute(field_name)
                        return

    def _map_views(self) -> None:
        """Groups answering a view read the records of the resource the view shows."""
        for key, target in self._view_targets.items():
            group = self._groups[key]
            name = self._resource_of_schema.get(id(target))
            assert group.schema is not None
            if name is None:
                self.problems.error(
                    f"{group.schema.name or 'a schema'} shows {target.name or 'a schema'},"
                    " which no operation stores",
                    hint="x-pact view-of must name the schema of a stored resource",
                    at=group.schema.location,
                )
                group.schema = None
                continue
            self._resource_of_schema[id(group.schema)] = name

    def _resource_for(self, group_key: str) -> Resource | None:
        group = self._groups.get(group_key)
        if group is None or group.schema is None:
            return None
        return self.resources[self._resource_of_schema[id(group.schema)]]

    # -- stored fields ---------------------------------------------------------------

    def _groups_of(self, name: str) -> list[_Group]:
        return [
            g
            for g in self._groups.values()
            if g.schema is not None and self._resource_of_schema[id(g.schema)] == name
        ]

    def _build_tables(self) -> None:
        for name, resource in self.resources.items():
            groups = self._groups_of(name)
            schema = self._schema_of[name]
            requests: list[ObjectShape] = list(self._extra_requests.get(name, []))
            for group in groups:
                for op, kind in group.ops:
                    body = body_schema(op)
                    if kind in (Kind.CREATE, Kind.REPLACE, Kind.UPDATE) and body is not None:
                        requests.append(flatten(unwrap(body)[0]))
            lookup = self._lookups.get(name)
            id_param = self._id_param(groups, skip=lookup)
            parents = [(g.shape.parents[-1]) for g in groups if g.shape.parents]
            response = flatten(schema)
            skip = self._skip.get(name, set())
            response.properties = {k: v for k, v in response.properties.items() if k not in skip}
            requests = [
                ObjectShape(
                    {k: v for k, v in r.properties.items() if k not in skip},
                    r.required - skip,
                    r.forbid_extra,
                    r.min_properties,
                    r.description,
                )
                for r in requests
            ]
            resource.table = self._table(
                resource.noun, response, requests, id_param, parents, resource.noun.plural
            )
            resource.read_model = self.models.model_for(
                schema, Direction.RESPONSE, context=resource.noun.class_name
            )
            resource.owned = (
                xpact(schema.extensions).get("owner") == "creator" or name in self._implied_owners
            )
            if name in self._implied_owners:
                resource.description = resource.description or ""
            if name == self.auth.user_resource:
                self._account_columns(resource.table)

    def _account_columns(self, table: Table) -> None:
        """Passwords are never stored: a hash column replaces them; roles and status found."""
        table.columns = [c for c in table.columns if not is_password(c.api_name, _ANY)]
        table.columns.append(
            Column(
                attr="password_hash",
                api_name="password_hash",
                python_type="str",
                sa_type="String(255)",
                nullable=False,
                source=Source.SECRET,
                exposed=False,
                notes=["argon2 hash of the password; never returned, never logged"],
            )
        )
        for column in table.columns:
            if column.attr == self.auth.login_column:
                column.unique = True
                if "the login name" not in column.notes:
                    column.notes.append("the login name: unique")
            key = snake(column.api_name)
            if key in ("role", "roles", "scopes", "permissions") and self.auth.role_column is None:
                self.auth.role_column = column.attr
                self.auth.roles_are_list = column.python_type.startswith("list")
                self.auth.default_role = (column.default or "").strip("'\"") or None
                if self.auth.admin_role is None:
                    enum = (
                        re.findall(r"'([^']+)'", column.sa_type)
                        if "Enum(" in column.sa_type
                        else []
                    )
                    self.auth.admin_role = "admin" if "admin" in enum else None
            if key in ("active", "enabled", "is_active") and column.python_type == "bool":
                self.auth.active_column = column.attr

    def _id_param(self, groups: list[_Group], skip: str | None = None) -> Parameter | None:
        for group in groups:
            for op, kind in group.ops:
                if kind in (Kind.READ, Kind.REPLACE, Kind.UPDATE, Kind.DELETE):
                    for parameter in op.parameters:
                        if parameter.name == skip:
                            continue  # a natural key (`{slug}`), not the id
                        if parameter.in_ == "path" and parameter.name == group.shape.item_param:
                            return parameter
        return None

    def _table(
        self,
        noun: Noun,
        response: ObjectShape,
        requests: list[ObjectShape],
        id_param: Parameter | None,
        parents: list[tuple[str, str]],
        module: str,
    ) -> Table:
        table = Table(noun.class_name, noun.plural, module, "", [])
        writable: set[str] = set()
        for shape in requests:
            writable |= set(shape.properties)
        fields: dict[str, Schema] = dict(response.properties)
        for shape in requests:
            for key, prop in shape.properties.items():
                fields.setdefault(key, prop)
        id_name = self._id_field(fields, id_param, noun)
        parent_params = {param: collection for collection, param in parents}
        has_requests = bool(requests)
        for json_name, prop in fields.items():
            target, traits = unwrap(prop)
            if json_name == id_name:
                table.columns.insert(0, self._id_column(json_name, target, id_param))
                continue
            if self._is_child_array(target):
                child = self._child_table(noun, json_name, target, response, requests)
                table.children.append(child)
                continue
            in_response = json_name in response.properties
            server_made = traits.read_only or (has_requests and json_name not in writable)
            descriptions = [traits.description] + [
                unwrap(s.properties[json_name])[1].description
                for s in requests
                if json_name in s.properties
            ]
            traits.description = " ".join(d for d in descriptions if d) or None
            flags = {**xpact(target.extensions), **xpact(prop.extensions)}
            if json_name in parent_params and server_made:
                column = self._column(json_name, target, traits, False, in_response)
                column.source = Source.PARENT
                column.notes = [f"the parent's id, from the path parameter {{{json_name}}}"]
            else:
                column = self._column(json_name, target, traits, server_made, in_response)
            if flags.get("unique") and not column.unique:
                column.unique = True
                column.notes.append("unique (x-pact)")
            if not in_response or traits.write_only:
                column.exposed = False
                column.notes.append("never returned (writeOnly, or not in the response schema)")
            if in_response and json_name not in response.required and not column.nullable:
                column.nullable = True
            table.columns.append(column)
        if not table.columns or not table.columns[0].primary_key:
            table.columns.insert(0, self._surrogate_id(id_param))
        for collection, param in parents:
            if not any(c.api_name == param for c in table.columns):
                attr = attribute(param)
                table.columns.append(
                    Column(
                        attr=attr,
                        api_name=param,
                        python_type="int",
                        sa_type="BigIntId",
                        nullable=False,
                        source=Source.PARENT,
                        exposed=False,
                        notes=[f"links each row to its {singular(collection)} (from the path)"],
                    )
                )
        table.doc = response.description or f"A stored {noun.title}."
        return table

    @staticmethod
    def _id_field(fields: dict[str, Schema], id_param: Parameter | None, noun: Noun) -> str | None:
        if id_param is not None and id_param.name in fields:
            return id_param.name
        for candidate in ("id", f"{noun.singular}Id", f"{noun.singular}_id", "uuid"):
            if candidate in fields:
                return candidate
        return None

    def _id_column(self, json_name: str, target: Schema, id_param: Parameter | None) -> Column:
        kind = target.type
        fmt = target.format
        if id_param is not None and id_param.schema is not None:
            param_target, _ = unwrap(id_param.schema)
            kind, fmt = param_target.type or kind, param_target.format or fmt
        column = Column(
            attr=attribute(json_name),
            api_name=json_name,
            python_type="int",
            sa_type="BigIntId",
            nullable=False,
            source=Source.ID,
            primary_key=True,
        )
        if kind == "string" and fmt == "uuid":
            column.python_type, column.sa_type, column.default = "uuid.UUID", "Uuid", "uuid.uuid4"
            column.notes.append("uuid made by the service")
        elif kind == "string":
            column.python_type, column.sa_type = "str", "String(255)"
            column.source = Source.CLIENT
            column.notes.append("a string key chosen by the client")
        else:
            column.notes.append("integer made by the database")
        return column

    def _surrogate_id(self, id_param: Parameter | None) -> Column:
        column = self._id_column("id", Schema(pointer="", type="integer"), id_param)
        column.exposed = False
        column.notes.append("hidden key: the contract shows no identifier")
        return column

    @staticmethod
    def _is_child_array(target: Schema) -> bool:
        return (
            target.type == "array"
            and target.items is not None
            and is_object(target.items)
            and bool(flatten(unwrap(target.items)[0]).properties)
        )

    def _child_table(
        self,
        parent: Noun,
        json_name: str,
        target: Schema,
        response: ObjectShape,
        requests: list[ObjectShape],
    ) -> ChildTable:
        assert target.items is not None
        item_response = flatten(unwrap(target.items)[0])
        item_requests = []
        for shape in requests:
            prop = shape.properties.get(json_name)
            if prop is not None and unwrap(prop)[0].items is not None:
                item_requests.append(flatten(unwrap(unwrap(prop)[0].items)[0]))  # type: ignore[arg-type]
        noun = Noun.from_text(f"{parent.singular}_{singular(snake(json_name))}")
        table = self._table(noun, item_response, item_requests, None, [], parent.plural)
        parent_column = f"{parent.singular}_id"
        table.columns.insert(
            1,
            Column(
                attr=parent_column,
                api_name=parent_column,
                python_type="Any",
                sa_type="",
                nullable=False,
                source=Source.PARENT,
                exposed=False,
                foreign_key=f"{parent.plural}.id",
                ondelete="CASCADE",
                index=True,
                notes=[f"the {parent.title} this row belongs to; removed with it"],
            ),
        )
        table.columns.insert(2, position_column("keeps the order of the array"))
        table.doc = f"One element of {parent.title}.{json_name}, stored as a row."
        return ChildTable(
            attr=attribute(json_name),
            api_name=json_name,
            table=table,
            parent_column=parent_column,
            required=json_name in response.required,
        )

    def _column(
        self, json_name: str, target: Schema, traits: Traits, server_made: bool, in_response: bool
    ) -> Column:
        python_type, sa_type, places = self._storage(target, attribute(json_name))
        column = Column(
            attr=attribute(json_name),
            api_name=json_name,
            python_type=python_type,
            sa_type=sa_type,
            nullable=traits.nullable,
            source=Source.CLIENT,
            description=traits.description,
            decimal_places=places,
        )
        if places is not None:
            column.notes.append(f"decimal string stored as NUMERIC with {places} decimals")
        description = traits.description or ""
        if _UNIQUE.search(description) and not _NOT_UNIQUE.search(description):
            column.unique = True
            column.notes.append("unique (its description says so)")
        if traits.has_default:
            column.default = literal(traits.default)
        if not server_made:
            return column
        name_words = set(words(json_name))
        if target.format == "date-time" and name_words & _UPDATED_NAMES:
            column.source = Source.UPDATED
            column.notes.append("set by the service when created and on every change")
        elif target.format == "date-time" and not traits.nullable:
            column.source = Source.CREATED
            column.notes.append("set by the service when the row is created")
        elif traits.has_default:
            column.source = Source.DEFAULT
            column.notes.append(f"server-made: starts as {column.default} (its default)")
        elif traits.nullable or not in_response:
            column.source = Source.NULL
            column.nullable = True
            column.notes.append("server-made and nothing in the contract sets it: stays null")
        else:
            column.source = Source.UNKNOWN
            column.nullable = True
            column.notes.append("server-made, but the contract does not say how to compute it")
        return column

    @staticmethod
    def _storage(target: Schema, column: str) -> tuple[str, str, int | None]:
        """(python type, SQLAlchemy type source, decimal places) for a stored value."""
        if target.has_const and isinstance(target.const, str):
            return "str", f"String({max(len(target.const), 1)})", None
        if target.enum is not None and all(isinstance(v, str) for v in target.enum):
            width = max((len(v) for v in target.enum), default=1)
            values = ", ".join(repr(v) for v in target.enum)
            name = snake(target.name) if target.name else column
            name_arg = f", name={name!r}"
            enum_type = (
                f"Enum({values}{name_arg}, native_enum=False, create_constraint=True,"
                f" length={width})"
            )
            return "str", enum_type, None
        kind, fmt = target.type, (target.format or "").lower()
        if kind == "string":
            places = decimal_places(target)
            if places is not None:
                digits = max((target.max_length or 19) - 1, places + 1)
                return "str", f"DecimalString({digits}, {places})", places
            if fmt == "date-time":
                return "datetime.datetime", "UTCDateTime", None
            if fmt == "date":
                return "datetime.date", "Date", None
            if fmt == "uuid":
                return "uuid.UUID", "Uuid", None
            if target.max_length is not None and target.max_length <= 255:
                return "str", f"String({target.max_length})", None
            return "str", "Text", None
        if kind == "integer":
            return "int", "Integer" if target.format == "int32" else "BigInteger", None
        if kind == "number":
            return "float", "Double", None
        if kind == "boolean":
            return "bool", "Boolean", None
        if kind == "array":
            return "list[Any]", "JSONDocument", None
        return "dict[str, Any]", "JSONDocument", None

    # -- references between resources -----------------------------------------------

    def _owner_columns(self) -> None:
        """Owned resources get the creator's id: a foreign key to the accounts table."""
        users = self.resources.get(self.auth.user_resource or "")
        for resource in self.resources.values():
            if not resource.owned:
                continue
            if users is None:
                self.problems.error(
                    f"{resource.schema_name} is owned by its creator, but the contract has no"
                    " user accounts",
                    hint="add account operations (register, login) or remove x-pact owner",
                    at=self._schema_of[resource.noun.singular].location,
                )
                continue
            user_id = users.id_column
            resource.table.columns.append(
                Column(
                    attr="owner_id",
                    api_name="owner_id",
                    python_type=user_id.python_type,
                    sa_type=_fk_type(user_id.sa_type),
                    nullable=False,
                    source=Source.OWNER,
                    exposed=False,
                    foreign_key=f"{users.table.table_name}.{user_id.attr}",
                    ondelete="CASCADE",
                    index=True,
                    references=users.noun.singular,
                    notes=[
                        f"the {users.noun.title} who created it; "
                        + (
                            "anyone reads it, only they (and admins) change it"
                            if resource.readers == "everyone"
                            else "only they (and admins) see it"
                        )
                        + "; removed with them"
                    ],
                )
            )

    def _link_references(self) -> None:
        self._owner_columns()
        by_id_name: dict[str, Resource] = {}
        for resource in self.resources.values():
            by_id_name[f"{resource.noun.singular}_id"] = resource
        for resource in self.resources.values():
            tables = [resource.table, *(c.table for c in resource.table.children)]
            for table in tables:
                for column in table.columns:
                    if column.primary_key or column.foreign_key or column.source is Source.OWNER:
                        continue
                    target = by_id_name.get(column.attr)
                    if target is None:
                        continue
                    target_id = target.id_column
                    if column.python_type not in (target_id.python_type, "Any"):
                        continue
                    column.foreign_key = f"{target.table.table_name}.{target_id.attr}"
                    column.ondelete = "RESTRICT"
                    column.references = target.noun.singular
                    column.index = True
                    what = _a(target.noun.title)
                    column.notes.append(
                        f"refers to {what} (from its name); {what} still referred to"
                        " cannot be deleted"
                    )
            for group in self._groups_of(resource.noun.singular):
                if not group.shape.parents:
                    continue
                _, param = group.shape.parents[-1]
                parent = self._resource_for(_parent_group_key(group.shape))
                if parent is None:
                    continue
                column = next(c for c in resource.table.columns if c.api_name in (param,))
                if parent.lookup and self._lookups.get(parent.noun.singular) == param:
                    # `/articles/{slug}/comments`: rows keep the article's id, not its slug.
                    column.attr = f"{parent.noun.singular}_id"
                    column.notes = [
                        f"the {parent.noun.title}'s id, found by its {param} in the path"
                    ]
                if resource.cascade:
                    column.ondelete = "CASCADE"
                    column.notes.append(f"deleted with its {parent.noun.title}")
                if column.foreign_key is None:
                    column.foreign_key = f"{parent.table.table_name}.{parent.id_column.attr}"
                    column.ondelete = "CASCADE" if resource.cascade else "RESTRICT"
                    column.references = parent.noun.singular
                    column.index = True
                column.python_type = parent.id_column.python_type
                column.sa_type = _fk_type(parent.id_column.sa_type)
                link = ParentLink(resource=parent.noun.singular, column=column.attr)
                if all(p.resource != link.resource for p in resource.parents):
                    resource.parents.append(link)
            for child in resource.table.children:
                column = child.table.columns[1]
                column.python_type = resource.id_column.python_type
                column.sa_type = _fk_type(resource.id_column.sa_type)
                column.foreign_key = f"{resource.table.table_name}.{resource.id_column.attr}"

    # -- endpoints -------------------------------------------------------------------

    def _endpoint(self, op: Operation, kind: Kind, prefix: str) -> Endpoint:
        shape = path_shape(op.path)
        if kind.is_auth:
            resource = self.resources.get(self.auth.user_resource or "")
        elif kind in (Kind.RELATE, Kind.UNRELATE):
            resource = self._relation_target(op)
        elif kind is Kind.DISTINCT:
            resource = self.resources[self._distinct_ops[id(op)][0]]
        elif kind is Kind.ACTION:
            resource = self.resources[self._action_ops[id(op)][0]]
        elif kind is Kind.JOB:
            resource = self.resources[self._job_ops[id(op)].resource]
        elif kind is Kind.JOB_STATUS:
            resource = None
        else:
            resource = self._resource_for(shape.group) if kind is not Kind.CUSTOM else None
        found = success(op)
        status = found[0] if found else (204 if op.method == "delete" else 200)
        function = variable(op.operation_id or f"{op.method}_{'_'.join(words(op.path))}")
        endpoint = Endpoint(
            operation_id=op.operation_id or function,
            function=function,
            method=op.method,
            path=op.path,
            kind=kind if resource is not None or kind is Kind.JOB_STATUS else Kind.CUSTOM,
            summary=" ".join((op.summary or _sentence(op.operation_id) or op.key).split()),
            description=op.description,
            tags=op.tags,
            resource=resource.noun.singular if resource else None,
            status_code=status,
            response_model=None,
            request_model=None,
            location=op.location,
        )
        endpoint.responses = {
            int(code): None for code in op.responses if code.isdigit() and not code.startswith("2")
        }
        self._request(endpoint, op)
        self._response(endpoint, op, resource)
        if resource is not None:
            self._domain_endpoint(endpoint, op, resource)
        self._action_endpoint(endpoint, op)
        self._params(endpoint, op, resource, shape)
        self._feasibility(endpoint, op, resource, kind)
        self._protection(endpoint, op)
        if kind.is_auth:
            self._account_operation(endpoint, op, kind)
        return endpoint

    def _protection(self, endpoint: Endpoint, op: Operation) -> None:
        """Who may call it, how often, how it is cached."""
        endpoint.access = self.security.access(op)
        self._transition_access(endpoint, op)
        if endpoint.access.roles and endpoint.access.public:
            self.problems.error(
                f"{endpoint.method.upper()} {endpoint.path} needs roles but is public",
                hint="remove `security: []` or the x-pact roles",
                at=op.location,
            )
        for name in endpoint.access.schemes:
            scheme = self.auth.schemes.get(name)
            if scheme is None:
                continue
            if not scheme.supported and all(
                not self.auth.schemes[n].supported for n in endpoint.access.schemes
            ):
                endpoint.implemented = False
                endpoint.reasons.append(scheme.reason)
            if scheme.kind == "bearer" and not self.auth.has_accounts:
                endpoint.notes.append(
                    "tokens are checked, but the contract has no account operations to issue them"
                )
        settings = xpact(op.extensions)
        auth_scope = endpoint.kind in (
            Kind.REGISTER,
            Kind.LOGIN,
            Kind.TOKEN,
            Kind.REFRESH,
            Kind.CHANGE_PASSWORD,
        )
        endpoint.rate_limit = str(
            settings.get("rate-limit", self.rate_auth if auth_scope else self.rate_default)
        )
        endpoint.rate_scope = (
            endpoint.operation_id
            if "rate-limit" in settings
            else ("auth" if auth_scope else "default")
        )
        if "cache" in settings:
            endpoint.cache_control = str(settings["cache"])
        elif endpoint.method == "get":
            endpoint.cache_control = "no-cache" if endpoint.access.public else "private, no-cache"
        for parameter in op.parameters:
            if parameter.in_ == "header" and parameter.name.lower() == "if-match":
                endpoint.if_match = "required" if parameter.required else "optional"
        if endpoint.access.roles:
            endpoint.notes.append(f"only for roles: {', '.join(endpoint.access.roles)}")

    def _account_operation(self, endpoint: Endpoint, op: Operation, kind: Kind) -> None:
        """Fields of the account operations, and whether pactcoder can implement them."""
        if self.auth.user_resource is None:
            endpoint.implemented = False
            endpoint.reasons.append("no schema of user accounts found")
            return
        body = body_shape(op)
        passwords = [n for n, s in body.items() if is_password(n, s)]
        tokens = token_fields(response_shape(op))
        fields = endpoint.auth_fields
        if kind in (Kind.REGISTER, Kind.LOGIN, Kind.TOKEN):
            if not passwords:
                endpoint.implemented = False
                endpoint.reasons.append("its body has no password field")
            else:
                fields["password"] = passwords[0]
        if kind in (Kind.LOGIN, Kind.TOKEN) and self.auth.login_column is None:
            endpoint.implemented = False
            endpoint.reasons.append("its body has no login field (email or username)")
        signed = (Kind.REGISTER, Kind.ME, Kind.UPDATE_ME)
        if kind in (Kind.LOGIN, Kind.TOKEN, Kind.REFRESH) or (kind in signed and tokens):
            if "access" not in tokens:
                endpoint.implemented = False
                endpoint.reasons.append("its response has no access token field")
            fields.update({f"token_{role}": name for role, name in tokens.items()})
        if kind is Kind.REFRESH:
            refresh = next((n for n in body if "refresh" in snake(n)), None)
            if refresh is None:
                endpoint.implemented = False
                endpoint.reasons.append("its body has no refresh token field")
            else:
                fields["refresh"] = refresh
        if kind is Kind.CHANGE_PASSWORD:
            current = next((n for n in passwords if words(n)[0] in ("current", "old")), None)
            new = next((n for n in passwords if words(n)[0] == "new"), None)
            if current is None or new is None:
                endpoint.implemented = False
                endpoint.reasons.append("its body needs a current and a new password")
            else:
                fields.update(current=current, new=new)
        if kind in (Kind.ME, Kind.UPDATE_ME, Kind.CHANGE_PASSWORD) and endpoint.access.public:
            endpoint.implemented = False
            endpoint.reasons.append("it acts on the signed-in user but does not require sign-in")
        endpoint.notes.append(f"account operation: {kind.value}")

    def _request(self, endpoint: Endpoint, op: Operation) -> None:
        body = op.request_body
        if body is None or endpoint.kind is Kind.TOKEN:
            return  # the OAuth2 token endpoint reads its form itself
        endpoint.request_required = body.required
        endpoint.content_types = list(body.content)
        entry = body.json()
        if entry is None:
            endpoint.implemented = False
            endpoint.reasons.append(
                f"the request body is {', '.join(body.content)}; only JSON bodies are implemented"
            )
            return
        if entry.schema is None:
            return
        context = pascal(f"{endpoint.operation_id}_body")
        info = self.models.annotation(entry.schema, Direction.REQUEST, context=context)
        endpoint.request_model = info.annotation
        endpoint.request_sample = self.samples.value(entry.schema, 0)
        endpoint.request_bytes = max_json_bytes(entry.schema)
        wrapped = self._wrapped(endpoint, entry.schema, info.annotation, Direction.REQUEST)
        if wrapped is not None:
            endpoint.request_envelope, endpoint.request_model = wrapped

    def _response(self, endpoint: Endpoint, op: Operation, resource: Resource | None) -> None:
        found = success(op)
        if found is None:
            return
        _, response = found
        for header in response.headers:
            if header.lower() == "location":
                endpoint.location_header = True
            elif "total" in header.lower() or "count" in header.lower():
                endpoint.total_header = header
        entry = response.json()
        if entry is None or entry.schema is None:
            return
        context = pascal(f"{endpoint.operation_id}_response")
        if endpoint.kind is Kind.LIST and resource is not None:
            envelope = _envelope(entry.schema)
            if envelope is not None and envelope.wrapper is not None:
                endpoint.envelope = self.models.model_for(
                    envelope.wrapper, Direction.RESPONSE, context=context
                )
                endpoint.envelope_items = attribute(envelope.items_key or "items")
                endpoint.envelope_items_key = envelope.items_key
                endpoint.envelope_fields = {attribute(k): v for k, v in envelope.meta.items()}
                endpoint.response_model = endpoint.envelope
                for key, role in envelope.meta.items():
                    if role == "unknown":
                        endpoint.notes.append(f"list property '{key}' has no known meaning")
                return
            endpoint.envelope = "array"
            endpoint.response_model = f"list[{resource.read_model}]"
            return
        info = self.models.annotation(entry.schema, Direction.RESPONSE, context=context)
        endpoint.response_model = info.annotation
        wrapped = self._wrapped(endpoint, entry.schema, info.annotation, Direction.RESPONSE)
        if wrapped is not None:
            endpoint.response_envelope, endpoint.response_model = wrapped

    def _wrapped(
        self, endpoint: Endpoint, schema: Schema, annotation: str, direction: Direction
    ) -> tuple[tuple[str, str], str] | None:
        """For a body wrapped in one property (`{"article": {...}}`): (wrapper model, key)
        and the model of what is inside; None for a body that is not wrapped."""
        found = singleton(schema)
        if found is None:
            return None
        key, inner = found
        context = pascal(f"{endpoint.operation_id}_{key}")
        model = self.models.annotation(inner, direction, context=context).annotation
        endpoint.notes.append(f"the {direction.value} body is wrapped in {{{key!r}: ...}}")
        return (annotation, attribute(key)), model

    def _params(
        self, endpoint: Endpoint, op: Operation, resource: Resource | None, shape: PathShape
    ) -> None:
        table = resource.table if resource else None
        parent_params = {param for _, param in shape.parents}
        paging = {snake(p.name) for p in op.parameters if p.in_ == "query"}
        for parameter in op.parameters:
            if parameter.in_ not in ("path", "query"):
                endpoint.notes.append(
                    f"{parameter.in_} parameter '{parameter.name}' is accepted and not used"
                )
                continue
            schema = parameter.schema or Schema(pointer="", type="string")
            info = self.models.annotation(
                schema, Direction.REQUEST, context=f"{endpoint.operation_id}_{parameter.name}"
            )
            target, traits = unwrap(schema)
            # Query and path values arrive as text: they are parsed, not strictly typed.
            annotation = re.sub(r"\bInteger\b", "int", info.annotation)
            constraints = list(info.constraints)
            if parameter.in_ == "path" and target.type == "integer" and not constraints:
                constraints = [f"ge={INT64[0]}", f"le={INT64[1]}"]
            default = ""
            if not parameter.required:
                default = literal(traits.default) if traits.has_default else "None"
                if default == "None" and not annotation.endswith("None"):
                    annotation = f"{annotation} | None"
            param = Param(
                name=variable(parameter.name),
                alias=parameter.name,
                annotation=annotation,
                default=default,
                location=parameter.in_,
                constraints=constraints,
                description=parameter.description,
            )
            param.sample = self.samples.value(schema, 0)
            self._param_role(param, parameter, shape, table, parent_params, paging, endpoint)
            if param.role in ("limit", "size", "page", "offset") and target.maximum is None:
                # Paging is clamped in the route rather than refused: any page is valid.
                param.constraints = [c for c in param.constraints if not c.startswith("le=")]
            self._paging_defaults(param, endpoint)
            endpoint.params.append(param)

    @staticmethod
    def _paging_defaults(param: Param, endpoint: Endpoint) -> None:
        defaults = {"limit": "20", "size": "20", "page": "1", "offset": "0"}
        if param.role not in defaults:
            return
        if param.default in ("", "None"):
            param.default = defaults[param.role]
            param.annotation = param.annotation.removesuffix(" | None")
            endpoint.notes.append(f"'{param.alias}' defaults to {param.default}")
        bounded = any(c.startswith(("le=", "lt=")) for c in param.constraints)
        if param.role in ("limit", "size") and not bounded:
            param.clamp = 100
            endpoint.notes.append(f"'{param.alias}' above 100 is served as 100 (no maximum given)")

    def _param_role(
        self,
        param: Param,
        parameter: Parameter,
        shape: PathShape,
        table: Table | None,
        parent_params: set[str],
        query_names: set[str],
        endpoint: Endpoint,
    ) -> None:
        name = snake(parameter.name)
        relate = endpoint.kind in (Kind.RELATE, Kind.UNRELATE, Kind.ACTION, Kind.JOB)
        if parameter.in_ == "path":
            item = shape.parents[-1][1] if relate and shape.parents else shape.item_param
            resource = self.resources.get(endpoint.resource or "")
            if parameter.name == item and table is not None and resource is not None:
                lookup = self._lookups.get(resource.noun.singular)
                by_key = lookup == parameter.name and resource.lookup is not None
                param.role = "id"
                param.column = resource.lookup if by_key else table.primary_key.attr
            elif parameter.name in parent_params:
                param.role = "parent"
                column = next(
                    (c for c in (table.columns if table else []) if c.api_name == parameter.name),
                    None,
                )
                param.column = column.attr if column else None
            else:
                param.role = "unused"
            return
        if (
            name in _CURSOR
            and endpoint.kind is Kind.LIST
            and "next_cursor" in (endpoint.envelope_fields.values())
        ):
            param.role = "cursor"
            return
        if endpoint.kind is not Kind.LIST or table is None:
            param.role = "unused"
            endpoint.notes.append(f"query parameter '{parameter.name}' is accepted and not used")
            return
        if name in _PAGE:
            param.role = "page"
        elif name in _LIMIT and not (query_names & _PAGE):
            param.role = "limit"
        elif name in _OFFSET:
            param.role = "offset"
        elif name in _SIZE and query_names & _PAGE:
            param.role = "size"
        elif name in _SORT:
            param.role = "sort"
            param.sort_options = self._sort_options(parameter, table, endpoint)
        else:
            self._filter(param, parameter, table, endpoint)

    def _filter(self, param: Param, parameter: Parameter, table: Table, endpoint: Endpoint) -> None:
        resource = self.resources.get(endpoint.resource or "")
        if resource is not None and self._domain_filter(param, parameter, resource, endpoint):
            return
        by_api = {c.api_name: c for c in table.columns if c.exposed or c.foreign_key}
        name = parameter.name
        column = by_api.get(name)
        if column is not None and not column.sa_type.startswith("JSON"):
            param.column, param.operator = column.attr, "eq"
            endpoint.notes.append(f"'{name}' filters on {column.api_name} (equal)")
            return
        for candidate in by_api.values():
            if candidate.sa_type == "JSONDocument" and singular(candidate.api_name) == name:
                param.column, param.operator = candidate.attr, "contains"
                endpoint.notes.append(f"'{name}' filters on {candidate.api_name} (contains)")
                return
        for prefix, operator in (("min", "min"), ("max", "max"), ("from", "min"), ("to", "max")):
            parts = words(name)
            if parts and parts[0] == prefix:
                rest = "_".join(parts[1:])
                match = next((c for c in by_api.values() if snake(c.api_name) == rest), None)
                if match is not None:
                    param.column, param.operator = match.attr, operator
                    symbol = "≥" if operator == "min" else "≤"
                    endpoint.notes.append(f"'{name}' filters on {match.api_name} ({symbol})")
                    return
        param.role = "unused"
        self.problems.warning(
            f"{endpoint.method.upper()} {endpoint.path}: query parameter '{name}' matches no"
            " stored field; it is accepted and ignored",
            hint="rename it after the field it filters, or implement it in the service module",
            at=parameter.location,
        )
        endpoint.notes.append(f"query parameter '{name}' is accepted and ignored")

    def _sort_options(
        self, parameter: Parameter, table: Table, endpoint: Endpoint
    ) -> dict[str, tuple[str, bool]]:
        schema = parameter.schema
        target = unwrap(schema)[0] if schema else None
        by_api = {c.api_name: c for c in table.columns if c.exposed}
        options: dict[str, tuple[str, bool]] = {}
        values = list(target.enum or []) if target and target.enum else None
        if values is None:
            for api_name, column in by_api.items():
                if not column.sa_type.startswith("JSON"):
                    options[api_name] = (column.attr, False)
                    options[f"-{api_name}"] = (column.attr, True)
            return options
        for value in values:
            text = str(value)
            descending = text.startswith("-") or text.endswith((":desc", ",desc", "_desc"))
            key = re.sub(r"^[-+]|[:,_](asc|desc)$", "", text)
            match = by_api.get(key)
            if match is None:
                self.problems.warning(
                    f"sort value '{text}' names no stored field; it sorts by id",
                    hint="use the name of a field of the response, optionally with a leading '-'",
                    at=parameter.location,
                )
                continue
            options[text] = (match.attr, descending)
        endpoint.notes.append(f"'{parameter.name}' sorts by {', '.join(options) or 'id'}")
        return options

    def _feasibility(
        self, endpoint: Endpoint, op: Operation, resource: Resource | None, kind: Kind
    ) -> None:
        if kind is Kind.JOB_STATUS:
            return
        if resource is None:
            endpoint.implemented = False
            if kind is Kind.CUSTOM:
                endpoint.reasons.append(
                    "not a list, create, read, replace, update or delete of a resource:"
                    " the contract does not say what it does"
                )
            else:
                endpoint.reasons.append("no resource schema found in its responses")
            return
        if kind in (Kind.CREATE, Kind.REPLACE, Kind.REGISTER):
            unknown = [
                f"{resource.schema_name}.{c.api_name}"
                for c in resource.table.columns
                if c.source is Source.UNKNOWN
            ]
            for child in resource.table.children:
                unknown += [
                    f"{resource.schema_name}.{child.api_name}[].{c.api_name}"
                    for c in child.table.columns
                    if c.source is Source.UNKNOWN
                ]
            if unknown:
                endpoint.implemented = False
                endpoint.reasons.append(
                    f"the server must set {', '.join(unknown)}, and the contract does not say"
                    " how (no default, not nullable)"
                )
        if kind is Kind.LIST and endpoint.envelope is None:
            endpoint.implemented = False
            endpoint.reasons.append("its response is not a list nor an object holding one list")

    # -- errors ----------------------------------------------------------------------

    def _undocumented_statuses(self, op: Operation, endpoint: Endpoint, validation: int) -> None:
        """Note the statuses the service will answer that the contract does not document."""
        if "default" in op.responses or not endpoint.implemented:
            return
        expected = set()
        if endpoint.param("id") or endpoint.param("parent"):
            expected.add(404)
        if endpoint.request_model or any(p.location == "query" for p in endpoint.params):
            expected.add(validation)
        missing = sorted(s for s in expected if str(s) not in op.responses)
        if missing:
            statuses = ", ".join(map(str, missing))
            endpoint.notes.append(f"answers {statuses} too, which the contract does not document")
            self.problems.note(
                f"{endpoint.method.upper()} {endpoint.path} does not document {statuses};"
                " the service answers it in its error format",
                hint="add the response(s) to the operation so clients know the error body",
                at=op.location,
            )

    def _errors(self) -> tuple[dict[int, ErrorFormat], ErrorFormat]:
        by_status: dict[int, list[tuple[str, Schema | None]]] = {}
        for op in self.doc.operations:
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
                cache[key] = self._error_format(media, schema)
            formats[status] = cache[key]
        counts = Counter(id(f) for f in formats.values())
        if counts:
            common = counts.most_common(1)[0][0]
            default = next(f for f in formats.values() if id(f) == common)
        else:
            default = self._error_format("application/problem+json", None)
        formats = {s: f for s, f in formats.items() if f is not default and s}
        return formats, default

    def _error_format(self, media: str, schema: Schema | None) -> ErrorFormat:
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
        model = self.models.model_for(schema, Direction.RESPONSE, context="Error")
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
                    self.problems.warning(
                        f"error schema property '{name}' has no meaning pactcoder knows;"
                        " it is sent empty",
                        hint="name it after what it holds (status, title, detail, message, code)",
                        at=schema.location,
                    )
                    constants[name] = "" if target.type == "string" else None
                continue
            roles[name] = role
        return ErrorFormat(media, model, roles, item_roles, constants)

    def _validation_status(self) -> int:
        declared = Counter(
            code for op in self.doc.operations for code in op.responses if code in ("400", "422")
        )
        if declared["400"] > declared["422"]:
            return 400
        return 422

    # -- modules and samples ---------------------------------------------------------

    def _assign_modules(self) -> None:
        homes: dict[str, set[str]] = {}
        for resource in self.resources.values():
            for name in self._closure({resource.read_model}):
                homes.setdefault(name, set()).add(resource.module)
            for endpoint in resource.endpoints:
                wrappers = (endpoint.request_envelope, endpoint.response_envelope)
                used = {
                    n
                    for n in (
                        endpoint.request_model,
                        endpoint.response_model,
                        endpoint.envelope,
                        endpoint.read_model,
                        *(w[0] for w in wrappers if w is not None),
                    )
                    if n
                } | {t for p in endpoint.params for t in _names_in(p.annotation)}
                used |= {e.model for e in resource.embeds if e.model}
                used = {n for u in used for n in _names_in(u)} & set(self.models.models)
                for name in self._closure(used):
                    homes.setdefault(name, set()).add(resource.module)
        for name, model in self.models.models.items():
            places = homes.get(name, set())
            model.module = next(iter(places)) if len(places) == 1 else "common"
        changed = True
        while changed:  # a model used from another module's model moves to common
            changed = False
            for model in self.models.models.values():
                for inner in model.uses:
                    other = self.models.models[inner]
                    if other.module not in ("common", model.module):
                        other.module, changed = "common", True
                    if model.module == "common" and other.module != "common":
                        other.module, changed = "common", True

    def _closure(self, names: set[str]) -> set[str]:
        result: set[str] = set()
        todo = [n for n in names if n in self.models.models]
        while todo:
            name = todo.pop()
            if name in result:
                continue
            result.add(name)
            todo.extend(self.models.models[name].uses)
        return result

    def _ordered_models(self) -> list[ApiModel]:
        """Models in an order where each comes after the models it uses."""
        ordered: list[ApiModel] = []
        placed: set[str] = set()

        def place(name: str, stack: tuple[str, ...] = ()) -> None:
            if name in placed or name in stack:
                return
            model = self.models.models[name]
            for used in sorted(model.uses):
                place(used, (*stack, name))
            placed.add(name)
            ordered.append(model)

        for name in self.models.models:
            place(name)
        return ordered

    def _test_data(self, resource: Resource) -> None:
        """Sample bodies (and stored records) the generated tests create records from."""
        for child in resource.table.children:
            for column in child.table.columns:
                if column.references:
                    resource.references.append(
                        Reference(
                            [child.api_name, "*", column.api_name],
                            column.references,
                            column.python_type,
                        )
                    )
        for column in resource.table.columns:
            if column.references and column.source not in (Source.PARENT, Source.OWNER):
                resource.references.append(
                    Reference([column.api_name], column.references, column.python_type)
                )
        create = resource.endpoint(Kind.CREATE)
        groups = self._groups_of(resource.noun.singular)
        body = None
        for group in groups:
            for op, kind in group.ops:
                if kind is Kind.CREATE and op.operation_id == (create and create.operation_id):
                    body = body_schema(op)
        if create is not None and create.implemented and body is not None:
            resource.payloads = [self.samples.value(body, n) for n in range(SAMPLES)]
            return
        read = self._read_schema(resource)
        if read is not None:
            resource.seeds = [
                self.samples.value(read, n, direction=Direction.RESPONSE) for n in range(SAMPLES)
            ]

    def _read_schema(self, resource: Resource) -> Schema | None:
        return self._schema_of.get(resource.noun.singular)


def _sentence(name: str | None) -> str:
    """``listPets`` → ``List pets``."""
    return " ".join(words(name or "")).capitalize()


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _parent_group_key(shape: PathShape) -> str:
    parents = shape.parents[:-1]
    collection, _ = shape.parents[-1]
    return "/".join([*(f"{c}/{{{p}}}" for c, p in parents), collection])


def _fk_type(sa_type: str) -> str:
    return "BigInteger" if sa_type == "BigIntId" else sa_type


def _names_in(annotation: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", annotation))


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
