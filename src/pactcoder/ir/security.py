"""Security inference: schemes, who may call what, and which operations are about accounts.

From the contract: ``components.securitySchemes``, ``security`` (document and
operation; ``[]`` makes an operation public), OAuth2 scopes. From ``x-pact``
where the contract cannot say it: roles, the account operations' names, rate
limits, a custom token prefix. Account operations are also recognised from
their shape (``POST /auth/login`` with a password in the body and a token in
the response); every recognition is recorded as a note.

Example::

    security = SecurityInference(document, problems)
    security.auth_kind(operation)       # Kind.LOGIN
    security.access(operation)          # Access(public=False, schemes=["bearerAuth"], roles=[])
"""

from __future__ import annotations

import re

from pactcoder.ir.model import Access, AuthScheme, Kind, SchemeKind
from pactcoder.ir.names import snake, words
from pactcoder.ir.schemas import flatten, is_object, singleton, unwrap
from pactcoder.oas.model import Document, Operation, Schema
from pactcoder.problems import Problems

PASSWORD_NAMES = {"password", "new_password", "current_password", "old_password", "passwd"}
_AUTH_NAMES = {
    "register": Kind.REGISTER,
    "login": Kind.LOGIN,
    "token": Kind.TOKEN,
    "refresh": Kind.REFRESH,
    "me": Kind.ME,
    "update-me": Kind.UPDATE_ME,
    "change-password": Kind.CHANGE_PASSWORD,
}
_TOKEN_ROLES = {
    "access": {"access_token", "token", "jwt", "id_token"},
    "refresh": {"refresh_token"},
    "type": {"token_type"},
    "expires": {"expires_in", "expires"},
}
#: Last path segments of a sign-up without tokens, for HTTP basic (`POST /users`).
_ACCOUNT_COLLECTIONS = {
    "users",
    "accounts",
    "members",
    "register",
    "registration",
    "signup",
    "sign-up",
}
#: Fields that name an account in a sign-up body.
_LOGIN_FIELDS = {"username", "email", "login", "user_name", "email_address"}
#: Paths of the signed-in user's own account besides ``…/me`` (``GET /user``).
_CURRENT_USER = {"user", "current-user", "account", "my-account"}
#: `the word "Token" and the JWT`: a quoted capitalised word beside a mention of JWTs.
_QUOTED_WORD = re.compile(r"[\"'`](?P<prefix>[A-Z][a-z]+)[\"'`]")
_JWT = re.compile(r"\b(JWT|token)\b", re.IGNORECASE)
_PREFIX = re.compile(r"`?(?P<prefix>[A-Z][A-Za-z]+) ?<")
#: `Token xxxxx.yyyyy.zzzzz`, `Bearer xxx`, `Token {jwt}`, `Bearer eyJhbGci...`: a
#: capitalised word, then a placeholder of the token (repeated letters, braces, a JWT).
_EXAMPLE = re.compile(
    r"(?<![\w-])(?P<prefix>[A-Z][A-Za-z]+) (?:\{[^}\s]+\}|eyJ[\w.-]*|"
    r"(?P<a>[a-z])(?P=a){2,}(?:\.(?P<b>[a-z])(?P=b){2,})?(?:\.(?P<c>[a-z])(?P=c){2,})?\b)"
)
#: Prose saying an operation takes credentials but does not need them: "Authentication
#: optional", "auth is optional", "optionally authenticated", "if authenticated, ...",
#: "when signed in, ...". Conservative: a negation ("not optional") never matches.
_OPTIONAL_AUTH = re.compile(
    r"\b(?:auth(?:entication)?|login|sign[- ]?in) (?:is )?optional\b"
    r"|\boptional(?:ly)? (?:auth(?:entication|enticated)?|signed[- ]in|logged[- ]in)\b"
    r"|\b(?:if|when) (?:the (?:user|caller|client) is |you are |you're )?"
    r"(?:authenticated|logged[- ]in|signed[- ]in)\b",
    re.IGNORECASE,
)
#: Words before credentials that are not a token.
_NOT_TOKEN_PREFIXES = {"basic", "digest"}


def is_password(name: str, schema: Schema) -> bool:
    """Whether a property holds a password: ``format: password`` or a password-like name."""
    target, _ = unwrap(schema)
    return target.format == "password" or snake(name) in PASSWORD_NAMES


