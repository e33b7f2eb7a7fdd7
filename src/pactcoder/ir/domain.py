"""Domain semantics beyond CRUD: views, natural keys, relations, derived fields, value lists.

A product API is more than flat tables. From the contract's shape this module
infers, and ``x-pact`` states where the shape cannot:

* **views**: a schema that shows another resource's records (a public
  ``Profile`` of a ``User``), read from that resource's table;
* **natural keys**: records addressed by ``/articles/{slug}`` or
  ``/profiles/{username}`` rather than by id, and slugs made from a title;
* **relations** between the caller and a record (favorite, follow), switched
  on by ``POST`` and off by ``DELETE`` on a sub-path
  (``/articles/{slug}/favorite``), stored as rows of their own table;
* **derived fields**: ``favorited`` (the caller has the relation),
  ``favoritesCount`` / ``commentsCount`` (relations or children counted);
* **embedded records**: ``author`` in an article, the account that wrote it;
* **value lists**: ``tagList`` stored one row per tag when the contract lists
  or filters by its values (``GET /tags``, ``?tag=``);
* **queries through relations**: ``?author=<username>``, ``?favorited=<username>``,
  ``?tag=``, a ``feed`` of the records of followed users, default orders.

:class:`DomainInference` is mixed into the inferrer of :mod:`.infer`; its
``_plan_*`` steps run before the tables are built, ``_domain_*`` after.

Example::

    service = infer_service(document, problems)
    article = service.resource("article")
    article.lookup, [d.api_name for d in article.derived]   # "slug", ["favorited", ...]
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pactcoder.ir.model import (
    Column,
    Derived,
    Direction,
    Embed,
    Endpoint,
    Kind,
    Param,
    Relation,
    Resource,
    SlugRule,
    Source,
    Table,
    ValueList,
)
from pactcoder.ir.names import attribute, pascal, plural, singular, snake, words
from pactcoder.ir.paths import body_schema, path_shape, response_schema
from pactcoder.ir.schemas import flatten, is_object, unwrap
from pactcoder.spec.model import Operation, Parameter, Schema
from pactcoder.spec.xpact import xpact

if TYPE_CHECKING:
    from pactcoder.ir.model import AuthSpec
    from pactcoder.ir.schemas import ModelBuilder
    from pactcoder.ir.security import SecurityInference
    from pactcoder.problems import Problems
    from pactcoder.spec.model import Document

_ID_NAMES = {"id", "uuid", "key"}
_SLUG_SOURCES = ("title", "name", "headline", "subject", "label")
_NEWEST = re.compile(r"\b(newest|most recent|latest|recent)\s+first\b", re.IGNORECASE)
_OLDEST = re.compile(r"\boldest\s+first\b", re.IGNORECASE)
_CREATED = {"created", "published", "posted", "added"}


def stem(word: str) -> str:
    """A crude stem that makes ``favorited``, ``favorite``, ``favorites`` (and ``following``,
    ``follow``, ``follower``) the same word, to match fields to relations."""
    word = word.lower()
    for suffix in ("ing", "ers", "ed", "er", "es", "s", "e", "d"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def participle(verb: str) -> str:
    """``follow`` → ``followed``, ``favorite`` → ``favorited``."""
    return f"{verb}d" if verb.endswith("e") else f"{verb}ed"


class DomainInference:
    """The domain steps of the inferrer; see the module docstring.

    The attributes below are the inferrer's own state, which these steps read
    and extend.
    """

    doc: Document
    problems: Problems
    models: ModelBuilder
    resources: dict[str, Resource]
    auth: AuthSpec
    _resource_of_schema: dict[int, str]
    _schema_of: dict[str, Schema]
    _groups: dict[str, Any]
    security: SecurityInference

    def _domain_init(self) -> None:
        #: Group key → (resource name, view schema) for groups answering a view.
        self._views: dict[str, Schema] = {}
        #: Group key → the schema of the resource its view shows.
        self._view_targets: dict[str, Schema] = {}
        #: Resource → JSON names of response properties that are not plain columns.
        self._skip: dict[str, set[str]] = {}
        #: Resource → JSON name of the item path parameter that is a natural key.
        self._lookups: dict[str, str] = {}
        self.relations: list[Relation] = []
        self._relation_ops: dict[int, tuple[str, Kind]] = {}
        #: ``GET /tags``: operation → (resource, value list attribute, JSON key of the list).
        self._distinct_ops: dict[int, tuple[str, str, str]] = {}
        #: Resources owned by their creator because they embed the user nobody sends.
        self._implied_owners: set[str] = set()

    # -- before the tables -------------------------------------------------------------

    def _plan_views(self, user_schema: Schema | None) -> set[int]:
        """Schemas that show another resource's records; they get no table of their own."""
        views: set[int] = set()
        for group in self._groups.values():
            schema = group.schema
            if schema is None:
                continue
            target = self._view_target(schema, user_schema)
            if target is not None and target is not schema:
                views.add(id(schema))
                self._views[group.key] = schema
                self._view_targets[group.key] = target
        return views

    def _view_target(self, schema: Schema, user_schema: Schema | None) -> Schema | None:
        named = xpact(schema.extensions).get("view-of")
        if isinstance(named, str):
            found = self.doc.schemas.get(named)
            if found is None:
                self.problems.error(
                    f"x-pact view-of names '{named}', which is not a component schema",
                    hint=f"use one of: {', '.join(sorted(self.doc.schemas)) or 'none'}",
                    at=schema.location,
                )
            return found
        if user_schema is None or schema is user_schema or self._is_request_schema(schema):
            return None
        own = flatten(unwrap(schema)[0]).properties
        theirs = flatten(unwrap(user_schema)[0]).properties
        common = [name for name in own if name in theirs]
        extra = [name for name in own if name not in theirs]
        # A profile: the user's fields (at least two) and per-caller flags or counts.
        derivable = all(unwrap(own[name])[0].type in ("boolean", "integer") for name in extra)
        return user_schema if len(common) >= 2 and derivable else None

    def _is_request_schema(self, schema: Schema) -> bool:
        return any(body_schema(op) is schema for op in self.doc.operations)

    def _plan_relations(self, kinds: list[tuple[Operation, Kind]]) -> list[tuple[Operation, Kind]]:
        """``POST|DELETE /articles/{slug}/favorite``: a relation switched on and off."""
        result: list[tuple[Operation, Kind]] = []
        for op, kind in kinds:
            relation = self._relation_of(op) if kind is Kind.CUSTOM else None
            if relation is None:
                result.append((op, kind))
                continue
            new_kind = Kind.UNRELATE if op.method == "delete" else Kind.RELATE
            self._relation_ops[id(op)] = (relation, new_kind)
            result.append((op, new_kind))
        return result

    def _relation_of(self, op: Operation) -> str | None:
        named = xpact(op.extensions).get("relation")
        shape = path_shape(op.path)
        if self.auth.user_resource is None or self.security.access(op).public:
            # A relation is the caller's: without accounts, or open to anyone, it is an action.
            if isinstance(named, str):
                self.problems.error(
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
            return str(named) if isinstance(named, str) else None
        parent_key = "/".join(
            [*(f"{c}/{{{p}}}" for c, p in shape.parents[:-1]), shape.parents[-1][0]]
        )
        parent = self._groups.get(parent_key)
        if parent is None or parent.schema is None:
            return None
        answered = response_schema(op)
        if answered is not None and unwrap(answered)[0] is not unwrap(parent.schema)[0]:
            return None
        return str(named) if isinstance(named, str) else singular(snake(shape.collection))

    def _relation_target(self, op: Operation) -> Resource | None:
        shape = path_shape(op.path)
        parent_key = "/".join(
            [*(f"{c}/{{{p}}}" for c, p in shape.parents[:-1]), shape.parents[-1][0]]
        )
        group = self._groups.get(parent_key)
        if group is None or group.schema is None:
            return None
        name = self._resource_of_schema.get(id(group.schema))
        return self.resources.get(name) if name else None

    def _make_relations(self, kinds: list[tuple[Operation, Kind]]) -> None:
        users = self.resources.get(self.auth.user_resource or "")
        for op, _ in kinds:
            found = self._relation_ops.get(id(op))
            if found is None:
                continue
            name, _kind = found
            target = self._relation_target(op)
            if users is None or target is None:
                continue
            if any(r.name == name for r in self.relations):
                continue
            source = users.noun.singular
            same = target.noun.singular == source
            self.relations.append(
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

    def _plan_fields(self, kinds: list[tuple[Operation, Kind]]) -> list[tuple[Operation, Kind]]:
        """Per resource: embedded records, value lists, derived fields, slugs, natural keys."""
        scalar_lists = self._scalar_list_groups()
        result = list(kinds)
        for name, resource in self.resources.items():
            schema = self._schema_of[name]
            shape = flatten(unwrap(schema)[0])
            skip = self._skip.setdefault(name, set())
            views = [v for k, v in self._views.items() if self._group_resource(k) == name]
            properties = dict(shape.properties)
            for view in views:
                for key, prop in flatten(unwrap(view)[0]).properties.items():
                    properties.setdefault(key, prop)
            for key, prop in properties.items():
                target, _ = unwrap(prop)
                embedded = self._embedded_resource(target)
                if embedded is not None and embedded != name:
                    skip.add(key)
                    resource.embeds.append(
                        Embed(
                            attr=attribute(key),
                            api_name=key,
                            target=embedded,
                            column="",
                            model="",
                        )
                    )
                    continue
                value_list = self._value_list(resource, key, target, scalar_lists)
                if value_list is not None:
                    skip.add(key)
                    resource.value_lists.append(value_list)
                    continue
                derived = self._derived(resource, key, prop)
                if derived is not None:
                    skip.add(key)
                    resource.derived.append(derived)
            settings = xpact(schema.extensions)
            users = self.auth.user_resource
            if any(e.target == users for e in resource.embeds) and name != users:
                # The user embedded in a record nobody sends is the one who created it.
                sent = any(f"{e.api_name}Id" in self._request_fields(name) for e in resource.embeds)
                if not sent and settings.get("owner") is None:
                    self._implied_owners.add(name)
            readers = settings.get("readers")
            if readers is None:
                readers = "everyone" if self._public_reads(name) else "owner"
            resource.readers = str(readers)
            resource.cascade = bool(settings.get("delete-with-parent", False))
            self._plan_lookup(resource)
        for index, (op, _) in enumerate(result):
            distinct = self._distinct_ops.get(id(op))
            if distinct is not None:
                result[index] = (op, Kind.DISTINCT)
        return result

    def _request_fields(self, name: str) -> set[str]:
        fields: set[str] = set()
        for key, group in self._groups.items():
            if self._group_resource(key) != name:
                continue
            for op, _ in group.ops:
                body = body_schema(op)
                if body is not None and is_object(body):
                    fields |= set(flatten(unwrap(body)[0]).properties)
        return fields

    def _public_reads(self, name: str) -> bool:
        """Whether anyone, signed in or not, may read the records of ``name``."""
        ops = [
            (op, kind)
            for key, group in self._groups.items()
            if self._group_resource(key) == name
            for op, kind in group.ops
        ]
        reads = [op for op, kind in ops if kind is Kind.READ] or [
            op for op, kind in ops if kind is Kind.LIST
        ]
        return any(self.security.access(op).public for op in reads)

    def _group_resource(self, group_key: str) -> str | None:
        group = self._groups.get(group_key)
        if group is None or group.schema is None:
            return None
        return self._resource_of_schema.get(id(group.schema))

    def _embedded_resource(self, target: Schema) -> str | None:
        if not is_object(target):
            return None
        name = self._resource_of_schema.get(id(target))
        if name is not None:
            return name
        for key, view in self._views.items():
            if unwrap(view)[0] is target:
                return self._group_resource(key)
        for group in self._groups.values():
            if group.schema is not None and unwrap(group.schema)[0] is target:
                return self._resource_of_schema.get(id(group.schema))
        return None

    def _scalar_list_groups(self) -> dict[str, tuple[Operation, str]]:
        """``GET /tags`` answering a list of plain values: collection word → operation."""
        found: dict[str, tuple[Operation, str]] = {}
        for group in self._groups.values():
            if group.schema is not None or group.shape.item_param or group.shape.parents:
                continue
            for op, kind in group.ops:
                if kind is not Kind.LIST:
                    continue
                schema = response_schema(op)
                items = self._scalar_items(schema)
                if items is not None:
                    found[singular(snake(group.shape.collection or ""))] = (op, items)
        return found

    @staticmethod
    def _scalar_items(schema: Schema | None) -> str | None:
        """The JSON name of a list of strings in a response (``""`` for a bare array)."""
        if schema is None:
            return None
        target, _ = unwrap(schema)
        if target.type == "array" and target.items is not None:
            return "" if unwrap(target.items)[0].type == "string" else None
        if not is_object(target):
            return None
        arrays = [
            (key, prop)
            for key, prop in flatten(target).properties.items()
            if unwrap(prop)[0].type == "array"
        ]
        if len(arrays) != 1:
            return None
        key, prop = arrays[0]
        items = unwrap(prop)[0].items
        return key if items is not None and unwrap(items)[0].type == "string" else None

    def _value_list(
        self,
        resource: Resource,
        key: str,
        target: Schema,
        scalar_lists: dict[str, tuple[Operation, str]],
    ) -> ValueList | None:
        if target.type != "array" or target.items is None:
            return None
        item, _ = unwrap(target.items)
        if item.type not in ("string", "integer"):
            return None
        noun = singular(words(key)[0]) if words(key) else key
        # With a distinct-values endpoint (`GET /tags`) the values get a table of their own,
        # indexed; otherwise they stay a JSON array (filters use JSON containment).
        listed = scalar_lists.get(noun)
        if listed is None:
            return None
        owner = resource.noun.singular
        self._distinct_ops[id(listed[0])] = (owner, attribute(key), listed[1])
        python_type, sa_type = ("int", "BigInteger") if item.type == "integer" else ("str", "")
        if not sa_type:
            width = item.max_length if item.max_length and item.max_length <= 255 else 255
            sa_type = f"String({width})"
        return ValueList(
            attr=attribute(key),
            api_name=key,
            noun=noun,
            class_name=pascal(f"{owner}_{noun}"),
            table_name=f"{owner}_{plural(noun)}",
            python_type=python_type,
            sa_type=sa_type,
            parent_column=f"{owner}_id",
        )

    def _derived(self, resource: Resource, key: str, prop: Schema) -> Derived | None:
        target, traits = unwrap(prop)
        settings = {**xpact(target.extensions), **xpact(prop.extensions)}
        target_name = resource.noun.singular
        relations = [r for r in self.relations if r.target == target_name]
        if isinstance(settings.get("flag"), str):
            return self._named_flag(resource, key, str(settings["flag"]), prop)
        if isinstance(settings.get("count"), str):
            return self._named_count(resource, key, str(settings["count"]), prop)
        if target.type == "boolean":
            relation = next((r for r in relations if stem(r.name) == stem(key)), None)
            if relation is None:
                return None
            return Derived(
                attr=attribute(key),
                api_name=key,
                kind="flag",
                relation=relation.name,
                notes=[f"true when the caller has {relation.name}d it; false when anonymous"],
            )
        parts = words(key)
        if target.type == "integer" and len(parts) >= 2 and parts[-1] == "count":
            counted = "_".join(parts[:-1])
            relation = next((r for r in relations if stem(singular(counted)) == stem(r.name)), None)
            if relation is not None:
                return Derived(
                    attr=attribute(key),
                    api_name=key,
                    kind="count",
                    relation=relation.name,
                    notes=[f"how many {relation.table_name} it has"],
                )
            child = self._child_resource(resource, counted)
            if child is not None:
                return Derived(
                    attr=attribute(key),
                    api_name=key,
                    kind="count",
                    child=child,
                    notes=[f"how many {plural(child)} it has"],
                )
        del traits
        return None

    def _named_flag(self, resource: Resource, key: str, name: str, prop: Schema) -> Derived | None:
        if not any(r.name == name and r.target == resource.noun.singular for r in self.relations):
            self.problems.error(
                f"x-pact flag names '{name}', which is no relation to {resource.schema_name}",
                hint="relations come from POST/DELETE on a sub-path of the item, such as"
                f" /{resource.noun.plural}/{{id}}/{name}",
                at=prop.location,
            )
            return None
        return Derived(attribute(key), key, "flag", relation=name, notes=["x-pact flag"])

    def _named_count(self, resource: Resource, key: str, name: str, prop: Schema) -> Derived | None:
        if any(r.name == name and r.target == resource.noun.singular for r in self.relations):
            return Derived(attribute(key), key, "count", relation=name, notes=["x-pact count"])
        child = self._child_resource(resource, name)
        if child is not None:
            return Derived(attribute(key), key, "count", child=child, notes=["x-pact count"])
        self.problems.error(
            f"x-pact count names '{name}', which is neither a relation to"
            f" {resource.schema_name} nor a collection under it",
            hint="name a relation (favorite) or a collection nested under the item (comments)",
            at=prop.location,
        )
        return None

    def _child_resource(self, resource: Resource, collection: str) -> str | None:
        """The resource listed under ``resource``'s items as ``collection`` (comments)."""
        for group in self._groups.values():
            shape = group.shape
            if group.schema is None or not shape.parents:
                continue
            if snake(shape.collection or "") != snake(collection):
                continue
            parent_key = "/".join(
                [*(f"{c}/{{{p}}}" for c, p in shape.parents[:-1]), shape.parents[-1][0]]
            )
            if self._group_resource(parent_key) == resource.noun.singular:
                return self._resource_of_schema.get(id(group.schema))
        return None

    def _plan_lookup(self, resource: Resource) -> None:
        """Item paths that name a record by a field other than its id: ``{slug}``."""
        name = resource.noun.singular
        schema = self._schema_of[name]
        fields = flatten(unwrap(schema)[0]).properties
        for key, group in self._groups.items():
            if self._group_resource(key) != name:
                continue
            items = {path_shape(op.path).item_param for op, _ in group.ops}
            for param in sorted(p for p in items if p):
                view = self._views.get(key)
                in_view = view is not None and param in flatten(unwrap(view)[0]).properties
                if param not in fields or self._id_like(param, resource):
                    continue
                read_only = unwrap(fields[param])[1].read_only
                if read_only or in_view or snake(param) == "slug":
                    self._lookups[name] = param

    @staticmethod
    def _id_like(name: str, resource: Resource) -> bool:
        key = snake(name)
        return key in _ID_NAMES or key == f"{resource.noun.singular}_id"

    # -- after the tables -------------------------------------------------------------

    def _domain_columns(self) -> None:
        """Natural keys and slugs made unique, embeds linked, tokens taken out of tables."""
        users = self.resources.get(self.auth.user_resource or "")
        for name, resource in self.resources.items():
            lookup = self._lookups.get(name)
            columns = {c.api_name: c for c in resource.table.columns}
            if lookup is not None and lookup in columns:
                column = columns[lookup]
                resource.lookup = column.attr
                if not column.unique:
                    column.unique = True
                    column.notes.append("names the record in paths: unique")
            self._plan_slug(resource, columns)
            for embed in resource.embeds:
                self._link_embed(resource, embed, users)
            if users is not None and name == users.noun.singular:
                self._token_fields(resource)

    def _plan_slug(self, resource: Resource, columns: dict[str, Column]) -> None:
        schema = self._schema_of[resource.noun.singular]
        for key, prop in flatten(unwrap(schema)[0]).properties.items():
            column = columns.get(key)
            if column is None:
                continue
            settings = {**xpact(unwrap(prop)[0].extensions), **xpact(prop.extensions)}
            rule = settings.get("slug")
            server_made = column.source in (Source.UNKNOWN, Source.NULL)
            if rule is None and not (snake(key) == "slug" and server_made):
                continue
            source_name = rule.get("from") if isinstance(rule, dict) else None
            if source_name is None:
                source_name = next((s for s in _SLUG_SOURCES if s in columns), None)
            source = columns.get(source_name or "")
            if source is None or source.source is not Source.CLIENT:
                self.problems.error(
                    f"{resource.schema_name}.{key} is a slug, but no field it can be made from"
                    f" ({source_name or ', '.join(_SLUG_SOURCES)}) is sent by clients",
                    hint="name the field with x-pact: {slug: {from: title}}",
                    at=prop.location,
                )
                continue
            on_update = isinstance(rule, dict) and rule.get("on-update") == "regenerate"
            resource.slug = SlugRule(column=column.attr, source=source.attr, on_update=on_update)
            column.source = Source.SLUG
            column.nullable = False
            column.unique = True
            column.sa_type = "String(255)"
            column.python_type = "str"
            column.notes = [
                f"made from {source.api_name} when created"
                + (", and again when it changes" if on_update else "; stable afterwards")
                + "; unique (a suffix is added)"
            ]
            return

    def _link_embed(self, resource: Resource, embed: Embed, users: Resource | None) -> None:
        target = self.resources[embed.target]
        view = next(
            (v for k, v in self._views.items() if self._group_resource(k) == embed.target),
            None,
        )
        schema = self._schema_of[resource.noun.singular]
        prop = flatten(unwrap(schema)[0]).properties.get(embed.api_name)
        if prop is not None:
            embed.model = self.models.model_for(
                unwrap(prop)[0], Direction.RESPONSE, context=target.noun.class_name
            )
        elif view is not None:
            embed.model = self.models.model_for(view, Direction.RESPONSE, context="View")
        if resource.owned and users is not None and embed.target == users.noun.singular:
            embed.column = "owner_id"
            return
        id_name = f"{embed.api_name}Id"
        column = next(
            (c for c in resource.table.columns if c.api_name in (id_name, f"{embed.attr}_id")),
            None,
        )
        if column is not None:
            embed.column = column.attr
            return
        self.problems.error(
            f"{resource.schema_name}.{embed.api_name} embeds {_a(target.noun.title)}, but"
            " nothing says which one",
            hint=f"send '{id_name}' in the request body, or make {resource.schema_name} owned"
            " by its creator (x-pact owner: creator) when it embeds the author",
            at=self._schema_of[resource.noun.singular].location,
        )
        resource.embeds.remove(embed)

    def _token_fields(self, resource: Resource) -> None:
        """``token`` inside the user object: a fresh access token, never stored."""
        for column in list(resource.table.columns):
            if column.source is Source.UNKNOWN and snake(column.api_name) in (
                "token",
                "access_token",
                "jwt",
            ):
                resource.table.columns.remove(column)
                resource.derived.append(
                    Derived(
                        attr=column.attr,
                        api_name=column.api_name,
                        kind="token",
                        notes=["a fresh access token, in the account operations' answers"],
                    )
                )

    def _domain_tables(self) -> None:
        """The tables of value lists and relations, once every primary key is known."""
        for resource in self.resources.values():
            for value_list in resource.value_lists:
                value_list.table = Table(
                    class_name=value_list.class_name,
                    table_name=value_list.table_name,
                    module=resource.module,
                    doc=f"One value of {resource.noun.title}.{value_list.api_name}, one row each.",
                    columns=[
                        _key_column("id", "int", "BigIntId", "the row's own key"),
                        _reference(
                            value_list.parent_column, resource, f"the {resource.noun.title}"
                        ),
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
        for relation in self.relations:
            users = self.resources[relation.source]
            target = self.resources[relation.target]
            user_column = _reference(relation.user_column, users, f"the {users.noun.title} who")
            user_column.primary_key = True
            target_column = _reference(relation.target_column, target, f"the {relation.target}")
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
                        python_type="datetime.datetime",
                        sa_type="UTCDateTime",
                        nullable=False,
                        source=Source.CREATED,
                        exposed=False,
                        notes=["when the relation was made"],
                    ),
                ],
            )

    # -- endpoints --------------------------------------------------------------------

    def _domain_endpoint(self, endpoint: Endpoint, op: Operation, resource: Resource) -> None:
        """Relations, views, feeds, default orders and distinct lists of one endpoint."""
        found = self._relation_ops.get(id(op))
        if found is not None:
            endpoint.relation = found[0]
            endpoint.notes.append(
                f"{'adds' if endpoint.kind is Kind.RELATE else 'removes'} the caller's"
                f" {found[0]} (idempotent)"
            )
        shape = path_shape(op.path)
        group_key = shape.group
        if endpoint.kind in (Kind.RELATE, Kind.UNRELATE) and shape.parents:
            group_key = "/".join(
                [*(f"{c}/{{{p}}}" for c, p in shape.parents[:-1]), shape.parents[-1][0]]
            )
        view = self._views.get(group_key)
        if view is not None:
            endpoint.read_model = self.models.model_for(view, Direction.RESPONSE, context="View")
        if endpoint.kind is Kind.LIST:
            self._feed(endpoint, op, resource, shape.collection or "")
            self._order(endpoint, op, resource)
        distinct = self._distinct_ops.get(id(op))
        if distinct is not None:
            endpoint.distinct = distinct[1]
            endpoint.envelope_items_key = distinct[2] or None
            endpoint.notes.append(f"the distinct values of {resource.schema_name}.{distinct[1]}")

    def _feed(self, endpoint: Endpoint, op: Operation, resource: Resource, last: str) -> None:
        named = xpact(op.extensions).get("feed")
        people = [r for r in self.relations if r.source == r.target]
        if isinstance(named, str):
            relation = next((r for r in self.relations if r.name == named), None)
            if relation is None or relation.source != relation.target:
                self.problems.error(
                    f"x-pact feed names '{named}', which is no relation between users",
                    hint=f"relations between users here: {', '.join(r.name for r in people)}",
                    at=op.location,
                )
                return
        elif snake(last) == "feed" and len(people) == 1:
            relation = people[0]
        else:
            return
        if not resource.owned:
            self.problems.error(
                f"{endpoint.method.upper()} {endpoint.path} is a feed, but"
                f" {resource.schema_name} records have no owner to follow",
                hint="mark the schema x-pact: {owner: creator}",
                at=op.location,
            )
            return
        endpoint.feed = relation.name
        endpoint.notes.append(f"the records of the users the caller {participle(relation.name)}")

    def _order(self, endpoint: Endpoint, op: Operation, resource: Resource) -> None:
        named = xpact(op.extensions).get("order")
        columns = {c.api_name: c for c in resource.table.columns}
        if isinstance(named, str):
            for item in named.split(","):
                column = columns.get(item.lstrip("-"))
                if column is None:
                    self.problems.error(
                        f"x-pact order names '{item.lstrip('-')}', which is no stored field of"
                        f" {resource.schema_name}",
                        hint=f"fields: {', '.join(columns)}",
                        at=op.location,
                    )
                    return
                endpoint.order.append((column.attr, item.startswith("-")))
        else:
            text = f"{op.summary or ''} {op.description or ''}"
            created = next(
                (
                    c
                    for c in resource.table.columns
                    if c.source is Source.CREATED and set(words(c.api_name)) & _CREATED
                ),
                None,
            )
            if created is None:
                return
            if _NEWEST.search(text):
                endpoint.order = [(created.attr, True)]
            elif _OLDEST.search(text):
                endpoint.order = [(created.attr, False)]
            else:
                return
        shown = ", ".join(f"{'-' if d else ''}{a}" for a, d in endpoint.order)
        endpoint.notes.append(f"ordered by {shown}, then id")
        first = next(c for c in resource.table.columns if c.attr == endpoint.order[0][0])
        if not (first.index or first.unique or first.primary_key):
            # Without it, every page sorts the whole table.
            first.index = True
            first.notes.append("indexed: lists are ordered by it")

    def _domain_filter(
        self, param: Param, parameter: Parameter, resource: Resource, endpoint: Endpoint
    ) -> bool:
        """Filters through relations: ``?tag=``, ``?author=<username>``, ``?favorited=<user>``."""
        name = snake(parameter.name)
        for value_list in resource.value_lists:
            if name in (value_list.noun, value_list.attr):
                param.column, param.operator = value_list.attr, "has"
                endpoint.notes.append(f"'{parameter.name}' keeps records with this {name}")
                return True
        for embed in resource.embeds:
            if name == embed.attr:
                key = self._natural_key(embed.target)
                if key is None:
                    return False
                param.column, param.operator, param.through, param.key = (
                    embed.column,
                    "embed",
                    embed.attr,
                    key,
                )
                endpoint.notes.append(f"'{parameter.name}' compares the {embed.attr}'s {key}")
                return True
        for derived in resource.derived:
            if derived.kind == "flag" and name == derived.attr and derived.relation:
                relation = next(r for r in self.relations if r.name == derived.relation)
                key = self._natural_key(relation.source)
                if key is None:
                    return False
                param.operator, param.through, param.key = "related", relation.name, key
                endpoint.notes.append(
                    f"'{parameter.name}' keeps records the user with this {key}"
                    f" {participle(relation.name)}"
                )
                return True
        return False

    def _natural_key(self, resource_name: str) -> str | None:
        """The column other records name a ``resource_name`` record by (``username``)."""
        resource = self.resources[resource_name]
        if resource.lookup:
            return resource.lookup
        lookup = self._lookups.get(resource_name)
        if lookup is not None:
            return attribute(lookup)
        if resource_name == self.auth.user_resource and self.auth.login_column:
            return self.auth.login_column
        return None


def position_column(note: str) -> Column:
    """The hidden column that keeps the order of the rows of an array stored as a table."""
    return Column(
        attr="position",
        api_name="position",
        python_type="int",
        sa_type="Integer",
        nullable=False,
        source=Source.PARENT,
        exposed=False,
        notes=[note],
    )


def _key_column(attr: str, python_type: str, sa_type: str, note: str) -> Column:
    return Column(
        attr=attr,
        api_name=attr,
        python_type=python_type,
        sa_type=sa_type,
        nullable=False,
        source=Source.ID,
        primary_key=True,
        exposed=False,
        notes=[note],
    )


def _reference(attr: str, resource: Resource, what: str) -> Column:
    """A column referring to ``resource``'s key, deleted with it."""
    key = resource.id_column
    return Column(
        attr=attr,
        api_name=attr,
        python_type=key.python_type,
        sa_type="BigInteger" if key.sa_type == "BigIntId" else key.sa_type,
        nullable=False,
        source=Source.PARENT,
        exposed=False,
        foreign_key=f"{resource.table.table_name}.{key.attr}",
        ondelete="CASCADE",
        index=True,
        references=resource.noun.singular,
        notes=[f"{what}; removed with it"],
    )


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeio' else 'a'} {noun}"
