"""The one check every name made from the contract passes before anything is rendered.

Modules, classes, functions, tables, columns and model fields are made from contract
names by :mod:`pactcoder.ir.names`; here each must be a Python identifier, not a keyword,
not a dunder name, and distinct in its scope: two properties ``createdAt`` and
``created_at`` of one schema would be one attribute, two operations ``getItem`` and
``get_item`` one function (and one stub module). A collision is a located error naming
both contract names; nothing is renamed silently. Names the generated route modules use
themselves are avoided where the function is made (:func:`~pactcoder.ir.names.function`)
and checked again here.

Example::

    check_names(service, problems)   # errors go to problems, raised by the pipeline
"""

from __future__ import annotations

from collections.abc import Iterable

from pactcoder.ir.model import Service, Table
from pactcoder.ir.names import GENERATED_FUNCTIONS, invalid_name
from pactcoder.problems import Location, Problems

#: (the name made, what it was made from, where that was written)
Made = tuple[str, str, Location | None]


class _Checker:
    """Reports each bad name, and each pair of contract names that collide, once."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.reported: set[tuple[str, ...]] = set()

    def scope(self, what: str, made: Iterable[Made], hint: str) -> None:
        """Each name of one scope (``what``: "operations", "properties of Item") valid,
        and no two the same."""
        seen: dict[str, str] = {}
        for name, source, location in made:
            reason = invalid_name(name)
            if reason and self._first(name):
                self.problems.error(
                    f"{source!r} ({what}) becomes {name!r}, which {reason}", at=location
                )
            if name in seen and self._first(seen[name], source, str(location)):
                self.problems.error(
                    f"{seen[name]!r} and {source!r} ({what}) both become the Python name {name!r}",
                    hint=hint,
                    at=location,
                )
            seen.setdefault(name, source)

    def _first(self, *key: str) -> bool:
        """Whether ``key`` is reported for the first time."""
        new = key not in self.reported
        self.reported.add(key)
        return new


def _tables(service: Service) -> list[Table]:
    tables: list[Table] = []
    for resource in service.resources:
        tables.append(resource.table)
        tables += [child.table for child in resource.table.children]
        tables += [v.table for v in resource.value_lists if v.table is not None]
    tables += [r.table for r in service.relations if r.table is not None]
    return tables


def check_names(service: Service, problems: Problems) -> None:
    """Every name made from the contract valid and distinct in its scope (see the module)."""
    checker = _Checker(problems)
    endpoints = service.endpoints
    checker.scope(
        "operations",
        [(e.function, e.operation_id, e.location) for e in endpoints]
        # A stub's module is imported by its route module as `<function>_code`.
        + [(f"{e.function}_code", e.operation_id, e.location) for e in endpoints],
        "give the operations operationIds that differ in more than case and punctuation",
    )
    for endpoint in endpoints:
        if endpoint.function in GENERATED_FUNCTIONS:  # function() renames these
            raise AssertionError(f"{endpoint.function} shadows a name of its route module")
    for model in service.models:
        checker.scope(
            f"properties of {model.class_name}",
            [(f.name, f.alias, f.location) for f in model.fields],
            "rename one of the properties (their JSON names may differ only in ways Python"
            " names cannot)",
        )
    tables = _tables(service)
    checker.scope(
        "tables",
        [(t.table_name, t.class_name, None) for t in tables],
        "rename one of the schemas or paths the tables are made from",
    )
    for table in tables:
        checker.scope(
            f"fields of the table {table.table_name}",
            [(c.attr, c.api_name, c.location) for c in table.columns]
            + [(c.attr, c.api_name, None) for c in table.children],
            "rename one of the properties",
        )
