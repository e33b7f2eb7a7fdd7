"""A resource with the names and groupings its model, repository and service need."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Protocol

from pactcoder.ir.model import (
    ONE_RECORD_KINDS,
    ApiModel,
    Column,
    Derived,
    Endpoint,
    Kind,
    Param,
    Relation,
    Resource,
    Service,
    Source,
    Table,
    ValueList,
)
from pactcoder.ir.names import participle
from pactcoder.ir.types import PyType
from pactcoder.render.types import default_source, python_type, sql_type
from pactcoder.render.views.common import names_in
from pactcoder.render.views.filters import HELPED, filter_suffix, plain_condition, plain_type


class Services(Protocol):
    """What a resource's view asks of the service's view: the other resources, and names."""

    service: Service
    model_names: set[str]

    @property
    def model_modules(self) -> dict[str, str]: ...

    @property
    def viewer_type(self) -> str: ...

    @property
    def accounts(self) -> ResourceView | None: ...

    def resource(self, name: str) -> ResourceView: ...

    def model(self, class_name: str) -> ApiModel | None: ...

    def principal_key(self, key_type: str) -> str: ...
    def is_deferred(self, column: Column) -> bool: ...


class ResourceView:
    """A resource with the names and groupings its model, repository and service need."""

    def __init__(self, resource: Resource, service: Services) -> None:
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
        # What the templates read of the resource itself, so that none reaches through it.
        self.value_lists = resource.value_lists
        self.embeds = resource.embeds
        self.derived = resource.derived
        self.machine = resource.machine
        self.slug = resource.slug

    # -- relations -------------------------------------------------------------------

    @property
    def parents(self) -> list[ResourceView]:
        return [self.service_view.resource(p.resource) for p in self.resource.parents]

    @property
    def collaborators(self) -> list[ResourceView]:
        """The resources whose repositories the service uses: its parents, then those its
        rules read (x-pact copy, where, reserve)."""
        # A resource nested in itself (`/movies/{movieId}/similar`) uses its own repository.
        found = [r for r in self.parents if r.noun.singular != self.noun.singular]
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
            return f"list[{python_type(self.value_list(endpoint.distinct or '').python_type)}]"
        if endpoint.kind is Kind.DELETE:
            return read if endpoint.answers_deleted else "None"
        if endpoint.kind in (Kind.JOB, Kind.DOWNLOAD):
            return "str" if endpoint.kind is Kind.JOB else "StoredFile"
        return f"tuple[{read}, bool]" if endpoint.kind is Kind.UPSERT else read

    @property
    def locks(self) -> bool:
        """Deleting reads the row locked: its state machine allows it only from some states."""
        reserves = bool(self.resource.rules and self.resource.rules.reserves)
        return bool(self.resource.machine and self.resource.machine.delete_from) or reserves

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

    def answering(self, kind: Kind) -> list[Endpoint]:  # JSON, not text, CSV, HTML, ...
        return [e for e in self.endpoints if e.kind is kind and e.implemented and e.answers_json]

    @property
    def read_endpoint(self) -> Endpoint | None:
        return next(iter(self.answering(Kind.READ)), None)

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
        """Whether a replace/update is one UPDATE (Repository.change): nothing is checked
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
        return python_type(self.id.python_type)

    @property
    def key(self) -> Column:
        """The column paths name a record by: its natural key (a slug) or its id."""
        lookup = self.resource.lookup
        return next((c for c in self.table.columns if c.attr == lookup), self.id)

    # -- columns ---------------------------------------------------------------------

    @staticmethod
    def column_annotation(column: Column) -> str:
        base = python_type(column.python_type)
        return f"{base} | None" if column.nullable and not column.primary_key else base

    def column_args(self, column: Column) -> str:
        args = [sql_type(column.sa_type)]
        if column.foreign_key:
            ondelete = f', ondelete="{column.ondelete}"' if column.ondelete else ""
            alter = ", use_alter=True" if self.service_view.is_deferred(column) else ""
            args.append(f'ForeignKey("{column.foreign_key}"{ondelete}{alter})')
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
        if column.source is Source.ID and column.python_type is PyType.UUID:
            # the key, or a second identifier the service makes (ir/passes/defaults.py)
            return "uuid.uuid4"
        if column.source in (Source.CREATED, Source.UPDATED):
            return "utcnow"
        if column.default is None:
            return None
        source = default_source(column.default)
        return {"[]": "list", "{}": "dict"}.get(source, source)

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
        return self.answering(Kind.LIST)

    @property
    def filters(self) -> list[Param]:
        """Every filter any list endpoint offers, once each, keyed by its keyword."""
        found: dict[str, Param] = {}
        for endpoint in [*self.list_endpoints, *(e for e in self.endpoints if e.aggregate)]:
            for param in endpoint.params:
                if param.role in ("filter", "parent") and param.compares:
                    found.setdefault(self.filter_argument(param), param)
        return list(found.values())

    def filter_argument(self, param: Param) -> str:
        """The repository's keyword for a filter: the column, suffixed by its operator."""
        if param.operator == "embed":
            return f"{param.through}_{param.key}"
        if param.operator == "related":
            return f"{participle(param.through or '')}_by"
        assert param.column or param.operator == "predicates"  # (q: q_predicates)
        if param.operator == "search":
            return f"{'_'.join(param.fields)}_search"
        return f"{param.column or param.name}{filter_suffix(param.operator)}"

    def filter_type(self, param: Param) -> str:
        if param.operator == "has":
            return python_type(self.value_list(param.column or "").python_type)
        if param.operator in ("embed", "related"):
            return python_type(self._key_column(param).python_type)
        column = next((c for c in self.table.columns if c.attr == param.column), None)
        own = python_type(column.python_type) if column is not None else ""
        return plain_type(param.operator, own) or own  # ("": Ransack's predicates)

    @property
    def filter_conditions(self) -> list[tuple[str, str]]:
        """(keyword, condition) of each filter; an operator parameter has none of its own."""
        return [
            (self.filter_argument(p), self.filter_condition(p, self.filter_argument(p)))
            for p in self.filters
            if p.operator != "operator"
        ]

    @property
    def filter_helpers(self) -> list[str]:
        """The helpers of app/repositories/_filters.py the conditions call."""
        used = {HELPED[p.operator] for p in self.filters if p.operator in HELPED}
        return sorted(used)

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
        chooser = next(
            (
                self.filter_argument(p)
                for p in self.filters
                if p.operator == "operator" and p.column == param.column
            ),
            "None",
        )
        plain = plain_condition(param, model, arg, chooser, self.table.columns)
        if plain is not None:
            return plain
        if param.operator == "contains":
            return f"self.json_contains({model}.{param.column}, {arg})"
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
        raise AssertionError(param.operator)

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
        sources += [condition for _, condition in self.filter_conditions]
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
        if self.filter_helpers:
            found.append(("_filters", ", ".join(self.filter_helpers)))
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
        return any(e.kind in ONE_RECORD_KINDS and e.implemented for e in self.endpoints)

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
        return [p for p in endpoint.params if p.role == "filter" and p.compares]

    @property
    def json_columns(self) -> list[str]:
        return [c.attr for c in self.table.columns if c.sa_type.is_json]

    @property
    def service_schema_names(self) -> list[str]:
        names: set[str] = {self.read_model}
        for endpoint in (e for e in self.endpoints if e.implemented):
            names |= names_in(endpoint.request_model) | names_in(endpoint.read_model)
            names |= names_in(endpoint.response_model) if endpoint.aggregate else set()
            if endpoint.job is not None:
                names |= names_in(endpoint.job.result_model)
            for param in endpoint.params:
                if param.role in ("filter", "sort", "parent", "id", "bucket"):
                    names |= names_in(param.annotation)
        return sorted(names & self.service_view.model_names)
