"""The differences between two snapshots, renames included.

A column whose snapshot entry names ``renamed_from`` (x-pact renamed-from on its
property) is paired with that column of the previous snapshot instead of being
dropped and added; a table likewise (x-pact renamed-from on its schema: the previous
schema name or table name). What is left over and *looks* like a rename (in one
table, a column gone and one added with the same type; a table gone and one added
with the same columns) is listed in ``looks_renamed``, for the build to ask about.

Example::

    changes = schema_changes(previous, snapshot(service))
    [c.renamed for c in changes.changed]      # [[("name", "full_name")]]
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from pactcoder.ir.names import snake
from pactcoder.migrate.snapshots import Snapshot

#: The attributes of a column whose change alters it (its name aside).
COMPARED = ("type", "nullable", "unique", "index", "foreign_key")


def columns_of(table: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The columns of a snapshot table, each with its ``name``."""
    return {name: {"name": name, **spec} for name, spec in table["columns"].items()}


@dataclass
class TableChange:
    """What changes in one table that exists before and after (perhaps renamed)."""

    table: str
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    #: Its name before, when the table is renamed.
    renamed_from: str | None = None
    added: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)
    #: Every column kept, (before, after): renamed or not, altered or not.
    kept: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    @property
    def previous_name(self) -> str:
        return self.renamed_from or self.table

    @property
    def renamed(self) -> list[tuple[str, str]]:
        return [(old["name"], new["name"]) for old, new in self.kept if old["name"] != new["name"]]

    @property
    def altered(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        return [
            (old, new) for old, new in self.kept if any(old.get(k) != new.get(k) for k in COMPARED)
        ]

    def __bool__(self) -> bool:
        return bool(self.renamed_from or self.added or self.dropped or self.renamed or self.altered)


@dataclass
class LooksRenamed:
    """A drop and an add that may be one rename: the build asks for x-pact renamed-from."""

    table: str
    old: str
    new: str
    #: The schema (class) and the API names, for the message.
    schema: str = ""
    old_api: str = ""
    new_api: str = ""
    kind: str = "column"  # "column" | "table"


@dataclass
class SchemaChanges:
    """Every difference between two snapshots."""

    created: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    dropped: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    changed: list[TableChange] = field(default_factory=list)
    looks_renamed: list[LooksRenamed] = field(default_factory=list)
    #: The snapshots compared (``before`` with renamed tables' references already renamed).
    before: Snapshot = field(default_factory=dict)
    after: Snapshot = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.created or self.dropped or self.changed)

    def summary(self) -> str:
        """A short description, for the migration's name and docstring."""
        parts = [f"create {name}" for name, _ in self.created]
        parts += [f"drop {name}" for name, _ in self.dropped]
        for change in self.changed:
            bits = [f"rename {old} to {new}" for old, new in change.renamed]
            bits += [f"add {c['name']}" for c in change.added]
            bits += [f"drop {c['name']}" for c in change.dropped]
            bits += [f"alter {new['name']}" for _, new in change.altered]
            head = change.table
            if change.renamed_from:
                head = f"rename {change.renamed_from} to {change.table}"
                parts.append(head + (f": {', '.join(bits)}" if bits else ""))
            else:
                parts.append(f"{head}: {', '.join(bits)}")
        return "; ".join(parts)

    def slug(self) -> str:
        words = re.findall(r"[a-z0-9]+", self.summary().lower())
        return "_".join(words)[:48].rstrip("_") or "change"


