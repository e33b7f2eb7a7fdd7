"""Pass 7: relations between the caller and a record, switched on and off by operations.

``POST|DELETE /articles/{slug}/favorite`` (or ``x-pact: {relation: favorite}``) is the
caller's relation to the article: stored as rows of its own table, one per pair.

Example::

    rels = relations(env, acts.kinds, found, auth)
    [r.name for r in rels.relations], rels.ops["POST /articles/{slug}/favorite"]
"""

from __future__ import annotations

from dataclasses import dataclass

from pactcoder.ir.model import AuthSpec, Column, Kind, Relation, Resource, Source, Table
from pactcoder.ir.names import participle, pascal, plural, singular, snake
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.operations import Kinds, parent_group_key
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.paths import body_schema, path_shape, response_schema
from pactcoder.ir.schemas import unwrap
from pactcoder.ir.types import PyType, SqlKind, SqlType
from pactcoder.oas.model import Operation


@dataclass(frozen=True)
class Relations:
    """The kinds with RELATE and UNRELATE, the relations, and which one each operation
    switches (operation key → relation name)."""

    kinds: Kinds
    relations: list[Relation]
    ops: dict[str, str]

    def named(self, name: str) -> Relation | None:
        return next((r for r in self.relations if r.name == name), None)


def relations(env: Env, kinds: Kinds, found: Resources, auth: AuthSpec) -> Relations:
    result: Kinds = []
    ops: dict[str, str] = {}
    for op, kind in kinds:
        relation = _relation_of(env, found, auth, op) if kind is Kind.CUSTOM else None
        if relation is None:
            result.append((op, kind))
            continue
        ops[op.key] = relation
        result.append((op, Kind.UNRELATE if op.method == "delete" else Kind.RELATE))
    made: list[Relation] = []
    users = found.records.get(auth.user_resource or "")
    for op, _ in result:
        name = ops.get(op.key)
        target = relation_target(found, op) if name is not None else None
        if name is None or users is None or target is None:
            continue
        if any(r.name == name for r in made):
            continue
        source = users.noun.singular
        same = target.noun.singular == source
        made.append(
            Relation(
                name=name,
                table_name=plural(snake(name)),
                class_name=pascal(name),
                source=source,
                target=target.noun.singular,
                user_column=f"{source}_id",
                target_column=(
                    f"{participle(snake(name))}_{target.noun.singular}_id"
                    if same
                    else f"{target.noun.singular}_id"
                ),
            )
        )
    return Relations(result, made, ops)


def _relation_of(env: Env, found: Resources, auth: AuthSpec, op: Operation) -> str | None:
    named = op.pact.relation
    shape = path_shape(op.path)
    if auth.user_resource is None or env.security.access(op).public:
        # A relation is the caller's: without accounts, or open to anyone, it is an action.
        if named is not None:
            env.problems.error(
                f"x-pact relation '{named}' on {op.method.upper()} {op.path}, which"
                " does not require a signed-in user",
                hint="relations are between the caller and a record: require sign-in",
                at=op.location,
            )
        return None
    if (
        op.method not in ("post", "put", "delete")
        or shape.collection is None
        or shape.item_param is not None
        or not shape.parents
        or body_schema(op) is not None
    ):
        return named
    parent = found.group_schema.get(parent_group_key(shape))
    if parent is None:
        return None
    answered = response_schema(op)
    if answered is not None and unwrap(answered)[0] is not unwrap(parent)[0]:
        return None
    return named if named is not None else singular(snake(shape.collection))


def relation_target(found: Resources, op: Operation) -> Resource | None:
    """The resource whose item path a relation's operation extends."""
    return found.for_group(parent_group_key(path_shape(op.path)))


def relation_tables(found: Resources, rels: Relations) -> None:
    """Each relation's table, once every primary key is known."""
    for relation in rels.relations:
        users = found.records[relation.source]
        target = found.records[relation.target]
        user_column = reference(relation.user_column, users, f"the {users.noun.title} who")
        user_column.primary_key = True
        target_column = reference(relation.target_column, target, f"the {relation.target}")
        target_column.primary_key = True
        relation.table = Table(
            class_name=relation.class_name,
            table_name=relation.table_name,
            module=target.module,
            doc=(
                f"Who {participle(relation.name)} which {target.noun.title}: one row per"
                " pair, added and removed idempotently."
            ),
            columns=[
                user_column,
                target_column,
                Column(
                    attr="created_at",
                    api_name="created_at",
                    python_type=PyType.DATETIME,
                    sa_type=SqlType(SqlKind.DATETIME),
                    nullable=False,
                    source=Source.CREATED,
                    exposed=False,
                    notes=["when the relation was made"],
                ),
            ],
        )


def reference(attr: str, resource: Resource, what: str) -> Column:
    """A column referring to ``resource``'s key, deleted with it."""
    key = resource.id_column
    return Column(
        attr=attr,
        api_name=attr,
        python_type=key.python_type,
        sa_type=key.sa_type.referring(),
        nullable=False,
        source=Source.PARENT,
        exposed=False,
        foreign_key=f"{resource.table.table_name}.{key.attr}",
        ondelete="CASCADE",
        index=True,
        references=resource.noun.singular,
        notes=[f"{what}; removed with it"],
    )
