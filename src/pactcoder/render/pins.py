"""The exact versions every generated service depends on.

Pinned so that a service built today installs and behaves the same tomorrow.
pactcoder's own ``service`` extra (pyproject.toml) lists the same pins; a test
keeps the two in step.
"""

from __future__ import annotations

#: What the service needs to run.
RUNTIME_PINS: dict[str, str] = {
    "fastapi": "0.165.0",
    "pydantic": "2.14.4",
    "pydantic-settings": "2.16.3",
    "email-validator": "2.4.0",
    "sqlalchemy[asyncio]": "2.1.9",
    "alembic": "1.20.1",
    "aiosqlite": "0.22.1",
    "asyncpg": "0.32.0",
    "uvicorn": "0.54.0",
    # The production command runs uvicorn with --loop uvloop --http httptools.
    "uvloop": "0.23.0",
    "httptools": "0.9.0",
    "structlog": "26.1.0",
    "pyjwt": "2.15.1",
    # RS256 / ES256 signatures of an external OAuth2 issuer's tokens; only in services
    # that accept them.
    "cryptography": "50.0.2",
    "argon2-cffi": "25.1.0",
    "limits": "5.8.0",
    "redis": "8.1.0",
    # The job queue's workers (``dramatiq app.worker``), only in services with jobs;
    # arq would need redis < 6.
    "dramatiq[redis]": "2.2.1",
    "python-multipart": "0.0.34",
    # HTML pages (text/html answers) from the templates of app/templates/, only in
    # services that answer one.
    "jinja2": "3.1.6",
    # Uploaded files (only in services with uploads): their type read from their content,
    # and S3-compatible object storage when FILE_STORAGE=s3.
    "filetype": "1.2.0",
    "boto3": "1.44.5",
}

#: What its test suite and checks need on top.
TEST_PINS: dict[str, str] = {
    "pytest": "9.2.0",
    "httpx2": "2.16.2",
    "openapi-schema-validator": "0.9.0",
    "mypy": "2.4.1",
    "ruff": "0.17.6",
    # A local S3-compatible server for the tests of uploads (only in services with them):
    # moto's S3 and its threaded server, which runs on Flask. Not moto[server], whose other
    # services pull in jsonpointer, which makes jsonschema check more formats.
    "moto[s3]": "5.2.5",
    "flask": "3.1.3",
    "flask-cors": "6.0.5",
}

#: The pins only services with uploads need.
FILE_PINS = frozenset({"filetype", "boto3", "moto[s3]", "flask", "flask-cors"})
