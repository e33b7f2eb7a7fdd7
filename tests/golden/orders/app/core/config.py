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

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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
    api_prefix: str = "/api/v1"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # Database
    database_url: str = "sqlite+aiosqlite:///./order_service_api.db"
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
    #: Seconds before the first retry of a failed job attempt; doubled after each, up to the max.
    job_backoff_seconds: float = Field(default=1.0, gt=0)
    job_backoff_max_seconds: float = Field(default=60.0, gt=0)
    #: The prefix of the job queue's Redis keys: services (or test runs) sharing a Redis
    #: use different ones, or their workers take each other's jobs.
    job_namespace: str = Field(default="order-service-api-jobs", min_length=1)
    cache_ttl_seconds: int = Field(default=0, ge=0)
    """How long public lists are cached in Redis; 0 (the default) turns the cache off."""

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

    @field_validator("cors_origins", "allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return _split(value)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read from the environment once."""
    return Settings()
