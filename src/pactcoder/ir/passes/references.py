"""Pass 11: references between tables: owners, ``<resource>_id`` fields, parents, children.

Owned resources get the creator's id (a foreign key to the accounts table); a field
named after another resource's id refers to it; a resource listed under another's
path keeps its parent's id (by id, even when the path names the parent by a natural
key); child tables refer to their parent row. Value lists and relations get their
tables once every key is known.

Example::

    references(env, found, fields, auth)
    found.records["loan"].parents        # [ParentLink(resource="member", column="member_id")]
"""

from __future__ import annotations

from pactcoder.ir.model import AuthSpec, Column, ParentLink, Readers, Resource, Source, Table
from pactcoder.ir.names import attribute
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.fields import Fields
from pactcoder.ir.passes.operations import parent_group_key
from pactcoder.ir.passes.relations import reference
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.passes.tables import position_column
from pactcoder.ir.types import PyType, SqlKind, SqlType


def references(env: Env, found: Resources, fields: Fields, auth: AuthSpec) -> None:
    _owner_columns(env, found, auth)
    by_id_name = {f"{r.noun.singular}_id": r for r in found.records.values()}
    for resource in found.records.values():
        for table in [resource.table, *(c.table for c in resource.table.children)]:
            for column in table.columns:
                if column.primary_key or column.foreign_key or column.source is Source.OWNER:
                    continue
                target = by_id_name.get(column.attr)
                if target is not None and column.python_type in (
                    target.id_column.python_type,
                    PyType.ANY,
                ):
                    _refer(column, target)
        _embed_columns(found, resource)
        _parent_columns(found, fields, resource)
        for child in resource.table.children:
            column = child.table.columns[1]
            column.python_type = resource.id_column.python_type
            column.sa_type = resource.id_column.sa_type.referring()
            column.foreign_key = f"{resource.table.table_name}.{resource.id_column.attr}"


def _embed_columns(found: Resources, resource: Resource) -> None:
    """The column an embedded record is found by refers to it, whatever its name
    (overseerr's ``mediaId`` for a ``media`` that is a MediaInfo): the relationship that
    loads it needs a foreign key to join on."""
    for embed in resource.embeds:
        column = next((c for c in resource.table.columns if c.attr == embed.column), None)
        target = found.records.get(embed.target)
        if column is None or target is None or column.foreign_key:
            continue
        _refer(column, target)
        column.sa_type = target.id_column.sa_type.referring()


def _refer(column: Column, target: Resource) -> None:
    column.foreign_key = f"{target.table.table_name}.{target.id_column.attr}"
    column.ondelete = "RESTRICT"
    column.references = target.noun.singular
    column.index = True
    what = _a(target.noun.title)
    column.notes.append(
        f"refers to {what} (from its name); {what} still referred to cannot be deleted"
    )


def _parent_columns(found: Resources, fields: Fields, resource: Resource) -> None:
    for group in found.groups_of(resource.noun.singular):
        if not group.shape.parents:
            continue
        _, param = group.shape.parents[-1]
        parent = found.for_group(parent_group_key(group.shape))
        if parent is None:
            continue
        column = next(
            c for c in resource.table.columns if c.api_name == param or c.attr == attribute(param)
        )
        if parent.lookup and fields.lookups.get(parent.noun.singular) == param:
            # `/articles/{slug}/comments`: rows keep the article's id, not its slug.
            column.attr = f"{parent.noun.singular}_id"
            column.notes = [f"the {parent.noun.title}'s id, found by its {param} in the path"]
        if resource.cascade:
            column.ondelete = "CASCADE"
            column.notes.append(f"deleted with its {parent.noun.title}")
        if column.foreign_key is None:
            column.foreign_key = f"{parent.table.table_name}.{parent.id_column.attr}"
            column.ondelete = "CASCADE" if resource.cascade else "RESTRICT"
            column.references = parent.noun.singular
            column.index = True
        column.python_type = parent.id_column.python_type
        column.sa_type = parent.id_column.sa_type.referring()
        link = ParentLink(resource=parent.noun.singular, column=column.attr)
        if all(p.resource != link.resource for p in resource.parents):
            resource.parents.append(link)


def _owner_columns(env: Env, found: Resources, auth: AuthSpec) -> None:
    """Owned resources get the creator's id: a foreign key to the accounts table."""
    users = found.records.get(auth.user_resource or "")
    for resource in found.records.values():
        if not resource.owned:
            continue
        if users is None:
            env.problems.error(
                f"{resource.schema_name} is owned by its creator, but the contract has no"
                " user accounts",
                hint="add account operations (register, login) or remove x-pact owner",
                at=found.schema_of[resource.noun.singular].location,
            )
            continue
        user_id = users.id_column
        rights = (
            "anyone reads it, only they (and admins) change it"
            if resource.readers is Readers.everyone
            else "only they (and admins) see it"
        )
        resource.table.columns.append(
            Column(
                attr="owner_id",
                api_name="owner_id",
                python_type=user_id.python_type,
                sa_type=user_id.sa_type.referring(),
                nullable=False,
                source=Source.OWNER,
                exposed=False,
                foreign_key=f"{users.table.table_name}.{user_id.attr}",
                ondelete="CASCADE",
                index=True,
                references=users.noun.singular,
                notes=[f"the {users.noun.title} who created it; {rights}; removed with them"],
            )
        )


def value_list_tables(found: Resources) -> None:
    """The tables of value lists (one row per value), once every primary key is known."""
    for resource in found.records.values():
        for value_list in resource.value_lists:
            value_list.table = Table(
                class_name=value_list.class_name,
                table_name=value_list.table_name,
                module=resource.module,
                doc=f"One value of {resource.noun.title}.{value_list.api_name}, one row each.",
                columns=[
                    Column(
                        attr="id",
                        api_name="id",
                        python_type=PyType.INT,
                        sa_type=SqlType(SqlKind.BIG_INT_ID),
                        nullable=False,
                        source=Source.ID,
                        primary_key=True,
                        exposed=False,
                        notes=["the row's own key"],
                    ),
                    reference(value_list.parent_column, resource, f"the {resource.noun.title}"),
                    position_column("keeps the order of the list"),
                    Column(
                        attr="value",
                        api_name=value_list.noun,
                        python_type=value_list.python_type,
                        sa_type=value_list.sa_type,
                        nullable=False,
                        source=Source.CLIENT,
                        index=True,
                        notes=[f"the {value_list.noun}; indexed for filters and lists"],
                    ),
                ],
            )


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"
