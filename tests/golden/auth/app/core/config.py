"""app/core/config.py: settings of the service, read from the environment.

Every setting is an environment variable of the same name, upper-cased
(DATABASE_URL, LOG_LEVEL, ...), optionally from a local .env file; see
.env.example. app.main.create_app() reads them once through get_settings()
and keeps them on the application; app.core.db, app.core.security,
app.core.rate_limit and app.core.middleware read their own parts. Secrets come
only from the environment (or .env), never from this code: outside development
the service refuses to start without them; in development, with none set, the
process signs with a random key of its own (``pactcoder serve`` keeps one in .env
instead, so tokens survive restarts).
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Annotated, Literal, Self

import structlog
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: The shortest signing key accepted (HS256 keys should be at least 256 bits).
MIN_SECRET_LENGTH = 32


def _split(value: object) -> object:
    """Comma-separated environment values become lists."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    """Configuration of the service.

    Example::

        settings = Settings(database_url="postgresql://app@db/app")
        settings.database_url  # "postgresql+asyncpg://app@db/app"
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    api_prefix: str = "/api"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # Database
    database_url: str = "sqlite+aiosqlite:///./identity_service_api.db"
    database_pool_size: int = Field(default=20, ge=1)
    """Connections each process keeps open: workers x (this + the overflow below) must stay
    below the server's max_connections (100 by default in PostgreSQL)."""
    database_max_overflow: int = Field(default=0, ge=0)
    """Connections opened beyond the pool under load, and closed as soon as they are returned:
    each costs a new connection, so the pool itself should cover the expected concurrency."""
    database_pool_timeout: float = Field(default=30.0, gt=0)
    database_statement_timeout_ms: int = Field(default=10_000, ge=0)
    database_echo: bool = False

    # Shared state across processes (rate limits, the list cache); in memory when unset.
    redis_url: str | None = None
    cache_ttl_seconds: int = Field(default=0, ge=0)
    """How long public lists are cached in Redis; 0 (the default) turns the cache off."""

    # Authentication
    jwt_secret_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    """Signing keys, newest first: tokens are signed with the first and accepted with any.
    Required outside development; in development a random key is made when none is set."""
    jwt_issuer: str = "identity-service-api"
    jwt_audience: str = "identity-service-api"
    access_token_ttl_seconds: int = Field(default=900, ge=1)
    refresh_token_ttl_seconds: int = Field(default=1209600, ge=1)
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    """API keys accepted from clients (where the contract has an API key scheme)."""

    # Limits
    rate_limit_enabled: bool = True
    rate_limit_default: str = "100/minute"
    rate_limit_auth: str = "10/minute"
    max_body_bytes: int = Field(default=1_048_576, ge=1)
    request_timeout_seconds: float = Field(default=30.0, gt=0)

    # HTTP
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["*"])

    @field_validator("database_url")
    @classmethod
    def _use_async_driver(cls, value: str) -> str:
        """Accept plain ``postgresql://`` and ``sqlite://`` URLs: the service uses async drivers."""
        for plain, asynchronous in (
            ("postgres://", "postgresql+asyncpg://"),
            ("postgresql://", "postgresql+asyncpg://"),
            ("sqlite://", "sqlite+aiosqlite://"),
        ):
            if value.startswith(plain):
                return asynchronous + value[len(plain) :]
        return value

    @field_validator("jwt_secret_keys", "api_keys", "cors_origins", "allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return _split(value)

    @model_validator(mode="after")
    def _require_secrets(self) -> Self:
        """Outside development a missing or short signing key is a fatal error; in development
        a missing one is replaced by a random key of this process (never a constant)."""
        keys = [key.get_secret_value() for key in self.jwt_secret_keys]
        if self.environment == "development" and not keys:
            structlog.get_logger(__name__).warning(
                "JWT_SECRET_KEYS is not set: tokens are signed with a random key of this process,"
                " refused by other processes and after a restart; set it in .env to keep them"
                " (pactcoder serve does)"
            )
            self.jwt_secret_keys = [SecretStr(secrets.token_urlsafe(48))]
            return self
        if self.environment != "development" and (
            not keys or any(len(key) < MIN_SECRET_LENGTH for key in keys)
        ):
            raise ValueError(
                f"JWT_SECRET_KEYS must be set, each key {MIN_SECRET_LENGTH} or more characters,"
                f" when ENVIRONMENT={self.environment} (generate one with: python -c 'import"
                " secrets; print(secrets.token_urlsafe(48))')"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read from the environment once."""
    return Settings()
