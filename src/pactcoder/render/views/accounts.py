"""The service's view, accounts layer: sign-in, roles, schemes and the principal's key."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from pactcoder.ir.model import (
    AuthScheme,
    Endpoint,
    Kind,
    Table,
)
from pactcoder.ir.names import pascal
from pactcoder.ir.passes import credentials
from pactcoder.render.pins import FILE_PINS
from pactcoder.render.types import python_type
from pactcoder.render.views.base import ServiceBase
from pactcoder.render.views.common import names_in
from pactcoder.render.views.resource import ResourceView


class AccountsView(ServiceBase):
    """What the account operations, the security module and their tests need."""

    @cached_property
    def auth_module(self) -> str:
        """Module name of the account operations: ``auth``, unless a resource has that name."""
        taken = {r.module for r in self.resources}
        return "auth" if "auth" not in taken else "authentication"

    @property
    def auth_service_class(self) -> str:
        return pascal(self.auth_module) + "Service"

    @cached_property
    def account_endpoints(self) -> list[Endpoint]:
        return [e for e in self.service.endpoints if e.kind.is_auth and e.implemented]

    @staticmethod
    def account_test_template(endpoint: Endpoint) -> str | None:
        """The template of an account operation's tests under tests/auth/, by its kind."""
        names = {
            Kind.REGISTER: "register",
            Kind.LOGIN: "login",
            Kind.TOKEN: "token",
            Kind.REFRESH: "refresh",
            Kind.ME: "me",
            Kind.UPDATE_ME: "update_me",
            Kind.CHANGE_PASSWORD: "change_password",
        }
        name = names.get(endpoint.kind)
        return f"tests/auth/{name}.py.jinja" if name else None

    @property
    def account_schema_names(self) -> set[str]:
        names: set[str] = set()
        for endpoint in self.account_endpoints:
            names |= names_in(endpoint.request_model) | names_in(endpoint.response_model)
        return names

    @property
    def role_api_name(self) -> str | None:
        auth = self.service.auth
        if not auth.role_column or not auth.user_resource:
            return None
        table = self.resource(auth.user_resource).table
        return next(c.api_name for c in table.columns if c.attr == auth.role_column)

    def _account_api_name(self, attr: str | None) -> str | None:
        auth = self.service.auth
        if not attr or not auth.user_resource:
            return None
        table = self.resource(auth.user_resource).table
        return next((c.api_name for c in table.columns if c.attr == attr), None)

    @property
    def login_api_name(self) -> str | None:
        return self._account_api_name(self.service.auth.login_column)

    @property
    def active_api_name(self) -> str | None:
        return self._account_api_name(self.service.auth.active_column)

    @property
    def missing_account_id(self) -> str:
        """The id of an account that does not exist, as text (a token's subject)."""
        accounts = self.accounts
        if accounts is not None and accounts.id_type == "int":
            return "987654321"
        return "00000000-0000-4000-8000-000000000000"

    @property
    def unknown_login(self) -> str:
        """A login name no test account has."""
        auth = self.service.auth
        table = self.resource(auth.user_resource).table if auth.user_resource else None
        columns = table.columns if table else []
        column = next((c for c in columns if c.attr == auth.login_column), None)
        return "nobody.at.all@example.com" if column and "mail" in column.attr else "nobody-at-all"

    @property
    def acting_role(self) -> str | None:
        """The role of the account the generated tests act as: admin, else the one needed."""
        auth = self.service.auth
        if not auth.role_column:
            return None
        if auth.admin_role:
            return auth.admin_role
        needed = [r for e in self.service.endpoints for r in e.access.roles]
        return needed[0] if needed else None

    @property
    def acting_role_value(self) -> Any:
        """The role value of the tests' acting account, as JSON (a list for list columns)."""
        auth = self.service.auth
        if auth.roles_are_list:
            needed = sorted({r for e in self.service.endpoints for r in e.access.roles})
            return sorted({*needed, *([auth.admin_role] if auth.admin_role else [])})
        return self.acting_role

    @property
    def ordinary_role_value(self) -> Any:
        """The role value of an ordinary account (no special role), or None if unknown."""
        auth = self.service.auth
        if auth.roles_are_list:
            return []
        return auth.default_role

    @staticmethod
    def account_op_template(endpoint: Endpoint) -> str:
        """The template of the account operation ``endpoint``'s service method."""
        return f"app/services/generated/account_ops/{endpoint.kind.name.lower()}.py.jinja"

    @property
    def ordinary_account(self) -> str:
        """The arguments of the tests' ``records.<user>(...)`` making an ordinary account:
        its role given where accounts have one, else nothing."""
        if not self.service.auth.role_column:
            return ""
        return f"{{ {self.role_api_name!r}: {self.ordinary_role_value!r}}}"

    @property
    def claimable_roles(self) -> list[str]:
        """Every role a forged token could claim: the admin role, then each operation's."""
        auth = self.service.auth
        roles = [auth.admin_role] if auth.admin_role else []
        for endpoint in self.service.endpoints:
            roles += [r for r in endpoint.access.roles if r not in roles]
        return roles

    def ordinary_lacks(self, roles: list[str]) -> bool:
        """Whether an ordinary account (of a known role) holds none of ``roles``."""
        ordinary = self.ordinary_role_value
        if ordinary is None:
            return False
        held = set(ordinary) if isinstance(ordinary, list) else {ordinary}
        return not held & set(roles)

    @property
    def bearer_prefix(self) -> str:
        bearer = next((s for s in self.used_schemes if s.kind == "bearer"), None)
        return bearer.prefix if bearer else "Bearer"

    @property
    def api_key_scheme(self) -> AuthScheme | None:
        return next((s for s in self.used_schemes if s.kind == "api-key"), None)

    def account_key(self, made: str) -> str:
        """Python source of the primary key of the account ``made`` (a tests.conftest.Made)."""
        users = self.accounts
        if users is not None and users.id.exposed:
            return f"{made}.body[{users.id.api_name!r}]"
        return f"{made}.key"

    def token_in_account(self, endpoint: Endpoint) -> bool:
        """Whether the access token is a field of the account object answered
        (``{"user": {"email": ..., "token": ...}}``) rather than of a token pair."""
        users = self.accounts
        token = endpoint.auth_fields.get("token_access")
        return users is not None and any(
            d.kind == "token" and d.api_name == token for d in users.resource.derived
        )

    @cached_property
    def used_schemes(self) -> list[AuthScheme]:
        names: list[str] = []
        for endpoint in self.service.endpoints:
            names += [n for n in endpoint.access.schemes if n not in names]
        schemes = self.service.auth.schemes
        return [schemes[n] for n in names if n in schemes and schemes[n].supported]

    def runtime_pins(self, pins: dict[str, str]) -> dict[str, str]:
        """The pins this service needs: the job queue only with jobs, cryptography only for
        an external issuer's signatures."""
        unused = set()
        if not self.service.jobs:
            unused.add("dramatiq[redis]")
        if not self.external_schemes:
            unused.add("cryptography")
        if not any(r.form == "html" for e in self.service.endpoints for r in e.renderings):
            unused.add("jinja2")
        if not self.service.stores_files:
            unused |= FILE_PINS
        return {name: version for name, version in pins.items() if name not in unused}

    @cached_property
    def external_schemes(self) -> list[AuthScheme]:
        """The OAuth2 / OpenID Connect schemes in use: tokens of an external issuer."""
        return [s for s in self.used_schemes if s.kind == "oauth2"]

    @property
    def discovery_url(self) -> str | None:
        """The contract's OpenID Connect discovery URL (https only), OAUTH2_DISCOVERY_URL's
        default."""
        found = next((s.discovery_url for s in self.external_schemes if s.discovery_url), None)
        return found if found and found.startswith("https://") else None

    @cached_property
    def signed_token_scheme(self) -> AuthScheme | None:
        """A scheme of tokens the service signs itself when no operation signs anyone in
        (a bearer scheme and nothing that issues its tokens): the tests sign one."""
        if self.accounts is not None:
            return None
        return next((s for s in self.used_schemes if s.kind == "bearer"), None)

    @cached_property
    def every_role(self) -> list[str]:
        """Every role an operation asks for."""
        return sorted({r for e in self.service.endpoints for r in e.access.roles})

    @cached_property
    def external_scopes(self) -> list[str]:
        """Every scope an operation asks of an external issuer's tokens (for the tests)."""
        found = [s for e in self.service.endpoints for v in e.access.scopes.values() for s in v]
        return sorted(set(found))

    @property
    def challenge(self) -> str:
        """The WWW-Authenticate challenge of a 401: the token scheme, else basic, else keys."""
        for kinds in (("bearer", "oauth2"), ("basic",)):
            found = next((s for s in self.used_schemes if s.kind in kinds), None)
            if found is not None:
                return f'{found.prefix} realm="api"'
        return 'ApiKey realm="api"'

    @cached_property
    def api_key_schemes(self) -> list[AuthScheme]:
        return [s for s in self.used_schemes if s.kind == "api-key"]

    @cached_property
    def basic_schemes(self) -> list[AuthScheme]:
        return [s for s in self.used_schemes if s.kind == "basic"]

    def _credential_table(self, name: str) -> Table | None:
        return next((t for t in self.service.auth.credential_tables if t.table_name == name), None)

    @cached_property
    def api_key_table(self) -> Table | None:
        """The table of API keys made by app/manage.py, when an API-key scheme is used."""
        return self._credential_table(credentials.API_KEYS)

    @cached_property
    def login_table(self) -> Table | None:
        """The table of HTTP basic logins, when basic is used and there are no accounts."""
        return self._credential_table(credentials.LOGINS)

    @cached_property
    def basic_on_accounts(self) -> bool:
        """Whether HTTP basic checks the contract's accounts (login field and password)."""
        return bool(self.basic_schemes) and self.login_table is None and self.accounts is not None

    @property
    def security_imports(self) -> list[str]:
        """What app/api/deps.py takes from app/core/security.py."""
        names = ["CHALLENGE", "InvalidToken", "Principal", "check_api_key", "decode_token"]
        if self.external_schemes:
            names.append("ExternalTokens")
        if self.api_key_table is not None:
            names.append("find_api_key")
        if self.basic_schemes:
            names.append("parse_basic")
            names.append("verify_password" if self.basic_on_accounts else "find_login")
        return sorted(names, key=lambda n: (not n.isupper(), not n[0].isupper(), n))

    @property
    def credential_classes(self) -> list[str]:
        return [t.class_name for t in self.service.auth.credential_tables]

    @property
    def api_key_prefix(self) -> str:
        """``sk_<service>_``: the service's keys are recognisable (in logs, in secret scanners)."""
        slug = "".join(c for c in self.service.slug if c.isalnum())[:12] or "api"
        return f"sk_{slug}_"

    @property
    def principal_kinds(self) -> list[str]:
        kinds = ["user", "api-key"]
        if self.login_table is not None:
            kinds.append("login")
        if self.external_schemes:
            kinds.append("external")
        return kinds

    @property
    def manage_imports(self) -> list[str]:
        """What app/manage.py takes from app/core/security.py."""
        names = []
        if self.api_key_table is not None:
            names += ["hash_api_key", "new_api_key"]
        if self.login_table is not None:
            names.append("hash_password")
        return sorted(names)

    @property
    def acts_with_basic(self) -> bool:
        """Whether the generated tests call with HTTP basic: basic is used and no token
        scheme (the tests' account signs in with a token when there is one)."""
        tokens = any(s.kind in ("bearer", "oauth2") for s in self.used_schemes)
        return bool(self.basic_schemes) and not tokens

    @property
    def credential_setup(self) -> bool:
        """Whether the tests store credentials of the service's own (an API key, a login)."""
        return bool(self.service.auth.credential_tables)

    @property
    def login_attr(self) -> str:
        """The accounts' login column (HTTP basic names the account by it)."""
        return self.service.auth.login_column or "email"

    def auth_call(self, endpoint: Endpoint) -> str:
        supported = {s.name for s in self.used_schemes}
        args = [repr(n) for n in endpoint.access.schemes if n in supported]
        if endpoint.access.roles:
            roles = ", ".join(repr(r) for r in endpoint.access.roles)
            args.append(f"roles=({roles},)")
        scopes = {n: s for n, s in endpoint.access.scopes.items() if n in supported}
        if any(scopes.values()):
            args.append(f"scopes={ {n: tuple(s) for n, s in scopes.items()}!r}")
        if endpoint.access.optional:
            args.append("optional=True")
        return f"authenticated({', '.join(args)})"

    @staticmethod
    def owner_id_type(resource: ResourceView) -> str:
        column = next(c for c in resource.table.columns if c.attr == "owner_id")
        return python_type(column.python_type)

    def subject_key(self, resource: ResourceView) -> str:
        """Source turning a job's ``subject`` (text) back into ``resource``'s key."""
        return {"uuid.UUID": "uuid.UUID(subject)", "int": "int(subject)"}.get(
            resource.id_type, "subject"
        )

    @cached_property
    def has_auth(self) -> bool:
        return any(e.access.needs_principal for e in self.service.endpoints)

    @cached_property
    def has_roles(self) -> bool:
        return any(e.access.roles for e in self.service.endpoints) or any(
            r.owned for r in self.service.resources
        )

    @cached_property
    def has_change_password(self) -> bool:
        return any(e.kind is Kind.CHANGE_PASSWORD and e.implemented for e in self.service.endpoints)
