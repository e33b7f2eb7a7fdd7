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
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pactcoder.ir.model import (
    ApiModel,
    AuthScheme,
    Column,
    Derived,
    Endpoint,
    ErrorFormat,
    Kind,
    Param,
    Relation,
    Resource,
    Service,
    Source,
    Table,
    ValueList,
)
from pactcoder.ir.names import attribute, participle, pascal, snake
from pactcoder.render.rules import RuleTests, rule_tests, rules_methods
from pactcoder.render.spell import docwrap as docwrap  # migrate.py reads it from here

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

    @property
    def collaborators(self) -> list[ResourceView]:
        """The resources whose repositories the service uses: its parents, then those its
        rules read (x-pact copy, where, reserve)."""
        found = self.parents
        names = {r.noun.singular for r in found} | {self.noun.singular}
        for target in self.resource.rules.targets if self.resource.rules else []:
            if target not in names:
                names.add(target)
                found.append(self.service_view.resource(target))
        return found

    def parent_for(self, param: Param) -> ResourceView:
        """The parent resource a path parameter of role ``parent`` identifies."""
        link = next(p for p in self.resource.parents if p.column == param.column)
        return self.service_view.resource(link.resource)

    def service_return(self, endpoint: Endpoint) -> str:
        read = self.read_model_of(endpoint)
        if endpoint.kind is Kind.LIST:
            second = "str | None" if endpoint.param("cursor") else "int"
            return f"tuple[list[{read}], {second}]"
        if endpoint.kind is Kind.DISTINCT:
            return f"list[{self.value_list(endpoint.distinct or '').python_type}]"
        if endpoint.kind is Kind.DELETE:
            return "None"
        if endpoint.kind is Kind.JOB:
            return "str"
        return read

    @property
    def locks(self) -> bool:
        """Deleting reads the row locked: its state machine allows it only from some states."""
        reserves = bool(self.resource.rules and self.resource.rules.reserves)
        return bool(self.resource.machine and self.resource.machine.delete_from) or reserves

    @property
    def rules_methods(self) -> str:
        """The service's ``_apply_rules`` and ``_give_back`` (x-pact rules), or ""."""
        return rules_methods(self) if self.resource.rules else ""

    @property
    def rule_tests(self) -> RuleTests | None:
        """What the generated tests of its rules need (None: no rules to test)."""
        return rule_tests(self)

    def gives_back(self, transition: str) -> bool:
        """The transition gives back what records reserved (x-pact reserve released-by)."""
        rules = self.resource.rules
        return bool(rules and any(transition in r.released_by for r in rules.reserves))

    @property
    def give_back_states(self) -> list[str] | None:
        """Deleting gives back reservations only in these states (None: always, []: never)."""
        rules = self.resource.rules
        if not rules or not rules.reserves:
            return []
        held = [s for r in rules.reserves for s in r.held_in]
        return list(dict.fromkeys(held)) if held else None

    def api_name_of(self, attr: str) -> str:
        return next(c.api_name for c in self.resource.table.columns if c.attr == attr)

    @property
    def read_endpoint(self) -> Endpoint | None:
        return next((e for e in self.endpoints if e.kind is Kind.READ and e.implemented), None)

    def transition_values(self, endpoint: Endpoint) -> str:
        """Source of the values an ACTION writes: the new state and the fields it sets."""
        machine = self.resource.machine
        assert machine is not None and endpoint.transition is not None
        transition = machine.transitions[endpoint.transition]
        items = [f"{machine.column!r}: {transition.target!r}"]
        for attr, value in transition.sets.items():
            if value == "now":
                items.append(f"{attr!r}: datetime.datetime.now(datetime.UTC)")
            else:
                key = self.service_view.principal_key(self.service_view.viewer_type)
                items.append(f"{attr!r}: {key}")
        return "{" + ", ".join(items) + "}"

    def job_result(self, endpoint: Endpoint) -> list[tuple[str, str]]:
        """(JSON name, source) of each field the default work of a JOB fills."""
        spec = endpoint.job
        assert spec is not None
        result: list[tuple[str, str]] = []
        for name, how in spec.fills.items():
            if how == "copy":
                result.append((name, f"record[{name!r}]"))
            elif how == "key":
                result.append((name, f"record[{self.id.api_name!r}]"))
            else:
                result.append((name, "datetime.datetime.now(datetime.UTC).isoformat()"))
        return result

    def read_model_of(self, endpoint: Endpoint) -> str:
        """The model records are answered as: the resource's, or a view of it (a profile)."""
        return endpoint.read_model or self.read_model

    # -- who calls ---------------------------------------------------------------------

    def uses_viewer(self, endpoint: Endpoint) -> bool:
        """Whether the service method needs the caller for fields computed per caller,
        a relation or a feed."""
        return (
            self.loads or endpoint.kind in (Kind.RELATE, Kind.UNRELATE) or endpoint.feed is not None
        ) and endpoint.kind is not Kind.DISTINCT

    def uses_principal(self, endpoint: Endpoint) -> bool:
        owned = self.resource.owned and endpoint.kind is not Kind.DISTINCT
        return owned or self.uses_viewer(endpoint) or self._transition_needs_caller(endpoint)

    def _transition_needs_caller(self, endpoint: Endpoint) -> bool:
        machine = self.resource.machine
        if endpoint.kind is not Kind.ACTION or machine is None or endpoint.transition is None:
            return False
        return "caller" in machine.transitions[endpoint.transition].sets.values()

    @property
    def has_viewer(self) -> bool:
        return any(self.uses_viewer(e) for e in self.endpoints if e.implemented)

    @property
    def guards_writes(self) -> bool:
        """Owned records anyone may read: only the owner changes or deletes them (403)."""
        return self.resource.owned and self.resource.readers == "everyone"

    @property
    def optional_owner(self) -> bool:
        """Whether an owner-scoped read may come from an anonymous caller."""
        return self.resource.owned and any(
            e.access.public and self.uses_principal(e) for e in self.endpoints if e.implemented
        )

    def changes_in_one_statement(self, endpoint: Endpoint) -> bool:
        """Whether a replace/update is one UPDATE (Repository.update_as): nothing is checked
        against the current row first (owner, If-Match, a slug to remake) and nothing is
        loaded beside it."""
        slug = self.resource.slug
        checks_row = self.guards_writes or endpoint.if_match or (slug and slug.on_update)
        return not (checks_row or self.loads)

    @property
    def has_one_statement_changes(self) -> bool:
        """Whether some implemented replace/update is one UPDATE (the service needs _change)."""
        return any(
            self.changes_in_one_statement(e)
            for e in self.endpoints
            if e.implemented and e.kind in (Kind.REPLACE, Kind.UPDATE)
        )

    def find_by(self, endpoint: Endpoint) -> str:
        """``, by="slug"`` when the endpoint names its record by a natural key."""
        param = endpoint.param("id")
        if param is None or param.column in (None, self.id.attr):
            return ""
        return f", by={param.column!r}"

    def parent_by(self, parent: ResourceView) -> str:
        """``, by="slug"`` when paths name the parent by its natural key."""
        lookup = parent.resource.lookup
        if lookup is None:
            return ""
        link = next(p for p in self.resource.parents if p.resource == parent.noun.singular)
        column = next(c for c in self.table.columns if c.attr == link.column)
        lookup_column = next(c for c in parent.table.columns if c.attr == lookup)
        return f", by={lookup!r}" if column.api_name == lookup_column.api_name else ""

    @property
    def relation_imports(self) -> dict[str, list[str]]:
        """Relation models the service links and unlinks, by module."""
        names = {
            self.service_view.service.relation(e.relation).class_name
            for e in self.endpoints
            if e.relation and e.implemented
        }
        modules: dict[str, list[str]] = {}
        for name in sorted(names):
            modules.setdefault(self.service_view.model_modules[name], []).append(name)
        return modules

    @property
    def id(self) -> Column:
        return self.table.primary_key

    @property
    def id_type(self) -> str:
        return self.id.python_type

    @property
    def key(self) -> Column:
        """The column paths name a record by: its natural key (a slug) or its id."""
        lookup = self.resource.lookup
        return next((c for c in self.table.columns if c.attr == lookup), self.id)

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
        """Child and value tables first (the relationships refer to them), then relations."""
        values = [v.table for v in self.resource.value_lists if v.table is not None]
        return [
            *(c.table for c in self.table.children),
            *values,
            *(r.table for r in self.relations_here if r.table is not None),
            self.table,
        ]

    @property
    def relations_here(self) -> list[Relation]:
        """Relations to this resource: their tables live in its model module."""
        return [
            r
            for r in self.service_view.service.relations
            if r.target == self.noun.singular and r.table is not None
        ]

    @property
    def query_expressions(self) -> bool:
        return any(d.kind in ("flag", "count") for d in self.resource.derived)

    @property
    def embed_imports(self) -> list[tuple[str, str]]:
        """(module, class) of the models embedded records come from, for type checking."""
        found: list[tuple[str, str]] = []
        for embed in self.resource.embeds:
            target = self.service_view.resource(embed.target)
            entry = (target.module, target.table.class_name)
            if target.module != self.module and entry not in found:
                found.append(entry)
        return found

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
                if param.role in ("filter", "parent") and (param.column or param.through):
                    key = (param.column or param.through or "", param.operator)
                    found.setdefault(key, param)
        return list(found.values())

    def filter_argument(self, param: Param) -> str:
        """The repository's keyword for a filter: the column, suffixed by its operator."""
        if param.operator == "embed":
            return f"{param.through}_{param.key}"
        if param.operator == "related":
            return f"{participle(param.through or '')}_by"
        assert param.column
        suffix = {"eq": "", "contains": "_contains", "min": "_min", "max": "_max", "has": "_has"}
        return f"{param.column}{suffix[param.operator]}"

    def filter_type(self, param: Param) -> str:
        if param.operator == "contains":
            return "Any"
        if param.operator == "has":
            return self.value_list(param.column or "").python_type
        if param.operator in ("embed", "related"):
            return self._key_column(param).python_type
        column = next(c for c in self.table.columns if c.attr == param.column)
        return column.python_type

    def _key_column(self, param: Param) -> Column:
        """For filters through a relation: the other side's key column (``username``)."""
        if param.operator == "embed":
            embed = next(e for e in self.resource.embeds if e.attr == param.through)
            other = self.service_view.resource(embed.target)
        else:
            relation = self.service_view.service.relation(param.through or "")
            other = self.service_view.resource(relation.source)
        return next(c for c in other.table.columns if c.attr == param.key)

    def filter_condition(self, param: Param, arg: str) -> str:
        """Python source of the condition a filter adds to a search."""
        model = self.table.class_name
        if param.operator == "contains":
            return f"self.json_contains({model}.{param.column}, {arg})"
        if param.operator in ("min", "max"):
            symbol = ">=" if param.operator == "min" else "<="
            return f"{model}.{param.column} {symbol} {arg}"
        if param.operator == "has":
            value_list = self.value_list(param.column or "")
            return f"{model}.{value_list.attr}_rows.any({value_list.class_name}.value == {arg})"
        if param.operator == "embed":
            embed = next(e for e in self.resource.embeds if e.attr == param.through)
            other = self.service_view.resource(embed.target).table.class_name
            return f"{model}.{embed.attr}.has({other}.{param.key} == {arg})"
        if param.operator == "related":
            relation = self.service_view.service.relation(param.through or "")
            users = self.service_view.resource(relation.source)
            link, people = relation.class_name, users.table.class_name
            return (
                f"{model}.{self.id.attr}.in_(select({link}.{relation.target_column})"
                f".join({people}, {people}.{users.id.attr} == {link}.{relation.user_column})"
                f".where({people}.{param.key} == {arg}))"
            )
        return f"{model}.{param.column} == {arg}"

    def value_list(self, attr: str) -> ValueList:
        return next(v for v in self.resource.value_lists if v.attr == attr)

    @property
    def feeds(self) -> list[Relation]:
        names = {e.feed for e in self.list_endpoints if e.feed}
        return [r for r in self.service_view.service.relations if r.name in names]

    def feed_condition(self, relation: Relation) -> str:
        link = relation.class_name
        return (
            f"{self.table.class_name}.owner_id.in_(select({link}.{relation.target_column})"
            f".where({link}.{relation.user_column} == feed_of))"
        )

    @property
    def owned_scope(self) -> bool:
        return self.resource.owned

    @property
    def offset_lists(self) -> list[Endpoint]:
        return [e for e in self.list_endpoints if not e.param("cursor")]

    @property
    def cursor_lists(self) -> list[Endpoint]:
        return [e for e in self.list_endpoints if e.param("cursor")]

    @property
    def distinct_endpoints(self) -> list[Endpoint]:
        return [e for e in self.endpoints if e.kind is Kind.DISTINCT and e.implemented]

    # -- fields computed when reading ---------------------------------------------------

    @property
    def loads(self) -> bool:
        """Whether reading a row loads more than its columns (derived fields, embeds)."""
        return bool(self.resource.embeds) or any(d.kind != "token" for d in self.resource.derived)

    @property
    def has_flags(self) -> bool:
        return any(d.kind == "flag" for d in self.resource.derived)

    @property
    def has_counts(self) -> bool:
        return any(d.kind == "count" for d in self.resource.derived)

    @property
    def load_summary(self) -> str:
        parts = [e.api_name for e in self.resource.embeds]
        parts += [d.api_name for d in self.resource.derived if d.kind != "token"]
        parts += [v.api_name for v in self.resource.value_lists]
        return ", ".join(parts)

    def derived_expression(self, derived: Derived) -> str:
        """Python source of the SQL expression computing ``derived`` for ``viewer``."""
        model, key = self.table.class_name, self.id.attr
        if derived.relation is not None:
            relation = self.service_view.service.relation(derived.relation)
            link = relation.class_name
            if derived.kind == "flag":
                return (
                    f"exists().where({link}.{relation.target_column} == {model}.{key},"
                    f" {link}.{relation.user_column} == viewer)"
                    " if viewer is not None else false()"
                )
            return (
                f"select(func.count()).where({link}.{relation.target_column} == {model}.{key})"
                ".scalar_subquery()"
            )
        child = self.service_view.resource(derived.child or "")
        link_column = next(
            p.column for p in child.resource.parents if p.resource == self.noun.singular
        )
        other = child.table.class_name
        return (
            f"select(func.count()).where({other}.{link_column} == {model}.{key}).scalar_subquery()"
        )

    @cached_property
    def model_imports(self) -> dict[str, list[str]]:
        """Model classes this resource's repository uses, by module.

        Cached: ServiceView.model_readers asks it of every resource for every resource,
        which made rendering grow with the square of the number of resources.
        """
        names = {t.class_name for t in self.tables}
        sources = [self.derived_expression(d) for d in self.resource.derived if d.kind != "token"]
        sources += [self.filter_condition(p, "x") for p in self.filters]
        sources += [self.feed_condition(r) for r in self.feeds]
        for source in sources:
            names |= set(re.findall(r"\b([A-Z][A-Za-z0-9]*)\.", source))
        for endpoint in self.distinct_endpoints:
            names.add(self.value_list(endpoint.distinct or "").class_name)
        modules: dict[str, list[str]] = {}
        for table_name, module in self.service_view.model_modules.items():
            if table_name in names:
                modules.setdefault(module, []).append(table_name)
        return {m: sorted(n) for m, n in sorted(modules.items())}

    @property
    def repository_imports(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for embed in self.resource.embeds:
            target = self.service_view.resource(embed.target)
            if target is not self and target.loads:
                entry = (target.module, target.repository_class)
                if entry not in found:
                    found.append(entry)
        return found

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
            e.kind in (Kind.READ, Kind.REPLACE, Kind.UPDATE, Kind.DELETE, Kind.ACTION, Kind.JOB)
            and e.implemented
            for e in self.endpoints
        )

    def scope_params(self, endpoint: Endpoint) -> list[Param]:
        """Parent ids in the path that scope the operation.

        Only those of a known parent: a path parameter named like a parent's id whose
        collection is no resource (a parent created at ``/things/upload``) scopes nothing.
        """
        linked = {link.column for link in self.resource.parents}
        return [p for p in endpoint.params if p.role == "parent" and p.column in linked]

    @staticmethod
    def id_param(endpoint: Endpoint) -> Param | None:
        return endpoint.param("id")

    @staticmethod
    def filter_params(endpoint: Endpoint) -> list[Param]:
        return [p for p in endpoint.params if p.role == "filter" and (p.column or p.through)]

    @property
    def json_columns(self) -> list[str]:
        return [c.attr for c in self.table.columns if c.sa_type == "JSONDocument"]

    @property
    def service_schema_names(self) -> list[str]:
        names: set[str] = {self.read_model}
        for endpoint in self.endpoints:
            if endpoint.implemented:
                names |= names_in(endpoint.request_model) | names_in(endpoint.read_model)
                if endpoint.job is not None:
                    names |= names_in(endpoint.job.result_model)
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
                    sources[param.alias] = f"body[{self.r.key.api_name!r}]"
                elif param.role == "parent" and param.alias in nested:
                    sources[param.alias] = f"parents[{param.alias!r}]"
                elif param.role == "parent" and param.column:
                    column = next(c for c in self.r.table.columns if c.attr == param.column)
                    if column.exposed:
                        sources[param.alias] = f"body[{column.api_name!r}]"
        return sources

    @property
    def missing_id(self) -> str:
        if self.r.key.python_type == "uuid.UUID":
            return repr("00000000-0000-4000-8000-000000000000")
        if self.r.key.python_type == "int":
            return "987654321"
        return repr("no-such-key")

    @staticmethod
    def send(endpoint: Endpoint, expression: str) -> str:
        """Python source of a request body: ``expression`` inside its envelope, if any."""
        if endpoint.request_envelope is None:
            return expression
        return f"{{{endpoint.request_envelope[1]!r}: {expression}}}"

    @staticmethod
    def body_of(endpoint: Endpoint) -> str:
        """Python source of the object a response answers, out of its envelope."""
        if endpoint.response_envelope is None:
            return "response.json()"
        return f"response.json()[{endpoint.response_envelope[1]!r}]"

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
            if param.operator in ("has", "embed", "related"):
                continue  # filters through relations: tests/test_domain.py
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


