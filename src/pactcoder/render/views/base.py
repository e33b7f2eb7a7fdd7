"""The service's view, first layer: resources, models and tables, by output file."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from pactcoder.ir.model import (
    ApiModel,
    Column,
    Endpoint,
    Kind,
    Service,
    Table,
)
from pactcoder.render.types import CUSTOM_SQL, sql_type
from pactcoder.render.views.common import SchemaModule
from pactcoder.render.views.resource import ResourceView


class ServiceBase:
    """Groups the whole service by output file; the layers above add accounts, errors,
    routes and test cases."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.model_names = {m.class_name for m in service.models}
        self._module_of = {m.class_name: m.module for m in service.models}
        self.resources = [ResourceView(r, self) for r in service.resources]
        self.schema_modules = self._schema_modules()

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

    @cached_property
    def deferred_keys(self) -> list[tuple[Table, Column]]:
        """Foreign keys to a table created after theirs (tables that refer to each other,
        `leads.contact_id` and `contacts.lead_id`): made once both tables exist."""
        position = {t.table_name: n for n, t in enumerate(self.tables_in_order)}
        found: list[tuple[Table, Column]] = []
        for table in self.tables_in_order:
            for column in table.columns:
                target = column.foreign_key.split(".")[0] if column.foreign_key else None
                if target is not None and position.get(target, -1) > position[table.table_name]:
                    found.append((table, column))
        return found

    def is_deferred(self, column: Column) -> bool:
        """Whether ``column``'s key is made after its table (see deferred_keys); the model
        says so too (``use_alter``), so SQLAlchemy sorts the tables without a warning."""
        return any(column is deferred for _, deferred in self.deferred_keys)

    def initial_column(self, column: Column) -> str:
        """``sa.Column(...)`` in the initial migration: without a deferred foreign key."""
        return self.migration_column(column, foreign_key=not self.is_deferred(column))

    def foreign_key_args(self, table: Table, column: Column) -> str:
        """The arguments of ``create_foreign_key`` for a deferred key (see deferred_keys)."""
        target, referred = (column.foreign_key or ".").split(".", 1)
        name = self.foreign_key_name(table, column)
        ondelete = f", ondelete={column.ondelete!r}" if column.ondelete else ""
        return f"{name!r}, {target!r}, [{column.attr!r}], [{referred!r}]{ondelete}"

    @staticmethod
    def foreign_key_name(table: Table, column: Column) -> str:
        return f"fk_{table.table_name}_{column.attr}_{(column.foreign_key or '').split('.')[0]}"

    @staticmethod
    def migration_column(column: Column, *, foreign_key: bool = True) -> str:
        """``sa.Column(...)`` source for the initial migration."""
        module = "app_types" if column.sa_type.kind in CUSTOM_SQL else "sa"
        sa_type = f"{module}.{sql_type(column.sa_type)}"
        args = [repr(column.attr), sa_type]
        if column.foreign_key and foreign_key:
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
    def has_rules(self) -> bool:
        """Some resource has rules of creating a record (x-pact copy, sum, reserve, ...)."""
        return any(r.resource.rules for r in self.resources)

    @cached_property
    def uses_cursors(self) -> bool:
        return any(p.role == "cursor" for e in self.service.endpoints for p in e.params)

    @cached_property
    def uses_aggregates(self) -> bool:
        """Some read counts, sums or averages records; ``uses_buckets``: per time bucket."""
        return any(e.aggregate and e.implemented for e in self.service.endpoints)

    @cached_property
    def uses_buckets(self) -> bool:
        return any(e.aggregate and e.aggregate.bucket_key for e in self.service.endpoints)

    @cached_property
    def uses_expiry(self) -> bool:
        """Some resource's records expire (``expiresAt``, x-pact expiry)."""
        return any(r.expiry is not None for r in self.service.resources)

    @cached_property
    def uses_slugs(self) -> bool:
        return any(r.slug is not None for r in self.service.resources)

    @cached_property
    def upserts(self) -> bool:
        """Some operation is an upsert (app/repositories/writes.py writes it)."""
        return any(e.kind is Kind.UPSERT and e.implemented for e in self.service.endpoints)

    @property
    def writes_errors(self) -> str:
        """What app/repositories/writes.py raises: a token never free, a missing row."""
        return ", ".join(
            n for n, used in (("Conflict", self.mints_tokens), ("NotFound", self.upserts)) if used
        )

    @cached_property
    def mints_tokens(self) -> bool:
        """Some table has a token or short code the service makes (app/core/tokens.py)."""
        return any(c.minted for r in self.service.resources for c in r.table.columns)

    @cached_property
    def accounts(self) -> ResourceView | None:
        """The accounts resource, when the service has account operations."""
        if not any(e.kind.is_auth for e in self.service.endpoints):
            return None
        name = self.service.auth.user_resource
        return self.resource(name) if name else None

    @property
    def viewer_type(self) -> str:
        """The type of the accounts' key, which callers are identified by."""
        return self.accounts.id_type if self.accounts else "str"

    @staticmethod
    def principal_key(python_type: str) -> str:
        """Source converting ``principal.id`` (text, from the token) to a key of ``python_type``."""
        return {"uuid.UUID": "uuid.UUID(principal.id)", "int": "int(principal.id)"}.get(
            python_type, "principal.id"
        )

    @cached_property
    def has_if_match(self) -> bool:
        return any(e.if_match for e in self.service.endpoints if e.implemented)
