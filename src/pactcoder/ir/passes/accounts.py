"""Pass 4: the accounts resource, its login field, and the token settings.

When the contract has account operations (or accepts bearer tokens), the schema of
user accounts is ``x-pact: {auth: {user: ...}}`` or what registration or ``GET /me``
answers; it becomes a resource if no collection stores it.

Example::

    accounts = accounts(env, ops, found)
    accounts.auth.user_resource, accounts.auth.login_column   # "user", "email"
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pactcoder.ir.model import AuthSpec, Column, Kind, Source, Table
from pactcoder.ir.names import Noun, attribute, snake
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.operations import Kinds, Operations
from pactcoder.ir.passes.resources import Resources, new_resource
from pactcoder.ir.paths import body_schema
from pactcoder.ir.schemas import ObjectShape, flatten, unwrap
from pactcoder.ir.security import body_shape, is_password
from pactcoder.ir.types import PyType, string
from pactcoder.oas.model import Schema

_ANY = Schema(pointer="")
_NOT_LOGINS = ("grant_type", "scope", "client_id", "client_secret")
#: Fields of a registration body that name the account, when no sign-in operation says.
_LOGIN_NAMES = ("username", "email", "login", "user_name", "email_address")


@dataclass(frozen=True)
class Accounts:
    """The service's accounts: ``resources`` is the input's, with the accounts resource
    added when no collection stored it; ``requests`` are the bodies that write accounts."""

    auth: AuthSpec
    resources: Resources
    requests: dict[str, list[ObjectShape]] = field(default_factory=dict)


def accounts(env: Env, ops: Operations, found: Resources) -> Accounts:
    auth = AuthSpec(schemes=env.security.schemes)
    auth_ops = ops.auth_ops
    if not auth_ops and not auth.bearer:
        return Accounts(auth, found)
    schema = env.security.user_schema(auth_ops)
    if schema is None:
        if auth_ops:
            env.problems.warning(
                "account operations found, but no schema of user accounts",
                hint="answer the user from registration or GET /me, or name the schema with"
                " x-pact auth.user",
                at=auth_ops[0][0].location,
            )
        return Accounts(auth, found)
    name = found.of_schema.get(id(schema))
    if name is None:
        noun = Noun.from_text(schema.name or "user")
        name = noun.singular
        found = found.adding(name, new_resource(schema, noun), schema)
    settings = env.doc.pact.auth
    auth.user_resource = name
    auth.access_token_ttl = settings.access_token_ttl
    auth.refresh_token_ttl = settings.refresh_token_ttl
    auth.issuer = settings.issuer
    auth.audience = settings.audience
    auth.admin_role = settings.admin_role
    auth.login_column = _login_column(auth_ops, settings.login_field)
    requests = [
        flatten(unwrap(body)[0])
        for op, kind in auth_ops
        if kind in (Kind.REGISTER, Kind.UPDATE_ME) and (body := body_schema(op)) is not None
    ]
    return Accounts(auth, found, {name: requests})


def _login_column(auth_ops: Kinds, named: str | None) -> str | None:
    if named is not None:
        return attribute(named)
    for op, kind in auth_ops:
        if kind in (Kind.LOGIN, Kind.TOKEN):
            for field_name, schema in body_shape(op).items():
                if not is_password(field_name, schema) and snake(field_name) not in _NOT_LOGINS:
                    return attribute(field_name)
    # No sign-in operation (HTTP basic names the account): what registration asks for.
    for op, kind in auth_ops:
        if kind is Kind.REGISTER:
            for field_name in body_shape(op):
                if snake(field_name) in _LOGIN_NAMES:
                    return attribute(field_name)
    return None


def _default_role(column: Column) -> str | None:
    """The role a new account gets: the role column's default, when it is one string."""
    value = column.default.value if column.default is not None else None
    return value if isinstance(value, str) and value else None


def account_columns(auth: AuthSpec, table: Table) -> AuthSpec:
    """Passwords are never stored: a hash column replaces them; roles and status found.

    ``table`` is the accounts table the tables pass is building; the answer is ``auth``
    with the role, default role and active columns it found.
    """
    table.columns = [c for c in table.columns if not is_password(c.api_name, _ANY)]
    table.columns.append(
        Column(
            attr="password_hash",
            api_name="password_hash",
            python_type=PyType.STR,
            sa_type=string(255),
            nullable=False,
            source=Source.SECRET,
            exposed=False,
            notes=["argon2 hash of the password; never returned, never logged"],
        )
    )
    found = replace(auth)
    for column in table.columns:
        if column.attr == auth.login_column:
            column.unique = True
            if "the login name" not in column.notes:
                column.notes.append("the login name: unique")
        key = snake(column.api_name)
        if key in ("role", "roles", "scopes", "permissions") and found.role_column is None:
            found.role_column = column.attr
            found.roles_are_list = column.python_type in (PyType.LIST, PyType.STR_LIST)
            found.default_role = _default_role(column)
            if found.admin_role is None:
                found.admin_role = "admin" if "admin" in column.sa_type.values else None
        if key in ("active", "enabled", "is_active") and column.python_type is PyType.BOOL:
            found.active_column = column.attr
    return found