@dataclass
class RelationCase:
    """A relation the tests switch on and off: its endpoints and what shows it."""

    name: str
    on: Endpoint
    off: Endpoint
    target: ResourceView
    flag: str | None
    count: str | None


@dataclass
class FilterCase:
    """A filter through a relation: ``?tag=``, ``?author=``, ``?favorited=``."""

    endpoint: Endpoint
    param: Param
    resource: ResourceView


class DomainPlan:
    """What tests/test_domain.py checks: relations, derived fields, value lists, feeds,
    slugs, cursor paging and the number of queries a page costs."""

    def __init__(self, service: ServiceView) -> None:
        self.view = service
        self.users = service.accounts

    @cached_property
    def relations(self) -> list[RelationCase]:
        cases = []
        for relation in self.view.service.relations:
            target = self.view.resource(relation.target)
            on = next(
                (
                    e
                    for e in target.endpoints
                    if e.relation == relation.name and e.kind is Kind.RELATE and e.implemented
                ),
                None,
            )
            off = next(
                (
                    e
                    for e in target.endpoints
                    if e.relation == relation.name and e.kind is Kind.UNRELATE and e.implemented
                ),
                None,
            )
            if on is None or off is None or not self.view.test_plan(target).has_factory:
                continue
            derived = [d for d in target.resource.derived if d.relation == relation.name]
            shown = self._shown(on)
            flag = next(
                (d.api_name for d in derived if d.kind == "flag" and d.api_name in shown), None
            )
            count = next(
                (d.api_name for d in derived if d.kind == "count" and d.api_name in shown), None
            )
            cases.append(RelationCase(relation.name, on, off, target, flag, count))
        return cases

    def _shown(self, endpoint: Endpoint) -> set[str]:
        model = self.view.model(endpoint.response_model or "")
        return {f.alias for f in model.fields} if model else set()

    @cached_property
    def child_counts(self) -> list[tuple[ResourceView, str, ResourceView, Endpoint, Endpoint]]:
        """(parent, count field, child, the child's create, the parent's read)."""
        cases = []
        for parent in self.view.resources:
            read = next(
                (e for e in parent.endpoints if e.kind is Kind.READ and e.implemented), None
            )
            for derived in parent.resource.derived:
                if derived.kind != "count" or derived.child is None or read is None:
                    continue
                child = self.view.resource(derived.child)
                create = self.view.test_plan(child).create
                if create is not None and self.view.test_plan(child).creatable:
                    cases.append((parent, derived.api_name, child, create, read))
        return cases

    @cached_property
    def distincts(self) -> list[tuple[Endpoint, ResourceView, str]]:
        """(the distinct endpoint, the resource, the JSON name of its value list)."""
        cases = []
        for resource in self.view.resources:
            for endpoint in resource.distinct_endpoints:
                value_list = resource.value_list(endpoint.distinct or "")
                if self.view.test_plan(resource).creatable:
                    cases.append((endpoint, resource, value_list.api_name))
        return cases

    @cached_property
    def filters(self) -> list[FilterCase]:
        cases = []
        for resource in self.view.resources:
            if not self.view.test_plan(resource).creatable:
                continue
            for endpoint in resource.list_endpoints:
                if endpoint.feed:
                    continue
                for param in endpoint.params:
                    if param.role == "filter" and param.operator in ("has", "embed", "related"):
                        cases.append(FilterCase(endpoint, param, resource))
        return cases

    def related_on(self, case: FilterCase) -> Endpoint | None:
        """The endpoint that makes the relation a ``related`` filter looks for."""
        for relation in self.relations:
            if relation.name == case.param.through:
                return relation.on
        return None

    def value_field(self, case: FilterCase) -> str:
        return case.resource.value_list(case.param.column or "").api_name

    @cached_property
    def feeds(self) -> list[tuple[Endpoint, ResourceView, RelationCase]]:
        cases = []
        for resource in self.view.resources:
            for endpoint in resource.list_endpoints:
                relation = next((r for r in self.relations if r.name == endpoint.feed), None)
                if relation is not None and self.view.test_plan(resource).creatable:
                    cases.append((endpoint, resource, relation))
        return cases

    @cached_property
    def slugs(self) -> list[tuple[ResourceView, Endpoint | None]]:
        """(resource, an update or replace endpoint or None) for resources with slugs."""
        cases = []
        for resource in self.view.resources:
            slug = resource.resource.slug
            if slug is None or not self.view.test_plan(resource).creatable:
                continue
            change = next(
                (
                    e
                    for e in resource.endpoints
                    if e.kind in (Kind.UPDATE, Kind.REPLACE) and e.implemented
                ),
                None,
            )
            cases.append((resource, change))
        return cases

    def slug_field(self, resource: ResourceView, which: str) -> str:
        slug = resource.resource.slug
        assert slug is not None
        attr = slug.column if which == "slug" else slug.source
        return next(c.api_name for c in resource.table.columns if c.attr == attr)

    @cached_property
    def cursors(self) -> list[tuple[Endpoint, ResourceView]]:
        return [
            (e, r)
            for r in self.view.resources
            for e in r.cursor_lists
            if self.view.test_plan(r).creatable and not e.feed
        ]

    @cached_property
    def query_counts(self) -> list[tuple[Endpoint, ResourceView]]:
        """Lists of records that load related data: a page must cost a fixed number of queries."""
        return [
            (e, r)
            for r in self.view.resources
            if r.loads and self.view.test_plan(r).creatable
            for e in r.offset_lists
            if not e.feed and not e.param("parent") and (e.param("limit") or e.param("size"))
        ]

    def page_count(self, resource: ResourceView) -> int:
        """Records in the large page: 20, or what the samples allow with unique fields."""
        return 6 if self.view.test_plan(resource).unique_fields else 20

    def page_size(self, endpoint: Endpoint) -> Param:
        param = endpoint.param("limit") or endpoint.param("size")
        assert param is not None
        return param

    @property
    def active(self) -> bool:
        return bool(
            self.relations
            or self.child_counts
            or self.distincts
            or self.filters
            or self.feeds
            or self.slugs
            or self.cursors
            or self.query_counts
        )


