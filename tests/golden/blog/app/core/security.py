"""app/core/security.py: passwords, tokens and API keys: who the caller is.

Passwords are hashed with Argon2id (argon2-cffi). Access and refresh tokens
are JWTs (PyJWT, HS256) carrying the user id, roles, type, issuer, audience
and expiry; each is signed with the first of the configured keys and its
``kid`` names the key, so keys can be rotated by putting a new key first and
keeping the old ones until their tokens expire. API keys given by the
environment (API_KEYS) are compared in constant time. app/api/deps.py turns
a request into a Principal with these;
app/services/auth.py issues tokens and checks passwords.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.core.config import Settings

TokenKind = Literal["access", "refresh"]
#: The authentication challenge sent with every 401 (RFC 9110 WWW-Authenticate).
CHALLENGE = 'Token realm="api"'
_hasher = PasswordHasher()
# Verifying against this when no account matches keeps sign-in time the same either way.
_DUMMY_HASH = _hasher.hash("a password no account has")


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: a user (by id) or an API client, and its roles."""

    id: str
    kind: Literal["user", "api-key"] = "user"
    roles: frozenset[str] = field(default_factory=frozenset)

    def has_any_role(self, roles: set[str]) -> bool:
        return bool(self.roles & roles)


class InvalidToken(Exception):
    """A token that is missing, malformed, expired, forged or of the wrong kind."""


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password``, salt included."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (a missing hash never matches)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _key_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def create_token(
    settings: Settings, subject: str, kind: TokenKind, roles: list[str] | None = None
) -> str:
    """A signed token of ``kind`` for ``subject``, valid for the configured time."""
    key = settings.jwt_secret_keys[0].get_secret_value()
    now = datetime.datetime.now(datetime.UTC)
    ttl = (
        settings.access_token_ttl_seconds
        if kind == "access"
        else settings.refresh_token_ttl_seconds
    )
    claims: dict[str, Any] = {
        "sub": subject,
        "type": kind,
        "roles": roles or [],
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "nbf": now,
        "exp": now + datetime.timedelta(seconds=ttl),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, key, algorithm="HS256", headers={"kid": _key_id(key)})


def decode_token(settings: Settings, token: str, kind: TokenKind) -> Principal:
    """The principal a token of ``kind`` stands for; raise InvalidToken otherwise."""
    keys = {_key_id(k.get_secret_value()): k.get_secret_value() for k in settings.jwt_secret_keys}
    try:
        header = jwt.get_unverified_header(token)
        key = keys.get(str(header.get("kid")))
        if key is None:
            raise InvalidToken("the token was not signed with a known key")
        claims = jwt.decode(
            token,
            key,
            algorithms=["HS256"],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "iat", "sub", "iss", "aud"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    if claims.get("type") != kind:
        raise InvalidToken(f"expected an {kind} token")
    roles = claims.get("roles") or []
    if not isinstance(roles, list):
        raise InvalidToken("malformed roles claim")
    return Principal(id=str(claims["sub"]), roles=frozenset(map(str, roles)))


def check_api_key(settings: Settings, presented: str) -> Principal | None:
    """The API client for ``presented``, if it is one of the keys of API_KEYS (keys given
    by the environment, compared in constant time)."""
    for index, key in enumerate(settings.api_keys):
        if hmac.compare_digest(presented.encode(), key.get_secret_value().encode()):
            return Principal(id=f"api-key-{index + 1}", kind="api-key")
    return None