def optional_in_prose(operation: Operation) -> str | None:
    """The words of the operation's summary or description saying that authentication is
    optional, or None."""
    for text in (operation.summary, operation.description):
        found = _OPTIONAL_AUTH.search(text or "")
        if found:
            return found.group(0)
    return None


def body_shape(operation: Operation) -> dict[str, Schema]:
    """The properties of an operation's request body, whatever its media type."""
    body = operation.request_body
    if body is None:
        return {}
    entry = body.json() or next(iter(body.content.values()), None)
    if entry is None or entry.schema is None or not is_object(entry.schema):
        return {}
    return flatten(unwrap(_inside(entry.schema))[0]).properties


def response_shape(operation: Operation) -> dict[str, Schema]:
    for status in sorted(operation.responses):
        if status.startswith("2"):
            entry = operation.responses[status].json()
            if entry and entry.schema is not None and is_object(entry.schema):
                return flatten(unwrap(_inside(entry.schema))[0]).properties
            return {}
    return {}


def _inside(schema: Schema) -> Schema:
    """The object inside a ``{"user": {...}}`` envelope, or ``schema`` itself."""
    wrapped = singleton(schema)
    return wrapped[1] if wrapped else schema


def token_fields(properties: dict[str, Schema]) -> dict[str, str]:
    """Token pair roles → JSON names, for a response that carries tokens."""
    found: dict[str, str] = {}
    for name in properties:
        key = snake(name)
        for role, names in _TOKEN_ROLES.items():
            if key in names and role not in found:
                found[role] = name
    return found