class ServiceView:
    """Groups the whole service by output file; see the module docstring."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.model_names = {m.class_name for m in service.models}
        self._module_of = {m.class_name: m.module for m in service.models}
        self.resources = [ResourceView(r, self) for r in service.resources]
        self.schema_modules = self._schema_modules()
        self.route_modules = self._route_modules()

    @cached_property
    def domain(self) -> DomainPlan:
        return DomainPlan(self)

    def model_readers(self, resource: ResourceView) -> str:
        """Other repositories that read ``resource``'s tables (to count or embed them)."""
        others = [
            other.module
            for other in self.resources
            if other is not resource and resource.module in other.model_imports
        ]
        if not others:
            return ""
        listed = ", ".join(f"app/repositories/{m}.py" for m in others)
        return f" (and {listed}, which count or embed them)"

    @cached_property
    def model_modules(self) -> dict[str, str]:
        """Model class → the app.models module that defines it."""
        found: dict[str, str] = {}
        for resource in self.resources:
            for table in resource.tables:
                found[table.class_name] = resource.module
        return found

    def resource(self, name: str) -> ResourceView:
        return next(r for r in self.resources if r.noun.singular == name)

    def model(self, class_name: str) -> ApiModel | None:
        return next((m for m in self.service.models if m.class_name == class_name), None)

    def test_plan(self, resource: ResourceView) -> TestPlan:
        return TestPlan(resource)

    @cached_property
    def machines(self) -> list[ResourceView]:
        """Resources with a state machine."""
        return [r for r in self.resources if r.resource.machine is not None]

    @cached_property
    def locks_rows(self) -> bool:
        return any(r.locks for r in self.resources)

    @cached_property
    def job_endpoints(self) -> list[Endpoint]:
        return [e for e in self.service.endpoints if e.kind is Kind.JOB and e.implemented]

    @cached_property
    def job_status_endpoint(self) -> Endpoint:
        return next(e for e in self.service.endpoints if e.kind is Kind.JOB_STATUS)

    @staticmethod
    def test_key(resource: ResourceView) -> str:
        """Source of a made record's key from its body, in the key's Python type."""
        value = f"made.body[{resource.id.api_name!r}]"
        return {"uuid.UUID": f"uuid.UUID({value})", "int": f"int({value})"}.get(
            resource.id.python_type, value
        )

    @staticmethod
    def missing_key(resource: ResourceView) -> str:
        """Source of a key no record has."""
        return {"uuid.UUID": "uuid.uuid4()", "int": "2**62"}.get(
            resource.id.python_type, "'no-such-record'"
        )

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

    def ordinary_lacks(self, roles: list[str]) -> bool:
        """Whether an ordinary account (of a known role) holds none of ``roles``."""
        ordinary = self.ordinary_role_value
        if ordinary is None:
            return False
        held = set(ordinary) if isinstance(ordinary, list) else {ordinary}
        return not held & set(roles)

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
        return [r for r in self.resources if r.resource.owned and r.resource.readers == "owner"]

    @property
    def shared_resources(self) -> list[ResourceView]:
        """Owned resources anyone may read (only their owner changes them)."""
        return [r for r in self.resources if r.guards_writes]

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

    def cursor_field(self, endpoint: Endpoint) -> str:
        """The JSON name of the next page's cursor in a list envelope."""
        model = self.model(endpoint.envelope or "")
        alias = {f.name: f.alias for f in model.fields} if model else {}
        name = next(n for n, role in endpoint.envelope_fields.items() if role == "next_cursor")
        return alias.get(name, name)

    send = staticmethod(TestPlan.send)
    body_of = staticmethod(TestPlan.body_of)

    @staticmethod
    def inner_sample(endpoint: Endpoint) -> Any:
        """A valid request body of ``endpoint``, out of its envelope."""
        sample = endpoint.request_sample
        if endpoint.request_envelope is not None and isinstance(sample, dict):
            return sample.get(endpoint.request_envelope[1], sample)
        return sample

    def account_key(self, made: str) -> str:
        """Python source of the primary key of the account ``made`` (a tests.conftest.Made)."""
        users = self.accounts
        if users is not None and users.id.exposed:
            return f"{made}.body[{users.id.api_name!r}]"
        return f"{made}.key"

    def token_in_account(self, endpoint: Endpoint) -> bool:
        """Whether the access token is a field of the account object answered
        (``{"user": {"email": ..., "token": ...}}``) rather than of a token pair."""
        users = self.accounts
        token = endpoint.auth_fields.get("token_access")
        return users is not None and any(
            d.kind == "token" and d.api_name == token for d in users.resource.derived
        )

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
                args.append(ServiceView.body_argument(endpoint))
            return ", ".join(args)
        assert resource is not None
        id_param = endpoint.param("id")
        if id_param is not None and endpoint.kind is not Kind.CREATE:
            args.append(id_param.name)
        if endpoint.request_model and endpoint.kind is not Kind.DELETE:
            args.append(ServiceView.body_argument(endpoint))
        args += [f"{p.name}={p.name}" for p in resource.scope_params(endpoint)]
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

    @staticmethod
    def wrapped(endpoint: Endpoint, expression: str) -> str:
        """``expression`` inside the response envelope the contract declares, if any."""
        if endpoint.response_envelope is None:
            return expression
        model, key = endpoint.response_envelope
        return f"{model}.model_validate({{{key!r}: {expression}}})"

    @staticmethod
    def init_params(resource: ResourceView) -> str:
        repositories = [resource, *resource.collaborators]
        return ", ".join(f"{r.repository_attr}: {r.repository_class}" for r in repositories)

    @staticmethod
    def service_construction(resource: ResourceView, *, reader: bool = True) -> str:
        """The arguments building a service: its repositories on ``session`` (and ``reader``)."""
        repositories = [resource, *resource.collaborators]
        args = "session, reader" if reader else "session"
        return ", ".join(f"{r.repository_class}({args})" for r in repositories)

    @staticmethod
    def service_params(resource: ResourceView, endpoint: Endpoint) -> str:
        """The parameters of a service method, after ``self``."""
        params = ["self"]
        id_param = resource.id_param(endpoint)
        if id_param is not None and endpoint.kind is not Kind.CREATE:
            column = next(c for c in resource.table.columns if c.attr == id_param.column)
            params.append(f"{id_param.name}: {column.python_type}")
        if endpoint.request_model:
            optional = "" if endpoint.request_required else " | None"
            params.append(f"body: {endpoint.request_model}{optional}")
        keywords = [
            f"{p.name}: {p.annotation.removesuffix(' | None')}"
            for p in resource.scope_params(endpoint)
        ]
        if endpoint.kind is Kind.LIST:
            keywords += [f"{p.name}: {p.annotation}" for p in resource.filter_params(endpoint)]
            if endpoint.param("sort"):
                keywords.append("sort: str | None")
            if endpoint.param("cursor"):
                keywords += ["cursor: str | None", "limit: int"]
            else:
                keywords += ["limit: int", "offset: int"]
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
        if resource.resource.owned and resource.resource.readers == "owner":
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
        args += [f"{p.name}={p.name}" for p in resource.filter_params(endpoint)]
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
        args = [f", {p.column}={p.column}" for p in resource.scope_params(endpoint)]
        if resource.resource.owned and resource.resource.readers == "owner":
            args.append(", **self._owner(principal)")
        return "".join(args)

    @property
    def viewer_type(self) -> str:
        """The type of the accounts' key, which callers are identified by."""
        return self.accounts.id_type if self.accounts else "str"

    @staticmethod
    def owner_id_type(resource: ResourceView) -> str:
        column = next(c for c in resource.table.columns if c.attr == "owner_id")
        return column.python_type

    def subject_key(self, resource: ResourceView) -> str:
        """Source turning a job's ``subject`` (text) back into ``resource``'s key."""
        return {"uuid.UUID": "uuid.UUID(subject)", "int": "int(subject)"}.get(
            resource.id.python_type, "subject"
        )

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
        return "".join(f" and app/repositories/{p.module}.py" for p in resource.collaborators)

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
            "next_cursor": "next_cursor",
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
            (
                "Unauthorized",
                "401",
                "no valid credentials (with WWW-Authenticate)",
                self.has_auth or bool(self.accounts),
            ),
            ("Forbidden", "403", "the caller may not do this", self.has_roles or self.has_auth),
            ("NotFound", "404", "the resource, or one in its path, does not exist", True),
            ("Conflict", "409", "the request conflicts with stored data", True),
            ("PreconditionFailed", "412", "If-Match names another version", self.has_if_match),
            ("PreconditionRequired", "428", "If-Match is required", self.has_if_match),
            (
                "InvalidCursor",
                str(self.service.validation_status),
                "a paging cursor the service did not give out",
                self.uses_cursors,
            ),
            (
                "BrokenRule",
                str(self.service.validation_status),
                "the request breaks a rule (x-pact copy, where, unique-by)",
                self.has_rules,
            ),
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

    @cached_property
    def has_rules(self) -> bool:
        """Some resource has rules of creating a record (x-pact copy, sum, reserve, ...)."""
        return any(r.resource.rules for r in self.resources)

    @cached_property
    def uses_cursors(self) -> bool:
        return any(p.role == "cursor" for e in self.service.endpoints for p in e.params)

    @cached_property
    def uses_slugs(self) -> bool:
        return any(r.slug is not None for r in self.service.resources)

    @property
    def has_error_map(self) -> bool:
        return any("error_map" in f.roles.values() for f in self.error_formats)

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
    "error_map": "_error_map(detail, errors)",
}
_ERROR_ITEM_EXPRESSIONS = {
    "detail": "error.detail",
    "pointer": "error.pointer",
    "parameter": "error.parameter",
    "field": "error.where",
}
