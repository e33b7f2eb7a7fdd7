"""Pass 10: natural keys and slugs made unique, embedded records linked, tokens taken out.

Runs once the tables are built: a ``{slug}`` item path names records by a unique
column; a slug (``x-pact: {slug: {from: title}}``, or a server-made ``slug``) is made
from a field clients send; an embedded record (``author``) is read through the
column naming it (the owner, or ``authorId``); ``token`` inside the user object is a
fresh access token, never stored; other tokens and short codes the service makes
(:mod:`.tokens`).

Example::

    keys(env, found, fields, auth)
    found.records["article"].lookup, found.records["article"].slug   # "slug", SlugRule(...)
"""

from __future__ import annotations

from pactcoder.ir.model import (
    AuthSpec,
    Column,
    Derived,
    DerivedKind,
    Direction,
    Embed,
    Resource,
    SlugRule,
    Source,
)
from pactcoder.ir.names import snake
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.fields import Fields
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.passes.tokens import minted_column
from pactcoder.ir.schemas import flatten, property_pact, unwrap
from pactcoder.ir.types import PyType, string
from pactcoder.oas.parse import IMPLIED_WRITE_ONLY

_SLUG_SOURCES = ("title", "name", "headline", "subject", "label")
#: Fields of the user object that carry a fresh access token (see _token_fields).
_ACCESS_TOKENS = ("token", "access_token", "jwt")


def keys(env: Env, found: Resources, fields: Fields, auth: AuthSpec) -> None:
    """Sets ``lookup``, ``slug`` and the embeds' columns and models of each resource."""
    users = found.records.get(auth.user_resource or "")
    for name, resource in found.records.items():
        lookup = fields.lookup_fields.get(name)
        columns = {c.api_name: c for c in resource.table.columns}
        if lookup is not None and lookup in columns:
            column = columns[lookup]
            resource.lookup = column.attr
            if not column.unique:
                column.unique = True
                column.notes.append(f"names the record in paths ({{{fields.lookups[name]}}})")
        _slug(env, found, resource, columns)
        _tokens(env, found, resource, columns, users)
        _secrets(env, found, resource)
        for embed in list(resource.embeds):
            _link_embed(env, found, resource, embed, users)
        if users is not None and name == users.noun.singular:
            _token_fields(resource)


def _tokens(
    env: Env,
    found: Resources,
    resource: Resource,
    columns: dict[str, Column],
    users: Resource | None,
) -> None:
    """Tokens and short codes the service makes (see :mod:`.tokens`); not the access token
    an account's answers carry (``token`` in the user object), unless x-pact says so."""
    schema = found.schema_of[resource.noun.singular]
    for key, prop in flatten(unwrap(schema)[0]).properties.items():
        column = columns.get(key)
        if column is None:
            continue
        if resource is users and snake(key) in _ACCESS_TOKENS and not property_pact(prop).token:
            continue
        minted_column(env, resource, key, prop, column)


def _secrets(env: Env, found: Resources, resource: Resource) -> None:
    """A password-like response field the contract does not mark writeOnly is never
    returned all the same (oas/parse.py reads it as writeOnly); say so where it is."""
    schema = found.schema_of[resource.noun.singular]
    for key, prop in flatten(unwrap(schema)[0]).properties.items():
        if prop.extensions.get(IMPLIED_WRITE_ONLY):
            env.problems.warning(
                f"{resource.schema_name}.{key} holds a secret but is not writeOnly; the"
                " service stores it and never returns it",
                hint=f"mark {key} writeOnly: true, so the contract says what the service does",
                at=prop.location,
            )


def _slug(env: Env, found: Resources, resource: Resource, columns: dict[str, Column]) -> None:
    schema = found.schema_of[resource.noun.singular]
    for key, prop in flatten(unwrap(schema)[0]).properties.items():
        column = columns.get(key)
        if column is None:
            continue
        rule = property_pact(prop).slug
        server_made = column.source in (Source.UNKNOWN, Source.NULL)
        if rule is None and not (snake(key) == "slug" and server_made):
            continue
        source_name = rule.source if rule is not None else None
        if source_name is None:
            source_name = next((s for s in _SLUG_SOURCES if s in columns), None)
        source = columns.get(source_name or "")
        if source is None or source.source is not Source.CLIENT:
            # Asked for by x-pact, a slug with no source is the contract's own error; guessed
            # from the field's name alone, it is only a guess that did not hold.
            report = env.problems.error if rule is not None else env.problems.warning
            report(
                f"{resource.schema_name}.{key} is a slug, but no field it can be made from"
                f" ({source_name or ', '.join(_SLUG_SOURCES)}) is sent by clients",
                hint="name the field with x-pact: {slug: {from: title}}",
                at=prop.location,
            )
            continue
        on_update = rule is not None and rule.on_update == "regenerate"
        resource.slug = SlugRule(column=column.attr, source=source.attr, on_update=on_update)
        column.source = Source.SLUG
        column.nullable = False
        column.unique = True
        column.sa_type = string(255)
        column.python_type = PyType.STR
        column.notes = [
            f"made from {source.api_name} when created"
            + (", and again when it changes" if on_update else "; stable afterwards")
            + "; unique (a suffix is added)"
        ]
        return


def _link_embed(
    env: Env, found: Resources, resource: Resource, embed: Embed, users: Resource | None
) -> None:
    target = found.records[embed.target]
    view = found.view_of(embed.target)
    schema = found.schema_of[resource.noun.singular]
    prop = flatten(unwrap(schema)[0]).properties.get(embed.api_name)
    if prop is not None:
        embed.model = env.models.model_for(
            unwrap(prop)[0], Direction.RESPONSE, context=target.noun.class_name
        )
    elif view is not None:
        embed.model = env.models.model_for(view, Direction.RESPONSE, context="View")
    if resource.owned and users is not None and embed.target == users.noun.singular:
        embed.column = "owner_id"
        return
    id_name = f"{embed.api_name}Id"
    column = next(
        (c for c in resource.table.columns if c.api_name in (id_name, f"{embed.attr}_id")),
        None,
    )
    key_type = target.id_column.python_type
    if column is not None and column.python_type in (key_type, "Any"):
        embed.column = column.attr
        return
    # A column of another type than the record's key refers to nothing (solidus'
    # stock_item_id against a text id); the operations answering it are built as 501s,
    # not the whole contract refused.
    which = "nothing says which one"
    hint = (
        f"send '{id_name}' in the request body, or make {resource.schema_name} owned"
        " by its creator (x-pact owner: creator) when it embeds the author"
    )
    env.problems.warning(
        f"{resource.schema_name}.{embed.api_name} embeds {_a(target.noun.title)}, but"
        f" {which}; the operations of {resource.schema_name} answer 501",
        hint=hint,
        at=schema.location,
    )
    reason = f"{resource.schema_name}.{embed.api_name} embeds {_a(target.noun.title)}, but {which}"
    for group in found.groups_of(resource.noun.singular):
        for op, _ in group.ops:
            env.not_implemented(op.key, reason)
    resource.embeds.remove(embed)


def _token_fields(resource: Resource) -> None:
    """``token`` inside the user object: a fresh access token, never stored."""
    for column in list(resource.table.columns):
        if column.source in (Source.UNKNOWN, Source.NULL) and snake(column.api_name) in (
            _ACCESS_TOKENS
        ):
            resource.table.columns.remove(column)
            resource.derived.append(
                Derived(
                    attr=column.attr,
                    api_name=column.api_name,
                    kind=DerivedKind.token,
                    notes=["a fresh access token, in the account operations' answers"],
                )
            )


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeio' else 'a'} {noun}"
