"""Pass: the tables of credentials that nothing in the contract issues.

An ``apiKey`` scheme says how a key is sent, never how one is made: the service keeps
its API keys in a table of its own (``service_api_keys``: a name, the SHA-256 of the
key, roles, when it was revoked), created and revoked with ``python -m app.manage``.
HTTP basic checks a login name and a password: on the contract's accounts when it has
them (sign-up or sign-in operations and a login field), otherwise on a table of logins
of the service's own (``service_logins``, Argon2id hashes), managed the same way.

Example::

    auth.credential_tables = credential_tables(auth, endpoints)
    [t.table_name for t in auth.credential_tables]   # ["service_api_keys"]
"""

from __future__ import annotations

from typing import Any

from pactcoder.ir.model import AuthSpec, Column, Endpoint, Source, Table
from pactcoder.ir.types import PyType, SqlKind, SqlType, string

#: The module of app/models holding the credential tables.
MODULE = "service_credentials"
API_KEYS = "service_api_keys"
LOGINS = "service_logins"


def used_kinds(auth: AuthSpec, endpoints: list[Endpoint]) -> set[str]:
    """The kinds of the supported schemes some operation accepts."""
    names = {n for e in endpoints for n in e.access.schemes}
    return {s.kind for n, s in auth.schemes.items() if n in names and s.supported}


def basic_on_accounts(auth: AuthSpec, endpoints: list[Endpoint]) -> bool:
    """Whether HTTP basic checks the contract's accounts (their login field and password)."""
    return (
        auth.user_resource is not None
        and auth.login_column is not None
        and any(e.kind.is_auth for e in endpoints)
    )


def credential_tables(auth: AuthSpec, endpoints: list[Endpoint]) -> list[Table]:
    """The API key table when an API-key scheme is used; the logins table when HTTP basic
    is used and the contract has no accounts to check it on."""
    kinds = used_kinds(auth, endpoints)
    on_accounts = basic_on_accounts(auth, endpoints)
    tables = []
    if "api-key" in kinds:
        tables.append(_api_keys())
    if "basic" in kinds and not on_accounts:
        tables.append(_logins())
    notes = {
        "api-key": "API keys are kept by the service, hashed: python -m app.manage create-api-key",
        "basic": "HTTP basic, checked on the accounts' login and password (Argon2id)"
        if on_accounts
        else "HTTP basic, checked on the service's own logins: python -m app.manage create-login",
    }
    for endpoint in endpoints:
        accepted = {auth.schemes[n].kind for n in endpoint.access.schemes if n in auth.schemes}
        endpoint.notes += [note for kind, note in notes.items() if kind in accepted]
    return tables


def _col(attr: str, python_type: PyType, sa_type: SqlType, **kw: Any) -> Column:
    source = kw.pop("source", Source.CLIENT)
    return Column(attr, attr, python_type, sa_type, kw.pop("nullable", False), source, **kw)


_INTEGER, _JSON, _TIME = SqlType(SqlKind.INTEGER), SqlType(SqlKind.JSON), SqlType(SqlKind.DATETIME)


def _api_keys() -> Table:
    columns = [
        _col("id", PyType.INT, _INTEGER, source=Source.ID, primary_key=True),
        _col("name", PyType.STR, string(100), unique=True),
        _col("key_hash", PyType.STR, string(64), unique=True, source=Source.SECRET, exposed=False),
        _col("roles", PyType.STR_LIST, _JSON),
        _col("created_at", PyType.DATETIME, _TIME, source=Source.CREATED),
        _col("revoked_at", PyType.DATETIME, _TIME, nullable=True),
    ]
    doc = "API keys made with `python -m app.manage create-api-key`."
    return Table("ServiceApiKey", API_KEYS, MODULE, doc, columns)


def _logins() -> Table:
    columns = [
        _col("id", PyType.INT, _INTEGER, source=Source.ID, primary_key=True),
        _col("username", PyType.STR, string(255), unique=True),
        _col("password_hash", PyType.STR, string(255), source=Source.SECRET, exposed=False),
        _col("roles", PyType.STR_LIST, _JSON),
        _col("created_at", PyType.DATETIME, _TIME, source=Source.CREATED),
    ]
    doc = "HTTP basic logins made with `python -m app.manage create-login`."
    return Table("ServiceLogin", LOGINS, MODULE, doc, columns)
