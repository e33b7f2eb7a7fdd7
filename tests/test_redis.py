"""What generated services share through Redis when REDIS_URL is set: limits and cached lists.

Each test builds an example, starts two server processes on the same database
and the same Redis (TEST_REDIS_URL, database 15, emptied first) and talks to
both: registrations counted by one process count against the limit in the
other (the fifth answers 429, whichever process gets it); a list cached by one
process is dropped when the other one writes to it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
import redis

from pactcoder.api import build
from tests.conftest import copy_project

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("TEST_REDIS_URL")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_live(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server process exited"
        try:
            if httpx2.get(f"{url}/health/live", timeout=1).status_code == 200:
                return
        except httpx2.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


def _start(example: str, folder: Path, **settings: str) -> Iterator[list[str]]:
    assert REDIS_URL
    database = REDIS_URL.rsplit("/", 1)[0] + "/15"  # a database of its own, emptied first
    redis.Redis.from_url(database).flushdb()
    service = copy_project(ROOT / "examples" / example, folder) / "backend"
    build(service.parent, service)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{service / 'shared.db'}",
        "REDIS_URL": database,
        "ENVIRONMENT": "development",
        **settings,
    }
    migrated = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"], cwd=service, env=env, check=False
    )
    assert migrated.returncode == 0
    processes = []
    urls = []
    try:
        for _ in range(2):
            port = _free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port)],
                cwd=service,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            processes.append(process)
            urls.append(f"http://127.0.0.1:{port}")
            _wait_until_live(urls[-1], process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[str]]:
    yield from _start("auth", tmp_path, RATE_LIMIT_AUTH="4/minute")


@pytest.fixture
def library_servers(tmp_path: Path) -> Iterator[list[str]]:
    yield from _start("library", tmp_path, CACHE_TTL_SECONDS="60")


def test_two_processes_share_one_limit(servers: list[str]) -> None:
    statuses = []
    for n in range(6):
        base = servers[n % 2]
        response = httpx2.post(
            f"{base}/api/auth/register",
            json={
                "email": f"user{n}@example.com",
                "password": "a long enough password",
                "displayName": "U",
            },
            timeout=10,
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert int(response.headers["retry-after"]) >= 1
    assert statuses[:4] == [201, 201, 201, 201]
    assert statuses[4:] == [429, 429]


def test_readiness_checks_redis(servers: list[str]) -> None:
    ready = httpx2.get(f"{servers[0]}/health/ready", timeout=5).json()
    assert ready["checks"] == {"database": "ok", "redis": "ok"}


def test_a_write_in_one_process_drops_the_list_cached_by_the_other(
    library_servers: list[str],
) -> None:
    first, second = (f"{url}/v1/authors" for url in library_servers)
    assert httpx2.get(first, timeout=5).json() == []  # cached by the first process
    assert redis.Redis.from_url(REDIS_URL.rsplit("/", 1)[0] + "/15").keys("cache:authors:*")  # type: ignore[union-attr]
    created = httpx2.post(second, json={"name": "Ursula K. Le Guin"}, timeout=5)
    assert created.status_code == 201
    listed = httpx2.get(first, timeout=5).json()
    assert [author["name"] for author in listed] == ["Ursula K. Le Guin"]