def _previous_table(name: str, wanted: str, old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """The table of ``old`` that x-pact renamed-from ``wanted`` on table ``name`` means."""
    for candidate, table in old.items():
        if candidate in new or candidate == name:
            continue
        if wanted in (candidate, table.get("class")) or snake(wanted) == candidate:
            return candidate
    return None


def _rename_references(tables: dict[str, Any], old_name: str, new_name: str) -> None:
    """Make foreign keys to ``old_name`` point to ``new_name`` (the table is renamed)."""
    for table in tables.values():
        for column in table["columns"].values():
            target = column.get("foreign_key") or ""
            if target.split(".")[0] == old_name:
                column.setdefault("foreign_key_was", target)
                column["foreign_key"] = f"{new_name}.{target.split('.', 1)[1]}"
                column["source"] = column["source"].replace(
                    f"sa.ForeignKey('{old_name}.", f"sa.ForeignKey('{new_name}."
                )


def _rename_children(
    parent: str, old: dict[str, Any], new: dict[str, Any], renamed: dict[str, str]
) -> None:
    """Pair the child tables of a renamed table (``order_lines`` of ``orders`` renamed
    ``purchases``: ``purchase_lines``, whose ``order_id`` is ``purchase_id``)."""

    def link(table: dict[str, Any]) -> str | None:
        keys = [
            n
            for n, c in table["columns"].items()
            if (c.get("foreign_key") or "").split(".")[0] == parent
        ]
        return keys[0] if len(keys) == 1 else None

    for name, table in new.items():
        new_link = link(table)
        if name in old or name in renamed or new_link is None:
            continue
        for previous, was in old.items():
            old_link = link(was)
            if previous in new or previous in renamed.values() or old_link is None:
                continue
            if set(was["columns"]) - {old_link} == set(table["columns"]) - {new_link}:
                renamed[name] = previous
                if old_link != new_link:
                    table["columns"][new_link]["renamed_from"] = old_link
                _rename_references(old, previous, name)
                break


def schema_changes(before: Snapshot, after: Snapshot) -> SchemaChanges:
    """The differences that take a database at ``before`` to ``after``."""
    old = copy.deepcopy(before.get("tables", {}))
    new = copy.deepcopy(after.get("tables", {}))
    renamed: dict[str, str] = {}  # new name -> old name
    for name in new:
        wanted = new[name].get("renamed_from")
        if name not in old and wanted:
            previous = _previous_table(name, wanted, old, new)
            if previous is not None and previous not in renamed.values():
                renamed[name] = previous
    for name, previous in list(renamed.items()):
        _rename_references(old, previous, name)
        _rename_children(name, old, new, renamed)
    after = {**after, "tables": new}
    changes = SchemaChanges(before={"tables": old}, after=after)
    gone = set(renamed.values())
    for name in sorted(new, key=lambda n: new[n]["position"]):
        if name not in old and name not in renamed:
            changes.created.append((name, new[name]))
    for name in sorted(old, key=lambda n: -old[n]["position"]):
        if name not in new and name not in gone:
            changes.dropped.append((name, old[name]))
    kept = [n for n in new if n in old or n in renamed]
    for name in sorted(kept, key=lambda n: new[n]["position"]):
        previous = renamed.get(name, name)
        change = _table_change(name, previous, old[previous], new[name])
        change.renamed_from = renamed.get(name)
        if change:
            changes.changed.append(change)
        changes.looks_renamed += _looks_renamed(change)
    changes.looks_renamed += _tables_look_renamed(changes)
    return changes


def _table_change(
    name: str, previous: str, before: dict[str, Any], after: dict[str, Any]
) -> TableChange:
    before_columns, after_columns = columns_of(before), columns_of(after)
    change = TableChange(name, before, after)
    paired: set[str] = set()
    for column_name, column in after_columns.items():
        if column_name in before_columns:
            change.kept.append((before_columns[column_name], column))
            paired.add(column_name)
            continue
        wanted = column.get("renamed_from")
        source = next(
            (
                c
                for n, c in before_columns.items()
                if wanted in (n, c.get("api_name")) and n not in after_columns
            ),
            None,
        )
        if wanted and source is not None and source["name"] not in paired:
            change.kept.append((source, column))
            paired.add(source["name"])
        else:
            change.added.append(column)
    change.dropped = [c for n, c in before_columns.items() if n not in paired]
    return change


def _looks_renamed(change: TableChange) -> list[LooksRenamed]:
    found = []
    for gone in change.dropped:
        same = [c for c in change.added if c["type"] == gone["type"]]
        if len(same) == 1:
            new = same[0]
            found.append(
                LooksRenamed(
                    change.table,
                    gone["name"],
                    new["name"],
                    change.after.get("class", ""),
                    gone.get("api_name", gone["name"]),
                    new.get("api_name", new["name"]),
                )
            )
    return found


def _tables_look_renamed(changes: SchemaChanges) -> list[LooksRenamed]:
    found = []
    for gone, old_table in changes.dropped:
        old_columns = set(old_table["columns"])
        for name, table in changes.created:
            shared = old_columns & set(table["columns"])
            if len(shared) * 2 > max(len(old_columns), len(table["columns"])):
                found.append(
                    LooksRenamed(
                        name,
                        gone,
                        name,
                        table.get("class", ""),
                        old_table.get("class", gone),
                        table.get("class", name),
                        kind="table",
                    )
                )
    return found