class SecurityInference:
    """Answers the security questions of one contract; see the module docstring."""

    def __init__(self, document: Document, problems: Problems) -> None:
        self.doc = document
        self.problems = problems
        self.schemes = self._schemes()

    # -- schemes ---------------------------------------------------------------------

    def _schemes(self) -> dict[str, AuthScheme]:
        schemes: dict[str, AuthScheme] = {}
        for name, spec in self.doc.security_schemes.items():
            prefix = spec.pact.token_prefix
            http = (spec.scheme or "").lower() if spec.type == "http" else None
            if http == "bearer":
                schemes[name] = AuthScheme(name, SchemeKind.bearer, prefix=prefix or "Bearer")
            elif http == "basic":
                schemes[name] = AuthScheme(name, SchemeKind.basic, prefix="Basic")
            elif spec.type == "oauth2" and "password" in spec.flows:
                token_url = spec.flows["password"].get("tokenUrl")
                schemes[name] = AuthScheme(
                    name, SchemeKind.bearer, prefix="Bearer", token_url=token_url
                )
            elif spec.type in ("oauth2", "openIdConnect"):
                # Tokens issued elsewhere (authorization code, implicit, client credentials,
                # OpenID Connect): the service is a resource server checking them on a JWKS.
                discovery = spec.open_id_connect_url
                schemes[name] = AuthScheme(
                    name,
                    SchemeKind.oauth2,
                    prefix=prefix or "Bearer",
                    discovery_url=discovery if isinstance(discovery, str) else None,
                )
            elif spec.type == "apiKey" and (spec.parameter_name or "").lower() == "authorization":
                # `Authorization: Token <jwt>`: a bearer token behind a custom prefix.
                description = spec.description or ""
                found = (
                    _PREFIX.search(description)
                    or _EXAMPLE.search(description)
                    or (_QUOTED_WORD.search(description) if _JWT.search(description) else None)
                )
                if found and found["prefix"].lower() in _NOT_TOKEN_PREFIXES:
                    found = None
                custom = prefix or (found["prefix"] if found else None)
                if custom:
                    schemes[name] = AuthScheme(name, SchemeKind.bearer, prefix=custom)
                else:
                    schemes[name] = AuthScheme(
                        name, SchemeKind.api_key, location="header", parameter="Authorization"
                    )
            elif spec.type == "apiKey":
                schemes[name] = AuthScheme(
                    name,
                    SchemeKind.api_key,
                    location=spec.in_ or "header",
                    parameter=spec.parameter_name or "X-API-Key",
                    prefix="",
                )
            else:
                kind = f"{spec.type} {spec.scheme or ''}".strip()
                schemes[name] = AuthScheme(
                    name,
                    SchemeKind.unsupported,
                    supported=False,
                    reason=f"security scheme '{name}' ({kind}) is not supported",
                )
                self.problems.warning(
                    f"security scheme '{name}' ({kind}) is not supported; operations that need"
                    " only it answer 501",
                    hint="use HTTP bearer (JWT) or basic, an API key, OAuth2 or OpenID Connect",
                    at=spec.location,
                )
        return schemes

    @property
    def _basic(self) -> bool:
        """Whether the contract has an HTTP basic scheme (its accounts have passwords)."""
        return any(s.kind == "basic" for s in self.schemes.values())

    # -- who may call ----------------------------------------------------------------

    def access(self, operation: Operation) -> Access:
        """Public or not, which schemes are accepted, which roles are needed."""
        requirements = operation.security if operation.security is not None else self.doc.security
        roles = list(operation.pact.roles)
        if not requirements:
            return Access(public=True, roles=roles)
        optional = any(not r for r in requirements)
        schemes: list[str] = []
        scopes: dict[str, list[str]] = {}
        for requirement in requirements:
            for name, wanted in requirement.items():
                if name not in schemes:
                    schemes.append(name)
                known = self.schemes.get(name)
                if known is not None and known.kind == "oauth2":
                    # An external issuer's scopes are checked on its tokens only, all of them.
                    scopes.setdefault(name, list(dict.fromkeys(wanted or [])))
                else:
                    roles += [s for s in wanted or [] if s not in roles]
        # Read from prose only for reads: a write whose caller is unknown changes too much.
        reads = operation.method in ("get", "head")
        said = optional_in_prose(operation) if reads and not (optional or roles) else None
        return Access(
            public=optional or said is not None,
            optional=optional or said is not None,
            schemes=schemes,
            roles=roles,
            scopes=scopes,
            optional_from_prose=said,
        )

    # -- account operations ----------------------------------------------------------

    def auth_kind(self, operation: Operation) -> Kind | None:
        """Which account operation ``operation`` is, if it is one."""
        named = operation.pact.auth
        if named is not None and named in _AUTH_NAMES:
            return _AUTH_NAMES[named]
        segments = [s for s in operation.path.strip("/").split("/") if s]
        last = "-".join(words(segments[-1])) if segments else ""
        body = body_shape(operation)
        passwords = [n for n, s in body.items() if is_password(n, s)]
        method = operation.method
        if (
            any(
                s.token_url and s.token_url.rstrip("/").endswith(operation.path.rstrip("/"))
                for s in self.schemes.values()
            )
            and method == "post"
        ):
            return Kind.TOKEN
        if method == "post" and last in {"register", "signup", "sign-up"} and passwords:
            return Kind.REGISTER
        tokens = token_fields(response_shape(operation))
        signs_in = last in {"login", "signin", "sign-in", "sessions", "session"}
        if method == "post" and signs_in and passwords and "access" in tokens:
            return Kind.LOGIN
        if method == "post" and passwords and "access" in tokens and "{" not in operation.path:
            return Kind.REGISTER  # `POST /users` answering the new user with a token
        if (
            method == "post"
            and self._basic
            and passwords
            and "{" not in operation.path
            and last in _ACCOUNT_COLLECTIONS
            and any(snake(n) in _LOGIN_FIELDS for n in body)
        ):
            return Kind.REGISTER  # `POST /users` with a name and password, for HTTP basic
        if method == "post" and last in {"refresh", "refresh-token"} and "access" in tokens:
            return Kind.REFRESH
        me = last == "me" or (last in _CURRENT_USER and "{" not in operation.path)
        if me and method == "get":
            return Kind.ME
        if me and method in ("patch", "put"):
            return Kind.UPDATE_ME
        if last == "password" and method in ("put", "post", "patch") and len(passwords) >= 2:
            return Kind.CHANGE_PASSWORD
        return None

    def user_schema(self, operations: list[tuple[Operation, Kind]]) -> Schema | None:
        """The schema of accounts: x-pact auth.user, or what registration or 'me' answers."""
        named = self.doc.pact.auth.user
        if named is not None:
            return self.doc.schemas.get(named)
        for wanted in (Kind.ME, Kind.REGISTER, Kind.UPDATE_ME):
            for operation, kind in operations:
                if kind is not wanted:
                    continue
                for status in sorted(operation.responses):
                    entry = operation.responses[status].json() if status.startswith("2") else None
                    if entry and entry.schema is not None and is_object(entry.schema):
                        schema = unwrap(_inside(entry.schema))[0]
                        properties = flatten(schema).properties
                        # A token pair alone is a sign-in answer; beside other fields,
                        # the token is part of the user (`{"user": {"email", "token"}}`).
                        if len(token_fields(properties)) < len(properties):
                            return schema
        return None
